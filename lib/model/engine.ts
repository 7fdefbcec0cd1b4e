// Engine: runs a network on the WebAssembly kernels (assembly/kernels.ts → dist/kernels.wasm).
// This file lays out one WebAssembly memory per run — weights padded to SIMD width, Adam
// state, rows as CSR — and copies weights in and out. The arithmetic lives in the kernels.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "../data/dataset";
import { projectRoot } from "../core/project";
import { InputError } from "../core/errors";
import { formatBytes } from "../core/format";
import { layerSizes, type Activation, type Network } from "./model";

interface Kernels {
  trainEpoch(net: number, slots: number, indptr: number, indices: number, values: number, labels: number, order: number,
    n: number, batchSize: number, learningRate: number, beta1: number, beta2: number, epsilon: number, firstStep: number): number;
  score(net: number, indptr: number, indices: number, values: number, labels: number, n: number): number;
  predict(net: number, indptr: number, indices: number, values: number, n: number, out: number): void;
  correct(): number;
}

let compiled: { module: WebAssembly.Module; sha256: string } | null = null;

function kernels(): { module: WebAssembly.Module; sha256: string } {
  if (!compiled) {
    const file = join(projectRoot(), "dist", "kernels.wasm");
    if (!existsSync(file)) throw new Error(`${file} is missing: build it with \`npm run build\``);
    const bytes = readFileSync(file);
    compiled = { module: new WebAssembly.Module(bytes), sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  return compiled;
}

/** What trains: for experiment records, so a result can be traced to the exact kernels. */
export function engineInfo(): { engine: string; kernelsSha256: string } {
  return { engine: "WebAssembly SIMD kernels (assembly/kernels.ts)", kernelsSha256: kernels().sha256 };
}

const ACTIVATION_CODE: Record<Activation, number> = { sigmoid: 0, relu: 1, tanh: 2 };
const LAYER_WORDS = 9;
const SLOT_WORDS = 6;
const PAGE = 65536;
const pad4 = (n: number) => Math.ceil(n / 4) * 4;

/** Byte offsets handed out in order, 16-byte aligned for SIMD loads. */
class Planner {
  // the first page is left to the kernels' own static data
  size = PAGE;
  take(bytes: number): number {
    const at = this.size;
    this.size += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

/** Rows as CSR in wasm memory, plus labels. */
interface RowsBlock {
  rows: number;
  indptr: number;
  indices: number;
  values: number;
  labels: number;
}

function countNonZero(dataset: Dataset): number {
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

/** Writes the rows' non-zero pixels; marks in `seen` every pixel that is non-zero somewhere. */
function fillRows(buffer: ArrayBuffer, block: RowsBlock, dataset: Dataset, nnz: number, seen?: Uint8Array): void {
  const indptr = new Uint32Array(buffer, block.indptr, dataset.rows + 1);
  const indices = new Uint16Array(buffer, block.indices, nnz);
  const values = new Float32Array(buffer, block.values, nnz);
  new Uint8Array(buffer, block.labels, dataset.rows).set(dataset.labels);
  const { features, rows, cols } = dataset;
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const x = features[base + c];
      if (x !== 0) {
        indices[k] = c;
        values[k] = x;
        if (seen) seen[c] = 1;
        k++;
      }
    }
    indptr[r + 1] = k;
  }
}

interface LayerBlock {
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

interface AdamBlock {
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

interface Layout {
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
function planLayout(sizes: readonly number[], parts: LayoutParts): Layout {
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
  const bytes = Math.ceil(plan.size / PAGE) * PAGE;
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

function describeParts(parts: LayoutParts): string {
  const rows = (["train", "validation", "predict"] as const).filter((p) => parts[p]).map((p) => `${parts[p]!.rows.toLocaleString("en-US")} ${p === "train" ? "training" : p} rows`);
  return rows.length === 0 ? "no rows" : rows.join(" and ");
}

export interface EngineParts {
  /** Rows to train on (an order array and Adam state are laid out too). */
  train?: Dataset;
  /** Rows to score after each epoch. */
  validation?: Dataset;
  /** Rows to predict. */
  predict?: Dataset;
}

/**
 * One network living in one WebAssembly memory, with the rows it works on. Not shared
 * between runs: each Trainer (and each worker) has its own, so runs never interfere.
 */
export class Engine {
  private readonly kernels: Kernels;
  private readonly memory: WebAssembly.Memory;
  private readonly net: number;
  private readonly slots: number;
  private readonly layers: LayerBlock[];
  private readonly blocks: { train?: RowsBlock; validation?: RowsBlock; predict?: RowsBlock; predictOut?: number };
  private readonly network: Network;
  /** Row order of the next epoch, shuffled in place by the caller. */
  readonly order: Uint32Array | null;

  constructor(network: Network, parts: EngineParts) {
    this.network = network;
    const sizes = layerSizes(network.config);
    const nnz = { train: 0, validation: 0, predict: 0 };
    const shapes: LayoutParts = {};
    for (const part of ["train", "validation", "predict"] as const) {
      const ds = parts[part];
      if (ds) {
        if (ds.cols > 65536) throw new RangeError(`at most 65,536 pixels per row are supported, got ${ds.cols}`);
        nnz[part] = countNonZero(ds);
        shapes[part] = { rows: ds.rows, nonZero: nnz[part] };
      }
    }
    const layout = planLayout(sizes, shapes);
    if (layout.bytes > MAX_MEMORY_BYTES) {
      // The callers that train check this earlier, with what to change; this is the last guard.
      throw new InputError(
        `${layerSizes(network.config).join("→")} with ${describeParts(shapes)} needs ${formatBytes(layout.bytes)} of WebAssembly memory, ` +
          `more than the ${formatBytes(MAX_MEMORY_BYTES)} one WebAssembly memory can hold; use smaller hidden layers or fewer rows`,
      );
    }
    const { net, layers, adam, slots, activeRows, blocks, orderAt } = layout;
    const training = parts.train !== undefined;

    try {
      this.memory = new WebAssembly.Memory({ initial: layout.bytes / PAGE });
    } catch (error) {
      // Within the ceiling, a RangeError here means the system would not give us the memory.
      if (!(error instanceof RangeError)) throw error;
      throw new InputError(
        `could not allocate ${formatBytes(layout.bytes)} of WebAssembly memory for ${layerSizes(network.config).join("→")} with ${describeParts(shapes)} ` +
          `(${error.message}): the machine has too little free memory; close other programs, use fewer workers or choose smaller hidden layers`,
      );
    }
    const buffer = this.memory.buffer;
    const instance = new WebAssembly.Instance(kernels().module, {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error("the WebAssembly kernels aborted");
        },
      },
    });
    this.kernels = instance.exports as unknown as Kernels;
    this.net = net;
    this.slots = slots;
    this.layers = layers;
    this.blocks = blocks;

    // the net table the kernels read
    const table = new Int32Array(buffer, net, 2 + LAYER_WORDS * layers.length);
    table[0] = layers.length;
    table[1] = ACTIVATION_CODE[network.config.activation];
    layers.forEach((l, i) => {
      table.set([l.nIn, l.nOut, l.nPad, l.kernel, l.bias, l.gradKernel, l.gradBias, l.out, l.delta], 2 + LAYER_WORDS * i);
    });
    this.writeWeights(network);

    const seen = new Uint8Array(sizes[0]);
    for (const part of ["train", "validation", "predict"] as const) {
      const ds = parts[part];
      if (ds) fillRows(buffer, blocks[part]!, ds, nnz[part], part === "train" ? seen : undefined);
    }

    if (training) {
      // A first-layer row whose pixel is 0 in every training row never gets a gradient; Adam
      // then moves it by 0/(0+ε) = 0 forever, so leaving it out of the update is exact.
      const active: number[] = [];
      seen.forEach((s, c) => s && active.push(c));
      const rowsTable = new Int32Array(buffer, activeRows, 2 + active.length);
      rowsTable[0] = active.length;
      rowsTable[1] = layers[0].nPad;
      rowsTable.set(active, 2);
      const slotTable = new Int32Array(buffer, slots, 1 + SLOT_WORDS * adam.length);
      slotTable[0] = adam.length;
      layers.forEach((l, i) => {
        const k = adam[2 * i];
        const b = adam[2 * i + 1];
        slotTable.set([l.kernel, l.gradKernel, k.m, k.v, l.nIn * l.nPad, i === 0 ? activeRows : 0], 1 + SLOT_WORDS * (2 * i));
        slotTable.set([l.bias, l.gradBias, b.m, b.v, l.nPad, 0], 1 + SLOT_WORDS * (2 * i + 1));
      });
    }
    this.order = parts.train ? new Uint32Array(buffer, orderAt, parts.train.rows) : null;
    if (this.order) for (let i = 0; i < this.order.length; i++) this.order[i] = i;
  }

  /** Bytes of this engine's WebAssembly memory: what engineMemory() estimates. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private writeWeights(network: Network): void {
    const buffer = this.memory.buffer;
    network.layers.forEach((layer, i) => {
      const l = this.layers[i];
      const kernel = new Float32Array(buffer, l.kernel, l.nIn * l.nPad);
      for (let r = 0; r < l.nIn; r++) kernel.set(layer.kernel.subarray(r * l.nOut, (r + 1) * l.nOut), r * l.nPad);
      new Float32Array(buffer, l.bias, l.nPad).set(layer.bias);
    });
  }

  /** The current weights, unpadded, as a float32 Network. */
  readNetwork(): Network {
    const buffer = this.memory.buffer;
    const layers = this.layers.map((l) => {
      const padded = new Float32Array(buffer, l.kernel, l.nIn * l.nPad);
      const kernel = new Float32Array(l.nIn * l.nOut);
      for (let r = 0; r < l.nIn; r++) kernel.set(padded.subarray(r * l.nPad, r * l.nPad + l.nOut), r * l.nOut);
      return { inputs: l.nIn, units: l.nOut, kernel, bias: new Float32Array(buffer, l.bias, l.nOut).slice() };
    });
    const { config } = this.network;
    return { config: { ...config, hidden: [...config.hidden] }, layers };
  }

  /** One epoch over `order`; returns the summed loss and the number classified right. */
  trainEpoch(batchSize: number, learningRate: number, adam: { beta1: number; beta2: number; epsilon: number }, firstStep: number): { lossSum: number; correct: number } {
    const block = this.blocks.train;
    if (!block || !this.order) throw new Error("this engine was not given training rows");
    const orderAt = this.order.byteOffset;
    const lossSum = this.kernels.trainEpoch(this.net, this.slots, block.indptr, block.indices, block.values, block.labels, orderAt,
      block.rows, batchSize, learningRate, adam.beta1, adam.beta2, adam.epsilon, firstStep);
    return { lossSum, correct: this.kernels.correct() };
  }

  /** Summed loss and number right on the validation rows. */
  scoreValidation(): { lossSum: number; correct: number; rows: number } {
    const block = this.blocks.validation;
    if (!block) throw new Error("this engine was not given validation rows");
    const lossSum = this.kernels.score(this.net, block.indptr, block.indices, block.values, block.labels, block.rows);
    return { lossSum, correct: this.kernels.correct(), rows: block.rows };
  }

  /** Probability of class 1 for every prediction row. */
  predict(): Float64Array {
    const block = this.blocks.predict;
    if (!block || this.blocks.predictOut === undefined) throw new Error("this engine was not given rows to predict");
    this.kernels.predict(this.net, block.indptr, block.indices, block.values, block.rows, this.blocks.predictOut);
    return new Float64Array(this.memory.buffer, this.blocks.predictOut, block.rows).slice();
  }
}
