// `digits train`: trains one network (or the winner of a matching selection record) and saves it.
import * as fs from "node:fs";
import * as path from "node:path";
import { loadCsv } from "../lib/data/csv";
import { classCounts, datasetFingerprint, describeDropped } from "../lib/data/dataset";
import { DEFAULT_TRAIN_CSV } from "../lib/data/default-files";
import { countOf, DEFAULT_PAIR, pairFolder, samePair } from "../lib/core/pair";
import { describeRecord, describeSkipped, findWinner } from "../lib/selection/latest-winner";
import { InputError } from "../lib/core/errors";
import { ACTIVATIONS, architectureName, describeArchitecture, modelConfig, parameterCount, REFERENCE_HIDDEN } from "../lib/model/model";
import { checkTrainingMemory } from "../lib/model/memory";
import { MODEL_FILE, saveTrained } from "../lib/model/persist";
import { parseLayers } from "../lib/selection/config";
import { DEFAULT_TRAIN_CONFIG, train } from "../lib/model/train";
import { type Command, out, err, trainingFlags, f4, TRAINING_OPTIONS } from "./common";

export const trainCommand: Command = {
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
    // train() checks this too; here it comes before the header, so a refusal is one line.
    checkTrainingMemory(model, dataset);
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

