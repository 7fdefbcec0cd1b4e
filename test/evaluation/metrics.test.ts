import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  accuracy,
  auc,
  classificationReport,
  confusionMatrix,
  logLoss,
  matrixMetrics,
  predictLabels,
  rocAuc,
  rocCurve,
} from "../../lib/evaluation/metrics";

function assertClose(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

function assertAllClose(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length, `expected ${expected.length} values, got ${actual.length}: ${actual}`);
  actual.forEach((value, i) => assertClose(value, expected[i]));
}

describe("predictLabels", () => {
  it("predicts 1 only when the probability is strictly above the threshold", () => {
    assert.deepEqual(predictLabels([0.2, 0.5, 0.51, 1]), Uint8Array.from([0, 0, 1, 1]));
    assert.deepEqual(predictLabels([0.2, 0.5, 0.51, 1], 0.2), Uint8Array.from([0, 1, 1, 1]));
  });

  it("rejects values that are not probabilities", () => {
    assert.throws(() => predictLabels([0.5, 1.5]), /probabilities\[1\] is 1.5/);
  });
});

describe("confusionMatrix and the scores derived from it", () => {
  // index:        0  1  2  3  4  5  6  7
  const labels = [0, 0, 0, 0, 0, 1, 1, 1];
  const predicted = [0, 0, 0, 1, 1, 1, 1, 0];
  // tn = 3 (0–2), fp = 2 (3, 4), fn = 1 (7), tp = 2 (5, 6)

  it("puts the true class in rows and the predicted class in columns", () => {
    assert.deepEqual(confusionMatrix(labels, predicted), [[3, 2], [1, 2]]);
  });

  it("computes accuracy, precision, recall and F1 from the counts", () => {
    assert.equal(accuracy(labels, predicted), 5 / 8); // (tn + tp) / n = (3 + 2) / 8
    const scores = matrixMetrics(confusionMatrix(labels, predicted));
    assert.equal(scores.accuracy, 5 / 8);
    assert.equal(scores.precision, 0.5); // tp / (tp + fp) = 2 / 4
    assert.equal(scores.recall, 2 / 3); // tp / (tp + fn) = 2 / 3
    assert.equal(scores.f1, 4 / 7); // 2tp / (2tp + fp + fn) = 4 / 7 = 2·(1/2)(2/3) / (1/2 + 2/3)
  });

  it("accepts typed arrays", () => {
    assert.deepEqual(confusionMatrix(Uint8Array.from(labels), Float32Array.from(predicted)), [[3, 2], [1, 2]]);
  });
});

describe("degenerate cases follow sklearn's zero_division=0", () => {
  // matrices are [[tn, fp], [fn, tp]]
  it("gives precision 0 when nothing is predicted positive", () => {
    // tp = 0, fp = 0, fn = 2: precision 0/0 → 0, recall 0/2 = 0, F1 0
    assert.deepEqual(matrixMetrics([[1, 0], [2, 0]]), { accuracy: 1 / 3, precision: 0, recall: 0, f1: 0 });
  });

  it("gives recall 0 when no label is positive", () => {
    // tp = 0, fp = 1, fn = 0: precision 0/1 = 0, recall 0/0 → 0, F1 0
    assert.deepEqual(matrixMetrics([[1, 1], [0, 0]]), { accuracy: 1 / 2, precision: 0, recall: 0, f1: 0 });
  });

  it("gives 0 for precision, recall and F1 but accuracy 1 when everything is negative", () => {
    assert.deepEqual(matrixMetrics([[2, 0], [0, 0]]), { accuracy: 1, precision: 0, recall: 0, f1: 0 });
    assert.equal(accuracy([0, 0], [0, 0]), 1);
  });
});

describe("logLoss", () => {
  it("is the mean negative log-probability of the true class", () => {
    // (-ln 0.8 - ln(1 - 0.4)) / 2 = (0.22314355131 + 0.51082562377) / 2
    assertClose(logLoss([1, 0], [0.8, 0.4]), 0.3669845875401002);
  });

  it("clips a confidently wrong 0 or 1 to machine epsilon instead of returning Infinity", () => {
    // each term is -ln(2^-52) = 52 ln 2
    assertClose(logLoss([1, 0], [0, 1]), 52 * Math.LN2);
    assertClose(logLoss([1, 0], [0, 1]), 36.04365338911715);
  });

  it("clips a confidently right 0 or 1 to 1 - epsilon, costing about epsilon", () => {
    // -ln(1 - 2^-52) ≈ 2^-52 for each term
    assertClose(logLoss([1, 0], [1, 0]), Number.EPSILON, 1e-30);
  });

  it("accepts labels of a single class", () => {
    assertClose(logLoss([1, 1], [0.5, 0.5]), Math.LN2);
  });
});

describe("rocCurve", () => {
  it("groups equal scores into one threshold, giving a diagonal step", () => {
    // sorted by score: 0.9 P, 0.8 P, 0.8 N, 0.4 N, 0.35 P, 0.1 N (3 positives, 3 negatives)
    // cumulative (fp, tp) per distinct score: (0,1) (1,2) (2,2) (2,3) (3,3); every point is a corner
    const curve = rocCurve([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.8, 0.9]);
    assert.deepEqual(curve.thresholds, [Infinity, 0.9, 0.8, 0.4, 0.35, 0.1]);
    assertAllClose(curve.fpr, [0, 0, 1 / 3, 2 / 3, 2 / 3, 1]);
    assertAllClose(curve.tpr, [0, 1 / 3, 2 / 3, 2 / 3, 1, 1]);
  });

  it("drops points that lie on a straight segment between their neighbours", () => {
    // (fp, tp) per score: 0.9 → (0,1), 0.8 → (0,2), 0.3 → (1,2), 0.2 → (2,2);
    // (1,2) lies between (0,2) and (2,2) with equal steps, so threshold 0.3 goes
    const curve = rocCurve([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.2]);
    assert.deepEqual(curve.thresholds, [Infinity, 0.9, 0.8, 0.2]);
    assert.deepEqual(curve.fpr, [0, 0, 0, 1]);
    assert.deepEqual(curve.tpr, [0, 0.5, 1, 1]);
  });

  it("returns NaN false positive rates when there are no negatives", () => {
    const curve = rocCurve([1, 1], [0.2, 0.7]);
    assert.deepEqual(curve.thresholds, [Infinity, 0.7, 0.2]);
    assert.deepEqual(curve.fpr, [NaN, NaN, NaN]);
    assert.deepEqual(curve.tpr, [0, 0.5, 1]);
  });
});

describe("auc and rocAuc", () => {
  it("integrates by trapezoids, with the same area for decreasing x", () => {
    // (0,0)→(0.5,1): 0.5 · (0 + 1) / 2 = 0.25; (0.5,1)→(1,1): 0.5 · 1 = 0.5
    assert.equal(auc([0, 0.5, 1], [0, 1, 1]), 0.75);
    assert.equal(auc([1, 0.5, 0], [1, 1, 0]), 0.75);
  });

  it("rejects x that goes both ways, and fewer than 2 points", () => {
    assert.throws(() => auc([0, 1, 0.5], [0, 1, 1]), /increasing or decreasing/);
    assert.throws(() => auc([0], [1]), /at least 2 points/);
  });

  it("is 7/9 for 3 positives and 3 negatives with 2 discordant pairs", () => {
    // positives 0.9, 0.7, 0.4; negatives 0.8, 0.3, 0.1
    // pairs won by the positive: 0.9 → 3, 0.7 → 2 (loses to 0.8), 0.4 → 2 (loses to 0.8) = 7 of 9
    assertClose(rocAuc([1, 0, 1, 1, 0, 0], [0.9, 0.8, 0.7, 0.4, 0.3, 0.1]), 7 / 9);
  });

  it("counts a tied positive–negative pair as half", () => {
    // positives 0.9, 0.8, 0.35; negatives 0.8, 0.4, 0.1: 3 + (2 + ½) + 1 = 6.5 of 9 = 13/18
    assertClose(rocAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.8, 0.9]), 13 / 18);
  });

  it("is NaN, not an error, when only one class is present", () => {
    assert.ok(Number.isNaN(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])));
    assert.ok(Number.isNaN(rocAuc([0, 0], [0.2, 0.5])));
  });
});

describe("classificationReport", () => {
  it("thresholds probabilities and collects every metric", () => {
    // predictions at 0.5: [0, 1, 0, 1] → tn = 1, fp = 1, fn = 1, tp = 1
    // log loss: -(ln 0.9 + ln 0.4 + ln 0.4 + ln 0.9) / 4 = (0.10536051566 + 0.91629073187) / 2
    // AUC: positive 0.9 beats both negatives, 0.4 beats 0.1 only → 3/4
    const report = classificationReport([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]);
    assert.equal(report.count, 4);
    assert.deepEqual(report.confusionMatrix, [[1, 1], [1, 1]]);
    assert.equal(report.accuracy, 0.5);
    assert.equal(report.precision, 0.5);
    assert.equal(report.recall, 0.5);
    assert.equal(report.f1, 0.5);
    assertClose(report.logLoss, 0.5108256237659906);
    assert.equal(report.auc, 0.75);
  });

  it("uses the given threshold", () => {
    // at 0.05 everything is positive: tp = 2, fp = 2
    const report = classificationReport([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], 0.05);
    assert.deepEqual(report.confusionMatrix, [[0, 2], [0, 2]]);
    assert.equal(report.precision, 0.5);
    assert.equal(report.recall, 1);
  });
});

describe("input validation", () => {
  it("throws on a length mismatch, naming both inputs", () => {
    assert.throws(() => confusionMatrix([0, 1], [0]), { name: "RangeError", message: /labels and predictions differ in length: 2 vs 1/ });
    assert.throws(() => logLoss([0, 1], [0.5]), RangeError);
    assert.throws(() => rocCurve([0], [0.5, 0.1]), RangeError);
  });

  it("throws on empty input", () => {
    assert.throws(() => accuracy([], []), /labels is empty/);
    assert.throws(() => rocAuc([], []), /labels is empty/);
    assert.throws(() => predictLabels([]), /probabilities is empty/);
  });

  it("throws on labels other than 0 and 1, and on scores that are not finite", () => {
    assert.throws(() => accuracy([0, 2], [0, 1]), /labels\[1\] is 2, expected 0 or 1/);
    assert.throws(() => rocCurve([0, 1], [0.5, NaN]), /scores\[1\] is NaN/);
  });
});
