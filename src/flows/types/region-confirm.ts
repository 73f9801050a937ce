/**
 * A kecamatan or desa typed with a typo or as an abbreviation ("ubd", "pliatan") is never taken
 * silently: the parser names its guess (q.region.suggest) and the question asks back "Maksud Anda
 * Ubud?" with Ya / Bukan. The guess waits in the question's scratch until the person answers.
 */
import type { Choice } from "../../messaging/model.js";
import { readOptionNumber } from "../questions/choice.js";
import { REGION_LABEL_KEYS } from "../questions/region.js";
import type { ParseResult } from "../questions/types.js";
import { parseYesNo } from "../questions/yesno.js";
import type { AnswerInput, QuestionContext, TypeParse } from "../registry.js";

export const CONFIRM_YES = "region:yes";
export const CONFIRM_AGAIN = "region:again";

interface Pending {
  suggest: string;
  name: string;
}

function pendingOf(scratch: unknown): Pending | undefined {
  if (scratch === null || typeof scratch !== "object") return undefined;
  const p = scratch as Partial<Pending>;
  return typeof p.suggest === "string" && typeof p.name === "string" ? { suggest: p.suggest, name: p.name } : undefined;
}

/** The buttons while a guess waits: "Ya, Ubud" and "Bukan, ketik lagi". */
export function confirmChoices(ctx: QuestionContext): Choice[] | undefined {
  const p = pendingOf(ctx.scratch);
  if (!p) return undefined;
  return [
    { id: CONFIRM_YES, label: ctx.tr.t(REGION_LABEL_KEYS.yes, { name: p.name }) },
    { id: CONFIRM_AGAIN, label: ctx.tr.t("q.yesno.no") },
  ];
}

/**
 * Reads an answer to a region question: first as the reply to a waiting guess (a tap, "ya",
 * "1" for the first button), otherwise with `parse`; a new guess from `parse` is asked back.
 */
export function parseWithConfirmation(input: AnswerInput, ctx: QuestionContext, parse: (text: string) => ParseResult<string>): TypeParse | undefined {
  const p = pendingOf(ctx.scratch);
  if (p) {
    const reply = input.type === "choice" ? input.choiceId : input.type === "text" ? input.text : undefined;
    const n = input.type === "text" ? readOptionNumber(input.text) : undefined;
    const yn = input.type === "text" ? parseYesNo(input.text) : undefined;
    if (reply === CONFIRM_YES || n === 1 || (yn?.ok && yn.value)) return { ok: true, value: p.suggest, display: p.name };
    if (reply === CONFIRM_AGAIN || n === 2 || (yn?.ok && !yn.value)) {
      return { ok: "partial", scratch: undefined, extra: [ctx.tr.t(REGION_LABEL_KEYS.again)] };
    }
  }
  if (input.type !== "text") return undefined;
  const r = parse(input.text);
  if (!r.ok && r.error === "q.region.suggest" && r.params) {
    const suggest = String(r.params.code);
    const name = String(r.params.suggestion);
    return { ok: "partial", scratch: { suggest, name } satisfies Pending, extra: [ctx.tr.t(r.error, r.params)] };
  }
  return r;
}
