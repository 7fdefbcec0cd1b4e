// What a page embeds from Node: the network's float32 weights and test rows' pixels, in base64.
import type { Dataset } from "../../data/dataset";
import { weightsBytes, type Network } from "../../model/model";
import type { PageNetwork } from "./network";

/** The network's float32 weights for a page, in weights.bin's byte order (decodeNetwork reads them back). */
export function encodeNetwork(network: Network): PageNetwork {
  return {
    activation: network.config.activation,
    shapes: network.layers.map((l) => ({ inputs: l.inputs, units: l.units })),
    weights: Buffer.from(weightsBytes(network)).toString("base64"),
  };
}

/** Row `row` of a dataset as the CSV's 0–255 intensities (features are pixel / 255 in float32). */
export function rowPixels(dataset: Dataset, row: number): Uint8Array {
  if (!Number.isInteger(row) || row < 0 || row >= dataset.rows) throw new RangeError(`row ${row} is outside 0…${dataset.rows - 1}`);
  const out = new Uint8Array(dataset.cols);
  const base = row * dataset.cols;
  for (let c = 0; c < dataset.cols; c++) out[c] = Math.round(dataset.features[base + c] * 255);
  return out;
}

/** Rows' pixels, concatenated, in base64. */
export function rowsBase64(dataset: Dataset, rows: readonly number[]): string {
  const bytes = new Uint8Array(rows.length * dataset.cols);
  rows.forEach((r, k) => bytes.set(rowPixels(dataset, r), k * dataset.cols));
  return Buffer.from(bytes).toString("base64");
}
