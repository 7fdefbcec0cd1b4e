// Model selection: stratified k-fold cross-validation over a grid of candidates, run by a
// scheduler with identical results however it runs, summarised per candidate, and a winner by the
// one-standard-error rule. Folds already in a fold cache are reused, not trained.
import * as os from "node:os";
import { classCounts, datasetDigits, datasetFingerprint, resolveDataPath, type Dataset } from "../data/data";
import { projectRelative } from "../core/project";
import { InputError } from "../core/errors";
import { modelConfig, type ModelConfig } from "../model/model";
import { stratifiedKFold, type Fold } from "../data/split";
import { TrainingDiverged, formatLoss } from "../model/train";
import { checkSelectionMemory } from "../model/memory";
import { engineInfo } from "../model/engine";
import { foldKey, type FoldCache, type FoldInputs } from "./fold-cache";
import type { QueueInfo, QueueRunOptions } from "./queue/coordinator";
import { SelectionSettings, candidates, defaultWorkers, resolveSelectionConfig } from "./config";
import { FoldJob, epochCost, foldInputs } from "./fold-run";
import { chooseWinner, summarise } from "./one-se";
import { CacheCounts, ExperimentRecord, FoldResult, experimentId, isFoldResult, versions } from "./record";
import { Scheduler, runParallel, runSerial } from "./scheduler";

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
  const inputsOf = (job: FoldJob): FoldInputs => foldInputs(job, settings, fingerprint, kernels, datasetDigits(dataset));
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
    inputsOf,
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
  // Without reuse, results finished in Redis are not taken either: every fold is trained anew.
  if (options.queue) queue = await (await import("./queue/coordinator")).runQueued(scheduler, { reuse: options.reuseCache !== false, ...options.queue });
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
      source: options.source === undefined ? null : projectRelative(resolveDataPath(options.source)),
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
