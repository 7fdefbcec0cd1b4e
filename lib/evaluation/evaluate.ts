// Evaluation: a trained network's probabilities and metrics on a dataset — the one way to score a
// model on a set, for `digits evaluate` — or on several named ones at once (train, validation,
// test), the numbers notebook 03 tabulates and charts.
import type { Dataset } from "../data/dataset";
import { classificationReport, type ClassificationMetrics } from "./metrics";
import type { Network } from "../model/model";
import { predictProbabilities } from "../model/train";

/** One dataset's predictions and scores. */
export interface SetEvaluation {
  dataset: Dataset;
  /** P(label 1), the pair's second digit, for every row. */
  probabilities: Float64Array;
  metrics: ClassificationMetrics;
}

/** Predicts `dataset` with `network` and scores it at `threshold` (positive when probability > threshold). */
export function evaluateSet(network: Network, dataset: Dataset, threshold = 0.5): SetEvaluation {
  const probabilities = predictProbabilities(network, dataset);
  return { dataset, probabilities, metrics: classificationReport(dataset.labels, probabilities, threshold) };
}

/** evaluateSet for every set; keys are kept in order. */
export function evaluateSets<K extends string>(network: Network, sets: Record<K, Dataset>, threshold = 0.5): Record<K, SetEvaluation> {
  const out = {} as Record<K, SetEvaluation>;
  for (const name of Object.keys(sets) as K[]) out[name] = evaluateSet(network, sets[name], threshold);
  return out;
}
