// cli/experiments.ts: list, show, compare, remove and prune on records of `digits select`; run
// through the compiled command line, in this process (runDigitsHere: none of them starts
// TensorFlow.js), in the folder of small CSVs that test/support/cli-work.ts makes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { assertUserError, digitsHere, recordFiles, trainCsv, work } from "../support/cli-work";

describe("digits experiments", () => {
  let records = "";
  let ids: string[] = [];
  before(async () => {
    records = path.join(work, "records-experiments");
    for (const layers of [["none"], ["none", "4"]]) {
      const run = await digitsHere("select", "--data", trainCsv, ...layers.flatMap((l) => ["--layers", l]), "--folds", "2", "--epochs", "1", "--workers", "1", "--records", records, "--quiet");
      assert.equal(run.code, 0, run.stderr);
    }
    ids = recordFiles(records).map((f) => f.replace(/\.json$/, "")).sort();
    fs.writeFileSync(path.join(records, "broken.json"), "{");
  });

  test("list shows every record oldest first with its cache counts, and names skipped files", async () => {
    const run = await digitsHere("experiments", "list", "--records", records);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.match(lines[0], /^handle +id +started +duration +pair +rows +grid/);
    assert.ok(lines[2].startsWith(`${ids[0].slice(-4)}    ${ids[0]}`) && lines[3].startsWith(`${ids[1].slice(-4)}    ${ids[1]}`), run.stdout);
    // The second run reused the logistic folds of the first and trained the 4-unit ones.
    assert.match(lines[2], / 0\/2\s*$/);
    assert.match(lines[3], / 2\/2\s*$/);
    assert.match(run.stderr, /^skipped broken\.json: corrupt: /m);
    const json = JSON.parse((await digitsHere("experiments", "list", "--records", records, "--json")).stdout);
    assert.deepEqual(json.records.map((r: { id: string }) => r.id), ids);
    assert.deepEqual(json.records[1].cache, { reused: 2, trained: 2 });
    assert.deepEqual(json.skipped.map((s: { file: string }) => s.file), ["broken.json"]);
  });

  test("show and compare take unique prefixes; an unknown or ambiguous prefix is exit 2", async () => {
    const show = await digitsHere("experiments", "show", ids[1].slice(0, -2), "--records", records);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`^Record ${ids[1]} `));
    assert.match(show.stdout, /\nWinner: /);
    const compare = await digitsHere("experiments", "compare", ids[0], ids[1], "--records", records, "--json");
    assert.equal(compare.code, 0, compare.stderr);
    const comparison = JSON.parse(compare.stdout);
    assert.deepEqual(comparison.rows.map((r: { candidate: string }) => r.candidate), ["logistic", "4"]);
    assert.equal(comparison.rows[0].logLoss[0], comparison.rows[0].logLoss[1], "the reused logistic folds score the same");
    assert.equal(comparison.rows[1].logLoss[0], null);
    assertUserError(await digitsHere("experiments", "show", "zzz", "--records", records), /no experiment .* has an id starting with "zzz"/);
    assertUserError(await digitsHere("experiments", "show", "2", "--records", records), /"2" is the start of 2 experiment ids/);
    assertUserError(await digitsHere("experiments", "compare", ids[0], "--records", records), /give at least 2 experiment ids/);
    assertUserError(await digitsHere("experiments", "frobnicate"), /unknown subcommand "frobnicate"/);
  });

  test("remove deletes a record, keeping its folds until prune drops the unused ones", async () => {
    assertUserError(await digitsHere("experiments", "remove", ids[1], "nope", "--records", records), /"nope"/);
    assert.equal(recordFiles(records).length, 3, "one bad id removes nothing");
    const removed = await digitsHere("experiments", "remove", ids[1], "--records", records);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(recordFiles(records).filter((f) => f !== "broken.json"), [`${ids[0]}.json`]);
    // broken.json may be a record whose folds are unknown: prune deletes nothing until it is removed (or --force).
    assertUserError(await digitsHere("experiments", "prune", "--records", records, "--json"), /nothing deleted, .*broken\.json cannot be read/);
    // Not named as digits names records: never deleted by digits, whatever the id; the user moves it away.
    assertUserError(await digitsHere("experiments", "remove", "broken", "--records", records), /broken\.json \(corrupt: .*\) is not a record of digits, which never deletes it/);
    fs.renameSync(path.join(records, "broken.json"), path.join(work, "broken.json"));
    const prune = JSON.parse((await digitsHere("experiments", "prune", "--records", records, "--json")).stdout);
    assert.deepEqual(prune, { kept: 2, removed: 2 });
  });
});
