/**
 * PostgreSQL's side of `npm run backup` / `npm run restore` (src/cli/backup-archive.ts): pg_dump and
 * pg_restore, the tools made for it (a dump is one consistent snapshot while the service runs).
 */
import { spawn } from "node:child_process";
import pg from "pg";

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", (e) => reject(new Error(`${cmd} could not be started (${e.message}); install the PostgreSQL client tools (apt-get install postgresql-client)`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (exit ${code}): ${err.trim().slice(0, 500)}`))));
  });
}

/** The URL without credentials on the command line: the password goes through PGPASSWORD. */
function split(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** pg_dump in its custom format (compressed; pg_restore reads it). */
export async function dumpPostgres(url: string, dest: string): Promise<void> {
  const s = split(url);
  await run("pg_dump", ["--format=custom", "--no-owner", "--no-acl", "--file", dest, "--dbname", s.url], s.env);
}

/** Tables of the application schema (not the migration history) that hold a row. */
export async function postgresTablesWithRows(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%'`);
    const out: string[] = [];
    for (const t of tables.rows) {
      const r = await c.query(`SELECT 1 FROM "${t.name.replace(/"/g, '""')}" LIMIT 1`);
      if (r.rowCount) out.push(t.name);
    }
    return out;
  } finally {
    await c.end();
  }
}

/**
 * Loads the dump in one transaction: what the dump holds is dropped first (--clean), so a failed
 * restore leaves the database as it was. The service is stopped.
 */
export async function restorePostgres(url: string, dump: string): Promise<void> {
  const s = split(url);
  await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--dbname", s.url, dump], s.env);
}
