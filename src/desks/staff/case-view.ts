/** The case card a staff member opens (command "buka" or a button), with what they may do to it. */
import { text } from "../../messaging/text.js";
import type { DeskTurn as Turn } from "../desk.js";
import { encodeButton } from "../../domain/buttons.js";
import { caseCard } from "../../domain/workflow/case-card.js";
import { caseForStaff, caseMenu } from "../../domain/workflow/consultation.js";
import { focusCase } from "../../domain/workflow/relay.js";
import type { StaffMember } from "../../domain/staff/directory.js";
import type { Regions } from "../../flows/questions/region.js";

/** For its own consultant or an admin, the actions; a shared case is read only. */
export async function openCase(turn: Turn, staff: StaffMember, caseId: string, regions?: Regions): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId, { read: true });
  const own = staff.role !== "consultant" || c.consultantId === staff.id;
  const card = await caseCard(turn.tx, caseId, regions);
  const actions = own ? caseMenu(turn, caseId) : [{ id: encodeButton({ kind: "case", caseId, action: "doc" }), label: turn.t("wf.btn.view_document") }];
  // The case's own consultant: what they type from now on goes to this client.
  const writes = staff.role === "consultant" && c.consultantId === staff.id;
  if (writes) await focusCase(turn, turn.identity.id, caseId);
  const focusLine = writes ? `\n\n${turn.t("relay.staff.focus", { regNumber: c.regNumber })}` : "";
  turn.reply(text(`${card(turn.translator())}\n\n${turn.t(own ? "staff.case_actions" : "staff.case_shared_readonly")}${focusLine}`, actions));
}
