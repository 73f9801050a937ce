/**
 * The staff deadlines of SOP steps 3 and 4, counted in working minutes (office-calendar.ts). Level 1
 * goes to the admins (and, for step 4, to the consultant the case waits on); level 2, one standard
 * period later, to the head of the UPT. Nothing is sent once the case has moved on.
 */
import { caseClientName, caseHeader, formatTime, langOf } from "./common.js";
import type { RenderContext, RenderedMessage } from "./types.js";

/** The status a case has while it waits on the step (src/domain/cases/steps.ts). */
const WAITING_STATUS = { 3: "awaiting_routing", 4: "awaiting_acceptance" } as const;

export async function renderSla(ctx: RenderContext, step: 3 | 4): Promise<RenderedMessage[]> {
  const { tx, reminder, calendar } = ctx;
  const c = await caseHeader(tx, reminder.caseId);
  if (!c || c.closedAt || c.step !== step || c.status !== WAITING_STATUS[step]) return ctx.skip("resolved");
  const level = reminder.payload.level === 2 ? 2 : 1;
  const startedAt = typeof reminder.payload.startedAt === "string" ? new Date(reminder.payload.startedAt) : reminder.dueAt;
  const standard = typeof reminder.payload.standardMinutes === "number" ? reminder.payload.standardMinutes : 0;
  const waited = Math.max(0, Math.round(calendar.workingMinutesBetween(startedAt, ctx.now)));
  const recipients =
    level === 2
      ? await ctx.staffRecipients({ roles: ["head"] })
      : await ctx.staffRecipients({ roles: ["admin"], ...(step === 4 && c.consultantId ? { staffIds: [c.consultantId] } : {}) });
  if (recipients.length === 0) return ctx.skip("no_recipient");
  const consultant =
    step === 4 && c.consultantId
      ? ((await tx.staff.findUnique({ where: { id: c.consultantId }, select: { name: true } }))?.name ?? "-")
      : "-";
  return recipients.map((r) => {
    const lang = langOf(r.language);
    const t = ctx.translator(lang);
    const key = `reminder.sla.step${step}.level${level}`;
    const text = t.t(key, {
      regNumber: c.regNumber,
      client: caseClientName(c, t),
      consultant,
      date: ctx.formatDate(startedAt, lang),
      time: formatTime(startedAt, lang, calendar),
      minutes: standard,
      waited,
    });
    return { identityId: r.id, message: { type: "text", text, params: { regNumber: c.regNumber, waited: String(waited), minutes: String(standard) } } };
  });
}
