import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_TEST_CSV, DEFAULT_TRAIN_CSV } from "../../lib/data/default-files";
import { loadCsv } from "../../lib/data/csv";
import { subset } from "../../lib/data/split";
import { attribute, attributionSum, strongestPixels } from "../../lib/evaluation/attributions";
import { logitGradients } from "../../lib/model/gradients";
import { initNetwork, modelConfig, REFERENCE_HIDDEN } from "../../lib/model/model";
import { trainSync } from "../../lib/model/train";

test("integrated gradients with 64 steps sum to logit − baselineLogit within 1% on a default-sized (25-15) trained model", () => {
  const full = loadCsv(DEFAULT_TRAIN_CSV);
  // Every sixth training row, three epochs: a real 25-15 model in a second or two.
  const train = subset(full, Array.from({ length: Math.floor(full.rows / 6) }, (_, i) => i * 6));
  const { network } = trainSync(train, modelConfig(REFERENCE_HIDDEN), { epochs: 3, seed: 5 });
  const testSet = loadCsv(DEFAULT_TEST_CSV);
  for (let r = 0; r < 20; r++) {
    const x = testSet.features.subarray(r * 784, (r + 1) * 784);
    const a = attribute(network, x, 64);
    const expected = a.logit - a.baselineLogit;
    const sum = attributionSum(a.integratedGradients);
    assert.ok(Math.abs(sum - expected) <= 0.01 * Math.abs(expected), `row ${r}: Σ ${sum}, logit − baseline ${expected}`);
  }
});

test("the trapezoidal rule with steps intervals takes the gradient at steps + 1 points, ends weighted ½", () => {
  const network = initNetwork(modelConfig([4], "tanh", 3), 9);
  const x = [0.2, 0.5, 1];
  const steps = 2;
  const a = attribute(network, x, steps);
  const at = (t: number) => logitGradients(network, x.map((v) => v * t), 1);
  const [g0, g1, g2] = [at(0), at(0.5), at(1)].map((g) => g.gradients);
  for (let i = 0; i < 3; i++) {
    const expected = x[i] * (g0[i] / 2 + g1[i] + g2[i] / 2) / steps;
    assert.ok(Math.abs(a.integratedGradients[i] - expected) < 1e-12);
    assert.equal(a.saliency[i], g2[i]);
  }
  assert.equal(a.logit, at(1).logits[0]);
  assert.equal(a.baselineLogit, at(0).logits[0]);
});

test("for logistic regression integrated gradients are exact: weight × x, summing to logit − bias", () => {
  const network = initNetwork(modelConfig([], "sigmoid", 3), 2);
  network.layers[0].bias[0] = 0.25;
  const x = [0.1, 0, 0.9];
  const a = attribute(network, x, 1);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(a.integratedGradients[i] - network.layers[0].kernel[i] * x[i]) < 1e-12);
  assert.ok(Math.abs(a.baselineLogit - 0.25) < 1e-12);
  assert.ok(Math.abs(attributionSum(a.integratedGradients) - (a.logit - a.baselineLogit)) < 1e-12);
});

test("strongestPixels orders by |value|, ties by index", () => {
  assert.deepEqual(strongestPixels([0.1, -0.5, 0.5, 0], 3), [{ index: 1, value: -0.5 }, { index: 2, value: 0.5 }, { index: 0, value: 0.1 }]);
});
