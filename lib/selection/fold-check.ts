// What a fold result read back from outside (a fold-cache file, a Redis job result) must prove
// before a selection uses it: that it is the result stored (a checksum over it and its key), and
// that it is a result of this fold at all (candidate and fold match the key, metrics finite and in
// range and equal to what its confusion matrix gives, the matrix counts the fold's rows). Both the
// fold cache and the queue coordinator ask here, so the two boundaries apply one rule.
import { createHash } from "node:crypto";
import { matrixMetrics, type ConfusionMatrix } from "../evaluation/metrics";
import type { Fold } from "../data/split";
import { modelConfig, parameterCount, type Activation } from "../model/model";
import { foldSeed, repeatSeed } from "./config";
import type { FoldInputs } from "./fold-key";

/** What the selection knows of a fold before reading its result. */
export interface ExpectedFold {
  inputs: FoldInputs;
  trainRows: number;
  validationRows: number;
  /** The candidate's parameter count (the one-SE rule prefers the smallest) and the fold's training seed. */
  parameters: number;
  seed: number;
}

/** SHA-256 over a result as stored (JSON, so NaN is null) and the key it is stored under. */
export function foldResultChecksum(key: string, result: unknown): string {
  return createHash("sha256").update(key).update("\n").update(JSON.stringify(result)).digest("hex");
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const inUnit = (v: unknown) => isFiniteNumber(v) && v >= 0 && v <= 1;
const sameNumbers = (a: readonly unknown[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
// Metrics are recomputed from the matrix in the same float operations; allow for a printed round trip.
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12;

function matrixProblem(matrix: unknown, rows: number): string | null {
  const m = matrix as number[][];
  if (!Array.isArray(m) || m.length !== 2 || !m.every((row) => Array.isArray(row) && row.length === 2 && row.every(isCount))) {
    return "its confusion matrix is not 2×2 counts";
  }
  const total = m[0][0] + m[0][1] + m[1][0] + m[1][1];
  return total === rows ? null : `its confusion matrix counts ${total} rows, the fold has ${rows}`;
}

// A diverged fold is not scored: these are NaN (null in JSON).
const SCORES = ["accuracy", "precision", "recall", "f1", "logLoss", "auc"] as const;

function scoresProblem(r: Record<string, unknown>, matrix: ConfusionMatrix): string | null {
  for (const k of ["accuracy", "precision", "recall", "f1", "auc"]) if (!inUnit(r[k])) return `its ${k} is ${JSON.stringify(r[k])}, not a number from 0 to 1`;
  if (!isFiniteNumber(r.logLoss) || r.logLoss < 0) return `its log loss is ${JSON.stringify(r.logLoss)}, not a finite number ≥ 0`;
  const fromMatrix = matrixMetrics(matrix);
  for (const k of ["accuracy", "precision", "recall", "f1"] as const) {
    if (!close(r[k] as number, fromMatrix[k])) return `its ${k} ${r[k]} disagrees with its confusion matrix (${fromMatrix[k]})`;
  }
  return null;
}

/** `epochs` entries of loss and accuracy; the last loss of a diverged run may be infinite (null in JSON). */
function historyProblem(history: unknown, epochs: number, diverged: boolean): string | null {
  const h = history as { loss?: unknown; acc?: unknown } | null;
  if (!h || !Array.isArray(h.loss) || !Array.isArray(h.acc)) return "it has no training history";
  if (h.loss.length !== epochs || h.acc.length !== epochs) return `its training history has ${h.loss.length} epochs, not ${epochs}`;
  const losses = diverged ? h.loss.slice(0, -1) : h.loss;
  return losses.every(isFiniteNumber) ? null : "its training history holds losses that are not numbers";
}

/**
 * Why `value` cannot be taken as the result of the fold `expected` describes, or null when it
 * can. A diverged fold has no scores (null in JSON) and a matrix of zeros; any other fold has
 * them all, consistent with each other.
 */
export function foldResultProblem(value: unknown, expected: ExpectedFold): string | null {
  const r = value as Record<string, unknown> | null;
  if (!r || typeof r !== "object" || Array.isArray(r)) return "it is not a fold result";
  const { inputs } = expected;
  if (r.fold !== inputs.fold) return `it is for fold ${JSON.stringify(r.fold)}, not fold ${inputs.fold} of ${inputs.folds}`;
  if ((r.repeat ?? 0) !== (inputs.repeat ?? 0)) return `it is for repeat ${JSON.stringify(r.repeat ?? 0)}, not repeat ${inputs.repeat ?? 0}`;
  if (!Array.isArray(r.hidden) || !sameNumbers(r.hidden, inputs.hidden) || r.activation !== inputs.activation || r.learningRate !== inputs.learningRate) {
    return "it is for another candidate";
  }
  if (r.trainRows !== expected.trainRows || r.validationRows !== expected.validationRows) {
    return `it counts ${JSON.stringify(r.trainRows)} training and ${JSON.stringify(r.validationRows)} validation rows, the fold has ${expected.trainRows} and ${expected.validationRows}`;
  }
  if (typeof r.architecture !== "string") return "it has no candidate name";
  if (r.parameters !== expected.parameters) return `it says the candidate has ${JSON.stringify(r.parameters)} parameters, not ${expected.parameters}`;
  if (r.seed !== expected.seed) return `its training seed is ${JSON.stringify(r.seed)}, not the fold's ${expected.seed}`;
  if (!isFiniteNumber(r.seconds) || r.seconds < 0) return "its training time is not a number ≥ 0";
  const diverged = r.diverged as { epoch?: unknown; loss?: unknown } | undefined;
  if (diverged !== undefined) {
    if (!Number.isInteger(diverged?.epoch) || (diverged.epoch as number) < 1 || (diverged.epoch as number) > inputs.epochs) return "it says training diverged at an impossible epoch";
    const m = r.confusionMatrix as unknown[][];
    const zeros = Array.isArray(m) && m.length === 2 && m.every((row) => Array.isArray(row) && row.length === 2 && row.every((v) => v === 0));
    if (!zeros) return "it says training diverged but its confusion matrix is not all zeros";
    const scored = SCORES.find((k) => r[k] !== null && !Number.isNaN(r[k]));
    if (scored) return `it says training diverged but has a ${scored} (${JSON.stringify(r[scored])})`;
    return historyProblem(r.history, diverged.epoch as number, true);
  }
  return matrixProblem(r.confusionMatrix, expected.validationRows) ?? scoresProblem(r, r.confusionMatrix as ConfusionMatrix) ?? historyProblem(r.history, inputs.epochs, false);
}

/** What a result of this fold must say of itself (fold-check): its rows, parameter count and training seed. */
export function expectedFold(inputs: FoldInputs, fold: Fold, cols: number): ExpectedFold {
  return {
    inputs,
    trainRows: fold.train.length,
    validationRows: fold.validation.length,
    parameters: parameterCount(modelConfig(inputs.hidden, inputs.activation as Activation, cols)),
    seed: foldSeed(repeatSeed(inputs.seed, inputs.repeat ?? 0), inputs.hidden, inputs.fold),
  };
}
