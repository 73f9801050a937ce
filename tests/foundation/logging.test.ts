import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, scrub } from "../../src/logging/logger.js";

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
});
