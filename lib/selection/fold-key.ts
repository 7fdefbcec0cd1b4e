// What one fold's result depends on (FoldInputs) and the key that names it: the SHA-256 of those
// inputs in one canonical order. The fold cache stores results under it, the queue names its jobs by
// it, and fold-check checks results against it.
import { createHash } from "node:crypto";
import type { FoldJob, FoldSettings } from "./fold-run";

/** Everything a fold result depends on. Two runs with equal inputs compute equal results. */
export interface FoldInputs {
  /** datasetFingerprint of the rows the folds are cut from. */
  data: string;
  /** The pair the labels 0 and 1 stand for, where known (named digits in the hashed key, which must not change). */
  digits: readonly [number, number] | null;
  hidden: readonly number[];
  activation: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** The number of folds, and which one is held out. */
  folds: number;
  fold: number;
  /** Which cut of the folds (repeated k-fold); absent for repeat 0, so one-repeat keys are unchanged. */
  repeat?: number;
  seed: number;
  /** The threshold behind accuracy, precision, recall and F1. */
  threshold: number;
  /** SHA-256 of the training kernels (engineInfo().kernelsSha256): other code, other numbers. */
  kernels: string;
}

/** The inputs in one canonical order, so equal inputs hash equally however they were built. */
export function canonicalInputs(inputs: FoldInputs): FoldInputs {
  return {
    data: inputs.data,
    digits: inputs.digits ? [inputs.digits[0], inputs.digits[1]] : null,
    hidden: [...inputs.hidden],
    activation: inputs.activation,
    learningRate: inputs.learningRate,
    batchSize: inputs.batchSize,
    epochs: inputs.epochs,
    folds: inputs.folds,
    fold: inputs.fold,
    // Only for repeat r > 0: a one-repeat run keeps the keys (and cache entries) it always had.
    ...(inputs.repeat ? { repeat: inputs.repeat } : {}),
    seed: inputs.seed,
    threshold: inputs.threshold,
    kernels: inputs.kernels,
  };
}

/** The cache key of a fold: hex SHA-256 of its canonical inputs. */
export function foldKey(inputs: FoldInputs): string {
  return createHash("sha256").update(JSON.stringify(canonicalInputs(inputs))).digest("hex");
}

/** The FoldInputs of one fold job of a selection (the key that names its job and cache entry). */
export function foldInputs(job: FoldJob, settings: FoldSettings, data: string, kernels: string, pair: readonly [number, number] | null = null): FoldInputs {
  return {
    data,
    digits: pair,
    hidden: [...job.candidate.hidden],
    activation: job.candidate.activation,
    learningRate: job.candidate.learningRate,
    batchSize: settings.batchSize,
    epochs: settings.epochs,
    folds: settings.folds,
    fold: job.fold,
    ...(job.repeat ? { repeat: job.repeat } : {}),
    seed: settings.seed,
    threshold: settings.threshold,
    kernels,
  };
}
