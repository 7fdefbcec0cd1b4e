// The settings of a pairs map and what they mean: the model, its training, the folds and the
// sample of images; checked once here, and described in a sentence.
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
import { InputError } from "../core/errors";
import type { Pair } from "../core/pair";
import { resolveTrainConfig } from "../model/train";

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

/** The pair with the smaller digit first, as results hold it (the larger is the positive class). */
export function ascending(pair: Pair): Pair {
  return pair[0] < pair[1] ? [pair[0], pair[1]] : [pair[1], pair[0]];
}
