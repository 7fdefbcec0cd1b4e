// Model selection: stratified k-fold cross-validation over a grid of candidates (Dense layer sizes
// × hidden activations × learning rates), run in process or in worker threads with identical
// results, summarised per candidate, and a winner by the one-standard-error rule. Folds already
// in a fold cache (lib/fold-cache) are reused, not trained. Records are stored by lib/experiments.
//
//   pure      parseLayers, candidates, summarise, oneStandardErrorRule
//   compute   selectArchitecture (k-fold × grid, returns an ExperimentRecord; writes only to the cache it is given)
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import * as ss from "simple-statistics";
import { classCounts, datasetDigits, datasetFingerprint, projectRoot, resolveDataPath, type Dataset } from "./data";
import { InputError } from "./errors";
import { classificationReport, type ClassificationMetrics } from "./metrics";
import { ACTIVATIONS, architectureName, modelConfig, parameterCount, type Activation, type ModelConfig } from "./model";
import { deriveSeed } from "./random";
import { stratifiedKFold, subset, type Fold } from "./split";
import { predictProbabilities, resolveTrainConfig, Trainer, TrainingDiverged, formatLoss } from "./train";
import { checkSelectionMemory } from "./memory";
import { engineInfo } from "./engine";
import { workerEntry } from "./workers";
import { foldKey, type FoldCache, type FoldInputs } from "./fold-cache";
import { packageVersion } from "./persist";
import type { QueueInfo, QueueRunOptions } from "./queue";

// ---------------------------------------------------------------------------------------------
// Types

/**
 * The default grid: logistic regression, three networks smaller than the reference, the
 * reference (25, 15), and two wider ones, so the one-SE rule has both directions to choose from.
 */
export const DEFAULT_GRID: readonly (readonly number[])[] = [[], [8], [16, 8], [25, 15], [64, 32], [128, 64]];

/**
 * Everything that determines a selection's numbers (not how fast it runs). The candidates are
 * the product grid × activations × learningRates, in that order (see `candidates`).
 */
export interface SelectionConfig {
  /** Hidden layer sizes of each architecture; `[]` is logistic regression. */
  grid: number[][];
  /** Hidden-layer activations to try (one for logistic regression, which has none, is enough). */
  activations: Activation[];
  /** Adam learning rates to try. */
  learningRates: number[];
  folds: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Probability above which a prediction is class 1 (for accuracy, precision, recall, F1). */
  threshold: number;
}

export const DEFAULT_SELECTION_CONFIG: Readonly<Omit<SelectionConfig, "grid" | "activations" | "learningRates"> & { activation: Activation; learningRate: number }> = {
  folds: 5,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  activation: "sigmoid",
  seed: 13,
  threshold: 0.5,
};

/** One point of the grid: what a network is and how it trains. */
export interface Candidate {
  /** Layer sizes, plus the activation and learning rate where the grid varies them: "25-15", "25-15 relu lr 0.003". */
  name: string;
  hidden: number[];
  activation: Activation;
  learningRate: number;
}

/**
 * One training run: an architecture trained on k-1 folds and scored on the held-out fold. The
 * metrics are classificationReport's on the validation fold (its row count is validationRows);
 * logLoss, the mean binary cross-entropy, is what the winner is chosen by.
 */
export interface FoldResult extends Omit<ClassificationMetrics, "count"> {
  /** The candidate's name: architectureName(hidden) ("25-15", "logistic"), plus its activation and learning rate where the grid varies them. */
  architecture: string;
  hidden: number[];
  activation: Activation;
  learningRate: number;
  /** 0-based index of the validation fold. */
  fold: number;
  /** Training seed, derived from (config seed, hidden sizes, fold): independent of scheduling. */
  seed: number;
  parameters: number;
  trainRows: number;
  validationRows: number;
  /** Wall time of the training (data preparation and epochs), excluding validation; for a reused fold, that of the run that trained it. */
  seconds: number;
  /** Its fold-cache key (lib/fold-cache), in records: what `digits experiments prune` keeps. */
  key?: string;
  /** Training loss and accuracy after each epoch (up to the one that diverged, if one did). */
  history: { loss: number[]; acc: number[] };
  /**
   * Present when training diverged (see hasDiverged in lib/train): the 1-based epoch it stopped at
   * and that epoch's mean training loss. Such a fold is not scored: its metrics are NaN (null in
   * JSON) and its confusion matrix all zeros.
   */
  diverged?: { epoch: number; loss: number };
}

/** What the one-SE rule needs to know about an architecture. */
export interface OneSeCandidate {
  architecture: string;
  parameters: number;
  meanLogLoss: number;
  /** Standard error of the mean log loss over folds: sd / sqrt(folds). */
  seLogLoss: number;
  /** Folds whose training diverged; a candidate with any is never chosen. Absent counts as 0. */
  divergedFolds?: number;
}

/** Per-candidate means and sample standard deviations over the folds. */
export interface ArchitectureSummary extends OneSeCandidate {
  hidden: number[];
  activation: Activation;
  learningRate: number;
  folds: number;
  /** Folds whose training diverged (0 when all trained): such an architecture cannot win. */
  divergedFolds: number;
  meanAccuracy: number;
  sdAccuracy: number;
  meanPrecision: number;
  sdPrecision: number;
  meanRecall: number;
  sdRecall: number;
  meanF1: number;
  sdF1: number;
  sdLogLoss: number;
  meanAuc: number;
  sdAuc: number;
  meanSeconds: number;
  sdSeconds: number;
}

/** Outcome of the one-SE rule on a summary table. */
export interface OneSeChoice {
  /** The chosen architecture: the smallest within one standard error of the best. */
  winner: string;
  /** The architecture with the lowest mean log loss. */
  best: string;
  /** best.meanLogLoss + best.seLogLoss: candidates at or below it are "as good as the best". */
  threshold: number;
  /** Architectures within the threshold, smallest first. */
  withinOneSe: string[];
  /** A sentence saying why the winner was chosen. */
  reason: string;
}

export interface Winner extends OneSeChoice {
  /** Same as `winner`. */
  architecture: string;
  hidden: number[];
  activation: Activation;
  learningRate: number;
  parameters: number;
  meanLogLoss: number;
  seLogLoss: number;
}

/** One selection run as stored in reports/experiments/<id>.json. */
export interface ExperimentRecord {
  schema: "binary-digits/experiment";
  /** 2 added the activations and learning rates to the grid; version 1 records are read as version 2 (listExperiments). */
  schemaVersion: 2;
  kind: "model-selection";
  /** Also the file name (without .json); sorts by start time. */
  id: string;
  /** ISO 8601 times and the wall time between them. */
  startedAt: string;
  finishedAt: string;
  seconds: number;
  config: SelectionConfig;
  /** Worker threads used (1 = in process, 0 = every fold came from the cache); does not change any number below except seconds. */
  workers: number;
  /** How many fold runs the cache gave and how many this run trained (reused + trained = folds). */
  cache: CacheCounts;
  data: {
    /** Path of the CSV (relative to the project root when inside it), null for in-memory data. */
    source: string | null;
    /** datasetFingerprint of the rows. */
    fingerprint: string;
    rows: number;
    cols: number;
    /** Rows per label: [A, B] ([zeros, ones] for the default pair). */
    counts: [number, number];
    /** The pair [A, B] the labels stand for (records written before pairs lack it: [0, 1]). */
    digits: [number, number];
  };
  versions: { node: string; tfjs: string; binaryDigits: string; simpleStatistics: string; assemblyscript: string };
  /** What trained the networks. */
  backend: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string };
  /** In grid order, then fold order. */
  folds: FoldResult[];
  /** In grid order. */
  summary: ArchitectureSummary[];
  winner: Winner;
  /** Runs through a queue (--queue): where the folds went and who trained them. */
  queue?: QueueInfo;
}

/** Reported after every epoch of every fold, and once more when a fold is scored. */
export interface SelectionProgress {
  kind: "epoch" | "fold";
  architecture: string;
  hidden: number[];
  /** 0-based fold index, and the number of folds. */
  fold: number;
  folds: number;
  /** Epochs finished in this fold (1…epochs). */
  epoch: number;
  epochs: number;
  /** Training loss of the epoch just finished. */
  loss: number;
  /** Fold runs finished, of all architectures. */
  foldsDone: number;
  foldsTotal: number;
  /** Share of the estimated work done, 0…1 (epochs weighted by an estimate of their cost). */
  fraction: number;
  elapsedSeconds: number;
  /** Extrapolated from the work done so far; null before the first epoch. */
  remainingSeconds: number | null;
  /** The scored fold, on kind "fold". */
  result?: FoldResult;
  /** Fold runs taken from the cache (counted in foldsDone from the start). */
  reused: number;
}

/** A SelectionConfig's settings, where one activation or learning rate may be given alone. */
export interface SelectionSettings extends Partial<SelectionConfig> {
  /** Shorthand for `activations: [activation]`. */
  activation?: Activation;
  /** Shorthand for `learningRates: [learningRate]`. */
  learningRate?: number;
}

/** Where a selection's fold results came from: the cache, or trained in this run. */
export interface CacheCounts {
  reused: number;
  trained: number;
  /** Of the trained, how many ran on workers through a queue (--queue); absent in a local run. */
  remote?: number;
}

export interface SelectionOptions extends SelectionSettings {
  /**
   * Finished folds, stored by what determines them (lib/fold-cache): folds found there are reused,
   * and every fold trained is stored as soon as it finishes, so a killed run resumes.
   */
  cache?: FoldCache;
  /** false: train every fold even when the cache has it (the fresh results replace the stored ones). */
  reuseCache?: boolean;
  /** Told once, before any training, how many folds the cache gives and how many are trained. */
  onStart?: (plan: { folds: number } & CacheCounts) => void;
  /** Worker threads; default one per core (os.availableParallelism()); 1 runs in this thread. */
  workers?: number;
  onProgress?: (progress: SelectionProgress) => void;
  /** Aborting stops the run (workers are terminated) and rejects with SelectionCancelled. */
  signal?: AbortSignal;
  /** Where the data came from, for the record. */
  source?: string;
  /** Run the folds on workers through this BullMQ queue instead of here (lib/queue). */
  queue?: QueueRunOptions;
}

/** The run was cancelled through its AbortSignal; nothing was recorded. */
export class SelectionCancelled extends Error {
  constructor(message = "model selection cancelled") {
    super(message);
    this.name = "SelectionCancelled";
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing and configuration

const LAYERS_HINT = 'expected positive integers separated by commas, e.g. "25,15", or "none" for logistic regression';

/**
 * Hidden layer sizes from a command-line spec: "25,15" → [25, 15]; "", "none" and "logistic"
 * → [] (logistic regression); "25-15" (architectureName's form) is accepted too.
 */
export function parseLayers(spec: string): number[] {
  const text = spec.trim();
  if (text === "" || /^(none|logistic)$/i.test(text)) return [];
  const parts = text.split(/[,-]/);
  return parts.map((part) => {
    const p = part.trim();
    if (!/^\d+$/.test(p) || Number(p) < 1) {
      throw new InputError(`layer spec "${spec}": ${p === "" ? "an empty size" : `"${p}"`} is not a layer size; ${LAYERS_HINT}`);
    }
    const units = Number(p);
    if (units > 100000) throw new InputError(`layer spec "${spec}": ${units} units is more than this tool supports (100000)`);
    return units;
  });
}

/** What a fold-cache entry must hold to be used as a FoldResult (JSON turns NaN into null). */
function isFoldResult(value: unknown): value is FoldResult {
  const r = value as Partial<FoldResult> | null;
  const numberOrNull = (v: unknown) => typeof v === "number" || v === null;
  return (
    !!r &&
    typeof r.architecture === "string" &&
    Array.isArray(r.hidden) &&
    typeof r.fold === "number" &&
    typeof r.parameters === "number" &&
    ["accuracy", "precision", "recall", "f1", "logLoss", "auc", "seconds"].every((k) => numberOrNull((r as Record<string, unknown>)[k])) &&
    Array.isArray(r.confusionMatrix) &&
    !!r.history &&
    Array.isArray(r.history.loss)
  );
}

/** Each value once: the first time it is listed twice is an InputError naming it. */
function once<T>(values: readonly T[], what: string, show: (v: T) => string = String): T[] {
  const seen = new Set<string>();
  for (const v of values) {
    const key = show(v);
    if (seen.has(key)) throw new InputError(`${what} ${key} is in the grid twice; list each once`);
    seen.add(key);
  }
  return [...values];
}

/** Fills in defaults and checks every setting, throwing InputError with what to change. */
export function resolveSelectionConfig(options: SelectionSettings = {}): SelectionConfig {
  const grid = once((options.grid ?? DEFAULT_GRID).map((hidden) => [...hidden]), "architecture", (h) => architectureName(h));
  if (grid.length === 0) throw new InputError("the grid of architectures is empty; give at least one (e.g. --layers 25,15)");
  const activations = once(options.activations ?? [options.activation ?? DEFAULT_SELECTION_CONFIG.activation], "activation");
  if (activations.length === 0) throw new InputError(`no activation to try; give at least one of ${ACTIVATIONS.join(", ")}`);
  for (const activation of activations) {
    if (!ACTIVATIONS.includes(activation)) throw new InputError(`activation must be one of ${ACTIVATIONS.join(", ")}, got "${activation}"`);
  }
  for (const hidden of grid) modelConfig(hidden, activations[0]);
  const learningRates = once(options.learningRates ?? [options.learningRate ?? DEFAULT_SELECTION_CONFIG.learningRate], "learning rate");
  if (learningRates.length === 0) throw new InputError("no learning rate to try; give at least one (e.g. 0.001)");
  const train = learningRates.map((learningRate) =>
    resolveTrainConfig({
      epochs: options.epochs ?? DEFAULT_SELECTION_CONFIG.epochs,
      batchSize: options.batchSize ?? DEFAULT_SELECTION_CONFIG.batchSize,
      learningRate,
      seed: options.seed ?? DEFAULT_SELECTION_CONFIG.seed,
    }),
  )[0];
  const folds = options.folds ?? DEFAULT_SELECTION_CONFIG.folds;
  if (!Number.isInteger(folds) || folds < 2) throw new InputError(`folds must be a whole number ≥ 2, got ${folds}`);
  const threshold = options.threshold ?? DEFAULT_SELECTION_CONFIG.threshold;
  if (!(threshold >= 0 && threshold < 1)) throw new InputError(`threshold must be in [0, 1), got ${threshold}`);
  return { grid, activations, learningRates, folds, epochs: train.epochs, batchSize: train.batchSize, seed: train.seed, threshold };
}

/**
 * The name of a candidate: its layer sizes, then the settings the grid varies ("25-15 relu lr
 * 0.003"). Settings every candidate shares are left out (they are in the record's config), so the
 * default grid keeps the plain names "logistic", "25-15".
 */
export function candidateName(hidden: readonly number[], activation: Activation, learningRate: number, varies: { activation: boolean; learningRate: boolean }): string {
  const parts = [architectureName(hidden)];
  if (varies.activation && hidden.length > 0) parts.push(activation);
  if (varies.learningRate) parts.push(`lr ${learningRate}`);
  return parts.join(" ");
}

/**
 * The grid's candidates: every architecture × activation × learning rate, in that order.
 * Logistic regression has no hidden layer, so it is tried once per learning rate, not once per
 * activation (it would train the same network under several names).
 */
export function candidates(config: Pick<SelectionConfig, "grid" | "activations" | "learningRates">): Candidate[] {
  const varies = { activation: config.activations.length > 1, learningRate: config.learningRates.length > 1 };
  const list: Candidate[] = [];
  for (const hidden of config.grid) {
    const activations = hidden.length === 0 ? config.activations.slice(0, 1) : config.activations;
    for (const activation of activations) {
      for (const learningRate of config.learningRates) {
        list.push({ name: candidateName(hidden, activation, learningRate, varies), hidden: [...hidden], activation, learningRate });
      }
    }
  }
  return list;
}

/** One per core (os.availableParallelism), the default number of workers. */
export function defaultWorkers(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/**
 * The training seed of one fold run. Derived from the hidden sizes themselves (not their
 * position in the grid), so an architecture gets the same numbers in any grid, order or schedule.
 * Not from the activation or learning rate: candidates that differ only in those start from the
 * same weights and see the rows in the same order, so their difference is theirs, not the seed's.
 */
export function foldSeed(seed: number, hidden: readonly number[], fold: number): number {
  return deriveSeed(seed, hidden.length, ...hidden, fold);
}

// ---------------------------------------------------------------------------------------------
// Summaries and the one-SE rule (pure)

/**
 * Per-candidate means and sample standard deviations of the fold results, in the order given:
 * candidates, or (for a grid of layer sizes alone) hidden sizes.
 */
export function summarise(results: readonly FoldResult[], order: readonly (Candidate | readonly number[])[]): ArchitectureSummary[] {
  return order.map((entry) => {
    const candidate = "name" in entry ? entry : null;
    const hidden = candidate ? candidate.hidden : (entry as readonly number[]);
    const architecture = candidate ? candidate.name : architectureName(hidden);
    const rows = results.filter((r) => r.architecture === architecture);
    if (rows.length === 0) throw new RangeError(`no fold results for architecture ${architecture}`);
    const col = (key: "accuracy" | "precision" | "recall" | "f1" | "logLoss" | "auc" | "seconds") => rows.map((r) => r[key]);
    const mean = (values: number[]) => (values.some((v) => v === null || Number.isNaN(v)) ? NaN : ss.mean(values));
    // Sample sd (n - 1), as the spread of fold scores estimates that of new folds; 0 for one fold.
    const sd = (values: number[]) => (values.some((v) => v === null || Number.isNaN(v)) ? NaN : values.length < 2 ? 0 : ss.sampleStandardDeviation(values));
    const sdLogLoss = sd(col("logLoss"));
    return {
      architecture,
      hidden: [...hidden],
      activation: candidate?.activation ?? rows[0].activation ?? DEFAULT_SELECTION_CONFIG.activation,
      learningRate: candidate?.learningRate ?? rows[0].learningRate ?? DEFAULT_SELECTION_CONFIG.learningRate,
      parameters: rows[0].parameters,
      folds: rows.length,
      divergedFolds: rows.filter((r) => r.diverged).length,
      meanAccuracy: mean(col("accuracy")),
      sdAccuracy: sd(col("accuracy")),
      meanPrecision: mean(col("precision")),
      sdPrecision: sd(col("precision")),
      meanRecall: mean(col("recall")),
      sdRecall: sd(col("recall")),
      meanF1: mean(col("f1")),
      sdF1: sd(col("f1")),
      meanLogLoss: mean(col("logLoss")),
      sdLogLoss,
      seLogLoss: sdLogLoss / Math.sqrt(rows.length),
      meanAuc: mean(col("auc")),
      sdAuc: sd(col("auc")),
      meanSeconds: mean(col("seconds")),
      sdSeconds: sd(col("seconds")),
    };
  });
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x));
const count = (n: number): string => n.toLocaleString("en-US");

/**
 * The one-standard-error rule (Breiman et al., 1984; Hastie, Tibshirani & Friedman, ESL §7.10):
 * find the architecture with the lowest mean validation log loss; every architecture whose mean is
 * at most that best mean plus the best's standard error is as good as the best within the noise
 * of the folds; of those, choose the one with the fewest parameters (ties: lower mean log loss,
 * then table order). Rows with a non-finite mean, or with folds that diverged, are ignored (a run
 * that blew up must not win, even if its other folds scored well); a NaN standard error counts as 0.
 */
export function oneStandardErrorRule(table: readonly OneSeCandidate[]): OneSeChoice {
  const rows = table
    .map((row, order) => ({ ...row, order }))
    .filter((r) => Number.isFinite(r.meanLogLoss) && !((r.divergedFolds ?? 0) > 0));
  if (rows.length === 0) throw new RangeError("oneStandardErrorRule: no architecture with a finite mean log loss and no diverged fold");
  const best = rows.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a));
  const se = Number.isFinite(best.seLogLoss) ? best.seLogLoss : 0;
  const threshold = best.meanLogLoss + se;
  const within = rows
    .filter((r) => r.meanLogLoss <= threshold)
    .sort((a, b) => a.parameters - b.parameters || a.meanLogLoss - b.meanLogLoss || a.order - b.order);
  const winner = within[0];
  const smaller = rows.filter((r) => r.parameters < best.parameters);
  let reason: string;
  if (winner.architecture !== best.architecture) {
    reason =
      `${winner.architecture} (${count(winner.parameters)} parameters) is the smallest network whose mean validation log loss, ` +
      `${fmt(winner.meanLogLoss)}, is within one standard error of the best, ${best.architecture} ` +
      `(${fmt(best.meanLogLoss)} + SE ${fmt(se)} = ${fmt(threshold)}, ${count(best.parameters)} parameters): ` +
      `the difference is within the noise across folds, so the smaller network is preferred.`;
  } else if (smaller.length === 0) {
    reason =
      `${winner.architecture} has the lowest mean validation log loss (${fmt(winner.meanLogLoss)}, SE ${fmt(se)}) ` +
      `and is also the smallest network in the grid (${count(winner.parameters)} parameters).`;
  } else {
    const nearest = smaller.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a));
    reason =
      `${winner.architecture} has the lowest mean validation log loss (${fmt(winner.meanLogLoss)}, SE ${fmt(se)}) and no smaller ` +
      `network comes within one standard error of it (≤ ${fmt(threshold)}; the best smaller one, ${nearest.architecture}, ` +
      `has ${fmt(nearest.meanLogLoss)}), so its ${count(winner.parameters)} parameters pay for themselves.`;
  }
  return { winner: winner.architecture, best: best.architecture, threshold, withinOneSe: within.map((r) => r.architecture), reason };
}

/** The winner of a summary table, with its sizes and scores. */
export function chooseWinner(summary: readonly ArchitectureSummary[]): Winner {
  const rule = oneStandardErrorRule(summary);
  const diverged = summary.filter((s) => (s.divergedFolds ?? 0) > 0).map((s) => s.architecture);
  const choice = diverged.length === 0 ? rule : { ...rule, reason: `${rule.reason} Not considered, as training diverged: ${diverged.join(", ")}.` };
  const row = summary.find((s) => s.architecture === choice.winner)!;
  return {
    ...choice,
    architecture: row.architecture,
    hidden: [...row.hidden],
    activation: row.activation,
    learningRate: row.learningRate,
    parameters: row.parameters,
    meanLogLoss: row.meanLogLoss,
    seLogLoss: row.seLogLoss,
  };
}

// ---------------------------------------------------------------------------------------------
// One fold run (shared by the in-process runner and lib/selection-worker)

/** @internal A unit of work: one candidate on one fold. */
export interface FoldJob {
  id: number;
  candidate: Candidate;
  fold: number;
}

/** @internal The settings a fold run needs (a SelectionConfig without what varies per candidate). */
export type FoldSettings = Omit<SelectionConfig, "grid" | "activations" | "learningRates">;

/** @internal Trains one architecture on one fold, an epoch at a time, then scores it. */
export class FoldRun {
  private readonly trainer: Trainer;
  private readonly validation: Dataset;
  private readonly architecture: string;
  private readonly seed: number;
  private readonly trainRows: number;
  private trainSeconds: number;

  constructor(
    dataset: Dataset,
    folds: readonly Fold[],
    readonly job: FoldJob,
    private readonly settings: FoldSettings,
  ) {
    const started = performance.now();
    const fold = folds[job.fold];
    const { candidate } = job;
    this.architecture = candidate.name;
    this.seed = foldSeed(settings.seed, candidate.hidden, job.fold);
    this.validation = subset(dataset, fold.validation);
    this.trainRows = fold.train.length;
    this.trainer = new Trainer(subset(dataset, fold.train), modelConfig(candidate.hidden, candidate.activation, dataset.cols), {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: candidate.learningRate,
      seed: this.seed,
    });
    this.trainSeconds = (performance.now() - started) / 1000;
  }

  get done(): boolean {
    return this.trainer.done;
  }

  /**
   * Trains one more epoch; returns its training loss and wall time. An epoch whose loss diverged
   * ends the run (done) instead of throwing: one candidate blowing up must not stop the selection.
   */
  step(): { loss: number; seconds: number } {
    const started = performance.now();
    let loss: number;
    try {
      loss = this.trainer.runEpoch().loss;
    } catch (error) {
      if (!(error instanceof TrainingDiverged)) throw error;
      loss = error.loss;
    }
    const seconds = (performance.now() - started) / 1000;
    this.trainSeconds += seconds;
    return { loss, seconds };
  }

  result(): FoldResult {
    const network = this.trainer.network();
    const diverged = this.trainer.diverged;
    const { count, ...metrics } = diverged
      ? { count: this.validation.rows, accuracy: NaN, precision: NaN, recall: NaN, f1: NaN, logLoss: NaN, auc: NaN, confusionMatrix: [[0, 0], [0, 0]] as ClassificationMetrics["confusionMatrix"] }
      : classificationReport(this.validation.labels, predictProbabilities(network, this.validation), this.settings.threshold);
    const h = this.trainer.history.history;
    return {
      architecture: this.architecture,
      hidden: [...this.job.candidate.hidden],
      activation: this.job.candidate.activation,
      learningRate: this.job.candidate.learningRate,
      fold: this.job.fold,
      seed: this.seed,
      parameters: parameterCount(network.config),
      trainRows: this.trainRows,
      validationRows: count,
      ...metrics,
      seconds: this.trainSeconds,
      history: { loss: [...h.loss], acc: [...h.acc] },
      ...(diverged ? { diverged: { ...diverged } } : {}),
    };
  }
}

/** @internal What the main thread hands each worker once, at start. */
export interface WorkerInit {
  /** Backed by a SharedArrayBuffer: every worker reads the same memory, nothing is copied. */
  features: Float32Array;
  labels: Uint8Array;
  rows: number;
  cols: number;
  folds: Fold[];
  settings: FoldSettings;
}

/** @internal Messages from a worker. */
export type WorkerMessage =
  | { type: "epoch"; id: number; epoch: number; loss: number; seconds: number }
  | { type: "result"; id: number; result: FoldResult }
  | { type: "error"; id: number; message: string; stack: string; input: boolean };

// ---------------------------------------------------------------------------------------------
// Running the grid

/**
 * A prior for the relative cost of one epoch of an architecture, before any is measured: a fixed
 * part per row, the first layer (which only multiplies the non-zero pixels), and the dense layers.
 * Fitted to this project's trainer on MNIST; only used to order jobs and to extrapolate.
 */
function epochCost(hidden: readonly number[]): number {
  const sizes = [...hidden, 1];
  let cost = 640 + 26 * sizes[0];
  for (let l = 0; l + 1 < sizes.length; l++) cost += sizes[l] * sizes[l + 1];
  return cost;
}

/**
 * Time left, from what has been measured: each architecture's seconds per epoch once it has run
 * an epoch, else its prior cost scaled like the measured ones; the total of epoch seconds still
 * to run is turned into wall time by the ratio of wall time to epoch seconds so far, which
 * accounts for parallel workers and for the time spent outside epochs (data, scoring).
 */
class RemainingTime {
  private readonly rows = new Map<string, { cost: number; total: number; done: number; seconds: number }>();

  constructor(jobs: readonly FoldJob[], epochs: number) {
    for (const job of jobs) {
      const name = job.candidate.name;
      const row = this.rows.get(name) ?? { cost: epochCost(job.candidate.hidden), total: 0, done: 0, seconds: 0 };
      row.total += epochs;
      this.rows.set(name, row);
    }
  }

  /** A fold run that stopped early (training diverged) will not run its remaining epochs. */
  epochsSkipped(architecture: string, epochs: number): void {
    this.rows.get(architecture)!.total -= epochs;
  }

  epochDone(architecture: string, seconds: number): void {
    const row = this.rows.get(architecture)!;
    row.done++;
    row.seconds += seconds;
  }

  /** Epoch seconds done and (estimated) still to do. */
  private totals(): { done: number; left: number } {
    let measured = 0;
    let measuredCost = 0;
    for (const r of this.rows.values()) {
      if (r.done > 0) {
        measured += r.seconds;
        measuredCost += r.cost * r.done;
      }
    }
    const scale = measuredCost > 0 ? measured / measuredCost : 0;
    let left = 0;
    for (const r of this.rows.values()) left += (r.total - r.done) * (r.done > 0 ? r.seconds / r.done : r.cost * scale);
    return { done: measured, left };
  }

  /** Share of the work done, 0…1. */
  fraction(): number {
    const { done, left } = this.totals();
    return done + left > 0 ? done / (done + left) : 0;
  }

  remaining(elapsedSeconds: number): number | null {
    const { done, left } = this.totals();
    return done > 0 ? (left * elapsedSeconds) / done : null;
  }
}

function toShared<T extends Float32Array | Uint8Array>(array: T, make: (buffer: SharedArrayBuffer) => T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const shared = make(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}

/** @internal What a way of running fold jobs (in process, threads, a queue) is given. */
export interface Scheduler {
  jobs: FoldJob[];
  folds: Fold[];
  settings: FoldSettings;
  dataset: Dataset;
  workers: number;
  onEpoch(job: FoldJob, epoch: number, loss: number, seconds: number): void;
  onResult(job: FoldJob, result: FoldResult): void;
  signal?: AbortSignal;
}

function cancelled(signal: AbortSignal | undefined): SelectionCancelled {
  const reason = signal?.reason;
  return new SelectionCancelled(reason instanceof Error && reason.name !== "AbortError" ? reason.message : "model selection cancelled");
}

/** @internal Most expensive first: workers end together, and time estimates rest on the big jobs early. */
export function costliestFirst(jobs: readonly FoldJob[]): FoldJob[] {
  return [...jobs].sort((a, b) => epochCost(b.candidate.hidden) - epochCost(a.candidate.hidden) || a.id - b.id);
}

/** In this thread, one job after another, yielding after every epoch so progress and abort get through. */
async function runSerial(s: Scheduler): Promise<void> {
  for (const job of costliestFirst(s.jobs)) {
    if (s.signal?.aborted) throw cancelled(s.signal);
    const run = new FoldRun(s.dataset, s.folds, job, s.settings);
    let epoch = 0;
    while (!run.done) {
      const { loss, seconds } = run.step();
      s.onEpoch(job, ++epoch, loss, seconds);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (s.signal?.aborted) throw cancelled(s.signal);
    }
    s.onResult(job, run.result());
  }
}

/** Worker threads pull jobs from one queue, most expensive first. */
function runParallel(s: Scheduler): Promise<void> {
  const { entry, eval: isEval } = workerEntry("selection-worker");
  const init: WorkerInit = {
    features: toShared(s.dataset.features, (b) => new Float32Array(b)),
    labels: toShared(s.dataset.labels, (b) => new Uint8Array(b)),
    rows: s.dataset.rows,
    cols: s.dataset.cols,
    folds: s.folds,
    settings: s.settings,
  };
  const queue = costliestFirst(s.jobs);
  const byId = new Map(s.jobs.map((job) => [job.id, job]));
  let remaining = s.jobs.length;
  const workers: Worker[] = [];

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      s.signal?.removeEventListener("abort", onAbort);
      // Wait for the threads to be gone, so a caller that exits or writes next is alone.
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => (error === undefined ? resolve() : reject(error)));
    };
    const onAbort = () => finish(cancelled(s.signal));
    if (s.signal?.aborted) return finish(cancelled(s.signal));
    s.signal?.addEventListener("abort", onAbort);

    // A throw in a handler (the caller's onProgress included) must end the run with that error:
    // left alone it would escape as an uncaught exception, with the promise pending and the
    // workers still running.
    const guarded =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A): void => {
        if (settled) return;
        try {
          handler(...args);
        } catch (error) {
          finish(error);
        }
      };
    const next = (worker: Worker) => {
      const job = queue.shift();
      if (job) worker.postMessage(job);
    };
    const onMessage = (worker: Worker, message: WorkerMessage) => {
      const job = byId.get(message.id)!;
      if (message.type === "epoch") s.onEpoch(job, message.epoch, message.loss, message.seconds);
      else if (message.type === "result") {
        s.onResult(job, message.result);
        remaining--;
        if (remaining === 0) finish();
        else next(worker);
      } else {
        const error = message.input ? new InputError(message.message) : new Error(message.message);
        error.stack = message.stack;
        finish(error);
      }
    };
    // Guarded too: if starting the third worker throws, the two already started are terminated.
    guarded(() => {
      const count = Math.min(s.workers, s.jobs.length);
      for (let w = 0; w < count && !settled; w++) {
        const worker = new Worker(entry, { eval: isEval, workerData: init });
        workers.push(worker);
        worker.on("message", guarded((message: WorkerMessage) => onMessage(worker, message)));
        worker.on("error", (error) => finish(error));
        worker.on("exit", (code) => {
          if (!settled) finish(new Error(`a selection worker stopped unexpectedly (exit code ${code})`));
        });
        next(worker);
      }
    })();
  });
}

function versionOf(pkg: string): string {
  try {
    const file = require.resolve(`${pkg}/package.json`, { paths: [projectRoot(), __dirname] });
    return JSON.parse(fs.readFileSync(file, "utf8")).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

function versions(): ExperimentRecord["versions"] {
  return { node: process.version, tfjs: versionOf("@tensorflow/tfjs"), binaryDigits: packageVersion(), simpleStatistics: versionOf("simple-statistics"), assemblyscript: versionOf("assemblyscript") };
}

/** "20261125T123456789Z-1a2b": sorts by start time; the suffix keeps simultaneous runs apart. */
function experimentId(started: Date): string {
  return `${started.toISOString().replace(/[-:.]/g, "")}-${randomBytes(2).toString("hex")}`;
}

/** A data path as stored in records: relative to the project root when inside it. */
function sourceLabel(source: string): string {
  const resolved = resolveDataPath(source);
  const relative = path.relative(projectRoot(), resolved);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative.split(path.sep).join("/") : resolved;
}

/**
 * Refuses, before any worker starts, a grid that cannot fit: the largest fold's rows (and their
 * non-zero pixels) with each architecture, `concurrent` fold runs at once, plus the copy of the
 * dataset that worker threads share.
 */
function checkFoldMemory(dataset: Dataset, folds: readonly Fold[], models: ModelConfig[], concurrent: number): void {
  const perRow = new Uint32Array(dataset.rows);
  for (let r = 0; r < dataset.rows; r++) {
    let n = 0;
    for (let c = r * dataset.cols, end = c + dataset.cols; c < end; c++) if (dataset.features[c] !== 0) n++;
    perRow[r] = n;
  }
  const largest = (pick: (fold: Fold) => Uint32Array) => {
    let rows = 0;
    let nonZero = 0;
    for (const fold of folds) {
      const indices = pick(fold);
      let n = 0;
      for (const i of indices) n += perRow[i];
      rows = Math.max(rows, indices.length);
      nonZero = Math.max(nonZero, n);
    }
    return { rows, nonZero };
  };
  const shared = concurrent > 1 && !(dataset.features.buffer instanceof SharedArrayBuffer) ? dataset.features.byteLength + dataset.rows : 0;
  checkSelectionMemory(models, largest((f) => f.train), largest((f) => f.validation), concurrent, shared);
}

/**
 * Cross-validates every architecture of the grid on `dataset` (stratified k-fold, the same folds
 * for all, so architectures are compared on the same rows) and names a winner by the one-SE rule.
 * Results depend only on the data and the SelectionConfig: the same with 1 or N workers, in any
 * order. Returns the record; nothing is written (see saveExperiment / runExperiment).
 */
export async function selectArchitecture(dataset: Dataset, options: SelectionOptions = {}): Promise<ExperimentRecord> {
  const started = new Date();
  const startedMs = performance.now();
  const config = resolveSelectionConfig(options);
  const requested = options.workers ?? defaultWorkers();
  if (!Number.isInteger(requested) || requested < 1) throw new InputError(`workers must be a whole number ≥ 1, got ${requested}`);
  if (dataset.rows === 0) throw new InputError("the data has no rows");
  const folds = stratifiedKFold(dataset.labels, config.folds, config.seed);
  const { grid, activations, learningRates, ...settings } = config;
  const list = candidates(config);
  const jobs: FoldJob[] = [];
  for (const candidate of list) for (let f = 0; f < config.folds; f++) jobs.push({ id: jobs.length, candidate, fold: f });
  // Refused before anything trains: the whole grid must fit, this many fold runs at once.
  checkFoldMemory(dataset, folds, list.map((c) => modelConfig(c.hidden, c.activation, dataset.cols)), Math.min(requested, jobs.length));

  // A fold is a pure function of these inputs: the cache gives back what an earlier run trained.
  const fingerprint = datasetFingerprint(dataset);
  const kernels = engineInfo().kernelsSha256;
  const inputsOf = (job: FoldJob): FoldInputs => ({
    data: fingerprint,
    digits: datasetDigits(dataset),
    hidden: job.candidate.hidden,
    activation: job.candidate.activation,
    learningRate: job.candidate.learningRate,
    batchSize: settings.batchSize,
    epochs: settings.epochs,
    folds: config.folds,
    fold: job.fold,
    seed: settings.seed,
    threshold: settings.threshold,
    kernels,
  });
  const results: FoldResult[] = [];
  const toTrain: FoldJob[] = [];
  for (const job of jobs) {
    const inputs = inputsOf(job);
    const cached = options.cache && options.reuseCache !== false ? options.cache.get(inputs, isFoldResult) : null;
    // The candidate's name depends on the grid it is in ("8" alone, "8 relu" beside "8 tanh").
    if (cached) results.push({ ...cached, architecture: job.candidate.name, key: foldKey(inputs) });
    else toTrain.push(job);
  }
  const reused = results.length;
  options.onStart?.({ folds: jobs.length, reused, trained: toTrain.length });
  // No more threads than fold jobs to train: the record and the CLI say how many really ran.
  const workers = Math.min(requested, toTrain.length);

  const clock = new RemainingTime(toTrain, config.epochs);
  const elapsed = () => (performance.now() - startedMs) / 1000;
  const report = (job: FoldJob, kind: "epoch" | "fold", epoch: number, loss: number, result?: FoldResult) => {
    if (!options.onProgress) return;
    const seconds = elapsed();
    const fraction = results.length === jobs.length ? 1 : clock.fraction();
    options.onProgress({
      kind,
      architecture: job.candidate.name,
      hidden: [...job.candidate.hidden],
      fold: job.fold,
      folds: config.folds,
      epoch,
      epochs: config.epochs,
      loss,
      foldsDone: results.length,
      foldsTotal: jobs.length,
      fraction,
      elapsedSeconds: seconds,
      remainingSeconds: results.length === jobs.length ? 0 : clock.remaining(seconds),
      result,
      reused,
    });
  };
  const lastLoss = new Map<number, number>();
  const scheduler: Scheduler = {
    jobs: toTrain,
    folds,
    settings,
    dataset,
    workers,
    signal: options.signal,
    onEpoch(job, epoch, loss, seconds) {
      clock.epochDone(job.candidate.name, seconds);
      lastLoss.set(job.id, loss);
      report(job, "epoch", epoch, loss);
    },
    onResult(job, result) {
      const inputs = inputsOf(job);
      // Stored the moment it is scored, so a run killed later keeps it.
      options.cache?.put(inputs, result);
      results.push({ ...result, key: foldKey(inputs) });
      const epochs = result.diverged?.epoch ?? config.epochs;
      if (epochs < config.epochs) clock.epochsSkipped(result.architecture, config.epochs - epochs);
      report(job, "fold", epochs, lastLoss.get(job.id) ?? NaN, result);
    },
  };
  let queue: QueueInfo | undefined;
  // Loaded only here: BullMQ and ioredis are not needed by local runs (nor by the notebooks).
  if (options.queue) queue = await (await import("./queue")).runQueued(scheduler, options.queue);
  else if (workers === 1) await runSerial(scheduler);
  else if (workers > 1) await runParallel(scheduler);

  // Completion order depends on scheduling; the record does not.
  const order = new Map(jobs.map((job) => [`${job.candidate.name}/${job.fold}`, job.id]));
  results.sort((a, b) => order.get(`${a.architecture}/${a.fold}`)! - order.get(`${b.architecture}/${b.fold}`)!);
  const summary = summarise(results, list);
  if (summary.every((s) => s.divergedFolds > 0)) {
    const first = results.find((r) => r.diverged)!;
    throw new TrainingDiverged(
      `training diverged in every candidate of the grid (${summary.map((s) => `${s.architecture}: ${s.divergedFolds} of ${s.folds} folds`).join(", ")}; ` +
        `e.g. ${first.architecture} fold ${first.fold + 1} at epoch ${first.diverged!.epoch}, mean training loss ${formatLoss(first.diverged!.loss)}), so none can be chosen`,
      first.diverged!.epoch,
      first.diverged!.loss,
      learningRates,
    );
  }
  const finished = new Date();
  const cpus = os.cpus();
  return {
    schema: "binary-digits/experiment",
    schemaVersion: 2,
    kind: "model-selection",
    id: experimentId(started),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    seconds: elapsed(),
    config,
    workers,
    cache: { reused, trained: toTrain.length, ...(queue ? { remote: queue.remote } : {}) },
    data: {
      source: options.source === undefined ? null : sourceLabel(options.source),
      fingerprint,
      rows: dataset.rows,
      cols: dataset.cols,
      counts: classCounts(dataset.labels),
      digits: [...datasetDigits(dataset)],
    },
    versions: versions(),
    backend: `${engineInfo().engine}, sha256 ${engineInfo().kernelsSha256}; TensorFlow.js only saves and loads models`,
    machine: { platform: process.platform, arch: process.arch, cpus: defaultWorkers(), cpuModel: cpus[0]?.model ?? "unknown" },
    folds: results,
    summary,
    winner: chooseWinner(summary),
    ...(queue ? { queue } : {}),
  };
}
