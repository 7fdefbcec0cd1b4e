// Experiments: the model-selection records in reports/experiments/ — stored whole (one JSON file
// per run, atomically), read back (older schema versions upgraded, unreadable files reported, not
// fatal), found by a unique prefix of their id as in git, compared side by side, removed — and the
// run that ties a CSV, the selection, the fold cache and the record together (runExperiment).
// Selection computes a record; this module is where records live. The fold cache sits in the
// records folder (<dir>/cache), so the records and the folds they reuse move and prune together.
import * as fs from "node:fs";
import * as path from "node:path";
import type { DataFrame } from "danfojs-node";
import { loadCsv, type LoadCsvOptions } from "../data/csv";
import type { LoadedDataset } from "../data/dataset";
import { DEFAULT_TRAIN_CSV } from "../data/default-files";
import { projectRoot } from "../core/project";
import { InputError } from "../core/errors";
import { writeFileAtomic } from "../core/files";
import { FoldCache } from "./fold-cache";
import type { Activation } from "../model/model";
import { DEFAULT_SELECTION_CONFIG, resolveSelectionConfig, type SelectionConfig } from "./config";
import { selectArchitecture, type SelectionOptions } from "./select";
import { type ExperimentRecord } from "./record";

/** reports/experiments under the project root. */
export function experimentsDir(): string {
  return path.join(projectRoot(), "reports", "experiments");
}

/**
 * Writes the record to `dir`/<id>.json (dir created if needed) through a temp file and a
 * rename, so an interrupted or failed write leaves no partial record. Returns the path.
 */
export function saveExperiment(record: ExperimentRecord, dir: string = experimentsDir()): string {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`${dir}: cannot create the experiments directory (${(error as Error).message})`);
  }
  const file = path.join(dir, `${record.id}.json`);
  writeFileAtomic(file, Buffer.from(JSON.stringify(record, null, 2) + "\n", "utf8"));
  return file;
}

function isRecord(value: unknown): value is ExperimentRecord {
  const r = value as Partial<ExperimentRecord> | null;
  return !!r && r.schema === "binary-digits/experiment" && Array.isArray(r.summary) && !!r.winner && !!r.data && typeof r.startedAt === "string";
}

/**
 * A record as version 2: version 1 had one activation and one learning rate for the whole grid
 * (config.activation, config.learningRate), which become the lists and each row's own settings.
 */
export function upgradeRecord(record: ExperimentRecord): ExperimentRecord {
  if (record.schemaVersion === 2) return record;
  const old = (record.config ?? {}) as SelectionConfig & { activation?: Activation; learningRate?: number };
  const activation = old.activation ?? DEFAULT_SELECTION_CONFIG.activation;
  const learningRate = old.learningRate ?? DEFAULT_SELECTION_CONFIG.learningRate;
  const { activation: _a, learningRate: _l, ...rest } = old;
  const settings = { activation, learningRate };
  return {
    ...record,
    schemaVersion: 2,
    config: { ...rest, activations: [activation], learningRates: [learningRate] },
    cache: record.cache ?? { reused: 0, trained: (record.folds ?? []).length },
    folds: (record.folds ?? []).map((f) => ({ ...settings, ...f })),
    summary: record.summary.map((s) => ({ ...settings, ...s })),
    winner: { ...settings, ...record.winner },
  };
}

/** A file in a records folder that is not a usable record, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** The fold cache of a records folder: <dir>/cache. */
export const CACHE_FOLDER = "cache";

export function foldCacheDir(dir: string = experimentsDir()): string {
  return path.join(dir, CACHE_FOLDER);
}

/** oldest first, by start time then id */
function byStart(a: ExperimentRecord, b: ExperimentRecord): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Every record in `dir`, oldest first, with its file name, and every other file with the reason
 * it was skipped (not JSON, JSON of something else, not a .json file). Temp files of writes in
 * progress and the fold cache are ours and not reported.
 */
export function readExperiments(dir: string = experimentsDir()): { records: { file: string; record: ExperimentRecord }[]; skipped: SkippedFile[] } {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return { records: [], skipped: [] };
  }
  const records: { file: string; record: ExperimentRecord }[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of names) {
    if (file.startsWith(".") || file === CACHE_FOLDER) continue;
    if (!file.endsWith(".json")) {
      skipped.push({ file, reason: "not a record (records are .json files)" });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    } catch (error) {
      skipped.push({ file, reason: `corrupt: ${(error as Error).message.split("\n")[0]}` });
      continue;
    }
    if (isRecord(value)) records.push({ file, record: upgradeRecord(value) });
    else skipped.push({ file, reason: "corrupt: not a model-selection record" });
  }
  records.sort((a, b) => byStart(a.record, b.record));
  return { records, skipped };
}

/** The records in `dir` (default reports/experiments), oldest first; files that are not records are left out (see readExperiments). */
export function listExperiments(dir: string = experimentsDir()): ExperimentRecord[] {
  return readExperiments(dir).records.map((r) => r.record);
}

/**
 * The record whose id starts with `prefix` (a whole id works too), as git finds commits: an
 * InputError when none or several match, listing the candidates.
 */
export function findExperiment(prefix: string, dir: string = experimentsDir()): { file: string; record: ExperimentRecord } {
  const wanted = prefix.trim().replace(/\.json$/, "");
  if (wanted === "") throw new InputError("an experiment id is empty; `digits experiments list` shows the ids");
  const { records } = readExperiments(dir);
  const matches = records.filter((r) => r.record.id.startsWith(wanted));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new InputError(`no experiment in ${dir} has an id starting with "${wanted}"; \`digits experiments list${dir === experimentsDir() ? "" : ` --records ${dir}`}\` shows the ids`);
  }
  throw new InputError(`"${wanted}" is the start of ${matches.length} experiment ids (${matches.map((m) => m.record.id).join(", ")}); give more of the id`);
}

/** Deletes records (by file); the fold cache keeps its entries until pruneCache. */
export function removeExperiments(files: readonly string[], dir: string = experimentsDir()): string[] {
  const removed: string[] = [];
  for (const file of files) {
    fs.rmSync(path.join(dir, file), { force: true });
    removed.push(file);
  }
  return removed;
}

/** Drops the fold-cache entries that no record in `dir` uses; returns how many were kept and removed. */
export function pruneCache(dir: string = experimentsDir()): { kept: number; removed: number } {
  const used = new Set<string>();
  for (const record of listExperiments(dir)) for (const fold of record.folds) if (fold.key) used.add(fold.key);
  const cache = new FoldCache(foldCacheDir(dir));
  const unused = cache.keys().filter((key) => !used.has(key));
  const removed = cache.remove(unused);
  return { kept: cache.keys().length, removed };
}

/** Mean validation log loss of each candidate in each record, side by side (null where a record lacks it). */
export interface Comparison {
  /** The records, in the order given. */
  runs: { id: string; startedAt: string; digits: [number, number]; fingerprint: string; rows: number; folds: number; epochs: number; winner: string }[];
  /** One row per candidate, in order of first appearance; logLoss[i] belongs to runs[i]. */
  rows: { candidate: string; parameters: number; logLoss: (number | null)[] }[];
  /** Sentences for records made on other data or another pair than the first one: their numbers do not compare. */
  notes: string[];
}

export function compareExperiments(records: readonly ExperimentRecord[]): Comparison {
  const runs = records.map((r) => ({
    id: r.id,
    startedAt: r.startedAt,
    digits: (r.data.digits ?? [0, 1]) as [number, number],
    fingerprint: r.data.fingerprint,
    rows: r.data.rows,
    folds: r.config.folds,
    epochs: r.config.epochs,
    winner: r.winner.architecture,
  }));
  const rows: Comparison["rows"] = [];
  records.forEach((r, i) => {
    for (const s of r.summary) {
      let row = rows.find((x) => x.candidate === s.architecture);
      if (!row) rows.push((row = { candidate: s.architecture, parameters: s.parameters, logLoss: records.map(() => null) }));
      row.logLoss[i] = Number.isFinite(s.meanLogLoss) ? s.meanLogLoss : null;
    }
  });
  const notes: string[] = [];
  const [first] = runs;
  for (const run of runs.slice(1)) {
    if (run.digits[0] !== first.digits[0] || run.digits[1] !== first.digits[1]) {
      notes.push(`${run.id} is on another pair (${run.digits[0]} against ${run.digits[1]}, not ${first.digits[0]} against ${first.digits[1]}): its scores do not compare with ${first.id}'s`);
    } else if (run.fingerprint !== first.fingerprint) {
      notes.push(`${run.id} is on other data (${run.rows.toLocaleString("en-US")} rows, fingerprint ${run.fingerprint.slice(0, 12)}…, not ${first.fingerprint.slice(0, 12)}…): its scores do not compare with ${first.id}'s`);
    }
  }
  return { runs, rows, notes };
}

/** One row of experimentsDataFrame. */
export interface ExperimentRow {
  run: string;
  startedAt: string;
  data: string;
  rows: number;
  folds: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  activation: string;
  seed: number;
  workers: number;
  runSeconds: number;
  architecture: string;
  parameters: number;
  meanAccuracy: number;
  sdAccuracy: number;
  meanPrecision: number;
  meanRecall: number;
  meanF1: number;
  meanLogLoss: number;
  sdLogLoss: number;
  seLogLoss: number;
  meanAuc: number;
  meanSeconds: number;
  /** Folds whose training diverged (0 for records made before this was recorded). */
  divergedFolds: number;
  winner: boolean;
}

/** Flat rows, one per run × architecture, oldest run first: the data behind experimentsDataFrame. */
export function experimentRows(records: readonly ExperimentRecord[]): ExperimentRow[] {
  return records.flatMap((r) =>
    r.summary.map((s) => ({
      run: r.id,
      startedAt: r.startedAt,
      data: r.data.fingerprint,
      rows: r.data.rows,
      folds: r.config.folds,
      epochs: r.config.epochs,
      batchSize: r.config.batchSize,
      learningRate: s.learningRate,
      activation: s.activation,
      seed: r.config.seed,
      workers: r.workers,
      runSeconds: r.seconds,
      architecture: s.architecture,
      parameters: s.parameters,
      meanAccuracy: s.meanAccuracy,
      sdAccuracy: s.sdAccuracy,
      meanPrecision: s.meanPrecision,
      meanRecall: s.meanRecall,
      meanF1: s.meanF1,
      // JSON stores NaN as null; keep numbers numeric for danfo
      meanLogLoss: s.meanLogLoss ?? NaN,
      sdLogLoss: s.sdLogLoss ?? NaN,
      seLogLoss: s.seLogLoss ?? NaN,
      meanAuc: s.meanAuc ?? NaN,
      meanSeconds: s.meanSeconds,
      divergedFolds: s.divergedFolds ?? 0,
      winner: s.architecture === r.winner.architecture,
    })),
  );
}

const EXPERIMENT_COLUMNS: (keyof ExperimentRow)[] = [
  "run", "startedAt", "data", "rows", "folds", "epochs", "batchSize", "learningRate", "activation", "seed", "workers",
  "runSeconds", "architecture", "parameters", "meanAccuracy", "sdAccuracy", "meanPrecision", "meanRecall", "meanF1",
  "meanLogLoss", "sdLogLoss", "seLogLoss", "meanAuc", "meanSeconds", "divergedFolds", "winner",
];

/** Runs side by side as a danfo DataFrame: one row per run × architecture (see ExperimentRow). */
export function experimentsDataFrame(records: readonly ExperimentRecord[] = listExperiments()): DataFrame {
  // Required lazily: danfo loads TensorFlow.js, which selection itself does not need.
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  const rows = experimentRows(records);
  if (rows.length === 0) return new danfo.DataFrame([], { columns: EXPERIMENT_COLUMNS });
  return new danfo.DataFrame(rows.map((row) => EXPERIMENT_COLUMNS.map((c) => row[c])), { columns: EXPERIMENT_COLUMNS });
}

export interface RunExperimentOptions extends SelectionOptions, LoadCsvOptions {
  /** CSV to select on; default data/train.csv (built on first use). */
  data?: string;
  /** Where the record goes; default reports/experiments under the project root. Its fold cache is <dir>/cache. */
  dir?: string;
  /** false: no fold cache at all (nothing reused, nothing stored). */
  useCache?: boolean;
  /** Told of each unusable cache entry (it is trained again). */
  onCacheWarning?: (message: string) => void;
}

/**
 * Loads the CSV, runs selectArchitecture with the records folder's fold cache, saves the record;
 * returns it, its path and the rows of other digits the load dropped (see LoadedDataset).
 */
export async function runExperiment(options: RunExperimentOptions = {}): Promise<{ record: ExperimentRecord; path: string; dropped: LoadedDataset["dropped"] }> {
  const { data = DEFAULT_TRAIN_CSV, dir = experimentsDir(), binaryOnly, digits, useCache = true, onCacheWarning, ...selection } = options;
  resolveSelectionConfig(selection); // bad settings fail before the (slow) load
  const dataset = loadCsv(data, { binaryOnly, digits });
  const cache = useCache ? new FoldCache(foldCacheDir(dir), onCacheWarning) : undefined;
  const record = await selectArchitecture(dataset, { cache, ...selection, source: data });
  return { record, path: saveExperiment(record, dir), dropped: dataset.dropped };
}
