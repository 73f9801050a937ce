/**
 * The bot side of `npm run bench:chat` (scripts/bench-chat.ts), one process per bot so that each
 * one's memory and CPU are its own: BENCH_BOT=service runs the whole service (production settings:
 * real pacing, the scheduler and the sender loop on) with the Telegram channel against the
 * loopback Bot API; BENCH_BOT=echo runs a trivial grammY echo bot (@grammyjs/runner, one chat's
 * updates in order) against the same API. It tells the parent "ready", and on "stop" answers with
 * its peak RSS and CPU time, then exits.
 *
 * The echo bot keeps Telegram's pace as well (BENCH_ECHO_PACE=telegram, the default: 30 messages a
 * second overall, about one a second per chat after a burst of three), through the same pacer the
 * service's sender uses: the real Bot API answers a bot that goes faster with 429s, so an unpaced
 * echo is no floor a correct bot can reach. BENCH_ECHO_PACE=none shows the raw grammY figures.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const env = z
  .object({
    BENCH_BOT: z.enum(["service", "echo"]),
    BENCH_API_ROOT: z.url(),
    BENCH_TOKEN: z.string().min(1),
    BENCH_ECHO_PACE: z.enum(["telegram", "none"]).default("telegram"),
    DATABASE_URL: z.string().optional(),
  })
  .parse(process.env);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

// Each bot loads only its own modules (the echo's memory is grammY's, not the service's).
async function startEcho(): Promise<() => Promise<void>> {
  const { sequentialize, run } = await import("@grammyjs/runner");
  const { Bot } = await import("grammy");
  const { ChannelPacer } = await import("../src/outbox/rate-limit.js");
  const { systemClock } = await import("../src/shared/clock.js");
  const bot = new Bot(env.BENCH_TOKEN, { client: { apiRoot: env.BENCH_API_ROOT } });
  if (env.BENCH_ECHO_PACE === "telegram") {
    const pacer = new ChannelPacer({ perChatPerSecond: 1, globalPerSecond: 30 }, systemClock);
    bot.api.config.use((prev, method, payload, signal) => {
      if (method !== "sendMessage") return prev(method, payload, signal);
      const chat = String((payload as { chat_id: number | string }).chat_id);
      return pacer.take(chat, "live", undefined, () => prev(method, payload, signal)) as ReturnType<typeof prev>;
    });
  }
  // A failed reply is reported (the user then waits in vain, and the run says whose reply never came).
  bot.catch((err) => console.error(`echo bot: update ${err.ctx.update.update_id} failed: ${String(err.error)}`));
  bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? "")));
  bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  bot.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.callbackQuery.data);
  });
  await bot.init();
  const runner = run(bot, { runner: { fetch: { timeout: 30 } } });
  return async () => {
    if (runner.isRunning()) await runner.stop();
  };
}

async function startTheService(): Promise<() => Promise<void>> {
  const { loadConfig } = await import("../src/config/config.js");
  const { createLogger } = await import("../src/logging/logger.js");
  const { startService } = await import("../src/service.js");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-benchchat-"));
  const config = loadConfig(
    {
      DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, "bench.db")}`,
      DATA_DIR: dataDir,
      PORT: "0",
      TELEGRAM_BOT_TOKEN: env.BENCH_TOKEN,
      TELEGRAM_API_ROOT: env.BENCH_API_ROOT,
      WEB_CHAT_ENABLED: "false",
      LOG_LEVEL: "silent",
    },
    "/nonexistent/.env",
  );
  const service = await startService(config, createLogger({ level: "silent" }), { listen: false });
  return async () => {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

const cpu0 = process.cpuUsage();
const stop = env.BENCH_BOT === "echo" ? await startEcho() : await startTheService();
const ZParentMessage = z.literal("stop");
process.on("message", (m) => {
  ZParentMessage.parse(m);
  const cpu = process.cpuUsage(cpu0);
  const figures = { peakRssBytes: peakRss, cpuMs: (cpu.user + cpu.system) / 1000 };
  void stop().finally(() => {
    clearInterval(sampler);
    process.send!({ stopped: figures }, () => process.exit(0));
  });
});
process.send!({ ready: true });
