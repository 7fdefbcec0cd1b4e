import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../lib/data/dataset";
import { InputError } from "../../lib/core/errors";
import { stratifiedKFold, subset, trainTestSplit } from "../../lib/data/split";

/** `zeros` rows of class 0 followed by `ones` rows of class 1. */
function sortedLabels(zeros: number, ones: number): Uint8Array {
  const labels = new Uint8Array(zeros + ones);
  labels.fill(1, zeros);
  return labels;
}

function countOnes(labels: ArrayLike<number>, indices: Uint32Array): number {
  let ones = 0;
  for (const i of indices) ones += labels[i];
  return ones;
}

/** Asserts that the parts hold every index 0…n-1 exactly once between them. */
function assertPartition(n: number, ...parts: Uint32Array[]): void {
  const all = parts.flatMap((part) => [...part]).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: n }, (_, i) => i));
}

function isSorted(indices: Uint32Array): boolean {
  return indices.every((value, i) => i === 0 || indices[i - 1] < value);
}

describe("trainTestSplit", () => {
  it("holds out ceil(n · testFraction) rows, disjoint from train and together complete", () => {
    const { train, test } = trainTestSplit(new Uint8Array(10)); // ceil(10 · 0.25) = ceil(2.5) = 3
    assert.equal(test.length, 3);
    assert.equal(train.length, 7);
    assertPartition(10, train, test);
  });

  it("rounds up like sklearn, including 100 · 0.07 = 7.000000000000001 → 8", () => {
    assert.equal(trainTestSplit(new Uint8Array(100), { testFraction: 0.2 }).test.length, 20);
    assert.equal(trainTestSplit(new Uint8Array(100), { testFraction: 0.07 }).test.length, 8);
  });

  it("returns indices in shuffled order", () => {
    const { train, test } = trainTestSplit(new Uint8Array(100));
    assert.ok(!isSorted(train) && !isSorted(test));
  });

  it("is the same for the same seed and different for another", () => {
    const labels = sortedLabels(50, 50);
    assert.deepEqual(trainTestSplit(labels, { seed: 1 }), trainTestSplit(labels, { seed: 1 }));
    assert.notDeepEqual(trainTestSplit(labels, { seed: 1 }).test, trainTestSplit(labels, { seed: 2 }).test);
  });

  it("stratified: splits each class in proportion, ties of remainder going to the smaller label", () => {
    // 70 zeros, 30 ones, 25 test rows: exact shares 25·70/100 = 17.5 and 25·30/100 = 7.5;
    // floors 17 + 7 = 24, the 25th row goes to class 0 (equal remainders) → 18 zeros, 7 ones
    const labels = sortedLabels(70, 30);
    const { train, test } = trainTestSplit(labels, { stratify: true });
    assert.equal(test.length, 25);
    assert.equal(countOnes(labels, test), 7);
    assert.equal(countOnes(labels, train), 23);
    assertPartition(100, train, test);
  });

  it("stratified: gives the remainder to the class with the largest fractional share", () => {
    // 7 zeros, 3 ones, ceil(2.5) = 3 test rows: shares 2.1 and 0.9 → floors 2 + 0, the third row
    // goes to class 1 (remainder 0.9 > 0.1) → 2 zeros, 1 one
    const labels = sortedLabels(7, 3);
    const { test } = trainTestSplit(labels, { stratify: true, seed: 5 });
    assert.equal(test.length, 3);
    assert.equal(countOnes(labels, test), 1);
  });

  it("stratified: mixes the classes instead of grouping them", () => {
    const labels = sortedLabels(50, 50);
    const { train } = trainTestSplit(labels, { stratify: true });
    const trainLabels = [...train].map((i) => labels[i]);
    assert.notDeepEqual(trainLabels, [...trainLabels].sort());
  });

  it("rejects a testFraction outside (0, 1) and splits that leave a side empty", () => {
    assert.throws(() => trainTestSplit(new Uint8Array(10), { testFraction: 0 }), InputError);
    assert.throws(() => trainTestSplit(new Uint8Array(10), { testFraction: 1 }), /between 0 and 1/);
    assert.throws(() => trainTestSplit(new Uint8Array(1)), /leaves 0 for training and 1 for testing/);
    assert.throws(() => trainTestSplit(new Uint8Array(10), { testFraction: 0.95 }), InputError);
  });
});

describe("stratifiedKFold", () => {
  // 23 zeros and 12 ones in 5 folds: ideal shares 4.6 zeros and 2.4 ones, 7 rows per fold
  const labels = sortedLabels(23, 12);
  const folds = stratifiedKFold(labels, 5, 7);

  it("puts every row in exactly one validation fold", () => {
    assert.deepEqual(folds.map((fold) => fold.index), [0, 1, 2, 3, 4]);
    assertPartition(35, ...folds.map((fold) => fold.validation));
  });

  it("trains each fold on exactly the rows it does not validate on", () => {
    for (const fold of folds) assertPartition(35, fold.train, fold.validation);
  });

  it("keeps class proportions within one row of the ideal share in every fold", () => {
    for (const fold of folds) {
      const ones = countOnes(labels, fold.validation);
      const zeros = fold.validation.length - ones;
      assert.ok(Math.abs(zeros - 23 / 5) < 1, `fold ${fold.index}: ${zeros} zeros`);
      assert.ok(Math.abs(ones - 12 / 5) < 1, `fold ${fold.index}: ${ones} ones`);
    }
  });

  it("balances fold sizes: 35 rows in 5 folds is 7 each", () => {
    assert.deepEqual(folds.map((fold) => fold.validation.length), [7, 7, 7, 7, 7]);
  });

  it("returns indices in shuffled order", () => {
    assert.ok(folds.every((fold) => !isSorted(fold.train) && !isSorted(fold.validation)));
  });

  it("is the same for the same seed and different for another", () => {
    assert.deepEqual(stratifiedKFold(labels, 5, 7), folds);
    assert.notDeepEqual(stratifiedKFold(labels, 5, 8)[0].validation, folds[0].validation);
  });

  it("rejects k below 2, fractional k, and k above the smallest class count", () => {
    assert.throws(() => stratifiedKFold(labels, 1), InputError);
    assert.throws(() => stratifiedKFold(labels, 2.5), /whole number of folds/);
    assert.throws(
      () => stratifiedKFold(sortedLabels(10, 3), 4),
      { name: "InputError", message: /class 1 has 3; use k ≤ 3/ },
    );
  });

  it("rejects labels of a single class", () => {
    assert.throws(() => stratifiedKFold(sortedLabels(10, 0), 2), /at least two classes/);
  });
});

describe("subset", () => {
  // 4 rows × 3 columns; row r holds r + c/4 in column c (exact in float32)
  const dataset: Dataset = {
    features: Float32Array.from({ length: 12 }, (_, i) => Math.floor(i / 3) + (i % 3) / 4),
    labels: Uint8Array.from([0, 1, 1, 0]),
    rows: 4,
    cols: 3,
  };

  it("copies the requested rows in the requested order", () => {
    const picked = subset(dataset, Uint32Array.from([2, 0]));
    assert.equal(picked.rows, 2);
    assert.equal(picked.cols, 3);
    assert.deepEqual(picked.features, Float32Array.from([2, 2.25, 2.5, 0, 0.25, 0.5]));
    assert.deepEqual(picked.labels, Uint8Array.from([1, 0]));
  });

  it("does not share memory with the original", () => {
    const picked = subset(dataset, [1]);
    picked.features[0] = 9;
    picked.labels[0] = 0;
    assert.equal(dataset.features[3], 1);
    assert.equal(dataset.labels[1], 1);
  });

  it("reassembles the dataset from a split", () => {
    const { train, test } = trainTestSplit(dataset.labels, { testFraction: 0.5 });
    const parts = [subset(dataset, train), subset(dataset, test)];
    assert.equal(parts[0].rows + parts[1].rows, 4);
    const rowSums = parts.flatMap((part) =>
      Array.from({ length: part.rows }, (_, r) => part.features[r * 3] + part.labels[r] * 10));
    // row r contributes r (its first column) + 10 · label: 0, 11, 12, 3
    assert.deepEqual(rowSums.sort((a, b) => a - b), [0, 3, 11, 12]);
  });

  it("rejects indices that are not rows of the dataset", () => {
    assert.throws(() => subset(dataset, [4]), { name: "RangeError", message: /indices\[0\] is 4, not a row of a dataset with 4 rows/ });
    assert.throws(() => subset(dataset, [1.5]), RangeError);
  });
});
