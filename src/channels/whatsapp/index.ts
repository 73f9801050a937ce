export {
  useDatabaseAuthState,
  MemoryAuthStore,
  createMemoryAuthStore,
  type AuthKeyValueStore,
  type DatabaseAuthState,
} from "./auth-state.js";
export {
  createWhatsAppChannel,
  toChannelSendError,
  WHATSAPP_DEFAULTS,
  type PairingObservable,
  type PairingStateName,
  type PairingStatus,
  type HaltReason,
  type WASocketLike,
  type WhatsAppChannel,
  type WhatsAppChannelOptions,
  type WhatsAppLogger,
} from "./whatsapp-channel.js";
