// `digits worker`: trains the fold jobs a `digits select --queue` puts on Redis, until stopped.
// Parse, call lib/queue-worker, print; the first SIGINT/SIGTERM stops after the fold in
// progress, a second one stops at once (BullMQ gives that fold to another worker).
import { defaultThreads } from "../lib/core/pool";
import { InputError } from "../lib/core/errors";
import type { Command } from "./common";

const err = (line = "") => process.stderr.write(line + "\n");

/** A positive whole number from the environment (test settings), or undefined. */
function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InputError(`${name}="${v}": expected a whole number ≥ 1`);
  return Number(v);
}

export const workerCommand: Command = {
  summary: "train fold jobs from a selection's queue (digits select --queue) until stopped",
  usage: `Usage: digits worker --queue redis://HOST:PORT [--concurrency N] [--quiet]

Takes the fold jobs that \`digits select --queue URL\` puts on Redis (BullMQ), trains each with
this installation's kernels and returns the result; any number of workers on any machines with
the project installed and built. A job queued by a coordinator with other kernels (another
version of the code) is refused and left for another worker. Ctrl-C (SIGINT) or SIGTERM stops
after the fold in progress; a second one stops at once (that fold goes to another worker).

Options:
  --queue URL         redis://[:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS)
  --concurrency N     folds trained at once, one worker thread each (default 1; this machine
                      has ${defaultThreads()} cores)
  --quiet             print only the final count, not a line per fold
  -h, --help          show this help

Environment (for tests): DIGITS_WORKER_KERNELS=HEX pretends this worker's kernels have that
sha256; DIGITS_WORKER_LOCK_MS=N how long (ms) a silent worker keeps its fold (default 30000).`,
  options: { queue: { type: "string" }, concurrency: { type: "string" }, quiet: { type: "boolean" } },
  async run(flags) {
    const url = flags.queue;
    if (typeof url !== "string" || url.trim() === "") throw new InputError("worker: --queue redis://HOST:PORT is required (the URL given to digits select --queue)");
    const text = typeof flags.concurrency === "string" ? flags.concurrency.trim() : "1";
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new InputError(`--concurrency "${flags.concurrency}": expected a whole number ≥ 1`);
    const quiet = flags.quiet === true;

    const stop = new AbortController();
    const onSignal = () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      // Loaded here: BullMQ is only needed by this command.
      const { runWorkers } = await import("../lib/selection/queue/worker");
      const summary = await runWorkers({
        url,
        concurrency: Number(text),
        signal: stop.signal,
        log: quiet ? undefined : err,
        kernels: process.env.DIGITS_WORKER_KERNELS || undefined,
        lockMs: envNumber("DIGITS_WORKER_LOCK_MS"),
      });
      err(`worker stopped: trained ${summary.trained} fold${summary.trained === 1 ? "" : "s"}, refused ${summary.refused}, failed ${summary.failed}`);
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
  },
};
