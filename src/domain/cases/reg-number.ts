/** Registration numbers: PLUT-<office>-<year>-<6 digits>, counted per office and year. */
import type { Tx } from "../../db/client.js";

export async function nextRegNumber(tx: Tx, office: string, year: number): Promise<string> {
  // An upsert with increment is one atomic statement on both databases.
  const row = await tx.registrationCounter.upsert({
    where: { office_year: { office, year } },
    create: { office, year, last: 1 },
    update: { last: { increment: 1 } },
  });
  return formatRegNumber(office, year, row.last);
}

export function formatRegNumber(office: string, year: number, n: number): string {
  return `PLUT-${office}-${year}-${String(n).padStart(6, "0")}`;
}
