/**
 * The sending process of `npm run bench:broadcast` (forked by scripts/bench-broadcast-run.ts, so the
 * bench can kill it with -9 part-way and start another): argv[2] is its SendingOptions as JSON.
 */
import { runSending, type SendingOptions } from "./bench-broadcast-run.js";

const options = JSON.parse(process.argv[2] ?? "{}") as SendingOptions;
const result = await runSending(options);
if (process.send) process.send({ done: result }, () => process.exit(0));
else process.exit(0);
