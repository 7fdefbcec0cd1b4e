import { test } from "node:test";
import assert from "node:assert/strict";
import { binOf, calibration } from "../../lib/evaluation/calibration";

test("ten equal-width bins: a bound belongs to the bin it opens, and 1 to the last", () => {
  assert.equal(binOf(0), 0);
  assert.equal(binOf(0.0999), 0);
  assert.equal(binOf(0.1), 1);
  assert.equal(binOf(0.3), 3);
  assert.equal(binOf(0.7), 7);
  assert.equal(binOf(0.9), 9);
  assert.equal(binOf(1), 9);
});

test("bins hold count, mean probability and fraction positive; ECE weighs each non-empty bin's gap by its share", () => {
  // Bin 0: p 0.05, 0.05 with labels 0, 1 → mean 0.05, fraction 0.5, gap 0.45, share 2/4.
  // Bin 9: p 0.95, 1 with labels 1, 1 → mean 0.975, fraction 1, gap 0.025, share 2/4.
  const c = calibration([0, 1, 1, 1], [0.05, 0.05, 0.95, 1]);
  assert.equal(c.bins.length, 10);
  assert.deepEqual(c.bins[0], { lower: 0, upper: 0.1, count: 2, meanProbability: 0.05, fractionPositive: 0.5 });
  assert.equal(c.bins[9].count, 2);
  assert.ok(Math.abs(c.bins[9].meanProbability! - 0.975) < 1e-12);
  assert.deepEqual(c.bins[5], { lower: 0.5, upper: 0.6, count: 0, meanProbability: null, fractionPositive: null });
  assert.ok(Math.abs(c.ece - (0.5 * 0.45 + 0.5 * 0.025)) < 1e-12);
});

test("a perfectly calibrated set has ECE 0; no rows is NaN", () => {
  assert.equal(calibration([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]).ece, 0);
  assert.ok(Number.isNaN(calibration([], []).ece));
});
