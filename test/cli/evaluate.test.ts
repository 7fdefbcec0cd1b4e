// cli/evaluate.ts: scores, predictions and the pair of a saved model (trained here by `digits train`);
// run as a user runs it (the compiled CLI in a child process; a model of another pair, refused
// before TensorFlow.js starts, in this process: runDigitsHere) in the folder of small CSVs that
// test/support/cli-work.ts makes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { loadCsv } from "../../lib/data/csv";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { calibration } from "../../lib/evaluation/calibration";
import { classificationReport } from "../../lib/evaluation/metrics";
import { loadModel } from "../../lib/model/persist";
import { predictProbabilities } from "../../lib/model/train";
import { envNetwork } from "../../lib/notebook/params";
import { assertUserError, digits, digitsHere, digitsWith, testCsv, trainCsv, work } from "../support/cli-work";

describe("digits evaluate on a model trained on small data", () => {
  const modelDir = () => path.join(work, "models", "m8");

  test("train saves a model folder; evaluate --json prints one JSON object that agrees with lib/evaluation/metrics", async () => {
    const trained = digits("train", "--data", trainCsv, "--layers", "8", "--epochs", "3", "--seed", "13", "--model", "models/m8");
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /epoch 3\/3/);
    assert.deepEqual(fs.readdirSync(modelDir()).sort(), ["model.json", "training.json", "weights.bin"]);
    const training = JSON.parse(fs.readFileSync(path.join(modelDir(), "training.json"), "utf8"));
    assert.match(training.data.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(training.history.history.loss.length, 3);

    const run = digits("evaluate", "--model", modelDir(), "--data", testCsv, "--json");
    assert.equal(run.code, 0, run.stderr);
    const reported = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(reported).sort(), ["accuracy", "auc", "calibration", "confusionMatrix", "digits", "ece", "f1", "logLoss", "precision", "recall"]);
    assert.deepEqual(training.digits, [0, 1]);

    const { network } = await loadModel(modelDir());
    const data = loadCsv(testCsv);
    const probabilities = predictProbabilities(network, data);
    const { count, ...metrics } = classificationReport(data.labels, probabilities);
    const { ece, bins } = calibration(data.labels, probabilities);
    const expected = { digits: [0, 1], ...metrics, ece, calibration: { bins } };
    assert.equal(count, 200);
    assert.deepEqual(reported, expected);
    const [[tn, fp], [fn, tp]] = reported.confusionMatrix;
    assert.equal(tn + fp + fn + tp, 200);
  });

  test("evaluate --predictions writes index,label,probability,prediction for every row", async () => {
    const run = digits("evaluate", "--model", modelDir(), "--data", testCsv, "--predictions", "out/predictions.csv");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /accuracy/);
    assert.match(run.stdout, /confusion matrix/);
    const lines = fs.readFileSync(path.join(work, "out", "predictions.csv"), "utf8").trimEnd().split("\n");
    assert.equal(lines[0], "index,label,probability,prediction");
    assert.equal(lines.length, 201);
    const { network } = await loadModel(modelDir());
    const data = loadCsv(testCsv);
    const probabilities = predictProbabilities(network, data);
    lines.slice(1).forEach((line, i) => {
      const [index, label, probability, prediction] = line.split(",");
      assert.equal(Number(index), i);
      assert.equal(Number(label), data.labels[i]);
      assert.equal(Number(probability), probabilities[i]);
      assert.equal(Number(prediction), probabilities[i] > 0.5 ? 1 : 0);
    });
    assert.deepEqual(fs.readdirSync(path.join(work, "out")), ["predictions.csv"]);
  });
  test("a truncated weights.bin says so and how to recover", () => {
    const dir = path.join(work, "models", "truncated");
    fs.cpSync(modelDir(), dir, { recursive: true });
    const weights = path.join(dir, "weights.bin");
    fs.truncateSync(weights, Math.floor(fs.statSync(weights).size / 2));
    assertUserError(digits("evaluate", "--model", dir, "--data", testCsv), /weights\.bin is truncated .*train the model again with `npx digits train --model /);
    fs.appendFileSync(weights, Buffer.alloc(fs.statSync(weights).size * 3));
    assertUserError(digits("evaluate", "--model", dir, "--data", testCsv), /weights\.bin is corrupt/);
  });
});

describe("a pair other than 0 and 1 (4 against 9)", () => {
  let pairCsv = "";
  let mixedCsv = "";
  /** Positions of the 4s and 9s among mixedCsv's data rows, and their digits. */
  const pairRows: { index: number; digit: number }[] = [];
  let dropped: [number, number] = [0, 0];
  const model = () => path.join(work, "models", "p49");

  before(() => {
    const files = ensureDefaultDataset(undefined, [4, 9]);
    const lines = (file: string, rows: number) => fs.readFileSync(file, "utf8").split("\n").slice(0, rows + 1);
    pairCsv = path.join(work, "pair-4-9.csv");
    fs.writeFileSync(pairCsv, lines(files.train, 300).join("\n") + "\n");
    // Every fourth row a 0 or a 1 (to be dropped), the others 4s and 9s of the test set.
    const [header, ...fourNine] = lines(files.test, 60);
    const zeroOne = lines(ensureDefaultDataset().test, 20).slice(1);
    const mixed: string[] = [];
    for (let k = 0, p = 0, z = 0; k < 80; k++) {
      if (k % 4 === 3) {
        const line = zeroOne[z++];
        dropped[Number(line[0])]++;
        mixed.push(line);
      } else {
        const line = fourNine[p++];
        pairRows.push({ index: k, digit: Number(line[0]) });
        mixed.push(line);
      }
    }
    mixedCsv = path.join(work, "mixed.csv");
    fs.writeFileSync(mixedCsv, [header, ...mixed].join("\n") + "\n");
  });
  test("train infers the pair from a file of two digits and records it in training.json", () => {
    const run = digits("train", "--data", pairCsv, "--layers", "4", "--epochs", "2", "--model", "models/p49");
    assert.equal(run.code, 0, run.stderr);
    const counts = fs.readFileSync(pairCsv, "utf8").trimEnd().split("\n").slice(1).map((l) => l[0]);
    const fours = counts.filter((d) => d === "4").length;
    assert.match(run.stderr, new RegExp(`on 300 rows of .*pair-4-9\\.csv \\(${fours} fours, ${300 - fours} nines\\)`));
    assert.match(run.stdout, /^saved 4 \(4 against 9\) to /);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(model(), "training.json"), "utf8")).digits, [4, 9]);
  });

  test("train saves to models/4-9/<layers> by default, the folder notebook 03 picks for the same network and pair", () => {
    const run = digits("train", "--data", pairCsv, "--layers", "3", "--epochs", "1", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    const notebooks = envNetwork(path.join(work, "no-records"), { fingerprint: "0000000000000000", pair: [4, 9] }, false, { DIGITS_LAYERS: "3" }).modelDir;
    assert.equal(notebooks, "models/4-9/3");
    assert.ok(fs.existsSync(path.join(work, notebooks, "model.json")), run.stdout);
  });

  test("evaluate keeps the model's pair from a file of other digits too; predictions hold digits, P(9) and the file's row positions", async () => {
    const run = digits("evaluate", "--model", model(), "--data", mixedCsv, "--predictions", "p49.csv", "--json");
    assert.equal(run.code, 0, run.stderr);
    const reported = JSON.parse(run.stdout);
    assert.deepEqual(reported.digits, [4, 9]);
    // Rows (true digit) and columns (prediction) in the order 4, 9.
    const [[t4p4, t4p9], [t9p4, t9p9]] = reported.confusionMatrix;
    assert.equal(t4p4 + t4p9, pairRows.filter((r) => r.digit === 4).length);
    assert.equal(t9p4 + t9p9, pairRows.filter((r) => r.digit === 9).length);

    const lines = fs.readFileSync(path.join(work, "p49.csv"), "utf8").trimEnd().split("\n");
    assert.equal(lines[0], "index,label,probability,prediction");
    assert.equal(lines.length, 61);
    const { network } = await loadModel(model());
    const probabilities = predictProbabilities(network, loadCsv(mixedCsv, { pair: [4, 9] }));
    let predictedNines = 0;
    lines.slice(1).forEach((line, i) => {
      const [index, label, probability, prediction] = line.split(",");
      assert.equal(Number(index), pairRows[i].index, `row ${i}`);
      assert.equal(Number(label), pairRows[i].digit);
      assert.equal(Number(probability), probabilities[i]);
      assert.equal(Number(prediction), probabilities[i] > 0.5 ? 9 : 4);
      if (prediction === "9") predictedNines++;
    });
    assert.deepEqual([...new Set(lines.slice(1).map((l) => Number(l.split(",")[0]) % 4))].sort(), [0, 1, 2], "no row at a dropped position");
    assert.equal(predictedNines, t4p9 + t9p9);
  });

  test("evaluate says how many rows of other digits it dropped, and names the classes by digit", () => {
    const run = digits("evaluate", "--model", model(), "--data", mixedCsv);
    assert.equal(run.code, 0, run.stderr);
    const parts = [dropped[0] > 0 ? `0: ${dropped[0]}` : "", dropped[1] > 0 ? `1: ${dropped[1]}` : ""].filter((p) => p).join(", ");
    assert.ok(run.stdout.includes(`mixed.csv: dropped 20 rows of other digits (${parts})`), run.stdout);
    assert.match(run.stdout, /4 against 9 \(positive class 9\)/);
    assert.match(run.stdout, /predicted 4 +predicted 9/);
    assert.match(run.stdout, /^true 9 /m);
  });

  test("without --data, evaluate scores the model's pair's test file", () => {
    const run = digits("evaluate", "--model", model(), "--json");
    assert.equal(run.code, 0, run.stderr);
    const [[a, b], [c, d]] = JSON.parse(run.stdout).confusionMatrix;
    assert.deepEqual([a + b, c + d], [982, 1009]);
  });

  test("a model folder without training.json is refused without --digits, naming the file; with --digits A,B it is scored on that pair", async () => {
    // Before: the pair defaulted to 0 and 1, and a 4-vs-9 model was scored on data/test.csv as 0 against 1 without a word.
    const bare = path.join(work, "models", "p49-bare");
    fs.mkdirSync(bare, { recursive: true });
    for (const file of ["model.json", "weights.bin"]) fs.copyFileSync(path.join(model(), file), path.join(bare, file));
    for (const args of [[], ["--data", mixedCsv], ["--json"]]) {
      assertUserError(await digitsHere("evaluate", "--model", bare, ...args), /p49-bare: no training\.json, so the digits this model tells apart are unknown; give them with --digits A,B/);
    }
    const withRecord = JSON.parse(digits("evaluate", "--model", model(), "--data", mixedCsv, "--json").stdout);
    const run = digits("evaluate", "--model", bare, "--digits", "4,9", "--data", mixedCsv, "--json");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), withRecord);
    const byDefault = digits("evaluate", "--model", bare, "--digits", "4,9", "--json");
    assert.equal(byDefault.code, 0, byDefault.stderr);
    const [[a, b], [c, d]] = JSON.parse(byDefault.stdout).confusionMatrix;
    assert.deepEqual([a + b, c + d], [982, 1009], "the pair's own test file");
  });

  test("a training.json whose digits are not a pair is a user error naming it; one without digits (before pairs) is 0 and 1", async () => {
    const broken = path.join(work, "models", "p49-broken");
    fs.cpSync(model(), broken, { recursive: true });
    const record = JSON.parse(fs.readFileSync(path.join(model(), "training.json"), "utf8"));
    fs.writeFileSync(path.join(broken, "training.json"), JSON.stringify({ ...record, digits: [4, 4] }));
    assertUserError(await digitsHere("evaluate", "--model", broken, "--data", mixedCsv), /p49-broken\/training\.json: "digits" is \[4,4\], not two different digits 0–9/);
    const { digits: _, ...legacy } = record;
    fs.writeFileSync(path.join(broken, "training.json"), JSON.stringify(legacy));
    const run = digits("evaluate", "--model", broken, "--data", testCsv, "--json");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).digits, [0, 1]);
  });

  test("a --digits (or --binary-only) that disagrees with the model is a user error", async () => {
    assertUserError(await digitsHere("evaluate", "--model", model(), "--digits", "0,1"), /--digits 0,1: the model in .*p49 tells 4 from 9 \(its training\.json\); evaluate it with --digits 4,9/);
    assertUserError(await digitsHere("evaluate", "--model", model(), "--binary-only", "--data", mixedCsv), /tells 4 from 9/);
    assertUserError(await digitsHere("evaluate", "--model", model(), "--digits", "9,4"), /tells 4 from 9/);
  });

  test("is refused before TensorFlow.js starts, in a process of its own", () => {
    // This file's process loaded TensorFlow.js above, where runDigitsHere cannot see a command start it.
    const hook = path.join(work, "tf-loaded.js");
    const said = path.join(work, "tf-loaded.txt");
    fs.writeFileSync(hook, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(said)}, String(Object.keys(require.cache).some((f) => f.includes("tfjs-core")))));`);
    assertUserError(digitsWith({ nodeArgs: ["--require", hook] }, "evaluate", "--model", model(), "--digits", "0,1"), /tells 4 from 9/);
    assert.equal(fs.readFileSync(said, "utf8"), "false");
  });
});
