/**
 * `npm run audit:verify`: walks the audit log's hash chain (src/domain/audit/chain.ts) against
 * DATABASE_URL and names the first row that breaks it. Exit code 0 when the chain holds, 1 when
 * it is broken, 2 when the database cannot be read. It prints the head hash: written down somewhere
 * else (the monthly report to the head, a paper register), it later shows whether the whole chain
 * from some row on was rewritten.
 */
import { ConfigError, loadConfig } from "../config/config.js";
import { DatabaseError, openDatabase, redactUrl } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { verifyChain, type BrokenRow } from "../domain/audit/chain.js";

const PROBLEMS: Record<BrokenRow["problem"], string> = {
  changed: "its fields or hash were changed after it was written",
  missing_before: "the row before it is missing (seq gap)",
  slipped_in: "it was written outside the chain (no seq)",
  tail_missing: "rows at the end of the log were removed (the chain head names a later row)",
};

try {
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const { db, close } = await openDatabase(config.DATABASE_URL);
  try {
    const check = await verifyChain(db);
    console.log(`${redactUrl(config.DATABASE_URL)}: ${check.rows} audit rows verified, head seq ${check.head.seq} hash ${check.head.hash || "(empty)"}`);
    if (check.notYetChained > 0) console.log(`${check.notYetChained} rows from before the chain; the next audited action chains them.`);
    const b = check.firstBroken;
    if (b) {
      const where = b.problem === "tail_missing" ? `from seq ${b.seq} on` : `${b.id} (seq ${b.seq ?? "none"}, at ${b.at.toISOString()})`;
      console.error(`BROKEN: first broken row ${where}: ${PROBLEMS[b.problem]}.`);
      process.exitCode = 1;
    } else {
      console.log("OK: every row matches its hash and the one before it.");
    }
  } finally {
    await close();
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof DatabaseError) {
    console.error((e as Error).message);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
