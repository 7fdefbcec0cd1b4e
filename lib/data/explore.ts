// Exploration: numbers the exploratory notebook reports about a Dataset — per-image features
// (ink, bounding box, centroid), pixel statistics per class, data-quality counts and seeded
// samples. Pure functions over typed arrays; lib/charts/explore.ts turns their results into
// figures.
import { createHash } from "node:crypto";
import type { DataFrame } from "danfojs-node";
import * as ss from "simple-statistics";
import { datasetPair, type Dataset } from "./dataset";
import type { Pair } from "../core/pair";
import { createRng } from "../core/random";

/** Per-image features, one entry per row of the dataset. */
export interface ImageFeatures {
  labels: Uint8Array;
  /** The digits labels 0 and 1 stand for (absent: 0 and 1). */
  pair?: Pair;
  /** Sum of the pixel intensities in [0, 1]: how much ink the digit uses. */
  ink: Float64Array;
  /** Columns between the leftmost and rightmost inked pixel, inclusive (0 for a blank image). */
  width: Float64Array;
  /** Rows between the top and bottom inked pixel, inclusive (0 for a blank image). */
  height: Float64Array;
  /** Intensity-weighted mean column, 0 = left edge (NaN for a blank image). */
  centroidX: Float64Array;
  /** Intensity-weighted mean row, 0 = top edge (NaN for a blank image). */
  centroidY: Float64Array;
}

export type FeatureName = "ink" | "width" | "height" | "centroidX" | "centroidY";

export const FEATURES: readonly { name: FeatureName; label: string }[] = [
  { name: "ink", label: "ink mass (sum of intensities)" },
  { name: "width", label: "bounding-box width (px)" },
  { name: "height", label: "bounding-box height (px)" },
  { name: "centroidX", label: "centroid column (px)" },
  { name: "centroidY", label: "centroid row (px)" },
];

/** Side of the dataset's square images (28 for MNIST); a RangeError when cols is not a square. */
export function imageSide(dataset: Dataset): number {
  const side = Math.round(Math.sqrt(dataset.cols));
  if (side * side !== dataset.cols) throw new RangeError(`images must be square: ${dataset.cols} pixels per row is not a square`);
  return side;
}

/** Ink, bounding box and centroid of every image. A pixel is inked when its intensity is above 0. */
export function imageFeatures(dataset: Dataset): ImageFeatures {
  const side = imageSide(dataset);
  const { rows, cols, features } = dataset;
  const out: ImageFeatures = {
    labels: dataset.labels,
    pair: datasetPair(dataset),
    ink: new Float64Array(rows),
    width: new Float64Array(rows),
    height: new Float64Array(rows),
    centroidX: new Float64Array(rows),
    centroidY: new Float64Array(rows),
  };
  for (let r = 0; r < rows; r++) {
    let ink = 0, sx = 0, sy = 0;
    let left = side, right = -1, top = side, bottom = -1;
    const base = r * cols;
    for (let p = 0; p < cols; p++) {
      const v = features[base + p];
      if (v <= 0) continue;
      const y = Math.floor(p / side);
      const x = p - y * side;
      ink += v;
      sx += v * x;
      sy += v * y;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
    out.ink[r] = ink;
    out.width[r] = right < 0 ? 0 : right - left + 1;
    out.height[r] = bottom < 0 ? 0 : bottom - top + 1;
    out.centroidX[r] = ink > 0 ? sx / ink : NaN;
    out.centroidY[r] = ink > 0 ? sy / ink : NaN;
  }
  return out;
}

/** One row of a per-class description of a feature. */
export interface FeatureDescription {
  feature: string;
  /** The class's digit (0 or 1 for the default pair, 4 or 9 for 4 against 9). */
  class: number;
  count: number;
  mean: number;
  sd: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/**
 * count, mean, sample standard deviation, min, quartiles and max of `values` (simple-statistics;
 * quartiles interpolated as in numpy's default). NaN values (blank images) are left out.
 */
export function describe(values: ArrayLike<number>): Omit<FeatureDescription, "feature" | "class"> {
  const xs = Array.from(values).filter((v) => !Number.isNaN(v));
  if (xs.length === 0) return { count: 0, mean: NaN, sd: NaN, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN };
  const sorted = xs.sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: ss.mean(sorted),
    sd: sorted.length > 1 ? ss.sampleStandardDeviation(sorted) : 0,
    min: sorted[0],
    q1: quantileLinear(sorted, 0.25),
    median: quantileLinear(sorted, 0.5),
    q3: quantileLinear(sorted, 0.75),
    max: sorted[sorted.length - 1],
  };
}

// simple-statistics' quantileSorted picks an order statistic; interpolating between the two
// nearest ones matches pandas' describe() and numpy's default, which readers will compare with.
function quantileLinear(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return lo === hi ? sorted[lo] : sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Every feature described per class (named by its digit): rows ordered by feature, then the pair's first digit before its second. */
export function describeFeatures(features: ImageFeatures): FeatureDescription[] {
  const pair = features.pair ?? [0, 1];
  const out: FeatureDescription[] = [];
  for (const { name, label } of FEATURES) {
    for (const cls of [0, 1]) {
      const values = features[name].filter((_, i) => features.labels[i] === cls);
      out.push({ feature: label, class: pair[cls], ...describe(values) });
    }
  }
  return out;
}

/** The features as a danfo DataFrame (label, ink, width, height, centroidX, centroidY), for group-bys. */
export function featureFrame(features: ImageFeatures): DataFrame {
  // Required lazily, as in frame.ts: danfo loads TensorFlow.js.
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  const pair = features.pair ?? [0, 1];
  // The label column holds the digits, so a group-by names the classes as the reader knows them.
  const columns: Record<string, number[]> = { label: Array.from(features.labels, (l) => pair[l]) };
  for (const { name } of FEATURES) columns[name] = Array.from(features[name], (v) => Math.round(v * 1000) / 1000);
  return new danfo.DataFrame(columns);
}

/** How often each intensity 0–255 occurs, per class: counts[c][v] pixels of class c have value v. */
export interface PixelHistogram {
  counts: [number[], number[]];
  /** The digits of classes 0 and 1 (absent: 0 and 1). */
  pair?: Pair;
}

export function pixelHistogram(dataset: Dataset): PixelHistogram {
  const counts: [number[], number[]] = [new Array(256).fill(0), new Array(256).fill(0)];
  const { rows, cols, features, labels } = dataset;
  for (let r = 0; r < rows; r++) {
    const target = counts[labels[r]];
    if (!target) continue;
    const base = r * cols;
    for (let p = 0; p < cols; p++) target[Math.round(features[base + p] * 255)]++;
  }
  return { counts, pair: datasetPair(dataset) };
}

/** Mean and variance of every pixel (intensity 0–255), per class. */
export interface ClassPixelStats {
  side: number;
  /** Images per class. */
  count: [number, number];
  /** mean[c][p]: mean intensity of pixel p over images of class c. */
  mean: [Float64Array, Float64Array];
  /** variance[c][p]: population variance of pixel p over images of class c. */
  variance: [Float64Array, Float64Array];
  /** The digits of classes 0 and 1 (absent: 0 and 1). */
  pair?: Pair;
}

export function classPixelStats(dataset: Dataset): ClassPixelStats {
  const side = imageSide(dataset);
  const { rows, cols, features, labels } = dataset;
  const sum = [new Float64Array(cols), new Float64Array(cols)];
  const sumSq = [new Float64Array(cols), new Float64Array(cols)];
  const count: [number, number] = [0, 0];
  for (let r = 0; r < rows; r++) {
    const c = labels[r];
    if (c !== 0 && c !== 1) continue;
    count[c]++;
    const s = sum[c];
    const q = sumSq[c];
    const base = r * cols;
    for (let p = 0; p < cols; p++) {
      const v = features[base + p] * 255;
      s[p] += v;
      q[p] += v * v;
    }
  }
  const mean: [Float64Array, Float64Array] = [new Float64Array(cols), new Float64Array(cols)];
  const variance: [Float64Array, Float64Array] = [new Float64Array(cols), new Float64Array(cols)];
  for (const c of [0, 1]) {
    if (count[c] === 0) {
      mean[c].fill(NaN);
      variance[c].fill(NaN);
      continue;
    }
    for (let p = 0; p < cols; p++) {
      const m = sum[c][p] / count[c];
      mean[c][p] = m;
      variance[c][p] = Math.max(0, sumSq[c][p] / count[c] - m * m);
    }
  }
  return { side, count, mean, variance, pair: datasetPair(dataset) };
}

/** Data-quality counts: what a reader checks before trusting the rest. */
export interface DataQuality {
  rows: number;
  columns: number;
  /** Missing cells counted by danfo (isNa) when a frame is given, else 0 (the loader rejects empty cells). */
  missingCells: number;
  /** Rows identical (label and pixels) to an earlier row. */
  duplicateRows: number;
  /** Images whose pixels equal an earlier image's but whose label differs. */
  conflictingDuplicates: number;
  /** Pixels that are 0 in every image. */
  blankPixels: number;
}

export function dataQuality(dataset: Dataset, frame?: DataFrame): DataQuality {
  const { rows, cols, features, labels } = dataset;
  const seen = new Map<string, number>();
  let duplicateRows = 0;
  let conflictingDuplicates = 0;
  for (let r = 0; r < rows; r++) {
    const bytes = new Uint8Array(features.buffer, features.byteOffset + r * cols * 4, cols * 4);
    const key = createHash("sha1").update(bytes).digest("base64");
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, labels[r]);
    else if (earlier === labels[r]) duplicateRows++;
    else conflictingDuplicates++;
  }
  let blankPixels = 0;
  for (let p = 0; p < cols; p++) {
    let any = false;
    for (let r = 0; r < rows && !any; r++) any = features[r * cols + p] > 0;
    if (!any) blankPixels++;
  }
  let missingCells = 0;
  if (frame) {
    const perColumn = frame.isNa().sum({ axis: 0 }).values as number[];
    missingCells = perColumn.reduce((a, b) => a + Number(b), 0);
  }
  return { rows, columns: cols + 1, missingCells, duplicateRows, conflictingDuplicates, blankPixels };
}

/**
 * `count` distinct row indices of 0…n-1 drawn with seed `seed` (a partial Fisher–Yates shuffle),
 * in draw order; all n of them when count ≥ n.
 */
export function sampleIndices(n: number, count: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const take = Math.max(0, Math.min(count, n));
  const pool = new Uint32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, take);
}
