// The `digits` command run as a user runs it: a child process, checked by exit code, stdout,
// stderr and the files it leaves. Runs the compiled dist/cli/digits.js, the `digits` bin that
// `npm install` links (npm test and `npm test -- FILE` build first, and the build is incremental),
// which starts in a fraction of the time tsx takes to compile the sources on every spawn.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { loadCsv } from "../../lib/data/csv";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { calibration } from "../../lib/evaluation/calibration";
import { classificationReport } from "../../lib/evaluation/metrics";
import { loadModel } from "../../lib/model/persist";
import { oneStandardErrorRule } from "../../lib/selection/one-se";
import { type ExperimentRecord } from "../../lib/selection/record";
import { predictProbabilities } from "../../lib/model/train";
import { envNetwork } from "../../lib/notebook/params";

const ROOT = path.resolve(__dirname, "..", "..");
const COMPILED_CLI = path.join(ROOT, "dist", "cli", "digits.js");

let work = "";
let trainCsv = "";
let testCsv = "";
let tenClassCsv = "";
/** Rows of tenClassCsv labelled 0 or 1. */
let tenClassBinaryRows = 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function digits(...args: string[]): Run {
  return digitsWith({}, ...args);
}

/** digits with more Node flags (e.g. a module imported first) and environment variables. */
function digitsWith(how: { nodeArgs?: string[]; env?: Record<string, string> }, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [...(how.nodeArgs ?? []), COMPILED_CLI, ...args], {
    cwd: work,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...how.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit code 2, one line on stderr saying `expected`, no stack trace, nothing on stdout. */
function assertUserError(run: Run, expected: RegExp): void {
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr, expected);
  assert.equal(run.stderr.trim().split("\n").length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
  assert.equal(run.stdout, "");
}

/** The record files in a records folder (beside its fold cache, cache/). */
function recordFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
}

/** The files under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join("/")).sort();
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "digits-cli-"));
  const { train, test } = ensureDefaultDataset();
  // The header and the first rows of each default file: a few hundred rows of both classes.
  const head = (file: string, rows: number) => fs.readFileSync(file, "utf8").split("\n").slice(0, rows + 1).join("\n") + "\n";
  trainCsv = path.join(work, "train-small.csv");
  testCsv = path.join(work, "test-small.csv");
  fs.writeFileSync(trainCsv, head(train, 400));
  fs.writeFileSync(testCsv, head(test, 200));
  const lines = head(test, 3).split("\n");
  fs.writeFileSync(path.join(work, "bad-pixel.csv"), [lines[0], lines[1], lines[2].replace(/,0,/, ",300,"), ""].join("\n"));
  fs.writeFileSync(path.join(work, "bad-header.csv"), "label,a,b\n1,0,0\n");
  // A ten-class file: 120 rows of the 0/1 training head, with every third row relabelled 2–9.
  const [header, ...rows] = head(train, 120).trimEnd().split("\n");
  const tenClass = rows.map((line, i) => (i % 3 === 2 ? `${2 + (i % 8)}${line.slice(1)}` : line));
  tenClassBinaryRows = tenClass.filter((line) => /^[01],/.test(line)).length;
  tenClassCsv = path.join(work, "ten-class.csv");
  fs.writeFileSync(tenClassCsv, [header, ...tenClass].join("\n") + "\n");
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

describe("digits --help", () => {
  test("prints the commands at top level and each command's options, exit 0", () => {
    const top = digits("--help");
    assert.equal(top.code, 0);
    for (const name of ["data", "select", "train", "evaluate"]) assert.match(top.stdout, new RegExp(`\\n  ${name} `));
    for (const name of ["data", "select", "train", "evaluate"]) {
      const run = digits(name, "--help");
      assert.equal(run.code, 0, name);
      assert.match(run.stdout, new RegExp(`^Usage: digits ${name}`));
    }
  });

  test("no command prints the usage on stderr, exit 2", () => {
    const run = digits();
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Usage: digits <command>/);
  });
});

describe("bad input ends with exit code 2, one message, and nothing written", () => {
  test("unknown command", () => assertUserError(digits("frobnicate"), /unknown command "frobnicate"/));

  test("unknown flag", () => assertUserError(digits("select", "--bogus"), /Unknown option '--bogus'/));

  test("--workers is still --threads (its old name); both with different values is a user error", () => {
    assertUserError(digits("select", "--threads", "1", "--workers", "2", "--data", trainCsv), /--threads 1 and --workers 2: --workers is the old name of --threads; give one of them/);
    assertUserError(digits("pairs", "--threads", "2", "--workers", "1"), /--threads 2 and --workers 1/);
    assert.match(digits("select", "--help").stdout, /\n  --threads N /);
    assert.match(digits("pairs", "--help").stdout, /\n  --threads N /);
  });

  test("flag without its value, and a stray argument", () => {
    assertUserError(digits("train", "--epochs"), /--epochs/);
    assertUserError(digits("train", "extra"), /Unexpected argument 'extra'/);
  });

  test("numbers that are not numbers", () => {
    assertUserError(digits("train", "--epochs", "abc", "--data", trainCsv), /--epochs "abc": expected a whole number/);
    assertUserError(digits("select", "--threads", "0", "--data", trainCsv), /--threads "0"/);
    assertUserError(digits("select", "--workers", "0", "--data", trainCsv), /--workers "0"/);
    assertUserError(digits("select", "--learning-rate=-1", "--data", trainCsv), /--learning-rate "-1"/);
    assertUserError(digits("select", "--learning-rate", "-1", "--data", trainCsv), /--learning-rate/);
    assertUserError(digits("train", "--activation", "softmax", "--data", trainCsv), /--activation "softmax"/);
  });

  test("unknown layer spec", () => {
    const records = path.join(work, "records-layers");
    assertUserError(digits("select", "--layers", "25,,x", "--data", trainCsv, "--records", records), /layer spec "25,,x"/);
    assertUserError(digits("train", "--layers", "abc", "--data", trainCsv, "--model", path.join(work, "m-layers")), /layer spec "abc"/);
    assert.equal(fs.existsSync(records), false);
    assert.equal(fs.existsSync(path.join(work, "m-layers")), false);
  });

  test("missing data file", () => {
    const records = path.join(work, "records-missing");
    assertUserError(digits("select", "--data", "no-such.csv", "--records", records), /no-such\.csv: file not found/);
    assertUserError(digits("train", "--data", "no-such.csv", "--model", path.join(work, "m-missing")), /no-such\.csv: file not found/);
    assert.equal(fs.existsSync(records), false);
    assert.equal(fs.existsSync(path.join(work, "m-missing")), false);
  });

  test("missing model folder", () => {
    assertUserError(digits("evaluate", "--model", path.join(work, "no-model"), "--data", testCsv), /no model\.json there/);
  });

  test("a negative number after a flag gets our message, with or without '='", () => {
    for (const command of ["train", "select"]) {
      const spaced = digits(command, "--seed", "-1", "--data", trainCsv);
      const joined = digits(command, "--seed=-1", "--data", trainCsv);
      assertUserError(spaced, /--seed "-1": expected a whole number from 0 to 4294967295/);
      assert.equal(spaced.stderr, joined.stderr);
    }
    assertUserError(digits("train", "--epochs", "-3", "--data", trainCsv), /--epochs "-3": expected a whole number ≥ 1/);
    assertUserError(digits("train", "--seed", "4294967296", "--data", trainCsv), /--seed "4294967296"/);
  });

  test("a file given as --model is refused with a folder to use instead", () => {
    const run = digits("evaluate", "--model", testCsv, "--data", testCsv);
    assertUserError(run, /is a file; a model is a folder written by `digits train`, such as models\/25-15/);
    assert.doesNotMatch(run.stderr, /--model [^ ]*\.csv/);
    const missing = digits("evaluate", "--model", "some.csv", "--data", testCsv);
    assertUserError(missing, /some\.csv: no such model folder/);
    assert.doesNotMatch(missing.stderr, /--model [^ ]*some\.csv/);
  });

  test("bad CSVs name the line and column; no record, model or predictions file appears", () => {
    const before = filesUnder(work);
    const records = path.join(work, "records-bad");
    assertUserError(digits("select", "--data", "bad-pixel.csv", "--records", records, "--out", "copy.json"), /bad-pixel\.csv line 3, column pixel\d+/);
    assertUserError(digits("train", "--data", "bad-header.csv", "--model", path.join(work, "m-bad")), /bad-header\.csv/);
    // evaluate reads the model first (it knows the pair to keep), so a missing model is what it reports.
    assertUserError(digits("evaluate", "--data", "bad-pixel.csv", "--model", path.join(work, "no-model"), "--predictions", "p.csv"), /no model\.json there/);
    assert.deepEqual(filesUnder(work), before);
  });
});

describe("digits train, evaluate and select on small data", () => {
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

  test("select prints a table with every architecture and the winner with its reason", () => {
    const records = path.join(work, "records-table");
    const run = digits("select", "--data", trainCsv, "--layers", "", "--layers", "4", "--folds", "3", "--epochs", "1", "--workers", "1", "--records", records, "--quiet");
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

  test("a truncated weights.bin says so and how to recover", () => {
    const dir = path.join(work, "models", "truncated");
    fs.cpSync(modelDir(), dir, { recursive: true });
    const weights = path.join(dir, "weights.bin");
    fs.truncateSync(weights, Math.floor(fs.statSync(weights).size / 2));
    assertUserError(digits("evaluate", "--model", dir, "--data", testCsv), /weights\.bin is truncated .*train the model again with `npx digits train --model /);
    fs.appendFileSync(weights, Buffer.alloc(fs.statSync(weights).size * 3));
    assertUserError(digits("evaluate", "--model", dir, "--data", testCsv), /weights\.bin is corrupt/);
  });

  test("select crosses --layers with comma lists of --activation and --learning-rate", () => {
    const records = path.join(work, "records-product");
    const run = digits(
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
    assertUserError(digits("select", "--data", trainCsv, "--activation", "sigmoid,,relu", "--records", records), /--activation "sigmoid,,relu": an empty item/);
    assertUserError(digits("select", "--data", trainCsv, "--activation", "sigmoid,softmax", "--records", records), /--activation "softmax"/);
    assertUserError(digits("select", "--data", trainCsv, "--learning-rate", "0.001,abc", "--records", records), /--learning-rate "abc"/);
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
  test("train --layers 30000,30000 says what it would need and the limit, exit 2, no model", () => {
    assertUserError(
      digits("train", "--data", trainCsv, "--layers", "30000,30000", "--model", "models/huge"),
      /^digits: a 784→30000→30000→1 network \(923,610,001 parameters\) needs 13\.8 GiB of WebAssembly memory to train on 400 rows \(weights 3\.44 GiB, gradients 3\.44 GiB, Adam state 6\.88 GiB, data .*\), more than the 4 GiB one WebAssembly memory can hold; choose smaller hidden layers \(about 26\d million parameters fit\)\n$/,
    );
    assertUserError(digits("train", "--data", trainCsv, "--layers", "100000,100000", "--model", "models/huge", "--quiet"), /needs 150 GiB of WebAssembly memory/);
    assert.equal(fs.existsSync(path.join(work, "models", "huge")), false);
  });

  test("select refuses a grid with a network too big, in process and with workers, no record", () => {
    const records = path.join(work, "records-huge");
    for (const workers of ["1", "2"]) {
      assertUserError(
        digits("select", "--data", trainCsv, "--layers", "8", "--layers", "30000,30000", "--folds", "2", "--epochs", "1", "--workers", workers, "--records", records),
        /a 784→30000→30000→1 network \(923,610,001 parameters\) needs 13\.\d GiB .* 4 GiB/,
      );
    }
    assert.equal(fs.existsSync(records), false);
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

  test("select marks diverged candidates in the table and the record; one that trained wins", () => {
    const records = path.join(work, "records-diverged");
    // At learning rate 10, 8 units blow up in 1 fold of 3 and 25-15 in all; logistic regression trains.
    const run = digits(
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

  test("select where every candidate diverges is an error naming the fix, and writes no record", () => {
    const records = path.join(work, "records-all-diverged");
    assertUserError(
      digits("select", "--data", trainCsv, "--layers", "8", "--folds", "2", "--epochs", "2", "--learning-rate", "1e9", "--workers", "1", "--records", records, "--quiet"),
      /^digits: training diverged in every candidate of the grid \(8: 2 of 2 folds; .*\), so none can be chosen; lower --learning-rate \(it was 1e\+9; the default is 0\.001\)\n$/,
    );
    // The fold cache keeps the diverged folds (a rerun need not train them again to fail); no record.
    assert.deepEqual(fs.existsSync(records) ? recordFiles(records) : [], []);
  });
});

describe("an internal error is one line saying it is a bug; the stack only when asked for", () => {
  // A fault the code cannot foresee, simulated by breaking WebAssembly.Instance before the CLI loads.
  const sabotage = () => {
    const file = path.join(work, "sabotage.mjs");
    fs.writeFileSync(file, 'WebAssembly.Instance = function () { throw new TypeError("simulated fault in the kernels"); };\n');
    return ["--import", pathToFileURL(file).href];
  };
  const args = ["train", "--data", "train-small.csv", "--layers", "4", "--epochs", "1", "--model", "models/bug", "--quiet"];

  test("by default: exit 1, one line with the error, that it is a bug, and what to report", () => {
    const run = digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "" } }, ...args);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    assert.match(
      run.stderr,
      /^digits: internal error \(a bug in digits, not in your input\): TypeError: simulated fault in the kernels\. Please report it .* with the command you ran and the output of the same command run with --verbose \(or DIGITS_VERBOSE=1\)/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.equal(fs.existsSync(path.join(work, "models", "bug")), false);
  });

  test("--verbose anywhere, or DIGITS_VERBOSE=1, adds the stack trace", () => {
    for (const run of [
      digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "" } }, ...args, "--verbose"),
      digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "" } }, "--verbose", ...args),
      digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "1" } }, ...args),
    ]) {
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^digits: internal error \(a bug in digits, not in your input\): TypeError: simulated fault in the kernels\./);
      assert.match(run.stderr, /\nTypeError: simulated fault in the kernels\n\s+at /);
    }
  });

  test("--verbose does not change a user error: still one line, exit 2", () => {
    assertUserError(digits("train", "--verbose", "--epochs", "abc", "--data", trainCsv), /--epochs "abc": expected a whole number/);
  });
});

describe("--binary-only keeps the 0s and 1s of a ten-class CSV", () => {
  test("without it or --digits, a file of more than two digits is a user error listing them", () => {
    const listed = /ten-class\.csv: holds 10 digits \(0: \d+ rows, 1: \d+ rows, 2: 5 rows, .*9: 5 rows\); .*--digits A,B.*--binary-only is --digits 0,1/;
    assertUserError(digits("train", "--data", tenClassCsv, "--model", "models/ten"), listed);
    assertUserError(digits("select", "--data", tenClassCsv, "--records", path.join(work, "records-ten")), listed);
    assert.equal(fs.existsSync(path.join(work, "records-ten")), false);
  });

  test("--binary-only beside another --digits, and a --digits that is not a pair, are user errors", () => {
    assertUserError(digits("train", "--data", tenClassCsv, "--binary-only", "--digits", "4,9"), /--binary-only is --digits 0,1 and disagrees with --digits 4,9/);
    assertUserError(digits("select", "--digits", "4"), /--digits "4": expected two digits separated by a comma/);
    assertUserError(digits("data", "--digits", "3,3", "--out", "d33"), /--digits "3,3": the two digits must differ/);
  });

  test("train, evaluate and select use only the rows labelled 0 or 1", () => {
    assert.equal(tenClassBinaryRows, 80);
    const trained = digits("train", "--data", tenClassCsv, "--binary-only", "--layers", "4", "--epochs", "1", "--model", "models/ten");
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /on 80 rows of /);

    const evaluated = digits("evaluate", "--data", tenClassCsv, "--binary-only", "--model", path.join(work, "models", "ten"), "--json");
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const [[tn, fp], [fn, tp]] = JSON.parse(evaluated.stdout).confusionMatrix;
    assert.equal(tn + fp + fn + tp, 80);

    const selected = digits("select", "--data", tenClassCsv, "--binary-only", "--layers", "none", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", path.join(work, "records-ten"), "--json");
    assert.equal(selected.code, 0, selected.stderr);
    const record: ExperimentRecord = JSON.parse(selected.stdout);
    assert.equal(record.data.rows, 80);
    assert.deepEqual(record.data.counts, classCountsOf(tenClassCsv));
  });

  test("each command's help lists --binary-only and --digits", () => {
    for (const name of ["select", "train", "evaluate"]) {
      assert.match(digits(name, "--help").stdout, /\n  --binary-only /, name);
      assert.match(digits(name, "--help").stdout, /\n  --digits A,B /, name);
    }
    assert.match(digits("data", "--help").stdout, /\n  --digits A,B /);
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

  test("digits data --digits 4,9 writes data/4-9 with the digits as labels (here into --out)", () => {
    const run = digits("data", "--digits", "4,9", "--out", "d49");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /train\.csv: 11,791 rows \(label 4: 5,842, label 9: 5,949\)/);
    assert.match(run.stdout, /test\.csv: 1,991 rows \(label 4: 982, label 9: 1,009\)/);
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

  test("a model folder without training.json is refused without --digits, naming the file; with --digits A,B it is scored on that pair", () => {
    // Before: the pair defaulted to 0 and 1, and a 4-vs-9 model was scored on data/test.csv as 0 against 1 without a word.
    const bare = path.join(work, "models", "p49-bare");
    fs.mkdirSync(bare, { recursive: true });
    for (const file of ["model.json", "weights.bin"]) fs.copyFileSync(path.join(model(), file), path.join(bare, file));
    for (const args of [[], ["--data", mixedCsv], ["--json"]]) {
      assertUserError(digits("evaluate", "--model", bare, ...args), /p49-bare: no training\.json, so the digits this model tells apart are unknown; give them with --digits A,B/);
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

  test("a training.json whose digits are not a pair is a user error naming it; one without digits (before pairs) is 0 and 1", () => {
    const broken = path.join(work, "models", "p49-broken");
    fs.cpSync(model(), broken, { recursive: true });
    const record = JSON.parse(fs.readFileSync(path.join(model(), "training.json"), "utf8"));
    fs.writeFileSync(path.join(broken, "training.json"), JSON.stringify({ ...record, digits: [4, 4] }));
    assertUserError(digits("evaluate", "--model", broken, "--data", mixedCsv), /p49-broken\/training\.json: "digits" is \[4,4\], not two different digits 0–9/);
    const { digits: _, ...legacy } = record;
    fs.writeFileSync(path.join(broken, "training.json"), JSON.stringify(legacy));
    const run = digits("evaluate", "--model", broken, "--data", testCsv, "--json");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).digits, [0, 1]);
  });

  test("a --digits (or --binary-only) that disagrees with the model is a user error", () => {
    assertUserError(digits("evaluate", "--model", model(), "--digits", "0,1"), /--digits 0,1: the model in .*p49 tells 4 from 9 \(its training\.json\); evaluate it with --digits 4,9/);
    assertUserError(digits("evaluate", "--model", model(), "--binary-only", "--data", mixedCsv), /tells 4 from 9/);
    assertUserError(digits("evaluate", "--model", model(), "--digits", "9,4"), /tells 4 from 9/);
  });
});

describe("--layers winner takes the latest record of the same data and pair", () => {
  const records = () => path.join(work, "records-match");
  let zeroOne: ExperimentRecord;
  let fourNine: ExperimentRecord;

  before(() => {
    const select = (data: string) => {
      const run = digits("select", "--data", data, "--layers", "none", "--layers", "4", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", records(), "--json");
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout) as ExperimentRecord;
    };
    zeroOne = select(trainCsv);
    const pairCsv = path.join(work, "pair-4-9-records.csv");
    const file = ensureDefaultDataset(undefined, [4, 9]).train;
    fs.writeFileSync(pairCsv, fs.readFileSync(file, "utf8").split("\n").slice(0, 201).join("\n") + "\n");
    // The newest record is of another pair, and a newer file still is corrupt.
    fourNine = select(pairCsv);
    fs.writeFileSync(path.join(records(), "zzzz.json"), "{ not json");
  });

  test("records carry their pair", () => {
    assert.deepEqual(zeroOne.data.digits, [0, 1]);
    assert.deepEqual(fourNine.data.digits, [4, 9]);
  });

  test("trains the winner with the activation and learning rate it was selected with", async () => {
    const dir = path.join(work, "records-settings");
    const select = digits("select", "--data", trainCsv, "--layers", "4", "--activation", "tanh,relu", "--learning-rate", "0.003,0.01", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", dir, "--quiet");
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

/** [zeros, ones] of a CSV, counted from its text. */
function classCountsOf(file: string): [number, number] {
  const labels = fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(1).map((line) => line.split(",", 1)[0]);
  return [labels.filter((l) => l === "0").length, labels.filter((l) => l === "1").length];
}

describe("digits experiments", () => {
  let records = "";
  let ids: string[] = [];
  before(() => {
    records = path.join(work, "records-experiments");
    for (const layers of [["none"], ["none", "4"]]) {
      const run = digits("select", "--data", trainCsv, ...layers.flatMap((l) => ["--layers", l]), "--folds", "2", "--epochs", "1", "--workers", "1", "--records", records, "--quiet");
      assert.equal(run.code, 0, run.stderr);
    }
    ids = recordFiles(records).map((f) => f.replace(/\.json$/, "")).sort();
    fs.writeFileSync(path.join(records, "broken.json"), "{");
  });

  test("list shows every record oldest first with its cache counts, and names skipped files", () => {
    const run = digits("experiments", "list", "--records", records);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.match(lines[0], /^handle +id +started +duration +pair +rows +grid/);
    assert.ok(lines[2].startsWith(`${ids[0].slice(-4)}    ${ids[0]}`) && lines[3].startsWith(`${ids[1].slice(-4)}    ${ids[1]}`), run.stdout);
    // The second run reused the logistic folds of the first and trained the 4-unit ones.
    assert.match(lines[2], / 0\/2\s*$/);
    assert.match(lines[3], / 2\/2\s*$/);
    assert.match(run.stderr, /^skipped broken\.json: corrupt: /m);
    const json = JSON.parse(digits("experiments", "list", "--records", records, "--json").stdout);
    assert.deepEqual(json.records.map((r: { id: string }) => r.id), ids);
    assert.deepEqual(json.records[1].cache, { reused: 2, trained: 2 });
    assert.deepEqual(json.skipped.map((s: { file: string }) => s.file), ["broken.json"]);
  });

  test("show and compare take unique prefixes; an unknown or ambiguous prefix is exit 2", () => {
    const show = digits("experiments", "show", ids[1].slice(0, -2), "--records", records);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`^Record ${ids[1]} `));
    assert.match(show.stdout, /\nWinner: /);
    const compare = digits("experiments", "compare", ids[0], ids[1], "--records", records, "--json");
    assert.equal(compare.code, 0, compare.stderr);
    const comparison = JSON.parse(compare.stdout);
    assert.deepEqual(comparison.rows.map((r: { candidate: string }) => r.candidate), ["logistic", "4"]);
    assert.equal(comparison.rows[0].logLoss[0], comparison.rows[0].logLoss[1], "the reused logistic folds score the same");
    assert.equal(comparison.rows[1].logLoss[0], null);
    assertUserError(digits("experiments", "show", "zzz", "--records", records), /no experiment .* has an id starting with "zzz"/);
    assertUserError(digits("experiments", "show", "2", "--records", records), /"2" is the start of 2 experiment ids/);
    assertUserError(digits("experiments", "compare", ids[0], "--records", records), /give at least 2 experiment ids/);
    assertUserError(digits("experiments", "frobnicate"), /unknown subcommand "frobnicate"/);
  });

  test("remove deletes a record, keeping its folds until prune drops the unused ones", () => {
    assertUserError(digits("experiments", "remove", ids[1], "nope", "--records", records), /"nope"/);
    assert.equal(recordFiles(records).length, 3, "one bad id removes nothing");
    const removed = digits("experiments", "remove", ids[1], "--records", records);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(recordFiles(records).filter((f) => f !== "broken.json"), [`${ids[0]}.json`]);
    // broken.json may be a record whose folds are unknown: prune deletes nothing until it is removed (or --force).
    assertUserError(digits("experiments", "prune", "--records", records, "--json"), /nothing deleted, .*broken\.json cannot be read/);
    // Not named as digits names records: never deleted by digits, whatever the id; the user moves it away.
    assertUserError(digits("experiments", "remove", "broken", "--records", records), /broken\.json \(corrupt: .*\) is not a record of digits, which never deletes it/);
    fs.renameSync(path.join(records, "broken.json"), path.join(work, "broken.json"));
    const prune = JSON.parse(digits("experiments", "prune", "--records", records, "--json").stdout);
    assert.deepEqual(prune, { kept: 2, removed: 2 });
  });
});

describe("digits data", () => {
  test("writes train.csv and test.csv with the MNIST 0/1 rows into --out", () => {
    const run = digits("data", "--out", "d");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /12,665 rows \(label 0: 5,923, label 1: 6,742\)/);
    assert.match(run.stdout, /2,115 rows \(label 0: 980, label 1: 1,135\)/);
    assert.deepEqual(fs.readdirSync(path.join(work, "d")).sort(), ["test.csv", "train.csv"]);
    const again = digits("data", "--out", "d", "--quiet");
    assert.equal(again.code, 0);
    assert.equal(again.stdout, "");
  });

  test("--force rewrites up-to-date files in place", () => {
    const before = fs.readFileSync(path.join(work, "d", "test.csv"));
    const upToDate = digits("data", "--out", "d");
    assert.match(upToDate.stdout, /^up to date .*train\.csv/m);
    const forced = digits("data", "--out", "d", "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^wrote .*train\.csv/m);
    assert.match(forced.stdout, /^wrote .*test\.csv/m);
    assert.deepEqual(fs.readdirSync(path.join(work, "d")).sort(), ["test.csv", "train.csv"]);
    assert.ok(fs.readFileSync(path.join(work, "d", "test.csv")).equals(before));
  });
});

describe("the compiled CLI (dist/cli/digits.js, the installed `digits` bin)", () => {
  const compiled = (...args: string[]) => {
    assert.ok(fs.existsSync(COMPILED_CLI), `${COMPILED_CLI} is missing; run \`npm run build\``);
    const result = spawnSync(process.execPath, [COMPILED_CLI, ...args], { cwd: work, encoding: "utf8", timeout: 120_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const lines = (file: string) => fs.readFileSync(file, "latin1").split("\n").length - 1;

  test("--help lists the commands", () => {
    const run = compiled("--help");
    assert.equal(run.code, 0, run.stderr);
    for (const name of ["data", "select", "train", "evaluate"]) assert.match(run.stdout, new RegExp(`\\n  ${name} `));
  });

  test("data --out DIR --quiet writes train.csv (12,666 lines) and test.csv (2,116 lines), printing nothing", () => {
    const run = compiled("data", "--out", "compiled-data", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(lines(path.join(work, "compiled-data", "train.csv")), 12666);
    assert.equal(lines(path.join(work, "compiled-data", "test.csv")), 2116);
  });
});
