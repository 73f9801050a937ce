/** The conversation engine's public surface: load conversations, step a session, read effects. */
export { step, EngineError, type StepInput, type StepResult } from "./engine.js";
export { loadConversations, checkConversationFiles, readConversationFiles, type LoadedConversations, type LoadOptions } from "./load.js";
export { FlowDefinitionError, formatIssue, RULES, type DefinitionIssue, type RuleCode } from "./definition.js";
export {
  ZSessionState,
  type SessionState,
  parseSession,
  sessionTimers,
  DEFAULT_TIMER_POLICY,
  type TimerPolicy,
} from "./session.js";
export { ZEffect, type Effect, type SubmittedAnswer } from "./effects.js";
export { ZEngineMessage, type EngineMessage, ZPersonContext, type PersonContext, type StoredMedia, type CaseSummary } from "./model.js";
export { STORE_PATHS, type StorePath } from "./store.js";
export { ZTranscript, runScenario, type Transcript, type Scenario } from "./transcript.js";
