import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FoldCache, type WantedFold } from "../../lib/selection/fold-cache";
import { foldKey, type FoldInputs } from "../../lib/selection/fold-key";
import { foldResultChecksum } from "../../lib/selection/fold-check";

const INPUTS: FoldInputs = {
  data: "f".repeat(64),
  digits: [0, 1],
  hidden: [25, 15],
  activation: "sigmoid",
  learningRate: 0.001,
  batchSize: 32,
  epochs: 20,
  folds: 5,
  fold: 2,
  seed: 13,
  threshold: 0.5,
  kernels: "k".repeat(64),
};

interface Result {
  logLoss: number;
}
/** What these tests take as a result: a log loss from 0 to 1. */
const wanted = (inputs: FoldInputs): WantedFold => ({
  inputs,
  check: (v) => {
    const logLoss = (v as Result | null)?.logLoss;
    return typeof logLoss === "number" && logLoss >= 0 && logLoss <= 1 ? null : `its log loss is ${JSON.stringify(logLoss)}`;
  },
});

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-fold-cache-"));
  temps.push(dir);
  return dir;
}
after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Rewrites the stored entry of `key` through `change` (a user's edit, a bug, an older digits). */
function editEntry(cache: FoldCache, key: string, change: (entry: Record<string, unknown>) => void): void {
  const entry = JSON.parse(fs.readFileSync(cache.file(key), "utf8"));
  change(entry);
  fs.writeFileSync(cache.file(key), JSON.stringify(entry));
}

describe("foldKey", () => {
  test("depends on every input and not on the order they were written in", () => {
    const reordered = Object.fromEntries(Object.entries(INPUTS).reverse()) as unknown as FoldInputs;
    assert.equal(foldKey(reordered), foldKey(INPUTS));
    assert.match(foldKey(INPUTS), /^[0-9a-f]{64}$/);
    const changes: Partial<FoldInputs>[] = [
      { data: "e".repeat(64) }, { digits: [4, 9] }, { digits: null }, { hidden: [25, 16] }, { activation: "relu" },
      { learningRate: 0.003 }, { batchSize: 64 }, { epochs: 19 }, { folds: 4 }, { fold: 3 }, { seed: 14 },
      { threshold: 0.6 }, { kernels: "j".repeat(64) },
    ];
    const keys = new Set([foldKey(INPUTS), ...changes.map((c) => foldKey({ ...INPUTS, ...c }))]);
    assert.equal(keys.size, changes.length + 1);
  });
});

describe("FoldCache", () => {
  test("stores a result with its checksum under its inputs and gives it back; other inputs find nothing", () => {
    const cache = new FoldCache(tempDir());
    assert.equal(cache.get(wanted(INPUTS)), null);
    const key = cache.put(INPUTS, { logLoss: 0.25 });
    assert.deepEqual(cache.get(wanted(INPUTS)), { logLoss: 0.25 });
    assert.equal(cache.get(wanted({ ...INPUTS, seed: 1 })), null);
    assert.deepEqual(cache.keys(), [key]);
    assert.ok(fs.existsSync(path.join(cache.dir, key.slice(0, 2), `${key}.json`)));
    const stored = JSON.parse(fs.readFileSync(cache.file(key), "utf8"));
    assert.deepEqual(stored.inputs, INPUTS);
    assert.equal(stored.checksum, foldResultChecksum(key, { logLoss: 0.25 }));
    assert.deepEqual(cache.warnings, []);
  });

  test("a corrupt or mismatched entry is reported once, naming the file and why, and treated as missing", () => {
    const warnings: string[] = [];
    const cache = new FoldCache(tempDir(), (m) => warnings.push(m));
    const key = cache.put(INPUTS, { logLoss: 0.25 });
    const file = cache.file(key);
    fs.writeFileSync(file, '{"schema": "binary-digits/fold", "key": "');
    assert.equal(cache.get(wanted(INPUTS)), null);
    assert.match(warnings[0], new RegExp(`${key}\\.json is not valid JSON .*training that fold again`));
    cache.put(INPUTS, { logLoss: 0.25 });
    editEntry(cache, key, (e) => (e.inputs = { ...INPUTS, seed: 99 }));
    assert.equal(cache.get(wanted(INPUTS)), null);
    assert.match(warnings[1], /inputs that do not match its key/);
    assert.equal(warnings.length, 2);
    assert.deepEqual(cache.warnings, warnings);
    // Rewriting repairs it.
    cache.put(INPUTS, { logLoss: 0.5 });
    assert.deepEqual(cache.get(wanted(INPUTS)), { logLoss: 0.5 });
  });

  test("a result changed after it was written fails its checksum: not used, one warning naming the file", () => {
    const warnings: string[] = [];
    const cache = new FoldCache(tempDir(), (m) => warnings.push(m));
    const key = cache.put(INPUTS, { logLoss: 0.3 });
    editEntry(cache, key, (e) => (e.result = { logLoss: 0.01 }));
    assert.equal(cache.get(wanted(INPUTS)), null);
    assert.deepEqual(warnings, [`fold cache entry ${cache.file(key)} does not match its checksum (it was changed after it was written); training that fold again`]);
  });

  test("a result with a valid checksum that fails the caller's check is not used, with the check's reason", () => {
    const warnings: string[] = [];
    const cache = new FoldCache(tempDir(), (m) => warnings.push(m));
    const key = cache.put(INPUTS, { logLoss: 7 });
    assert.equal(cache.get(wanted(INPUTS)), null);
    assert.deepEqual(warnings, [`fold cache entry ${cache.file(key)} cannot be this fold's result: its log loss is 7; training that fold again`]);
  });

  test("entries without a checksum (an older digits) are not used, and one line says how many", () => {
    const warnings: string[] = [];
    const dir = tempDir();
    const cache = new FoldCache(dir, (m) => warnings.push(m));
    const folds = [0, 1, 2, 3].map((fold) => ({ ...INPUTS, fold }));
    for (const inputs of folds) cache.put(inputs, { logLoss: 0.2 });
    for (const inputs of folds.slice(0, 3)) editEntry(cache, foldKey(inputs), (e) => delete e.checksum);
    const found = cache.getAll<Result>(folds.map(wanted));
    assert.deepEqual(found, [null, null, null, { logLoss: 0.2 }]);
    assert.deepEqual(warnings, [`3 fold cache entries in ${dir} have no checksum (written by an older digits), so they cannot be verified; training those folds again`]);
  });

  test("remove deletes the named entries", () => {
    const cache = new FoldCache(tempDir());
    const a = cache.put(INPUTS, { logLoss: 1 });
    const b = cache.put({ ...INPUTS, fold: 0 }, { logLoss: 0.5 });
    assert.equal(cache.remove([a, "0".repeat(64)]), 1);
    assert.deepEqual(cache.keys(), [b]);
  });

  test("temporary files of a killed writer are removed when the cache is opened; a live writer's are kept", () => {
    const dir = tempDir();
    const key = new FoldCache(dir).put(INPUTS, { logLoss: 1 });
    const shard = path.join(dir, key.slice(0, 2));
    // A pid that is certainly gone: a child that has exited.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const stale = path.join(shard, `.${key}.json.${dead}.abcd1234.tmp`);
    const live = path.join(shard, `.${key}.json.${process.pid}.abcd1234.tmp`);
    fs.writeFileSync(stale, "{");
    fs.writeFileSync(live, "{");
    const cache = new FoldCache(dir);
    assert.equal(fs.existsSync(stale), false);
    assert.equal(fs.existsSync(live), true);
    assert.deepEqual(cache.get(wanted(INPUTS)), { logLoss: 1 });
  });
});
