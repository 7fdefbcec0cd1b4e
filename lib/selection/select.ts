// Model selection: stratified k-fold cross-validation over a grid of candidates, run by a
// scheduler with identical results however it runs, summarised per candidate, and a winner by the
// one-standard-error rule. Folds already in a fold cache are reused, after a check, not trained.
import * as os from "node:os";
import { classCounts, datasetPair, datasetFingerprint, type Dataset } from "../data/dataset";
import { resolveDataPath } from "../data/default-files";
import { projectRelative } from "../core/project";
import { InputError } from "../core/errors";
import { modelConfig, type ModelConfig } from "../model/model";
import { stratifiedKFold, type Fold } from "../data/split";
import { TrainingDiverged, formatLoss } from "../model/train";
import { checkSelectionMemory } from "../model/memory";
import { engineInfo } from "../model/engine";
import { foldKey, type FoldInputs } from "./fold-key";
import { type FoldCache } from "./fold-cache";
import { foldResultProblem } from "./fold-check";
import type { QueueRunOptions } from "./queue/coordinator";
import { SelectionConfig, SelectionSettings, candidates, repeatSeed, resolveSelectionConfig, type Candidate } from "./config";
import { defaultThreads } from "../core/pool";
import { FoldJob, FoldSettings, expectedFold, foldInputs, foldOf } from "./fold-run";
import { chooseWinner, summarise } from "./one-se";
import { ProgressReporter, type SelectionProgress } from "./progress";
import { CandidateSummary, CacheCounts, ExperimentRecord, FoldResult, experimentId, versions, SELECTION_RULES, type ComparisonMetric, type QueueInfo, type SelectionRule } from "./record";
import { compareCandidates, DEFAULT_ROPE } from "./candidate-tests";
import { Scheduler, runOnThreads, runSerial } from "./scheduler";

export type { SelectionProgress } from "./progress";

export interface SelectionOptions extends SelectionSettings {
  /**
   * Finished folds, stored by what determines them (fold-cache.ts): folds found there, and
   * passing their checks (fold-check.ts), are reused; every fold trained is stored as soon as it
   * finishes, so a killed run resumes.
   */
  cache?: FoldCache;
  /**
   * The one cache switch (the CLI's --no-cache is reuse: false): false trains every fold even when
   * the cache or the queue has it, and the fresh results replace the stored ones. Default true.
   */
  reuse?: boolean;
  /** Told the fold-cache key of every fold of the run, before the cache is read (what the run will use). */
  onKeys?: (keys: readonly string[]) => void;
  /** Told once, before any training, how many folds the cache gives and how many are trained. */
  onStart?: (plan: { folds: number } & CacheCounts) => void;
  /**
   * Threads to train on (the CLI's --threads, the record's `workers`); default one per core
   * (os.availableParallelism()); 1 runs in this thread.
   */
  threads?: number;
  onProgress?: (progress: SelectionProgress) => void;
  /** Aborting stops the run (threads are terminated) and rejects with SelectionCancelled. */
  signal?: AbortSignal;
  /** Where the data came from, for the record. */
  source?: string;
  /** Run the folds on `digits worker` processes through this BullMQ queue instead of here (queue/). */
  queue?: QueueRunOptions;
  /** Half-widths of the regions of practical equivalence of the comparisons (default DEFAULT_ROPE). */
  rope?: Partial<Record<ComparisonMetric, number>>;
  /** How the winner is chosen: the one-SE rule (default) or "equivalent" (candidate-tests.ts equivalentRule). */
  rule?: SelectionRule;
}

/** What a selection will do, worked out and checked before anything is read or trained. */
interface SelectionPlan {
  config: SelectionConfig;
  settings: FoldSettings;
  candidates: Candidate[];
  /** By repeat, then fold. */
  folds: Fold[][];
  /** In grid order, then repeat, then fold order; job.id is the index. */
  jobs: FoldJob[];
  /** Threads asked for. */
  threads: number;
  fingerprint: string;
  inputsOf(job: FoldJob): FoldInputs;
  /** The fold-cache key of each job, by job.id. */
  keys: string[];
  rope: Record<ComparisonMetric, number>;
  rule: SelectionRule;
}

/**
 * Refuses, before any thread starts, a grid that cannot fit: the largest fold's rows (and their
 * non-zero pixels) with each candidate's network, `concurrent` fold runs at once, plus the copy of the
 * dataset that threads share.
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

/** The ROPE half-widths and the rule, checked: an InputError says which is wrong. */
export function comparisonSettings(options: Pick<SelectionOptions, "rope" | "rule">): { rope: Record<ComparisonMetric, number>; rule: SelectionRule } {
  const rope = { ...DEFAULT_ROPE, ...options.rope };
  for (const [metric, eps] of Object.entries(rope)) {
    if (!(Number.isFinite(eps) && eps >= 0 && eps < 1)) throw new InputError(`the region of practical equivalence for ${metric} must be a number from 0 to 1, got ${eps}`);
  }
  const rule = options.rule ?? "one-se";
  if (!SELECTION_RULES.includes(rule)) throw new InputError(`rule must be one of ${SELECTION_RULES.join(", ")}, got "${rule}"`);
  return { rope, rule };
}

/** The settings checked, the folds cut, the jobs and their cache keys; throws InputError on a bad setting. */
function planSelection(dataset: Dataset, options: SelectionOptions): SelectionPlan {
  const config = resolveSelectionConfig(options);
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(`threads must be a whole number ≥ 1, got ${threads}`);
  if (dataset.rows === 0) throw new InputError("the data has no rows");
  // Repeat 0 is the plain k-fold cut; each further repeat shuffles with a seed of its own.
  const folds = Array.from({ length: config.repeats }, (_, r) => stratifiedKFold(dataset.labels, config.folds, repeatSeed(config.seed, r)));
  const { grid: _grid, activations: _activations, learningRates: _learningRates, repeats: _repeats, ...settings } = config;
  const list = candidates(config);
  const jobs: FoldJob[] = [];
  for (const candidate of list) {
    for (let r = 0; r < config.repeats; r++) for (let f = 0; f < config.folds; f++) jobs.push({ id: jobs.length, candidate, fold: f, ...(r > 0 ? { repeat: r } : {}) });
  }
  // Refused before anything trains: the whole grid must fit, this many fold runs at once.
  checkFoldMemory(dataset, folds.flat(), list.map((c) => modelConfig(c.hidden, c.activation, dataset.cols)), Math.min(threads, jobs.length));
  // A fold is a pure function of these inputs: the cache gives back what an earlier run trained.
  const fingerprint = datasetFingerprint(dataset);
  const kernels = engineInfo().kernelsSha256;
  const pair = datasetPair(dataset);
  const inputsOf = (job: FoldJob): FoldInputs => foldInputs(job, settings, fingerprint, kernels, pair);
  const { rope, rule } = comparisonSettings(options);
  return { config, settings, candidates: list, folds, jobs, threads, fingerprint, inputsOf, keys: jobs.map((job) => foldKey(inputsOf(job))), rope, rule };
}

/**
 * The folds the cache gives, each checked as a result of its own fold (fold-check.ts), under the
 * name its candidate has in this grid; the rest are to train.
 */
function takeFromCache(plan: SelectionPlan, cols: number, cache: FoldCache | undefined): { results: FoldResult[]; toTrain: FoldJob[] } {
  if (!cache) return { results: [], toTrain: [...plan.jobs] };
  const found = cache.getAll<FoldResult>(
    plan.jobs.map((job) => {
      const inputs = plan.inputsOf(job);
      const fold = foldOf(plan.folds, job);
      return { inputs, check: (result: unknown) => foldResultProblem(result, expectedFold(inputs, fold, cols)) };
    }),
  );
  const results: FoldResult[] = [];
  const toTrain: FoldJob[] = [];
  plan.jobs.forEach((job, i) => {
    const cached = found[i];
    // The candidate's name depends on the grid it is in ("8" alone, "8 relu" beside "8 tanh").
    if (cached) results.push({ ...cached, architecture: job.candidate.name, key: plan.keys[job.id] });
    else toTrain.push(job);
  });
  return { results, toTrain };
}

/**
 * Trains `toTrain` on `threads` threads (or through the queue), storing each result in the cache
 * the moment it is scored and adding it to `results`; returns what the queue reports, if one ran.
 */
async function trainFolds(
  dataset: Dataset,
  plan: SelectionPlan,
  toTrain: FoldJob[],
  results: FoldResult[],
  threads: number,
  progress: ProgressReporter,
  options: SelectionOptions,
): Promise<QueueInfo | undefined> {
  const scheduler: Scheduler = {
    jobs: toTrain,
    folds: plan.folds,
    settings: plan.settings,
    dataset,
    threads,
    signal: options.signal,
    inputsOf: plan.inputsOf,
    onEpoch: (job, epoch, loss, seconds) => progress.epoch(job, epoch, loss, seconds),
    onResult(job, result) {
      // Stored the moment it is scored, so a run killed later keeps it.
      options.cache?.put(plan.inputsOf(job), result);
      results.push({ ...result, key: plan.keys[job.id] });
      progress.fold(job, result);
    },
  };
  // Loaded only here: BullMQ and ioredis are not needed by local runs (nor by the notebooks).
  // Without reuse, results finished in Redis are not taken either: every fold is trained anew.
  if (options.queue) return (await import("./queue/coordinator")).runQueued(scheduler, { ...options.queue, reuse: options.reuse !== false && options.queue.reuse !== false });
  if (threads === 1) await runSerial(scheduler);
  else if (threads > 1) await runOnThreads(scheduler);
  return undefined;
}

/** The results in grid then fold order (completion order depends on scheduling; the record does not). */
function inJobOrder(results: FoldResult[], jobs: readonly FoldJob[]): FoldResult[] {
  const at = (name: string, repeat: number | undefined, fold: number) => `${name}/${repeat ?? 0}/${fold}`;
  const order = new Map(jobs.map((job) => [at(job.candidate.name, job.repeat, job.fold), job.id]));
  return [...results].sort((a, b) => order.get(at(a.architecture, a.repeat, a.fold))! - order.get(at(b.architecture, b.repeat, b.fold))!);
}

/** Throws TrainingDiverged when no candidate trained on every fold: there is nothing to choose. */
function checkSomeCandidateTrained(results: readonly FoldResult[], summary: readonly CandidateSummary[], learningRates: readonly number[]): void {
  if (!summary.every((s) => s.divergedFolds > 0)) return;
  const first = results.find((r) => r.diverged)!;
  throw new TrainingDiverged(
    `training diverged in every candidate of the grid (${summary.map((s) => `${s.architecture}: ${s.divergedFolds} of ${s.folds} folds`).join(", ")}; ` +
      `e.g. ${first.architecture} fold ${first.fold + 1} at epoch ${first.diverged!.epoch}, mean training loss ${formatLoss(first.diverged!.loss)}), so none can be chosen`,
    first.diverged!.epoch,
    first.diverged!.loss,
    [...learningRates],
  );
}

/** What a finished run is recorded with besides its results. */
interface RunFacts {
  started: Date;
  seconds: number;
  threads: number;
  cache: CacheCounts;
  queue?: QueueInfo;
  source?: string;
}

/** The record of a finished selection: its results summarised, the winner, and where and how they were computed. */
function buildRecord(dataset: Dataset, plan: SelectionPlan, results: FoldResult[], run: RunFacts): ExperimentRecord {
  const folds = inJobOrder(results, plan.jobs);
  const { config } = plan;
  const summary = summarise(folds, plan.candidates, config);
  checkSomeCandidateTrained(folds, summary, config.learningRates);
  const comparisons = compareCandidates(folds, summary, config.folds, plan.rope);
  const engine = engineInfo();
  return {
    schema: "binary-digits/experiment",
    schemaVersion: 2,
    kind: "model-selection",
    id: experimentId(run.started),
    startedAt: run.started.toISOString(),
    finishedAt: new Date().toISOString(),
    seconds: run.seconds,
    config: plan.config,
    workers: run.threads,
    cache: { ...run.cache, ...(run.queue ? { remote: run.queue.remote } : {}) },
    data: {
      source: run.source === undefined ? null : projectRelative(resolveDataPath(run.source)),
      fingerprint: plan.fingerprint,
      rows: dataset.rows,
      cols: dataset.cols,
      counts: classCounts(dataset.labels),
      digits: [...datasetPair(dataset)],
    },
    versions: versions(),
    backend: `${engine.engine}, sha256 ${engine.kernelsSha256}; TensorFlow.js only saves and loads models`,
    machine: { platform: process.platform, arch: process.arch, cpus: defaultThreads(), cpuModel: os.cpus()[0]?.model ?? "unknown" },
    folds,
    summary,
    winner: chooseWinner(summary, { rule: plan.rule, comparisons, repeats: config.repeats }),
    comparisons,
    ...(run.queue ? { queue: run.queue } : {}),
  };
}

/**
 * Cross-validates every candidate of the grid on `dataset` (stratified k-fold, the same folds
 * for all, so candidates are compared on the same rows) and names a winner by the one-SE rule.
 * Results depend only on the data and the SelectionConfig: the same with 1 or N threads, in any
 * order. Returns the record; nothing is written but fold-cache entries (see runExperiment).
 */
export async function selectCandidates(dataset: Dataset, options: SelectionOptions = {}): Promise<ExperimentRecord> {
  const started = new Date();
  const startedMs = performance.now();
  const plan = planSelection(dataset, options);
  options.onKeys?.(plan.keys);
  const { results, toTrain } = takeFromCache(plan, dataset.cols, options.reuse === false ? undefined : options.cache);
  const cache = { reused: results.length, trained: toTrain.length };
  options.onStart?.({ folds: plan.jobs.length, ...cache });
  // No more threads than fold jobs to train: the record and the CLI say how many really ran.
  const threads = Math.min(plan.threads, toTrain.length);
  const totals = { jobs: plan.jobs.length, reused: cache.reused, folds: plan.config.folds, repeats: plan.config.repeats, epochs: plan.config.epochs };
  const progress = new ProgressReporter(toTrain, totals, startedMs, () => results.length, options.onProgress);
  const queue = await trainFolds(dataset, plan, toTrain, results, threads, progress, options);
  return buildRecord(dataset, plan, results, { started, seconds: progress.elapsed(), threads, cache, queue, source: options.source });
}
