// `digits worker`: trains the fold jobs a `digits select --queue` puts on Redis, until stopped.
// Parse, call lib/selection/queue/worker, print; the first SIGINT/SIGTERM stops after the fold in
// progress, a second one stops at once (BullMQ gives that fold to another queue worker). Started
// through npm (npx), it also stops when npm is gone, however it ended (lib/selection/queue/parent).
import { defaultThreads } from "../lib/core/pool";
import { InputError } from "../lib/core/errors";
import { memoryLimits } from "../lib/model/memory";
import { startedByNpm, watchParent } from "../lib/selection/queue/parent";
import { visible } from "../lib/core/format";
import { err, type Command } from "./common";

export const workerCommand: Command = {
  summary: "train fold jobs from a selection's queue (digits select --queue) until stopped",
  usage: `Usage: digits worker --queue redis://HOST:PORT|env [--concurrency N] [--quiet]

Takes the fold jobs that \`digits select --queue URL\` puts on Redis (BullMQ), trains each with
this installation's kernels and returns the result; any number of workers on any machines with
the project installed and built. A job queued by a coordinator with other kernels (another
version of the code) is refused and left for another worker. Ctrl-C (SIGINT) or SIGTERM stops
after the fold in progress; a second one stops at once (that fold goes to another worker).
Started through npx or npm, the worker also stops (after its fold) within seconds when npm is
gone, however it ended (SIGTERM, SIGHUP, SIGKILL).

Options:
  --queue URL         redis://[:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS); --queue env takes
                      it from DIGITS_QUEUE_URL, which keeps a password out of the command line
                      (where \`ps\` shows it to every local user)
  --concurrency N     folds trained at once, one thread each (default 1); at most one per core
                      (this machine has ${defaultThreads()}) and one per 512 MiB of memory: more is
                      capped, with a line saying so
  --quiet             print only the final count, not a line per fold
  -h, --help          show this help

Environment (for tests): DIGITS_WORKER_KERNELS=HEX pretends this worker's kernels have that
sha256; DIGITS_WORKER_LOCK_MS=N how long (ms) a silent worker keeps its fold (default 30000);
DIGITS_QUEUE_RESULT_TTL_SECONDS=N how long a finished job stays in Redis (default 86400).`,
  options: { queue: { type: "string" }, concurrency: { type: "string" }, quiet: { type: "boolean" } },
  async run(flags) {
    const flag = flags.queue;
    if (typeof flag !== "string" || flag.trim() === "") throw new InputError("worker: --queue redis://HOST:PORT (or --queue env, with the URL in DIGITS_QUEUE_URL) is required (the URL given to digits select --queue)");
    const text = typeof flags.concurrency === "string" ? flags.concurrency.trim() : "1";
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new InputError(`--concurrency "${flags.concurrency}": expected a whole number ≥ 1`);
    const quiet = flags.quiet === true;
    // Loaded here: BullMQ and ioredis are only needed by this command.
    const { queueWorkerEnvironment } = require("../lib/selection/queue/jobs") as typeof import("../lib/selection/queue/jobs");
    const { concurrencyLimit, runQueueWorker } = require("../lib/selection/queue/worker") as typeof import("../lib/selection/queue/worker");
    const url = (require("../lib/selection/queue/redis") as typeof import("../lib/selection/queue/redis")).queueUrl(flag);
    const environment = queueWorkerEnvironment();
    const { threads, reason } = concurrencyLimit(Number(text), { cores: defaultThreads(), memoryBytes: memoryLimits().machineBytes });
    if (reason) err(reason);

    const stop = new AbortController();
    const onSignal = () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const unwatch = startedByNpm()
      ? watchParent((pid) => {
          err(`worker: npm, which started it, is gone (pid ${pid}, npm or its shell): stopping after the fold in progress`);
          stop.abort();
        })
      : () => undefined;
    try {
      const summary = await runQueueWorker({ url, concurrency: threads, signal: stop.signal, log: quiet ? undefined : (line) => err(visible(line)), ...environment });
      err(`worker stopped: trained ${summary.trained} fold${summary.trained === 1 ? "" : "s"}, refused ${summary.refused}, failed ${summary.failed}`);
    } finally {
      unwatch();
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
  },
};
