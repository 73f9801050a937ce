/** The web chat channel's public surface. */
export {
  createWebChannel,
  newPersonId,
  WEB_MAX_TEXT,
  WEB_PERSON_ID,
  WebInboundError,
  type WebChannel,
  type WebChannelLogger,
  type WebChannelOptions,
} from "./web-channel.js";
export { webChatPlugin, readPersonCookie, toPublic, WEB_CHAT_PATH, WEB_COOKIE, type WebChatPluginOptions } from "./plugin.js";
export {
  createFileHistoryStore,
  createMemoryHistoryStore,
  createSealedRowHistoryStore,
  WebSeqTaken,
  type SealedHistoryRows,
  ZWebEntry,
  type FileHistoryStoreOptions,
  type WebEntry,
  type WebHistoryStore,
} from "./history.js";
export { loadWebTexts, WEB_TEXT_KEYS, type WebTexts } from "./texts.js";
