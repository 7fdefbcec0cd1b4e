// What a selection leaves behind: each fold's scores, each candidate's summary, the winner, and
// the record that holds them with where, when and on what they were computed.
import { type ClassificationMetrics } from "../evaluation/metrics";
import { type Activation } from "../model/model";
import { SelectionConfig } from "./config";

/**
 * One training run: a candidate trained on k-1 folds and scored on the held-out fold. The
 * metrics are classificationReport's on the validation fold (its row count is validationRows);
 * logLoss, the mean binary cross-entropy, is what the winner is chosen by.
 */
export interface FoldResult extends Omit<ClassificationMetrics, "count"> {
  /** The candidate's name: architectureName(hidden) ("25-15", "logistic"), plus its activation and learning rate where the grid varies them. */
  architecture: string;
  hidden: number[];
  activation: Activation;
  learningRate: number;
  /** 0-based index of the validation fold. */
  fold: number;
  /** Which cut of the folds (repeated k-fold, --repeats); absent for repeat 0. */
  repeat?: number;
  /** Training seed, derived from (config seed, hidden sizes, fold): independent of scheduling. */
  seed: number;
  parameters: number;
  trainRows: number;
  validationRows: number;
  /** Wall time of the training (data preparation and epochs), excluding validation; for a reused fold, that of the run that trained it. */
  seconds: number;
  /** Its fold-cache key (lib/selection/fold-key), in records: what `digits experiments prune` keeps. */
  key?: string;
  /** Training loss and accuracy after each epoch (up to the one that diverged, if one did). */
  history: { loss: number[]; acc: number[] };
  /**
   * Present when training diverged (see hasDiverged in lib/model/train): the 1-based epoch it stopped at
   * and that epoch's mean training loss. Such a fold is not scored: its metrics are NaN (null in
   * JSON) and its confusion matrix all zeros.
   */
  diverged?: { epoch: number; loss: number };
}

/** What the one-SE rule needs to know about a candidate. */
export interface OneSeCandidate {
  /** The candidate's name (the JSON field keeps its first name, from when candidates were layer sizes alone). */
  architecture: string;
  parameters: number;
  meanLogLoss: number;
  /** Standard error of the mean log loss over folds: sd / sqrt(folds), or the corrected one with repeats (Winner.standardError). */
  seLogLoss: number;
  /** Folds whose training diverged; a candidate with any is never chosen. Absent counts as 0. */
  divergedFolds?: number;
}

/** Per-candidate means and sample standard deviations over the folds. */
export interface CandidateSummary extends OneSeCandidate {
  hidden: number[];
  activation: Activation;
  learningRate: number;
  folds: number;
  /** Folds whose training diverged (0 when all trained): such a candidate cannot win. */
  divergedFolds: number;
  meanAccuracy: number;
  sdAccuracy: number;
  meanPrecision: number;
  sdPrecision: number;
  meanRecall: number;
  sdRecall: number;
  meanF1: number;
  sdF1: number;
  sdLogLoss: number;
  meanAuc: number;
  sdAuc: number;
  meanSeconds: number;
  sdSeconds: number;
  /**
   * In raced records only (config.race): where the race stopped the candidate, or null when it ran
   * every fold. Its scores are then over its first afterFolds folds alone.
   */
  stopped?: RaceStop | null;
}

/** Where a race stopped a candidate (./race): after how many folds, and how sure it was that it is worse than which. */
export interface RaceStop {
  /** Folds it had (rounds of the race): its summary, comparisons and the record's folds hold these alone. */
  afterFolds: number;
  /** The Bayesian correlated t-test's probability that it is practically worse on log loss than `against`, over those folds. */
  pWorse: number;
  /** The candidate that was best (lowest mean log loss) among those still running then. */
  against: string;
}

/** Outcome of the one-SE rule on a summary table. */
export interface OneSeChoice {
  /** The chosen candidate's name: the smallest within one standard error of the best. */
  winner: string;
  /** The name of the candidate with the lowest mean log loss. */
  best: string;
  /** best.meanLogLoss + best.seLogLoss: candidates at or below it are "as good as the best". */
  threshold: number;
  /** Candidates within the threshold, smallest first. */
  withinOneSe: string[];
  /** A sentence saying why the winner was chosen. */
  reason: string;
}

/** How the winner was chosen (--rule): the one-SE rule, or the smallest candidate not practically worse on accuracy. */
export type SelectionRule = "one-se" | "equivalent";
export const SELECTION_RULES: readonly SelectionRule[] = ["one-se", "equivalent"];

export interface Winner extends OneSeChoice {
  /** Same as `winner`: the candidate's name (the JSON field keeps its first name). */
  architecture: string;
  hidden: number[];
  activation: Activation;
  learningRate: number;
  parameters: number;
  meanLogLoss: number;
  seLogLoss: number;
  /** The rule that chose it (records before it: the one-SE rule). */
  rule?: SelectionRule;
  /**
   * Which standard error seLogLoss is: sd/√k for one cut of the folds; "corrected",
   * √((1/J + 1/(k − 1))·s²), with repeats (records before it: sd/√k).
   */
  standardError?: "sd/sqrt(k)" | "corrected";
}

/**
 * A record's settings: the selection's, and how its candidates were compared and its winner chosen,
 * which change the outcome too. Optional: records written before them lack them (their rule is the
 * winner's, or the one-SE rule; their ROPE is that of their comparisons, if any).
 */
export interface RecordConfig extends SelectionConfig {
  /** Half-widths of the regions of practical equivalence of the candidate tests (--rope). */
  rope?: Record<ComparisonMetric, number>;
  /** How the winner was chosen (--rule). */
  rule?: SelectionRule;
}

/** One selection run as stored in reports/experiments/<id>.json. */
export interface ExperimentRecord {
  schema: "binary-digits/experiment";
  /** 2 added the activations and learning rates to the grid; version 1 records are read as version 2 (listExperiments). */
  schemaVersion: 2;
  kind: "model-selection";
  /** Also the file name (without .json); sorts by start time. */
  id: string;
  /** ISO 8601 times and the wall time between them. */
  startedAt: string;
  finishedAt: string;
  seconds: number;
  config: RecordConfig;
  /** Threads the folds trained on (the JSON field keeps its first name; the CLI's --threads; 1 = in process, 0 = every fold came from the cache); changes no number below but seconds. */
  workers: number;
  /** How many fold runs the cache gave and how many this run trained (reused + trained = folds). */
  cache: CacheCounts;
  data: {
    /** Path of the CSV (relative to the project root when inside it), null for in-memory data. */
    source: string | null;
    /** datasetFingerprint of the rows. */
    fingerprint: string;
    rows: number;
    cols: number;
    /** Rows per label: [A, B] ([zeros, ones] for the default pair). */
    counts: [number, number];
    /** The pair [A, B] the labels stand for (records written before pairs lack it: [0, 1]). */
    digits: [number, number];
  };
  versions: { node: string; tfjs: string; binaryDigits: string; simpleStatistics: string; assemblyscript: string };
  /** What trained the networks. */
  backend: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string };
  /** In grid order, then fold order. */
  folds: FoldResult[];
  /** In grid order. */
  summary: CandidateSummary[];
  winner: Winner;
  /**
   * Every candidate against the best (lowest mean log loss) on accuracy and log loss: the corrected
   * resampled t-test and the Bayesian correlated t-test (candidate-tests.ts). Absent in older records.
   */
  comparisons?: CandidateComparison[];
  /** Runs through a queue (--queue): where the folds went and who trained them. */
  queue?: QueueInfo;
  /** A reader's note on the run (`digits select --note`, `digits experiments note`). */
  note?: string;
  /** Labels to find runs by (`--tag`, `digits experiments tag`), sorted, each once. */
  tags?: string[];
}

export type ComparisonMetric = "accuracy" | "logLoss";

/** One candidate against the best, on one metric. Differences are candidate − best, in the metric's units. */
export interface CandidateComparison {
  metric: ComparisonMetric;
  candidate: string;
  against: string;
  /** J = k·R paired fold scores. */
  folds: number;
  meanDifference: number | null;
  /** Corrected resampled t statistic, its degrees of freedom (J − 1) and two-sided p-value. */
  t: number | null;
  df: number;
  pValue: number | null;
  /** ε of the region of practical equivalence [−ε, ε]. */
  rope: number;
  /** Posterior probabilities that the candidate is better (higher accuracy, lower log loss), within ±ε, or worse. */
  pBetter: number | null;
  pEquivalent: number | null;
  pWorse: number | null;
  /** Why the numbers above are null, when they are. */
  note?: string;
}

/** Where a selection's fold results came from: the cache, or trained in this run. */
export interface CacheCounts {
  reused: number;
  trained: number;
  /** Of the trained, how many ran on workers through a queue (--queue); absent in a local run. */
  remote?: number;
  /**
   * A race on threads: folds trained ahead of the round whose decision stopped their candidate,
   * so left out of the record (the fold cache has them); absent when none was. Depends on timing.
   */
  pastStops?: number;
}

/** What a selection run through the Redis queue adds to its record (see queue/). */
export interface QueueInfo {
  /** The Redis URL without its password. */
  url: string;
  /** Fold results that came through the queue (trained by workers, or already finished there). */
  remote: number;
  /** Of those, results already finished in Redis before this run (checked, taken without training). */
  reused: number;
  /** Results in Redis that failed their check: dropped and trained again. */
  dropped: number;
  /** Workers that trained them ("host:pid", "host:pid/thread"), sorted. */
  workers: string[];
  /** Jobs taken back from a worker that stopped mid-fold and run again (BullMQ's stalled jobs). */
  retried: number;
}
