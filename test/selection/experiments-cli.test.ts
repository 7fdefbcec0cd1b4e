// `digits select` and `digits experiments` on records folders that are wrong or in use, run
// through the compiled command line in this process (runDigitsHere: none of these commands starts
// TensorFlow.js): a folder that cannot be written is refused before any training, prune never
// deletes what may be in use, and the small things a user reads.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { foldCacheDir } from "../../lib/selection/experiments";
import { FoldCache } from "../../lib/selection/fold-cache";
import { runDigitsHere, type CliRun } from "../support/cli";
import { immutable } from "../support/folders";
import { smallCsv, tempDir } from "../support/selection-data";

function digitsHere(...args: string[]): Promise<CliRun> {
  return runDigitsHere(args);
}

/** Exit code 2, one line on stderr, "digits: " then `expected`, nothing on stdout. */
function assertUserError(run: CliRun, expected: RegExp): void {
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr.trimEnd().replace(/^digits: /, ""), expected);
  assert.ok(run.stderr.startsWith("digits: "), run.stderr);
  assert.equal(run.stderr.trim().split("\n").length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.equal(run.stdout, "");
}

let csv = "";
before(() => {
  csv = smallCsv(200);
});

/** A quick selection into `records`: logistic regression, 2 folds, 1 epoch. */
const selectArgs = (records: string, ...more: string[]) => ["select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", records, "--quiet", ...more];
const select = (records: string, ...more: string[]) => digitsHere(...selectArgs(records, ...more));

describe("digits select refuses a records folder it cannot write, before any training", () => {
  test("--records naming a file, or a path under a file: exit 2 naming it, nothing written", async () => {
    const file = path.join(tempDir(), "records.txt");
    fs.writeFileSync(file, "not a folder");
    assertUserError(await select(file), new RegExp(`^--records ${file}: ${file} is a file, where a folder is needed; fix that, or give --records another path$`));
    const under = path.join(file, "records");
    assertUserError(await select(under), new RegExp(`^--records ${under}: ${file} is a file, where a folder is needed`));
    assert.equal(fs.readFileSync(file, "utf8"), "not a folder");
  });

  test("a fold cache that is a file: exit 2 naming it", async () => {
    const records = tempDir();
    fs.writeFileSync(foldCacheDir(records), "");
    assertUserError(await select(records), new RegExp(`^--records ${records}: ${foldCacheDir(records)} is a file, where a folder is needed`));
    assert.deepEqual(fs.readdirSync(records), ["cache"]);
  });

  test("an immutable (chattr +i) records folder or fold cache: exit 2 naming it, nothing trained", async (t) => {
    const records = tempDir();
    const skip = await immutable(records, async () => assertUserError(await select(records), new RegExp(`^--records ${records}: ${records} cannot be written: operation not permitted; it may be immutable`)));
    if (skip) return t.skip(skip);
    assert.deepEqual(fs.readdirSync(records), []);
    fs.mkdirSync(foldCacheDir(records));
    const cacheSkip = await immutable(foldCacheDir(records), async () => assertUserError(await select(records), new RegExp(`^--records ${records}: ${foldCacheDir(records)} cannot be written: operation not permitted; it may be immutable`)));
    assert.equal(cacheSkip, null, "chattr +i worked on the records folder, so it works on the cache");
    assert.deepEqual(fs.readdirSync(records), ["cache"], "no record");
  });
});

describe("digits experiments on folders that are wrong or hold records it cannot read", () => {
  test("list and prune on a folder that does not exist: exit 2 naming it", async () => {
    const typo = path.join(tempDir(), "recrods");
    assertUserError(await digitsHere("experiments", "list", "--records", typo), new RegExp(`^${typo}: no such records folder`));
    assertUserError(await digitsHere("experiments", "prune", "--records", typo), new RegExp(`^${typo}: no such records folder`));
    assert.equal(fs.existsSync(typo), false);
  });

  test("prune with a truncated record deletes nothing and says how to go on; --force prunes and names what it ignored", async () => {
    const records = tempDir();
    assert.equal((await select(records)).code, 0);
    assert.equal((await select(records, "--layers", "4")).code, 0);
    const [first, second] = fs.readdirSync(records).filter((f) => f.endsWith(".json")).sort();
    fs.writeFileSync(path.join(records, second), fs.readFileSync(path.join(records, second), "utf8").slice(0, 100));
    const cache = new FoldCache(foldCacheDir(records));
    assert.equal(cache.keys().length, 4);
    assertUserError(await digitsHere("experiments", "prune", "--records", records), new RegExp(`^experiments prune: nothing deleted, .*${second} cannot be read \\(corrupt: .*--force`));
    assert.equal(cache.keys().length, 4);
    const forced = await digitsHere("experiments", "prune", "--records", records, "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /removed 2 entries no record uses, kept 2/);
    assert.match(forced.stderr, new RegExp(`^--force: ignored ${second}, which cannot be read`));
    assert.ok(fs.existsSync(path.join(records, first)));
  });

  test("a record of a newer schema is listed as skipped for that reason", async () => {
    const records = tempDir();
    assert.equal((await select(records)).code, 0);
    const [file] = fs.readdirSync(records).filter((f) => f.endsWith(".json"));
    const record = JSON.parse(fs.readFileSync(path.join(records, file), "utf8"));
    fs.writeFileSync(path.join(records, file), JSON.stringify({ ...record, schemaVersion: 3 }));
    const list = await digitsHere("experiments", "list", "--records", records);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stderr, `skipped ${file}: schema version 3, newer than this digits reads (up to 2); update digits to read it\n`);
  });

  test("remove X X removes and reports the record once", async () => {
    const records = tempDir();
    assert.equal((await select(records)).code, 0);
    const [file] = fs.readdirSync(records).filter((f) => f.endsWith(".json"));
    const id = file.replace(/\.json$/, "");
    const run = await digitsHere("experiments", "remove", id, id.slice(0, 10), "--records", records);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split("\n"), [`removed ${id} (${path.join(records, file)})`, "Its folds stay in the cache: `digits experiments prune` drops the ones no record uses."]);
  });
});

describe("what digits select says", () => {
  test("--folds 0 and --folds 1 are refused by the same rule", async () => {
    const records = tempDir();
    for (const folds of ["0", "1", "2.5"]) assertUserError(await select(records, "--folds", folds), new RegExp(`^--folds "${folds.replace(".", "\\.")}": expected a whole number ≥ 2 `));
  });

  test("one epoch is \"1 epoch\"", async () => {
    const run = await digitsHere("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", tempDir(), "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^2-fold cross-validation of 0 against 1 on 200 rows .*, 1 epoch, batch 32,/);
  });

  test("--repeats 2: select and experiments show print the comparisons table; --json carries the comparisons and the rule", async () => {
    const records = tempDir();
    const run = await digitsHere("select", "--data", csv, "--layers", "none", "--layers", "8", "--folds", "2", "--epochs", "1", "--repeats", "2", "--rule", "equivalent", "--workers", "1", "--records", records, "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^2-fold cross-validation repeated 2 times \(4 folds; SE corrected for their overlap\)/);
    assert.match(run.stdout, /Which differences are real:\ncandidate +Δ accuracy +p \(accuracy\)/);
    assert.match(run.stdout, /over 4 paired folds \(2 folds × 2 repeats\)/);
    assert.match(run.stdout, /Winner \(rule: equivalent\): /);
    const id = /Record: .*\/([^/]+)\.json/.exec(run.stdout)![1];
    const shown = await digitsHere("experiments", "show", id, "--records", records);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /Which differences are real:\ncandidate/);
    const record = JSON.parse((await digitsHere("experiments", "show", id, "--records", records, "--json")).stdout);
    assert.deepEqual(record.comparisons.map((c: { metric: string; folds: number }) => [c.metric, c.folds]), [["accuracy", 4], ["logLoss", 4]]);
    assert.equal(record.config.repeats, 2);
    assert.equal(record.winner.rule, "equivalent");
  });
});
