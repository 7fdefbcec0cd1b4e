import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chooseWinner, oneStandardErrorRule, summarise } from "../../lib/selection/one-se";
import { type CandidateSummary, type FoldResult, type OneSeCandidate } from "../../lib/selection/record";

describe("one-standard-error rule", () => {
  const row = (architecture: string, parameters: number, meanLogLoss: number, seLogLoss: number): OneSeCandidate => ({
    architecture,
    parameters,
    meanLogLoss,
    seLogLoss,
  });

  test("picks the smallest network within one SE of the best, not the best", () => {
    const choice = oneStandardErrorRule([
      row("logistic", 785, 0.2, 0.01), // outside: 0.2 > 0.125
      row("8", 6289, 0.12, 0.02), // inside
      row("25-15", 20031, 0.11, 0.02), // inside
      row("64-32", 52353, 0.1, 0.025), // best: threshold 0.125
    ]);
    assert.equal(choice.best, "64-32");
    assert.equal(choice.threshold, 0.125);
    assert.equal(choice.winner, "8");
    assert.deepEqual(choice.withinOneSe, ["8", "25-15", "64-32"]);
    assert.match(choice.reason, /^8 .*smallest network.*within one standard error of the best, 64-32/);
  });

  test("a mean exactly at the threshold counts as within one SE", () => {
    const choice = oneStandardErrorRule([row("big", 1000, 0.5, 0.25), row("small", 10, 0.75, 0.5)]);
    assert.equal(choice.threshold, 0.75);
    assert.equal(choice.winner, "small");
  });

  test("keeps the best when no smaller network is close enough, and says so", () => {
    const choice = oneStandardErrorRule([row("small", 10, 0.3, 0.01), row("big", 1000, 0.1, 0.01)]);
    assert.equal(choice.winner, "big");
    assert.match(choice.reason, /no smaller network comes within one standard error/);
  });

  test("when the best is also the smallest, says that", () => {
    const choice = oneStandardErrorRule([row("small", 10, 0.1, 0.01), row("big", 1000, 0.105, 0.01)]);
    assert.equal(choice.winner, "small");
    assert.match(choice.reason, /also the smallest network/);
  });

  test("equal parameter counts go to the lower mean log loss; non-finite means are ignored", () => {
    const choice = oneStandardErrorRule([
      row("broken", 1, NaN, 0),
      row("a", 100, 0.12, 0.01),
      row("b", 100, 0.11, 0.01),
      row("best", 500, 0.1, 0.05),
    ]);
    assert.equal(choice.winner, "b");
  });

  test("a candidate with a diverged fold is ignored, even with the lowest mean log loss", () => {
    const choice = oneStandardErrorRule([
      { ...row("logistic", 785, 0.01, 0.001), divergedFolds: 1 },
      row("8", 6289, 0.12, 0.02),
      row("25-15", 20031, 0.11, 0.02),
    ]);
    assert.equal(choice.best, "25-15");
    assert.equal(choice.winner, "8");
    assert.deepEqual(choice.withinOneSe, ["8", "25-15"]);
    assert.throws(() => oneStandardErrorRule([{ ...row("x", 1, 0.1, 0), divergedFolds: 2 }]), RangeError);
  });

  test("throws on a table with no usable row", () => {
    assert.throws(() => oneStandardErrorRule([]), RangeError);
    assert.throws(() => oneStandardErrorRule([row("x", 1, NaN, 0)]), RangeError);
  });
});

describe("the winner of a raced selection", () => {
  const summaryRow = (architecture: string, hidden: number[], parameters: number, meanLogLoss: number, seLogLoss: number) =>
    ({ architecture, hidden, activation: "sigmoid", learningRate: 0.001, parameters, meanLogLoss, seLogLoss, folds: 15, divergedFolds: 0 }) as unknown as CandidateSummary;
  // 8's mean stands on the 5 folds it ran before the race stopped it; on those it sits within one SE of the best.
  const summary = [summaryRow("8", [8], 6289, 0.118, 0.03), summaryRow("25-15", [25, 15], 20031, 0.112, 0.01), summaryRow("64-32", [64, 32], 52353, 0.11, 0.01)];

  test("never picks a candidate the race stopped, and says it was not considered", () => {
    assert.equal(chooseWinner(summary).winner, "8");
    const raced = chooseWinner(summary, { stopped: ["8"] });
    assert.equal(raced.winner, "25-15");
    assert.equal(raced.architecture, "25-15");
    assert.match(raced.reason, /^25-15 .*within one standard error of the best, 64-32.* Not considered, as the race stopped them: 8\.$/);
    assert.equal(chooseWinner(summary, { rule: "equivalent", comparisons: [], stopped: ["8"] }).winner, "64-32");
  });
});

describe("summaries", () => {
  const fold = (architecture: string, hidden: number[], index: number, logLoss: number, accuracy: number): FoldResult => ({
    architecture,
    hidden,
    activation: "sigmoid",
    learningRate: 0.001,
    fold: index,
    seed: 0,
    parameters: 785,
    trainRows: 2,
    validationRows: 1,
    accuracy,
    precision: 1,
    recall: 1,
    f1: 1,
    logLoss,
    auc: 1,
    confusionMatrix: [[1, 0], [0, 1]],
    seconds: 1,
    history: { loss: [], acc: [] },
  });

  test("mean, sample sd and standard error per architecture, by hand", () => {
    const [s] = summarise([fold("logistic", [], 0, 0.1, 1), fold("logistic", [], 1, 0.2, 0.5), fold("logistic", [], 2, 0.3, 0.75)], [[]]);
    assert.ok(Math.abs(s.meanLogLoss - 0.2) < 1e-12);
    assert.ok(Math.abs(s.sdLogLoss - 0.1) < 1e-12); // sqrt(((-0.1)² + 0 + 0.1²) / (3 - 1))
    assert.ok(Math.abs(s.seLogLoss - 0.1 / Math.sqrt(3)) < 1e-12);
    assert.equal(s.meanAccuracy, 0.75);
    assert.equal(s.sdAccuracy, 0.25);
    assert.equal(s.sdF1, 0);
    assert.equal(s.folds, 3);
  });
});

describe("a grid over activations and learning rates", () => {
  test("the one-SE rule breaks a tie in size by the lower mean log loss", () => {
    const row = (architecture: string, parameters: number, meanLogLoss: number): OneSeCandidate => ({ architecture, parameters, meanLogLoss, seLogLoss: 0.02 });
    const choice = oneStandardErrorRule([row("8 sigmoid", 6289, 0.05), row("8 relu", 6289, 0.04), row("16-8 relu", 12705, 0.035)]);
    assert.deepEqual(choice.withinOneSe, ["8 relu", "8 sigmoid", "16-8 relu"]);
    assert.equal(choice.winner, "8 relu");
  });
});
