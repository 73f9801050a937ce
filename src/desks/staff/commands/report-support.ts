/** What the report commands share: a Translator for the turn's language and the turn's transaction as a Db. */
import type { DeskTurn as Turn } from "../../desk.js";
import type { Db } from "../../../db/client.js";
import { Translator } from "../../../i18n/index.js";
import type { ReportCommandDeps } from "../command.js";

export function translatorFor(turn: Turn, d: ReportCommandDeps): Translator {
  return new Translator(d.texts(), turn.lang);
}

/** The report queries take a Db; inside a turn they run on its transaction. */
export function dbOf(turn: Turn): Db {
  return turn.tx as unknown as Db;
}
