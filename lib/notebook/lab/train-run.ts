// One training run of the train panel, as its Web Worker runs it: the notebook's rows rebuilt from
// their bytes, the network trained by the same Trainer as notebook 03 (so the same seed and
// settings give the same weights, to the bit), every epoch reported, then scored on the test rows.
// Platform-neutral: ./train-thread serves it on the one pool's threads, in the page and in Node.
import { evaluateSet } from "../../evaluation/evaluate";
import type { ClassificationMetrics } from "../../evaluation/metrics";
import { modelConfig, type DenseWeights } from "../../model/model";
import { Trainer } from "../../model/train";
import type { TrainSettings } from "./lab-config";
import { datasetFromBytes } from "./rows";

/** Rows as bytes (rows.ts rowBytes): labels, then pixels. */
export interface RowsBytes {
  bytes: Uint8Array;
  rows: number;
  cols: number;
}

/** What every thread of the train panel is given once: the notebook's rows. */
export interface TrainThreadData {
  fit: RowsBytes;
  validation: RowsBytes;
  test: RowsBytes;
  /** A probability above it predicts the pair's second digit. */
  threshold: number;
}

/** What a run reports after each epoch (Keras's names: loss, acc, val_loss, val_acc). */
export interface TrainProgress {
  /** 1-based. */
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  seconds: number;
}

/** A finished run: the weights, and the network scored on the test rows. */
export interface TrainOutcome {
  layers: DenseWeights[];
  test: ClassificationMetrics;
  /** P(second digit) of every test row. */
  probabilities: Float64Array;
  /** Wall time of the epochs, excluding the test. */
  seconds: number;
}

/** Trains `settings`' network on the rows of `data`, reporting each epoch; throws InputError for settings that cannot train. */
export function trainForLab(settings: TrainSettings, data: TrainThreadData, progress: (p: TrainProgress) => void): TrainOutcome {
  const rows = (r: RowsBytes) => datasetFromBytes(r.bytes, r.rows, r.cols);
  const fit = rows(data.fit);
  const test = rows(data.test);
  const trainer = new Trainer(fit, modelConfig(settings.layers, settings.activation, fit.cols), {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    seed: settings.seed,
    validation: rows(data.validation),
  });
  let seconds = 0;
  while (!trainer.done) {
    const logs = trainer.runEpoch();
    seconds += logs.seconds;
    progress({ epoch: trainer.history.epoch.length, loss: logs.loss, acc: logs.acc, valLoss: logs.val_loss!, valAcc: logs.val_acc!, seconds: logs.seconds });
  }
  const network = trainer.network();
  const { probabilities, metrics } = evaluateSet(network, test, data.threshold);
  return { layers: network.layers, test: metrics, probabilities, seconds };
}
