/**
 * The whole service with one WhatsApp channel, as the WhatsApp tests start it: on a fresh test
 * database and data folder, quiet, the scheduler's own timers off (tests run the jobs on their
 * clock), WhatsApp's pace lifted (the pacer has its own tests):
 * - `startCloudService`: the Cloud API channel against the Graph API stand-in, its webhooks pointed
 *   at the service;
 * - `startBaileysService`: the Baileys channel on the channel tests' stand-in socket, connected.
 * `env` adds or overrides settings; `close` stops the service and removes what it made (the caller
 * closes its own Graph API stand-in).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { UserFacingSocketConfig } from "@whiskeysockets/baileys";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService, type ServiceOptions } from "../../src/service.js";
import type { Clock } from "../../src/shared/clock.js";
import { AutoClock, FakeSocket, type SentRecord } from "../fixtures/whatsapp/fake-socket.js";
import { createEmptyDatabase } from "./db.js";
import type { FakeGraphApi } from "./fake-graph-api.js";

const silent = createLogger({ level: "silent" });
const FAST: ServiceOptions["paceOverride"] = { whatsapp: { perChatPerSecond: 1000, globalPerSecond: 1000 } };

interface Started {
  service: RunningService;
  /** The test database's URL and the data folder (tests that look at what is kept at rest). */
  databaseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

async function start(prefix: string, env: Record<string, string>, options: ServiceOptions): Promise<Started> {
  const database = await createEmptyDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const config = loadConfig(
    { DATABASE_URL: database.url, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0", WEB_CHAT_ENABLED: "false", SCHEDULER_ENABLED: "false", LOG_LEVEL: "silent", ...env },
    "/nonexistent/.env",
  );
  const service = await startService(config, silent, { paceOverride: FAST, ...options });
  return {
    service,
    databaseUrl: database.url,
    dataDir,
    async close() {
      await service.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startCloudService(graph: FakeGraphApi, o: { clock?: Clock; env?: Record<string, string> } = {}): Promise<Started> {
  const started = await start(
    "plut-wa-cloud-",
    {
      WHATSAPP_CLOUD_TOKEN: graph.token,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: graph.appSecret,
      WHATSAPP_CLOUD_VERIFY_TOKEN: "verify-token-123",
      WHATSAPP_CLOUD_API_ROOT: graph.apiRoot,
      ...o.env,
    },
    o.clock ? { clock: o.clock } : {},
  );
  graph.webhookUrl = `${started.service.url}/webhooks/whatsapp`;
  return started;
}

export interface BaileysService extends Started {
  /** Every socket the channel made (a reconnect makes a new one); the last is the live one. */
  sockets: FakeSocket[];
  /** The channel's own clock (its send intervals and reconnect waits). */
  channelClock: AutoClock;
}

/** `sent` collects what the channel sent through its sockets. */
export async function startBaileysService(sent: SentRecord[], o: { clock?: Clock; env?: Record<string, string> } = {}): Promise<BaileysService> {
  const sockets: FakeSocket[] = [];
  const channelClock = new AutoClock();
  const started = await start("plut-wa-baileys-", { WHATSAPP_ENABLED: "true", ...o.env }, {
    ...(o.clock ? { clock: o.clock } : {}),
    listen: false,
    whatsapp: {
      clock: channelClock,
      sendIntervalMs: 1,
      perChatIntervalMs: 1,
      printQr: () => undefined,
      makeSocket: (cfg: UserFacingSocketConfig) => {
        const s = new FakeSocket(cfg, channelClock, sent);
        sockets.push(s);
        return s;
      },
    },
  });
  sockets.at(-1)!.connecting();
  sockets.at(-1)!.open();
  return { ...started, sockets, channelClock };
}
