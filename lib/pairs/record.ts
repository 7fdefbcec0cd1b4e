// The record of a pairs map, reports/pairs/<key>.json: its key (a hash of everything its numbers
// depend on), its checksum (a hash of its content, so an edit is seen), the rule a record read
// back must pass before it is believed, the one place that finds one and the one that saves one.
// A record that fails the rule is never used: the caller says why and computes the map again.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { writeFileAtomic } from "../core/files";
import { projectRoot } from "../core/project";
import { pairLabel, type Pair } from "../core/pair";
import { allPairs, PAIRS_MODEL, type PairsConfig } from "./config";
import type { PairResult } from "./score-pair";

export const PAIRS_RECORD_SCHEMA = "binary-digits/pairs";

/** A pairs map as stored in reports/pairs/<key>.json. */
export interface PairsRecord {
  schema: typeof PAIRS_RECORD_SCHEMA;
  schemaVersion: 1;
  /** pairsKey of the settings, data and kernels; also the file name. */
  key: string;
  /** pairsRecordChecksum of everything else in the record. */
  checksum: string;
  model: string;
  config: PairsConfig;
  data: {
    /** The IDX files (relative to the project root when inside it). */
    images: string;
    labels: string;
    /** sha256 of the image file's bytes followed by the label file's. */
    sha256: string;
    count: number;
    cols: number;
    /** Images of each digit 0–9 in the files. */
    counts: number[];
  };
  /** sha256 of the training kernels: other kernels may give other numbers. */
  kernelsSha256: string;
  createdAt: string;
  /** Wall time of the computation (not of a later reuse). */
  seconds: number;
  /** Threads the pairs ran on; does not change any number but seconds. */
  workers: number;
  versions: { node: string; binaryDigits: string };
  machine: { platform: string; arch: string; cpus: number; cpuModel: string };
  /** In allPairs order: 0-1, 0-2, …, 8-9. */
  pairs: PairResult[];
}

/** A record before its checksum is computed. */
export type PairsRecordContent = Omit<PairsRecord, "checksum">;

/** reports/pairs under the project root. */
export function pairsDir(): string {
  return path.join(projectRoot(), "reports", "pairs");
}

/** The record's key: a hash of everything its numbers depend on. */
export function pairsKey(config: PairsConfig, dataSha256: string, kernelsSha256: string): string {
  const material = JSON.stringify({ schemaVersion: 1, model: PAIRS_MODEL, config, data: dataSha256, kernels: kernelsSha256 });
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

/** SHA-256 of a record's JSON without its checksum field (in the order the fields are stored). */
export function pairsRecordChecksum(record: object): string {
  const { checksum: _, ...content } = record as { checksum?: unknown };
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** The record with its checksum, placed after its key. */
export function sealPairsRecord(content: PairsRecordContent): PairsRecord {
  const { schema, schemaVersion, key, ...rest } = content;
  return { schema, schemaVersion, key, checksum: pairsRecordChecksum(content), ...rest };
}

// ---------------------------------------------------------------------------------------------
// The rule for a record read back

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isScore = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;
const isLoss = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;
const isPlain = (v: unknown) => v === null || typeof v === "number" || typeof v === "boolean";
// A value from the file, quoted in a warning (a terminal, a notebook's Markdown): numbers as they
// are, anything else by its kind, so no text from the file reaches a reader.
const show = (v: unknown): string => {
  if (isPlain(v)) return JSON.stringify(v) ?? "null";
  if (Array.isArray(v) && v.length <= 10 && v.every(isPlain)) return JSON.stringify(v);
  return v === undefined ? "nothing" : Array.isArray(v) ? "a list" : typeof v === "string" ? "a string" : "an object";
};
// Means are recomputed in the same float operations as scorePair's; allow for a printed round trip.
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Why fold `f` of a pair cannot be believed, or null. */
function foldProblem(value: unknown, f: number): string | null {
  if (!isObject(value)) return `fold ${f} is not a fold result`;
  if (value.fold !== f) return `fold ${f} says it is fold ${show(value.fold)}`;
  if (!isCount(value.rows) || value.rows === 0) return `fold ${f} has ${show(value.rows)} validation images`;
  if (!isScore(value.accuracy)) return `fold ${f} has accuracy ${show(value.accuracy)}, not a number from 0 to 1`;
  if (!isLoss(value.logLoss)) return `fold ${f} has log loss ${show(value.logLoss)}, not a finite number ≥ 0`;
  return null;
}

/** Why one pair's result cannot be believed, or null: its scores in range, its folds as configured and agreeing with it. */
function pairProblem(value: unknown, digits: Pair, folds: number): string | null {
  if (!isObject(value)) return "is not a pair's result";
  const same = Array.isArray(value.digits) && value.digits.length === 2 && value.digits[0] === digits[0] && value.digits[1] === digits[1];
  if (!same) return `is ${show(value.digits)} where ${pairLabel(digits)} belongs`;
  if (!isScore(value.accuracy)) return `has accuracy ${show(value.accuracy)}, not a number from 0 to 1`;
  if (!isLoss(value.logLoss)) return `has log loss ${show(value.logLoss)}, not a finite number ≥ 0`;
  for (const k of ["sdAccuracy", "sdLogLoss", "seconds"]) if (!isLoss(value[k])) return `has ${k} ${show(value[k])}, not a finite number ≥ 0`;
  const counts = value.counts as unknown[];
  if (!isCount(value.rows) || !Array.isArray(counts) || counts.length !== 2 || !counts.every(isCount) || counts[0] + counts[1] !== value.rows) {
    return `has ${show(value.rows)} images of which ${show(value.counts)} of each digit`;
  }
  if (!Array.isArray(value.folds) || value.folds.length !== folds) return `has ${Array.isArray(value.folds) ? value.folds.length : "no"} folds, the settings say ${folds}`;
  for (let f = 0; f < folds; f++) {
    const problem = foldProblem(value.folds[f], f);
    if (problem) return problem;
  }
  const results = value.folds as { rows: number; accuracy: number; logLoss: number }[];
  const rows = results.reduce((s, r) => s + r.rows, 0);
  if (rows !== value.rows) return `has folds of ${rows} images in all, not its ${value.rows}`;
  if (!close(value.accuracy, mean(results.map((r) => r.accuracy)))) return `has accuracy ${value.accuracy}, not the mean of its folds' (${mean(results.map((r) => r.accuracy))})`;
  if (!close(value.logLoss, mean(results.map((r) => r.logLoss)))) return `has log loss ${value.logLoss}, not the mean of its folds' (${mean(results.map((r) => r.logLoss))})`;
  return null;
}

/** Why what the record says of its run (shown beside the map) cannot be believed, or null. */
function runProblem(r: Fields): string | null {
  const data = r.data as Fields;
  if (typeof data.images !== "string" || typeof data.labels !== "string") return "its image and label files are not named";
  if (!isCount(data.count) || !isCount(data.cols)) return `it counts ${show(data.count)} images of ${show(data.cols)} pixels`;
  const counts = data.counts as unknown[];
  if (!Array.isArray(counts) || counts.length !== 10 || !counts.every(isCount) || counts.reduce<number>((s, c) => s + (c as number), 0) !== data.count) {
    return `its images of each digit ${show(data.counts)} do not add up to its ${data.count} images`;
  }
  if (typeof r.createdAt !== "string" || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(r.createdAt)) return "its date is not an ISO 8601 time in UTC";
  if (!isLoss(r.seconds)) return `its time ${show(r.seconds)} is not a finite number of seconds ≥ 0`;
  if (!isCount(r.workers) || r.workers === 0) return `its thread count ${show(r.workers)} is not a whole number ≥ 1`;
  return null;
}

/**
 * Why `value`, read from the file named for `key`, cannot be reused; null when it can. It must be
 * a record, hold the checksum of its content (an edit is seen; a record written before records
 * had one is not believed either), be for the settings, data and kernels its key stands for, and
 * hold the 45 pairs in order, each with finite scores in range and the configured folds.
 */
export function pairsRecordProblem(value: unknown, key: string): string | null {
  if (!isObject(value) || value.schema !== PAIRS_RECORD_SCHEMA || value.schemaVersion !== 1) return "is not a pairs record (schema binary-digits/pairs, version 1)";
  if (value.checksum === undefined) return "has no checksum (it was written by an older version of digits pairs)";
  if (value.checksum !== pairsRecordChecksum(value)) return "was changed after it was written (its checksum does not match its content)";
  const { config, data } = value;
  if (value.key !== key || !isObject(config) || !isObject(data) || pairsKey(config as unknown as PairsConfig, data.sha256 as string, value.kernelsSha256 as string) !== key) {
    return "is inconsistent (its settings, images and kernels are not the ones its key stands for)";
  }
  if (value.model !== PAIRS_MODEL) return "is inconsistent (it is for another model)";
  const run = runProblem(value);
  if (run) return `is inconsistent (${run})`;
  const expected = allPairs();
  const pairs = value.pairs;
  if (!Array.isArray(pairs) || pairs.length !== expected.length) return `is inconsistent (it holds ${Array.isArray(pairs) ? pairs.length : "no"} pairs, not ${expected.length})`;
  for (let i = 0; i < expected.length; i++) {
    const problem = pairProblem(pairs[i], expected[i], (config as unknown as PairsConfig).folds);
    if (problem) return `is inconsistent (pair ${pairLabel(expected[i])} ${problem})`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Finding and saving

/** A record found on disk: usable, or not, and why (to be said, and the map computed again). */
export type FoundPairsRecord = { path: string; record: PairsRecord; problem: null } | { path: string; record: null; problem: string };

/** The record with this key in `dir`, checked (pairsRecordProblem); null when there is no such file. */
export function findPairsRecord(key: string, dir: string = pairsDir()): FoundPairsRecord | null {
  const file = path.join(dir, `${key}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return { path: file, record: null, problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file, which a notebook would show as Markdown.
    return { path: file, record: null, problem: "is not valid JSON" };
  }
  const problem = pairsRecordProblem(value, key);
  return problem === null ? { path: file, record: value as PairsRecord, problem: null } : { path: file, record: null, problem };
}

/** Writes the record to `dir`/<key>.json atomically (dir created if needed); returns the path. */
export function savePairsRecord(record: PairsRecord, dir: string = pairsDir()): string {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`${dir}: cannot create the folder for pairs records (${(error as Error).message})`);
  }
  const file = path.join(dir, `${record.key}.json`);
  writeFileAtomic(file, JSON.stringify(record, null, 2) + "\n");
  return file;
}
