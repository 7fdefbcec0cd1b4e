// Training: mini-batch Adam on binary cross-entropy, written out by hand over typed arrays.
//
// Why not `model.fit`: for a network this small, TensorFlow.js spends its time dispatching
// operations, not doing arithmetic (≈8× PyTorch per epoch on WASM). Here one step is a few
// tight loops, and the first layer skips the zero pixels (≈80% of MNIST), which is where
// 95% of the arithmetic is. The maths is the same as Keras/TF.js: Glorot-uniform init, sigmoid
// output, binary cross-entropy averaged over the batch, Adam with TF.js's defaults.
// Weights are kept in float64 while training and handed out as float32, the saved precision.
import type { Dataset } from "./data";
import { initNetwork, layerSizes, validateModelConfig, type ModelConfig, type Network } from "./model";
import { createRng, shuffleInPlace, type Rng } from "./random";
import { InputError } from "./errors";

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the initial weights and the order of rows in each epoch. */
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = { epochs: 20, batchSize: 32, learningRate: 0.001, seed: 13 };

// TF.js Adam defaults (Keras uses the same epsilon).
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/** What one epoch reports, with the Keras names so notebooks read like Keras ones. */
export interface EpochLogs {
  /** Mean loss over the epoch's batches, as Keras reports it (weights change during the epoch). */
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
  /** Wall time of this epoch's training, excluding validation. */
  seconds: number;
}

/** Per-epoch logs in the shape of a Keras/TF.js `History`. */
export interface History {
  epoch: number[];
  history: { loss: number[]; acc: number[]; val_loss?: number[]; val_acc?: number[]; seconds: number[] };
}

export interface TrainCallbacks {
  /** Called after every epoch (0-based), like a Keras `onEpochEnd` callback. */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void;
}

export interface TrainOptions extends Partial<TrainConfig> {
  /** Scored after every epoch (val_loss, val_acc); never trained on. */
  validation?: Dataset;
  /** Start from these weights instead of a seeded initialisation (the seed still orders rows). */
  initialNetwork?: Network;
  callbacks?: TrainCallbacks;
}

export interface TrainResult {
  network: Network;
  history: History;
  config: TrainConfig;
  seconds: number;
}

export function resolveTrainConfig(options: Partial<TrainConfig> = {}): TrainConfig {
  const config: TrainConfig = {
    epochs: options.epochs ?? DEFAULT_TRAIN_CONFIG.epochs,
    batchSize: options.batchSize ?? DEFAULT_TRAIN_CONFIG.batchSize,
    learningRate: options.learningRate ?? DEFAULT_TRAIN_CONFIG.learningRate,
    seed: options.seed ?? DEFAULT_TRAIN_CONFIG.seed,
  };
  const positiveInt = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a positive integer, got ${value}`);
  };
  positiveInt("epochs", config.epochs);
  positiveInt("batch size", config.batchSize);
  if (!(config.learningRate > 0) || !Number.isFinite(config.learningRate)) {
    throw new InputError(`learning rate must be a positive number, got ${config.learningRate}`);
  }
  if (!Number.isInteger(config.seed)) throw new InputError(`seed must be an integer, got ${config.seed}`);
  return config;
}

/** Rows stored as their non-zero pixels only (CSR): what the first layer really multiplies. */
export interface SparseRows {
  rows: number;
  cols: number;
  /** Row r's entries are indptr[r] … indptr[r + 1] - 1. */
  indptr: Uint32Array;
  indices: Uint16Array | Uint32Array;
  values: Float64Array;
}

export function toSparseRows(dataset: Dataset): SparseRows {
  const { features, rows, cols } = dataset;
  let nnz = 0;
  for (let i = 0; i < features.length; i++) if (features[i] !== 0) nnz++;
  const indptr = new Uint32Array(rows + 1);
  const indices = cols <= 65536 ? new Uint16Array(nnz) : new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const x = features[base + c];
      if (x !== 0) {
        indices[k] = c;
        values[k] = x;
        k++;
      }
    }
    indptr[r + 1] = k;
  }
  return { rows, cols, indptr, indices, values };
}

type ActivationCode = 0 | 1 | 2; // sigmoid, relu, tanh: numbers keep the hot loop monomorphic
const activationCode = (config: ModelConfig): ActivationCode =>
  config.activation === "sigmoid" ? 0 : config.activation === "relu" ? 1 : 2;

/** Float64 working copy of a network plus the buffers one sample's forward/backward pass needs. */
class Workspace {
  readonly sizes: number[];
  readonly depth: number; // number of Dense layers
  readonly act: ActivationCode;
  readonly kernels: Float64Array[];
  readonly biases: Float64Array[];
  /** a[l] = output of layer l (post-activation) for l < depth; a[depth] holds the logit. */
  readonly a: Float64Array[];
  readonly delta: Float64Array[];

  constructor(network: Network) {
    this.sizes = layerSizes(network.config);
    this.depth = network.layers.length;
    this.act = activationCode(network.config);
    this.kernels = network.layers.map((l) => Float64Array.from(l.kernel));
    this.biases = network.layers.map((l) => Float64Array.from(l.bias));
    this.a = this.sizes.map((n) => new Float64Array(n));
    this.delta = this.sizes.map((n) => new Float64Array(n));
  }

  /** Forward pass of one row; returns the output logit and leaves activations in `a`. */
  forward(data: SparseRows, row: number): number {
    const { sizes, kernels, biases, a, depth, act } = this;
    // First layer: only the non-zero pixels contribute.
    const n1 = sizes[1];
    const z1 = a[1];
    const w0 = kernels[0];
    z1.set(biases[0]);
    const { indptr, indices, values } = data;
    for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) {
      const x = values[k];
      const base = indices[k] * n1;
      for (let j = 0; j < n1; j++) z1[j] += x * w0[base + j];
    }
    for (let l = 1; l < depth; l++) {
      const input = a[l];
      activate(input, act);
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const w = kernels[l];
      const out = a[l + 1];
      out.set(biases[l]);
      for (let i = 0; i < nIn; i++) {
        const x = input[i];
        const base = i * nOut;
        for (let j = 0; j < nOut; j++) out[j] += x * w[base + j];
      }
    }
    return a[depth][0];
  }

  /**
   * Adds this row's gradient to `grads` given dLoss/dLogit; call right after `forward(row)`.
   * Gradient of layer l's kernel = outer(input of l, delta of l's output).
   */
  backward(data: SparseRows, row: number, dLogit: number, gKernels: Float64Array[], gBiases: Float64Array[]): void {
    const { sizes, kernels, a, delta, depth, act } = this;
    delta[depth][0] = dLogit;
    for (let l = depth - 1; l >= 1; l--) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const dOut = delta[l + 1];
      const input = a[l];
      const w = kernels[l];
      const gw = gKernels[l];
      const gb = gBiases[l];
      const dIn = delta[l];
      for (let j = 0; j < nOut; j++) gb[j] += dOut[j];
      for (let i = 0; i < nIn; i++) {
        const x = input[i];
        const base = i * nOut;
        let sum = 0;
        for (let j = 0; j < nOut; j++) {
          gw[base + j] += x * dOut[j];
          sum += w[base + j] * dOut[j];
        }
        // derivative of the activation, written in terms of its output
        dIn[i] = sum * (act === 0 ? x * (1 - x) : act === 1 ? (x > 0 ? 1 : 0) : 1 - x * x);
      }
    }
    const n1 = sizes[1];
    const d1 = delta[1];
    const g0 = gKernels[0];
    const gb0 = gBiases[0];
    for (let j = 0; j < n1; j++) gb0[j] += d1[j];
    const { indptr, indices, values } = data;
    for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) {
      const x = values[k];
      const base = indices[k] * n1;
      for (let j = 0; j < n1; j++) g0[base + j] += x * d1[j];
    }
  }

  toNetwork(config: ModelConfig): Network {
    const layers = this.kernels.map((kernel, l) => ({
      inputs: this.sizes[l],
      units: this.sizes[l + 1],
      kernel: Float32Array.from(kernel),
      bias: Float32Array.from(this.biases[l]),
    }));
    return { config: { ...config, hidden: [...config.hidden] }, layers };
  }
}

function activate(z: Float64Array, act: ActivationCode): void {
  const n = z.length;
  if (act === 0) for (let i = 0; i < n; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
  else if (act === 1) for (let i = 0; i < n; i++) z[i] = z[i] > 0 ? z[i] : 0;
  else for (let i = 0; i < n; i++) z[i] = Math.tanh(z[i]);
}

/** Binary cross-entropy of one logit, computed stably (never log(0)). */
function logitLoss(logit: number, label: number): number {
  return Math.max(logit, 0) - logit * label + Math.log1p(Math.exp(-Math.abs(logit)));
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Adam state for one parameter array; `rows` lists the kernel rows that can ever get a gradient. */
interface AdamSlot {
  param: Float64Array;
  grad: Float64Array;
  m: Float64Array;
  v: Float64Array;
  /** Row width and the rows to update; null means every element. */
  rowWidth: number;
  rows: Uint32Array | null;
}

function adamStep(slots: AdamSlot[], learningRate: number, step: number): void {
  const bc1 = 1 - Math.pow(BETA1, step);
  const bc2 = 1 - Math.pow(BETA2, step);
  const lr = learningRate / bc1;
  const invBc2 = 1 / bc2;
  for (const { param, grad, m, v, rowWidth, rows } of slots) {
    if (rows === null) {
      for (let i = 0; i < param.length; i++) {
        const g = grad[i];
        const mi = (m[i] = BETA1 * m[i] + (1 - BETA1) * g);
        const vi = (v[i] = BETA2 * v[i] + (1 - BETA2) * g * g);
        param[i] -= (lr * mi) / (Math.sqrt(vi * invBc2) + EPSILON);
        grad[i] = 0;
      }
    } else {
      for (let r = 0; r < rows.length; r++) {
        const start = rows[r] * rowWidth;
        const end = start + rowWidth;
        for (let i = start; i < end; i++) {
          const g = grad[i];
          const mi = (m[i] = BETA1 * m[i] + (1 - BETA1) * g);
          const vi = (v[i] = BETA2 * v[i] + (1 - BETA2) * g * g);
          param[i] -= (lr * mi) / (Math.sqrt(vi * invBc2) + EPSILON);
          grad[i] = 0;
        }
      }
    }
  }
}

/** Inputs that are non-zero in at least one row: the only first-layer rows a gradient can reach. */
function activeInputs(data: SparseRows): Uint32Array {
  const seen = new Uint8Array(data.cols);
  for (let k = 0; k < data.indices.length; k++) seen[data.indices[k]] = 1;
  const out: number[] = [];
  for (let c = 0; c < data.cols; c++) if (seen[c]) out.push(c);
  return Uint32Array.from(out);
}

function checkSameShape(network: Network, model: ModelConfig): void {
  const want = layerSizes(model).join("→");
  const have = layerSizes(network.config).join("→");
  if (want !== have || network.config.activation !== model.activation) {
    throw new InputError(`the initial network is ${have} (${network.config.activation}) but the model config asks for ${want} (${model.activation})`);
  }
}

function checkData(dataset: Dataset, config: ModelConfig, what: string): void {
  if (dataset.cols !== config.inputSize) {
    throw new InputError(`${what} has ${dataset.cols} pixels per row but the model expects ${config.inputSize}`);
  }
  if (dataset.rows === 0) throw new InputError(`${what} has no rows`);
}

/**
 * A training run that advances one epoch at a time, so callers can interleave progress
 * reports, cancellation, or several runs. `train`/`trainSync` drive it to the end.
 */
export class Trainer {
  readonly config: TrainConfig;
  readonly model: ModelConfig;
  readonly history: History;
  private readonly data: SparseRows;
  private readonly labels: Uint8Array;
  private readonly validation: { data: SparseRows; labels: Uint8Array } | null;
  private readonly ws: Workspace;
  private readonly slots: AdamSlot[];
  private readonly order: Uint32Array;
  private readonly rng: Rng;
  private step = 0;
  private epochsDone = 0;

  constructor(dataset: Dataset, model: ModelConfig, options: Omit<TrainOptions, "callbacks"> = {}) {
    validateModelConfig(model);
    this.config = resolveTrainConfig(options);
    this.model = { ...model, hidden: [...model.hidden] };
    checkData(dataset, model, "the training data");
    this.data = toSparseRows(dataset);
    this.labels = dataset.labels;
    if (options.validation) checkData(options.validation, model, "the validation data");
    this.validation = options.validation ? { data: toSparseRows(options.validation), labels: options.validation.labels } : null;
    // Weights and row order come from one generator, in that order, so a seed fixes both.
    this.rng = createRng(this.config.seed);
    const initSeed = Math.floor(this.rng.next() * 4294967296);
    if (options.initialNetwork) checkSameShape(options.initialNetwork, model);
    this.ws = new Workspace(options.initialNetwork ?? initNetwork(model, initSeed));
    const active = activeInputs(this.data);
    this.slots = this.ws.kernels.flatMap((kernel, l) => {
      const units = this.ws.sizes[l + 1];
      const bias = this.ws.biases[l];
      const slot = (param: Float64Array, rows: Uint32Array | null): AdamSlot => ({
        param,
        grad: new Float64Array(param.length),
        m: new Float64Array(param.length),
        v: new Float64Array(param.length),
        rowWidth: units,
        rows,
      });
      // A first-layer row whose pixel is 0 in every training row never gets a gradient; Adam
      // then moves it by 0/(0+ε) = 0 forever, so skipping it is exact.
      return [slot(kernel, l === 0 ? active : null), slot(bias, null)];
    });
    this.order = new Uint32Array(dataset.rows);
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    this.history = { epoch: [], history: { loss: [], acc: [], seconds: [] } };
    if (this.validation) {
      this.history.history.val_loss = [];
      this.history.history.val_acc = [];
    }
  }

  get done(): boolean {
    return this.epochsDone >= this.config.epochs;
  }

  /** Trains one epoch (reshuffled rows, mini-batches of `batchSize`, last one partial). */
  runEpoch(): EpochLogs {
    const started = performance.now();
    const { ws, data, labels, order, slots } = this;
    const { batchSize, learningRate } = this.config;
    const gKernels = slots.filter((_, i) => i % 2 === 0).map((s) => s.grad);
    const gBiases = slots.filter((_, i) => i % 2 === 1).map((s) => s.grad);
    shuffleInPlace(order, this.rng);
    let lossSum = 0;
    let correct = 0;
    const n = order.length;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const scale = 1 / (end - start); // the loss is the batch mean
      for (let b = start; b < end; b++) {
        const row = order[b];
        const y = labels[row];
        const logit = ws.forward(data, row);
        lossSum += logitLoss(logit, y);
        const p = sigmoid(logit);
        if ((p > 0.5 ? 1 : 0) === y) correct++;
        ws.backward(data, row, (p - y) * scale, gKernels, gBiases);
      }
      this.step++;
      adamStep(slots, learningRate, this.step);
    }
    const seconds = (performance.now() - started) / 1000;
    const logs: EpochLogs = { loss: lossSum / n, acc: correct / n, seconds };
    if (this.validation) {
      const { loss, acc } = scoreSparse(ws, this.validation.data, this.validation.labels);
      logs.val_loss = loss;
      logs.val_acc = acc;
    }
    this.record(logs);
    return logs;
  }

  private record(logs: EpochLogs): void {
    const h = this.history.history;
    this.history.epoch.push(this.epochsDone);
    h.loss.push(logs.loss);
    h.acc.push(logs.acc);
    h.seconds.push(logs.seconds);
    if (logs.val_loss !== undefined) h.val_loss?.push(logs.val_loss);
    if (logs.val_acc !== undefined) h.val_acc?.push(logs.val_acc);
    this.epochsDone++;
  }

  /** The current weights as a float32 network (what is saved and used to predict). */
  network(): Network {
    return this.ws.toNetwork(this.model);
  }
}

function scoreSparse(ws: Workspace, data: SparseRows, labels: Uint8Array): { loss: number; acc: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < data.rows; r++) {
    const logit = ws.forward(data, r);
    loss += logitLoss(logit, labels[r]);
    if ((logit > 0 ? 1 : 0) === labels[r]) correct++;
  }
  return { loss: loss / data.rows, acc: correct / data.rows };
}

/** Trains to the end without yielding: for workers and scripts. */
export function trainSync(dataset: Dataset, model: ModelConfig, options: TrainOptions = {}): TrainResult {
  const started = performance.now();
  const trainer = new Trainer(dataset, model, options);
  while (!trainer.done) {
    const epoch = trainer.history.epoch.length;
    const logs = trainer.runEpoch();
    options.callbacks?.onEpochEnd?.(epoch, logs);
  }
  return { network: trainer.network(), history: trainer.history, config: trainer.config, seconds: (performance.now() - started) / 1000 };
}

/**
 * Trains to the end, yielding to the event loop after every epoch so that progress shows
 * (in a notebook, a terminal) while it runs. Same results as `trainSync`.
 */
export async function train(dataset: Dataset, model: ModelConfig, options: TrainOptions = {}): Promise<TrainResult> {
  const started = performance.now();
  const trainer = new Trainer(dataset, model, options);
  while (!trainer.done) {
    const epoch = trainer.history.epoch.length;
    const logs = trainer.runEpoch();
    options.callbacks?.onEpochEnd?.(epoch, logs);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { network: trainer.network(), history: trainer.history, config: trainer.config, seconds: (performance.now() - started) / 1000 };
}

/** Probability of class 1 for every row, from the network's float32 weights. */
export function predictProbabilities(network: Network, dataset: Dataset): Float32Array {
  checkData(dataset, network.config, "the data to predict");
  const ws = new Workspace(network);
  const data = toSparseRows(dataset);
  const out = new Float32Array(dataset.rows);
  for (let r = 0; r < dataset.rows; r++) out[r] = sigmoid(ws.forward(data, r));
  return out;
}

