import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, registerSecrets, scrub } from "../../src/logging/logger.js";

function capture() {
  const lines: string[] = [];
  const dest = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { logger: createLogger({ level: "debug", destination: dest }), lines };
}

describe("logs carry no personal data", () => {
  it("masks NIK, phone numbers, WhatsApp ids and bot tokens inside free text", () => {
    const s = scrub("nik 5104014508900001 hp 081234567890 / +62 812-3456-7890 jid 6281234567890@s.whatsapp.net token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_x");
    expect(s).not.toMatch(/5104014508900001|081234567890|812-3456-7890|6281234567890|AAHdqTcv/);
  });

  it("redacts sensitive fields by name and scrubs messages and errors", () => {
    const { logger, lines } = capture();
    logger.info({ nik: "5104014508900001", phone: "081234567890", caseId: "c1", nested: { text: "saya butuh modal" } }, "got 081234567890");
    logger.error({ err: new Error("send to 6281234567890@s.whatsapp.net failed") }, "send failed");
    const out = lines.join("");
    expect(out).toContain("c1");
    expect(out).not.toMatch(/5104014508900001|081234567890|6281234567890|saya butuh modal/);
  });

  it("masks the WhatsApp Cloud API token, app secret, verify token and request signatures", () => {
    const appSecret = "9f86d081884c7d659a2feaa0c55ad015";
    const verify = "pilih-sendiri-123";
    registerSecrets(appSecret, verify);
    const lines: string[] = [];
    const dest = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = createLogger({ level: "debug", destination: dest });
    const token = "EAAGm0PX4ZCpsBAKZAZBexampleTOKENvalue1234567890abcdef";
    logger.warn({ err: new Error(`GET https://graph.facebook.com/v23.0/123?access_token=${token} failed`), detail: `secret ${appSecret}` }, `handshake /webhooks/whatsapp?hub.verify_token=${verify}&hub.challenge=1`);
    logger.info({ header: `sha256=${"ab".repeat(32)}` }, "signature checked");
    const out = lines.join("");
    expect(out).not.toContain(token);
    expect(out).not.toContain("EAAGm0PX4ZCps");
    expect(out).not.toContain(appSecret);
    expect(out).not.toContain(verify);
    expect(out).not.toContain("ab".repeat(32));
    expect(out).toContain("hub.challenge=1");
  });
});
