/**
 * The shared shape of every question type's parser. Parsers are pure: text (or a media/contact/
 * location body) in, a parsed value or an error key out. Error keys name texts in
 * conversations/texts/<lang>/questions.yaml; the parser never holds words a person reads.
 */

/** A parse that worked: the value to store and how to show it back to the person. */
export interface ParseOk<T> {
  ok: true;
  value: T;
  /** The answer as shown in the summary, e.g. "Rp 1.500.000" for "1,5 juta". */
  display: string;
}

/** A parse that failed: a text key (e.g. "q.number.invalid") and values for its placeholders. */
export interface ParseErr {
  ok: false;
  error: string;
  params?: Record<string, string | number>;
}

export type ParseResult<T> = ParseOk<T> | ParseErr;

export const ok = <T>(value: T, display: string): ParseOk<T> => ({ ok: true, value, display });
export const err = (error: string, params?: Record<string, string | number>): ParseErr =>
  params ? { ok: false, error, params } : { ok: false, error };

/** An option of a choice question, as the engine passes it to the parser. */
export interface ChoiceOption {
  id: string;
  /** The label in the person's language. */
  label: string;
  /** Other words that mean this option (also in the person's language). */
  synonyms?: string[];
}
