// Gradients: our own backward pass through a Network, giving the logit (the output's
// pre-sigmoid value; positive pushes towards the pair's second digit) and d logit / d x for
// every row, where x = pixel / 255 is the network's input. In float64 from the float32 weights:
// attributions are explanations, not predictions, so they need not repeat the kernels' rounding.
import type { Activation, Network } from "./model";

/** Logits and their gradients for a batch of rows. */
export interface LogitGradients {
  rows: number;
  /** Inputs per row (784 for 28×28). */
  inputs: number;
  /** The logit of each row. */
  logits: Float64Array;
  /** rows × inputs, row-major: gradients[r * inputs + i] = d logit_r / d x_ri. */
  gradients: Float64Array;
}

function activate(activation: Activation, z: number): number {
  if (activation === "relu") return z > 0 ? z : 0;
  if (activation === "tanh") return Math.tanh(z);
  return 1 / (1 + Math.exp(-z));
}

/** d activation / d z, from z and the activation's value a at z. */
function slope(activation: Activation, z: number, a: number): number {
  if (activation === "relu") return z > 0 ? 1 : 0;
  if (activation === "tanh") return 1 - a * a;
  return a * (1 - a);
}

/** One layer's outputs before the activation: bias + input · kernel. */
function affine(kernel: Float32Array, bias: Float32Array, input: ArrayLike<number>, inputs: number, units: number): Float64Array {
  const z = Float64Array.from(bias);
  for (let i = 0; i < inputs; i++) {
    const v = input[i];
    if (v === 0) continue;
    const row = i * units;
    for (let j = 0; j < units; j++) z[j] += v * kernel[row + j];
  }
  return z;
}

/** d logit / d x for one row `x` (scaled inputs), written into `into`; returns the logit. */
function rowGradient(network: Network, x: ArrayLike<number>, into: Float64Array): number {
  const { layers, config } = network;
  // Forward: keep each hidden layer's pre-activations and activations for the backward pass.
  const zs: Float64Array[] = [];
  const as: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    const z = affine(layer.kernel, layer.bias, input, layer.inputs, layer.units);
    zs.push(z);
    if (l < layers.length - 1) {
      const a = z.map((v) => activate(config.activation, v));
      as.push(a);
      input = a;
    }
  }
  const logit = zs[layers.length - 1][0];
  // Backward: delta is d logit / d z of the layer's outputs, starting from 1 at the logit.
  let delta = new Float64Array([1]);
  for (let l = layers.length - 1; l >= 0; l--) {
    const { kernel, inputs, units } = layers[l];
    const back = l === 0 ? into : new Float64Array(inputs);
    for (let i = 0; i < inputs; i++) {
      const row = i * units;
      let sum = 0;
      for (let j = 0; j < units; j++) sum += kernel[row + j] * delta[j];
      back[i] = sum;
    }
    if (l > 0) {
      const z = zs[l - 1];
      const a = as[l - 1];
      for (let i = 0; i < inputs; i++) back[i] *= slope(config.activation, z[i], a[i]);
      delta = back;
    }
  }
  return logit;
}

/**
 * The logit and d logit / d x of every row of `x` (rows × inputs, row-major, scaled to [0, 1]
 * as a Dataset's features are). Logistic regression (no hidden layer) has the same gradient,
 * its weights, at every x.
 */
export function logitGradients(network: Network, x: ArrayLike<number>, rows: number): LogitGradients {
  const inputs = network.config.inputSize;
  if (x.length !== rows * inputs) throw new Error(`logitGradients: ${x.length} values are not ${rows} rows of ${inputs}`);
  const logits = new Float64Array(rows);
  const gradients = new Float64Array(rows * inputs);
  const row = new Float64Array(inputs);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inputs; i++) row[i] = x[r * inputs + i];
    logits[r] = rowGradient(network, row, gradients.subarray(r * inputs, (r + 1) * inputs));
  }
  return { rows, inputs, logits, gradients };
}
