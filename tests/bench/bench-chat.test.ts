/**
 * `npm run bench:chat` at a tiny scale, so it keeps working: both bots start in their own
 * processes, every simulated user completes the seven turns against each, the service joins each
 * turn's texts into one message, and the report names every goal. Figures are not checked here
 * (CI machines are shared and busy); the benchmark itself is for that.
 */
import { expect, it } from "vitest";
import { benchChat, report } from "../../scripts/bench-chat.js";

it("drives a few users through the service and the echo bot, and reports both", async () => {
  const postgresUrl = process.env.TEST_POSTGRES_URL;
  const result = await benchChat({ users: 3, think: null, runs: 1, echoPace: "telegram", warmupUsers: 1, loneUsers: 1, ...(postgresUrl ? { postgresUrl } : {}) });
  for (const bot of [result.echo, result.service]) {
    expect(bot.turns).toBe(3 * 7);
    expect(bot.messagesPerUser).toEqual([7, 7, 7]);
    expect(bot.p50).toBeGreaterThan(0);
    expect(bot.p99).toBeGreaterThanOrEqual(bot.p50);
    expect(bot.turnsPerSecond).toBeGreaterThan(0);
    expect(bot.loneMs).toBeGreaterThan(0);
    expect(bot.peakRssMb).toBeGreaterThan(10);
  }
  const lines = report(result).join("\n");
  expect(lines).toMatch(/lone user's multi-part reply within 100 ms: \d+ ms/);
  expect(lines).toMatch(/turns\/s at least 0\.8x the echo floor: \d+\.\d\dx/);
  expect(lines).toContain(postgresUrl ? "service on PostgreSQL" : "service on SQLite");
}, 240_000);
