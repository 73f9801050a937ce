import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, whatsappCloudEnabled, ZEnv } from "../../src/config/config.js";

const load = (env: Record<string, string>) => loadConfig(env, "/nonexistent/.env");

describe("configuration", () => {
  it("needs nothing to start: SQLite under ./data, port 3000, Bali time", () => {
    const c = load({});
    expect(c.database).toMatchObject({ provider: "sqlite" });
    expect(c.DATABASE_URL).toBe("file:./data/plut.db");
    expect(c.PORT).toBe(3000);
    expect(c.TZ).toBe("Asia/Makassar");
    expect(c.WHATSAPP_ENABLED).toBe(false);
    expect(c.publicUrl).toBe("http://127.0.0.1:3000");
  });

  it("a postgresql:// URL selects PostgreSQL", () => {
    expect(load({ DATABASE_URL: "postgresql://app@db:5432/plut" }).database.provider).toBe("postgresql");
  });

  it.each([
    ["PORT", "tiga ribu", /PORT/],
    ["TZ", "Bali/Gianyar", /TZ: an IANA time zone/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL: a SQLite URL/],
    ["WHATSAPP_ENABLED", "maybe", /WHATSAPP_ENABLED/],
    ["QUIET_HOURS_START", "9pm", /QUIET_HOURS_START: .*HH:MM/],
    ["OFFICE_CODE", "gianyar", /OFFICE_CODE/],
  ])("%s=%s stops the start with a message naming the variable", (name, value, message) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(message);
  });

  it("never echoes a secret back in an error", () => {
    try {
      load({ TELEGRAM_BOT_TOKEN: "not-a-token-but-secret" });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain("TELEGRAM_BOT_TOKEN");
      expect((e as Error).message).not.toContain("not-a-token-but-secret");
    }
  });

  it("a webhook URL needs its secret", () => {
    expect(() => load({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", TELEGRAM_WEBHOOK_URL: "https://x.example/tg" })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  describe("WhatsApp Cloud API", () => {
    const cloud = {
      WHATSAPP_CLOUD_TOKEN: "EAAGm0PX4ZCpsBAEXAMPLEtokenEXAMPLEtoken",
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: "106540352242922",
      WHATSAPP_CLOUD_APP_SECRET: "0123456789abcdef0123456789abcdef",
      WHATSAPP_CLOUD_VERIFY_TOKEN: "pilih-sendiri-123",
    };

    it("is off by default and on when the token and phone-number id are set, on Meta's pinned Graph API root", () => {
      expect(whatsappCloudEnabled(load({}))).toBe(false);
      const c = load(cloud);
      expect(whatsappCloudEnabled(c)).toBe(true);
      expect(c.WHATSAPP_CLOUD_API_ROOT).toBe("https://graph.facebook.com/v23.0");
      expect(load({ ...cloud, WHATSAPP_CLOUD_API_ROOT: "http://127.0.0.1:9999/v23.0" }).WHATSAPP_CLOUD_API_ROOT).toBe("http://127.0.0.1:9999/v23.0");
    });

    it("cannot be on beside the Baileys channel: the message names both settings and where to read", () => {
      try {
        load({ ...cloud, WHATSAPP_ENABLED: "true" });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        const msg = (e as Error).message;
        expect(msg).toMatch(/WHATSAPP_ENABLED/);
        expect(msg).toMatch(/WHATSAPP_CLOUD_\*/);
        expect(msg).toMatch(/cannot both be on; choose one/);
        expect(msg).toMatch(/README/);
      }
    });

    it("refuses half a setup: each missing setting named, no secret echoed", () => {
      const { WHATSAPP_CLOUD_APP_SECRET: _s, WHATSAPP_CLOUD_VERIFY_TOKEN: _v, ...half } = cloud;
      expect(() => load(half)).toThrow(/WHATSAPP_CLOUD_APP_SECRET: required[\s\S]*WHATSAPP_CLOUD_VERIFY_TOKEN: required/);
      expect(() => load({ WHATSAPP_CLOUD_TOKEN: cloud.WHATSAPP_CLOUD_TOKEN })).toThrow(/WHATSAPP_CLOUD_PHONE_NUMBER_ID: required/);
      try {
        load({ ...cloud, WHATSAPP_CLOUD_PHONE_NUMBER_ID: "+62 361 123" });
        expect.unreachable();
      } catch (e) {
        expect((e as Error).message).toMatch(/WHATSAPP_CLOUD_PHONE_NUMBER_ID: the numeric phone-number id/);
      }
      try {
        load({ ...cloud, WHATSAPP_CLOUD_TOKEN: "short secret" });
        expect.unreachable();
      } catch (e) {
        expect((e as Error).message).toContain("WHATSAPP_CLOUD_TOKEN");
        expect((e as Error).message).not.toContain("short secret");
      }
    });
  });

  it("production refuses to start without an encryption key", () => {
    expect(() => load({ NODE_ENV: "production" })).toThrow(/ENCRYPTION_KEY/);
  });

  it(".env.example lists every setting of the schema, and README's table documents each", async () => {
    const fs = await import("node:fs");
    const example = fs.readFileSync(".env.example", "utf8");
    const readme = fs.readFileSync("README.md", "utf8");
    for (const key of Object.keys(ZEnv.shape)) {
      expect(example, `.env.example lacks ${key}`).toMatch(new RegExp(`^#? ?${key}=`, "m"));
      expect(readme, `README lacks ${key}`).toContain(`\`${key}\``);
    }
  });
});
