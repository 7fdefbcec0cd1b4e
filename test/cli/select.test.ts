// cli/select.ts: the table, the record, the grid flags, the threads, limits and divergence; in the
// folder of small CSVs that test/support/cli-work.ts makes. A selection in one thread runs the
// compiled command line in this process (runDigitsHere: select trains on lib's own engine, never
// TensorFlow.js); one on threads of its own, and train, run as a user runs them, in a child process.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { loadModel } from "../../lib/model/persist";
import { oneStandardErrorRule } from "../../lib/selection/one-se";
import { type ExperimentRecord } from "../../lib/selection/record";
import { assertUserError, digits, digitsHere, recordFiles, trainCsv, work } from "../support/cli-work";

describe("digits select on small data", () => {
  test("select --json prints the record on stdout only, writes it once, and --out a copy", () => {
    const records = path.join(work, "records");
    const run = digits(
      "select", "--data", trainCsv, "--layers", "none", "--layers", "4", "--folds", "3", "--epochs", "2",
      "--workers", "2", "--records", records, "--out", "copy/record.json", "--json",
    );
    assert.equal(run.code, 0, run.stderr);
    const record = JSON.parse(run.stdout);
    assert.deepEqual(record.config.grid, [[], [4]]);
    assert.equal(record.workers, 2);
    assert.deepEqual(recordFiles(records), [`${record.id}.json`]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(records, `${record.id}.json`), "utf8")), record);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(work, "copy", "record.json"), "utf8")), record);
    // Not a terminal: one plain progress line per fold on stderr.
    assert.equal(run.stderr.split("\n").filter((l) => /^\[\d+\/6\] /.test(l)).length, 6);
  });
  test("select prints a table with every architecture and the winner with its reason", async () => {
    const records = path.join(work, "records-table");
    const run = await digitsHere("select", "--data", trainCsv, "--layers", "", "--layers", "4", "--folds", "3", "--epochs", "1", "--workers", "1", "--records", records, "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^logistic/m);
    assert.match(run.stdout, /^4 /m);
    const [name] = recordFiles(records);
    const record: ExperimentRecord = JSON.parse(fs.readFileSync(path.join(records, name), "utf8"));
    const choice = oneStandardErrorRule(record.summary);
    // After one epoch the 4-unit network lags logistic regression, which is also the smallest.
    assert.equal(choice.winner, "logistic");
    assert.equal(choice.best, "logistic");
    assert.match(choice.reason, /is also the smallest network in the grid/);
    assert.ok(run.stdout.includes(`\nWinner: logistic (hidden [], learning rate 0.001). ${choice.reason}\n`), run.stdout);
    assert.equal(run.stderr, "");
  });
  test("select crosses --layers with comma lists of --activation and --learning-rate", async () => {
    const records = path.join(work, "records-product");
    const run = await digitsHere(
      "select", "--data", trainCsv, "--layers", "none", "--layers", "4", "--activation", "sigmoid,relu", "--learning-rate", "0.001,0.01",
      "--folds", "2", "--epochs", "1", "--workers", "1", "--records", records, "--quiet",
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^candidate /m);
    const [name] = recordFiles(records);
    const record: ExperimentRecord = JSON.parse(fs.readFileSync(path.join(records, name), "utf8"));
    assert.deepEqual(record.summary.map((s) => s.architecture), ["logistic lr 0.001", "logistic lr 0.01", "4 sigmoid lr 0.001", "4 sigmoid lr 0.01", "4 relu lr 0.001", "4 relu lr 0.01"]);
    for (const s of record.summary) assert.match(run.stdout, new RegExp(`^${s.architecture}( \\*)? `, "m"));
    assert.deepEqual([record.config.activations, record.config.learningRates], [["sigmoid", "relu"], [0.001, 0.01]]);
    assertUserError(await digitsHere("select", "--data", trainCsv, "--activation", "sigmoid,,relu", "--records", records), /--activation "sigmoid,,relu": an empty item/);
    assertUserError(await digitsHere("select", "--data", trainCsv, "--activation", "sigmoid,softmax", "--records", records), /--activation "softmax"/);
    assertUserError(await digitsHere("select", "--data", trainCsv, "--learning-rate", "0.001,abc", "--records", records), /--learning-rate "abc"/);
    assert.equal(recordFiles(records).length, 1);
  });

  test("select reports the threads it really used: no more than its fold jobs", () => {
    const records = path.join(work, "records-workers");
    const run = digits("select", "--data", trainCsv, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "64", "--records", records, "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /; 2 threads, /);
    const [name] = recordFiles(records);
    assert.equal(JSON.parse(fs.readFileSync(path.join(records, name), "utf8")).workers, 2);
  });
  // Reads the record that `select --json` wrote above.
  test("train --layers winner takes the winner of the latest record in --records", async () => {
    const records = path.join(work, "records");
    const [name] = recordFiles(records);
    const record: ExperimentRecord = JSON.parse(fs.readFileSync(path.join(records, name), "utf8"));
    const run = digits("train", "--data", trainCsv, "--layers", "winner", "--records", records, "--epochs", "1", "--model", "models/winner", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    const { network } = await loadModel(path.join(work, "models", "winner"));
    assert.deepEqual(network.config.hidden, record.winner.hidden);

    const empty = path.join(work, "records-empty");
    fs.mkdirSync(empty);
    assertUserError(
      digits("train", "--data", trainCsv, "--layers", "winner", "--records", empty, "--model", "models/none"),
      new RegExp(`--layers winner: no selection record in ${empty}`),
    );
  });
});

describe("limits: a network too big is refused before allocating, diverging training is not saved", () => {
  test("select refuses a grid with a network too big, in process and with workers, no record", async () => {
    const records = path.join(work, "records-huge");
    for (const workers of ["1", "2"]) {
      assertUserError(
        await digitsHere("select", "--data", trainCsv, "--layers", "8", "--layers", "30000,30000", "--folds", "2", "--epochs", "1", "--workers", workers, "--records", records),
        /a 784→30000→30000→1 network \(923,610,001 parameters\) needs 13\.\d GiB .* 4 GiB/,
      );
    }
    assert.equal(fs.existsSync(records), false);
  });
  test("select marks diverged candidates in the table and the record; one that trained wins", async () => {
    const records = path.join(work, "records-diverged");
    // At learning rate 10, 8 units blow up in 1 fold of 3 and 25-15 in all; logistic regression trains.
    const run = await digitsHere(
      "select", "--data", trainCsv, "--layers", "none", "--layers", "8", "--layers", "25,15", "--folds", "3", "--epochs", "3",
      "--learning-rate", "10", "--workers", "1", "--records", records,
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.match(lines.find((l) => l.startsWith("architecture"))!, /s\/fold +diverged$/);
    assert.match(lines.find((l) => l.startsWith("8 "))!, /  1\/3 folds$/);
    assert.match(lines.find((l) => l.startsWith("25-15 "))!, /  3\/3 folds$/);
    assert.match(lines.find((l) => l.startsWith("logistic"))!, /^logistic \*/);
    assert.match(run.stdout, /Not considered, as training diverged: 8, 25-15\./);
    assert.equal(run.stderr.split("\n").filter((l) => / diverged at epoch \d+ \(mean training loss .*\), not scored/.test(l)).length, 4);
    const [name] = fs.readdirSync(records);
    const record: ExperimentRecord = JSON.parse(fs.readFileSync(path.join(records, name), "utf8"));
    assert.deepEqual(record.summary.map((s) => s.divergedFolds), [0, 1, 3]);
    assert.equal(record.winner.architecture, "logistic");
  });

  test("select where every candidate diverges is an error naming the fix, and writes no record", async () => {
    const records = path.join(work, "records-all-diverged");
    assertUserError(
      await digitsHere("select", "--data", trainCsv, "--layers", "8", "--folds", "2", "--epochs", "2", "--learning-rate", "1e9", "--workers", "1", "--records", records, "--quiet"),
      /^digits: training diverged in every candidate of the grid \(8: 2 of 2 folds; .*\), so none can be chosen; lower --learning-rate \(it was 1e\+9; the default is 0\.001\)\n$/,
    );
    // The fold cache keeps the diverged folds (a rerun need not train them again to fail); no record.
    assert.deepEqual(fs.existsSync(records) ? recordFiles(records) : [], []);
  });
});
