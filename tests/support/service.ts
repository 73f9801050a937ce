/** The whole service on a fresh database, driven through a TestChannel, on a fixed clock. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { createEmptyDatabase } from "./db.js";
import { TestChannel } from "./test-channel.js";

export interface TestService {
  service: RunningService;
  channel: TestChannel;
  clock: FixedClock;
  dataDir: string;
  /** Send everything the outbox holds (what the sender loop does in production). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestService(opts: { start?: string; env?: Record<string, string> } = {}): Promise<TestService> {
  const db = await createEmptyDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-svc-"));
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent", ...opts.env },
    "/nonexistent/.env",
  );
  const clock = new FixedClock(opts.start ?? "2026-11-23T01:00:00.000Z"); // Monday 09:00 WITA
  const channel = new TestChannel();
  const service = await startService(config, createLogger({ level: process.env.TEST_LOG ?? "silent" }), { clock, channels: [channel], listen: false });
  return {
    service,
    channel,
    clock,
    dataDir,
    async flush() {
      for (let i = 0; i < 20; i++) {
        const r = await service.sender.drainOnce();
        if (r.claimed === 0) return;
      }
    },
    async close() {
      await service.stop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
