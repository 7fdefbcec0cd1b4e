// Scoring one pair: logistic regression cross-validated on the images of two digits. Pure: the
// same numbers for the same images and settings, in any thread and whatever else runs.
import type { Pair } from "../core/pair";
import { deriveSeed } from "../core/random";
import type { Dataset } from "../data/dataset";
import { stratifiedKFold, type Fold } from "../data/split";
import { accuracy, logLoss, predictLabels } from "../evaluation/metrics";
import { modelConfig } from "../model/model";
import { predictProbabilities, Trainer } from "../model/train";
import { ascending, type PairsConfig } from "./config";
import { pairRows, type DigitImages } from "./images";

/** One validation fold of one pair. */
export interface PairFold {
  /** 0-based. */
  fold: number;
  /** Validation images. */
  rows: number;
  /** Threshold 0.5, as everywhere in this project. */
  accuracy: number;
  logLoss: number;
}

/** A pair's cross-validated scores: means (and sample sds) over its folds. */
export interface PairResult {
  /** Smaller digit first; the second is the positive class. */
  digits: Pair;
  /** Images of the pair used, and of each digit. */
  rows: number;
  counts: [number, number];
  accuracy: number;
  sdAccuracy: number;
  logLoss: number;
  sdLogLoss: number;
  folds: PairFold[];
  /** Wall time of this pair's folds. */
  seconds: number;
}

const SCALED = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** A Dataset of the given images: pixels / 255, label 1 for `positive` and 0 for the other digit. */
function imagesDataset(images: DigitImages, rows: ArrayLike<number>, positive: number): Dataset {
  const { cols, pixels } = images;
  const features = new Float32Array(rows.length * cols);
  const labels = new Uint8Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * cols;
    const out = r * cols;
    // Most pixels are 0 and the array starts zeroed: write only the inked ones.
    for (let j = 0; j < cols; j++) {
      const v = pixels[base + j];
      if (v !== 0) features[out + j] = SCALED[v];
    }
    labels[r] = images.labels[rows[r]] === positive ? 1 : 0;
  }
  return { features, labels, rows: rows.length, cols };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
// Sample sd (n - 1), as the spread of fold scores estimates that of new folds; 0 for one fold.
const sd = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** Trains on one fold's training images and scores its validation images. */
function scoreFold(images: DigitImages, digits: Pair, rows: Uint32Array, fold: Fold, f: number, config: PairsConfig): PairFold {
  const [a, b] = digits;
  const pick = (indices: Uint32Array) => Uint32Array.from(indices, (i) => rows[i]);
  const trainer = new Trainer(imagesDataset(images, pick(fold.train), b), modelConfig([], "sigmoid", images.cols), {
    epochs: config.epochs,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    seed: deriveSeed(config.seed, a, b, f),
  });
  while (!trainer.done) trainer.runEpoch();
  const validation = imagesDataset(images, pick(fold.validation), b);
  const probabilities = predictProbabilities(trainer.network(), validation);
  return {
    fold: f,
    rows: validation.rows,
    accuracy: accuracy(validation.labels, predictLabels(probabilities)),
    logLoss: logLoss(validation.labels, probabilities),
  };
}

/**
 * Cross-validates logistic regression on one pair: stratified folds of the pair's images, each
 * fold trained on the others and scored on itself. Seeds derive from (seed, a, b[, fold]), so a
 * pair's numbers do not depend on which other pairs run, in which order, or in which thread.
 */
export function scorePair(images: DigitImages, pair: Pair, config: PairsConfig, onFold?: (fold: PairFold) => void): PairResult {
  const started = performance.now();
  const digits = ascending(pair);
  const rows = pairRows(images.labels, digits, config.perDigit, config.seed);
  const labels = Uint8Array.from(rows, (r) => (images.labels[r] === digits[1] ? 1 : 0));
  const folds = stratifiedKFold(labels, config.folds, deriveSeed(config.seed, digits[0], digits[1]));
  const results = folds.map((fold, f) => {
    const result = scoreFold(images, digits, rows, fold, f, config);
    onFold?.(result);
    return result;
  });
  const ones = labels.reduce((s, l) => s + l, 0);
  return {
    digits,
    rows: rows.length,
    counts: [rows.length - ones, ones],
    accuracy: mean(results.map((r) => r.accuracy)),
    sdAccuracy: sd(results.map((r) => r.accuracy)),
    logLoss: mean(results.map((r) => r.logLoss)),
    sdLogLoss: sd(results.map((r) => r.logLoss)),
    folds: results,
    seconds: (performance.now() - started) / 1000,
  };
}
