// Model selection in Node: stratified k-fold cross-validation over a grid of candidates (./plan),
// its folds taken from the fold cache where they pass their check, the rest run by a scheduler
// (this thread, threads, or the queue) with identical results however they run, and the outcome
// (./outcome: summaries, candidate tests, the winner) recorded with where, when and on what it ran.
import * as os from "node:os";
import { randomBytes } from "node:crypto";
import { classCounts, datasetPair, type Dataset } from "../data/dataset";
import { datasetFingerprint } from "../data/fingerprint";
import { resolveDataPath } from "../data/default-files";
import { dependencyVersion, packageVersion, projectRelative } from "../core/project";
import { defaultThreads } from "../core/pool";
import { engineInfo } from "../model/engine";
import { foldInputs, foldKey, type FoldInputs } from "./fold-key";
import { type FoldCache } from "./fold-cache";
import { expectedFold, foldResultProblem } from "./fold-check";
import type { QueueRunOptions } from "./queue/coordinator";
import { foldOf, type FoldJob } from "./fold-run";
import { selectionOutcome } from "./outcome";
import { planSelection, type PlanOptions, type SelectionPlan } from "./plan";
import { ProgressReporter, type SelectionProgress } from "./progress";
import type { CacheCounts, ExperimentRecord, FoldResult, QueueInfo } from "./record";
import { Scheduler, runOnThreads, runSerial } from "./scheduler";

export type { SelectionProgress } from "./progress";

export interface SelectionOptions extends PlanOptions {
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
  onProgress?: (progress: SelectionProgress) => void;
  /** Aborting stops the run (threads are terminated) and rejects with SelectionCancelled. */
  signal?: AbortSignal;
  /** Where the data came from, for the record. */
  source?: string;
  /** Run the folds on `digits worker` processes through this BullMQ queue instead of here (queue/). */
  queue?: QueueRunOptions;
}

/** A plan (./plan) with what Node adds: the data's fingerprint, and each job's inputs and fold-cache key. */
interface KeyedPlan extends SelectionPlan {
  fingerprint: string;
  inputsOf(job: FoldJob): FoldInputs;
  /** The fold-cache key of each job, by job.id. */
  keys: string[];
}

/** The plan, with the inputs that determine each fold (a fold is a pure function of them) and their keys. */
function keyedPlan(dataset: Dataset, options: SelectionOptions): KeyedPlan {
  const plan = planSelection(dataset, options);
  const fingerprint = datasetFingerprint(dataset);
  const kernels = engineInfo().kernelsSha256;
  const pair = datasetPair(dataset);
  const inputsOf = (job: FoldJob): FoldInputs => foldInputs(job, plan.settings, fingerprint, kernels, pair);
  return { ...plan, fingerprint, inputsOf, keys: plan.jobs.map((job) => foldKey(inputsOf(job))) };
}

/**
 * The folds the cache gives, each checked as a result of its own fold (fold-check.ts), under the
 * name its candidate has in this grid; the rest are to train.
 */
function takeFromCache(plan: KeyedPlan, cols: number, cache: FoldCache | undefined): { results: FoldResult[]; toTrain: FoldJob[] } {
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
  plan: KeyedPlan,
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
  if (options.queue) return (await import("./queue/coordinator")).runQueued(scheduler, plan.inputsOf, { ...options.queue, reuse: options.reuse !== false && options.queue.reuse !== false });
  if (threads === 1) await runSerial(scheduler);
  else if (threads > 1) await runOnThreads(scheduler);
  return undefined;
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

/** The versions of what computed a record's numbers. */
function versions(): ExperimentRecord["versions"] {
  return { node: process.version, tfjs: dependencyVersion("@tensorflow/tfjs"), binaryDigits: packageVersion(), simpleStatistics: dependencyVersion("simple-statistics"), assemblyscript: dependencyVersion("assemblyscript") };
}

/** "20261125T123456789Z-1a2b": sorts by start time; the suffix keeps simultaneous runs apart. */
function experimentId(started: Date): string {
  return `${started.toISOString().replace(/[-:.]/g, "")}-${randomBytes(2).toString("hex")}`;
}

/** The record of a finished selection: its outcome, and where and how it was computed. */
function buildRecord(dataset: Dataset, plan: KeyedPlan, results: FoldResult[], run: RunFacts): ExperimentRecord {
  const { folds, summary, comparisons, winner } = selectionOutcome(plan, results);
  const engine = engineInfo();
  return {
    schema: "binary-digits/experiment",
    schemaVersion: 2,
    kind: "model-selection",
    id: experimentId(run.started),
    startedAt: run.started.toISOString(),
    finishedAt: new Date().toISOString(),
    seconds: run.seconds,
    // How the candidates are compared and the winner chosen change the outcome: stored with the settings.
    config: { ...plan.config, rope: plan.rope, rule: plan.rule },
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
    winner,
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
  const plan = keyedPlan(dataset, options);
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
