// `digits evaluate`: scores a saved model on a CSV of its pair; metrics, confusion matrix, predictions.
import * as path from "node:path";
import { loadCsv } from "../lib/data/csv";
import { classCounts, describeDropped } from "../lib/data/dataset";
import { DEFAULT_TEST_CSV } from "../lib/data/default-files";
import { countOf, DEFAULT_PAIR, digitOf, pairDataFiles, pairFolder, samePair } from "../lib/core/pair";
import { textTable } from "../lib/core/format";
import { InputError } from "../lib/core/errors";
import { classificationReport, predictLabels } from "../lib/evaluation/metrics";
import { architectureName, describeArchitecture, REFERENCE_HIDDEN } from "../lib/model/model";
import { loadModel, modelDigits } from "../lib/model/persist";
import { predictProbabilities } from "../lib/model/train";
import { type Command, out, str, pairFlag, outputFile, writeOutput, f4 } from "./common";

export const evaluateCommand: Command = {
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

