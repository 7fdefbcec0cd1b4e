// Splitting rows into train/test sets and stratified k-fold cross-validation folds, as index
// arrays (like scikit-learn's model_selection), plus `subset` to materialise the rows.
//
// Every index array comes in a seeded random order, never sorted or grouped by class, so a
// consumer that batches rows without reshuffling still sees both classes mixed. Sort a copy if you
// need the original row order.

import type { Dataset } from "./dataset";
import { InputError } from "../core/errors";
import { createRng, permutation, shuffleInPlace } from "../core/random";

/** Row indices of a train/test split: disjoint, and together every row exactly once. */
export interface SplitIndices {
  train: Uint32Array;
  test: Uint32Array;
}

/** One cross-validation fold: train on `train`, score on `validation` (disjoint, together every row). */
export interface Fold {
  /** 0, 1, …, k-1. */
  index: number;
  train: Uint32Array;
  validation: Uint32Array;
}

export interface SplitOptions {
  /** Share of rows held out for testing, in (0, 1). Default 0.25. */
  testFraction?: number;
  /** Default 13. */
  seed?: number;
  /** Keep each class's share the same in train and test. Default false. */
  stratify?: boolean;
}

/**
 * Splits rows 0…n-1 (n = labels.length) into train and test sets.
 * The test set has ceil(n · testFraction) rows, as sklearn's train_test_split — including its
 * floating-point edge: 100 · 0.07 = 7.000000000000001, so testFraction 0.07 of 100 rows gives 8.
 * With `stratify`, class c gets floor(nTest · n_c / n) test rows, and the rows still missing from
 * nTest go one each to the classes with the largest remainders (ties to the smaller label), so each
 * class's test count is within one row of its exact share and the total is still ceil(n · testFraction).
 */
export function trainTestSplit(labels: ArrayLike<number>, options: SplitOptions = {}): SplitIndices {
  const { testFraction = 0.25, seed = 13, stratify = false } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new InputError(`testFraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  const n = labels.length;
  const nTest = Math.ceil(n * testFraction);
  const nTrain = n - nTest;
  if (nTest < 1 || nTrain < 1) {
    throw new InputError(
      `testFraction ${testFraction} of ${n} rows leaves ${nTrain} for training and ${nTest} for testing; ` +
        `both need at least one row, so use more rows or a testFraction nearer 0.5`,
    );
  }
  const rng = createRng(seed);

  if (!stratify) {
    const order = permutation(n, rng);
    return { train: order.slice(nTest), test: order.slice(0, nTest) };
  }

  const classes = groupByClass(labels);
  const testCounts = apportion(classes.map((c) => c.indices.length), nTest);
  const train = new Uint32Array(nTrain);
  const test = new Uint32Array(nTest);
  let trainEnd = 0, testEnd = 0;
  classes.forEach(({ indices }, c) => {
    shuffleInPlace(indices, rng);
    test.set(indices.subarray(0, testCounts[c]), testEnd);
    train.set(indices.subarray(testCounts[c]), trainEnd);
    testEnd += testCounts[c];
    trainEnd += indices.length - testCounts[c];
  });
  return { train: shuffleInPlace(train, rng), test: shuffleInPlace(test, rng) };
}

/**
 * k folds for cross-validation, stratified by label: every row is in exactly one validation fold,
 * each fold holds floor or ceil of n_c / k rows of each class c, and fold sizes differ by at most one.
 * Like sklearn's StratifiedKFold(shuffle=True): rows are shuffled within each class, then, class
 * after class, dealt to the folds in turn.
 * Needs 2 ≤ k ≤ the row count of the smallest class, so every fold validates on every class.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed = 13): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw new InputError(`k must be a whole number of folds ≥ 2, got ${k}`);
  const classes = groupByClass(labels);
  if (classes.length < 2) {
    const present = classes.map((c) => c.label).join(", ") || "none";
    throw new InputError(`stratified k-fold needs at least two classes in the labels; found: ${present}`);
  }
  const smallest = classes.reduce((a, b) => (b.indices.length < a.indices.length ? b : a));
  if (k > smallest.indices.length) {
    throw new InputError(
      `k = ${k} folds needs at least ${k} rows of every class, but class ${smallest.label} has ` +
        `${smallest.indices.length}; use k ≤ ${smallest.indices.length} or add rows of class ${smallest.label}`,
    );
  }

  const rng = createRng(seed);
  const n = labels.length;
  const foldOf = new Uint32Array(n);
  const foldSizes = new Array<number>(k).fill(0);
  // Dealing continues across classes, so a class's leftover rows land in the folds the previous
  // class left short, which keeps fold sizes within one of each other.
  let position = 0;
  for (const { indices } of classes) {
    shuffleInPlace(indices, rng);
    for (const row of indices) {
      foldOf[row] = position % k;
      foldSizes[position % k]++;
      position++;
    }
  }

  return foldSizes.map((size, index) => {
    const validation = new Uint32Array(size);
    const train = new Uint32Array(n - size);
    let v = 0, t = 0;
    for (let row = 0; row < n; row++) {
      if (foldOf[row] === index) validation[v++] = row;
      else train[t++] = row;
    }
    return { index, train: shuffleInPlace(train, rng), validation: shuffleInPlace(validation, rng) };
  });
}

/** A new Dataset holding copies of the given rows, in the given order. */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const { cols } = dataset;
  const rows = indices.length;
  const features = new Float32Array(rows * cols);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = indices[r];
    if (!Number.isInteger(row) || row < 0 || row >= dataset.rows) {
      throw new RangeError(`indices[${r}] is ${row}, not a row of a dataset with ${dataset.rows} rows`);
    }
    features.set(dataset.features.subarray(row * cols, (row + 1) * cols), r * cols);
    labels[r] = dataset.labels[row];
  }
  // A subset of a pair's rows is still of that pair.
  return dataset.pair ? { features, labels, rows, cols, pair: dataset.pair } : { features, labels, rows, cols };
}

/** Row indices of each distinct label, in ascending label order (so results do not depend on row order). */
function groupByClass(labels: ArrayLike<number>): { label: number; indices: Uint32Array }[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  const classes = [...counts.keys()].sort((a, b) => a - b).map((label) => ({
    label,
    indices: new Uint32Array(counts.get(label)!),
    filled: 0,
  }));
  const byLabel = new Map(classes.map((c) => [c.label, c]));
  for (let i = 0; i < labels.length; i++) {
    const c = byLabel.get(labels[i])!;
    c.indices[c.filled++] = i;
  }
  return classes.map(({ label, indices }) => ({ label, indices }));
}

/**
 * Splits `total` into parts proportional to `sizes` (largest-remainder method): each part is the
 * floor of its exact share, then the parts with the largest remainders get one more until the
 * parts sum to `total`. Integer arithmetic, so equal remainders really are equal.
 */
function apportion(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const remainders = sizes.map((size) => (total * size) % n);
  const parts = sizes.map((size, c) => (total * size - remainders[c]) / n);
  let missing = total - parts.reduce((a, b) => a + b, 0);
  // Stable sort: equal remainders keep ascending label order.
  const byRemainder = remainders.map((remainder, c) => ({ c, remainder })).sort((a, b) => b.remainder - a.remainder);
  for (const { c } of byRemainder) {
    if (missing === 0) break;
    parts[c]++;
    missing--;
  }
  return parts;
}
