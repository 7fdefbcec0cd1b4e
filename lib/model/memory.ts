// Memory budget: what a training run or a model selection will allocate — each engine's
// WebAssembly memory, laid out by memory-layout.ts (so that part of the estimate is exact), plus the
// copies of weights and data kept in JavaScript — checked against the limits before anything is
// allocated. A network too big is then refused at once with what to change, instead of growing
// for minutes and dying with a RangeError from deep inside V8.
import type { Dataset } from "../data/dataset";
import { engineMemory, MAX_MEMORY_BYTES, partShape, type MemoryParts, type PartShape } from "./memory-layout";
import { InputError } from "../core/errors";
import { machineMemoryBytes } from "../core/machine";
import { formatBytes } from "../core/format";
import { describeArchitecture, layerSizes, parameterCount, type ModelConfig } from "./model";

export interface MemoryLimits {
  /** Most one engine (one WebAssembly memory) can hold: 4 GiB in memory32. */
  engineBytes: number;
  /** Memory of the machine, or of the container when the process is constrained to less. */
  machineBytes: number;
}

/** The limits of this process: WebAssembly's ceiling and the machine's (or container's) memory. */
export function memoryLimits(): MemoryLimits {
  return { engineBytes: MAX_MEMORY_BYTES, machineBytes: machineMemoryBytes() };
}

/** What one training run holds at its peak. */
export interface RunMemory {
  /** The training engine's WebAssembly memory, and what it holds. */
  engine: { bytes: number; parts: MemoryParts };
  /** Everything else the run allocates: other engines (scoring) and copies in JavaScript. */
  otherBytes: number;
  /** engine.bytes + otherBytes. */
  totalBytes: number;
}

const WEIGHT_BYTES = 4; // float32

/**
 * Peak memory of training `model` on rows shaped `train` (and scoring `validation` after every
 * epoch, in the same engine): the engine, plus two float32 copies of the weights in JavaScript —
 * the seeded initial network and the trained one read back out.
 */
function trainingMemory(model: ModelConfig, train: PartShape, validation?: PartShape): RunMemory {
  const engine = engineMemory(layerSizes(model), { train, validation });
  const otherBytes = 2 * WEIGHT_BYTES * parameterCount(model);
  return { engine, otherBytes, totalBytes: engine.bytes + otherBytes };
}

/**
 * Peak memory of one fold run of a model selection: the training engine, the engine that then
 * predicts the validation rows (while the first is still alive), the fold's rows copied out of the
 * dataset (float32 pixels and a label byte per row), and two copies of the weights.
 */
function foldRunMemory(model: ModelConfig, train: PartShape, validation: PartShape): RunMemory {
  const engine = engineMemory(layerSizes(model), { train });
  const scoring = engineMemory(layerSizes(model), { predict: validation });
  const rows = (train.rows + validation.rows) * (model.inputSize * 4 + 1);
  const otherBytes = scoring.bytes + rows + 2 * WEIGHT_BYTES * parameterCount(model);
  return { engine, otherBytes, totalBytes: engine.bytes + otherBytes };
}

const count = (n: number) => n.toLocaleString("en-US");

/** "784→30000→30000→1 (923,570,001 parameters)": what was asked, as a reader recognises it. */
function asked(model: ModelConfig): string {
  return `a ${describeArchitecture(model)} network (${count(parameterCount(model))} parameters)`;
}

/** Roughly how many parameters fit in one engine next to this data: each costs 16 bytes (weight, gradient, two Adam moments). */
function parametersThatFit(memory: RunMemory, limit: number): number {
  const fixed = memory.engine.parts.data + memory.engine.parts.other;
  return Math.max(0, Math.floor((limit - fixed) / (4 * WEIGHT_BYTES)));
}

function roughly(n: number): string {
  if (n >= 1e6) return `about ${Math.floor(n / 1e6).toLocaleString("en-US")} million`;
  return `about ${count(Math.floor(n / 1000) * 1000)}`;
}

/** Throws InputError when one engine of the run would exceed WebAssembly's ceiling. */
function checkEngine(model: ModelConfig, memory: RunMemory, rows: number, limits: MemoryLimits): void {
  if (memory.engine.bytes <= limits.engineBytes) return;
  const p = memory.engine.parts;
  throw new InputError(
    `${asked(model)} needs ${formatBytes(memory.engine.bytes)} of WebAssembly memory to train on ${count(rows)} rows ` +
      `(weights ${formatBytes(p.weights)}, gradients ${formatBytes(p.gradients)}, Adam state ${formatBytes(p.adam)}, data ${formatBytes(p.data)}), ` +
      `more than the ${formatBytes(limits.engineBytes)} one WebAssembly memory can hold; ` +
      `choose smaller hidden layers (${roughly(parametersThatFit(memory, limits.engineBytes))} parameters fit)`,
  );
}

/**
 * Refuses (InputError, before anything is allocated) a training run that cannot fit: its engine
 * above WebAssembly's 4 GiB, or the whole run above the machine's memory. The message says what
 * was asked, what it would need and the limit. Returns the estimate.
 */
export function checkTrainingMemory(
  model: ModelConfig,
  train: Dataset | PartShape,
  validation?: Dataset | PartShape,
  limits: MemoryLimits = memoryLimits(),
): RunMemory {
  const shape = (d: Dataset | PartShape) => ("features" in d ? partShape(d) : d);
  const trainShape = shape(train);
  const memory = trainingMemory(model, trainShape, validation && shape(validation));
  checkEngine(model, memory, trainShape.rows, limits);
  if (memory.totalBytes > limits.machineBytes) {
    throw new InputError(
      `${asked(model)} needs about ${formatBytes(memory.totalBytes)} to train on ${count(trainShape.rows)} rows ` +
        `(WebAssembly memory ${formatBytes(memory.engine.bytes)}, copies of the weights ${formatBytes(memory.otherBytes)}), ` +
        `more than this machine's ${formatBytes(limits.machineBytes)} of memory; choose smaller hidden layers`,
    );
  }
  return memory;
}

/**
 * Refuses a model selection that cannot fit: any fold run's engine above WebAssembly's 4 GiB, or
 * `threads` fold runs at once (each thread runs one; the biggest network may run on all of
 * them together) above the machine's memory. `sharedBytes` is held once (the dataset as shared
 * memory). Returns the peak estimate.
 */
export function checkSelectionMemory(
  models: readonly ModelConfig[],
  train: PartShape,
  validation: PartShape,
  threads: number,
  sharedBytes = 0,
  limits: MemoryLimits = memoryLimits(),
): { perThreadBytes: number; totalBytes: number } {
  let biggest: { model: ModelConfig; memory: RunMemory } | null = null;
  for (const model of models) {
    const memory = foldRunMemory(model, train, validation);
    checkEngine(model, memory, train.rows, limits);
    if (!biggest || memory.totalBytes > biggest.memory.totalBytes) biggest = { model, memory };
  }
  if (!biggest) return { perThreadBytes: 0, totalBytes: sharedBytes };
  const perThreadBytes = biggest.memory.totalBytes;
  const totalBytes = sharedBytes + threads * perThreadBytes;
  if (totalBytes > limits.machineBytes) {
    const fit = Math.floor((limits.machineBytes - sharedBytes) / perThreadBytes);
    const fix = fit >= 1 ? `use fewer threads (${fit} fit) or smaller hidden layers` : "choose smaller hidden layers";
    throw new InputError(
      `${asked(biggest.model)} needs about ${formatBytes(perThreadBytes)} per fold run ` +
        `(WebAssembly memory ${formatBytes(biggest.memory.engine.bytes)}, rows and weights ${formatBytes(biggest.memory.otherBytes)}); ` +
        `with ${threads} thread${threads === 1 ? "" : "s"} at once that is ${formatBytes(totalBytes)}, more than this machine's ` +
        `${formatBytes(limits.machineBytes)} of memory; ${fix}`,
    );
  }
  return { perThreadBytes, totalBytes };
}
