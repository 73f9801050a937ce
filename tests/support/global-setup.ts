/** Before any test file: in a PostgreSQL run the server must be there (a failure, never a skip). */
import pg from "pg";

export default async function setup(): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) return;
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.query("SELECT 1");
  } catch (e) {
    throw new Error(`TEST_POSTGRES_URL is set but PostgreSQL is not reachable: ${(e as Error).message}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}
