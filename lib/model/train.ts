// Training: mini-batch Adam on binary cross-entropy, the loop that `digits train`, the model
// selection and the notebooks all use.
//
// Why not `model.fit`: for a network this small, TensorFlow.js spends its time dispatching
// operations, not doing arithmetic (≈8× PyTorch per epoch on WASM). Here a whole epoch is one
// call into SIMD WebAssembly kernels (lib/model/engine.ts), and the first layer skips the zero pixels
// (≈80% of MNIST), which is where 95% of the arithmetic is. The maths is the same as
// Keras/TF.js: Glorot-uniform init, sigmoid output, binary cross-entropy averaged over the
// batch, Adam with TF.js's defaults, float32 throughout.
import type { Dataset } from "../data/dataset";
import { describeArchitecture, initNetwork, layerSizes, validateModelConfig, type ModelConfig, type Network } from "./model";
import { Engine } from "./engine";
import { createRng, shuffleInPlace, type Rng } from "../core/random";
import { InputError } from "../core/errors";
import { checkTrainingMemory } from "./memory";
import { yieldToEventLoop } from "../core/yield";

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the initial weights and the order of rows in each epoch. */
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = { epochs: 20, batchSize: 32, learningRate: 0.001, seed: 13 };

// TF.js Adam defaults (Keras uses the same epsilon).
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

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
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed >= 2 ** 32) {
    throw new InputError(`seed must be a whole number from 0 to 4294967295, got ${config.seed}`);
  }
  return config;
}

/**
 * Has training diverged, judging by the mean training loss of each epoch so far (`losses`, first
 * epoch first)? Binary cross-entropy has a natural scale: a network that answers 0.5 for every
 * image scores ln 2 ≈ 0.693, and training starts near it (Glorot-initialised weights, zero biases)
 * and goes down from the first epoch on at any working learning rate (default runs: 0.01–0.2 in
 * epoch 1, then falling). So a run has diverged when the latest epoch's loss is
 * - not finite: the weights overflowed to ±∞ or NaN; or
 * - above 10·ln 2 ≈ 6.9, ten times the cost of guessing: only saturated outputs that are
 *   confidently wrong cost that much, i.e. weights that blew up (at a learning rate of 1e9 the first
 *   epoch's loss is 3e8) — whatever happened before; or
 * - more than 100 times the first epoch's loss and above ln 2: the run was learning, then became
 *   worse than guessing.
 * A run that merely fails to learn (a loss that stays near ln 2) is not "diverged": its scores say so.
 */
export function hasDiverged(losses: readonly number[]): boolean {
  if (losses.length === 0) return false;
  const loss = losses[losses.length - 1];
  if (!Number.isFinite(loss)) return true;
  if (loss > 10 * Math.LN2) return true;
  return loss > 100 * losses[0] && loss > Math.LN2;
}

/**
 * Training stopped because its loss diverged (see hasDiverged): a setting to change, not a bug, so
 * an InputError. `what` says where it happened; the message adds how to fix it.
 */
export class TrainingDiverged extends InputError {
  constructor(
    /** "training 784→25→15→1 diverged at epoch 1 of 20: mean training loss 3.25e+8 (guessing 0.5 scores 0.693)" */
    readonly what: string,
    /** 1-based epoch and its mean training loss (of the first run that diverged, in a selection). */
    readonly epoch: number,
    readonly loss: number,
    /** The learning rate of the run, or every rate a selection tried. */
    readonly learningRates: number | readonly number[],
  ) {
    super(`${what}; ${TrainingDiverged.fix(learningRates, "the learning rate")}`);
    this.name = "TrainingDiverged";
  }

  /** "lower the learning rate (it was 1e+9; the default is 0.001)", naming the setting as `setting`. */
  static fix(learningRates: number | readonly number[], setting: string): string {
    const rate = (x: number) => (x >= 1e5 || x < 1e-4 ? x.toExponential() : String(x));
    const rates = typeof learningRates === "number" ? [learningRates] : learningRates;
    const was = rates.length === 1 ? `it was ${rate(rates[0])}` : `they were ${rates.map(rate).join(", ")}`;
    return `lower ${setting} (${was}; the default is ${rate(DEFAULT_TRAIN_CONFIG.learningRate)})`;
  }
}

/** A loss as it reads best in a message: 0.6931, 8.80e+8, NaN. */
export function formatLoss(loss: number): string {
  return Number.isFinite(loss) && Math.abs(loss) < 1000 ? loss.toFixed(4) : loss.toPrecision(3);
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
  private readonly engine: Engine;
  private readonly order: Uint32Array;
  private readonly rows: number;
  private readonly rng: Rng;
  private step = 1;
  private epochsDone = 0;

  constructor(dataset: Dataset, model: ModelConfig, options: Omit<TrainOptions, "callbacks"> = {}) {
    validateModelConfig(model);
    this.config = resolveTrainConfig(options);
    this.model = { ...model, hidden: [...model.hidden] };
    checkData(dataset, model, "the training data");
    if (options.validation) checkData(options.validation, model, "the validation data");
    // Weights and row order come from one generator, in that order, so a seed fixes both.
    this.rng = createRng(this.config.seed);
    const initSeed = Math.floor(this.rng.next() * 4294967296);
    if (options.initialNetwork) checkSameShape(options.initialNetwork, model);
    // Before the first weight is drawn: a network too big is refused, not half-allocated.
    checkTrainingMemory(model, dataset, options.validation);
    const start = options.initialNetwork ?? initNetwork(model, initSeed);
    this.engine = new Engine(start, { train: dataset, validation: options.validation });
    this.order = this.engine.order!;
    this.rows = dataset.rows;
    this.history = { epoch: [], history: { loss: [], acc: [], seconds: [] } };
    if (options.validation) {
      this.history.history.val_loss = [];
      this.history.history.val_acc = [];
    }
  }

  /** Set when an epoch's loss diverged: training stops there (runEpoch threw TrainingDiverged). */
  diverged: { epoch: number; loss: number } | null = null;

  get done(): boolean {
    return this.diverged !== null || this.epochsDone >= this.config.epochs;
  }

  /**
   * Trains one epoch (reshuffled rows, mini-batches of `batchSize`, last one partial). Throws
   * TrainingDiverged, after logging the epoch, when the loss diverged; the run is then done.
   */
  runEpoch(): EpochLogs {
    const started = performance.now();
    const { batchSize, learningRate } = this.config;
    shuffleInPlace(this.order, this.rng);
    const { lossSum, correct } = this.engine.trainEpoch(batchSize, learningRate, ADAM, this.step);
    this.step += Math.ceil(this.rows / batchSize);
    const seconds = (performance.now() - started) / 1000;
    const logs: EpochLogs = { loss: lossSum / this.rows, acc: correct / this.rows, seconds };
    const h = this.history.history;
    if (h.val_loss && h.val_acc) {
      const v = this.engine.scoreValidation();
      logs.val_loss = v.lossSum / v.rows;
      logs.val_acc = v.correct / v.rows;
      h.val_loss.push(logs.val_loss);
      h.val_acc.push(logs.val_acc);
    }
    this.history.epoch.push(this.epochsDone);
    h.loss.push(logs.loss);
    h.acc.push(logs.acc);
    h.seconds.push(logs.seconds);
    this.epochsDone++;
    if (hasDiverged(h.loss)) {
      this.diverged = { epoch: this.epochsDone, loss: logs.loss };
      throw new TrainingDiverged(
        `training ${describeArchitecture(this.model)} diverged at epoch ${this.epochsDone} of ${this.config.epochs}: ` +
          `mean training loss ${formatLoss(logs.loss)} (answering 0.5 for every image scores 0.6931)`,
        this.epochsDone,
        logs.loss,
        this.config.learningRate,
      );
    }
    return logs;
  }

  /** The current weights as a float32 network (what is saved and used to predict). */
  network(): Network {
    return this.engine.readNetwork();
  }
}

function finish(trainer: Trainer, started: number): TrainResult {
  return { network: trainer.network(), history: trainer.history, config: trainer.config, seconds: (performance.now() - started) / 1000 };
}

function runOneEpoch(trainer: Trainer, callbacks: TrainCallbacks | undefined): void {
  const epoch = trainer.history.epoch.length;
  const logs = trainer.runEpoch();
  callbacks?.onEpochEnd?.(epoch, logs);
}

/** Trains to the end without yielding: for workers and scripts. */
export function trainSync(dataset: Dataset, model: ModelConfig, options: TrainOptions = {}): TrainResult {
  const started = performance.now();
  const trainer = new Trainer(dataset, model, options);
  while (!trainer.done) runOneEpoch(trainer, options.callbacks);
  return finish(trainer, started);
}

/**
 * Trains to the end, yielding to the event loop after every epoch so that progress shows
 * (in a notebook, a terminal) while it runs. Same results as `trainSync`.
 */
export async function train(dataset: Dataset, model: ModelConfig, options: TrainOptions = {}): Promise<TrainResult> {
  const started = performance.now();
  const trainer = new Trainer(dataset, model, options);
  while (!trainer.done) {
    runOneEpoch(trainer, options.callbacks);
    await yieldToEventLoop();
  }
  return finish(trainer, started);
}

/** Probability of class 1 for every row, from the network's float32 weights (float64 output). */
export function predictProbabilities(network: Network, dataset: Dataset): Float64Array {
  checkData(dataset, network.config, "the data to predict");
  return new Engine(network, { predict: dataset }).predict();
}
