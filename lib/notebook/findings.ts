// Findings: the sentences the notebooks write about their own results, computed from those
// results and the pair of digits, so a report on 4 against 9 says what its numbers show and never
// repeats what 0 against 1 showed ("ones use less ink", "logistic regression wins"). Pure: each
// function takes results and returns Markdown.
import { describeDropped, type Dataset, type LoadedDataset } from "../data/dataset";
import type { ClassPixelStats, DataQuality, ImageFeatures, PixelHistogram } from "../data/explore";
import type { ClassificationMetrics } from "../evaluation/metrics";
import { countOf, DEFAULT_PAIR, digitPlural, digitWord, isDefaultPair, type Pair } from "../core/pair";
import type { ExperimentRecord } from "../selection/record";
import type { History } from "../model/train";
import { markdownCode } from "./escape";

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const thousands = (n: number) => n.toLocaleString("en-US");
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Values of one class (label 0 or 1), NaNs left out. */
function ofClass(values: ArrayLike<number>, labels: ArrayLike<number>, cls: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (labels[i] === cls && !Number.isNaN(values[i])) out.push(values[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Notebook 01: the data

/** "**12,665 rows × 785 columns** (…): 5,923 zeros and 6,742 ones from `data/train.csv`", and what the load dropped; `source` is shown as text, whatever it holds. */
export function datasetSentence(dataset: LoadedDataset, shape: readonly number[], source: string): string {
  const counts: [number, number] = [0, 0];
  for (let i = 0; i < dataset.rows; i++) counts[dataset.labels[i]]++;
  const dropped = describeDropped(dataset.dropped);
  return (
    `**${thousands(shape[0])} rows × ${shape[1]} columns** (a label and ${dataset.cols} pixels per image): ` +
    `${countOf(counts[0], dataset.pair[0])} and ${countOf(counts[1], dataset.pair[1])} from ${markdownCode(source)}` +
    (dropped ? `; ${dropped}.` : ".")
  );
}

/** "The classes are nearly balanced (…), the baseline to beat is …". */
export function balanceSentence(counts: readonly [number, number], pair: Pair = DEFAULT_PAIR): string {
  const total = counts[0] + counts[1];
  const shares = counts.map((c) => c / total);
  const major = counts[1] >= counts[0] ? 1 : 0;
  const names = `${pct(shares[0])} ${digitPlural(pair[0])}, ${pct(shares[1])} ${digitPlural(pair[1])}`;
  const baseline = `the baseline to beat is ${pct(shares[major])}: what a "model" that always answers ${pair[major]} would get`;
  return shares[major] <= 0.6
    ? `The classes are nearly balanced (${names}). Accuracy is therefore a fair score, and ${baseline}.`
    : `The classes are imbalanced (${names}): accuracy alone would flatter a model that favours the ${digitPlural(pair[major])}, so precision, recall and F1 matter too; ${baseline}.`;
}

/** What the data-quality table shows, and whether anything needs cleaning. */
export function qualitySentence(q: DataQuality): string {
  const problems: string[] = [];
  if (q.missingCells > 0) problems.push(`${thousands(q.missingCells)} missing values`);
  if (q.duplicateRows > 0) problems.push(`${thousands(q.duplicateRows)} duplicate rows`);
  if (q.conflictingDuplicates > 0) problems.push(`${thousands(q.conflictingDuplicates)} conflicting duplicates (the same image under both digits)`);
  const first =
    problems.length === 0
      ? "There are no missing values and no duplicates of either kind, so nothing needs cleaning."
      : `There are ${problems.join(", ")}: worth a look before trusting the scores (a duplicate can sit in both a training and a validation fold).`;
  const blank =
    q.blankPixels > 0
      ? ` ${thousands(q.blankPixels)} pixels are blank (0) in every image: they carry no information, and the network's first layer will simply learn nothing for them.`
      : "";
  return first + blank;
}

/** Blank and saturated shares, and which digit uses more ink. */
export function inkSentence(histogram: PixelHistogram): string {
  const pair = histogram.pair ?? DEFAULT_PAIR;
  const total = (c: readonly number[]) => c.reduce((a, b) => a + b, 0);
  const all = histogram.counts[0].map((c, v) => c + histogram.counts[1][v]);
  const pixels = total(all);
  const inked = pixels - all[0];
  const saturated = total(all.slice(250));
  const blank = [0, 1].map((c) => histogram.counts[c][0] / total(histogram.counts[c]));
  const lighter = blank[0] > blank[1] ? 0 : 1;
  return (
    `${pct(all[0] / pixels)} of all pixels are blank (0). Of the inked pixels, ${pct(saturated / inked)} are saturated (250 or more); ` +
    `the values in between are mostly the anti-aliased edges of the strokes. The images are sparse, which is why the trainer in \`lib/model/train\` skips zero pixels. ` +
    // Less than a percentage point apart is no difference worth a sentence about ink.
    (Math.abs(blank[0] - blank[1]) < 0.01
      ? `${capital(digitPlural(pair[0]))} and ${digitPlural(pair[1])} leave about the same share of pixels blank (${pct(blank[0])} and ${pct(blank[1])}): ink alone will not tell them apart.`
      : `${capital(digitPlural(pair[lighter]))} have a larger share of blank pixels than ${digitPlural(pair[1 - lighter])} ` +
        `(${pct(blank[lighter])} against ${pct(blank[1 - lighter])}): they use less ink.`)
  );
}

/**
 * The best accuracy of one threshold on one feature (either direction): how far that feature
 * alone separates the classes. NaNs are left out.
 */
export function thresholdAccuracy(values: ArrayLike<number>, labels: ArrayLike<number>): number {
  const rows: { v: number; l: number }[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]) && (labels[i] === 0 || labels[i] === 1)) rows.push({ v: values[i], l: labels[i] });
  if (rows.length === 0) return NaN;
  rows.sort((a, b) => a.v - b.v);
  const ones = rows.filter((r) => r.l === 1).length;
  // Predict 1 above the cut: correct = zeros at or below + ones above. Cuts fall between distinct values.
  let zerosBelow = 0, onesBelow = 0, best = Math.max(ones, rows.length - ones);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].l === 1) onesBelow++;
    else zerosBelow++;
    if (i + 1 < rows.length && rows[i + 1].v === rows[i].v) continue;
    const above = zerosBelow + (ones - onesBelow);
    best = Math.max(best, above, rows.length - above);
  }
  return best / rows.length;
}

/** Ink and width per class, how far each separates the classes alone, and height and centroid. */
export function featureSentence(features: ImageFeatures): string {
  const pair = features.pair ?? DEFAULT_PAIR;
  const m = (name: "ink" | "width" | "height" | "centroidX" | "centroidY") => [0, 1].map((c) => mean(ofClass(features[name], features.labels, c)));
  const ink = m("ink");
  const width = m("width");
  const height = m("height");
  const cx = m("centroidX");
  const cy = m("centroidY");
  const less = ink[0] < ink[1] ? 0 : 1;
  const narrower = width[0] < width[1] ? 0 : 1;
  const inkAlone = thresholdAccuracy(features.ink, features.labels);
  const widthAlone = thresholdAccuracy(features.width, features.labels);
  const close = Math.max(Math.abs(height[0] - height[1]), Math.abs(cx[0] - cx[1]), Math.abs(cy[0] - cy[1])) < 1;
  // Means within 5% of each other are "about as much": the overlap decides, not the means.
  const inkText =
    Math.abs(ink[0] - ink[1]) < 0.05 * Math.max(ink[0], ink[1])
      ? `${capital(digitPlural(pair[0]))} and ${digitPlural(pair[1])} use about as much ink (mean ink mass ${ink[0].toFixed(0)} and ${ink[1].toFixed(0)})`
      : `${capital(digitPlural(pair[less]))} use less ink than ${digitPlural(pair[1 - less])} (mean ink mass ${ink[less].toFixed(0)} against ${ink[1 - less].toFixed(0)})`;
  return (
    `${inkText} ` +
    `and ${digitPlural(pair[narrower])} have the narrower bounding box (mean width ${width[narrower].toFixed(1)} against ${width[1 - narrower].toFixed(1)} pixels). ` +
    `One threshold on ink mass alone classifies ${pct(inkAlone)} of the images correctly, one on width ${pct(widthAlone)}. ` +
    `Mean heights are ${height[0].toFixed(1)} and ${height[1].toFixed(1)} pixels and the mean centroids (column, row) ` +
    `(${cx[0].toFixed(1)}, ${cy[0].toFixed(1)}) and (${cx[1].toFixed(1)}, ${cy[1].toFixed(1)}) for ${digitPlural(pair[0])} and ${digitPlural(pair[1])}` +
    (close
      ? `: within a pixel of each other, as MNIST scaled every digit into a 20 × 20 box and centred it, so these say little about the class.`
      : `: they differ by a pixel or more, so even size and position carry some information here.`)
  );
}

/** Where the two mean images differ most, and how many pixels differ strongly. */
export function meanImageSentence(stats: ClassPixelStats): string {
  const pair = stats.pair ?? DEFAULT_PAIR;
  let best = 0, at = 0, strong = 0;
  for (let p = 0; p < stats.mean[0].length; p++) {
    const d = Math.abs(stats.mean[0][p] - stats.mean[1][p]);
    if (d > best) [best, at] = [d, p];
    if (d > 127.5) strong++;
  }
  const row = Math.floor(at / stats.side);
  const col = at - row * stats.side;
  return (
    `The mean images differ most at row ${row}, column ${col} (mean intensity ${stats.mean[0][at].toFixed(0)} for ${digitPlural(pair[0])}, ` +
    `${stats.mean[1][at].toFixed(0)} for ${digitPlural(pair[1])}); ${strong === 0 ? "no pixel differs" : `${thousands(strong)} pixel${strong === 1 ? " differs" : "s differ"}`} ` +
    `by more than half the intensity range (128) between the two means. Pixels like these are what a linear model can use directly; ` +
    `the variance shows where digits stray from their class's average. Notebook 02 measures how far a linear model goes, and what hidden layers add.`
  );
}

/** The bullet list closing notebook 01. */
export function explorationSummary(dataset: Dataset, q: DataQuality, features: ImageFeatures): string {
  const pair = features.pair ?? DEFAULT_PAIR;
  const counts: [number, number] = [0, 0];
  for (let i = 0; i < dataset.rows; i++) counts[dataset.labels[i]]++;
  const clean = q.missingCells + q.duplicateRows + q.conflictingDuplicates === 0;
  return [
    `- ${thousands(dataset.rows)} images, ${countOf(counts[0], pair[0])} and ${countOf(counts[1], pair[1])}; ` +
      (clean ? "no missing values or duplicates." : "some duplicates or missing values (see the data-quality table)."),
    "- The images are sparse and nearly black and white; MNIST normalised their size and position.",
    `- One threshold on ink mass alone is right for ${pct(thresholdAccuracy(features.ink, features.labels))} of the images, ` +
      `on width for ${pct(thresholdAccuracy(features.width, features.labels))}: the rest is up to the pixels themselves. ` +
      "Notebook 02 measures how much network that takes.",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Notebook 02: the selection

/** What the scores per candidate show: does accuracy separate them, which has the lowest log loss, do hidden layers help. */
export function selectionSentence(record: Pick<ExperimentRecord, "config" | "summary"> & { data?: Pick<ExperimentRecord["data"], "digits"> }): string {
  const pair: Pair = record.data?.digits ?? DEFAULT_PAIR;
  const diverged = record.summary.filter((s) => (s.divergedFolds ?? 0) > 0).map((s) => s.architecture);
  // A candidate whose training diverged has no score to compare (and cannot win): say so, leave it out.
  const divergedNote = diverged.length === 0 ? "" : ` Training diverged for ${diverged.join(", ")} (see the diverged column): left out here, and never chosen.`;
  const rows = record.summary.filter((s) => Number.isFinite(s.meanLogLoss) && !((s.divergedFolds ?? 0) > 0));
  if (rows.length === 0) return "No candidate has a finite mean log loss: every run diverged or failed.";
  const byAcc = [...rows].sort((a, b) => b.meanAccuracy - a.meanAccuracy);
  const top = byAcc[0];
  const low = byAcc[byAcc.length - 1];
  const tied = rows.every((s) => top.meanAccuracy - s.meanAccuracy <= top.sdAccuracy);
  const best = rows.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a));
  const { folds, epochs, seed } = record.config;
  const parts: string[] = [];
  parts.push(
    `On these settings (${folds} folds, ${epochs} epochs, seed ${seed}), ${pair[0]} against ${pair[1]}, mean validation accuracy runs from ` +
      `${pct(low.meanAccuracy, 2)} (${low.architecture}) to ${pct(top.meanAccuracy, 2)} (${top.architecture})` +
      (tied ? ", every candidate within one standard deviation of the best: accuracy cannot tell them apart." : ": accuracy already separates some of them."),
  );
  parts.push(`${best.architecture} has the lowest mean log loss (${best.meanLogLoss.toPrecision(3)}).`);
  const logistic = rows.find((s) => s.hidden.length === 0);
  const hidden = rows.filter((s) => s.hidden.length > 0);
  if (logistic && hidden.length > 0) {
    const bestHidden = hidden.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a));
    if (bestHidden.meanLogLoss >= logistic.meanLogLoss) {
      parts.push(`No network with hidden layers beats logistic regression's mean log loss (${logistic.meanLogLoss.toPrecision(3)}): for this pair a linear boundary in pixel space is already enough, and the extra parameters buy nothing measurable.`);
    } else {
      const ratio = logistic.meanLogLoss / bestHidden.meanLogLoss;
      const beyondNoise = logistic.meanLogLoss - logistic.seLogLoss > bestHidden.meanLogLoss + bestHidden.seLogLoss;
      parts.push(
        `Hidden layers help: ${bestHidden.architecture} reaches ${bestHidden.meanLogLoss.toPrecision(3)} against logistic regression's ` +
          `${logistic.meanLogLoss.toPrecision(3)} (${ratio.toFixed(1)}× lower)` +
          (beyondNoise ? ", more than their standard errors can explain." : ", though within their standard errors."),
      );
    }
  }
  // A race stopped some candidates early: their means are over fewer folds than the others'.
  const stopped = record.summary.filter((s) => s.stopped);
  const raceNote = stopped.length === 0 ? "" : ` The race stopped ${stopped.map((s) => `${s.architecture} after ${s.stopped!.afterFolds}`).join(", ")} of ${folds * (record.config.repeats ?? 1)} folds (surely worse than the best): ${stopped.length === 1 ? "its scores are" : "their scores are"} over those folds alone.`;
  return parts.join(" ") + divergedNote + raceNote;
}

// ---------------------------------------------------------------------------------------------
// Notebook 03: training and evaluation

/** Does the validation loss follow the training loss, or turn upwards (overfitting)? */
export function trainingSentence(history: History): string {
  const { loss, val_loss: val, val_acc: valAcc } = history.history;
  const n = loss.length;
  if (n === 0) return "No epoch was trained.";
  if (!val || val.length === 0) return `The training loss went from ${loss[0].toPrecision(3)} to ${loss[n - 1].toPrecision(3)} over ${n} epochs.`;
  let minAt = 0;
  for (let i = 1; i < val.length; i++) if (val[i] < val[minAt]) minAt = i;
  const last = val[val.length - 1];
  const rise = last / val[minAt] - 1;
  const parts = [`Over ${n} epochs the training loss went from ${loss[0].toPrecision(3)} to ${loss[n - 1].toPrecision(3)} and the validation loss from ${val[0].toPrecision(3)} to ${last.toPrecision(3)}.`];
  if (minAt < val.length - 1 && rise > 0.1) {
    parts.push(`The validation loss was lowest after epoch ${minAt + 1} (${val[minAt].toPrecision(3)}) and has risen ${pct(rise, 0)} since: the model has started to overfit, and fewer epochs would generalise as well or better.`);
  } else {
    parts.push(`The validation loss is at or near its lowest at the end (lowest after epoch ${minAt + 1} of ${n}), so there is no harmful overfitting at this number of epochs.`);
  }
  if (last > loss[n - 1]) parts.push("It stays above the training loss: the model fits the rows it learns from a little better than new ones, as expected.");
  if (valAcc && valAcc.length > 0) parts.push(`Validation accuracy went from ${pct(valAcc[0], 2)} after the first epoch to ${pct(valAcc[valAcc.length - 1], 2)}.`);
  return parts.join(" ");
}

/** Test scores, compared with validation, and the number of errors. */
export function metricsSentence(sets: { validation?: { metrics: ClassificationMetrics }; test: { metrics: ClassificationMetrics } }, pair: Pair = DEFAULT_PAIR): string {
  const t = sets.test.metrics;
  const [[tn, fp], [fn, tp]] = t.confusionMatrix;
  const errors = fp + fn;
  const parts = [
    `On the ${thousands(tn + fp + fn + tp)} test digits the model scores accuracy ${t.accuracy.toFixed(4)}, precision ${t.precision.toFixed(4)}, recall ${t.recall.toFixed(4)} and F1 ${t.f1.toFixed(4)}: ` +
      `${errors === 0 ? "no errors" : `${thousands(errors)} error${errors === 1 ? "" : "s"}`}.`,
  ];
  if (sets.validation) {
    const diff = t.accuracy - sets.validation.metrics.accuracy;
    parts.push(
      Math.abs(diff) < 0.002
        ? `That is within 0.2 percentage points of the validation accuracy (${sets.validation.metrics.accuracy.toFixed(4)}): the model generalises to digits it has never seen.`
        : diff > 0
          ? `That is above the validation accuracy (${sets.validation.metrics.accuracy.toFixed(4)}): no sign of overfitting to the rows it learned from.`
          : `That is ${(-diff * 100).toFixed(1)} percentage points below the validation accuracy (${sets.validation.metrics.accuracy.toFixed(4)}): the test digits are harder, or the model fits its own data better than new data.`,
    );
  }
  if (isDefaultPair(pair)) parts.push("(The reference notebook reported 0.999 on this task.)");
  return parts.join(" ");
}

/** How many test digits are wrong, of which kind, and how confident the mistakes were. */
export function mistakesSentence(labels: ArrayLike<number>, probabilities: ArrayLike<number>, pair: Pair = DEFAULT_PAIR, threshold = 0.5): string {
  let aAsB = 0, bAsA = 0, confident = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i] > threshold ? 1 : 0;
    if (predicted === labels[i]) continue;
    if (labels[i] === 0) aAsB++;
    else bAsA++;
    if (probabilities[i] < 0.1 || probabilities[i] > 0.9) confident++;
  }
  const wrong = aAsB + bAsA;
  if (wrong === 0) return `Every test digit is classified correctly at threshold ${threshold}.`;
  const kinds = [
    aAsB > 0 ? `${countOf(aAsB, pair[0])} taken for ${digitPlural(pair[1])}` : "",
    bAsA > 0 ? `${countOf(bAsA, pair[1])} taken for ${digitPlural(pair[0])}` : "",
  ].filter((k) => k !== "").join(" and ");
  return (
    `${thousands(wrong)} test digit${wrong === 1 ? " is" : "s are"} misclassified: ${kinds}. ` +
    (confident === 0
      ? "None is a confident mistake"
      : wrong === 1
        ? "It is a confident mistake"
        : confident === 1
          ? "1 of them is a confident mistake"
          : `${thousands(confident)} of them are confident mistakes`) +
    ` (probability below 0.1 or above 0.9); ` +
    `a probability near 0.5 marks a digit the model was unsure of. Look at the images to judge whether they are sloppy digits or sloppy predictions.`
  );
}

/** How much of each class sits near its end of the probability range, and how much the threshold matters. */
export function confidenceSentence(labels: ArrayLike<number>, probabilities: ArrayLike<number>, pair: Pair = DEFAULT_PAIR): string {
  let a = 0, aNear = 0, b = 0, bNear = 0, middle = 0, at03 = 0, at07 = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i];
    if (labels[i] === 0) {
      a++;
      if (p < 0.1) aNear++;
    } else {
      b++;
      if (p > 0.9) bNear++;
    }
    if (p >= 0.1 && p <= 0.9) middle++;
    if ((p > 0.3) !== (p > 0.5)) at03++;
    if ((p > 0.7) !== (p > 0.5)) at07++;
  }
  return (
    `${pct(aNear / a)} of the ${digitPlural(pair[0])} get a probability below 0.1 and ${pct(bNear / b)} of the ${digitPlural(pair[1])} one above 0.9; ` +
    `${thousands(middle)} of ${thousands(labels.length)} test digits fall in between. Moving the threshold from 0.5 to 0.3 would change ${thousands(at03)} ` +
    `prediction${at03 === 1 ? "" : "s"}, to 0.7 ${thousands(at07)}.`
  );
}

/** What the AUC means for this pair. */
export function aucSentence(auc: number, pair: Pair = DEFAULT_PAIR): string {
  if (Number.isNaN(auc)) return "The AUC is undefined: the test set holds only one of the two digits.";
  return (
    `AUC ${auc.toFixed(5)}: a randomly chosen ${digitWord(pair[1])} gets a higher probability than a randomly chosen ` +
    `${digitWord(pair[0])} ${pct(auc, 2)} of the time (ties counting half).`
  );
}
