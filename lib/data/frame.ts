// DataFrame: a dataset as a danfojs-node DataFrame, for exploration in notebooks (training uses
// the Dataset itself).
import type { DataFrame } from "danfojs-node";
import { InputError } from "../core/errors";
import { quoteExcerpt } from "../core/format";
import { CSV_HEADER_NAMES, type Dataset } from "./dataset";


export interface ToDataFrameOptions {
  /** Columns to include, in this order (default: label, pixel0 … pixel783). */
  columns?: readonly string[];
  /**
   * danfo's lowMemoryMode (default true). When false danfo keeps a second, column-major copy of
   * every value: column access is faster, memory doubles.
   */
  lowMemoryMode?: boolean;
}

/**
 * The dataset as a danfojs-node DataFrame with integer columns label, pixel0 … pixel783 (0–255),
 * for exploration in notebooks. Training uses the Dataset directly.
 *
 * How danfo 1.2 stores data (node_modules/danfojs-node/dist/danfojs-base/core/generic.js):
 * - every frame keeps `$data`, an Array of row Arrays of JS values; typed arrays are rejected
 *   ("File format not supported"), and a tensor is turned into nested arrays with arraySync();
 * - unless config.lowMemoryMode is set it also keeps `$dataIncolumnFormat`, a transposed copy
 *   (a second 10 million values for the training set);
 * - an object of columns {label: [...], pixel0: [...]} is transposed to rows and then transposed
 *   back, so it costs three copies at construction.
 * So we build pre-sized row arrays straight from the Float32Array (small integers, stored unboxed
 * at 8 bytes each: Node's V8 has no pointer compression) and hand them over without a copy, with
 * lowMemoryMode on and explicit dtypes (no inference pass). Measured on data/train.csv
 * (12,665 × 785): rows ≈ 80 MB and the frame adds < 1 MB; without lowMemoryMode it adds ≈ 95 MB.
 * In lowMemoryMode danfo copies a column out of the rows when one is used (df["label"],
 * describe, groupby), which costs a few ms per column. The first call also loads danfo and
 * TensorFlow.js (≈ 1.5 s, prints a tfjs banner).
 */
export function toDataFrame(dataset: Dataset, options: ToDataFrameOptions = {}): DataFrame {
  const columns = options.columns ?? CSV_HEADER_NAMES;
  if (columns.length === 0) throw new InputError("toDataFrame: columns is empty; pass at least one of label, pixel0 … pixel783");
  const seen = new Set<string>();
  // Column index into the dataset: -1 for the label, k for pixelk.
  const sources = columns.map((c) => {
    const k = c === "label" ? -1 : /^pixel\d+$/.test(c) ? Number(c.slice(5)) : NaN;
    if (!(k >= -1 && k < dataset.cols)) throw new InputError(`toDataFrame: unknown column ${quoteExcerpt(c)}; expected label or pixel0 … pixel${dataset.cols - 1}`);
    if (seen.has(c)) throw new InputError(`toDataFrame: column ${quoteExcerpt(c)} is listed twice`);
    seen.add(c);
    return k;
  });

  const { features, labels, rows, cols } = dataset;
  const data: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    // Pre-sized: exactly 8 bytes per value; push() would leave ~8% growth slack per row and run slower.
    const row: number[] = new Array(sources.length);
    const base = i * cols;
    for (let j = 0; j < sources.length; j++) {
      const k = sources[j];
      row[j] = k < 0 ? labels[i] : Math.round(features[base + k] * 255);
    }
    data[i] = row;
  }
  // Required lazily: danfo loads TensorFlow.js, which training and the CLI do not need from here.
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  return new danfo.DataFrame(data, {
    columns: [...columns],
    dtypes: columns.map(() => "int32"),
    config: { lowMemoryMode: options.lowMemoryMode ?? true },
  });
}
