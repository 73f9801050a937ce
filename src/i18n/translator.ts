/**
 * Texts people read. They live in conversations/texts/<lang>/*.yaml as flat key -> string maps;
 * code and flows only name keys. Placeholders are written `{name}` and filled from params.
 */
import { foldCommand } from "../shared/fold.js";
import { DEFAULT_LANG, LANGS, type Lang } from "./lang.js";

export type TextTable = Readonly<Record<string, string>>;
export type Texts = Readonly<Record<Lang, TextTable>>;
export type TextParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([a-zA-Z0-9_.]+)\}/g;

/** The placeholder names a template uses, sorted and without repeats. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/** Fills `{name}` from params; unknown placeholders stay visible so a missing param is noticed in tests. */
export function fill(template: string, params: TextParams = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** Word lists derived from a loaded set of texts; a reload brings new texts and a new map. */
const wordLists = new WeakMap<Texts, Map<string, readonly string[]>>();

function remember(texts: Texts, id: string, make: () => string[]): readonly string[] {
  let lists = wordLists.get(texts);
  if (!lists) {
    lists = new Map();
    wordLists.set(texts, lists);
  }
  let list = lists.get(id);
  if (!list) {
    list = Object.freeze(make());
    lists.set(id, list);
  }
  return list;
}

/** Reads texts for one language, falling back to Indonesian, then to the key itself. */
export class Translator {
  constructor(
    readonly texts: Texts,
    readonly lang: Lang,
  ) {}

  has(key: string): boolean {
    return this.texts[this.lang][key] !== undefined;
  }

  t(key: string, params?: TextParams): string {
    const tpl = this.texts[this.lang][key] ?? this.texts[DEFAULT_LANG][key] ?? key;
    return fill(tpl, params);
  }

  /**
   * A words key ("kembali, balik, back") as folded words, in this language and the other ones.
   * Made once per loaded texts and language (commands are checked on every message); shared, so
   * read-only.
   */
  words(key: string): readonly string[] {
    return remember(this.texts, `w\u0000${this.lang}\u0000${key}`, () => {
      const out = new Set<string>();
      for (const lang of [this.lang, ...LANGS.filter((l) => l !== this.lang)]) {
        const v = this.texts[lang][key];
        if (v === undefined) continue;
        for (const w of splitWords(v)) out.add(w);
      }
      return [...out];
    });
  }

  /** A words key in this language only, as written (for option synonyms shown to the parser); shared, read-only. */
  wordsHere(key: string): readonly string[] {
    return remember(this.texts, `h\u0000${this.lang}\u0000${key}`, () => {
      const v = this.texts[this.lang][key] ?? this.texts[DEFAULT_LANG][key];
      return v === undefined ? [] : v.split(",").map((w) => w.trim()).filter((w) => w !== "");
    });
  }

  with(lang: Lang): Translator {
    return lang === this.lang ? this : new Translator(this.texts, lang);
  }
}

/** "kembali, balik , Back" -> ["kembali", "balik", "back"] (folded). */
export function splitWords(value: string): string[] {
  return value
    .split(",")
    .map((w) => foldCommand(w))
    .filter((w) => w !== "");
}
