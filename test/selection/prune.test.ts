// Pruning the fold cache never deletes what may still be in use: not while a record in the folder
// cannot be read (unless forced), never a running selection's entries (its lease), and never in a
// folder that does not exist. And a record of a newer schema is reported as such.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { findRemovable, foldCacheDir, readExperiments, removeExperiments } from "../../lib/selection/experiments";
import { FoldCache } from "../../lib/selection/fold-cache";
import { LEASE_SCHEMA, readLeases, takeLease } from "../../lib/selection/lease";
import { pruneCache } from "../../lib/selection/prune";
import { runExperiment } from "../../lib/selection/run-experiment";
import { RUN, smallCsv, tempDir } from "../support/selection-data";

/** A records folder with two runs: logistic (3 folds) and 8 (3 folds), each record using its own 3 entries. */
async function twoRuns(): Promise<{ dir: string; logistic: string; eight: string; eightKeys: string[] }> {
  const dir = tempDir();
  const data = smallCsv();
  const logistic = await runExperiment({ ...RUN, grid: [[]], data, dir });
  const eight = await runExperiment({ ...RUN, grid: [[8]], data, dir });
  return { dir, logistic: logistic.path, eight: eight.path, eightKeys: eight.record.folds.map((f) => f.key!) };
}

const keysIn = (dir: string) => new FoldCache(foldCacheDir(dir)).keys();

describe("prune and records it cannot read", () => {
  test("a truncated record stops prune before it deletes anything, naming the file and the way on; --force prunes", async () => {
    const { dir, eight, eightKeys } = await twoRuns();
    fs.writeFileSync(eight, fs.readFileSync(eight, "utf8").slice(0, 200));
    const name = path.basename(eight);
    assert.throws(
      () => pruneCache(dir),
      (e: Error) =>
        e instanceof InputError &&
        e.message.startsWith(`experiments prune: nothing deleted, as the fold-cache entries these files use are unknown: ${name} cannot be read (corrupt: `) &&
        e.message.includes(`\`digits experiments remove ${name.replace(/\.json$/, "")}\` deletes it`) &&
        e.message.endsWith("or prune with --force to delete every entry no readable record or running selection uses"),
    );
    assert.equal(keysIn(dir).length, 6, "nothing deleted");
    const forced = pruneCache(dir, { force: true });
    assert.deepEqual([forced.kept, forced.removed], [3, 3]);
    assert.deepEqual(forced.ignored?.map((s) => s.file), [name]);
    assert.equal(keysIn(dir).filter((k) => eightKeys.includes(k)).length, 0);
  });

  test("a record of a newer schema version is skipped as newer (not relabelled as ours) and stops prune", async () => {
    const { dir, eight } = await twoRuns();
    const record = JSON.parse(fs.readFileSync(eight, "utf8"));
    fs.writeFileSync(eight, JSON.stringify({ ...record, schemaVersion: 3 }));
    const { records, skipped } = readExperiments(dir);
    assert.equal(records.length, 1);
    assert.deepEqual(skipped, [{ file: path.basename(eight), reason: "schema version 3, newer than this digits reads (up to 2); update digits to read it" }]);
    assert.throws(() => pruneCache(dir), /cannot be read \(schema version 3, newer than this digits reads/);
    assert.equal(keysIn(dir).length, 6);
  });

  test("a record that cannot be read is removed by the start of its name, like any other", async () => {
    const { dir, eight } = await twoRuns();
    fs.writeFileSync(eight, "{");
    const found = findRemovable(path.basename(eight).replace(/\.json$/, ""), dir);
    assert.equal(found.file, path.basename(eight));
    assert.equal(found.record, null);
    assert.match(found.reason!, /^corrupt: /);
    removeExperiments([found.file, found.file], dir);
    assert.deepEqual(pruneCache(dir), { kept: 3, removed: 3 });
  });

  test("a folder that does not exist, or a file, is an InputError naming it", () => {
    const missing = path.join(tempDir(), "typo");
    assert.throws(() => pruneCache(missing), (e: Error) => e instanceof InputError && e.message.startsWith(`${missing}: no such records folder`));
    const file = path.join(tempDir(), "file");
    fs.writeFileSync(file, "");
    assert.throws(() => pruneCache(file), (e: Error) => e instanceof InputError && e.message === `${file}: is a file, not a records folder`);
  });
});

describe("prune and running selections", () => {
  test("prune in the middle of a selection leaves its folds alone: the finished record finds every entry it names", async () => {
    const dir = tempDir();
    const data = smallCsv();
    await runExperiment({ ...RUN, grid: [[]], data, dir });
    let pruned: ReturnType<typeof pruneCache> | undefined;
    let folds = 0;
    const run = await runExperiment({
      ...RUN,
      data,
      dir,
      onProgress: (p) => {
        // After two of the 8-unit folds are stored, and before the record exists.
        if (p.kind === "fold" && ++folds === 2) pruned = pruneCache(dir);
      },
    });
    assert.equal(pruned?.removed, 0);
    // It names 6 folds; 5 are in the cache so far (3 reused, 2 trained), and those are what prune kept for it.
    assert.deepEqual(pruned?.running?.map((r) => [r.pid, r.keys]), [[process.pid, 5]]);
    assert.equal(pruned?.kept, 5);
    const stored = new Set(keysIn(dir));
    assert.ok(run.record.folds.every((f) => stored.has(f.key!)), "every fold the record names is in the cache");
    assert.deepEqual(readLeases(dir), { running: [], stale: [], unreadable: [] }, "the lease is gone once the record is saved");
  });

  test("a lease whose process is gone (killed) is ignored and removed; a live one keeps its keys", () => {
    const dir = tempDir();
    const cache = new FoldCache(foldCacheDir(dir));
    const inputs = { data: "d", digits: null, hidden: [], activation: "sigmoid", learningRate: 0.001, batchSize: 32, epochs: 1, folds: 2, seed: 1, threshold: 0.5, kernels: "k" };
    const [kept, dropped] = [0, 1].map((fold) => cache.put({ ...inputs, fold }, { fold }));
    const live = takeLease(dir, [kept]);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const stale = path.join(dir, `.running-${dead}-00000000.json`);
    fs.writeFileSync(stale, JSON.stringify({ schema: LEASE_SCHEMA, pid: dead, host: os.hostname(), startedAt: "2026-01-01T00:00:00.000Z", keys: [dropped] }));
    assert.deepEqual(readExperiments(dir).skipped, [], "leases are not records");
    const result = pruneCache(dir);
    assert.deepEqual([result.kept, result.removed], [1, 1]);
    assert.deepEqual(keysIn(dir), [kept]);
    assert.equal(fs.existsSync(stale), false);
    live.release();
    assert.deepEqual(pruneCache(dir), { kept: 0, removed: 1 });
  });
});
