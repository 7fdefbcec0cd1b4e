// One fold of one candidate: train on the fold's training rows, score its validation rows. A pure
// function of its inputs, so the main thread, a thread or a queue worker computes the same result.
import type { Dataset } from "../data/dataset";
import { classificationReport, type ClassificationMetrics } from "../evaluation/metrics";
import { modelConfig, parameterCount } from "../model/model";
import { subset, type Fold } from "../data/split";
import { predictProbabilities, Trainer, TrainingDiverged } from "../model/train";
import { Candidate, SelectionConfig, foldSeed, repeatSeed } from "./config";
import { FoldResult } from "./record";

// One fold run (shared by the in-process runner, the pool's fold-thread and queue workers)

/** @internal A unit of work: one candidate on one fold. */
export interface FoldJob {
  id: number;
  candidate: Candidate;
  fold: number;
  /** Which cut of the folds (repeated k-fold); absent for repeat 0. */
  repeat?: number;
}

/** @internal The fold a job holds out: `folds` are the selection's folds by repeat, then fold. */
export function foldOf(folds: readonly (readonly Fold[])[], job: Pick<FoldJob, "fold" | "repeat">): Fold {
  return folds[job.repeat ?? 0][job.fold];
}

/** @internal The settings a fold run needs (a SelectionConfig without what varies per candidate). */
export type FoldSettings = Omit<SelectionConfig, "grid" | "activations" | "learningRates" | "repeats" | "race">;

/** @internal Trains one candidate on one fold, an epoch at a time, then scores it. */
export class FoldRun {
  private readonly trainer: Trainer;
  private readonly validation: Dataset;
  private readonly name: string;
  private readonly seed: number;
  private readonly trainRows: number;
  private trainSeconds: number;

  constructor(
    dataset: Dataset,
    fold: Fold,
    readonly job: FoldJob,
    private readonly settings: FoldSettings,
  ) {
    const started = performance.now();
    const { candidate } = job;
    this.name = candidate.name;
    this.seed = foldSeed(repeatSeed(settings.seed, job.repeat ?? 0), candidate.hidden, job.fold);
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
      architecture: this.name,
      hidden: [...this.job.candidate.hidden],
      activation: this.job.candidate.activation,
      learningRate: this.job.candidate.learningRate,
      fold: this.job.fold,
      ...(this.job.repeat ? { repeat: this.job.repeat } : {}),
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

/** @internal What every thread of a selection is given once, at start (the pool's `shared`). */
export interface FoldThreadData {
  /** Backed by a SharedArrayBuffer: every thread reads the same memory, nothing is copied. */
  features: Float32Array;
  labels: Uint8Array;
  rows: number;
  cols: number;
  /** By repeat, then fold. */
  folds: Fold[][];
  settings: FoldSettings;
}

/** @internal What a thread reports after each epoch of a fold job. */
export interface EpochProgress {
  epoch: number;
  loss: number;
  seconds: number;
}

// Running the grid

/**
 * A prior for the relative cost of one epoch of an architecture, before any is measured: a fixed
 * part per row, the first layer (which only multiplies the non-zero pixels), and the dense layers.
 * Fitted to this project's trainer on MNIST; only used to order jobs and to extrapolate.
 */
export function epochCost(hidden: readonly number[]): number {
  const sizes = [...hidden, 1];
  let cost = 640 + 26 * sizes[0];
  for (let l = 0; l + 1 < sizes.length; l++) cost += sizes[l] * sizes[l + 1];
  return cost;
}
