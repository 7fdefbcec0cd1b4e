// Model: a Dense network described by a config, its seeded initial weights, and the
// conversion to and from a TensorFlow.js LayersModel (the format models are saved in).
import type * as tfCore from "@tensorflow/tfjs-core";
import type * as tfLayers from "@tensorflow/tfjs-layers";
import { InputError } from "../core/errors";
import { createRng } from "../core/random";

export type Activation = "sigmoid" | "relu" | "tanh";
export const ACTIVATIONS: readonly Activation[] = ["sigmoid", "relu", "tanh"];

/** What a network looks like: `hidden: []` is logistic regression, `[25, 15]` the reference. */
export interface ModelConfig {
  /** Pixels per image. */
  inputSize: number;
  /** Units of each hidden Dense layer, input side first. */
  hidden: number[];
  /** Activation of the hidden layers; the output is always one sigmoid unit. */
  activation: Activation;
}

/** One Dense layer's weights, laid out as Keras and TensorFlow.js store them. */
export interface DenseWeights {
  inputs: number;
  units: number;
  /** inputs × units, row-major (input-major): kernel[i * units + j] joins input i to unit j. */
  kernel: Float32Array;
  bias: Float32Array;
}

/** A trained (or freshly initialised) network: its config and its weights, output layer last. */
export interface Network {
  config: ModelConfig;
  layers: DenseWeights[];
}

/** The reference notebook's network: Dense 25 → 15 → 1 with sigmoid hidden units. */
export const REFERENCE_HIDDEN: readonly number[] = [25, 15];
export const REFERENCE_ACTIVATION: Activation = "sigmoid";

export function modelConfig(hidden: readonly number[] = REFERENCE_HIDDEN, activation: Activation = REFERENCE_ACTIVATION, inputSize = 784): ModelConfig {
  validateModelConfig({ inputSize, hidden: [...hidden], activation });
  return { inputSize, hidden: [...hidden], activation };
}

export function validateModelConfig(config: ModelConfig): void {
  if (!Number.isInteger(config.inputSize) || config.inputSize < 1) {
    throw new InputError(`input size must be a positive integer, got ${config.inputSize}`);
  }
  for (const units of config.hidden) {
    if (!Number.isInteger(units) || units < 1) {
      throw new InputError(`hidden layer sizes must be positive integers, got [${config.hidden.join(", ")}]`);
    }
  }
  if (!ACTIVATIONS.includes(config.activation)) {
    throw new InputError(`activation must be one of ${ACTIVATIONS.join(", ")}, got "${config.activation}"`);
  }
}

/** Layer widths from input to output, e.g. [784, 25, 15, 1]. */
export function layerSizes(config: ModelConfig): number[] {
  return [config.inputSize, ...config.hidden, 1];
}

/** "784→25→15→1"; logistic regression is "784→1". */
export function describeArchitecture(config: ModelConfig): string {
  return layerSizes(config).join("→");
}

/** "25-15", or "logistic" for no hidden layer: a short name for tables and file names. */
export function architectureName(hidden: readonly number[]): string {
  return hidden.length === 0 ? "logistic" : hidden.join("-");
}

export function parameterCount(config: ModelConfig): number {
  const sizes = layerSizes(config);
  let count = 0;
  for (let l = 0; l + 1 < sizes.length; l++) count += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return count;
}

/**
 * Glorot-uniform kernels and zero biases (the Keras and TensorFlow.js defaults), drawn from
 * a generator seeded by `seed`: the same seed gives the same weights on every machine.
 */
export function initNetwork(config: ModelConfig, seed: number): Network {
  validateModelConfig(config);
  const rng = createRng(seed);
  const sizes = layerSizes(config);
  const layers: DenseWeights[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l];
    const units = sizes[l + 1];
    const limit = Math.sqrt(6 / (inputs + units));
    const kernel = new Float32Array(inputs * units);
    for (let i = 0; i < kernel.length; i++) kernel[i] = rng.uniform(-limit, limit);
    layers.push({ inputs, units, kernel, bias: new Float32Array(units) });
  }
  return { config: { ...config, hidden: [...config.hidden] }, layers };
}

/**
 * The network's weights as bytes, in the order and format of a saved model's weights.bin (what
 * TensorFlow.js writes): layer by layer, its kernel (input-major, as DenseWeights holds it) then
 * its bias, each value float32 little-endian. The same bytes on every platform, so their SHA-256
 * names the weights (a report's lab compares the page's with the notebook's saved model).
 */
export function weightsBytes(network: Network): Uint8Array {
  const values = network.layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  const bytes = new Uint8Array(4 * values);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const layer of network.layers) {
    for (const array of [layer.kernel, layer.bias]) {
      for (let i = 0; i < array.length; i++, at += 4) view.setFloat32(at, array[i], true);
    }
  }
  return bytes;
}

/** The part of TensorFlow.js digits uses: tensors, io and backends (core), and Keras-style models (layers). */
export type Tfjs = typeof tfCore & typeof tfLayers;

/** The same network as a TensorFlow.js `tf.sequential` of Dense layers, weights included. */
export function toLayersModel(tf: Tfjs, network: Network): tfLayers.Sequential {
  const { config, layers } = network;
  const model = tf.sequential();
  layers.forEach((layer, l) => {
    const isOutput = l === layers.length - 1;
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: isOutput ? "sigmoid" : config.activation,
        inputShape: l === 0 ? [config.inputSize] : undefined,
        name: isOutput ? "output" : `hidden_${l + 1}`,
      }),
    );
  });
  const tensors = layers.flatMap((layer) => [tf.tensor2d(layer.kernel, [layer.inputs, layer.units]), tf.tensor1d(layer.bias)]);
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/** Reads a LayersModel of Dense layers (sigmoid output of one unit) back into a Network. */
export function fromLayersModel(model: tfLayers.LayersModel, where = "model"): Network {
  const dense = model.layers;
  if (dense.length === 0) throw new InputError(`${where}: the model has no layers`);
  const layers: DenseWeights[] = [];
  let activation: Activation = "sigmoid";
  dense.forEach((layer, l) => {
    const config = layer.getConfig() as { units?: number; activation?: string; use_bias?: boolean; useBias?: boolean };
    if (layer.getClassName() !== "Dense" || typeof config.units !== "number") {
      throw new InputError(`${where}: layer ${l + 1} is a ${layer.getClassName()}, only Dense layers are supported`);
    }
    const isOutput = l === dense.length - 1;
    const act = String(config.activation);
    if (isOutput && (act !== "sigmoid" || config.units !== 1)) {
      throw new InputError(`${where}: the output layer must be one sigmoid unit, found ${config.units} ${act} unit(s)`);
    }
    if (!isOutput) {
      if (!ACTIVATIONS.includes(act as Activation)) throw new InputError(`${where}: unsupported activation "${act}" in layer ${l + 1}`);
      if (l > 0 && act !== activation) throw new InputError(`${where}: hidden layers must share one activation`);
      activation = act as Activation;
    }
    const [kernelTensor, biasTensor] = layer.getWeights();
    if (!kernelTensor || !biasTensor) throw new InputError(`${where}: layer ${l + 1} has no bias; expected Dense layers with bias`);
    const [inputs, units] = kernelTensor.shape;
    layers.push({
      inputs,
      units,
      kernel: new Float32Array(kernelTensor.dataSync()),
      bias: new Float32Array(biasTensor.dataSync()),
    });
  });
  const config: ModelConfig = { inputSize: layers[0].inputs, hidden: layers.slice(0, -1).map((l) => l.units), activation };
  return { config, layers };
}
