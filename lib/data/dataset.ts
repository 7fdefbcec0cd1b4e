// Dataset: what a loaded CSV becomes (rows of pixels in [0, 1] with 0/1 labels and the pair they
// stand for), the layout of a row, and the pure summaries of one: rows per class, the rows of other
// digits a load left out. (Its fingerprint is ./fingerprint's, which hashes with Node's crypto.)
import { DEFAULT_PAIR, type Pair } from "../core/pair";

/** Images as rows of pixels scaled to [0, 1], with their 0/1 labels. */
export interface Dataset {
  /** rows × cols values in [0, 1], row-major (pixel / 255). */
  features: Float32Array;
  /** One label per row, 0 or 1: 0 is the pair's first digit, 1 its second (see lib/core/pair). */
  labels: Uint8Array;
  rows: number;
  /** Pixels per image: 784 for 28×28. */
  cols: number;
  /** The digits labels 0 and 1 stand for; absent means [0, 1] (see datasetPair). */
  pair?: Pair;
}

/** What loadCsv returns: the dataset of a pair, and what it left out of the file. */
export interface LoadedDataset extends Dataset {
  pair: Pair;
  /** Rows of digits outside the pair that were skipped, per digit (digit ascending; none: []). */
  dropped: { digit: number; rows: number }[];
  /** For each kept row, its 0-based position among the file's data rows (skipped rows leave gaps). */
  rowIndex: Uint32Array;
}

/** The pair a dataset's labels stand for: its own, or the default 0 and 1. */
export function datasetPair(dataset: Dataset): Pair {
  return dataset.pair ?? DEFAULT_PAIR;
}

/** "dropped 3 rows of other digits (2: 1, 7: 2)", or "" when nothing was dropped. */
export function describeDropped(dropped: readonly { digit: number; rows: number }[]): string {
  const total = dropped.reduce((sum, d) => sum + d.rows, 0);
  if (total === 0) return "";
  const parts = dropped.map((d) => `${d.digit}: ${d.rows.toLocaleString("en-US")}`).join(", ");
  return `dropped ${total.toLocaleString("en-US")} row${total === 1 ? "" : "s"} of other digits (${parts})`;
}

/** Pixels per MNIST image (28 × 28); the CSV has this many pixel columns after the label. */
export const PIXELS = 784;
/** Columns of a CSV row: the label, then PIXELS pixels. */
export const CSV_COLUMNS = PIXELS + 1;
/** The reference header, shared with Kaggle's Digit Recognizer train.csv. */
export const CSV_HEADER_NAMES: readonly string[] = ["label", ...Array.from({ length: PIXELS }, (_, i) => `pixel${i}`)];

/** Rows per class: [zeros, ones]. Values other than 0 and 1 are not counted. */
export function classCounts(labels: ArrayLike<number>): [number, number] {
  let zeros = 0;
  let ones = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 0) zeros++;
    else if (labels[i] === 1) ones++;
  }
  return [zeros, ones];
}

