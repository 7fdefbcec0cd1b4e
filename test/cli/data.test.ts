// cli/data.ts: `digits data` writes the default CSVs, or a pair's; run through the compiled command
// line in this process (runDigitsHere: it never starts TensorFlow.js), in the folder of small CSVs
// that test/support/cli-work.ts makes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { digitsHere, work } from "../support/cli-work";

describe("digits data", () => {
  test("writes train.csv and test.csv with the MNIST 0/1 rows into --out", async () => {
    const run = await digitsHere("data", "--out", "d");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /12,665 rows \(label 0: 5,923, label 1: 6,742\)/);
    assert.match(run.stdout, /2,115 rows \(label 0: 980, label 1: 1,135\)/);
    assert.deepEqual(fs.readdirSync(path.join(work, "d")).sort(), ["test.csv", "train.csv"]);
    const again = await digitsHere("data", "--out", "d", "--quiet");
    assert.equal(again.code, 0);
    assert.equal(again.stdout, "");
  });

  test("--force rewrites up-to-date files in place", async () => {
    const before = fs.readFileSync(path.join(work, "d", "test.csv"));
    const upToDate = await digitsHere("data", "--out", "d");
    assert.match(upToDate.stdout, /^up to date .*train\.csv/m);
    const forced = await digitsHere("data", "--out", "d", "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^wrote .*train\.csv/m);
    assert.match(forced.stdout, /^wrote .*test\.csv/m);
    assert.deepEqual(fs.readdirSync(path.join(work, "d")).sort(), ["test.csv", "train.csv"]);
    assert.ok(fs.readFileSync(path.join(work, "d", "test.csv")).equals(before));
  });
});

describe("a pair other than 0 and 1 (4 against 9)", () => {
  test("digits data --digits 4,9 writes data/4-9 with the digits as labels (here into --out)", async () => {
    const run = await digitsHere("data", "--digits", "4,9", "--out", "d49");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /train\.csv: 11,791 rows \(label 4: 5,842, label 9: 5,949\)/);
    assert.match(run.stdout, /test\.csv: 1,991 rows \(label 4: 982, label 9: 1,009\)/);
  });
});
