// Rows carried by a page, as bytes: one label byte per row, then every row's pixels as the CSV's
// 0–255 intensities. A Dataset's features are pixel / 255 in float32 (lib/data/csv.ts), so a byte
// per pixel holds them exactly and the page rebuilds the same float32 values, bit for bit: the
// weights it trains are then those Node trains. Shared by Node (which writes the bytes) and the page
// (which reads them): it imports nothing but types.
import type { Dataset } from "../../data/dataset";

/**
 * The dataset's labels and pixels as bytes (labels first). Refuses a dataset whose features are not
 * all k / 255 in float32 for an integer k (the page could not rebuild them exactly), or whose labels
 * are not 0 or 1.
 */
export function rowBytes(dataset: Dataset): Uint8Array {
  const { rows, cols, features, labels } = dataset;
  const bytes = new Uint8Array(rows + rows * cols);
  for (let r = 0; r < rows; r++) {
    if (labels[r] !== 0 && labels[r] !== 1) throw new RangeError(`row ${r}: label ${labels[r]}, expected 0 or 1`);
    bytes[r] = labels[r];
  }
  for (let i = 0; i < rows * cols; i++) {
    const pixel = Math.round(features[i] * 255);
    if (!(pixel >= 0 && pixel <= 255) || Math.fround(pixel / 255) !== features[i]) {
      throw new RangeError(`row ${Math.floor(i / cols)}, pixel ${i % cols}: ${features[i]} is not an intensity 0–255 divided by 255`);
    }
    bytes[rows + i] = pixel;
  }
  return bytes;
}

/** The Dataset of `rows` rows of `cols` pixels written by rowBytes: features pixel / 255 in float32, as loadCsv makes them. */
export function datasetFromBytes(bytes: Uint8Array, rows: number, cols: number): Dataset {
  if (bytes.length !== rows + rows * cols) throw new RangeError(`${bytes.length} bytes are not ${rows} rows of ${cols} pixels and a label`);
  const labels = bytes.slice(0, rows);
  const features = new Float32Array(rows * cols);
  for (let i = 0; i < features.length; i++) features[i] = bytes[rows + i] / 255;
  return { features, labels, rows, cols };
}
