// `digits train`: trains one network (or the winner of a matching selection record) and saves it.
import * as path from "node:path";
import { loadCsv } from "../lib/data/csv";
import { classCounts, describeDropped, type LoadedDataset } from "../lib/data/dataset";
import { datasetFingerprint } from "../lib/data/fingerprint";
import { countOf, DEFAULT_PAIR, samePair } from "../lib/core/pair";
import { describeRecord, describeSkipped, type WinnerLookup } from "../lib/selection/latest-winner";
import { chooseNetwork } from "../lib/selection/network-choice";
import { InputError } from "../lib/core/errors";
import { formatDuration, visible } from "../lib/core/format";
import { ACTIVATIONS, architectureName, describeArchitecture, modelConfig, parameterCount, REFERENCE_ACTIVATION, REFERENCE_HIDDEN } from "../lib/model/model";
import { checkTrainingMemory } from "../lib/model/memory";
import { MODEL_FILES, saveTrained } from "../lib/model/persist";
import { parseLayers } from "../lib/selection/config";
import { DEFAULT_TRAIN_CONFIG, train } from "../lib/model/train";
import { type Command, out, err, trainingFlags, f4, TRAINING_OPTIONS, dataFlagsHelp, checkOutput } from "./common";

export const trainCommand: Command = {
  summary: "train one network and save it (TensorFlow.js layers format)",
  usage: `Usage: digits train [--data FILE] [--digits A,B] [--layers SIZES] [--epochs N]
                    [--batch-size N] [--learning-rate X] [--activation NAME] [--seed N]
                    [--model DIR] [--records DIR] [--quiet]

Trains a Dense network with Adam on binary cross-entropy, printing each epoch, and saves it to
DIR as model.json + weights.bin (loadable with tf.loadLayersModel) and training.json (config,
pair of digits, data fingerprint, loss history).

Options:
${dataFlagsHelp(23)}
  --layers SIZES       hidden layer sizes, e.g. 25,15; "none" is logistic regression;
                       "winner" takes the winner of the latest record in --records made on
                       the same data and pair (no such record: an error saying so)
                       (default: ${REFERENCE_HIDDEN.join(",")})
  --epochs N           default ${DEFAULT_TRAIN_CONFIG.epochs}
  --batch-size N       default ${DEFAULT_TRAIN_CONFIG.batchSize}
  --learning-rate X    Adam's learning rate (default ${DEFAULT_TRAIN_CONFIG.learningRate}, or the winner's)
  --activation NAME    ${ACTIVATIONS.join(", ")} (default ${REFERENCE_ACTIVATION}, or the winner's)
  --seed N             weights and shuffling (default ${DEFAULT_TRAIN_CONFIG.seed})
  --model DIR          where to save (default: models/<layers>, e.g. models/25-15; for a pair
                       other than 0,1 models/A-B/<layers>; notebook 03 saves there too)
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
    const { data, pair: pair, records, activation, ...options } = trainingFlags(flags, { ...DEFAULT_TRAIN_CONFIG, activation: REFERENCE_ACTIVATION });
    const winner = flags.layers === "winner";
    const layers = typeof flags.layers === "string" ? (winner ? "winner" : parseLayers(flags.layers)) : undefined;
    // saveModel refuses a folder that is not its own too, but only after training: say it before.
    const checkModelDir = (dir: string) => checkOutput("model", dir, { files: MODEL_FILES, inputs: [data], model: true });
    // The default folder is named after the layers, known before loading only when they are.
    const early = typeof flags.model === "string" ? checkModelDir(flags.model) : undefined;
    const dataset = loadCsv(data, { pair: pair });
    const quiet = flags.quiet === true;
    const target = { fingerprint: datasetFingerprint(dataset), pair: dataset.pair };
    const choice = chooseNetwork({
      layers,
      layersFrom: `--layers ${flags.layers}`,
      activation: flags.activation === undefined ? undefined : activation,
      learningRate: flags["learning-rate"] === undefined ? undefined : options.learningRate,
      records,
      target,
    });
    if (choice.lookup) reportWinner(choice.lookup, { records, data, dataset });
    const { hidden } = choice;
    const model = modelConfig(hidden, choice.activation);
    const dir = early ?? checkModelDir(path.resolve(choice.modelDir));
    if (dataset.cols !== model.inputSize) model.inputSize = dataset.cols;
    // train() checks this too; here it comes before the header, so a refusal is one line.
    checkTrainingMemory(model, dataset);
    const [a, b] = dataset.pair;
    const [countA, countB] = classCounts(dataset.labels);
    if (!quiet) {
      err(
        `training ${describeArchitecture(model)} (${parameterCount(model).toLocaleString("en-US")} parameters, ${model.activation}) on ${dataset.rows.toLocaleString("en-US")} rows of ${visible(data)} ` +
          `(${countOf(countA, a)}, ${countOf(countB, b)})`,
      );
      if (dataset.dropped.length > 0) err(describeDropped(dataset.dropped));
    }
    const result = await train(dataset, model, {
      ...options,
      learningRate: choice.learningRate,
      callbacks: {
        onEpochEnd: (epoch, logs) => {
          if (!quiet) err(`epoch ${String(epoch + 1).padStart(String(options.epochs).length)}/${options.epochs}  loss ${f4(logs.loss)}  accuracy ${f4(logs.acc)}  ${logs.seconds.toFixed(2)} s`);
        },
      },
    });
    const saved = await saveTrained(dir, result, dataset, data);
    const h = result.history.history;
    out(`saved ${architectureName(hidden)} (${a} against ${b}) to ${visible(saved)} (final training loss ${f4(h.loss[h.loss.length - 1])}, accuracy ${f4(h.acc[h.acc.length - 1])}, ${formatDuration(result.seconds)})`);
  },
};

/**
 * Says on stderr which record `--layers winner` took, and the files it skipped; no matching
 * record is an InputError saying how to make one.
 */
function reportWinner(lookup: WinnerLookup, run: { records: string; data: string; dataset: LoadedDataset }): void {
  const { records, data, dataset } = run;
  const skipped = describeSkipped(lookup.skipped);
  if (!lookup.record) {
    const pairFlagText = samePair(dataset.pair, DEFAULT_PAIR) ? "" : ` --digits ${dataset.pair.join(",")}`;
    throw new InputError(
      `--layers winner: no selection record in ${records} was made on this data (${dataset.rows.toLocaleString("en-US")} rows of ${data}, ` +
        `${dataset.pair[0]} against ${dataset.pair[1]}, fingerprint ${datasetFingerprint(dataset)}); run \`digits select --data ${data}${pairFlagText}\` first ` +
        `(or give --records the folder it wrote to, or name the layers)${skipped.length > 0 ? `; skipped ${skipped.join("; ")}` : ""}`,
    );
  }
  const w = lookup.record.winner;
  // The winner trains with the activation and learning rate it was selected with, unless given.
  err(`--layers winner: ${visible(w.architecture)} (${w.hidden.length > 0 ? `${w.activation}, ` : ""}learning rate ${w.learningRate}), from selection ${visible(describeRecord(lookup.record))} (${visible(path.join(records, lookup.file!))})`);
  for (const line of skipped) err(`  skipped ${visible(line)}`);
}
