// Queue worker: what `digits worker` runs on each machine. Takes fold jobs from the BullMQ queue
// (lib/queue), trains each with lib/selection's FoldRun (the code a local run uses, so the
// numbers are the same), publishes every epoch's loss, and returns the result. A job made for
// other kernels is put back for another worker, never trained here. The training data comes from
// Redis once per fingerprint and is checked against it.
//
// Concurrency N runs N worker threads, each with its own BullMQ worker and connections: a fold is
// CPU-bound, so one thread trains one fold at a time.
import { Worker as Thread } from "node:worker_threads";
import { threadEntry } from "../../core/thread-entry";
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import IORedis from "ioredis";
import type { Dataset } from "../../data/dataset";
import { engineInfo } from "../../model/engine";
import { foldKey } from "../fold-cache";
import {
  checkRedis,
  dataKey,
  decodeDataset,
  describeJob,
  displayUrl,
  encodeResult,
  parseRedisUrl,
  QUEUE_NAME,
  QUEUE_PREFIX,
  workerName,
  type FoldJobData,
  type FoldJobProgress,
} from "./coordinator";
import { FoldRun, type FoldSettings } from "../fold-run";
import { stratifiedKFold, type Fold } from "../../data/split";

export interface QueueWorkerOptions {
  /** redis://[:PASSWORD@]HOST:PORT[/DB]. */
  url: string;
  /** Folds trained at once (worker threads); default 1. */
  concurrency?: number;
  /** One line per fold started, finished, refused; and connection trouble. */
  log?: (line: string) => void;
  /** Aborting stops taking jobs; the promise resolves once the folds in progress are finished. */
  signal?: AbortSignal;
  /**
   * The kernels hash this worker claims (default: engineInfo().kernelsSha256). Only for tests,
   * which simulate a worker built from other code (`DIGITS_WORKER_KERNELS`).
   */
  kernels?: string;
  /**
   * How long a job's lock lasts without renewal (ms, default 30000): a worker gone for this long
   * has its fold given to another. Tests shorten it (`DIGITS_WORKER_LOCK_MS`).
   */
  lockMs?: number;
  /** Set inside a worker thread: its number, for the worker's name. */
  thread?: number;
}

export interface QueueWorkerSummary {
  trained: number;
  refused: number;
  failed: number;
}

/** How long a refused job waits before a worker may take it again. */
const REFUSED_DELAY_MS = 1000;

/** Datasets by fingerprint, with their folds: the last two used (a run rarely uses more). */
class DataCache {
  private readonly entries = new Map<string, { dataset: Dataset; folds: Map<string, Fold[]> }>();

  constructor(private readonly client: IORedis) {}

  async get(fingerprint: string): Promise<{ dataset: Dataset; folds: Map<string, Fold[]> }> {
    const hit = this.entries.get(fingerprint);
    if (hit) return hit;
    const bytes = await this.client.getBuffer(dataKey(fingerprint));
    if (!bytes) throw new UnrecoverableError(`the training data ${fingerprint} is not in Redis (expired or deleted); rerun the selection to store it again`);
    let dataset: Dataset;
    try {
      dataset = decodeDataset(bytes, fingerprint);
    } catch (error) {
      throw new UnrecoverableError((error as Error).message);
    }
    const entry = { dataset, folds: new Map<string, Fold[]>() };
    this.entries.set(fingerprint, entry);
    if (this.entries.size > 2) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

/** One BullMQ worker in this thread, training one fold at a time until the signal. */
export async function runWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  const log = options.log ?? (() => undefined);
  const url = displayUrl(options.url);
  const kernels = options.kernels ?? engineInfo().kernelsSha256;
  const name = workerName(options.thread ?? 0);
  const lockMs = options.lockMs ?? 30000;
  const connection = parseRedisUrl(options.url);
  const summary: QueueWorkerSummary = { trained: 0, refused: 0, failed: 0 };
  if (options.signal?.aborted) return summary;

  const client = new IORedis({ ...connection, maxRetriesPerRequest: null });
  const data = new DataCache(client);
  const refused = new Set<string>();
  let down = false;
  const onError = (error: Error) => {
    // Logged once per outage; ioredis keeps reconnecting, and BullMQ resumes when it is back.
    if (!down) log(`${name}: Redis at ${url} is unreachable (${error.message}); retrying`);
    down = true;
  };
  client.on("error", onError);
  client.on("ready", () => {
    if (down) log(`${name}: Redis at ${url} is back`);
    down = false;
  });

  const processJob = async (job: Job<FoldJobData, string>, token?: string): Promise<string> => {
    const { inputs, candidate } = job.data;
    const what = describeJob(candidate.name, inputs.fold, inputs.folds);
    if (foldKey(inputs) !== job.id) throw new UnrecoverableError(`job ${job.id} does not match its inputs (key ${foldKey(inputs)}): not made by this version of digits`);
    if (inputs.kernels !== kernels) {
      summary.refused++;
      if (!refused.has(job.id!)) {
        refused.add(job.id!);
        log(`${name}: refused ${what}: it was queued for kernels sha256 ${inputs.kernels.slice(0, 12)}…, this worker has ${kernels.slice(0, 12)}… (rebuild it at the coordinator's version)`);
      }
      const progress: FoldJobProgress = { refused: { worker: name, kernels } };
      await job.updateProgress(progress);
      // Back to the queue for a worker with the same kernels; not a failure, not an attempt.
      await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
      throw new DelayedError();
    }
    const entry = await data.get(inputs.data);
    const settings: FoldSettings = { folds: inputs.folds, epochs: inputs.epochs, batchSize: inputs.batchSize, seed: inputs.seed, threshold: inputs.threshold };
    const foldsKey = `${inputs.folds}/${inputs.seed}`;
    let folds = entry.folds.get(foldsKey);
    if (!folds) {
      folds = stratifiedKFold(entry.dataset.labels, inputs.folds, inputs.seed);
      entry.folds.set(foldsKey, folds);
    }
    log(`${name}: training ${what}`);
    const run = new FoldRun(entry.dataset, folds, { id: 0, candidate, fold: inputs.fold }, settings);
    let epoch = 0;
    while (!run.done) {
      const { loss, seconds } = run.step();
      const progress: FoldJobProgress = { epoch: ++epoch, loss, seconds };
      // Also lets the lock renewal and a stop request through between epochs.
      await job.updateProgress(progress);
    }
    const result = run.result();
    summary.trained++;
    log(`${name}: finished ${what}: validation log loss ${result.logLoss.toFixed(4)} (${result.seconds.toFixed(1)} s)`);
    return encodeResult({ result, worker: name });
  };

  const worker = new Worker<FoldJobData, string>(QUEUE_NAME, processJob, {
    connection,
    prefix: QUEUE_PREFIX,
    concurrency: 1,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    maxStalledCount: 1,
    autorun: false,
  });
  worker.on("error", onError);
  worker.on("failed", (job, error) => {
    if (!job || error instanceof DelayedError || error.name === "DelayedError") return;
    summary.failed++;
    log(`${name}: ${describeJob(job.data.candidate.name, job.data.inputs.fold, job.data.inputs.folds)} failed: ${error.message}`);
  });

  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      log(`${name}: stopping after the fold in progress`);
      // close() waits for the job in progress to finish and be returned.
      worker.close().then(resolve, resolve);
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop, { once: true });
  });
  log(`${name}: waiting for fold jobs on ${url} (kernels sha256 ${kernels.slice(0, 12)}…)`);
  void worker.run().catch(onError);
  await stopped;
  client.disconnect();
  return summary;
}

/**
 * Runs `concurrency` workers (threads when more than one) until the signal, then waits for the
 * folds in progress. Redis is checked first: unreachable is an InputError naming the URL.
 */
export async function runWorkers(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  await checkRedis(options.url);
  const concurrency = options.concurrency ?? 1;
  if (concurrency === 1) return runWorker(options);
  const { entry, eval: isEval } = threadEntry("selection/queue/worker-thread");
  const totals: QueueWorkerSummary = { trained: 0, refused: 0, failed: 0 };
  const { signal, log, ...shared } = options;
  await Promise.all(
    Array.from({ length: concurrency }, (_, i) =>
      new Promise<void>((resolve, reject) => {
        const thread = new Thread(entry, { eval: isEval, workerData: { ...shared, thread: i + 1 } });
        const stop = () => thread.postMessage("stop");
        if (signal?.aborted) stop();
        else signal?.addEventListener("abort", stop, { once: true });
        thread.on("message", (message: { log?: string; summary?: QueueWorkerSummary }) => {
          if (message.log !== undefined) log?.(message.log);
          if (message.summary) for (const k of ["trained", "refused", "failed"] as const) totals[k] += message.summary[k];
        });
        thread.on("error", reject);
        thread.on("exit", () => {
          signal?.removeEventListener("abort", stop);
          resolve();
        });
      }),
    ),
  );
  return totals;
}
