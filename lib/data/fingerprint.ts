// A dataset's fingerprint: a short id of its contents, for experiment records, fold-cache keys and
// saved models. In Node only (it hashes with node:crypto); what runs in a page never needs it.
import { createHash } from "node:crypto";
import type { Dataset } from "./dataset";

/**
 * A short stable id of a dataset's contents (first 16 hex digits of a sha256 over rows, cols,
 * labels and feature bytes), for experiment records and saved models: same data, same id.
 * Float32 bytes are hashed as stored (little-endian on every platform Node supports in practice).
 */
export function datasetFingerprint(dataset: Dataset): string {
  const { features, labels, rows, cols } = dataset;
  if (features.length !== rows * cols || labels.length !== rows) {
    throw new RangeError(`inconsistent dataset: ${rows} rows × ${cols} cols but ${features.length} features and ${labels.length} labels`);
  }
  return createHash("sha256")
    .update(`dataset v1 ${rows}x${cols}\n`)
    .update(labels)
    .update(new Uint8Array(features.buffer, features.byteOffset, features.byteLength))
    .digest("hex")
    .slice(0, 16);
}
