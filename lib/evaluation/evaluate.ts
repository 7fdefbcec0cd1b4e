// Evaluation: a trained network's probabilities and metrics on several named datasets at once
// (train, validation, test), the numbers notebook 03 tabulates and charts.
import type { Dataset } from "../data/dataset";
import { classificationReport, type ClassificationMetrics } from "./metrics";
import type { Network } from "../model/model";
import { predictProbabilities } from "../model/train";

/** One dataset's predictions and scores. */
export interface SetEvaluation {
  dataset: Dataset;
  /** P(digit is 1) for every row. */
  probabilities: Float64Array;
  metrics: ClassificationMetrics;
}

/** Predicts every set with `network` and scores it at `threshold`; keys are kept in order. */
export function evaluateSets<K extends string>(network: Network, sets: Record<K, Dataset>, threshold = 0.5): Record<K, SetEvaluation> {
  const out = {} as Record<K, SetEvaluation>;
  for (const name of Object.keys(sets) as K[]) {
    const dataset = sets[name];
    const probabilities = predictProbabilities(network, dataset);
    out[name] = { dataset, probabilities, metrics: classificationReport(dataset.labels, probabilities, threshold) };
  }
  return out;
}
