// The comparisons chart: per candidate a stacked bar of P(worse), P(equivalent), P(better), one
// panel per metric; a candidate whose test is undefined has no bar and says why on hover.
import assert from "node:assert/strict";
import { test } from "node:test";
import { comparisonsFigure } from "../../lib/charts/real-differences";
import type { CandidateComparison } from "../../lib/selection/record";

const c = (candidate: string, metric: "accuracy" | "logLoss", p: [number, number, number] | null): CandidateComparison => ({
  metric, candidate, against: "25-15", folds: 15, meanDifference: 0.01, t: p ? 1 : null, df: 14, pValue: p ? 0.3 : null, rope: 0.002,
  pBetter: p ? p[0] : null, pEquivalent: p ? p[1] : null, pWorse: p ? p[2] : null, ...(p ? {} : { note: "s² = 0: undefined" }),
});

test("three stacked traces per metric, one bar per candidate, summing to 1; undefined tests draw nothing", () => {
  const figure = comparisonsFigure({ comparisons: [c("logistic", "accuracy", [0.1, 0.2, 0.7]), c("logistic", "logLoss", [0, 0.05, 0.95]), c("8", "accuracy", null), c("8", "logLoss", [0.3, 0.4, 0.3])] });
  assert.equal(figure.layout.barmode, "stack");
  assert.equal(figure.data.length, 6);
  assert.deepEqual(figure.data.map((t) => [t.name, t.xaxis]), [["worse", "x"], ["practically equivalent", "x"], ["better", "x"], ["worse", "x2"], ["practically equivalent", "x2"], ["better", "x2"]]);
  // Bottom to top, so that the bars read top-down in grid order.
  assert.deepEqual(figure.data[0].y, ["8", "logistic"]);
  const accuracy = figure.data.slice(0, 3).map((t) => t.x as number[]);
  assert.deepEqual(accuracy.map((x) => x[1]), [0.7, 0.2, 0.1]);
  assert.deepEqual(accuracy.map((x) => x[0]), [0, 0, 0]);
  assert.equal((figure.data[0].text as string[])[0], "s² = 0: undefined");
  assert.match(JSON.stringify(figure.layout.title), /against 25-15/);
});

test("a record without comparisons gives an empty figure that says so", () => {
  const figure = comparisonsFigure({});
  assert.ok(figure.data.every((t) => (t.y as unknown[]).length === 0));
  assert.match(JSON.stringify(figure.layout.title), /No comparisons/);
});

test("in a raced record, a candidate the race stopped is labelled with the folds its bars rest on; the others by name", () => {
  const summary = [{ architecture: "logistic", stopped: { afterFolds: 5, pWorse: 0.999, against: "25-15" } }, { architecture: "8", stopped: null }, { architecture: "25-15", stopped: null }];
  const record = { comparisons: [c("logistic", "accuracy", [0, 0, 1]), c("logistic", "logLoss", [0, 0, 1]), c("8", "accuracy", [0.3, 0.4, 0.3]), c("8", "logLoss", [0.3, 0.4, 0.3])], summary, config: { folds: 5, repeats: 3 } };
  const figure = comparisonsFigure(record as unknown as Parameters<typeof comparisonsFigure>[0]);
  for (const trace of figure.data) assert.deepEqual(trace.y, ["8", "logistic (stopped after 5 of 15 folds)"]);
  assert.deepEqual(comparisonsFigure({ comparisons: record.comparisons }).data[0].y, ["8", "logistic"]);
});
