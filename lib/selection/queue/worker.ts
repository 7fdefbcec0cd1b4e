// Queue worker: what `digits worker` runs on each machine. Takes fold jobs from the BullMQ queue
// (./coordinator puts them there), trains each with ../fold-run's FoldRun (the code a local run
// uses, so the numbers are the same), publishes every epoch's loss, and returns the result with
// its checksum (./jobs storeResult). A job made for other kernels is put back for another queue
// worker, never trained here. The training data comes from Redis once per fingerprint and is
// checked against it. Finished jobs are given the result TTL, so they expire as documented.
//
// --concurrency N runs N threads on the one pool (../../core/pool), each with its own BullMQ
// worker and connections: a fold is CPU-bound, so one thread trains one fold at a time.
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import IORedis from "ioredis";
import { type Dataset } from "../../data/dataset";
import { stratifiedKFold, type Fold } from "../../data/split";
import { engineInfo } from "../../model/engine";
import { runPool } from "../../core/pool";
// Where cli/worker.ts and the tests find them; select caps its threads with the same function.
export { concurrencyLimit, THREAD_BYTES } from "../../core/pool";
import { foldKey } from "../fold-key";
import { repeatSeed } from "../config";
import { FoldRun, type FoldSettings } from "../fold-run";
import { describeJob, RESULT_TTL_SECONDS, storeResult, workerName, decodeDataset, type FoldJobData, type FoldJobProgress } from "./jobs";
import { checkRedis, dataKey, displayUrl, jobKey, parseRedisUrl, QUEUE_NAME, QUEUE_PREFIX } from "./redis";
import { formatDuration } from "../../core/format";

export interface QueueWorkerOptions {
  /** redis://[:PASSWORD@]HOST:PORT[/DB]. */
  url: string;
  /** Folds trained at once (threads); default 1. See concurrencyLimit for what a machine allows. */
  concurrency?: number;
  /** One line per fold started, finished, refused; and connection trouble. */
  log?: (line: string) => void;
  /** Aborting stops taking jobs; the promise resolves once the folds in progress are finished. */
  signal?: AbortSignal;
  /**
   * The kernels hash this queue worker claims (default: engineInfo().kernelsSha256). Only for
   * tests, which simulate a queue worker built from other code (`DIGITS_WORKER_KERNELS`).
   */
  kernels?: string;
  /**
   * How long a job's lock lasts without renewal (ms, default 30000): a queue worker gone for this
   * long has its fold given to another. Tests shorten it (`DIGITS_WORKER_LOCK_MS`).
   */
  lockMs?: number;
  /** How long a finished job stays in Redis (default RESULT_TTL_SECONDS, a day). */
  resultTtlSeconds?: number;
}

export interface QueueWorkerSummary {
  trained: number;
  refused: number;
  failed: number;
}

/** What one thread takes: the options that can cross to a thread, and its number (for its name). */
export type ThreadOptions = Omit<QueueWorkerOptions, "log" | "signal" | "concurrency"> & { thread?: number };

/** How long a refused job waits before a queue worker may take it again. */
const REFUSED_DELAY_MS = 1000;

/**
 * What `digits worker` runs: the queue worker here (concurrency 1) or `concurrency` threads on the
 * pool, until the signal, then waits for the folds in progress. Redis is checked first:
 * unreachable is an InputError naming the URL.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  await checkRedis(options.url);
  const { signal, log, concurrency = 1, ...shared } = options;
  if (concurrency === 1) return takeFoldJobs({ ...shared, log, signal });
  const totals: QueueWorkerSummary = { trained: 0, refused: 0, failed: 0 };
  await runPool<number, string, QueueWorkerSummary>({
    module: "selection/queue/worker-thread",
    shared: shared satisfies ThreadOptions,
    // One task per thread: its number. It ends, with the thread's counts, when the signal stops it.
    tasks: Array.from({ length: concurrency }, (_, i) => i + 1),
    threads: concurrency,
    name: "a queue worker thread",
    onProgress: (_thread, line) => log?.(line),
    onResult: (_thread, summary) => {
      for (const k of ["trained", "refused", "failed"] as const) totals[k] += summary[k];
    },
    signal,
    onAbort: "finish",
  });
  return totals;
}

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

  /** The folds a job's settings cut from its dataset (those of its repeat), cut once per (folds, seed, repeat). */
  async folds(fingerprint: string, folds: number, seed: number, repeat: number): Promise<{ dataset: Dataset; folds: Fold[] }> {
    const entry = await this.get(fingerprint);
    const key = `${folds}/${seed}/${repeat}`;
    let cut = entry.folds.get(key);
    if (!cut) {
      cut = stratifiedKFold(entry.dataset.labels, folds, repeatSeed(seed, repeat));
      entry.folds.set(key, cut);
    }
    return { dataset: entry.dataset, folds: cut };
  }
}

/** What a fold job processor needs from the queue worker around it. */
interface ProcessorContext {
  name: string;
  kernels: string;
  data: DataCache;
  log: (line: string) => void;
  summary: QueueWorkerSummary;
  /** Jobs refused already (logged once each). */
  refused: Set<string>;
}

/** Back to the queue for a queue worker with the same kernels; not a failure, not an attempt. */
async function refuse(job: Job<FoldJobData, string>, token: string | undefined, ctx: ProcessorContext): Promise<never> {
  const { inputs, candidate } = job.data;
  ctx.summary.refused++;
  if (!ctx.refused.has(job.id!)) {
    ctx.refused.add(job.id!);
    ctx.log(
      `${ctx.name}: refused ${describeJob(candidate.name, inputs.fold, inputs.folds)}: it was queued for kernels sha256 ${inputs.kernels.slice(0, 12)}…, ` +
        `this worker has ${ctx.kernels.slice(0, 12)}… (rebuild it at the coordinator's version)`,
    );
  }
  const progress: FoldJobProgress = { refused: { worker: ctx.name, kernels: ctx.kernels } };
  await job.updateProgress(progress);
  await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
  throw new DelayedError();
}

/** Trains one fold job and returns its stored result (with the checksum the coordinator checks). */
async function processJob(job: Job<FoldJobData, string>, token: string | undefined, ctx: ProcessorContext): Promise<string> {
  const { inputs, candidate } = job.data;
  const what = describeJob(candidate.name, inputs.fold, inputs.folds);
  if (foldKey(inputs) !== job.id) throw new UnrecoverableError(`job ${job.id} does not match its inputs (key ${foldKey(inputs)}): not made by this version of digits`);
  if (inputs.kernels !== ctx.kernels) return refuse(job, token, ctx);
  const repeat = inputs.repeat ?? 0;
  const { dataset, folds } = await ctx.data.folds(inputs.data, inputs.folds, inputs.seed, repeat);
  const settings: FoldSettings = { folds: inputs.folds, epochs: inputs.epochs, batchSize: inputs.batchSize, seed: inputs.seed, threshold: inputs.threshold };
  ctx.log(`${ctx.name}: training ${what}`);
  const run = new FoldRun(dataset, folds[inputs.fold], { id: 0, candidate, fold: inputs.fold, ...(repeat ? { repeat } : {}) }, settings);
  let epoch = 0;
  while (!run.done) {
    const { loss, seconds } = run.step();
    const progress: FoldJobProgress = { epoch: ++epoch, loss, seconds };
    // Also lets the lock renewal and a stop request through between epochs.
    await job.updateProgress(progress);
  }
  const result = run.result();
  ctx.summary.trained++;
  ctx.log(`${ctx.name}: finished ${what}: validation log loss ${result.logLoss.toFixed(4)} (${formatDuration(result.seconds)})`);
  return storeResult(job.id!, result, ctx.name);
}

/** Logs the first error of each Redis outage and the recovery; ioredis keeps reconnecting, BullMQ resumes. */
function reportOutages(client: IORedis, name: string, url: string, log: (line: string) => void): (error: Error) => void {
  let down = false;
  client.on("ready", () => {
    if (down) log(`${name}: Redis at ${url} is back`);
    down = false;
  });
  const onError = (error: Error) => {
    if (!down) log(`${name}: Redis at ${url} is unreachable (${error.message}); retrying`);
    down = true;
  };
  client.on("error", onError);
  return onError;
}

/** One BullMQ worker in this thread, training one fold at a time until the signal. */
export async function takeFoldJobs(options: ThreadOptions & { log?: (line: string) => void; signal?: AbortSignal }): Promise<QueueWorkerSummary> {
  const log = options.log ?? (() => undefined);
  const url = displayUrl(options.url);
  const lockMs = options.lockMs ?? 30000;
  const ttl = options.resultTtlSeconds ?? RESULT_TTL_SECONDS;
  const connection = parseRedisUrl(options.url);
  const summary: QueueWorkerSummary = { trained: 0, refused: 0, failed: 0 };
  if (options.signal?.aborted) return summary;

  const client = new IORedis({ ...connection, maxRetriesPerRequest: null });
  const ctx: ProcessorContext = { name: workerName(options.thread ?? 0), kernels: options.kernels ?? engineInfo().kernelsSha256, data: new DataCache(client), log, summary, refused: new Set() };
  const onError = reportOutages(client, ctx.name, url, log);
  const worker = new Worker<FoldJobData, string>(QUEUE_NAME, (job, token) => processJob(job, token, ctx), {
    connection,
    prefix: QUEUE_PREFIX,
    concurrency: 1,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    maxStalledCount: 1,
    autorun: false,
  });
  worker.on("error", onError);
  // A finished job expires after the TTL (BullMQ itself only trims finished jobs as later ones finish).
  const expire = (job: Job | undefined) => void (job?.id && client.expire(jobKey(job.id), ttl).catch(() => undefined));
  worker.on("completed", expire);
  worker.on("failed", (job, error) => {
    if (!job || error instanceof DelayedError || error.name === "DelayedError") return;
    expire(job);
    summary.failed++;
    log(`${ctx.name}: ${describeJob(job.data.candidate.name, job.data.inputs.fold, job.data.inputs.folds)} failed: ${error.message}`);
  });

  log(`${ctx.name}: waiting for fold jobs on ${url} (kernels sha256 ${ctx.kernels.slice(0, 12)}…)`);
  const stopped = new Promise<void>((resolve, reject) => {
    const stop = () => {
      log(`${ctx.name}: stopping after the fold in progress`);
      // close() waits for the job in progress to finish and be returned.
      worker.close().then(resolve, resolve);
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop, { once: true });
    // run() settles when the worker closes: after stop(), or by itself when it cannot go on,
    // which must end this queue worker rather than leave it waiting for a signal.
    worker.run().then(
      () => resolve(),
      (error: Error) => reject(new Error(`${ctx.name}: the queue worker stopped: ${error.message}`)),
    );
  });
  try {
    await stopped;
  } finally {
    client.disconnect();
  }
  return summary;
}
