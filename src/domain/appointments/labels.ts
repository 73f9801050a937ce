/** How an appointment reads to people: its slot ("Selasa, 8 Des 10.00") in the reader's language. */
import { clockTime, intlLocale, type Lang, type TextParams } from "../../i18n/index.js";

/** Enough of a Translator: texts in one language (a Translator, or the turn's texts in Indonesian for records). */
export interface Words {
  readonly lang: Lang;
  t(key: string, params?: TextParams): string;
}
import { localParts } from "../../shared/time.js";

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Selasa, 8 Des" / "Tuesday, 8 Dec" of an instant, in the office's time zone. */
function dayLabel(at: Date, t: Words, tz: string): string {
  const key = `${t.lang}\u0000${tz}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(t.lang), { weekday: "long", day: "numeric", month: "short", timeZone: tz });
    formats.set(key, f);
  }
  return f.format(at);
}

export function slotLabel(at: Date, t: Words, tz: string): string {
  const p = localParts(at, tz);
  return t.t("appt.slot", { day: dayLabel(at, t, tz), time: clockTime(p.hour, p.minute, t.lang) });
}

/** The where of a meeting: the office, the link, or the client's address. */
export function placeLine(a: { mode: string; link: string | null; place: string | null }, t: Words, reader: "client" | "staff" = "client"): string {
  if (a.mode === "online") return t.t("appt.where.online", { link: a.link ?? "-" });
  if (a.mode === "kunjungan") {
    if (!a.place) return t.t(reader === "staff" ? "appt.where.visit_no_address_staff" : "appt.where.visit_no_address");
    return t.t(reader === "staff" ? "appt.where.visit_staff" : "appt.where.visit", { address: a.place });
  }
  return t.t("appt.where.office");
}
