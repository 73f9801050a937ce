/** The short summary of a case staff read in chat (admins on arrival, consultants on assignment). */
import type { Tx } from "../../db/client.js";
import type { TextParams, Translator } from "../../i18n/index.js";
import type { Regions } from "../../flows/questions/region.js";
import { recommendationText } from "../routing/explain.js";
import { makeLabeler } from "../reports/labels.js";

/** A case card, read once and written in each reader's language. */
export type CaseCard = (tr: Translator) => string;

/** `regions` names the kecamatan and desa (without it, the built-in kecamatan names). */
export async function caseCard(tx: Tx, caseId: string, regions?: Regions): Promise<CaseCard> {
  return cardOf(await loadCardCase(tx, caseId), regions);
}

/** The card of a case already read with loadCardCase (and changed since only as the caller says). */
export function cardOf(c: CardCase, regions?: Regions): CaseCard {
  return (tr) => renderCard(c, tr, regions);
}

/** A case with all its card shows: the client, the business, the latest routing, the answers. */
export type CardCase = Awaited<ReturnType<typeof loadCardCase>>;
export function loadCardCase(tx: Tx, caseId: string) {
  return tx.consultationCase.findUniqueOrThrow({
    where: { id: caseId },
    include: { client: true, business: true, routing: { orderBy: { createdAt: "desc" }, take: 1 }, answers: true },
  });
}

function renderCard(c: CardCase, tr: Translator, regions: Regions | undefined): string {
  const t = (k: string, p?: TextParams) => tr.t(k, p);
  const L = makeLabeler(tr, regions);
  const lines = [
    t("wf.card.title", { regNumber: c.regNumber }),
    t("wf.card.client", { name: c.client.fullName, kecamatan: L.kecamatan(c.client.kecamatan) }),
  ];
  if (c.business) lines.push(t("wf.card.business", { business: c.business.name, sector: L.sector(c.business.sector) }));
  lines.push(t("wf.card.problem", { problem: truncate(c.problemText, 600) }));
  // The Formulir Assessment as the client answered it, so the admin can judge the route.
  const answers = c.answers.filter((a) => a.questionId !== "case.problemText" && a.labelKey);
  if (answers.length > 0) lines.push(answers.map((a) => `• ${t(a.labelKey!)}: ${truncate(a.display, 120)}`).join("\n"));
  const r = c.routing[0];
  if (r) lines.push(recommendationText(r, t));
  if (c.areaCode) lines.push(t("wf.card.area", { area: L.area(c.areaCode) }));
  lines.push(t(`status.${c.status}`));
  return lines.join("\n");
}

export function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export async function caseByReg(tx: Tx, regNumber: string) {
  return tx.consultationCase.findUnique({ where: { regNumber: regNumber.toUpperCase() } });
}
