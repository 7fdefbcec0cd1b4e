// What travels through Redis between a coordinator (digits select --queue) and queue workers
// (digits worker): the training data once per fingerprint (0–255 pixels and labels,
// zlib-compressed, checked against the fingerprint where it is read), one fold job per fold (its
// inputs: the job id is their key), epoch progress, and the results (JSON, a few kB each, with a
// checksum the worker computes over the result and its key, so the coordinator can tell a result
// stored by a worker from one changed since). How long results stay, and the test knobs.
//
//   pure   encodeDataset / decodeDataset, storeResult / verifiedResult, describeJob, jobOptions
//   I/O    uploadDataset, coordinatorEnvironment / queueWorkerEnvironment (read the environment)
import * as os from "node:os";
import { deflateSync, inflateSync } from "node:zlib";
import type IORedis from "ioredis";
import { type Dataset } from "../../data/dataset";
import { datasetFingerprint } from "../../data/fingerprint";
import { InputError } from "../../core/errors";
import { type FoldInputs } from "../fold-key";
import { foldResultChecksum, foldResultProblem, type ExpectedFold } from "../fold-check";
import { type Candidate } from "../config";
import { type FoldResult } from "../record";
import { dataKey } from "./redis";

/** How long the training data stays in Redis after a run last used it. */
const DATA_TTL_SECONDS = 7 * 24 * 3600;
/** How long a finished job (its result, or why it failed) stays in Redis: a rerun within it takes the result. */
export const RESULT_TTL_SECONDS = 24 * 3600;

/** The data of one fold job: its inputs (whose key is the job id) and the candidate's name. */
export interface FoldJobData {
  key: string;
  inputs: FoldInputs;
  candidate: Candidate;
}

/** What a queue worker publishes with job.updateProgress. */
export type FoldJobProgress = { epoch: number; loss: number; seconds: number } | { refused: { worker: string; kernels: string } };

/** A job's return value: the result, who trained it, and foldResultChecksum(job id, result). */
interface StoredResult {
  result: FoldResult;
  worker: string;
  checksum: string;
}

/** "fold 2/5 of candidate 25-15": how a job is named to the user. */
export function describeJob(candidate: string, fold: number, folds: number): string {
  return `fold ${fold + 1}/${folds} of candidate ${candidate}`;
}

/** "host:pid", and "/thread" inside a queue worker's thread: who trained a fold. */
export function workerName(thread = 0): string {
  return `${os.hostname()}:${process.pid}${thread > 0 ? `/${thread}` : ""}`;
}

/** BullMQ options of a fold job. */
export function jobOptions(key: string, resultTtlSeconds = RESULT_TTL_SECONDS) {
  // attempts 1: a fold that throws will throw again (the code is deterministic); a worker that
  // dies mid-fold is BullMQ's stalled-job handling, which retries the job once. The age removes
  // finished jobs from BullMQ's lists as later jobs finish; the key itself expires (see expireJob).
  return { jobId: key, attempts: 1, removeOnComplete: { age: resultTtlSeconds }, removeOnFail: { age: resultTtlSeconds } };
}

// ---------------------------------------------------------------------------------------------
// The training data

const DATA_MAGIC = "binary-digits dataset v1\n";

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

// ---------------------------------------------------------------------------------------------
// Results

/** A value as text, keeping NaN and ±Infinity (plain JSON would turn them into null). */
export function encodeResult(value: StoredResult | { result: FoldResult; worker: string }): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : v));
}

export function decodeResult(text: string): StoredResult {
  return JSON.parse(text, (_key, v) => (v && typeof v === "object" && typeof v.$number === "string" && Object.keys(v).length === 1 ? Number(v.$number) : v));
}

/** What a queue worker returns for job `key`: the result with its checksum. */
export function storeResult(key: string, result: FoldResult, worker: string): string {
  return encodeResult({ result, worker, checksum: foldResultChecksum(key, result) });
}

/**
 * A job's return value read back from Redis, believed only when it proves itself: it decodes,
 * its checksum is the one of its result under `key` (so it is what a worker stored), and the
 * result is one of the fold `expected` describes (foldResultProblem). Otherwise why not.
 */
export function verifiedResult(key: string, returnvalue: unknown, expected: ExpectedFold): { result: FoldResult; worker: string } | { problem: string } {
  if (typeof returnvalue !== "string") return { problem: "holds no result" };
  let stored: Partial<StoredResult>;
  try {
    stored = decodeResult(returnvalue);
  } catch {
    return { problem: "is not JSON" };
  }
  if (!stored || typeof stored !== "object") return { problem: "is not a stored result" };
  if (typeof stored.checksum !== "string") return { problem: "has no checksum (stored by an older digits worker?)" };
  if (stored.checksum !== foldResultChecksum(key, stored.result)) return { problem: "does not match its checksum (it was changed after the worker stored it)" };
  const problem = foldResultProblem(stored.result, expected);
  if (problem) return { problem };
  return { result: stored.result as FoldResult, worker: typeof stored.worker === "string" ? stored.worker : "unknown" };
}

// ---------------------------------------------------------------------------------------------
// Test knobs

/** A whole number ≥ 1 from the environment, or undefined when unset; InputError naming it otherwise. */
function envWhole(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InputError(`${name}="${v}": expected a whole number ≥ 1`);
  return Number(v);
}

/**
 * A coordinator's settings that tests shorten through the environment (unset: the defaults):
 * DIGITS_QUEUE_RESULT_TTL_SECONDS (how long finished jobs stay in Redis, default a day) and
 * DIGITS_QUEUE_NOTICE_MS (how often it says that no worker is taking its folds, default 30000).
 */
export function coordinatorEnvironment(env: NodeJS.ProcessEnv = process.env): { resultTtlSeconds?: number; noticeMs?: number } {
  return defined({ resultTtlSeconds: envWhole("DIGITS_QUEUE_RESULT_TTL_SECONDS", env), noticeMs: envWhole("DIGITS_QUEUE_NOTICE_MS", env) });
}

/**
 * A queue worker's: DIGITS_QUEUE_RESULT_TTL_SECONDS as above, DIGITS_WORKER_LOCK_MS (how long a
 * silent queue worker keeps its fold, default 30000) and DIGITS_WORKER_KERNELS (a kernels hash to
 * pretend to have, to test a worker built from other code).
 */
export function queueWorkerEnvironment(env: NodeJS.ProcessEnv = process.env): { resultTtlSeconds?: number; lockMs?: number; kernels?: string } {
  return defined({ resultTtlSeconds: envWhole("DIGITS_QUEUE_RESULT_TTL_SECONDS", env), lockMs: envWhole("DIGITS_WORKER_LOCK_MS", env), kernels: env.DIGITS_WORKER_KERNELS || undefined });
}

function defined<T extends object>(settings: T): T {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as T;
}
