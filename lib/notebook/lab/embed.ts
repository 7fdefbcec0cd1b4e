// What a lab panel embeds from Node: rows compressed (gzip, which every browser's
// DecompressionStream reads back), the training kernels' bytes with their SHA-256, and the bundled
// script of the panel's threads (built by `npm run build` from ./page).
import { gzipSync } from "node:zlib";
import type { Dataset } from "../../data/dataset";
import { loadKernels } from "../../model/kernels";
import { pageBundle } from "../draw/widget";
import type { EmbeddedRows, LabEngine } from "./lab-config";
import { rowBytes } from "./rows";

/**
 * The rows as a page carries them: labels and pixels as bytes (rows.ts), gzip at zlib's default
 * level (6), base64. Level 9 took 2.4 s instead of 0.1 s for the 12,665 training rows of 0 vs 1
 * (a long search through the digits' runs of zeros) for a 2.3% smaller result, 1,767,560 bytes
 * against 1,809,436: about 5 s of every report run, for 56 kB in report 02 and 65 kB in 03.
 */
export function embedRows(dataset: Dataset): EmbeddedRows {
  const gzip = gzipSync(rowBytes(dataset));
  return { rows: dataset.rows, cols: dataset.cols, gzip: Buffer.from(gzip.buffer, gzip.byteOffset, gzip.byteLength).toString("base64") };
}

/** The kernels and the bundled thread script `worker` (a name of dist/, without .js) a panel trains with. */
export function labEngine(worker: "lab-train-worker" | "lab-select-worker"): LabEngine {
  const kernels = loadKernels();
  return { kernels: Buffer.from(kernels.bytes).toString("base64"), sha256: kernels.sha256, worker: pageBundle(worker) };
}
