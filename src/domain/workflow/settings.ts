/** Office settings an admin changes in chat. */
import type { Tx } from "../../db/client.js";

export const AUTO_ASSIGN = "routing.autoAssign";

export async function isAutoAssign(tx: Tx): Promise<boolean> {
  const s = await tx.officeSetting.findUnique({ where: { key: AUTO_ASSIGN } });
  return s?.value === "true";
}

export async function setAutoAssign(tx: Tx, on: boolean): Promise<void> {
  await tx.officeSetting.upsert({ where: { key: AUTO_ASSIGN }, create: { key: AUTO_ASSIGN, value: String(on) }, update: { value: String(on) } });
}
