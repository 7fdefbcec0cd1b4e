// The comparisons as a reader sees them: table rows and a sentence that claims a difference (or
// its absence) only where the probabilities on the page reach 0.95. Made-up comparisons.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { comparisonRows, comparisonsCaption, comparisonsSentence, raceMark } from "../../lib/notebook/real-differences";
import type { CandidateSummary, CandidateComparison, ExperimentRecord } from "../../lib/selection/record";

function c(candidate: string, metric: "accuracy" | "logLoss", p: [number, number, number] | null, meanDifference = 0): CandidateComparison {
  const [pBetter, pEquivalent, pWorse] = p ?? [null, null, null];
  return {
    metric, candidate, against: "25-15", folds: 15, meanDifference, t: p ? 1 : null, df: 14, pValue: p ? 0.3 : null, rope: 0.002,
    pBetter, pEquivalent, pWorse, ...(p ? {} : { note: "every fold differs by the same amount (s² = 0): the tests are undefined" }),
  };
}
const summary = [{ architecture: "logistic", hidden: [] }, { architecture: "8", hidden: [8] }, { architecture: "25-15", hidden: [25, 15] }] as unknown as CandidateSummary[];
const record = (comparisons: CandidateComparison[] | undefined) => ({ comparisons, summary, config: { folds: 5, repeats: 3 } }) as unknown as ExperimentRecord;

describe("comparisons for the reader", () => {
  test("every candidate within the ROPE with probability ≥ 0.95: no candidate is practically different", () => {
    const r = record([c("logistic", "accuracy", [0.01, 0.97, 0.02]), c("logistic", "logLoss", [0.0, 0.99, 0.01]), c("8", "accuracy", [0.0, 0.999, 0.001]), c("8", "logLoss", [0.01, 0.96, 0.03])]);
    const s = comparisonsSentence(r);
    assert.match(s, /^On accuracy, no candidate is practically different from the best, 25-15: each is within ±0.002 with probability at least 0.970\./);
    assert.match(s, /On log loss, no candidate is practically different/);
  });

  test("one candidate short of 0.95 equivalence: no claim of 'no difference', it is named as undecided", () => {
    const r = record([c("logistic", "accuracy", [0.01, 0.9, 0.09]), c("8", "accuracy", [0.0, 0.99, 0.01])]);
    const s = comparisonsSentence(r);
    assert.doesNotMatch(s, /no candidate is practically different/);
    assert.match(s, /On accuracy, 8 is practically equivalent to 25-15 \(probability 0\.990\)/);
    assert.match(s, /the folds cannot tell logistic from 25-15: none of the three probabilities reaches 0\.95/);
    assert.match(s, /Logistic regression's accuracy is 0\.00 points above 25-15's; the probability that it is practically worse is 0\.090\./);
  });

  test("a candidate practically worse with probability ≥ 0.95 is said to be, with its probability", () => {
    const r = record([c("logistic", "accuracy", [0.0, 0.004, 0.996], -0.016), c("8", "accuracy", [0.2, 0.5, 0.3])]);
    const s = comparisonsSentence(r);
    assert.match(s, /On accuracy, logistic is practically worse than 25-15 \(by more than 0\.002; probability 0\.996\)/);
    assert.match(s, /cannot tell 8 from 25-15/);
    assert.match(s, /1\.60 points below 25-15's/);
  });

  test("s² = 0: the row says undefined and why, and the sentence says the test is undefined rather than claiming anything", () => {
    const r = record([c("logistic", "accuracy", null, 0.004), c("8", "accuracy", [0.0, 0.99, 0.01])]);
    const [logistic] = comparisonRows(r);
    assert.equal(logistic["p (accuracy)"], "undefined");
    assert.match(logistic["P better / equiv. / worse (accuracy)"], /s² = 0/);
    assert.equal(logistic["Δ accuracy"], "+0.0040");
    const s = comparisonsSentence(r);
    assert.match(s, /no candidate the test applies to is practically different .* \(for logistic the test is undefined: every fold differs by the same amount/);
  });

  test("rows give differences and probabilities per metric; tiny probabilities are '< 0.001', not 0", () => {
    const [row] = comparisonRows(record([c("8", "accuracy", [0.0001, 0.2, 0.7999], -0.0031), c("8", "logLoss", [0.5, 0.25, 0.25], 0.0123)]));
    assert.deepEqual(row, {
      candidate: "8",
      "Δ accuracy": "−0.0031",
      "p (accuracy)": "0.300",
      "P better / equiv. / worse (accuracy)": "< 0.001 / 0.200 / 0.800",
      "Δ log loss": "+0.0123",
      "p (log loss)": "0.300",
      "P better / equiv. / worse (log loss)": "0.500 / 0.250 / 0.250",
    });
  });

  test("a record from before the comparisons: no rows, and caption and sentence say why", () => {
    assert.deepEqual(comparisonRows(record(undefined)), []);
    assert.match(comparisonsCaption(record(undefined)), /^No comparisons/);
    assert.match(comparisonsSentence(record(undefined)), /no comparisons/);
    assert.match(comparisonsCaption(record([c("8", "accuracy", [0, 1, 0])])), /over 15 paired folds \(5 folds × 3 repeats\)/);
  });
});

describe("comparisons of a raced record", () => {
  // The race stopped logistic after 5 of 15 folds: its comparisons rest on those 5.
  const stop = { afterFolds: 5, pWorse: 0.9987, against: "25-15" };
  const racedSummary = [{ architecture: "logistic", hidden: [], stopped: stop }, { architecture: "8", hidden: [8], stopped: null }, { architecture: "25-15", hidden: [25, 15], stopped: null }];
  const short = (comparison: CandidateComparison) => ({ ...comparison, folds: 5, df: 4 });
  const raced = {
    comparisons: [short(c("logistic", "accuracy", [0, 0.001, 0.999], -0.02)), short(c("logistic", "logLoss", [0, 0.001, 0.999], 0.1)), c("8", "accuracy", [0.1, 0.5, 0.4]), c("8", "logLoss", [0.1, 0.5, 0.4])],
    summary: racedSummary,
    config: { folds: 5, repeats: 3, race: { minFolds: 5, confidence: 0.99 } },
  } as unknown as ExperimentRecord;

  test("each row says the folds it rests on, and which candidate the race stopped", () => {
    assert.deepEqual(comparisonRows(raced).map((row) => [row.candidate, row["paired folds"]]), [["logistic", "5 (stopped by the race)"], ["8", "15"]]);
    assert.equal("paired folds" in comparisonRows(record([c("8", "accuracy", [0, 1, 0])]))[0], false, "a record without a race keeps its columns");
  });

  test("the caption and the sentence claim no more than the folds each candidate has", () => {
    assert.match(comparisonsCaption(raced), /over the folds both have \(15, 5 folds × 3 repeats; fewer for a candidate the race stopped/);
    const sentence = comparisonsSentence(raced);
    assert.match(sentence, /the probability that it is practically worse is 0\.999 \(over 5 folds\)/);
    assert.match(sentence, /The race stopped logistic after 5 of 15 folds \(P\(worse\) on log loss ≥ 0\.99\): what is said of it rests on those folds alone\./);
  });

  test("the score tables' mark: where and why the race stopped a candidate, or that it ran every fold", () => {
    assert.equal(raceMark(raced.config, racedSummary[0] as unknown as CandidateSummary), "stopped after 5 of 15 folds: P(worse) 0.999 against 25-15");
    assert.equal(raceMark(raced.config, racedSummary[1] as unknown as CandidateSummary), "all 15 folds");
  });
});
