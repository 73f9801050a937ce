/**
 * A whole registration with the assessment, as a client types it: text answers, "#id" for a button
 * tap, "PHOTO" for the identity photo. Shared by the end-to-end tests and `npm run bench:engine`.
 */
export type ScriptStep = string;

export const REGISTRATION_SCRIPT: readonly ScriptStep[] = [
  "/start", "#menu:registration", "#agree", "Ni Made Ayu Lestari", "#P", "12-08-1985", "5104015208850003", "081234567890",
  "Jl. Raya Ubud No. 5", "Ubud", "Peliatan", "lewati", "lewati", "Warung Ayu", "#kuliner", "#ud", "Nasi campur dan jajan Bali",
  "tidak", "2015", "3", "#r5_25jt", "1,3", "lewati", "#ktp", "PHOTO", "lewati",
  "Saya butuh modal untuk tambah gerobak, mau ajukan KUR tapi belum ada pembukuan", "1", "selesai",
  "ya", "15 juta", "1", "1", "3", "1", "7", "1", "1", "kirim",
];
