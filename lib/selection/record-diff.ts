// Records side by side: each candidate's mean validation log loss across runs (compareExperiments,
// for `digits experiments compare`), and flat rows of run × candidate for a danfo DataFrame (the
// notebooks). Pure functions of records read by the store (experiments.ts).
import type { DataFrame } from "danfojs-node";
import { listExperiments } from "./experiments";
import { type ExperimentRecord } from "./record";

/** Mean validation log loss of each candidate in each record, side by side (null where a record lacks it). */
export interface Comparison {
  /** The records, in the order given. */
  runs: { id: string; startedAt: string; digits: [number, number]; fingerprint: string; rows: number; folds: number; epochs: number; winner: string }[];
  /** One row per candidate, in order of first appearance; logLoss[i] belongs to runs[i]. */
  rows: { candidate: string; parameters: number; logLoss: (number | null)[] }[];
  /** Sentences for records made on other data or another pair than the first one: their numbers do not compare. */
  notes: string[];
}

export function compareExperiments(records: readonly ExperimentRecord[]): Comparison {
  const runs = records.map((r) => ({
    id: r.id,
    startedAt: r.startedAt,
    digits: (r.data.digits ?? [0, 1]) as [number, number],
    fingerprint: r.data.fingerprint,
    rows: r.data.rows,
    folds: r.config.folds,
    epochs: r.config.epochs,
    winner: r.winner.architecture,
  }));
  const rows: Comparison["rows"] = [];
  records.forEach((r, i) => {
    for (const s of r.summary) {
      let row = rows.find((x) => x.candidate === s.architecture);
      if (!row) rows.push((row = { candidate: s.architecture, parameters: s.parameters, logLoss: records.map(() => null) }));
      row.logLoss[i] = Number.isFinite(s.meanLogLoss) ? s.meanLogLoss : null;
    }
  });
  const notes: string[] = [];
  const [first] = runs;
  for (const run of runs.slice(1)) {
    if (run.digits[0] !== first.digits[0] || run.digits[1] !== first.digits[1]) {
      notes.push(`${run.id} is on another pair (${run.digits[0]} against ${run.digits[1]}, not ${first.digits[0]} against ${first.digits[1]}): its scores do not compare with ${first.id}'s`);
    } else if (run.fingerprint !== first.fingerprint) {
      notes.push(`${run.id} is on other data (${run.rows.toLocaleString("en-US")} rows, fingerprint ${run.fingerprint.slice(0, 12)}…, not ${first.fingerprint.slice(0, 12)}…): its scores do not compare with ${first.id}'s`);
    }
  }
  return { runs, rows, notes };
}

/** One row of experimentsDataFrame. */
interface ExperimentRow {
  run: string;
  startedAt: string;
  data: string;
  rows: number;
  folds: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  activation: string;
  seed: number;
  threads: number;
  runSeconds: number;
  /** The candidate's name. */
  candidate: string;
  parameters: number;
  meanAccuracy: number;
  sdAccuracy: number;
  meanPrecision: number;
  meanRecall: number;
  meanF1: number;
  meanLogLoss: number;
  sdLogLoss: number;
  seLogLoss: number;
  meanAuc: number;
  meanSeconds: number;
  /** Folds whose training diverged (0 for records made before this was recorded). */
  divergedFolds: number;
  winner: boolean;
}

/** Flat rows, one per run × candidate, oldest run first: the data behind experimentsDataFrame. */
export function experimentRows(records: readonly ExperimentRecord[]): ExperimentRow[] {
  return records.flatMap((r) =>
    r.summary.map((s) => ({
      run: r.id,
      startedAt: r.startedAt,
      data: r.data.fingerprint,
      rows: r.data.rows,
      folds: r.config.folds,
      epochs: r.config.epochs,
      batchSize: r.config.batchSize,
      learningRate: s.learningRate,
      activation: s.activation,
      seed: r.config.seed,
      threads: r.workers,
      runSeconds: r.seconds,
      candidate: s.architecture,
      parameters: s.parameters,
      meanAccuracy: s.meanAccuracy,
      sdAccuracy: s.sdAccuracy,
      meanPrecision: s.meanPrecision,
      meanRecall: s.meanRecall,
      meanF1: s.meanF1,
      // JSON stores NaN as null; keep numbers numeric for danfo
      meanLogLoss: s.meanLogLoss ?? NaN,
      sdLogLoss: s.sdLogLoss ?? NaN,
      seLogLoss: s.seLogLoss ?? NaN,
      meanAuc: s.meanAuc ?? NaN,
      meanSeconds: s.meanSeconds,
      divergedFolds: s.divergedFolds ?? 0,
      winner: s.architecture === r.winner.architecture,
    })),
  );
}

const EXPERIMENT_COLUMNS: (keyof ExperimentRow)[] = [
  "run", "startedAt", "data", "rows", "folds", "epochs", "batchSize", "learningRate", "activation", "seed", "threads",
  "runSeconds", "candidate", "parameters", "meanAccuracy", "sdAccuracy", "meanPrecision", "meanRecall", "meanF1",
  "meanLogLoss", "sdLogLoss", "seLogLoss", "meanAuc", "meanSeconds", "divergedFolds", "winner",
];

/** Runs side by side as a danfo DataFrame: one row per run × candidate (see ExperimentRow). */
export function experimentsDataFrame(records: readonly ExperimentRecord[] = listExperiments()): DataFrame {
  // Required lazily: danfo loads TensorFlow.js, which selection itself does not need.
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  const rows = experimentRows(records);
  if (rows.length === 0) return new danfo.DataFrame([], { columns: EXPERIMENT_COLUMNS });
  return new danfo.DataFrame(rows.map((row) => EXPERIMENT_COLUMNS.map((c) => row[c])), { columns: EXPERIMENT_COLUMNS });
}
