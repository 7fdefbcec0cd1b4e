// The record of a pairs map, reports/pairs/<key>.json: its key (a hash of everything its numbers
// depend on), the one place that finds one and the one that saves one.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { writeFileAtomic } from "../core/files";
import { projectRoot } from "../core/project";
import { PAIRS_MODEL, type PairsConfig } from "./config";
import type { PairResult } from "./score-pair";

export const PAIRS_RECORD_SCHEMA = "binary-digits/pairs";

/** A pairs map as stored in reports/pairs/<key>.json. */
export interface PairsRecord {
  schema: typeof PAIRS_RECORD_SCHEMA;
  schemaVersion: 1;
  /** pairsKey of the settings, data and kernels; also the file name. */
  key: string;
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

/** reports/pairs under the project root. */
export function pairsDir(): string {
  return path.join(projectRoot(), "reports", "pairs");
}

/** The record's key: a hash of everything its numbers depend on. */
export function pairsKey(config: PairsConfig, dataSha256: string, kernelsSha256: string): string {
  const material = JSON.stringify({ schemaVersion: 1, model: PAIRS_MODEL, config, data: dataSha256, kernels: kernelsSha256 });
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

function isPairsRecord(value: unknown): value is PairsRecord {
  const r = value as Partial<PairsRecord> | null;
  return !!r && r.schema === PAIRS_RECORD_SCHEMA && r.schemaVersion === 1 && typeof r.key === "string" && Array.isArray(r.pairs);
}

/** The record with this key in `dir`, or null when there is none (or it cannot be read). */
export function findPairsRecord(key: string, dir: string = pairsDir()): { record: PairsRecord; path: string } | null {
  const file = path.join(dir, `${key}.json`);
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return isPairsRecord(value) && value.key === key ? { record: value, path: file } : null;
  } catch {
    // missing or unreadable: the caller computes a fresh one
    return null;
  }
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
