/**
 * The registry of question types (goflow style): each file in src/flows/types/ describes one type
 * (its node schema, how it asks, how it reads an answer, how it shows one) and registers itself here.
 */
import type { z } from "zod";
import type { Choice } from "../messaging/model.js";
import type { EngineMessage, PersonContext } from "./model.js";
import type { QuestionNodeBase } from "./node-base.js";
import type { ValueKind } from "./store.js";
import type { Lang, TextParams, Translator } from "../i18n/index.js";

/** What a question sees while asking or reading an answer. */
export interface QuestionContext {
  tr: Translator;
  lang: Lang;
  now: Date;
  person: PersonContext;
  /** Loaded regions (kecamatan/desa), when the conversations have them. */
  regions: unknown;
  /** The value of another question (same group item first), or what the client's file holds for its store path. */
  answerOf(questionId: string): unknown;
  /** Placeholders for the prompt: vars, the current group item, `current` (the value on file). */
  params: TextParams;
  /** In-progress state of this question (the taps so far of a multiple choice). */
  scratch: unknown;
}

/** The parts of a prompt a type adds to the question text. */
export interface PromptParts {
  /** Lines added under the question text (e.g. the current selection). */
  extra?: string[];
  choices?: Choice[];
  requestContact?: boolean;
  contactButtonLabel?: string;
}

/** The bodies that can answer a question. */
export type AnswerInput = Extract<EngineMessage, { type: "text" | "choice" | "media" | "contact" | "location" }>;

export type TypeParse =
  | { ok: true; value: unknown; display: string }
  | { ok: false; error: string; params?: Record<string, string | number> }
  /** Not finished yet (a tap of a multiple choice): keep `scratch`, show `extra` and ask again. */
  | { ok: "partial"; scratch: unknown; extra: string[] };

/** A reference from one question to another, checked by the definition validator. */
export interface QuestionRef {
  field: string;
  questionId: string;
  /** The referenced question must have one of these types. */
  types: string[];
}

export interface QuestionType<N extends QuestionNodeBase = QuestionNodeBase> {
  readonly type: string;
  /** One line for editors and the JSON Schema. */
  readonly description: string;
  /** The node schema: questionFields plus the type's own, `type` as a literal. */
  readonly schema: z.ZodType<N>;
  /** What an answer is, so store paths of another kind are refused. */
  readonly kind: ValueKind;
  /**
   * Answers are personal data (NIK, phone, e-mail): kept only sealed at rest (the session state is,
   * src/conversation/session-store.ts), and stored only to a path the host keeps encrypted
   * (SEALED_STORE_PATHS); flows:check refuses any other (rule personal_store).
   */
  readonly personal?: boolean;
  /** Text keys the node names besides prompt/label/help/retry (option labels ...). */
  textKeys?(node: N): string[];
  /** Other questions this one reads (an answer must come before). */
  references?(node: N): QuestionRef[];
  /** More checks of the node against the definition; returns problems as [path, message]. */
  check?(node: N): [string, string][];
  /** Skip without asking (a desa when the kecamatan is outside Gianyar). */
  autoSkip?(node: N, ctx: QuestionContext): boolean;
  prompt(node: N, ctx: QuestionContext): PromptParts;
  parse(node: N, input: AnswerInput, ctx: QuestionContext): TypeParse;
  display(node: N, value: unknown, ctx: QuestionContext): string;
  /** After a question it references changed: is the stored value still right? (default: no, ask again). */
  recheck?(node: N, value: unknown, ctx: QuestionContext): boolean;
}

const types = new Map<string, QuestionType>();

/** Adds a question type; each type file calls this once when imported. */
export function registerType<N extends QuestionNodeBase>(t: QuestionType<N>): QuestionType<N> {
  if (types.has(t.type)) throw new Error(`question type "${t.type}" registered twice`);
  types.set(t.type, t as unknown as QuestionType);
  return t;
}

export function getType(type: string): QuestionType | undefined {
  return types.get(type);
}

/** Every registered question type, in registration order. */
export function allTypes(): QuestionType[] {
  return [...types.values()];
}

/** The text of an answer body a text-like question reads; undefined for other bodies. */
export function textOf(input: AnswerInput): string | undefined {
  return input.type === "text" ? input.text : undefined;
}
