/** Shared by the choice-like types: options as the person sees them, and the button list. */
import type { Choice } from "../../messaging/model.js";
import type { ChoiceOption } from "../questions/types.js";
import type { Option } from "../node-base.js";
import type { Translator } from "../../i18n/index.js";

/** Options with labels and synonyms in the person's language, as the parsers take them. */
export function resolveOptions(options: readonly Option[], tr: Translator): ChoiceOption[] {
  return options.map((o) => ({
    id: o.id,
    label: tr.t(o.label),
    ...(o.synonyms ? { synonyms: tr.wordsHere(o.synonyms) } : {}),
  }));
}

export function choicesOf(options: readonly ChoiceOption[]): Choice[] {
  return options.map((o) => ({ id: o.id, label: o.label }));
}

export function optionKeys(options: readonly Option[]): string[] {
  return options.flatMap((o) => (o.synonyms ? [o.label, o.synonyms] : [o.label]));
}

/** Problems with option ids: repeats. */
export function checkOptionIds(options: readonly Option[]): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  options.forEach((o, i) => {
    if (seen.has(o.id)) out.push([`options.${i}.id`, `duplicate_option: option id "${o.id}" is used twice`]);
    seen.add(o.id);
  });
  return out;
}
