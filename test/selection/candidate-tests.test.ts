// The corrected resampled t-test and the Bayesian correlated t-test on made-up fold differences,
// against values computed once with SciPy by test/evaluation/student-t-values.py; and the rule
// that picks the smallest candidate not practically worse than the best.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareCandidates, compareScores, equivalentRule } from "../../lib/selection/candidate-tests";
import { chooseWinner, standardError, summarise } from "../../lib/selection/one-se";
import type { FoldResult } from "../../lib/selection/record";

const near = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-10 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, SciPy ${expected}`);
const names = { candidate: "c", against: "b" };

describe("comparisons against the best candidate", () => {
  // Each: metric, k, ε, differences, and SciPy's mean, t, p, P(better), P(equivalent), P(worse).
  const cases: [("accuracy" | "logLoss"), number, number, number[], Record<string, number>][] = [
    ["accuracy", 5, 0.002, [0.01, -0.004, 0.006, 0.002, 0.012, -0.001, 0.003, 0.008, 0.0, 0.005, 0.007, -0.002, 0.004, 0.009, 0.001],
      { mean: 0.003999999999999999, t: 1.5105739360583483, p: 0.15313497694775663, better: 0.7687024109766114, equiv: 0.21137599412067518, worse: 0.01992159490271342 }],
    ["logLoss", 5, 0.002, [0.03, 0.05, 0.02, 0.041, 0.036],
      { mean: 0.0354, t: 4.668007855562489, p: 0.009532458444096073, better: 0.003931535015758461, equiv: 0.0018946306408976704, worse: 0.9941738343433438 }],
    ["accuracy", 2, 0.002, [-0.01, -0.02],
      { mean: -0.015, t: -1.7320508075688772, p: 0.3333333333333333, better: 0.14997504667287176, equiv: 0.037083267262212116, worse: 0.8129416860649161 }],
    ["logLoss", 2, 0.01, [-0.004, 0.012],
      { mean: 0.004, t: 0.28867513459481287, p: 0.8210876249779332, better: 0.24835919832552913, equiv: 0.38171427082097376, worse: 0.369926530853497 }],
  ];
  for (const [metric, k, rope, d, e] of cases) {
    test(`${metric}, ${k} folds, J = ${d.length}: t, p and the three probabilities match SciPy`, () => {
      const c = compareScores(d, k, metric, rope, names);
      assert.equal(c.folds, d.length);
      assert.equal(c.df, d.length - 1);
      near(c.meanDifference, e.mean, "mean");
      near(c.t, e.t, "t");
      near(c.pValue, e.p, "p");
      near(c.pBetter, e.better, "P(better)");
      near(c.pEquivalent, e.equiv, "P(equivalent)");
      near(c.pWorse, e.worse, "P(worse)");
      assert.equal(c.note, undefined);
    });
  }

  test("identical fold differences (s² = 0) leave the tests undefined with a note, never a division by zero", () => {
    const c = compareScores([0.01, 0.01, 0.01], 3, "accuracy", 0.002, names);
    assert.equal(c.meanDifference, 0.01);
    assert.deepEqual([c.t, c.pValue, c.pBetter, c.pEquivalent, c.pWorse], [null, null, null, null, null]);
    assert.match(c.note!, /s² = 0.*undefined/);
  });

  test("a fold with no score (training diverged) leaves the tests undefined", () => {
    const c = compareScores([0.01, NaN, 0.02], 3, "logLoss", 0.002, names);
    assert.equal(c.pValue, null);
    assert.match(c.note!, /diverged/);
  });
});

/** A made-up fold result: only what the comparisons and summaries read. */
function fold(name: string, hidden: number[], repeat: number, f: number, accuracy: number, logLoss: number): FoldResult {
  return {
    architecture: name, hidden, activation: "sigmoid", learningRate: 0.001, fold: f, ...(repeat ? { repeat } : {}), seed: 0,
    parameters: hidden.length === 0 ? 785 : 785 * hidden[0], trainRows: 10, validationRows: 5,
    accuracy, precision: 1, recall: 1, f1: 1, logLoss, auc: 1, confusionMatrix: [[1, 0], [0, 1]], seconds: 1, history: { loss: [], acc: [] },
  };
}

describe("comparing the candidates of a record", () => {
  // Two folds × two repeats; "big" is best on log loss. Listed out of order: pairing is by (repeat, fold).
  const folds = [
    fold("big", [64], 1, 1, 0.99, 0.05), fold("big", [64], 0, 0, 0.98, 0.06), fold("big", [64], 0, 1, 0.99, 0.04), fold("big", [64], 1, 0, 0.97, 0.07),
    fold("small", [], 0, 0, 0.98, 0.08), fold("small", [], 0, 1, 0.985, 0.05), fold("small", [], 1, 0, 0.975, 0.09), fold("small", [], 1, 1, 0.99, 0.06),
  ];
  const order = [{ name: "small", hidden: [], activation: "sigmoid" as const, learningRate: 0.001 }, { name: "big", hidden: [64], activation: "sigmoid" as const, learningRate: 0.001 }];
  const summary = summarise(folds, order, { folds: 2, repeats: 2 });

  test("pairs folds by repeat and fold, candidate minus best, one entry per candidate and metric", () => {
    const list = compareCandidates(folds, summary, 2);
    assert.deepEqual(list.map((c) => [c.metric, c.candidate, c.against, c.folds]), [["accuracy", "small", "big", 4], ["logLoss", "small", "big", 4]]);
    // accuracy differences: 0, −0.005, +0.005, 0 → mean 0; log loss: 0.02, 0.01, 0.02, 0.01 → 0.015
    near(list[0].meanDifference, 0, "Δ accuracy");
    near(list[1].meanDifference, 0.015, "Δ log loss");
  });

  test("with repeats the standard error is the corrected one, which does not shrink as sd/√J would", () => {
    const sd = summary[1].sdLogLoss;
    near(summary[1].seLogLoss, sd * Math.sqrt(1 / 4 + 1 / 1), "corrected SE");
    assert.equal(standardError(0.2, 5, { folds: 5, repeats: 1 }), 0.2 / Math.sqrt(5));
  });

  test("rule equivalent: the smallest candidate whose P(practically worse on accuracy) is below 0.05; the record names the rule", () => {
    const list = compareCandidates(folds, summary, 2, { accuracy: 0.02, logLoss: 0.002 });
    const rule = equivalentRule(summary, list);
    assert.ok(list[0].pWorse! < 0.05, `P(worse) ${list[0].pWorse}`);
    assert.equal(rule.winner, "small");
    const winner = chooseWinner(summary, { rule: "equivalent", comparisons: list, repeats: 2 });
    assert.deepEqual([winner.architecture, winner.rule, winner.standardError], ["small", "equivalent", "corrected"]);
    // With a ROPE of 0 nothing is equivalent, so only the best itself qualifies.
    const strict = compareCandidates(folds, summary, 2, { accuracy: 0, logLoss: 0 });
    assert.ok(strict[0].pWorse! >= 0.05);
    assert.equal(equivalentRule(summary, strict).winner, "big");
    assert.equal(chooseWinner(summary).rule, "one-se");
  });
});
