// lib/model/memory.ts: the estimate of what a run allocates, and the refusals before anything is.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadCsv } from "../../lib/data/csv";
import type { Dataset } from "../../lib/data/dataset";
import { DEFAULT_TRAIN_CSV } from "../../lib/data/default-files";
import { Engine } from "../../lib/model/engine";
import { engineMemory, partShape } from "../../lib/model/memory-layout";
import { InputError } from "../../lib/core/errors";
import { formatBytes } from "../../lib/core/format";
import { checkSelectionMemory, checkTrainingMemory } from "../../lib/model/memory";
import { initNetwork, modelConfig } from "../../lib/model/model";
import { selectCandidates } from "../../lib/selection/select";
import { subset } from "../../lib/data/split";
import { train, trainSync, Trainer } from "../../lib/model/train";

const GiB = 2 ** 30;
/** Limits nothing exceeds: the checks return their estimate. */
const NO_LIMITS = { engineBytes: Infinity, machineBytes: Infinity };
const MiB = 2 ** 20;
const MNIST = { rows: 12665, nonZero: 12665 * 150 };

let small: Dataset | undefined;
function smallData(): Dataset {
  small ??= subset(loadCsv(DEFAULT_TRAIN_CSV), Array.from({ length: 40 }, (_, i) => i * 300));
  return small;
}

describe("engine memory estimate", () => {
  test("a 4→3→1 network on 2 rows with 5 non-zero pixels, by hand", () => {
    // Layer 0: 4 inputs × 4 (3 units padded to 4) floats = 64 bytes + bias 16; layer 1: 3 × 4 = 48 + 16.
    // Rows: indptr 12→16, indices 10→16, values 20→32, labels 2→16, order 8→16 (16-byte aligned).
    const m = engineMemory([4, 3, 1], { train: { rows: 2, nonZero: 5 } });
    assert.equal(m.parts.weights, 64 + 16 + 48 + 16);
    assert.equal(m.parts.gradients, 144);
    assert.equal(m.parts.adam, 2 * 144);
    assert.equal(m.parts.data, 16 + 16 + 32 + 16 + 16);
    // the kernels' first page, then 66,496 bytes in all: two 64 KiB pages
    assert.equal(m.bytes, 2 * 65536);
    assert.equal(m.parts.weights + m.parts.gradients + m.parts.adam + m.parts.data + m.parts.other, m.bytes);
  });

  test("predicting lays out no gradients and no Adam state", () => {
    const m = engineMemory([4, 3, 1], { predict: { rows: 2, nonZero: 5 } });
    assert.equal(m.parts.gradients, 0);
    assert.equal(m.parts.adam, 0);
    // no order array, but 8 bytes of output per row
    assert.equal(m.parts.data, 16 + 16 + 32 + 16 + 16);
  });

  test("is exactly what an Engine allocates, for training and for prediction", () => {
    const data = smallData();
    const config = modelConfig([300, 200], "sigmoid", data.cols);
    const network = initNetwork(config, 1);
    const training = new Engine(network, { train: data, validation: data });
    assert.equal(training.memoryBytes, engineMemory([784, 300, 200, 1], { train: partShape(data), validation: partShape(data) }).bytes);
    const predicting = new Engine(network, { predict: data });
    assert.equal(predicting.memoryBytes, engineMemory([784, 300, 200, 1], { predict: partShape(data) }).bytes);
    assert.ok(training.memoryBytes > 16 * (784 * 300 + 300 * 200), "weights, gradients and two Adam moments: 16 bytes a parameter");
  });
});

describe("refusing a run that cannot fit", () => {
  test("784→30000→30000→1 on MNIST needs 13.8 GiB of WebAssembly memory, above its 4 GiB ceiling", () => {
    const model = modelConfig([30000, 30000]);
    const m = checkTrainingMemory(model, MNIST, undefined, NO_LIMITS);
    // 923,610,001 parameters × 16 bytes (weight, gradient, two moments) ≈ 13.8 GiB
    assert.ok(m.engine.bytes > 923_610_001 * 16 && m.engine.bytes < 923_610_001 * 16 + 32 * MiB);
    assert.throws(
      () => checkTrainingMemory(model, MNIST),
      (e: Error) =>
        e instanceof InputError &&
        /a 784→30000→30000→1 network \(923,610,001 parameters\) needs 13\.8 GiB of WebAssembly memory to train on 12,665 rows/.test(e.message) &&
        /Adam state 6\.88 GiB/.test(e.message) &&
        /more than the 4 GiB one WebAssembly memory can hold; choose smaller hidden layers \(about 26\d million parameters fit\)/.test(e.message),
    );
  });

  test("a run that fits WebAssembly but not the machine names the machine's memory", () => {
    const model = modelConfig([4000, 4000]);
    const m = checkTrainingMemory(model, MNIST, undefined, NO_LIMITS);
    assert.ok(m.engine.bytes < 4 * GiB && m.totalBytes > 256 * MiB);
    assert.throws(
      () => checkTrainingMemory(model, MNIST, undefined, { engineBytes: 4 * GiB, machineBytes: 256 * MiB }),
      (e: Error) => e instanceof InputError && new RegExp(`needs about ${formatBytes(m.totalBytes)} to train .* more than this machine's 256 MiB of memory`).test(e.message),
    );
    assert.equal(checkTrainingMemory(model, MNIST, undefined, { engineBytes: 4 * GiB, machineBytes: 64 * GiB }).totalBytes, m.totalBytes);
  });

  test("a selection multiplies the biggest fold run by the workers running at once, and says how many fit", () => {
    const models = [modelConfig([]), modelConfig([2000, 1000])];
    const train = { rows: 10000, nonZero: 1_500_000 };
    const validation = { rows: 2500, nonZero: 375_000 };
    const per = checkSelectionMemory([models[1]], train, validation, 1, 0, NO_LIMITS).perThreadBytes;
    const limits = { engineBytes: 4 * GiB, machineBytes: Math.floor(3.5 * per) };
    assert.deepEqual(checkSelectionMemory(models, train, validation, 3, 0, limits), { perThreadBytes: per, totalBytes: 3 * per });
    assert.throws(
      () => checkSelectionMemory(models, train, validation, 4, 0, limits),
      (e: Error) => e instanceof InputError && /784→2000→1000→1 .* per fold run .* with 4 threads at once .* use fewer threads \(3 fit\)/.test(e.message),
    );
  });

  test("the trainer, train() and selectCandidates refuse before allocating, with an InputError", async () => {
    const data = smallData();
    const huge = modelConfig([30000, 30000], "sigmoid", data.cols);
    // Allocating first would take gigabytes and minutes (3.6 GB of initial weights alone).
    assert.throws(() => new Trainer(data, huge), (e: Error) => e instanceof InputError && /needs 13\.\d GiB/.test(e.message));
    assert.throws(() => trainSync(data, huge), InputError);
    await assert.rejects(train(data, modelConfig([100000, 100000], "sigmoid", data.cols)), (e: Error) => e instanceof InputError && /needs 150 GiB/.test(e.message));
    for (const threads of [1, 2]) {
      await assert.rejects(
        selectCandidates(data, { grid: [[8], [30000, 30000]], folds: 2, epochs: 1, threads }),
        (e: Error) => e instanceof InputError && /784→30000→30000→1/.test(e.message),
      );
    }
  });
});
