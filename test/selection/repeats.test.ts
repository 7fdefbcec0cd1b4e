// Repeated stratified k-fold (--repeats): repeat 0 is exactly the plain k-fold run (same keys,
// same cache entries, same numbers), repeats r > 0 cut their own folds from a derived seed, and the
// record's comparisons are what the fold scores in it give.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { deriveSeed } from "../../lib/core/random";
import { studentTTwoSided } from "../../lib/evaluation/student-t";
import { foldSeed } from "../../lib/selection/config";
import { FoldCache } from "../../lib/selection/fold-cache";
import { foldKey, type FoldInputs } from "../../lib/selection/fold-key";
import { listExperiments } from "../../lib/selection/experiments";
import { selectCandidates } from "../../lib/selection/select";
import type { ExperimentRecord } from "../../lib/selection/record";
import { smallData, SMALL } from "../support/selection-data";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-repeats-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const scores = (record: ExperimentRecord) => record.folds.map(({ seconds: _s, key: _k, ...f }) => f);

describe("repeated stratified k-fold", () => {
  test("repeat 0 has the key of a run without repeats; another repeat has its own", () => {
    const inputs: FoldInputs = { data: "f", digits: [0, 1], hidden: [8], activation: "sigmoid", learningRate: 0.001, batchSize: 32, epochs: 2, folds: 3, fold: 1, seed: 13, threshold: 0.5, kernels: "k" };
    // The key main computed for these inputs before --repeats existed: caches filled then stay valid.
    assert.equal(foldKey(inputs), "a58301382ec98e8efe6a6603ea7d996fbb7e5f1ce403360e743bcf7ddc5ead50");
    assert.equal(foldKey({ ...inputs, repeat: 0 }), foldKey(inputs));
    assert.notEqual(foldKey({ ...inputs, repeat: 1 }), foldKey(inputs));
  });

  test("a cache filled by a one-repeat run is reused whole by the same run, and by a two-repeat run for its repeat 0", async () => {
    const cache = new FoldCache(path.join(dir, "cache"));
    const first = await selectCandidates(smallData(), { ...SMALL, threads: 1, cache });
    assert.deepEqual(first.cache, { reused: 0, trained: 6 });
    assert.equal(first.config.repeats, 1);
    assert.ok(first.folds.every((f) => !("repeat" in f)), "one-repeat folds carry no repeat");
    const again = await selectCandidates(smallData(), { ...SMALL, threads: 1, cache });
    assert.deepEqual(again.cache, { reused: 6, trained: 0 });
    assert.deepEqual(scores(again), scores(first));

    const twice = await selectCandidates(smallData(), { ...SMALL, repeats: 2, threads: 2, cache });
    assert.deepEqual(twice.cache, { reused: 6, trained: 6 });
    assert.equal(twice.folds.length, 12);
    // Grid order, then repeat, then fold; repeat 0 is the one-repeat run, fold for fold.
    assert.deepEqual(twice.folds.map((f) => `${f.architecture}/${f.repeat ?? 0}/${f.fold}`), ["logistic", "8"].flatMap((a) => [0, 1].flatMap((r) => [0, 1, 2].map((f) => `${a}/${r}/${f}`))));
    assert.deepEqual(scores(twice).filter((f) => f.repeat === undefined), scores(first));
    // Repeat 1 trains from seeds derived from deriveSeed(seed, 1), on folds cut with it.
    const r1 = twice.folds.filter((f) => f.repeat === 1);
    assert.deepEqual(r1.map((f) => f.seed), r1.map((f) => foldSeed(deriveSeed(13, 1), f.hidden, f.fold)));
    assert.notDeepEqual(r1.map((f) => f.logLoss), twice.folds.filter((f) => f.repeat === undefined).map((f) => f.logLoss));
    // Same numbers in one thread, with nothing from the cache.
    const serial = await selectCandidates(smallData(), { ...SMALL, repeats: 2, threads: 1 });
    assert.deepEqual(scores(serial), scores(twice));
    assert.equal(twice.winner.standardError, "corrected");
  });

  test("the record's comparisons are what its own fold scores give (recomputed here by the formulas)", async () => {
    const record = await selectCandidates(smallData(), { ...SMALL, repeats: 2, threads: 2, cache: new FoldCache(path.join(dir, "cache")) });
    const best = record.winner.best;
    assert.equal(record.comparisons!.length, 2);
    for (const c of record.comparisons!) {
      assert.equal(c.against, best);
      const mine = record.folds.filter((f) => f.architecture === c.candidate);
      const theirs = record.folds.filter((f) => f.architecture === best);
      const d = mine.map((f, i) => f[c.metric] - theirs[i][c.metric]);
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const s2 = d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1);
      const t = mean / Math.sqrt((1 / 6 + 1 / 2) * s2);
      assert.equal(c.folds, 6);
      assert.ok(Math.abs(c.meanDifference! - mean) < 1e-15);
      assert.ok(Math.abs(c.t! - t) < 1e-9 * Math.abs(t), `${c.t} vs ${t}`);
      assert.ok(Math.abs(c.pValue! - studentTTwoSided(t, 5)) < 1e-12);
      assert.ok(Math.abs(c.pBetter! + c.pEquivalent! + c.pWorse! - 1) < 1e-12);
      assert.equal(c.rope, 0.002);
    }
  });

  test("a record from before --repeats reads as one repeat, without comparisons", () => {
    const old = { schema: "binary-digits/experiment", schemaVersion: 2, id: "old", startedAt: "2026-11-01T00:00:00.000Z", data: {}, config: { folds: 5 }, folds: [], summary: [], winner: {} };
    const records = path.join(dir, "before-repeats");
    fs.mkdirSync(records);
    fs.writeFileSync(path.join(records, "old.json"), JSON.stringify(old));
    const [read] = listExperiments(records);
    assert.equal(read.config.repeats, 1);
    assert.equal(read.comparisons, undefined);
  });
});
