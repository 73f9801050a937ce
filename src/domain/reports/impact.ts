/**
 * The impact section of the head's report (issue 18 item 2). Definitions:
 * - the follow-ups counted are those *due* in the period (3 or 6 months after their case closed)
 *   and due by the time the report is made; *answered* are those the client answered (at any time
 *   before the report); the response rate is answered / due;
 * - turnover: the band the client gives now against the band on file when the case closed, by the
 *   order of the bands; "unknown" on either side is left out of up / same / down;
 * - workers: the sums before and after over answers that know both, and their difference;
 * - financing: answers that obtained any, and the sum of the amounts given;
 * - licences: the licences named as obtained since the consultation, by kind;
 * - by area and by consultant: the case's area and consultant when it closed.
 */
import type { Db, Tx } from "../../db/client.js";
import { readJson, ZImpactLicences } from "../../db/json-columns.js";
import type { ImpactRow, ImpactSection } from "../../documents/impact-section.js";
import type { Translator } from "../../i18n/index.js";
import { makeLabeler } from "./labels.js";
import type { Period } from "./period.js";

type Client = Db | Tx;

/** Turnover bands in rising order (conversations/flows/registration.yaml). */
export const TURNOVER_ORDER = ["lt_5jt", "r5_25jt", "r25_100jt", "r100_167jt", "r167jt_1250jt", "gt_1250jt"] as const;

function bandRank(band: string | null): number | null {
  const i = TURNOVER_ORDER.indexOf((band ?? "") as (typeof TURNOVER_ORDER)[number]);
  return i < 0 ? null : i;
}

function emptyRow(label: string): ImpactRow {
  return { label, due: 0, answered: 0, turnoverUp: 0, turnoverSame: 0, turnoverDown: 0, workersChange: 0, financed: 0, financingAmount: 0, licences: 0, newMarkets: 0 };
}

export async function computeImpact(
  db: Client,
  period: Period,
  opts: { now: Date; t?: Translator; consultantId?: string },
): Promise<ImpactSection> {
  const L = makeLabeler(opts.t);
  const upTo = period.to < opts.now ? period.to : opts.now;
  const rows = await db.impactFollowup.findMany({
    where: {
      dueAt: { gte: period.from, lte: upTo },
      ...(opts.consultantId ? { case: { consultantId: opts.consultantId } } : {}),
    },
    select: {
      status: true, turnoverBefore: true, workersBefore: true, turnoverBand: true, workers: true,
      financingObtained: true, financingAmount: true, newMarkets: true, licencesJson: true,
      case: { select: { areaCode: true, consultantId: true } },
    },
  });
  const names = new Map((await db.staff.findMany({ select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  const total = emptyRow(L.t("impact.report.total"));
  const byArea = new Map<string, ImpactRow>();
  const byConsultant = new Map<string, ImpactRow>();
  const licences = new Map<string, number>();
  let workersBefore = 0;
  let workersAfter = 0;

  for (const f of rows) {
    const areaKey = f.case.areaCode ?? "";
    const consultantKey = f.case.consultantId ?? "";
    const area = byArea.get(areaKey) ?? emptyRow(L.area(f.case.areaCode));
    const consultant = byConsultant.get(consultantKey) ?? emptyRow(f.case.consultantId ? (names.get(f.case.consultantId) ?? "-") : L.t("report.unassigned"));
    byArea.set(areaKey, area);
    byConsultant.set(consultantKey, consultant);
    const targets = [total, area, consultant];
    for (const r of targets) r.due += 1;
    if (f.status !== "answered") continue;
    const got = readJson(ZImpactLicences, f.licencesJson);
    for (const l of got) licences.set(l, (licences.get(l) ?? 0) + 1);
    const before = bandRank(f.turnoverBefore);
    const after = bandRank(f.turnoverBand);
    const knowsWorkers = f.workersBefore !== null && f.workers !== null;
    if (knowsWorkers) {
      workersBefore += f.workersBefore!;
      workersAfter += f.workers!;
    }
    for (const r of targets) {
      r.answered += 1;
      if (before !== null && after !== null) {
        if (after > before) r.turnoverUp += 1;
        else if (after === before) r.turnoverSame += 1;
        else r.turnoverDown += 1;
      }
      if (knowsWorkers) r.workersChange += f.workers! - f.workersBefore!;
      if (f.financingObtained) {
        r.financed += 1;
        r.financingAmount += Number(f.financingAmount ?? 0n);
      }
      if (got.length > 0) r.licences += 1;
      if (f.newMarkets) r.newMarkets += 1;
    }
  }
  const sorted = (m: Map<string, ImpactRow>) => [...m.values()].sort((a, b) => b.due - a.due || a.label.localeCompare(b.label));
  return {
    total,
    responseRate: total.due > 0 ? total.answered / total.due : null,
    workersBefore,
    workersAfter,
    licencesByKind: [...licences.entries()]
      .map(([code, count]) => ({ label: L.t(`opt.licence.${code}`), count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
    byArea: sorted(byArea),
    byConsultant: sorted(byConsultant),
  };
}
