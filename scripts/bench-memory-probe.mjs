/**
 * Loaded into the service by `npm run bench:memory` (node --import): answers a "memory" message on
 * the IPC channel with the process's heap figures, before and after a full collection. Nothing
 * else; the service itself knows nothing about it.
 */
import fs from "node:fs";

if (process.send) {
  process.channel?.unref();
  process.on("message", (m) => {
    if (m !== "memory") return;
    const before = process.memoryUsage();
    globalThis.gc?.();
    const after = process.memoryUsage();
    process.send?.({
      heapUsed: before.heapUsed,
      heapTotal: before.heapTotal,
      external: before.external,
      arrayBuffers: before.arrayBuffers,
      heapUsedAfterGc: after.heapUsed,
      rssAfterGc: Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024,
    });
  });
}
