/**
 * Long polling never tells Telegram an update is done before the app handled it: a process that dies
 * while handling gets the update again on its next start.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTelegramChannel } from "../../src/channels/telegram/index.js";
import type { Inbound } from "../../src/messaging/model.js";
import { createLogger } from "../../src/logging/logger.js";
import { FakeTelegramServer } from "../support/fake-telegram-server.js";

let tg: FakeTelegramServer;
beforeAll(async () => {
  tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
});
afterAll(async () => tg.close());

it("an update whose handling never finished (a crash) is delivered again after restart", async () => {
  const logger = createLogger({ level: "silent" });
  const crashed = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, mode: "polling", logger, pollTimeoutSeconds: 1 });
  let gotFirst!: () => void;
  const first = new Promise<void>((r) => (gotFirst = r));
  // This handler never resolves: the process "dies" while handling the message.
  await crashed.start(() => {
    gotFirst();
    return new Promise<void>(() => undefined);
  });
  const update = tg.pushUpdate(tg.textFrom(42, "jawaban penting"));
  await first;
  // Another person's message still goes through while the first one is stuck.
  const other = tg.pushUpdate(tg.textFrom(43, "halo"));
  await tg.waitFor(() => tg.getUpdatesCalls.length > 3, "polling continues");
  const confirmedPast = tg.getUpdatesCalls.some((c) => typeof c.offset === "number" && c.offset > update.update_id);
  expect(confirmedPast).toBe(false);
  void other;

  // The new process: the unfinished update arrives again, with the same id.
  const seen: Inbound[] = [];
  const restarted = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, mode: "polling", logger, pollTimeoutSeconds: 1 });
  let gotAgain!: () => void;
  const again = new Promise<void>((r) => (gotAgain = r));
  await restarted.start(async (m) => {
    seen.push(m);
    if (m.body.type === "text" && m.body.text === "jawaban penting") gotAgain();
  });
  await again;
  expect(seen.find((m) => m.body.type === "text" && m.body.text === "jawaban penting")?.messageId).toBe(String(update.update_id));
  await restarted.stop();
});
