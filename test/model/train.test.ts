import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCsv } from "../../lib/data/csv";
import type { Dataset } from "../../lib/data/dataset";
import { DEFAULT_TRAIN_CSV, DEFAULT_TEST_CSV } from "../../lib/data/default-files";
import { subset } from "../../lib/data/split";
import { initNetwork, modelConfig, parameterCount, toLayersModel, type Activation, type Network } from "../../lib/model/model";
import { hasDiverged, predictProbabilities, resolveTrainConfig, Trainer, TrainingDiverged, trainSync, train } from "../../lib/model/train";
import { classificationReport } from "../../lib/evaluation/metrics";
import { initBackend, tf } from "../../lib/model/backend";
import { loadModel, saveModel, saveTrained } from "../../lib/model/persist";
import { InputError } from "../../lib/core/errors";

let trainSet: Dataset;
let testSet: Dataset;
before(() => {
  trainSet = loadCsv(DEFAULT_TRAIN_CSV);
  testSet = loadCsv(DEFAULT_TEST_CSV);
});

const firstRows = (ds: Dataset, n: number) => subset(ds, Array.from({ length: n }, (_, i) => i));
const sameWeights = (a: Network, b: Network) =>
  a.layers.every((l, i) => Buffer.from(l.kernel.buffer).equals(Buffer.from(b.layers[i].kernel.buffer)) && Buffer.from(l.bias.buffer).equals(Buffer.from(b.layers[i].bias.buffer)));

describe("model", () => {
  test("parameter count of the reference 784→25→15→1 is 784·25+25 + 25·15+15 + 15+1", () => {
    assert.equal(parameterCount(modelConfig([25, 15])), 784 * 25 + 25 + 25 * 15 + 15 + 15 + 1);
    assert.equal(parameterCount(modelConfig([])), 785);
  });

  test("Glorot-uniform kernels stay within ±sqrt(6/(fan_in+fan_out)) and biases start at zero", () => {
    const net = initNetwork(modelConfig([25, 15]), 7);
    const limit = Math.sqrt(6 / (784 + 25));
    assert.ok(net.layers[0].kernel.every((w) => Math.abs(w) <= limit));
    assert.ok(net.layers[0].kernel.some((w) => Math.abs(w) > limit * 0.9));
    assert.ok(net.layers.every((l) => l.bias.every((b) => b === 0)));
  });

  test("bad layer sizes and activations are input errors", () => {
    assert.throws(() => modelConfig([25, 0]), InputError);
    assert.throws(() => modelConfig([2.5]), InputError);
    assert.throws(() => modelConfig([4], "softmax" as Activation), InputError);
    assert.throws(() => resolveTrainConfig({ epochs: 0 }), /epochs must be a positive integer/);
  });
});

describe("training", () => {
  // The hand-written forward, backward and Adam must match TensorFlow.js doing the same steps.
  for (const activation of ["sigmoid", "relu", "tanh"] as Activation[]) {
    test(`three full-batch Adam steps match TensorFlow.js's (${activation})`, async () => {
      await initBackend({ quiet: true });
      const t = tf();
      const data = firstRows(trainSet, 48);
      const config = modelConfig([6, 4], activation);
      const start = initNetwork(config, 5);
      const ours = trainSync(data, config, { epochs: 3, batchSize: 48, learningRate: 0.01, seed: 1, initialNetwork: start }).network;

      const model = toLayersModel(t, start);
      const optimizer = t.train.adam(0.01);
      const x = t.tensor2d(data.features, [data.rows, data.cols]);
      const y = t.tensor2d(Float32Array.from(data.labels), [data.rows, 1]);
      for (let step = 0; step < 3; step++) {
        optimizer.minimize(() => t.mean(t.metrics.binaryCrossentropy(y, model.predict(x) as typeof x)) as never);
      }
      const theirs = model.getWeights().map((w) => w.dataSync());
      const mine = ours.layers.flatMap((l) => [l.kernel, l.bias]);
      assert.equal(theirs.length, mine.length);
      let worst = 0;
      theirs.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - mine[i][j])))));
      assert.ok(worst < 2e-5, `largest weight difference ${worst}`);
      // and the weights really moved
      assert.ok(!sameWeights(ours, start));
      model.dispose();
      t.dispose([x, y]);
    });
  }

  test("the same seed gives identical weights and loss history; another seed does not", () => {
    const data = firstRows(trainSet, 600);
    const config = modelConfig([25, 15]);
    const a = trainSync(data, config, { epochs: 3, seed: 21 });
    const b = trainSync(data, config, { epochs: 3, seed: 21 });
    const c = trainSync(data, config, { epochs: 3, seed: 22 });
    assert.ok(sameWeights(a.network, b.network));
    assert.deepEqual(a.history.history.loss, b.history.history.loss);
    assert.deepEqual(a.history.history.acc, b.history.history.acc);
    assert.ok(!sameWeights(a.network, c.network));
  });

  test("the async trainer gives the same result as the sync one and reports every epoch", async () => {
    const data = firstRows(trainSet, 300);
    const seen: number[] = [];
    const a = await train(data, modelConfig([8]), { epochs: 3, seed: 4, validation: firstRows(testSet, 100), callbacks: { onEpochEnd: (e) => seen.push(e) } });
    const b = trainSync(data, modelConfig([8]), { epochs: 3, seed: 4 });
    assert.deepEqual(seen, [0, 1, 2]);
    assert.ok(sameWeights(a.network, b.network));
    assert.equal(a.history.history.val_loss?.length, 3);
    assert.ok(a.history.history.loss[2] < a.history.history.loss[0]);
  });

  test("a small run (2,000 rows, 3 epochs) reaches ≥ 99% accuracy on the held-out test digits", () => {
    const result = trainSync(firstRows(trainSet, 2000), modelConfig([25, 15]), { epochs: 3, seed: 13 });
    const report = classificationReport(testSet.labels, predictProbabilities(result.network, testSet));
    assert.ok(report.accuracy >= 0.99, `accuracy ${report.accuracy}`);
  });

  test("dense input (no zero pixels to skip) trains just as correctly", () => {
    const dense = (ds: Dataset): Dataset => ({ ...ds, features: ds.features.map((v) => 0.05 + 0.9 * v) });
    const result = trainSync(dense(firstRows(trainSet, 2000)), modelConfig([25, 15]), { epochs: 3, seed: 13 });
    const report = classificationReport(testSet.labels, predictProbabilities(result.network, dense(testSet)));
    assert.ok(report.accuracy >= 0.99, `accuracy ${report.accuracy}`);
  });

  test("the reference network (25, 15), 20 epochs, seed 13, twice: same test accuracy, ≥ 0.999", () => {
    const config = modelConfig([25, 15]);
    const accuracies = [1, 2].map(() => {
      const { network } = trainSync(trainSet, config, { epochs: 20, batchSize: 32, seed: 13 });
      return classificationReport(testSet.labels, predictProbabilities(network, testSet)).accuracy;
    });
    assert.equal(accuracies[0], accuracies[1]);
    assert.ok(accuracies[0] >= 0.999, `test accuracy ${accuracies[0]}`);
  });

  test("data with the wrong number of pixels is refused with what was expected", () => {
    const bad: Dataset = { features: new Float32Array(10), labels: new Uint8Array(2), rows: 2, cols: 5 };
    assert.throws(() => trainSync(bad, modelConfig([4])), /5 pixels per row but the model expects 784/);
  });
});

describe("save and load", () => {
  test("a saved model loads with identical predictions, and TF.js's predict agrees", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-model-"));
    try {
      const data = firstRows(trainSet, 500);
      const config = modelConfig([16, 8], "relu");
      const { network, history, config: trainConfig } = trainSync(data, config, { epochs: 2, seed: 3 });
      const target = join(dir, "models", "small");
      await saveModel(target, network, { model: config, train: trainConfig, data: { fingerprint: "abc", rows: 500 }, history });
      assert.deepEqual(readdirSync(target).sort(), ["model.json", "training.json", "weights.bin"]);
      assert.deepEqual(readdirSync(join(dir, "models")), ["small"], "no temporary folder left behind");

      const loaded = await loadModel(target);
      assert.deepEqual(loaded.network.config, config);
      assert.ok(sameWeights(loaded.network, network));
      const before = predictProbabilities(network, testSet);
      const after = predictProbabilities(loaded.network, testSet);
      assert.deepEqual(after, before);
      assert.equal(loaded.record?.train.seed, 3);

      const t = tf();
      const x = t.tensor2d(testSet.features, [testSet.rows, testSet.cols]);
      const viaTf = (loaded.layersModel.predict(x) as typeof x).dataSync();
      let worst = 0;
      viaTf.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - before[i]))));
      assert.ok(worst < 1e-5, `largest difference from TF.js predict: ${worst}`);
      t.dispose(x);

      // saving again replaces the model in place
      await saveModel(target, network, { model: config, train: trainConfig, data: { fingerprint: "abc", rows: 500 } });
      assert.deepEqual(readdirSync(join(dir, "models")), ["small"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a corrupt training.json is an input error naming the file, not a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-corrupt-"));
    try {
      const config = modelConfig([]);
      const result = trainSync(firstRows(trainSet, 100), config, { epochs: 1, seed: 1 });
      const target = join(dir, "m");
      await saveTrained(target, result, firstRows(trainSet, 100), "first 100 rows");
      assert.equal((await loadModel(target)).record?.data.source, "first 100 rows");
      writeFileSync(join(target, "training.json"), "{ not json");
      await assert.rejects(loadModel(target), (e: Error) => e instanceof InputError && e.message.includes(join(target, "training.json")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("loading a folder without a model says how to make one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-empty-"));
    try {
      await assert.rejects(loadModel(dir), (e: Error) => e instanceof InputError && /no model\.json/.test(e.message) && /digits train/.test(e.message));
      assert.ok(existsSync(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("divergence", () => {
  test("hasDiverged: a non-finite loss, a loss above 10·ln 2, or 100× the first epoch's and above ln 2", () => {
    assert.equal(hasDiverged([]), false);
    assert.equal(hasDiverged([0.12, 0.03, 0.01]), false, "a normal run");
    assert.equal(hasDiverged([0.76, 0.74, 0.75]), false, "stuck near guessing is a failure to learn, not divergence");
    assert.equal(hasDiverged([NaN]), true);
    assert.equal(hasDiverged([0.1, Infinity]), true);
    assert.equal(hasDiverged([6.93]), false, "just under 10·ln 2 = 6.931");
    assert.equal(hasDiverged([6.94]), true, "just over 10·ln 2, even in the first epoch");
    assert.equal(hasDiverged([0.005, 0.6]), false, "120× the first, but still better than guessing");
    assert.equal(hasDiverged([0.005, 0.7]), true, "140× the first and worse than guessing (0.693)");
    assert.equal(hasDiverged([0.05, 0.7]), false, "only 14× the first");
  });

  test("a learning rate of 1e9 stops training at epoch 1 with TrainingDiverged, an InputError with the loss and the fix", async () => {
    const rows = firstRows(trainSet, 300);
    const epochs: number[] = [];
    await assert.rejects(
      train(rows, modelConfig([25, 15]), { learningRate: 1e9, epochs: 5, callbacks: { onEpochEnd: (e) => epochs.push(e) } }),
      (e: Error) => {
        assert.ok(e instanceof TrainingDiverged && e instanceof InputError);
        assert.equal(e.epoch, 1);
        assert.ok(e.loss > 1e6, `loss ${e.loss}`);
        assert.match(e.message, /^training 784→25→15→1 diverged at epoch 1 of 5: mean training loss \d\.\d\de\+\d+ .*; lower the learning rate \(it was 1e\+9; the default is 0\.001\)$/);
        return true;
      },
    );
    assert.deepEqual(epochs, [], "the diverged epoch is not reported as a finished one");
  });

  test("the trainer records the diverged epoch and is done", () => {
    const trainer = new Trainer(firstRows(trainSet, 300), modelConfig([8]), { learningRate: 1e9, epochs: 5 });
    assert.throws(() => trainer.runEpoch(), TrainingDiverged);
    assert.equal(trainer.done, true);
    assert.equal(trainer.history.history.loss.length, 1);
    assert.deepEqual(trainer.diverged, { epoch: 1, loss: trainer.history.history.loss[0] });
  });
});
