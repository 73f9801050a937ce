/**
 * Starting with the WhatsApp Cloud API channel: the log names the kinds of message without a
 * template, a broken templates file stops the start before the database is touched, and the
 * credentials never reach the log.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService } from "../../src/service.js";
import { TemplatesFileError } from "../../src/channels/whatsapp-cloud/templates.js";
import { TEMPLATE_KINDS } from "../../src/messaging/kinds.js";
import { createEmptyDatabase } from "../support/db.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CLOUD = {
  WHATSAPP_CLOUD_TOKEN: "EAAGm0PX4ZCpsBAstartupTOKEN1234567890",
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: "106540352242922",
  WHATSAPP_CLOUD_APP_SECRET: "5f4dcc3b5aa765d61d8327deb882cf99",
  WHATSAPP_CLOUD_VERIFY_TOKEN: "verify-token-startup",
  // Nothing is sent at start-up: the root is never called.
  WHATSAPP_CLOUD_API_ROOT: "http://127.0.0.1:9/v23.0",
};

/** A copy of conversations/ whose templates file is `templates` (null: none). */
function conversationsWith(templates: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-conv-"));
  fs.cpSync("conversations", dir, { recursive: true });
  const file = path.join(dir, "whatsapp-templates.yaml");
  if (templates === null) fs.rmSync(file);
  else fs.writeFileSync(file, templates);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(conversationsDir: string) {
  const db = await createEmptyDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-start-"));
  cleanups.push(async () => {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", WEB_CHAT_ENABLED: "false", SCHEDULER_ENABLED: "false", CONVERSATIONS_DIR: conversationsDir, ...CLOUD }, "/nonexistent");
  const lines: string[] = [];
  const logger = createLogger({ level: "info", destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }), secrets: [CLOUD.WHATSAPP_CLOUD_TOKEN, CLOUD.WHATSAPP_CLOUD_APP_SECRET, CLOUD.WHATSAPP_CLOUD_VERIFY_TOKEN] });
  return { run: () => startService(config, logger, { listen: false }), lines, dbUrl: db.url };
}

describe("starting with the WhatsApp Cloud API channel", () => {
  it("says which kinds of message have no template", async () => {
    const file = fs.readFileSync("conversations/whatsapp-templates.yaml", "utf8");
    const removed = /\n {2}action_item_due:[\s\S]*?(?=\n {2}notification:)/.exec(file)![0];
    const only = file.replace(removed, "\n");
    // The kinds whose templates were cut out of the file, whatever kinds the office has by now.
    const cut = [...removed.matchAll(/^ {2}([a-z_]+):$/gm)].map((m) => m[1]!);
    const s = await start(conversationsWith(only));
    const service = await s.run();
    cleanups.push(() => service.stop());
    const warn = s.lines.map((l) => JSON.parse(l) as { level: number; msg: string; kinds?: string[]; fallback?: string }).find((l) => /have no template/.test(l.msg));
    expect(warn?.level).toBe(40);
    expect(cut.length).toBeGreaterThan(5);
    expect([...(warn?.kinds ?? [])].sort()).toEqual([...cut].sort());
    expect(warn?.fallback).toBe("notification");
    expect(service.channels.get("whatsapp")).toBeDefined();
    const out = s.lines.join("");
    for (const secret of [CLOUD.WHATSAPP_CLOUD_TOKEN, CLOUD.WHATSAPP_CLOUD_APP_SECRET, CLOUD.WHATSAPP_CLOUD_VERIFY_TOKEN]) expect(out).not.toContain(secret);
  });

  it("says every kind is without a template when the file is missing, and still starts", async () => {
    const s = await start(conversationsWith(null));
    const service = await s.run();
    cleanups.push(() => service.stop());
    const warn = s.lines.map((l) => JSON.parse(l) as { msg: string; kinds?: string[]; fallback?: string }).find((l) => /have no template/.test(l.msg));
    expect(warn?.kinds).toEqual([...TEMPLATE_KINDS]);
    expect(warn?.fallback).toBe("none");
  });

  it("refuses to start on a broken templates file, naming the problem, before the database is touched", async () => {
    const broken = fs.readFileSync("conversations/whatsapp-templates.yaml", "utf8").replace("body: [name, regNumber, date]", "body: [name, regNumber, phone]");
    const s = await start(conversationsWith(broken));
    await expect(s.run()).rejects.toThrow(TemplatesFileError);
    await expect(s.run()).rejects.toThrow(/unknown_param.*"phone" is not a value of monitoring_checkin/);
    if (s.dbUrl.startsWith("file:")) expect(fs.existsSync(s.dbUrl.slice("file:".length))).toBe(false);
  });
});
