/**
 * The conversation engine: one inbound message in, the new session, the replies and the effects
 * out. Pure: no I/O, no clock, no randomness. The parts live in engine/ (step.ts is the entry,
 * turn.ts the state of one turn); this file is what importers use.
 */
export { step } from "./engine/step.js";
export { EngineError, type StepInput, type StepResult } from "./engine/turn.js";
export { namesCommand } from "./engine/command-check.js";
