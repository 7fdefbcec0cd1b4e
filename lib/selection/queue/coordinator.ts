// Queue: a selection's fold runs spread over machines through BullMQ on Redis. The coordinator
// (runQueued, a third scheduler beside lib/selection's serial and worker-thread ones) puts one
// job per fold on the queue and waits for the results; `digits worker` processes anywhere take
// them (lib/queue-worker). Safe because a fold's result is a pure function of its FoldInputs
// (lib/fold-cache): the job id is their key, so the same fold queued twice is one job, and every
// job carries the kernels' hash, so a worker built from other code refuses it.
//
// What crosses the network: the training data once per fingerprint (0–255 pixels and labels,
// zlib-compressed, checked by the worker against the fingerprint), the fold jobs (their inputs),
// epoch progress, and the results (JSON, a few kB each).
//
//   pure      parseRedisUrl, displayUrl, encodeDataset / decodeDataset,
//             encodeResult / decodeResult
//   I/O       checkRedis (exit-2 errors for an unreachable Redis), uploadDataset, runQueued
import * as os from "node:os";
import { deflateSync, inflateSync } from "node:zlib";
import { Job, Queue, QueueEvents } from "bullmq";
import IORedis, { type RedisOptions } from "ioredis";
import { datasetDigits, datasetFingerprint, type Dataset } from "../../data/dataset";
import { engineInfo } from "../../model/engine";
import { InputError } from "../../core/errors";
import { foldKey, type FoldInputs } from "../fold-cache";
import { costliestFirst, SelectionCancelled, type Scheduler } from "../scheduler";
import { type Candidate } from "../config";
import { type FoldJob, type FoldSettings } from "../fold-run";
import { type FoldResult } from "../record";

/** BullMQ's key prefix and queue name: every key is binary-digits:folds:… or binary-digits:data:…. */
export const QUEUE_PREFIX = "binary-digits";
export const QUEUE_NAME = "folds";
/** How long the training data and finished jobs stay in Redis after a run last used them. */
export const DATA_TTL_SECONDS = 7 * 24 * 3600;
export const RESULT_TTL_SECONDS = 24 * 3600;

/** Where the coordinator's queue is and where it reports what happens on it. */
export interface QueueRunOptions {
  /** redis://[:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS). */
  url: string;
  /** Lines worth telling the user (jobs queued, a worker refusing jobs); not progress. */
  log?: (line: string) => void;
  /** Seconds without a Redis connection before the run gives up (default 10). */
  lostAfterSeconds?: number;
}

/** What a queued run adds to its record: where the folds went and who trained them. */
export interface QueueInfo {
  /** The Redis URL without its password. */
  url: string;
  /** Fold results that came through the queue (trained by workers, or already finished there). */
  remote: number;
  /** Workers that trained them ("host:pid", "host:pid/thread"), sorted. */
  workers: string[];
  /** Jobs taken back from a worker that stopped mid-fold and run again (BullMQ's stalled jobs). */
  retried: number;
}

/** The data of one fold job: its inputs (whose key is the job id) and the candidate's name. */
export interface FoldJobData {
  key: string;
  inputs: FoldInputs;
  candidate: Candidate;
}

/** What a worker publishes with job.updateProgress. */
export type FoldJobProgress = { epoch: number; loss: number; seconds: number } | { refused: { worker: string; kernels: string } };

// ---------------------------------------------------------------------------------------------
// Redis URLs and connections

/** ioredis options for a redis:// or rediss:// URL; InputError on anything else. */
export function parseRedisUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--queue "${url}": not a URL; expected redis://HOST:PORT, e.g. redis://127.0.0.1:6390`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new InputError(`--queue "${displayUrl(url)}": expected a redis:// (or rediss://) URL, e.g. redis://127.0.0.1:6390`);
  }
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new InputError(`--queue "${displayUrl(url)}": the database after the port must be a number, got "${db}"`);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    db: db === "" ? 0 : Number(db),
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === "rediss:") options.tls = {};
  return options;
}

/** The URL as it may be printed and recorded: any password replaced by ***. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}

/** How to get a Redis to talk to, on the URL's port. */
export function redisHint(url: string): string {
  let port = 6390;
  try {
    port = Number(parseRedisUrl(url).port);
  } catch {
    // the caller reports the URL itself
  }
  return (
    `start one with \`redis-server --port ${port} --bind 127.0.0.1\` (Debian/Ubuntu: \`sudo apt-get install redis-server\`) ` +
    `or \`docker run -d -p 127.0.0.1:${port}:6379 redis:7\`, or check the URL`
  );
}

/**
 * Connects once and asks the server's version, so that an unreachable or unusable Redis is an
 * InputError (exit 2) naming the URL and what to do, before any work is queued.
 */
export async function checkRedis(url: string, timeoutMs = 5000): Promise<void> {
  const options = parseRedisUrl(url);
  const client = new IORedis({ ...options, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  // connect() rejects with "Connection is closed."; the error event has the cause (ECONNREFUSED…).
  let cause = "";
  client.on("error", (error: Error) => {
    cause ||= error.message;
  });
  try {
    await client.connect();
    const info = await client.info("server");
    const version = /redis_version:(\d+)\.(\d+)/.exec(info);
    if (version && (Number(version[1]) < 6 || (Number(version[1]) === 6 && Number(version[2]) < 2))) {
      throw new InputError(`Redis at ${displayUrl(url)} is version ${version[1]}.${version[2]}; BullMQ needs 6.2 or later`);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = cause || (error as Error).message;
    if (/NOAUTH|WRONGPASS|AUTH/i.test(message)) {
      throw new InputError(`Redis at ${displayUrl(url)} refused us (${message}); give its password in the URL: redis://:PASSWORD@HOST:PORT`);
    }
    throw new InputError(`cannot reach Redis at ${displayUrl(url)} (${message || "connection failed"}); ${redisHint(url)}`);
  } finally {
    client.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// What travels: fold inputs, data, results


const DATA_MAGIC = "binary-digits dataset v1\n";

/** Redis key of a dataset's bytes. */
export function dataKey(fingerprint: string): string {
  return `${QUEUE_PREFIX}:data:${fingerprint}`;
}

/**
 * A dataset as compressed bytes. Features that are pixel / 255 (as every CSV gives) travel as
 * one byte each; anything else as float32, so any in-memory dataset round-trips exactly.
 */
export function encodeDataset(dataset: Dataset): Buffer {
  const { features, labels, rows, cols } = dataset;
  const pixels = new Uint8Array(features.length);
  let bytes = true;
  for (let i = 0; i < features.length; i++) {
    const p = Math.round(features[i] * 255);
    if (p < 0 || p > 255 || Math.fround(p / 255) !== features[i]) {
      bytes = false;
      break;
    }
    pixels[i] = p;
  }
  const header = Buffer.from(DATA_MAGIC + JSON.stringify({ rows, cols, features: bytes ? "uint8/255" : "float32" }) + "\n", "utf8");
  const body = bytes ? pixels : new Uint8Array(features.buffer, features.byteOffset, features.byteLength);
  return deflateSync(Buffer.concat([header, labels, body]), { level: 6 });
}

/** The dataset back from encodeDataset's bytes; throws unless its fingerprint is the one expected. */
export function decodeDataset(compressed: Uint8Array, fingerprint: string): Dataset {
  const raw = inflateSync(compressed);
  const headerEnd = raw.indexOf(10, DATA_MAGIC.length);
  if (raw.subarray(0, DATA_MAGIC.length).toString("utf8") !== DATA_MAGIC || headerEnd < 0) throw new Error(`the data stored for ${fingerprint} is not in our format`);
  const { rows, cols, features: kind } = JSON.parse(raw.subarray(DATA_MAGIC.length, headerEnd).toString("utf8")) as { rows: number; cols: number; features: string };
  const labels = new Uint8Array(raw.subarray(headerEnd + 1, headerEnd + 1 + rows));
  const body = raw.subarray(headerEnd + 1 + rows);
  const features = new Float32Array(rows * cols);
  if (kind === "uint8/255") {
    for (let i = 0; i < features.length; i++) features[i] = body[i] / 255;
  } else {
    new Uint8Array(features.buffer).set(body.subarray(0, features.byteLength));
  }
  const dataset = { features, labels, rows, cols };
  const actual = datasetFingerprint(dataset);
  if (actual !== fingerprint) throw new Error(`the data stored for ${fingerprint} has fingerprint ${actual}: it was damaged on the way`);
  return dataset;
}

/**
 * Stores the dataset under its fingerprint unless it is there already (then only its expiry is
 * renewed): data crosses the network once per fingerprint, however many runs use it.
 */
export async function uploadDataset(client: IORedis, dataset: Dataset, fingerprint: string): Promise<{ uploaded: boolean; bytes: number }> {
  const key = dataKey(fingerprint);
  if ((await client.expire(key, DATA_TTL_SECONDS)) === 1) return { uploaded: false, bytes: 0 };
  const bytes = encodeDataset(dataset);
  await client.set(key, bytes, "EX", DATA_TTL_SECONDS);
  return { uploaded: true, bytes: bytes.length };
}

/** A result as text, keeping NaN and ±Infinity (plain JSON would turn them into null). */
export function encodeResult(value: { result: FoldResult; worker: string }): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : v));
}

export function decodeResult(text: string): { result: FoldResult; worker: string } {
  return JSON.parse(text, (_key, v) => (v && typeof v === "object" && typeof v.$number === "string" && Object.keys(v).length === 1 ? Number(v.$number) : v));
}

// ---------------------------------------------------------------------------------------------
// The coordinator

/** "fold 2/5 of candidate 25-15": how a job is named to the user. */
export function describeJob(candidate: string, fold: number, folds: number): string {
  return `fold ${fold + 1}/${folds} of candidate ${candidate}`;
}

function cancelledError(signal: AbortSignal | undefined): SelectionCancelled {
  const reason = signal?.reason;
  return new SelectionCancelled(reason instanceof Error && reason.name !== "AbortError" ? reason.message : "model selection cancelled");
}

/**
 * Runs a selection's fold jobs on the queue at `options.url` and waits for every result, calling
 * the scheduler's onEpoch and onResult as workers report. Results finished in Redis already (the
 * same fold queued by an earlier run within RESULT_TTL_SECONDS) are taken as they are. Rejects
 * with an InputError when Redis is unreachable at start or lost mid-run, or when a job fails for
 * good (naming its candidate and fold); SelectionCancelled on abort. Jobs not yet started are
 * taken off the queue when the run ends early.
 */
export async function runQueued(s: Scheduler, options: QueueRunOptions): Promise<QueueInfo> {
  const log = options.log ?? (() => undefined);
  const url = displayUrl(options.url);
  if (s.signal?.aborted) throw cancelledError(s.signal);
  // Every fold came from the cache: nothing to queue, and no reason to need Redis.
  if (s.jobs.length === 0) return { url, remote: 0, workers: [], retried: 0 };
  await checkRedis(options.url);

  const connection = parseRedisUrl(options.url);
  const fingerprint = datasetFingerprint(s.dataset);
  const kernels = engineInfo().kernelsSha256;
  const digits = datasetDigits(s.dataset);
  const byKey = new Map<string, FoldJob>();
  const dataOf = new Map<string, FoldJobData>();
  for (const job of costliestFirst(s.jobs)) {
    const inputs = s.inputsOf(job);
    const key = foldKey(inputs);
    byKey.set(key, job);
    dataOf.set(key, { key, inputs, candidate: job.candidate });
  }

  // One client of our own watches the connection: when it cannot reconnect within
  // lostAfterSeconds, the run stops instead of waiting for results that cannot arrive.
  const lostAfter = (options.lostAfterSeconds ?? 10) * 1000;
  const retryMs = 500;
  const client = new IORedis({ ...connection, maxRetriesPerRequest: 1, retryStrategy: (times) => (times * retryMs > lostAfter ? null : retryMs) });
  let lastError = "";
  client.on("error", (error: Error) => {
    lastError = error.message;
  });
  const queue = new Queue<FoldJobData, string>(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
  queue.on("error", () => undefined);
  let events: QueueEvents | null = null;

  const done = new Set<string>();
  const workers = new Set<string>();
  const lastEpoch = new Map<string, number>();
  const refusedBy = new Set<string>();
  let retried = 0;

  try {
    const upload = await uploadDataset(client, s.dataset, fingerprint);
    if (upload.uploaded) log(`uploaded the training data (${s.dataset.rows} rows, ${(upload.bytes / 1e6).toFixed(2)} MB compressed) to ${url}`);
    // Events from the server's current time on: none is missed between adding jobs and listening.
    const [sec, usec] = await client.time();
    events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX, lastEventId: `${Number(sec) * 1000 + Math.floor(Number(usec) / 1000)}-0` });
    events.on("error", () => undefined);
    await events.waitUntilReady();

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let poll: ReturnType<typeof setInterval> | undefined;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        s.signal?.removeEventListener("abort", onAbort);
        client.removeListener("end", onLost);
        if (error === undefined) resolve();
        else reject(error);
      };
      const guarded =
        <A extends unknown[]>(handler: (...args: A) => void | Promise<void>) =>
        (...args: A): void => {
          if (settled) return;
          try {
            const pending = handler(...args);
            if (pending) pending.catch(finish);
          } catch (error) {
            finish(error);
          }
        };
      const onAbort = () => finish(cancelledError(s.signal));
      const onLost = () =>
        finish(
          new InputError(
            `lost the connection to Redis at ${url} mid-run (${lastError || "connection closed"}); ${done.size} of ${byKey.size} folds had finished. ` +
              `Start Redis again and rerun the same command: finished folds are kept in the local cache`,
          ),
        );
      s.signal?.addEventListener("abort", onAbort);
      client.once("end", onLost);

      const accept = (key: string, returnvalue: string) => {
        const job = byKey.get(key);
        if (!job || done.has(key)) return;
        const { result, worker } = decodeResult(returnvalue);
        done.add(key);
        workers.add(worker);
        // The same fold may have been queued under another grid's name: the name is ours.
        s.onResult(job, { ...result, architecture: job.candidate.name });
        if (done.size === byKey.size) finish();
      };
      const failed = (key: string, reason: string) => {
        const job = byKey.get(key);
        if (!job || done.has(key)) return;
        const stalled = /stalled more than allowable limit/.test(reason) ? " (its workers stopped while training it, twice: e.g. out of memory)" : "";
        finish(new InputError(`${describeJob(job.candidate.name, job.fold, s.settings.folds)} failed on a worker: ${reason}${stalled}`));
      };
      /** Where each outstanding job is; the events say the same sooner, this catches what they cannot. */
      const check = async (keys: string[]) => {
        await Promise.all(
          keys.map(async (key) => {
            const state = await queue.getJobState(key);
            if (settled || done.has(key)) return;
            if (state === "completed") {
              const job = await Job.fromId<FoldJobData, string>(queue, key);
              if (job && typeof job.returnvalue === "string") accept(key, job.returnvalue);
            } else if (state === "failed") {
              const job = await Job.fromId<FoldJobData, string>(queue, key);
              failed(key, job?.failedReason ?? "unknown reason");
            } else if (state === "unknown") {
              await queue.add("fold", dataOf.get(key)!, jobOptions(key));
            }
          }),
        );
      };

      events!.on(
        "progress",
        guarded(({ jobId, data }: { jobId: string; data: unknown }) => {
          const job = byKey.get(jobId);
          const progress = data as FoldJobProgress;
          if (!job || done.has(jobId) || typeof progress !== "object" || progress === null) return;
          if ("refused" in progress) {
            if (refusedBy.has(progress.refused.worker)) return;
            refusedBy.add(progress.refused.worker);
            log(
              `worker ${progress.refused.worker} refuses our folds: its training kernels (sha256 ${progress.refused.kernels.slice(0, 12)}…) differ from ours ` +
                `(${kernels.slice(0, 12)}…); the jobs wait for a worker with the same kernels (check out and build the same version there)`,
            );
            return;
          }
          // A job taken again after its worker stopped restarts at epoch 1: report only new epochs.
          if (progress.epoch <= (lastEpoch.get(jobId) ?? 0)) return;
          lastEpoch.set(jobId, progress.epoch);
          s.onEpoch(job, progress.epoch, progress.loss, progress.seconds);
        }),
      );
      events!.on("completed", guarded(({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => accept(jobId, String(returnvalue))));
      events!.on("failed", guarded(({ jobId, failedReason }: { jobId: string; failedReason: string }) => failed(jobId, failedReason)));
      events!.on(
        "stalled",
        guarded(({ jobId }: { jobId: string }) => {
          if (!byKey.has(jobId)) return;
          retried++;
          const job = byKey.get(jobId)!;
          log(`${describeJob(job.candidate.name, job.fold, s.settings.folds)}: its worker stopped mid-fold; the job is queued again`);
        }),
      );

      guarded(async () => {
        const keys = [...byKey.keys()];
        await queue.addBulk(keys.map((key) => ({ name: "fold", data: dataOf.get(key)!, opts: jobOptions(key) })));
        // A job id that already existed keeps its old state: a finished result is taken, a job
        // that failed in an earlier run is tried again.
        await Promise.all(
          keys.map(async (key) => {
            if ((await queue.getJobState(key)) === "failed") await (await Job.fromId(queue, key))?.retry("failed");
          }),
        );
        log(`queued ${byKey.size} fold jobs on ${url}; waiting for workers (\`digits worker --queue ${url}\` on each machine)`);
        await check(keys);
        if (!settled) poll = setInterval(guarded(() => check([...byKey.keys()].filter((k) => !done.has(k)))), 5000);
      })();
    });
  } catch (error) {
    // Ended early: jobs nobody has started are taken off the queue (started ones finish there
    // and stay for RESULT_TTL_SECONDS, where a rerun finds them).
    await Promise.allSettled([...byKey.keys()].filter((k) => !done.has(k)).map((k) => withTimeout(queue.remove(k), 1000)));
    throw error;
  } finally {
    await Promise.allSettled([withTimeout(events?.close(), 2000), withTimeout(queue.close(), 2000)]);
    events?.disconnect().catch(() => undefined);
    queue.disconnect().catch(() => undefined);
    client.disconnect();
  }
  return { url, remote: done.size, workers: [...workers].sort(), retried };
}

function jobOptions(key: string) {
  // attempts 1: a fold that throws will throw again (the code is deterministic); a worker that
  // dies mid-fold is BullMQ's stalled-job handling, which retries the job once.
  return { jobId: key, attempts: 1, removeOnComplete: { age: RESULT_TTL_SECONDS }, removeOnFail: { age: RESULT_TTL_SECONDS } };
}

async function withTimeout<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  if (!promise) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** "host:pid", and "/thread" inside a worker thread: who trained a fold. */
export function workerName(thread = 0): string {
  return `${os.hostname()}:${process.pid}${thread > 0 ? `/${thread}` : ""}`;
}
