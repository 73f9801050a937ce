/** Shared by the choice-like types: options as the person sees them, and the button list. */
import type { Choice } from "../../messaging/model.js";
import type { ChoiceOption } from "../questions/types.js";
import type { Option } from "../node-base.js";
import type { Lang, Texts, Translator } from "../../i18n/index.js";

/**
 * Resolved options per option list of a loaded flow version, per texts and language: a question's
 * options are resolved on every message that reaches it, and they change only with a reload.
 */
const resolved = new WeakMap<readonly Option[], WeakMap<Texts, Map<Lang, readonly ChoiceOption[]>>>();

/** Options with labels and synonyms in the person's language, as the parsers take them; shared, read-only. */
export function resolveOptions(options: readonly Option[], tr: Translator): readonly ChoiceOption[] {
  let byTexts = resolved.get(options);
  if (!byTexts) {
    byTexts = new WeakMap();
    resolved.set(options, byTexts);
  }
  let byLang = byTexts.get(tr.texts);
  if (!byLang) {
    byLang = new Map();
    byTexts.set(tr.texts, byLang);
  }
  let out = byLang.get(tr.lang);
  if (!out) {
    out = Object.freeze(
      options.map((o) =>
        Object.freeze({
          id: o.id,
          label: tr.t(o.label),
          ...(o.synonyms ? { synonyms: [...tr.wordsHere(o.synonyms)] } : {}),
        }),
      ),
    );
    byLang.set(tr.lang, out);
  }
  return out;
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
