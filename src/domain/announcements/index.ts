/** Announcements (pengumuman): the audience (audience.ts) and the announcement itself (announcements.ts). */
export * from "./audience.js";
export * from "./announcements.js";
