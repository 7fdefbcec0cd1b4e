import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FoldCache, foldKey, type FoldInputs } from "../../lib/selection/fold-cache";

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
const isResult = (v: unknown): v is Result => typeof (v as Result | null)?.logLoss === "number";

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-fold-cache-"));
  temps.push(dir);
  return dir;
}
after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

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
  test("stores a result under its inputs and gives it back; other inputs find nothing", () => {
    const cache = new FoldCache(tempDir());
    assert.equal(cache.get(INPUTS, isResult), null);
    const key = cache.put(INPUTS, { logLoss: 0.25 });
    assert.deepEqual(cache.get(INPUTS, isResult), { logLoss: 0.25 });
    assert.equal(cache.get({ ...INPUTS, seed: 1 }, isResult), null);
    assert.deepEqual(cache.keys(), [key]);
    assert.ok(fs.existsSync(path.join(cache.dir, key.slice(0, 2), `${key}.json`)));
    assert.deepEqual(JSON.parse(fs.readFileSync(cache.file(key), "utf8")).inputs, INPUTS);
  });

  test("a corrupt or mismatched entry is reported and treated as missing", () => {
    const warnings: string[] = [];
    const cache = new FoldCache(tempDir(), (m) => warnings.push(m));
    const key = cache.put(INPUTS, { logLoss: 0.25 });
    fs.writeFileSync(cache.file(key), '{"schema": "binary-digits/fold", "key": "');
    assert.equal(cache.get(INPUTS, isResult), null);
    assert.match(warnings[0], new RegExp(`${key}\\.json is not valid JSON .*training that fold again`));
    const entry = { schema: "binary-digits/fold", key, inputs: { ...INPUTS, seed: 99 }, result: { logLoss: 1 } };
    fs.writeFileSync(cache.file(key), JSON.stringify(entry));
    assert.equal(cache.get(INPUTS, isResult), null);
    assert.match(warnings[1], /inputs that do not match its key/);
    fs.writeFileSync(cache.file(key), JSON.stringify({ ...entry, inputs: INPUTS, result: { logLoss: "x" } }));
    assert.equal(cache.get(INPUTS, isResult), null);
    assert.match(warnings[2], /no usable result/);
    assert.deepEqual(cache.warnings, warnings);
    // Rewriting repairs it.
    cache.put(INPUTS, { logLoss: 0.5 });
    assert.deepEqual(cache.get(INPUTS, isResult), { logLoss: 0.5 });
  });

  test("remove deletes the named entries", () => {
    const cache = new FoldCache(tempDir());
    const a = cache.put(INPUTS, { logLoss: 1 });
    const b = cache.put({ ...INPUTS, fold: 0 }, { logLoss: 2 });
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
    assert.deepEqual(cache.get(INPUTS, isResult), { logLoss: 1 });
  });
});
