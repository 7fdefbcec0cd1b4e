// What the network sees, in notebook 03's words: which first-layer units are structured and which
// look like noise (from the weights and the training images), which test digits to explain and
// their integrated gradients, and what the calibration says.
import { DEFAULT_PAIR, type Pair } from "../core/pair";
import type { Dataset } from "../data/dataset";
import { sampleIndices } from "../data/explore";
import { attribute, DEFAULT_STEPS } from "../evaluation/attributions";
import type { Calibration } from "../evaluation/calibration";
import type { Network } from "../model/model";
import type { ExplainedDigit } from "../charts/explain";

/** One first-layer unit's weights: how smooth they are where there is ink, and how much lies where there is none. */
export interface UnitStructure {
  /** 0-based unit of the first layer. */
  unit: number;
  /**
   * Correlation of the weights of neighbouring pixels (right and below) among pixels inked in some
   * training image: about 0 for the random start, high for a learned stroke pattern.
   */
  smoothness: number;
  /** Σ|w| on pixels blank in every training image / Σ|w| on all pixels. */
  blankShare: number;
  structured: boolean;
}

export interface WeightStructure {
  /** Pixels that are 0 in every training image, and their share of the image. */
  blankPixels: number;
  blankFraction: number;
  units: UnitStructure[];
}

/** A unit is structured when neighbouring weights correlate at least this much (random weights: about 0 ± 0.05). */
const STRUCTURED_SMOOTHNESS = 0.3;

/** Pixels that are 0 in every row of `dataset` (1) or inked in some row (0). */
function blankPixels(dataset: Dataset): Uint8Array {
  const blank = new Uint8Array(dataset.cols).fill(1);
  for (let r = 0; r < dataset.rows; r++) {
    const base = r * dataset.cols;
    for (let i = 0; i < dataset.cols; i++) if (dataset.features[base + i] !== 0) blank[i] = 0;
  }
  return blank;
}

/** Pearson correlation of the pairs (xs[k], ys[k]); 0 when either side is constant. */
function correlation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) ** 2;
    syy += (ys[k] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Smoothness of weights w (one per pixel of a side × side image) over neighbouring inked pixels. */
function smoothness(w: (i: number) => number, blank: Uint8Array, side: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  const pair = (i: number, k: number) => {
    xs.push(w(i));
    ys.push(w(k));
  };
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      if (blank[i]) continue;
      if (c + 1 < side && !blank[i + 1]) pair(i, i + 1);
      if (r + 1 < side && !blank[i + side]) pair(i, i + side);
    }
  }
  return xs.length > 1 ? correlation(xs, ys) : 0;
}

/**
 * Per first-layer unit: the smoothness of its weights on inked pixels (structure) and its share of
 * weight on pixels blank in every row of `training` (noise: those weights never receive a gradient
 * and keep their random start).
 */
export function weightStructure(network: Network, training: Dataset): WeightStructure {
  const { inputs, units, kernel } = network.layers[0];
  if (training.cols !== inputs) throw new RangeError(`the network takes ${inputs} pixels, the data has ${training.cols}`);
  const side = Math.round(Math.sqrt(inputs));
  const blank = blankPixels(training);
  const blankCount = blank.reduce((sum, v) => sum + v, 0);
  const result: UnitStructure[] = [];
  for (let j = 0; j < units; j++) {
    const w = (i: number) => kernel[i * units + j];
    let all = 0;
    let onBlank = 0;
    for (let i = 0; i < inputs; i++) {
      all += Math.abs(w(i));
      if (blank[i]) onBlank += Math.abs(w(i));
    }
    const smooth = smoothness(w, blank, side);
    result.push({ unit: j, smoothness: smooth, blankShare: all > 0 ? onBlank / all : 0, structured: smooth >= STRUCTURED_SMOOTHNESS });
  }
  return { blankPixels: blankCount, blankFraction: blankCount / inputs, units: result };
}

/** Labels for firstLayerWeightsFigure: each unit's smoothness and share of weight on blank pixels. */
export function structureLabels(structure: WeightStructure): string[] {
  return structure.units.map((u) => `r ${u.smoothness.toFixed(2)}, ${(u.blankShare * 100).toFixed(0)}% blank`);
}

const unitList = (units: readonly UnitStructure[]) => units.map((u) => u.unit + 1).join(", ");
const range = (values: readonly number[], digits: number) => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};

/** Which units are structured and which look like noise, and where each unit's noise lies. */
export function weightStructureSentence(structure: WeightStructure, logistic = false): string {
  const { blankPixels: blankCount, blankFraction, units } = structure;
  const structured = units.filter((u) => u.structured);
  const noise = units.filter((u) => !u.structured);
  const smooth = (list: readonly UnitStructure[]) => range(list.map((u) => u.smoothness), 2);
  const parts: string[] = [];
  if (logistic) {
    parts.push(`The template is ${units[0].structured ? "structured" : "noise"}: the weights of neighbouring inked pixels correlate ${smooth(units)} (random weights: about 0).`);
  } else {
    if (structured.length > 0) {
      const which = structured.length === units.length ? "all of them" : `units ${unitList(structured)}`;
      parts.push(`**${structured.length} of the ${units.length} units are structured** (${which}): the weights of neighbouring inked pixels correlate ${smooth(structured)}, where random weights give about 0.`);
    }
    parts.push(noise.length > 0 ? `**${noise.length} look like noise** (units ${unitList(noise)}; correlation ${smooth(noise)}).` : "None looks like noise.");
  }
  parts.push(
    `What noise there is lies on the ${blankCount} pixels (${(blankFraction * 100).toFixed(0)}%) blank in every training image: their weights never receive a gradient and keep ` +
      `their random start, ${range(units.map((u) => u.blankShare * 100), 0)}% of ${logistic ? "the" : "each unit's"} weight (the speckled border of the images above).`,
  );
  return parts.join(" ");
}

/** The test digits notebook 03 explains, and how many mistakes there were to choose from. */
export interface DigitsToExplain {
  rows: number[];
  /** Misclassified rows in the dataset (threshold 0.5); the most confident `shownMistakes` are in `rows`. */
  mistakes: number;
  shownMistakes: number;
}

/**
 * `perClass` seeded digits of each class, then the misclassified ones (threshold 0.5), the most
 * confident mistakes first, up to `maxMistakes`: one chart that fits a printed page.
 */
export function digitsToExplain(dataset: Dataset, probabilities: ArrayLike<number>, options: { perClass?: number; maxMistakes?: number; seed?: number } = {}): DigitsToExplain {
  const { perClass = 4, maxMistakes = 12, seed = 13 } = options;
  const rows: number[] = [];
  for (const label of [0, 1]) {
    const ofLabel: number[] = [];
    for (let r = 0; r < dataset.rows; r++) if (dataset.labels[r] === label) ofLabel.push(r);
    for (const k of sampleIndices(ofLabel.length, Math.min(perClass, ofLabel.length), seed + label)) rows.push(ofLabel[k]);
  }
  const wrong: number[] = [];
  for (let r = 0; r < dataset.rows; r++) if ((probabilities[r] > 0.5 ? 1 : 0) !== dataset.labels[r]) wrong.push(r);
  const confident = wrong.sort((a, b) => Math.abs(probabilities[b] - 0.5) - Math.abs(probabilities[a] - 0.5) || a - b).slice(0, maxMistakes);
  for (const r of confident) if (!rows.includes(r)) rows.push(r);
  return { rows, mistakes: wrong.length, shownMistakes: confident.length };
}

/** What the attributions chart shows, and how to see the rest. */
export function explainedSentence(chosen: DigitsToExplain, perClass = 4): string {
  const shown =
    chosen.mistakes === 0
      ? "there are no misclassified test digits to add"
      : chosen.shownMistakes === chosen.mistakes
        ? `every misclassified one (${chosen.mistakes}) is added`
        : `the ${chosen.shownMistakes} most confident of the ${chosen.mistakes} misclassified ones are added, so that the chart fits a page`;
  return (
    `${perClass} test digits of each class are shown, and ${shown}. ` +
    "`npx digits explain --rows I,J` explains any row of the test CSV (its row numbers are those of the clickable confusion matrix above)."
  );
}

/** Integrated gradients (64 steps, black baseline) of each chosen row, for attributionsFigure. */
export function explainDigits(network: Network, dataset: Dataset, rows: readonly number[], steps = DEFAULT_STEPS): ExplainedDigit[] {
  return rows.map((row) => ({ row, attribution: attribute(network, dataset.features.subarray(row * dataset.cols, (row + 1) * dataset.cols), steps).integratedGradients }));
}

/** The ECE in words, with the bin furthest from the diagonal. */
export function calibrationSentence(calibration: Calibration, pair: Pair = DEFAULT_PAIR): string {
  const { ece, bins } = calibration;
  const b = pair[1];
  const verdict = ece < 0.01 ? "the probabilities can be taken at their word" : ece < 0.05 ? "the probabilities are roughly right" : "the probabilities should not be taken at their word";
  let worst = null as null | (typeof bins)[number];
  for (const bin of bins) {
    if (bin.count === 0) continue;
    if (!worst || Math.abs(bin.fractionPositive! - bin.meanProbability!) > Math.abs(worst.fractionPositive! - worst.meanProbability!)) worst = bin;
  }
  const sentence = `On the test set the expected calibration error is **${ece.toFixed(4)}**: weighted by rows, the share of ${b}s in a bin differs from the mean predicted P(${b}) by ${(ece * 100).toFixed(2)} percentage points, so ${verdict}.`;
  if (!worst) return sentence;
  const gap = worst.fractionPositive! - worst.meanProbability!;
  return (
    `${sentence} The furthest bin, P(${b}) in [${worst.lower.toFixed(1)}, ${worst.upper.toFixed(1)}${worst.upper === 1 ? "]" : ")"} (${worst.count} digits), is ` +
    `${gap >= 0 ? "under" : "over"}confident: ${(worst.fractionPositive! * 100).toFixed(1)}% are ${b}s against a mean prediction of ${(worst.meanProbability! * 100).toFixed(1)}%. ` +
    (endShare(bins) > 0.9 ? "Most digits sit in the two end bins, so the few in the middle weigh little in the ECE." : "")
  ).trimEnd();
}

/** Share of the rows in the first and last bins. */
function endShare(bins: Calibration["bins"]): number {
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  return total > 0 ? (bins[0].count + bins[bins.length - 1].count) / total : 0;
}
