import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { InputError } from "../../lib/core/errors";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../../lib/core/project";
import { checkReportParameters, envActivations, envGrid, envInt, envNetwork, envNumber, envNumbers, envPair, envPath, envString, explorationParameters, labMode, quickMode, selectionParameters, trainingParameters } from "../../lib/notebook/params";
import { projectRelative } from "../../lib/core/project";
import { saveExperiment } from "../../lib/selection/experiments";
import type { ExperimentRecord } from "../../lib/selection/record";

describe("environment parameters", () => {
  it("fall back when unset or blank, and read the value when set", () => {
    assert.equal(envInt("N", 5, {}), 5);
    assert.equal(envInt("N", 5, { N: "  " }), 5);
    assert.equal(envInt("N", 5, { N: "12" }), 12);
    assert.equal(envNumber("LR", 0.001, { LR: "1e-2" }), 0.01);
    assert.equal(envString("CSV", "data/train.csv", { CSV: "x.csv" }), "x.csv");
  });

  it("reject malformed values, naming the variable", () => {
    assert.throws(() => envInt("DIGITS_EPOCHS", 20, { DIGITS_EPOCHS: "2.5" }), /DIGITS_EPOCHS=2\.5: expected an integer/);
    assert.throws(() => envNumber("DIGITS_LEARNING_RATE", 1, { DIGITS_LEARNING_RATE: "fast" }), /DIGITS_LEARNING_RATE=fast: expected a number/);
    assert.throws(() => quickMode({ DIGITS_QUICK: "maybe" }), /DIGITS_QUICK=maybe: expected 1 or 0/);
  });

  it("quick mode is DIGITS_QUICK=1 (or true/yes/on)", () => {
    assert.equal(quickMode({}), false);
    assert.equal(quickMode({ DIGITS_QUICK: "1" }), true);
    assert.equal(quickMode({ DIGITS_QUICK: "yes" }), true);
    assert.equal(quickMode({ DIGITS_QUICK: "on" }), true);
    assert.equal(quickMode({ DIGITS_QUICK: "0" }), false);
  });

  it("DIGITS_BINARY_ONLY=1 keeps only the 0s and 1s of a ten-class CSV; off by default", () => {
    // It is DIGITS_PAIR=0,1: the pair the notebooks load, and an error beside another pair.
    assert.deepEqual(envPair({ DIGITS_BINARY_ONLY: "1" }), [0, 1]);
    assert.throws(() => envPair({ DIGITS_BINARY_ONLY: "1", DIGITS_PAIR: "4,9" }), /DIGITS_BINARY_ONLY=1 means DIGITS_PAIR=0,1 but DIGITS_PAIR=4,9/);
    assert.deepEqual(envPair({ DIGITS_PAIR: "4,9" }), [4, 9]);
    assert.deepEqual(envPair({ DIGITS_BINARY_ONLY: "off", DIGITS_PAIR: "4,9" }), [4, 9]);
    assert.throws(() => envPair({ DIGITS_BINARY_ONLY: "digits" }), /DIGITS_BINARY_ONLY=digits: expected 1 or 0/);
  });

  it("parse layer sizes and grids of architectures", () => {
    const layers = (value: string) => envNetwork(join(tmpdir(), "digits-no-records"), { fingerprint: "0".repeat(16), pair: [0, 1] }, false, { DIGITS_LAYERS: value }).hidden;
    assert.deepEqual(layers("64,32"), [64, 32]);
    assert.deepEqual(layers("logistic"), []);
    assert.deepEqual(envGrid("G", [[1]], { G: "logistic;25,15 64-32" }), [[], [25, 15], [64, 32]]);
    assert.throws(() => layers("25,,x"), /^InputError: DIGITS_LAYERS: layer spec "25,,x"/);
  });

  it("resolve relative paths from the project root, since notebooks run in notebooks/", () => {
    assert.equal(envPath("D", "models/m", {}), join(projectRoot(), "models", "m"));
    assert.equal(envPath("D", "models/m", { D: "/tmp/x" }), "/tmp/x");
    assert.equal(projectRelative(join(projectRoot(), "models", "m")), "models/m");
    assert.equal(projectRelative("/elsewhere/m"), "/elsewhere/m");
  });
});

describe("envPair", () => {
  it("reads DIGITS_PAIR=A,B in order, 0,1 when unset", () => {
    assert.deepEqual(envPair({}), [0, 1]);
    assert.deepEqual(envPair({ DIGITS_PAIR: "4,9" }), [4, 9]);
    assert.deepEqual(envPair({ DIGITS_PAIR: " 9,4 " }), [9, 4]);
    assert.deepEqual(envPair({ DIGITS_PAIR: "0,1", DIGITS_BINARY_ONLY: "1" }), [0, 1]);
  });

  it("rejects a malformed pair, and DIGITS_BINARY_ONLY beside another pair, naming the variables", () => {
    assert.throws(() => envPair({ DIGITS_PAIR: "4" }), /^InputError: DIGITS_PAIR "4": expected two digits/);
    assert.throws(() => envPair({ DIGITS_PAIR: "4,4" }), /DIGITS_PAIR "4,4": the two digits must differ/);
    assert.throws(() => envPair({ DIGITS_PAIR: "4,9", DIGITS_BINARY_ONLY: "1" }), /DIGITS_BINARY_ONLY=1 means DIGITS_PAIR=0,1 but DIGITS_PAIR=4,9/);
  });
});

describe("comma lists for the selection grid", () => {
  it("reads learning rates and activations, or the fallback when unset", () => {
    assert.deepEqual(envNumbers("R", [0.001], { R: "0.001, 3e-3" }), [0.001, 0.003]);
    assert.deepEqual(envNumbers("R", [0.001], {}), [0.001]);
    assert.deepEqual(envActivations("A", ["sigmoid"], { A: "relu,tanh" }), ["relu", "tanh"]);
    assert.deepEqual(envActivations("A", ["sigmoid"], { A: " " }), ["sigmoid"]);
  });

  it("names the variable and the bad item", () => {
    assert.throws(() => envNumbers("R", [], { R: "0.001,,0.1" }), /R=0.001,,0.1: "" is not a number/);
    assert.throws(() => envNumbers("R", [], { R: "fast" }), /R=fast: "fast" is not a number/);
    assert.throws(() => envActivations("A", [], { A: "relu,softmax" }), /A=relu,softmax: "softmax" is not an activation/);
  });
});

describe("envNetwork", () => {
  const target = { fingerprint: "f0f0f0f0f0f0f0f0", pair: [0, 1] as const };
  function record(id: string, startedAt: string, hidden: number[], name: string, data: Record<string, unknown> = { fingerprint: target.fingerprint, rows: 10, source: "data/train.csv" }): ExperimentRecord {
    return {
      schema: "binary-digits/experiment",
      id,
      startedAt,
      config: { folds: 5, epochs: 20 },
      data,
      summary: [],
      winner: { architecture: name, hidden },
    } as unknown as ExperimentRecord;
  }

  it("falls back to the reference network without records, saying so", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-choice-"));
    try {
      const choice = envNetwork(dir, target, false, {});
      assert.deepEqual(choice.hidden, [25, 15]);
      assert.equal(choice.source, `25-15, the reference network: no model-selection record in ${dir} matches this data and pair (run notebook 02 on this data first to choose by evidence)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the winner of the latest record of the same data, naming it and the newer record it skipped", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-choice-"));
    try {
      saveExperiment(record("b", "2026-01-02T10:20:30.000Z", [8], "8"), dir);
      saveExperiment(record("a", "2026-01-01T00:00:00.000Z", [64, 32], "64-32"), dir);
      saveExperiment(record("c", "2026-01-03T00:00:00.000Z", [16, 8], "16-8", { fingerprint: "0123456789abcdef", rows: 7, source: "other.csv" }), dir);
      const choice = envNetwork(dir, target, false, {});
      assert.deepEqual(choice.hidden, [8]);
      assert.equal(
        choice.source,
        `8, the winner of selection record b of 2026-01-02 10:20 UTC in ${dir} ` +
          `(skipped 1 other file: c.json: other data: 7 rows of other.csv, fingerprint 0123456789abcdef (the training data has f0f0f0f0f0f0f0f0))`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("skips a record whose winner's settings are not ones we train (a learning rate holding markup), naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-choice-"));
    try {
      const r = record("a", "2026-01-01T00:00:00.000Z", [8], "8");
      r.schemaVersion = 2;
      Object.assign(r.winner, { activation: "sigmoid", learningRate: "0.001<img src=x onerror=alert(1)>" });
      saveExperiment(r, dir);
      const choice = envNetwork(dir, target, false, {});
      assert.deepEqual([choice.hidden, choice.learningRate], [[25, 15], 0.001]);
      assert.match(choice.source, /a\.json: corrupt: its winner's learning rate is not a number > 0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the winner's activation and learning rate too; DIGITS_LEARNING_RATE overrides the rate", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-choice-"));
    try {
      const r = record("a", "2026-01-01T00:00:00.000Z", [8], "8 relu lr 0.01");
      r.schemaVersion = 2;
      Object.assign(r.winner, { activation: "relu", learningRate: 0.01 });
      saveExperiment(r, dir);
      const choice = envNetwork(dir, target, false, {});
      assert.deepEqual([choice.hidden, choice.activation, choice.learningRate], [[8], "relu", 0.01]);
      assert.match(choice.source, /^8 relu lr 0\.01, the winner of selection record a /);
      assert.equal(envNetwork(dir, target, false, { DIGITS_LEARNING_RATE: "0.002" }).learningRate, 0.002);
      // Without a record: the reference's sigmoid and 0.001.
      const fallback = envNetwork("/nonexistent", target, false, {});
      assert.deepEqual([fallback.activation, fallback.learningRate], ["sigmoid", 0.001]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets DIGITS_ACTIVATION override the winner's and the reference's activation, and refuses a list or an unknown one", () => {
    const choice = envNetwork("/nonexistent", target, false, { DIGITS_LAYERS: "8", DIGITS_ACTIVATION: "relu", DIGITS_LEARNING_RATE: "0.003" });
    assert.deepEqual([choice.hidden, choice.activation, choice.learningRate], [[8], "relu", 0.003]);
    assert.equal(envNetwork("/nonexistent", target, false, { DIGITS_ACTIVATION: "tanh" }).activation, "tanh");
    assert.throws(() => envNetwork("/nonexistent", target, false, { DIGITS_ACTIVATION: "relu,tanh" }), /DIGITS_ACTIVATION=relu,tanh: expected one activation/);
    assert.throws(() => envNetwork("/nonexistent", target, false, { DIGITS_ACTIVATION: "swish" }), /"swish" is not an activation/);
  });

  it("lets DIGITS_LAYERS override the records", () => {
    const choice = envNetwork("/nonexistent", target, false, { DIGITS_LAYERS: "16,8" });
    assert.deepEqual(choice.hidden, [16, 8]);
    assert.equal(choice.source, "16-8, set by DIGITS_LAYERS=16,8");
  });

  it("saves to models/[A-B/][quick-]<layers>, the folder digits train uses for the same network", () => {
    assert.equal(envNetwork("/nonexistent", target, false, {}).modelDir, "models/25-15");
    assert.equal(envNetwork("/nonexistent", target, true, { DIGITS_LAYERS: "16,8" }).modelDir, "models/quick-16-8");
    assert.equal(envNetwork("/nonexistent", { ...target, pair: [4, 9] }, false, { DIGITS_LAYERS: "none" }).modelDir, "models/4-9/logistic");
  });
});

describe("labMode", () => {
  it("shows the report's lab unless DIGITS_LAB is 0, and refuses what is not a yes or no", () => {
    assert.equal(labMode({}), true);
    assert.equal(labMode({ DIGITS_LAB: "1" }), true);
    assert.equal(labMode({ DIGITS_LAB: "0" }), false);
    assert.equal(labMode({ DIGITS_LAB: "off" }), false);
    assert.throws(() => labMode({ DIGITS_LAB: "maybe" }), /DIGITS_LAB=maybe: expected 1 or 0/);
  });
});

describe("the notebooks' parameters, checked before any work", () => {
  const readers = { "01-exploratory-analysis": explorationParameters, "02-model-selection": selectionParameters, "03-training-and-evaluation": trainingParameters };

  it("each notebook's parameters cell reads its parameters through its reader, the one checkReportParameters calls", () => {
    for (const [notebook, reader] of Object.entries(readers)) {
      const cells = (JSON.parse(readFileSync(join(projectRoot(), "notebooks", `${notebook}.ipynb`), "utf8")) as { cells: { id: string; cell_type: string; source: string[] }[] }).cells;
      const first = cells.find((c) => c.cell_type === "code")!;
      assert.equal(first.id, "parameters-environment-variables");
      assert.match(first.source.join(""), new RegExp(`^} = ${reader.name}\\(\\);$`, "m"), notebook);
    }
  });

  it("defaults: the notebooks' settings when nothing is set", () => {
    const selection = selectionParameters({});
    assert.deepEqual([selection.FOLDS, selection.REPEATS, selection.EPOCHS, selection.BATCH_SIZE, selection.SEED, selection.LEARNING_RATES], [5, 1, 20, 32, 13, [0.001]]);
    assert.deepEqual([selectionParameters({ DIGITS_QUICK: "1" }).FOLDS, trainingParameters({ DIGITS_QUICK: "1" }).EPOCHS], [3, 3]);
    assert.equal(trainingParameters({}).VALIDATION_FRACTION, 0.25);
    assert.equal(explorationParameters({ DIGITS_PAIR: "4,9" }).TRAIN_CSV, "data/4-9/train.csv");
  });

  it("a value out of range names the variable, its value and what it must be, for the notebook and for the report", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DIGITS_VALIDATION_FRACTION: "1.5" }, /^DIGITS_VALIDATION_FRACTION=1\.5: expected a number above 0 and below 1$/],
      [{ DIGITS_VALIDATION_FRACTION: "0" }, /^DIGITS_VALIDATION_FRACTION=0: expected a number above 0 and below 1$/],
      [{ DIGITS_FOLDS: "1" }, /^DIGITS_FOLDS=1: expected an integer of at least 2$/],
      [{ DIGITS_EPOCHS: "0" }, /^DIGITS_EPOCHS=0: expected an integer of at least 1$/],
      [{ DIGITS_SEED: "-1" }, /^DIGITS_SEED=-1: expected an integer from 0 to 4294967295$/],
      [{ DIGITS_LEARNING_RATES: "0.001,0" }, /^DIGITS_LEARNING_RATES=0\.001,0: 0 is not a number above 0$/],
      [{ DIGITS_LEARNING_RATE: "Infinity" }, /^DIGITS_LEARNING_RATE=Infinity: expected a number above 0$/],
      [{ DIGITS_THREADS: "0" }, /^DIGITS_THREADS=0: expected an integer of at least 1$/],
      [{ DIGITS_RACE_CONFIDENCE: "1.5" }, /^DIGITS_RACE_CONFIDENCE=1\.5: expected a number above 0 and below 1$/],
      [{ DIGITS_RACE_MIN_FOLDS: "1" }, /^DIGITS_RACE_MIN_FOLDS=1: expected an integer of at least 2$/],
      [{ DIGITS_RACE: "1" }, /^DIGITS_RACE=1 with DIGITS_FOLDS=5 and DIGITS_REPEATS=1: /],
      [{ DIGITS_RACE: "1", DIGITS_REPEATS: "3", DIGITS_RACE_CONFIDENCE: "0.3" }, /^DIGITS_RACE=1 with DIGITS_FOLDS=5 and DIGITS_REPEATS=3: the race's confidence must be/],
      [{ DIGITS_LAB: "maybe" }, /^DIGITS_LAB=maybe: expected 1 or 0/],
      [{ DIGITS_ACTIVATION: "softmax" }, /^DIGITS_ACTIVATION=softmax/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => checkReportParameters(env), (e: unknown) => e instanceof InputError && message.test(e.message), JSON.stringify(env));
    }
    assert.throws(() => trainingParameters({ DIGITS_VALIDATION_FRACTION: "1.5" }), InputError);
    assert.throws(() => selectionParameters({ DIGITS_FOLDS: "1" }), InputError);
    assert.doesNotThrow(() => checkReportParameters({}));
    assert.deepEqual(selectionParameters({ DIGITS_RACE: "1", DIGITS_REPEATS: "3" }).RACE_SETTINGS, { minFolds: 5, confidence: 0.99 });
    assert.equal(selectionParameters({}).RACE_SETTINGS, undefined);
  });

  it("a folder a notebook writes in that cannot take its files names the variable and why, for the notebook and for the report", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "digits-params-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const foreign = join(dir, "app");
    mkdirSync(join(foreign, "src"), { recursive: true });
    writeFileSync(join(foreign, "README.txt"), "not a model");
    const cases: [Record<string, string>, (env: Record<string, string>) => unknown, RegExp][] = [
      [{ DIGITS_PAIRS_DIR: join(file, "pairs") }, explorationParameters, /^DIGITS_PAIRS_DIR=.*a-file\/pairs: .*a-file is a file, where a folder is needed; set DIGITS_PAIRS_DIR to a folder that can be written$/],
      [{ DIGITS_EXPERIMENTS_DIR: join(file, "experiments") }, selectionParameters, /^DIGITS_EXPERIMENTS_DIR=.*: .*a-file is a file, where a folder is needed/],
      [{ DIGITS_MODEL_DIR: file }, trainingParameters, /^DIGITS_MODEL_DIR=.*a-file: .*a-file is a file, where a folder is needed/],
      [{ DIGITS_MODEL_DIR: foreign }, trainingParameters, /^DIGITS_MODEL_DIR=.*app: it holds README\.txt, src\/ and is not a model digits saved/],
    ];
    for (const [env, reader, message] of cases) {
      const named = (e: unknown) => e instanceof InputError && message.test(e.message);
      assert.throws(() => reader(env), named, JSON.stringify(env));
      assert.throws(() => checkReportParameters(env), named, JSON.stringify(env));
    }
    // Folders that do not exist yet, below one that can be written, are fine: the notebooks make them.
    const fresh = { DIGITS_PAIRS_DIR: join(dir, "new", "pairs"), DIGITS_EXPERIMENTS_DIR: join(dir, "new", "experiments"), DIGITS_MODEL_DIR: join(dir, "new", "model") };
    assert.doesNotThrow(() => checkReportParameters(fresh));
    assert.equal(explorationParameters(fresh).PAIRS_DIR, fresh.DIGITS_PAIRS_DIR);
  });
});
