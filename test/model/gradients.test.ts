import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tfTypes from "@tensorflow/tfjs";
import { tf } from "../../lib/model/backend";
// The whole package adds the tensors' chained methods (x.sum()) that tfGradients uses; tf() has core and layers.
import "@tensorflow/tfjs";
import { logitGradients } from "../../lib/model/gradients";
import { initNetwork, modelConfig, type Activation, type Network, type Tfjs } from "../../lib/model/model";
import { loadModel, saveModel } from "../../lib/model/persist";
import { createRng } from "../../lib/core/random";
import { DEFAULT_TRAIN_CONFIG } from "../../lib/model/train";

/** A seeded network with non-zero biases, so that relu units sit on both sides of 0. */
function network(hidden: number[], activation: Activation, seed: number): Network {
  const net = initNetwork(modelConfig(hidden, activation, 784), seed);
  const rng = createRng(seed + 1);
  for (const layer of net.layers) for (let j = 0; j < layer.units; j++) layer.bias[j] = rng.uniform(-0.5, 0.5);
  return net;
}

/** Images like MNIST's: mostly blank, strokes in [0, 1]. */
function images(rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const x = new Float32Array(rows * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(0, 1) < 0.3 ? Math.fround(Math.round(rng.uniform(0, 255)) / 255) : 0;
  return x;
}

/** d logit / d x by TensorFlow.js's tf.grad on the model as tf.loadLayersModel reads it from disk. */
function tfGradients(t: Tfjs, model: tfTypes.LayersModel, x: Float32Array, rows: number): { logits: Float32Array; gradients: Float32Array } {
  const layers = model.layers;
  const output = layers[layers.length - 1];
  const [kernel, bias] = output.getWeights();
  // The logit is the output layer before its sigmoid: the hidden layers as loaded, then x·W + b.
  const logit = (input: tfTypes.Tensor) => {
    let h = input;
    for (const layer of layers.slice(0, -1)) h = layer.apply(h) as tfTypes.Tensor;
    return t.add(t.matMul(h as tfTypes.Tensor2D, kernel as tfTypes.Tensor2D), bias).sum(1);
  };
  const input = t.tensor2d(x, [rows, 784]);
  const grad = t.grad((v: tfTypes.Tensor) => logit(v).sum())(input);
  const result = { logits: logit(input).dataSync() as Float32Array, gradients: grad.dataSync() as Float32Array };
  t.dispose([input, grad]);
  return result;
}

const cases: { name: string; hidden: number[]; activation: Activation }[] = [
  { name: "sigmoid 25-15", hidden: [25, 15], activation: "sigmoid" },
  { name: "relu 25-15", hidden: [25, 15], activation: "relu" },
  { name: "tanh 25-15", hidden: [25, 15], activation: "tanh" },
  { name: "logistic regression", hidden: [], activation: "sigmoid" },
];

for (const [k, c] of cases.entries()) {
  test(`our backward pass equals TensorFlow.js's tf.grad on the saved and reloaded model (${c.name}) to 1e-5`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-grad-"));
    try {
      const net = network(c.hidden, c.activation, 40 + k);
      const target = join(dir, "m");
      await saveModel(target, net, { model: net.config, train: DEFAULT_TRAIN_CONFIG, data: { fingerprint: "test", rows: 0 } });
      const { network: loaded, layersModel } = await loadModel(target);
      const rows = 6;
      const x = images(rows, 7 + k);
      const ours = logitGradients(loaded, x, rows);
      const theirs = tfGradients(tf(), layersModel, x, rows);
      let largest = 0;
      for (let i = 0; i < ours.gradients.length; i++) {
        assert.ok(Math.abs(ours.gradients[i] - theirs.gradients[i]) <= 1e-5, `gradient ${i}: ours ${ours.gradients[i]}, tf.grad ${theirs.gradients[i]}`);
        largest = Math.max(largest, Math.abs(theirs.gradients[i]));
      }
      for (let r = 0; r < rows; r++) assert.ok(Math.abs(ours.logits[r] - theirs.logits[r]) <= 1e-5 * Math.max(1, Math.abs(theirs.logits[r])), `logit ${r}`);
      // Not vacuous: the gradients are far from 0.
      assert.ok(largest > 0.01, `largest gradient ${largest}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("logistic regression's gradient is its weight image, whatever the input", () => {
  const net = network([], "sigmoid", 3);
  const { gradients } = logitGradients(net, images(2, 1), 2);
  for (let i = 0; i < 784; i++) {
    assert.ok(Math.abs(gradients[i] - net.layers[0].kernel[i]) < 1e-12);
    assert.ok(Math.abs(gradients[784 + i] - net.layers[0].kernel[i]) < 1e-12);
  }
});
