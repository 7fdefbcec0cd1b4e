// `digits evaluate`: scores a saved model on a CSV of its pair; metrics, confusion matrix, predictions.
import * as path from "node:path";
import { loadCsv } from "../lib/data/csv";
import { classCounts, describeDropped, type LoadedDataset } from "../lib/data/dataset";
import { DEFAULT_TEST_CSV } from "../lib/data/default-files";
import { countOf, DEFAULT_PAIR, digitOf, pairDataFiles, samePair, type Pair } from "../lib/core/pair";
import { defaultModelDir } from "../lib/selection/network-choice";
import { textTable, visible } from "../lib/core/format";
import { InputError } from "../lib/core/errors";
import { evaluateSet } from "../lib/evaluation/evaluate";
import { calibration } from "../lib/evaluation/calibration";
import { predictLabels, type ClassificationMetrics } from "../lib/evaluation/metrics";
import { architectureName, describeArchitecture, REFERENCE_HIDDEN } from "../lib/model/model";
import { loadModel, modelPair, readModelRecord, TRAINING_FILE, type TrainingRecord } from "../lib/model/persist";
import { type Command, type Flags, out, str, pairFlag, outputFile, checkOutput, writeOutput, f4 } from "./common";

export const evaluateCommand: Command = {
  summary: "score a saved model on a CSV (accuracy, precision, recall, F1, log loss, AUC)",
  usage: `Usage: digits evaluate [--model DIR] [--data FILE] [--digits A,B] [--predictions FILE.csv]
                       [--json]

Prints accuracy, precision, recall, F1, log loss, ROC AUC and the confusion matrix (rows = true
class, columns = predicted; threshold 0.5, positive when probability > 0.5). The model knows its
pair of digits A,B (training.json): the second digit is the positive class, rows of other
digits in the CSV are dropped. A model folder without training.json needs --digits A,B.

Options:
  --model DIR               a folder written by digits train (default: models/${REFERENCE_HIDDEN.join("-")}, or
                            models/A-B/${REFERENCE_HIDDEN.join("-")} with --digits A,B)
  --data FILE               CSV to score (default: ${DEFAULT_TEST_CSV}, or data/A-B/test.csv for a model
                            of the pair A,B; built on first use)
  --digits A,B              the model's pair, as a check: a different pair is an error
                            (required for a model without training.json)
  --binary-only             the same as --digits 0,1
  --predictions FILE.csv    also write index,label,probability,prediction for every row kept:
                            index is the row's 0-based position among the CSV's data rows,
                            label and prediction are digits, probability is P(B)
  --json                    print one JSON object {digits, accuracy, precision, recall, f1,
                            logLoss, auc, confusionMatrix, ece, calibration} on stdout, nothing
                            else; the matrix's rows and columns are in the order A, B;
                            calibration is {bins: [{lower, upper, count, meanProbability,
                            fractionPositive}]}: 10 equal-width bins of P(B), [0, 0.1) to
                            [0.9, 1.0] (means null when empty), and ece the sum over non-empty
                            bins of count / rows * |fractionPositive - meanProbability|
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
    const predictionsFile = outputFile(flags, "predictions", [typeof flags.data === "string" ? flags.data : undefined]);
    const { dir, network, record, pair, data, dataset } = await modelAndData(flags, "evaluate");
    // The default data file is known once the model says its pair.
    if (predictionsFile) checkOutput("predictions", predictionsFile, { inputs: [data] });
    const { probabilities, metrics } = evaluateSet(network, dataset);
    if (predictionsFile) writeOutput(predictionsFile, predictionsCsv(dataset, probabilities));
    const { accuracy, precision, recall, f1, logLoss, auc, confusionMatrix } = metrics;
    if (flags.json) {
      const { ece, bins } = calibration(dataset.labels, probabilities);
      out(JSON.stringify({ digits: [...pair], accuracy, precision, recall, f1, logLoss, auc, confusionMatrix, ece, calibration: { bins } }));
      return;
    }
    printReport(`${architectureName(network.config.hidden)} (${describeArchitecture(network.config)}) from ${visible(dir)}`, data, dataset, metrics);
    if (predictionsFile) out(`\npredictions: ${visible(predictionsFile)}`);
  },
};

/**
 * The model of --model (default: the reference network's folder of the pair) and the CSV of --data
 * (default: the pair's test file) with the model's pair's rows, checked to fit each other. Its
 * pair and the data are checked before the model is loaded, which starts TensorFlow.js.
 * Shared by `evaluate` and `explain`.
 */
export async function modelAndData(flags: Flags, command: "evaluate" | "explain") {
  const asked = pairFlag(flags);
  const dir = str(flags, "model", defaultModelDir(REFERENCE_HIDDEN, asked ?? DEFAULT_PAIR));
  const record = readModelRecord(dir);
  const pair = evaluatedPair(dir, record, asked, command);
  const data = str(flags, "data", pairDataFiles(pair).test);
  const dataset = loadCsv(data, { pair: pair });
  const { network } = await loadModel(dir);
  if (network.config.inputSize !== dataset.cols) {
    throw new InputError(`${data} has ${dataset.cols} pixels per row but the model in ${dir} expects ${network.config.inputSize}`);
  }
  return { dir, network, record, pair, data, dataset };
}

/**
 * The pair to score on: the model's own (its training.json), which --digits may only confirm; a
 * model without training.json does not say, so --digits must.
 */
function evaluatedPair(dir: string, record: TrainingRecord | null, asked: Pair | undefined, command: "evaluate" | "explain"): Pair {
  const recorded = modelPair(record, path.join(dir, TRAINING_FILE));
  if (!recorded) {
    if (asked) return asked;
    throw new InputError(
      `${dir}: no ${TRAINING_FILE}, so the digits this model tells apart are unknown; give them with --digits A,B ` +
        `(A the negative class, B the positive one, whose probability the model outputs; e.g. --digits 0,1)`,
    );
  }
  if (asked && !samePair(asked, recorded)) {
    throw new InputError(
      `--digits ${asked.join(",")}: the model in ${dir} tells ${recorded[0]} from ${recorded[1]} (its ${TRAINING_FILE}); ` +
        `${command} it with --digits ${recorded.join(",")} (or without --digits), or train a model on ${asked.join(",")} with \`digits train --digits ${asked.join(",")}\``,
    );
  }
  return recorded;
}

/** index,label,probability,prediction for every row kept: index is the row's place among the file's data rows; labels are digits. */
function predictionsCsv(dataset: LoadedDataset, probabilities: Float64Array): string {
  const predictions = predictLabels(probabilities);
  const lines = ["index,label,probability,prediction"];
  for (let i = 0; i < dataset.rows; i++) {
    lines.push(`${dataset.rowIndex[i]},${digitOf(dataset.pair, dataset.labels[i])},${probabilities[i]},${digitOf(dataset.pair, predictions[i])}`);
  }
  return lines.join("\n") + "\n";
}

/** The metrics and the confusion matrix as text tables, under a line saying what was scored on what. */
function printReport(model: string, data: string, dataset: LoadedDataset, metrics: ClassificationMetrics): void {
  const [a, b] = dataset.pair;
  const [countA, countB] = classCounts(dataset.labels);
  const { accuracy, precision, recall, f1, logLoss, auc, confusionMatrix } = metrics;
  const [[tn, fp], [fn, tp]] = confusionMatrix;
  out(`${model}, ${a} against ${b} (positive class ${b}), on ${dataset.rows.toLocaleString("en-US")} rows of ${visible(data)} (${countOf(countA, a)}, ${countOf(countB, b)})`);
  if (dataset.dropped.length > 0) out(`${visible(data)}: ${describeDropped(dataset.dropped)}`);
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
}
