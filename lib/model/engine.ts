// Engine: runs a network on the WebAssembly kernels (assembly/kernels.ts → dist/kernels.wasm, read
// by ./kernels in Node, given by the page in a report's lab). This file fills one WebAssembly memory
// per run, laid out by memory-layout.ts — the tables the kernels read, the rows as CSR — and copies
// weights in and out. The arithmetic lives in the kernels.
import type { Dataset } from "../data/dataset";
import { InputError } from "../core/errors";
import { formatBytes } from "../core/format";
import { layerSizes, type Activation, type Network } from "./model";
import { loadKernels } from "./kernels";
import { countNonZero, describeParts, LAYER_WORDS, MAX_MEMORY_BYTES, WASM_PAGE, planLayout, SLOT_WORDS, type Layout, type LayoutParts, type LayerBlock, type RowsBlock } from "./memory-layout";

interface Kernels {
  trainEpoch(net: number, slots: number, indptr: number, indices: number, values: number, labels: number, order: number,
    n: number, batchSize: number, learningRate: number, beta1: number, beta2: number, epsilon: number, firstStep: number): number;
  score(net: number, indptr: number, indices: number, values: number, labels: number, n: number): number;
  predict(net: number, indptr: number, indices: number, values: number, n: number, out: number): void;
  correct(): number;
}

/** What trains: for experiment records, so a result can be traced to the exact kernels. */
export function engineInfo(): { engine: string; kernelsSha256: string } {
  return { engine: "WebAssembly SIMD kernels (assembly/kernels.ts)", kernelsSha256: loadKernels().sha256 };
}

const ACTIVATION_CODE: Record<Activation, number> = { sigmoid: 0, relu: 1, tanh: 2 };

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

export interface EngineParts {
  /** Rows to train on (an order array and Adam state are laid out too). */
  train?: Dataset;
  /** Rows to score after each epoch. */
  validation?: Dataset;
  /** Rows to predict. */
  predict?: Dataset;
}

/** The shape of each part an engine is given, and its non-zero pixels (counted once: fillRows needs them too). */
function measureParts(parts: EngineParts): { shapes: LayoutParts; nonZero: Record<keyof EngineParts, number> } {
  const nonZero = { train: 0, validation: 0, predict: 0 };
  const shapes: LayoutParts = {};
  for (const part of ["train", "validation", "predict"] as const) {
    const ds = parts[part];
    if (ds) {
      if (ds.cols > 65536) throw new RangeError(`at most 65,536 pixels per row are supported, got ${ds.cols}`);
      nonZero[part] = countNonZero(ds);
      shapes[part] = { rows: ds.rows, nonZero: nonZero[part] };
    }
  }
  return { shapes, nonZero };
}

/** One WebAssembly memory of `bytes`; a size past the ceiling, or one the system refuses, is an InputError saying what to change. */
function allocateMemory(bytes: number, network: Network, shapes: LayoutParts): WebAssembly.Memory {
  const what = `${layerSizes(network.config).join("→")} with ${describeParts(shapes)}`;
  if (bytes > MAX_MEMORY_BYTES) {
    // The callers that train check this earlier, with what to change; this is the last guard.
    throw new InputError(
      `${what} needs ${formatBytes(bytes)} of WebAssembly memory, ` +
        `more than the ${formatBytes(MAX_MEMORY_BYTES)} one WebAssembly memory can hold; use smaller hidden layers or fewer rows`,
    );
  }
  try {
    return new WebAssembly.Memory({ initial: bytes / WASM_PAGE });
  } catch (error) {
    // Within the ceiling, a RangeError here means the system would not give us the memory.
    if (!(error instanceof RangeError)) throw error;
    throw new InputError(
      `could not allocate ${formatBytes(bytes)} of WebAssembly memory for ${what} ` +
        `(${error.message}): the machine has too little free memory; close other programs, train on fewer threads or choose smaller hidden layers`,
    );
  }
}

function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(loadKernels().module, {
    env: {
      memory,
      abort: () => {
        throw new Error("the WebAssembly kernels aborted");
      },
    },
  });
  return instance.exports as unknown as Kernels;
}

/** The net table the kernels read: layer count, activation, then each layer's sizes and offsets. */
function writeNetTable(buffer: ArrayBuffer, layout: Layout, activation: Activation): void {
  const { layers } = layout;
  const table = new Int32Array(buffer, layout.net, 2 + LAYER_WORDS * layers.length);
  table[0] = layers.length;
  table[1] = ACTIVATION_CODE[activation];
  layers.forEach((l, i) => {
    table.set([l.nIn, l.nOut, l.nPad, l.kernel, l.bias, l.gradKernel, l.gradBias, l.out, l.delta], 2 + LAYER_WORDS * i);
  });
}

/** What Adam's update reads: the first layer's active rows, and one slot per weight array (weights, gradient, moments, size). */
function writeTrainingTables(buffer: ArrayBuffer, layout: Layout, seen: Uint8Array): void {
  const { layers, adam, activeRows, slots } = layout;
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
  private readonly blocks: Layout["blocks"];
  private readonly network: Network;
  /** Row order of the next epoch, shuffled in place by the caller. */
  readonly order: Uint32Array | null;

  constructor(network: Network, parts: EngineParts) {
    this.network = network;
    const sizes = layerSizes(network.config);
    const { shapes, nonZero } = measureParts(parts);
    const layout = planLayout(sizes, shapes);
    this.memory = allocateMemory(layout.bytes, network, shapes);
    this.kernels = instantiateKernels(this.memory);
    this.net = layout.net;
    this.slots = layout.slots;
    this.layers = layout.layers;
    this.blocks = layout.blocks;
    const buffer = this.memory.buffer;
    writeNetTable(buffer, layout, network.config.activation);
    this.writeWeights(network);
    const seen = new Uint8Array(sizes[0]);
    for (const part of ["train", "validation", "predict"] as const) {
      const ds = parts[part];
      if (ds) fillRows(buffer, layout.blocks[part]!, ds, nonZero[part], part === "train" ? seen : undefined);
    }
    if (parts.train) writeTrainingTables(buffer, layout, seen);
    this.order = parts.train ? new Uint32Array(buffer, layout.orderAt, parts.train.rows) : null;
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
