/** The short summary of a case staff read in chat (admins on arrival, consultants on assignment). */
import type { Tx } from "../../db/client.js";
import type { Turn } from "../../conversation/turn.js";
import type { Lang } from "../../flows/texts.js";
import { recommendationText } from "../routing/explain.js";

export async function caseCard(turn: Turn, caseId: string, lang: Lang): Promise<string> {
  const c = await turn.tx.consultationCase.findUniqueOrThrow({
    where: { id: caseId },
    include: { client: true, business: true, routing: { orderBy: { createdAt: "desc" }, take: 1 }, answers: true },
  });
  const t = (k: string, p?: Record<string, string | number>) => turn.t(k, p, lang);
  const lines = [
    t("wf.card.title", { regNumber: c.regNumber }),
    t("wf.card.client", { name: c.client.fullName, kecamatan: c.client.kecamatan ? regionLabel(turn, c.client.kecamatan, lang) : "-" }),
  ];
  if (c.business) lines.push(t("wf.card.business", { business: c.business.name, sector: t(`sector.${c.business.sector}`) }));
  lines.push(t("wf.card.problem", { problem: truncate(c.problemText, 600) }));
  // The Formulir Assessment as the client answered it, so the admin can judge the route.
  const answers = c.answers.filter((a) => a.questionId !== "case.problemText" && a.labelKey);
  if (answers.length > 0) lines.push(answers.map((a) => `• ${t(a.labelKey!)}: ${truncate(a.display, 120)}`).join("\n"));
  const r = c.routing[0];
  if (r) lines.push(recommendationText(r, t));
  if (c.areaCode) lines.push(t("wf.card.area", { area: t(`area.${c.areaCode}`) }));
  lines.push(t(`status.${c.status}`));
  return lines.join("\n");
}

function regionLabel(turn: Turn, code: string, lang: Lang): string {
  return code === "luar" ? turn.t("wf.card.outside_gianyar", undefined, lang) : code;
}

export function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export async function caseByReg(tx: Tx, regNumber: string) {
  return tx.consultationCase.findUnique({ where: { regNumber: regNumber.toUpperCase() } });
}
