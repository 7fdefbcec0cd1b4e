// cli/train.ts: limits, divergence, and `--layers winner` (the latest matching selection record);
// run as a user runs it (the compiled CLI in a child process; a refusal, and the selections that
// make the records, in one thread, in this process: runDigitsHere) in the folder of small CSVs
// that test/support/cli-work.ts makes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { loadModel } from "../../lib/model/persist";
import { type ExperimentRecord } from "../../lib/selection/record";
import { envNetwork } from "../../lib/notebook/params";
import { assertUserError, digits, digitsHere, testCsv, trainCsv, work } from "../support/cli-work";

describe("limits: a network too big is refused before allocating, diverging training is not saved", () => {
  test("train --layers 30000,30000 says what it would need and the limit, exit 2, no model", async () => {
    assertUserError(
      digits("train", "--data", trainCsv, "--layers", "30000,30000", "--model", "models/huge"),
      /^digits: a 784→30000→30000→1 network \(923,610,001 parameters\) needs 13\.8 GiB of WebAssembly memory to train on 400 rows \(weights 3\.44 GiB, gradients 3\.44 GiB, Adam state 6\.88 GiB, data .*\), more than the 4 GiB one WebAssembly memory can hold; choose smaller hidden layers \(about 26\d million parameters fit\)\n$/,
    );
    assertUserError(await digitsHere("train", "--data", trainCsv, "--layers", "100000,100000", "--model", "models/huge", "--quiet"), /needs 150 GiB of WebAssembly memory/);
    assert.equal(fs.existsSync(path.join(work, "models", "huge")), false);
  });
  test("train --learning-rate 1e9 stops at the diverged epoch with the loss and the fix, exit 2, nothing saved", () => {
    assertUserError(
      digits("train", "--data", trainCsv, "--learning-rate", "1e9", "--model", "models/diverged", "--quiet"),
      /^digits: training 784→25→15→1 diverged at epoch 1 of 20: mean training loss \d\.\d\de\+\d+ \(answering 0\.5 for every image scores 0\.6931\); lower --learning-rate \(it was 1e\+9; the default is 0\.001\)\n$/,
    );
    const loud = digits("train", "--data", trainCsv, "--learning-rate", "1e9", "--model", "models/diverged");
    assert.equal(loud.code, 2);
    assert.match(loud.stderr.trimEnd().split("\n").at(-1)!, /^digits: training 784→25→15→1 diverged at epoch 1/);
    assert.equal(fs.existsSync(path.join(work, "models", "diverged")), false);
  });
});

describe("--layers winner takes the latest record of the same data and pair", () => {
  const records = () => path.join(work, "records-match");
  let zeroOne: ExperimentRecord;
  let fourNine: ExperimentRecord;

  before(async () => {
    const select = async (data: string) => {
      const run = await digitsHere("select", "--data", data, "--layers", "none", "--layers", "4", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", records(), "--json");
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout) as ExperimentRecord;
    };
    zeroOne = await select(trainCsv);
    const pairCsv = path.join(work, "pair-4-9-records.csv");
    const file = ensureDefaultDataset(undefined, [4, 9]).train;
    fs.writeFileSync(pairCsv, fs.readFileSync(file, "utf8").split("\n").slice(0, 201).join("\n") + "\n");
    // The newest record is of another pair, and a newer file still is corrupt.
    fourNine = await select(pairCsv);
    fs.writeFileSync(path.join(records(), "zzzz.json"), "{ not json");
  });

  test("records carry their pair", () => {
    assert.deepEqual(zeroOne.data.digits, [0, 1]);
    assert.deepEqual(fourNine.data.digits, [4, 9]);
  });

  test("trains the winner with the activation and learning rate it was selected with", async () => {
    const dir = path.join(work, "records-settings");
    const select = await digitsHere("select", "--data", trainCsv, "--layers", "4", "--activation", "tanh,relu", "--learning-rate", "0.003,0.01", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", dir, "--quiet");
    assert.equal(select.code, 0, select.stderr);
    const [file] = fs.readdirSync(dir);
    const { winner } = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as ExperimentRecord;
    const run = digits("train", "--data", trainCsv, "--layers", "winner", "--records", dir, "--epochs", "1", "--model", "models/settings", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes(`--layers winner: ${winner.architecture} (${winner.activation}, learning rate ${winner.learningRate})`), run.stderr);
    const trained = await loadModel(path.join(work, "models", "settings"));
    assert.equal(trained.network.config.activation, winner.activation);
    assert.equal(trained.record?.train.learningRate, winner.learningRate);
    const overridden = digits("train", "--data", trainCsv, "--layers", "winner", "--records", dir, "--learning-rate", "0.02", "--epochs", "1", "--model", "models/settings-lr", "--quiet");
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.equal((await loadModel(path.join(work, "models", "settings-lr"))).record?.train.learningRate, 0.02);
  });

  test("skips a newer record of another pair and a corrupt file, and says which record it used", async () => {
    const run = digits("train", "--data", trainCsv, "--layers", "winner", "--records", records(), "--epochs", "1", "--model", "models/matched", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes(`--layers winner: ${zeroOne.winner.architecture} (`), run.stderr);
    assert.ok(run.stderr.includes(`learning rate ${zeroOne.winner.learningRate}), from selection record ${zeroOne.id} of `), run.stderr);
    assert.ok(run.stderr.includes(`skipped ${fourNine.id}.json: other pair: 4 against 9, not 0 against 1`), run.stderr);
    assert.match(run.stderr, /skipped zzzz\.json: corrupt: /);
    const { network } = await loadModel(path.join(work, "models", "matched"));
    assert.deepEqual(network.config.hidden, zeroOne.winner.hidden);
  });

  test("the winner goes to the folder notebook 03 saves the same winner in", () => {
    const run = digits("train", "--data", trainCsv, "--layers", "winner", "--records", records(), "--epochs", "1", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    const choice = envNetwork(records(), { fingerprint: zeroOne.data.fingerprint, pair: [0, 1] }, false, {});
    assert.deepEqual(choice.hidden, zeroOne.winner.hidden);
    assert.equal(choice.modelDir, `models/${zeroOne.winner.hidden.join("-") || "logistic"}`);
    assert.ok(fs.existsSync(path.join(work, choice.modelDir, "model.json")), run.stdout);
  });

  test("with no record of this data, says so, lists what it skipped and why, and trains nothing", () => {
    assertUserError(
      digits("train", "--data", testCsv, "--layers", "winner", "--records", records(), "--model", "models/unmatched"),
      new RegExp(`--layers winner: no selection record in .*records-match was made on this data \\(200 rows of .*test-small\\.csv, 0 against 1, fingerprint [0-9a-f]{16}\\); .*skipped ${fourNine.id}\\.json: other pair: .*; ${zeroOne.id}\\.json: other data: 400 rows of `),
    );
    assert.equal(fs.existsSync(path.join(work, "models", "unmatched")), false);
  });
});
