import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../lib/data/dataset";
import { evaluateSet, evaluateSets } from "../../lib/evaluation/evaluate";
import { modelConfig, type Network } from "../../lib/model/model";

// Logistic regression on two pixels with hand-set weights: P(1) = sigmoid(x0 - x1).
const network: Network = {
  config: modelConfig([], "sigmoid", 2),
  layers: [{ inputs: 2, units: 1, kernel: Float32Array.from([1, -1]), bias: Float32Array.from([0]) }],
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dataset = (rows: number[][], labels: number[]): Dataset => ({ features: Float32Array.from(rows.flat()), labels: Uint8Array.from(labels), rows: rows.length, cols: 2 });

describe("scoring a model on a set", () => {
  const set = dataset([[1, 0], [0, 1], [1, 1], [0, 0]], [1, 0, 1, 0]);

  it("evaluateSet gives the network's probabilities and the metrics at threshold 0.5 (positive only above it)", () => {
    const { probabilities, metrics, dataset: scored } = evaluateSet(network, set);
    assert.equal(scored, set);
    [sigmoid(1), sigmoid(-1), 0.5, 0.5].forEach((p, i) => assert.ok(Math.abs(probabilities[i] - p) < 1e-6, `row ${i}: ${probabilities[i]} vs ${p}`));
    // Rows 3 and 4 sit exactly at 0.5 and are predicted 0: tn 2, fp 0, fn 1, tp 1.
    assert.deepEqual(metrics.confusionMatrix, [[2, 0], [1, 1]]);
    assert.equal(metrics.accuracy, 0.75);
    assert.equal(metrics.precision, 1);
    assert.equal(metrics.recall, 0.5);
  });

  it("a lower threshold turns the rows at 0.5 positive", () => {
    assert.deepEqual(evaluateSet(network, set, 0.4).metrics.confusionMatrix, [[1, 1], [0, 2]]);
  });

  it("evaluateSets scores each named set the same way, keeping the names in order", () => {
    const other = dataset([[0, 1], [1, 0]], [0, 1]);
    const all = evaluateSets(network, { test: set, train: other });
    assert.deepEqual(Object.keys(all), ["test", "train"]);
    assert.deepEqual(all.test.metrics, evaluateSet(network, set).metrics);
    assert.equal(all.train.metrics.accuracy, 1);
  });
});
