// Metrics for binary classification (class 1 is the positive class), with scikit-learn's
// semantics so any number here can be checked against sklearn.metrics:
// accuracy, precision, recall, F1, confusion matrix, log loss, ROC curve and AUC.
//
// Inputs are plain arrays or typed arrays: labels and predictions are 0/1, probabilities are in
// [0, 1], scores are any finite numbers. Mismatched lengths, empty inputs and out-of-range values
// are bugs in the caller, not user mistakes, so they throw RangeError.
//
// The logarithm is stdlib's ln, not Math.log: engines differ in Math.log's last bit (Node 20's V8
// and Chromium 156's disagree on ~7% of inputs), and a report's lab recomputes these scores in the
// reader's browser, where they must equal the notebooks' to the bit. stdlib's ln is fdlibm's
// algorithm in plain arithmetic, so it is the same everywhere (and equals Node 20's Math.log).
import ln from "@stdlib/math-base-special-ln";

/**
 * Counts of a binary classifier's outcomes. Rows are the true class, columns the predicted class
 * (as sklearn.metrics.confusion_matrix with labels [0, 1]): `[[tn, fp], [fn, tp]]`.
 */
export type ConfusionMatrix = [[tn: number, fp: number], [fn: number, tp: number]];

/**
 * Points of a ROC curve in order of decreasing threshold: point i is the (false positive rate,
 * true positive rate) of predicting positive when score >= thresholds[i].
 */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is Infinity (nothing predicted positive, the point (0, 0)). */
  thresholds: number[];
}

/** Everything we report about one set of predictions. */
export interface ClassificationMetrics {
  /** Number of examples. */
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  logLoss: number;
  /** Area under the ROC curve; NaN when only one class is present in the labels. */
  auc: number;
  confusionMatrix: ConfusionMatrix;
}

/**
 * Labels from probabilities: 1 when probability > threshold, else 0. Strictly greater, as Keras'
 * binary accuracy (`y_pred > threshold`), so a probability of exactly 0.5 counts as class 0.
 */
export function predictLabels(probabilities: ArrayLike<number>, threshold = 0.5): Uint8Array {
  checkNotEmpty(probabilities, "probabilities");
  checkProbabilities(probabilities, "probabilities");
  if (Number.isNaN(threshold)) throw new RangeError("threshold must be a number, got NaN");
  const out = new Uint8Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) out[i] = probabilities[i] > threshold ? 1 : 0;
  return out;
}

/** `[[tn, fp], [fn, tp]]`: rows are the true class, columns the predicted class. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>): ConfusionMatrix {
  checkSameLength(labels, predictions, "labels", "predictions");
  checkBinary(labels, "labels");
  checkBinary(predictions, "predictions");
  let tn = 0, fp = 0, fn = 0, tp = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = predictions[i] === 1;
    if (labels[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return [[tn, fp], [fn, tp]];
}

/** Fraction of predictions equal to the label. */
export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  return accuracyOf(confusionMatrix(labels, predictions));
}

/**
 * Mean binary cross-entropy in nats: mean of -log(p) for positives and -log(1 - p) for negatives.
 * Probabilities are clipped to [eps, 1 - eps] with eps = Number.EPSILON (2.220446049250313e-16),
 * as sklearn ≥ 1.5 does for float64 input (eps = np.finfo(dtype).eps), so a confidently wrong 0 or 1
 * costs -log(eps) ≈ 36.04 instead of Infinity. sklearn would use float32's eps (1.19e-7) for a
 * float32 numpy array; we always use float64's, since JavaScript numbers are float64.
 * Unlike sklearn, labels of a single class are fine: the classes are always 0 and 1.
 */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkSameLength(labels, probabilities, "labels", "probabilities");
  checkBinary(labels, "labels");
  checkProbabilities(probabilities, "probabilities");
  const eps = Number.EPSILON;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    // Clip the probability of the true class, as sklearn clips each column of [1 - p, p].
    const pTrue = labels[i] === 1 ? probabilities[i] : 1 - probabilities[i];
    sum -= ln(Math.min(Math.max(pTrue, eps), 1 - eps));
  }
  return sum / labels.length;
}

/**
 * ROC curve as sklearn.metrics.roc_curve (drop_intermediate=true): one point per distinct score
 * (equal scores are one threshold, so ties make a diagonal step), minus the points that lie on a
 * straight segment between their neighbours, preceded by (0, 0) at threshold Infinity.
 * With only one class in the labels, the rate that divides by the missing class's count is NaN at
 * every point (sklearn returns the same NaNs, with an UndefinedMetricWarning); no throw.
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  checkSameLength(labels, scores, "labels", "scores");
  checkBinary(labels, "labels");
  checkFinite(scores, "scores");
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);

  // Cumulative false and true positives at each distinct score, highest score first.
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let fp = 0, tp = 0;
  for (let i = 0; i < n; i++) {
    const score = scores[order[i]];
    if (labels[order[i]] === 1) tp++;
    else fp++;
    if (i === n - 1 || scores[order[i + 1]] !== score) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(score);
    }
  }

  // Keep a point only where the curve bends (a non-zero second difference in fps or tps):
  // collinear points in between change neither the plot nor the area.
  const keep = fps.map((_, j) =>
    j === 0 || j === fps.length - 1 ||
    fps[j + 1] - 2 * fps[j] + fps[j - 1] !== 0 || tps[j + 1] - 2 * tps[j] + tps[j - 1] !== 0);
  const pick = (values: number[]) => values.filter((_, j) => keep[j]);
  const keptFps = [0, ...pick(fps)];
  const keptTps = [0, ...pick(tps)];

  return {
    fpr: rates(keptFps, fp),
    tpr: rates(keptTps, tp),
    thresholds: [Infinity, ...pick(thresholds)],
  };
}

/**
 * Area under a curve by the trapezoid rule, as sklearn.metrics.auc: x must be monotonic
 * (increasing, or decreasing, in which case the area is still positive) and have at least 2 points.
 */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSameLength(x, y, "x", "y");
  if (x.length < 2) throw new RangeError(`auc needs at least 2 points, got ${x.length}`);
  let increasing = true, decreasing = true;
  for (let i = 1; i < x.length; i++) {
    if (x[i] < x[i - 1]) increasing = false;
    if (x[i] > x[i - 1]) decreasing = false;
  }
  if (!increasing && !decreasing) throw new RangeError("auc needs x to be increasing or decreasing");
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return increasing ? area : -area;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting half. sklearn raises when the labels hold only one class; we return NaN instead, so
 * a report on a one-class subset still has its other numbers.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const curve = rocCurve(labels, scores);
  if (curve.fpr.some(Number.isNaN) || curve.tpr.some(Number.isNaN)) return NaN;
  return auc(curve.fpr, curve.tpr);
}

/** All metrics for probabilities thresholded at `threshold` (positive when probability > threshold). */
export function classificationReport(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): ClassificationMetrics {
  const matrix = confusionMatrix(labels, predictLabels(probabilities, threshold));
  return {
    count: labels.length,
    accuracy: accuracyOf(matrix),
    precision: precisionOf(matrix),
    recall: recallOf(matrix),
    f1: f1Of(matrix),
    logLoss: logLoss(labels, probabilities),
    auc: rocAuc(labels, probabilities),
    confusionMatrix: matrix,
  };
}

/** Accuracy, precision, recall and F1 as classificationReport computes them from a confusion matrix. */
export function matrixMetrics(matrix: ConfusionMatrix): { accuracy: number; precision: number; recall: number; f1: number } {
  return { accuracy: accuracyOf(matrix), precision: precisionOf(matrix), recall: recallOf(matrix), f1: f1Of(matrix) };
}

function accuracyOf([[tn, fp], [fn, tp]]: ConfusionMatrix): number {
  return (tn + tp) / (tn + fp + fn + tp);
}

/**
 * tp / (tp + fp): of the examples predicted positive, the fraction that are. With no predicted
 * positives it is undefined; like sklearn's default (zero_division), we return 0.
 */
function precisionOf([[, fp], [, tp]]: ConfusionMatrix): number {
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

/**
 * tp / (tp + fn): of the positive examples, the fraction predicted positive. With no positive
 * labels it is undefined; like sklearn's default (zero_division), we return 0.
 */
function recallOf([, [fn, tp]]: ConfusionMatrix): number {
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

/**
 * Harmonic mean of precision and recall, computed as sklearn does: 2tp / (2tp + fp + fn).
 * It is 0 whenever tp = 0, which covers precision + recall = 0 and the case with no positive
 * labels and no positive predictions (sklearn's zero_division default).
 */
function f1Of([[, fp], [fn, tp]]: ConfusionMatrix): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

function rates(counts: number[], total: number): number[] {
  return counts.map((count) => (total > 0 ? count / total : NaN));
}

function checkNotEmpty(values: ArrayLike<number>, name: string): void {
  if (values.length === 0) throw new RangeError(`${name} is empty`);
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, nameA: string, nameB: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${nameA} and ${nameB} differ in length: ${a.length} vs ${b.length}`);
  }
  checkNotEmpty(a, nameA);
}

function checkBinary(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0 && values[i] !== 1) throw new RangeError(`${name}[${i}] is ${values[i]}, expected 0 or 1`);
  }
}

function checkProbabilities(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const p = values[i];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${name}[${i}] is ${p}, expected a probability in [0, 1]`);
  }
}

function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${name}[${i}] is ${values[i]}, expected a finite number`);
  }
}
