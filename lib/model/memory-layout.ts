// Memory layout: where everything goes in one engine's WebAssembly memory — the net table, weights
// padded to SIMD width, gradients and Adam state, rows as CSR — computed from the layer widths and
// the shape of the data alone. The Engine lays itself out with it and the memory budget
// (memory.ts) estimates with it, so an estimate is exactly what would be allocated.
import type { Dataset } from "../data/dataset";

/** Int32 words per layer in the net table the kernels read (sizes, then offsets). */
export const LAYER_WORDS = 9;
/** Int32 words per Adam slot: weights, gradient, both moments, length, active-rows table. */
export const SLOT_WORDS = 6;
/** Bytes of a WebAssembly page, the unit memory is allocated in. */
export const WASM_PAGE = 65536;
const pad4 = (n: number) => Math.ceil(n / 4) * 4;

/** Byte offsets handed out in order, 16-byte aligned for SIMD loads. */
class Planner {
  // the first page is left to the kernels' own static data
  size = WASM_PAGE;
  take(bytes: number): number {
    const at = this.size;
    this.size += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

/** Rows as CSR in wasm memory, plus labels. */
export interface RowsBlock {
  rows: number;
  indptr: number;
  indices: number;
  values: number;
  labels: number;
}

export function countNonZero(dataset: Dataset): number {
  const f = dataset.features;
  let nnz = 0;
  for (let i = 0; i < f.length; i++) if (f[i] !== 0) nnz++;
  return nnz;
}

/** Rows and non-zero pixels of a dataset: what its part of an engine's memory depends on. */
export function partShape(dataset: Dataset): PartShape {
  return { rows: dataset.rows, nonZero: countNonZero(dataset) };
}

function planRows(plan: Planner, rows: number, nnz: number): RowsBlock {
  return {
    rows,
    indptr: plan.take(4 * (rows + 1)),
    indices: plan.take(2 * nnz),
    values: plan.take(4 * nnz),
    labels: plan.take(rows),
  };
}

export interface LayerBlock {
  nIn: number;
  nOut: number;
  nPad: number;
  kernel: number;
  bias: number;
  gradKernel: number;
  gradBias: number;
  out: number;
  delta: number;
}

export interface AdamBlock {
  m: number;
  v: number;
}

/** How many rows a part has and how many of their pixels are not 0: all the layout needs of data. */
export interface PartShape {
  rows: number;
  nonZero: number;
}

export interface LayoutParts {
  train?: PartShape;
  validation?: PartShape;
  predict?: PartShape;
}

/** Bytes of one engine's memory, by what they hold (they add up to `bytes` with the first page). */
export interface MemoryParts {
  /** Kernels and biases, padded to SIMD width. */
  weights: number;
  /** Their gradients (training only). */
  gradients: number;
  /** Adam's first and second moments (training only). */
  adam: number;
  /** Rows as CSR, labels, the row order, predictions. */
  data: number;
  /** Per-layer outputs and deltas, tables, alignment, the kernels' own first page. */
  other: number;
}

export interface Layout {
  /** Whole pages: what `new WebAssembly.Memory` is asked for. */
  bytes: number;
  parts: MemoryParts;
  net: number;
  layers: LayerBlock[];
  adam: AdamBlock[];
  slots: number;
  activeRows: number;
  blocks: { train?: RowsBlock; validation?: RowsBlock; predict?: RowsBlock; predictOut?: number };
  orderAt: number;
}

/**
 * Where everything goes in an engine's memory, from the layer widths and the shape of the data
 * alone: the Engine lays itself out with it, and engineMemory() estimates with it, so an estimate
 * is exactly what would be allocated.
 */
export function planLayout(sizes: readonly number[], parts: LayoutParts): Layout {
  const plan = new Planner();
  const tally = { weights: 0, gradients: 0, adam: 0, data: 0 };
  const take = (bytes: number, kind?: keyof typeof tally) => {
    const before = plan.size;
    const at = plan.take(bytes);
    if (kind) tally[kind] += plan.size - before;
    return at;
  };
  const training = parts.train !== undefined;
  const net = take(4 * (2 + LAYER_WORDS * (sizes.length - 1)));
  const layers: LayerBlock[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const nPad = pad4(nOut);
    const floats = nIn * nPad;
    layers.push({
      nIn,
      nOut,
      nPad,
      kernel: take(4 * floats, "weights"),
      bias: take(4 * nPad, "weights"),
      gradKernel: training ? take(4 * floats, "gradients") : 0,
      gradBias: training ? take(4 * nPad, "gradients") : 0,
      out: take(4 * nPad),
      delta: take(4 * nPad),
    });
  }
  const adam: AdamBlock[] = training
    ? layers.flatMap((l) => [
        { m: take(4 * l.nIn * l.nPad, "adam"), v: take(4 * l.nIn * l.nPad, "adam") },
        { m: take(4 * l.nPad, "adam"), v: take(4 * l.nPad, "adam") },
      ])
    : [];
  const slots = training ? take(4 * (1 + SLOT_WORDS * adam.length)) : 0;
  const activeRows = training ? take(4 * (2 + sizes[0])) : 0;
  const blocks: Layout["blocks"] = {};
  const dataStart = plan.size;
  for (const part of ["train", "validation", "predict"] as const) {
    const shape = parts[part];
    if (shape) blocks[part] = planRows(plan, shape.rows, shape.nonZero);
  }
  const orderAt = parts.train ? plan.take(4 * parts.train.rows) : 0;
  if (parts.predict) blocks.predictOut = plan.take(8 * parts.predict.rows);
  tally.data += plan.size - dataStart;
  const bytes = Math.ceil(plan.size / WASM_PAGE) * WASM_PAGE;
  const other = bytes - tally.weights - tally.gradients - tally.adam - tally.data;
  return { bytes, parts: { ...tally, other }, net, layers, adam, slots, activeRows, blocks, orderAt };
}

/**
 * The most one engine's memory can hold: memory32 addresses 2^32 bytes (65,536 pages of 64 KiB),
 * which is also V8's ceiling; asking for more throws a RangeError ("above the upper bound").
 */
export const MAX_MEMORY_BYTES = 2 ** 32;

/**
 * The memory an Engine for this network and data would allocate, in bytes (whole pages), and what
 * it holds: for checking a run fits before anything is allocated.
 */
export function engineMemory(sizes: readonly number[], parts: LayoutParts): { bytes: number; parts: MemoryParts } {
  const { bytes, parts: byKind } = planLayout(sizes, parts);
  return { bytes, parts: byKind };
}

export function describeParts(parts: LayoutParts): string {
  const rows = (["train", "validation", "predict"] as const).filter((p) => parts[p]).map((p) => `${parts[p]!.rows.toLocaleString("en-US")} ${p === "train" ? "training" : p} rows`);
  return rows.length === 0 ? "no rows" : rows.join(" and ");
}
