// lib/selection/experiments: records stored, read, found by id prefix, compared and removed; the fold cache
// reused by runExperiment (rerun, grid extended, killed and resumed, concurrent runs).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { DEFAULT_TRAIN_CSV } from "../../lib/data/default-files";
import { InputError } from "../../lib/core/errors";
import { findExperiment, foldCacheDir, listExperiments, readExperiments, removeExperiments, saveExperiment } from "../../lib/selection/experiments";
import { compareExperiments, experimentRows, experimentsDataFrame } from "../../lib/selection/record-diff";
import { pruneCache } from "../../lib/selection/prune";
import { runExperiment } from "../../lib/selection/run-experiment";
import { FoldCache } from "../../lib/selection/fold-cache";
import { foldResultChecksum } from "../../lib/selection/fold-check";
import { selectCandidates } from "../../lib/selection/select";
import { type ExperimentRecord } from "../../lib/selection/record";

import { RUN, smallCsv, smallData, SMALL, tempDir } from "../support/selection-data";

describe("experiment records", () => {
  test("are written atomically as valid JSON with config, data, versions, folds, summary, winner and times", async () => {
    const dir = tempDir();
    const record = await selectCandidates(smallData(), { ...SMALL, threads: 1, source: DEFAULT_TRAIN_CSV });
    const file = saveExperiment(record, dir);
    assert.deepEqual(fs.readdirSync(dir), [`${record.id}.json`]); // no temp file left behind
    const stored = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const key of ["config", "data", "versions", "backend", "folds", "summary", "winner", "startedAt", "finishedAt"]) {
      assert.ok(key in stored, key);
    }
    assert.equal(stored.data.source, "data/train.csv");
    assert.match(stored.data.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(stored.data.rows, 300);
    assert.equal(stored.versions.node, process.version);
    assert.match(stored.versions.tfjs, /^\d+\.\d+\.\d+/);
    assert.match(stored.versions.binaryDigits, /^\d+\.\d+\.\d+/);
    assert.deepEqual(stored.config.grid, [[], [8]]);
    assert.equal(stored.folds.length, 6);
    assert.ok(Date.parse(stored.startedAt) <= Date.parse(stored.finishedAt));
    assert.deepEqual(stored, JSON.parse(JSON.stringify(record)));
  });

  test("a failed write leaves no file behind", async () => {
    const dir = tempDir();
    const record = await selectCandidates(smallData(), { ...SMALL, grid: [[]], threads: 1 });
    // A directory where the record should go makes the final rename fail.
    fs.mkdirSync(path.join(dir, `${record.id}.json`));
    assert.throws(() => saveExperiment(record, dir));
    assert.deepEqual(fs.readdirSync(dir), [`${record.id}.json`]);
    assert.deepEqual(fs.readdirSync(path.join(dir, `${record.id}.json`)), []);
  });

  test("are listed oldest first, skipping other files; a DataFrame of run × candidate", async () => {
    const dir = tempDir();
    assert.deepEqual(listExperiments(dir), []);
    const first = await selectCandidates(smallData(), { ...SMALL, threads: 1 });
    const second = await selectCandidates(smallData(), { ...SMALL, grid: [[8]], threads: 1 });
    saveExperiment(second, dir);
    saveExperiment(first, dir);
    fs.writeFileSync(path.join(dir, "notes.json"), "{}");
    fs.writeFileSync(path.join(dir, ".half-written.json.tmp"), "{");
    const records = listExperiments(dir);
    assert.deepEqual(records.map((r) => r.id), [first.id, second.id]);
    const rows = experimentRows(records);
    assert.deepEqual(rows.map((r) => `${r.run}/${r.candidate}`), [`${first.id}/logistic`, `${first.id}/8`, `${second.id}/8`]);
    assert.equal(rows.filter((r) => r.winner).length, 2);
    const frame = experimentsDataFrame(records);
    assert.deepEqual(frame.shape, [3, rows.length > 0 ? Object.keys(rows[0]).length : 0]);
    assert.ok(frame.columns.includes("meanLogLoss"));
  });
});


/** The scores of a record, without ids and clocks. */
function scores(record: ExperimentRecord): unknown {
  return { summary: record.summary.map(({ meanSeconds, sdSeconds, ...rest }) => rest), winner: record.winner, folds: record.folds.map(({ seconds, ...rest }) => rest) };
}

describe("the fold cache in a rerun", () => {
  test("an identical rerun trains nothing and gives the same numbers", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const first = await runExperiment({ ...RUN, data, dir });
    assert.deepEqual(first.record.cache, { reused: 0, trained: 6 });
    assert.equal(new FoldCache(foldCacheDir(dir)).keys().length, 6);
    let plan: unknown = null;
    const again = await runExperiment({ ...RUN, data, dir, onStart: (p) => (plan = p) });
    assert.deepEqual(again.record.cache, { reused: 6, trained: 0 });
    assert.deepEqual(plan, { folds: 6, reused: 6, trained: 0 });
    assert.equal(again.record.workers, 0);
    assert.deepEqual(scores(again.record), scores(first.record));
  });

  test("a grid extended by one candidate trains only that candidate's folds", async () => {
    const dir = tempDir();
    const data = smallCsv();
    await runExperiment({ ...RUN, data, dir });
    const extended = await runExperiment({ ...RUN, grid: [[], [8], [4]], data, dir });
    assert.deepEqual(extended.record.cache, { reused: 6, trained: 3 });
    // The candidate names change with the grid; the reused folds take the new names.
    const product = await runExperiment({ ...RUN, activations: ["sigmoid", "relu"], data, dir });
    assert.deepEqual(product.record.cache, { reused: 6, trained: 3 });
    assert.deepEqual(product.record.summary.map((s) => s.architecture), ["logistic", "8 sigmoid", "8 relu"]);
  });

  test("a changed seed, data or kernel hash retrains, and so does reuse: false", async () => {
    const dir = tempDir();
    const data = smallCsv();
    await runExperiment({ ...RUN, data, dir });
    assert.deepEqual((await runExperiment({ ...RUN, seed: 14, data, dir })).record.cache, { reused: 0, trained: 6 });
    assert.deepEqual((await runExperiment({ ...RUN, data: smallCsv(240), dir })).record.cache, { reused: 0, trained: 6 });
    assert.deepEqual((await runExperiment({ ...RUN, data, dir, reuse: false })).record.cache, { reused: 0, trained: 6 });
    // Another kernel hash: the same fold under other code is another key.
    const cache = new FoldCache(foldCacheDir(dir));
    const stored = readExperiments(dir).records[0].record.folds[0];
    const entry = JSON.parse(fs.readFileSync(cache.file(stored.key!), "utf8"));
    assert.equal(entry.inputs.kernels.length, 64);
    assert.equal(cache.get({ inputs: { ...entry.inputs, kernels: "0".repeat(64) }, check: () => null }), null);
  });

  test("a corrupt cache entry is retrained, and a warning names it", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const first = await runExperiment({ ...RUN, data, dir });
    const cache = new FoldCache(foldCacheDir(dir));
    const broken = cache.file(first.record.folds[2].key!);
    fs.writeFileSync(broken, "{ half");
    const warnings: string[] = [];
    const again = await runExperiment({ ...RUN, data, dir, onCacheWarning: (m) => warnings.push(m) });
    assert.deepEqual(again.record.cache, { reused: 5, trained: 1 });
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(broken), warnings[0]);
    assert.deepEqual(scores(again.record), scores(first.record));
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(broken, "utf8")), "the entry was rewritten");
  });
});

/** Rewrites a stored fold result through `change`; with `sign`, its checksum is recomputed (as a buggy writer would). */
function editCached(dir: string, key: string, change: (result: Record<string, unknown>) => void, sign = false): string {
  const file = new FoldCache(foldCacheDir(dir)).file(key);
  const entry = JSON.parse(fs.readFileSync(file, "utf8"));
  change(entry.result);
  if (sign) entry.checksum = foldResultChecksum(key, entry.result);
  fs.writeFileSync(file, JSON.stringify(entry));
  return file;
}

describe("a cached fold result is checked before it is reused", () => {
  test("numbers changed after they were written (log loss 0.01 for a network that scores 0.5) are not believed: one warning each, trained again, the winner unchanged", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const first = await runExperiment({ ...RUN, data, dir });
    assert.equal(first.record.winner.architecture, "logistic");
    const eight = first.record.folds.filter((f) => f.architecture === "8");
    const files = eight.map((f) => editCached(dir, f.key!, (r) => (r.logLoss = 0.01)));
    const warnings: string[] = [];
    const again = await runExperiment({ ...RUN, data, dir, onCacheWarning: (m) => warnings.push(m) });
    assert.deepEqual(again.record.cache, { reused: 3, trained: 3 });
    assert.deepEqual(warnings, files.map((file) => `fold cache entry ${file} does not match its checksum (it was changed after it was written); training that fold again`));
    assert.deepEqual(scores(again.record), scores(first.record));
    // Rewritten: a third run reuses every fold without a word.
    const third: string[] = [];
    assert.deepEqual((await runExperiment({ ...RUN, data, dir, onCacheWarning: (m) => third.push(m) })).record.cache, { reused: 6, trained: 0 });
    assert.deepEqual(third, []);
  });

  test("a result that cannot be its fold's is refused even with a valid checksum: another fold, no confusion matrix, no log loss", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const first = await runExperiment({ ...RUN, data, dir });
    const [a, b, c] = first.record.folds.map((f) => f.key!);
    editCached(dir, a, (r) => (r.fold = 7), true);
    editCached(dir, b, (r) => (r.confusionMatrix = []), true);
    editCached(dir, c, (r) => (r.logLoss = null), true);
    const warnings: string[] = [];
    const again = await runExperiment({ ...RUN, data, dir, onCacheWarning: (m) => warnings.push(m) });
    assert.deepEqual(again.record.cache, { reused: 3, trained: 3 });
    assert.equal(warnings.length, 3);
    assert.match(warnings[0], /cannot be this fold's result: it is for fold 7, not fold 0 of 3; training that fold again$/);
    assert.match(warnings[1], /cannot be this fold's result: its confusion matrix is not 2×2 counts/);
    assert.match(warnings[2], /cannot be this fold's result: its log loss is null, not a finite number ≥ 0/);
    assert.deepEqual(scores(again.record), scores(first.record));
    assert.ok(again.record.summary.every((s) => Number.isFinite(s.meanLogLoss)));
  });

  test("entries written before checksums are all trained again, with one line saying how many", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const first = await runExperiment({ ...RUN, data, dir });
    const cache = new FoldCache(foldCacheDir(dir));
    for (const key of cache.keys()) {
      const entry = JSON.parse(fs.readFileSync(cache.file(key), "utf8"));
      delete entry.checksum;
      fs.writeFileSync(cache.file(key), JSON.stringify(entry));
    }
    const warnings: string[] = [];
    const again = await runExperiment({ ...RUN, data, dir, onCacheWarning: (m) => warnings.push(m) });
    assert.deepEqual(again.record.cache, { reused: 0, trained: 6 });
    assert.deepEqual(warnings, [`6 fold cache entries in ${foldCacheDir(dir)} have no checksum (written by an older digits), so they cannot be verified; training those folds again`]);
    assert.deepEqual(scores(again.record), scores(first.record));
  });

  test("reuse: false reads no entry (no warning for a bad one) and rewrites every fold", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const first = await runExperiment({ ...RUN, data, dir });
    const file = editCached(dir, first.record.folds[0].key!, (r) => (r.logLoss = 0.01));
    const warnings: string[] = [];
    const fresh = await runExperiment({ ...RUN, data, dir, reuse: false, onCacheWarning: (m) => warnings.push(m) });
    assert.deepEqual(fresh.record.cache, { reused: 0, trained: 6 });
    assert.deepEqual(warnings, []);
    assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).result.logLoss, first.record.folds[0].logLoss);
  });
});

/** Runs runExperiment in a child process (as a user's `digits select` would), returning the child. */
function childRun(data: string, dir: string, options: object) {
  const script = `require(${JSON.stringify(path.join(__dirname, "..", "..", "lib", "selection", "run-experiment.ts"))}).runExperiment(${JSON.stringify({ data, dir, ...options })})` +
    `.then((r) => console.log(JSON.stringify(r.record.cache)), (e) => { console.error(e); process.exit(1); });`;
  return spawn(process.execPath, ["--import", "tsx", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
}

describe("the fold cache across processes", { timeout: 240_000 }, () => {
  test("a run killed with SIGKILL resumes from its finished folds, and leaves nothing corrupt", async () => {
    const dir = tempDir();
    const data = smallCsv(600);
    const options = { grid: [[], [8], [16], [32]], folds: 3, epochs: 40, seed: 13, threads: 1 };
    const child = childRun(data, dir, options);
    const cacheDir = foldCacheDir(dir);
    // Kill it once a few folds are stored, long before the twelve are done.
    const deadline = Date.now() + 180_000;
    while (new FoldCache(cacheDir).keys().length < 3 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    assert.equal(child.exitCode, null, "the run finished before it could be killed; make it longer");
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    assert.deepEqual(readExperiments(dir).records, [], "no record from the killed run");
    const stored = new FoldCache(cacheDir).keys().length;
    assert.ok(stored >= 3 && stored < 12, `${stored} folds stored`);
    const resumed = await runExperiment({ ...options, data, dir });
    assert.ok(resumed.record.cache.reused >= 3, JSON.stringify(resumed.record.cache));
    assert.equal(resumed.record.cache.reused + resumed.record.cache.trained, 12);
    // Nothing corrupt or half-written: every entry reads back, and no temp file is left.
    const warnings: string[] = [];
    const cache = new FoldCache(cacheDir, (m) => warnings.push(m));
    for (const key of cache.keys()) assert.doesNotThrow(() => JSON.parse(fs.readFileSync(cache.file(key), "utf8")));
    const temps = (fs.readdirSync(cacheDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".tmp"));
    assert.deepEqual(temps, []);
    // And the resumed record equals a run that was never interrupted.
    const clean = await runExperiment({ ...options, data, dir: tempDir() });
    assert.deepEqual(scores(resumed.record), scores(clean.record));
  });

  test("two runs at once on the same cache both write valid records", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const options = { grid: [[], [8], [4]], folds: 3, epochs: 3, seed: 13, threads: 1 };
    const children = [childRun(data, dir, options), childRun(data, dir, options)];
    const outputs = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            let out = "";
            let err = "";
            child.stdout!.on("data", (c) => (out += c));
            child.stderr!.on("data", (c) => (err += c));
            child.on("exit", (code) => resolve({ code, out, err }));
          }),
      ),
    );
    for (const o of outputs) assert.equal(o.code, 0, o.err);
    const { records, skipped } = readExperiments(dir);
    assert.equal(records.length, 2);
    assert.deepEqual(skipped, []);
    for (const { record } of records) assert.equal(record.cache.reused + record.cache.trained, 9);
    assert.deepEqual(scores(records[0].record), scores(records[1].record));
    assert.equal(new FoldCache(foldCacheDir(dir)).keys().length, 9);
  });
});

describe("finding, comparing, removing records and pruning the cache", () => {
  function fakeRecord(id: string, startedAt: string, losses: Record<string, number>, data: Partial<ExperimentRecord["data"]> = {}): ExperimentRecord {
    return {
      schema: "binary-digits/experiment",
      schemaVersion: 2,
      id,
      startedAt,
      config: { grid: [], activations: ["sigmoid"], learningRates: [0.001], folds: 5, epochs: 20 },
      data: { fingerprint: "f".repeat(16), rows: 100, digits: [0, 1], ...data },
      folds: [],
      summary: Object.entries(losses).map(([architecture, meanLogLoss]) => ({ architecture, parameters: architecture.length, meanLogLoss })),
      winner: { architecture: Object.keys(losses)[0] },
      cache: { reused: 0, trained: 0 },
    } as unknown as ExperimentRecord;
  }

  test("an id is found by any unique prefix; none or several is an InputError naming them", () => {
    const dir = tempDir();
    saveExperiment(fakeRecord("20261125T100000000Z-aaaa", "2026-11-25T10:00:00Z", { logistic: 0.1 }), dir);
    saveExperiment(fakeRecord("20261125T110000000Z-bbbb", "2026-11-25T11:00:00Z", { logistic: 0.2 }), dir);
    assert.equal(findExperiment("20261125T10", dir).record.id, "20261125T100000000Z-aaaa");
    assert.equal(findExperiment("20261125T110000000Z-bbbb.json", dir).file, "20261125T110000000Z-bbbb.json");
    assert.throws(() => findExperiment("2026", dir), (e: Error) => e instanceof InputError && /start of 2 experiment ids \(20261125T100000000Z-aaaa, 20261125T110000000Z-bbbb\)/.test(e.message));
    assert.throws(() => findExperiment("nope", dir), (e: Error) => e instanceof InputError && /no experiment .* has an id starting with "nope"/.test(e.message));
  });

  test("corrupt and foreign files are listed as skipped with the reason, and never stop a listing", () => {
    const dir = tempDir();
    saveExperiment(fakeRecord("r1", "2026-11-25T10:00:00Z", { logistic: 0.1 }), dir);
    fs.writeFileSync(path.join(dir, "broken.json"), "{");
    fs.writeFileSync(path.join(dir, "other.json"), '{"hello": 1}');
    fs.writeFileSync(path.join(dir, "notes.txt"), "hi");
    fs.mkdirSync(path.join(dir, "cache"));
    const { records, skipped } = readExperiments(dir);
    assert.deepEqual(records.map((r) => r.record.id), ["r1"]);
    assert.deepEqual(skipped.map((s) => s.file), ["broken.json", "notes.txt", "other.json"]);
    assert.match(skipped[0].reason, /^corrupt: /);
    assert.match(skipped[1].reason, /not a record/);
    assert.match(skipped[2].reason, /not a model-selection record/);
  });

  test("a version-2 record without a config is listed as unreadable, with the reason, and the others are read", () => {
    const dir = tempDir();
    saveExperiment(fakeRecord("20261125T100000000Z-aaaa", "2026-11-25T10:00:00Z", { logistic: 0.1 }), dir);
    const { config: _, ...noConfig } = fakeRecord("20261125T110000000Z-bbbb", "2026-11-25T11:00:00Z", { logistic: 0.2 });
    fs.writeFileSync(path.join(dir, "20261125T110000000Z-bbbb.json"), JSON.stringify(noConfig));
    const { records, skipped } = readExperiments(dir);
    assert.deepEqual(records.map((r) => r.record.id), ["20261125T100000000Z-aaaa"]);
    assert.deepEqual(skipped, [{ file: "20261125T110000000Z-bbbb.json", reason: "corrupt: it has no config (the settings of its selection)" }]);
  });

  test("compare lines up each candidate's log loss and marks records on other data or another pair", () => {
    const a = fakeRecord("a", "2026-11-25T10:00:00Z", { logistic: 0.1, "25-15": 0.2 });
    const b = fakeRecord("b", "2026-11-25T11:00:00Z", { "25-15": 0.15, "64-32": 0.3 });
    const c = fakeRecord("c", "2026-11-25T12:00:00Z", { logistic: 0.5 }, { digits: [4, 9] });
    const d = fakeRecord("d", "2026-11-25T13:00:00Z", { logistic: 0.4 }, { fingerprint: "e".repeat(16) });
    const comparison = compareExperiments([a, b, c, d]);
    assert.deepEqual(comparison.rows.map((r) => [r.candidate, r.logLoss]), [
      ["logistic", [0.1, null, 0.5, 0.4]],
      ["25-15", [0.2, 0.15, null, null]],
      ["64-32", [null, 0.3, null, null]],
    ]);
    assert.equal(comparison.notes.length, 2);
    assert.match(comparison.notes[0], /^c is on another pair \(4 against 9, not 0 against 1\)/);
    assert.match(comparison.notes[1], /^d is on other data/);
  });

  test("remove deletes records but not the cache; prune then drops the folds no record uses", async () => {
    const dir = tempDir();
    const data = smallCsv();
    const kept = await runExperiment({ ...RUN, grid: [[]], data, dir });
    const dropped = await runExperiment({ ...RUN, grid: [[8]], data, dir });
    const cache = new FoldCache(foldCacheDir(dir));
    assert.equal(cache.keys().length, 6);
    removeExperiments([path.basename(dropped.path)], dir);
    assert.deepEqual(listExperiments(dir).map((r) => r.id), [kept.record.id]);
    assert.equal(cache.keys().length, 6, "remove leaves the cache alone");
    assert.deepEqual(pruneCache(dir), { kept: 3, removed: 3 });
    assert.deepEqual(cache.keys().sort(), kept.record.folds.map((f) => f.key!).sort());
  });
});

describe("records of older versions", () => {
  test("a version 1 record (one activation and learning rate for the grid) reads as version 2", () => {
    const dir = tempDir();
    const v1 = {
      schema: "binary-digits/experiment",
      schemaVersion: 1,
      id: "old",
      startedAt: "2026-11-01T00:00:00.000Z",
      data: { source: "data/train.csv", fingerprint: "f".repeat(16), rows: 10, cols: 784, counts: [5, 5] },
      config: { grid: [[8]], folds: 2, epochs: 1, batchSize: 32, learningRate: 0.003, activation: "tanh", seed: 1, threshold: 0.5 },
      folds: [{ architecture: "8", hidden: [8], fold: 0 }],
      summary: [{ architecture: "8", hidden: [8], parameters: 6289, meanLogLoss: 0.1, seLogLoss: 0.01 }],
      winner: { architecture: "8", hidden: [8], winner: "8" },
    };
    fs.writeFileSync(path.join(dir, "old.json"), JSON.stringify(v1));
    const [record] = listExperiments(dir);
    assert.equal(record.schemaVersion, 2);
    assert.deepEqual([record.config.activations, record.config.learningRates], [["tanh"], [0.003]]);
    assert.equal("activation" in record.config, false);
    assert.deepEqual([record.summary[0].activation, record.summary[0].learningRate], ["tanh", 0.003]);
    assert.deepEqual([record.winner.activation, record.winner.learningRate, record.folds[0].activation], ["tanh", 0.003, "tanh"]);
    assert.deepEqual(record.cache, { reused: 0, trained: 1 });
  });
});
