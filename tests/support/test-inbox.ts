/** An inbox on a test database with the desks a test gives, a fixed clock and no logging. */
import type { DatabaseHandle } from "../../src/db/client.js";
import { Inbox } from "../../src/conversation/inbox.js";
import type { Desk } from "../../src/desks/desk.js";
import type { Texts } from "../../src/i18n/index.js";
import { createLogger } from "../../src/logging/logger.js";
import { FixedClock } from "../../src/shared/clock.js";
import { FileStore } from "../../src/storage/file-store.js";

export function testInbox(database: Pick<DatabaseHandle, "db" | "provider" | "sqlite">, desks: Desk[], o: { texts?: Texts; files?: string } = {}): Inbox {
  return new Inbox({
    db: database.db,
    provider: database.provider,
    ...(database.sqlite ? { sqlite: database.sqlite } : {}),
    clock: new FixedClock("2026-11-23T01:00:00Z"),
    logger: createLogger({ level: "silent" }),
    files: new FileStore(o.files ?? "/tmp/plut-inbox-test", Buffer.alloc(32, 1)),
    texts: () => o.texts ?? { id: {}, en: {} },
    desks,
    maxUploadBytes: 1_000_000,
  });
}
