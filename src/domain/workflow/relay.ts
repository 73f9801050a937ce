/**
 * The consultation as a conversation (SOP step 4): what a client writes while a case is with a
 * consultant goes to that consultant, and what the consultant writes (a reply to a relayed message,
 * or typed after `buka <nomor>`) goes back to that client. Files travel too, stored encrypted with
 * the case as Documents of type "relay". Every message adds a control-card line.
 *
 * A client with two open cases is asked once which case a message is about; the choice sticks
 * (CaseFocus) until they pick another. The message waits in CaseFocus.heldJson meanwhile, so
 * nothing typed is lost.
 */
import { storedMessageId } from "../../security/address-index.js";
import { text } from "../../messaging/text.js";
import type { Outbound } from "../../messaging/model.js";
import type { TurnPort } from "../port.js";
import { readJson, writeJson, ZCaseFocusHeld, type TCaseFocusHeld } from "../../db/json-columns.js";
import { clientIdentityId, staffIdentityId, type StaffMember } from "../staff/directory.js";
import { encodeButton } from "../buttons.js";
import { caseForStaff, WorkflowError } from "./consultation.js";

/** Statuses in which a case is with a consultant and messages are passed on. */
export const WITH_CONSULTANT = ["awaiting_acceptance", "in_consultation", "action_plan", "monitoring", "referred", "final_report", "control_card"];
const CLOSED = ["closed", "reported"];

/** A file a person sent, already stored encrypted by the inbox. */
export interface RelayFile {
  kind: string;
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
  fileName?: string;
}

/** What a person wrote: text, a file with its caption, or both. */
export interface RelayWords {
  text: string;
  file?: RelayFile;
}

type CaseRow = { id: string; regNumber: string; clientId: string; consultantId: string | null; areaCode: string | null; status: string };

async function openCasesOf(turn: TurnPort, clientId: string): Promise<CaseRow[]> {
  return turn.tx.consultationCase.findMany({
    where: { clientId, status: { in: WITH_CONSULTANT }, consultantId: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { id: true, regNumber: true, clientId: true, consultantId: true, areaCode: true, status: true },
  });
}

async function setFocus(turn: TurnPort, identityId: string, caseId: string | null, held: TCaseFocusHeld | null): Promise<void> {
  const heldJson = held ? writeJson(ZCaseFocusHeld, held) : null;
  await turn.tx.caseFocus.upsert({ where: { identityId }, create: { identityId, caseId, heldJson }, update: { caseId, heldJson } });
}

/** The case a staff member's typed text goes to (set by `buka`), or null. */
export async function focusedCase(turn: TurnPort, identityId: string): Promise<string | null> {
  return (await turn.tx.caseFocus.findUnique({ where: { identityId } }))?.caseId ?? null;
}

/** `buka <nomor>` by the case's own consultant: from now on their typed text goes to its client. */
export async function focusCase(turn: TurnPort, identityId: string, caseId: string): Promise<void> {
  await setFocus(turn, identityId, caseId, null);
}

async function storeFile(turn: TurnPort, clientId: string, caseId: string | null, f: RelayFile): Promise<string> {
  const doc = await turn.tx.document.create({
    data: { clientId, caseId, type: "relay", mimeType: f.mimeType, size: f.size, sha256: f.sha256, storageKey: f.storageKey, createdAt: turn.now },
  });
  return doc.id;
}

function fileExt(mimeType: string): string {
  const known: Record<string, string> = { "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "audio/ogg": "ogg", "audio/mpeg": "mp3" };
  return known[mimeType] ?? "bin";
}

/** How a relayed file is named on the control card: its own name, else the document's id (the case page lists it). */
function fileLabel(fileName: string | undefined, documentId: string): string {
  return fileName ?? `lampiran ${documentId.slice(-6)}`;
}

async function controlLine(turn: TurnPort, caseId: string, staffId: string | null, summary: string): Promise<void> {
  await turn.tx.controlCardEntry.create({ data: { caseId, at: turn.now, staffId, contactKind: "relay", summary: summary.slice(0, 500) } });
}

/**
 * A client wrote something that is not a command. Returns "none" when no case is with a consultant
 * (the desk shows the menu as before), else what was done.
 */
export async function clientWrites(turn: TurnPort, clientId: string, words: RelayWords): Promise<"none" | "relayed" | "asked" | "closed"> {
  const cases = await openCasesOf(turn, clientId);
  const focus = await turn.tx.caseFocus.findUnique({ where: { identityId: turn.identity.id } });
  if (cases.length === 0) {
    // The case they were writing about closed meanwhile: the message is kept on it, they are told.
    const lastWritten = await turn.tx.relayMessage.findFirst({ where: { fromRole: "client", case: { clientId } }, orderBy: { createdAt: "desc" }, select: { caseId: true } });
    const lastId = focus?.caseId ?? lastWritten?.caseId;
    const last = lastId ? await turn.tx.consultationCase.findUnique({ where: { id: lastId } }) : null;
    if (!last || !CLOSED.includes(last.status)) return "none";
    const documentId = words.file ? await storeFile(turn, clientId, last.id, words.file) : null;
    await turn.tx.relayMessage.create({ data: { caseId: last.id, fromRole: "client", text: words.text, documentId, staffId: last.consultantId, undelivered: true, createdAt: turn.now } });
    turn.reply(text(turn.t("relay.client.case_closed", { regNumber: last.regNumber })));
    return "closed";
  }
  const target = cases.length === 1 ? cases[0] : cases.find((c) => c.id === focus?.caseId);
  if (!target) {
    const documentId = words.file ? await storeFile(turn, clientId, null, words.file) : undefined;
    await setFocus(turn, turn.identity.id, null, { text: words.text, ...(documentId ? { documentId } : {}), ...(words.file?.fileName ? { fileName: words.file.fileName } : {}) });
    const choices = [];
    for (const c of cases) {
      const consultant = c.consultantId ? await turn.tx.staff.findUnique({ where: { id: c.consultantId }, select: { name: true } }) : null;
      choices.push({ id: encodeButton({ kind: "reply", caseId: c.id }), label: turn.t("relay.client.case_option", { regNumber: c.regNumber, area: turn.t(`area.${c.areaCode ?? ""}`), consultant: consultant?.name ?? "-" }) });
    }
    turn.reply(text(turn.t("relay.client.which_case"), choices));
    return "asked";
  }
  const documentId = words.file ? await storeFile(turn, clientId, target.id, words.file) : null;
  // Only a choice (a tap, a reply to a message of that case) is remembered: with one case there is
  // nothing to choose, and a second case opening later is asked about once.
  if (focus?.heldJson) await setFocus(turn, turn.identity.id, focus.caseId, null);
  await passToConsultant(turn, target, words.text, documentId, words.file?.fileName);
  return "relayed";
}

/**
 * The client picked a case (the "which case" question, or a reply to one of the consultant's
 * messages): it sticks, and a message held for the choice goes now.
 */
export async function clientPicksCase(turn: TurnPort, clientId: string, caseId: string): Promise<void> {
  const c = (await openCasesOf(turn, clientId)).find((x) => x.id === caseId);
  const focus = await turn.tx.caseFocus.findUnique({ where: { identityId: turn.identity.id } });
  const held = focus?.heldJson ? readJson(ZCaseFocusHeld, focus.heldJson) : null;
  if (!c) {
    const gone = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
    if (!gone || gone.clientId !== clientId) throw new WorkflowError("wf.err.no_case");
    if (held) {
      await turn.tx.relayMessage.create({ data: { caseId, fromRole: "client", text: held.text, documentId: held.documentId ?? null, staffId: gone.consultantId, undelivered: true, createdAt: turn.now } });
      if (held.documentId) await turn.tx.document.update({ where: { id: held.documentId }, data: { caseId } });
    }
    await setFocus(turn, turn.identity.id, caseId, null);
    turn.reply(text(turn.t("relay.client.case_closed", { regNumber: gone.regNumber })));
    return;
  }
  await setFocus(turn, turn.identity.id, c.id, null);
  if (!held) {
    const consultant = await turn.tx.staff.findUnique({ where: { id: c.consultantId ?? "" }, select: { name: true } });
    turn.reply(text(turn.t("relay.client.case_chosen", { regNumber: c.regNumber, consultant: consultant?.name ?? "-" })));
    return;
  }
  if (held.documentId) await turn.tx.document.update({ where: { id: held.documentId }, data: { caseId: c.id } });
  await passToConsultant(turn, c, held.text, held.documentId ?? null, held.fileName, true);
}

async function passToConsultant(turn: TurnPort, c: CaseRow, body: string, documentId: string | null, fileName: string | undefined, alwaysConfirm = false): Promise<void> {
  const consultantId = c.consultantId as string;
  const first = (await turn.tx.relayMessage.count({ where: { caseId: c.id, fromRole: "client", staffId: consultantId, undelivered: false } })) === 0;
  const consultant = await turn.tx.staff.findUniqueOrThrow({ where: { id: consultantId }, select: { name: true } });
  const client = await turn.tx.client.findUnique({ where: { id: c.clientId }, select: { fullName: true } });
  const to = await staffIdentityId(turn.tx, consultantId);
  let deliveryKey: string | null = null;
  if (to) {
    const doc = documentId ? await turn.tx.document.findUniqueOrThrow({ where: { id: documentId } }) : null;
    await turn.tellWith(to, (t) => {
      const params = { regNumber: c.regNumber, client: client?.fullName ?? "", message: body };
      const buttons = [{ id: encodeButton({ kind: "case", caseId: c.id, action: "message" }), label: t.t("relay.btn.reply") }];
      const out: Outbound[] = [];
      if (doc) {
        out.push(text(t.t("relay.consultant.file_from_client", params), buttons));
        out.push({ type: "document", fileName: fileName ?? `${c.regNumber}-lampiran.${fileExt(doc.mimeType)}`, mimeType: doc.mimeType, storageKey: doc.storageKey, caption: c.regNumber });
      } else out.push(text(t.t("relay.consultant.from_client", params), buttons));
      return out;
    });
    deliveryKey = turn.deliveryKeyOfLast(to);
  }
  await turn.tx.relayMessage.create({ data: { caseId: c.id, fromRole: "client", text: body, documentId, staffId: consultantId, deliveryKey, createdAt: turn.now } });
  if (documentId) turn.audit({ action: "relay.file", entity: "Document", entityId: documentId, detail: { caseId: c.id, to: "consultant" } });
  await controlLine(turn, c.id, null, `Pesan dari klien${documentId ? ` (berkas: ${fileLabel(fileName, documentId)})` : ""}: ${body}`);
  if (first || alwaysConfirm) {
    turn.reply(text(turn.t("relay.client.passed_on", { regNumber: c.regNumber, consultant: consultant.name, area: turn.t(`area.${c.areaCode ?? ""}`) })));
  }
}

/** Consultant -> client: text and/or a file; neither learns the other's number. */
export async function consultantWrites(turn: TurnPort, staff: StaffMember, caseId: string, words: RelayWords): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  if (CLOSED.includes(c.status)) throw new WorkflowError("relay.err.case_closed", { regNumber: c.regNumber });
  const documentId = words.file ? await storeFile(turn, c.clientId, c.id, words.file) : null;
  const to = await clientIdentityId(turn.tx, c.clientId);
  let deliveryKey: string | null = null;
  if (to) {
    const several = (await openCasesOf(turn, c.clientId)).length > 1;
    await turn.tellWith(to, (t) => {
      const params = { regNumber: c.regNumber, consultant: staff.name, message: words.text };
      // With two open cases a tap says which case the client's next messages are about.
      const buttons = several ? [{ id: encodeButton({ kind: "reply", caseId: c.id }), label: t.t("relay.btn.about_this_case") }] : undefined;
      const out: Outbound[] = [];
      if (words.file) {
        out.push(text(t.t("relay.client.file_from_consultant", params), buttons));
        out.push({ type: "document", fileName: words.file.fileName ?? `${c.regNumber}-lampiran.${fileExt(words.file.mimeType)}`, mimeType: words.file.mimeType, storageKey: words.file.storageKey, caption: c.regNumber });
      } else out.push(text(t.t("wf.client.message_from_consultant", params), buttons));
      return out;
    });
    deliveryKey = turn.deliveryKeyOfLast(to);
  }
  await turn.tx.relayMessage.create({ data: { caseId, fromRole: "consultant", text: words.text, documentId, staffId: staff.id, deliveryKey, createdAt: turn.now } });
  if (documentId) turn.audit({ action: "relay.file", entity: "Document", entityId: documentId, detail: { caseId, to: "client" } });
  await controlLine(turn, caseId, staff.id, `Pesan ke klien${documentId ? ` (berkas: ${fileLabel(words.file?.fileName, documentId)})` : ""}: ${words.text}`);
  turn.reply(text(turn.t("relay.consultant.sent", { regNumber: c.regNumber })));
}

/**
 * The case of a relayed message a person replied to (Telegram reply_to_message, WhatsApp quoted
 * message), found by the provider's id of the copy they received; null when it was not a relay.
 */
export async function caseOfRepliedMessage(turn: TurnPort, providerMessageId: string): Promise<string | null> {
  const stored = storedMessageId(turn.identity.channel, providerMessageId);
  const sent = await turn.tx.outboxMessage.findFirst({ where: { identityId: turn.identity.id, providerMessageId: stored }, select: { idempotencyKey: true } });
  if (!sent) return null;
  const relay = await turn.tx.relayMessage.findFirst({ where: { deliveryKey: sent.idempotencyKey }, select: { caseId: true } });
  return relay?.caseId ?? null;
}

/** Has the client a case with a consultant (their files and messages are for the consultant)? */
export async function hasOpenCase(turn: TurnPort, clientId: string): Promise<boolean> {
  return (await openCasesOf(turn, clientId)).length > 0;
}

/**
 * The staff member starts typing into a form (a diagnosis, the final report ...) or cancels one:
 * typed text stops going to the client of the case opened with `buka`, so words meant for the
 * case record never reach the client by mistake. `buka` again, or a reply, resumes.
 */
export async function unfocus(turn: TurnPort, identityId: string): Promise<void> {
  await turn.tx.caseFocus.updateMany({ where: { identityId, caseId: { not: null } }, data: { caseId: null } });
}
