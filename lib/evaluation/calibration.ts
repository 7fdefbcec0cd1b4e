// Calibration: can the network's probabilities be believed? Reliability bins and the expected
// calibration error (Guo et al. 2017) of P(second digit) against the labels: 10 equal-width bins
// [0, 0.1), …, [0.9, 1.0] (the last includes 1), ECE = Σ over non-empty bins of
// (count / N) · |fractionPositive − meanProbability|.

/** One bin of probabilities; the means are null when it is empty. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanProbability: number | null;
  /** Fraction of the bin's rows whose label is 1 (the second digit). */
  fractionPositive: number | null;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Expected calibration error; NaN without rows. */
  ece: number;
}

const CALIBRATION_BINS = 10;

/** The bin of probability p: [i/bins, (i+1)/bins), the last one closed. Compares with the bounds themselves, so 0.3 lands in [0.3, 0.4). */
export function binOf(p: number, bins = CALIBRATION_BINS): number {
  let i = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
  if (i > 0 && p < i / bins) i--;
  else if (i < bins - 1 && p >= (i + 1) / bins) i++;
  return i;
}

/** Reliability bins and ECE of `probabilities` (P(label 1), each in [0, 1]) against 0/1 `labels`. */
export function calibration(labels: ArrayLike<number>, probabilities: ArrayLike<number>, bins = CALIBRATION_BINS): Calibration {
  if (labels.length !== probabilities.length) throw new Error(`calibration: ${labels.length} labels but ${probabilities.length} probabilities`);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let r = 0; r < labels.length; r++) {
    const p = probabilities[r];
    if (!(p >= 0 && p <= 1)) throw new Error(`calibration: probability ${p} of row ${r} is not in [0, 1]`);
    const b = binOf(p, bins);
    count[b]++;
    sumP[b] += p;
    positives[b] += labels[r] === 1 ? 1 : 0;
  }
  const n = labels.length;
  let ece = n === 0 ? NaN : 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const empty = count[b] === 0;
    const meanProbability = empty ? null : sumP[b] / count[b];
    const fractionPositive = empty ? null : positives[b] / count[b];
    if (!empty) ece += (count[b] / n) * Math.abs(fractionPositive! - meanProbability!);
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: count[b], meanProbability, fractionPositive });
  }
  return { bins: out, ece };
}
