// lib/selection/queue/jobs: what crosses the network. The data travels compact and comes back bit
// for bit; a result comes back from Redis believed only when it proves itself: the checksum the
// worker stored with it, and the rule every stored fold result must pass (lib/selection/fold-check).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Dataset } from "../../../lib/data/dataset";
import { datasetFingerprint } from "../../../lib/data/fingerprint";
import { stratifiedKFold } from "../../../lib/data/split";
import { engineInfo } from "../../../lib/model/engine";
import { foldInputs, foldKey } from "../../../lib/selection/fold-key";
import { expectedFold, foldResultChecksum } from "../../../lib/selection/fold-check";
import { FoldRun, type FoldSettings } from "../../../lib/selection/fold-run";
import { decodeDataset, decodeResult, encodeDataset, encodeResult, storeResult, verifiedResult } from "../../../lib/selection/queue/jobs";
import { type FoldResult } from "../../../lib/selection/record";
import { syntheticDataset } from "./helpers";

describe("the training data", () => {
  test("a dataset of pixels / 255 travels as one byte per pixel and comes back bit for bit", () => {
    const data = syntheticDataset(50, 3);
    const bytes = encodeDataset(data);
    // 50 × 784 bytes of mostly zeros compress far below their 39,200 bytes
    assert.ok(bytes.length < 10_000, `${bytes.length} bytes`);
    const back = decodeDataset(bytes, datasetFingerprint(data));
    assert.deepEqual(back, data);
  });

  test("other feature values travel as float32, and a fingerprint that does not match is refused", () => {
    const data: Dataset = { features: new Float32Array([0.1, 0.2, 0.3, 0.4]), labels: new Uint8Array([0, 1]), rows: 2, cols: 2 };
    assert.deepEqual(decodeDataset(encodeDataset(data), datasetFingerprint(data)), data);
    assert.throws(() => decodeDataset(encodeDataset(data), "0000000000000000"), /has fingerprint .*damaged/);
  });
});

describe("results read back from Redis", () => {
  // One real fold: 60 rows, 2 folds, 2 epochs of an 8-unit net.
  const data = syntheticDataset(60, 5);
  const settings: FoldSettings = { folds: 2, epochs: 2, batchSize: 16, seed: 13, threshold: 0.5 };
  const folds = stratifiedKFold(data.labels, settings.folds, settings.seed);
  const job = { id: 0, candidate: { name: "8", hidden: [8], activation: "sigmoid" as const, learningRate: 0.01 }, fold: 1 };
  const run = new FoldRun(data, folds[job.fold], job, settings);
  while (!run.done) run.step();
  const result = run.result();
  const inputs = foldInputs(job, settings, datasetFingerprint(data), engineInfo().kernelsSha256, [0, 1]);
  const key = foldKey(inputs);
  const expected = expectedFold(inputs, folds[1], data.cols);
  /** The stored text with the result changed by `edit`, its checksum left as the worker computed it. */
  const edited = (edit: (r: FoldResult) => void, rechecksum = false) => {
    const stored = decodeResult(storeResult(key, result, "h:1"));
    edit(stored.result);
    if (rechecksum) stored.checksum = foldResultChecksum(key, stored.result);
    return encodeResult(stored);
  };

  test("results keep NaN and infinities (plain JSON would make them null)", () => {
    const value = { result: { auc: NaN, logLoss: Infinity, accuracy: 0.5 } as unknown as FoldResult, worker: "h:1" };
    const back = decodeResult(encodeResult(value));
    assert.ok(Number.isNaN(back.result.auc));
    assert.equal(back.result.logLoss, Infinity);
    assert.equal(back.result.accuracy, 0.5);
  });

  test("a result as the worker stored it is taken, with who trained it", () => {
    assert.deepEqual(verifiedResult(key, storeResult(key, result, "h:1"), expected), { result, worker: "h:1" });
  });

  test("a result changed after the worker stored it fails its checksum", () => {
    const text = edited((r) => (r.accuracy = 0.123));
    assert.deepEqual(verifiedResult(key, text, expected), { problem: "does not match its checksum (it was changed after the worker stored it)" });
  });

  test("a result stored under another fold's key fails its checksum", () => {
    assert.match((verifiedResult("0".repeat(64), storeResult(key, result, "h:1"), expected) as { problem: string }).problem, /does not match its checksum/);
  });

  test("a result whose checksum was made to match must still be a result of this fold", () => {
    const wrongFold = edited((r) => (r.fold = 0), true);
    assert.deepEqual(verifiedResult(key, wrongFold, expected), { problem: "it is for fold 0, not fold 1 of 2" });
    const accuracy = edited((r) => (r.accuracy = r.accuracy === 1 ? 0.5 : 1), true);
    assert.match((verifiedResult(key, accuracy, expected) as { problem: string }).problem, /^its accuracy .* disagrees with its confusion matrix/);
  });

  test("no checksum, no JSON, no result: each says so", () => {
    assert.deepEqual(verifiedResult(key, encodeResult({ result, worker: "h:1" }), expected), { problem: "has no checksum (stored by an older digits worker?)" });
    assert.deepEqual(verifiedResult(key, "{not json", expected), { problem: "is not JSON" });
    assert.deepEqual(verifiedResult(key, null, expected), { problem: "holds no result" });
  });
});
