// The trained network in the page: its float32 weights as embedded (base64) and its forward pass,
// which repeats the WebAssembly kernels' float32 arithmetic step for step (assembly/kernels.ts), so
// the page's probabilities equal `digits evaluate`'s; the overlay's gradients come from
// lib/model/gradients.ts. Shared by Node (the tests call these very functions) and the page
// (lib/notebook/draw/page, bundled by the build): it uses only what both have (Math, typed arrays,
// DataView, atob), which compiling it under both tsconfigs checks.
import { logitGradients } from "../../model/gradients";
import type { Activation, Network } from "../../model/model";

/** One Dense layer as the page holds it (the Network layout: kernel[i * units + j]). */
export interface PageLayer {
  inputs: number;
  units: number;
  kernel: ArrayLike<number>;
  bias: ArrayLike<number>;
}

/** A network as embedded in a page: the activation, layer shapes, and float32 weights in base64. */
export interface PageNetwork {
  activation: Activation;
  shapes: { inputs: number; units: number }[];
  /** Per layer, kernel then bias, float32 little-endian. */
  weights: string;
}

/** The hidden activation in float32, as the kernels apply it. */
function activate(activation: string, z: number): number {
  const f = Math.fround;
  return activation === "relu" ? (z > 0 ? z : 0) : activation === "tanh" ? f(Math.tanh(z)) : f(1 / f(1 + f(Math.exp(-z))));
}

/**
 * P(second digit) for one image of 0–255 intensities: the WebAssembly kernels' forward pass
 * (assembly/kernels.ts) in the same float32 steps and order (Math.fround after every add and
 * multiply; inputs are pixel / 255 in float32 as in lib/data/csv.ts), the final sigmoid in float64.
 */
export function forwardProbability(layers: readonly PageLayer[], activation: string, pixels: ArrayLike<number>): number {
  const f = Math.fround;
  const first = layers[0];
  let values = new Float64Array(first.units);
  for (let j = 0; j < first.units; j++) values[j] = f(first.bias[j]);
  for (let c = 0; c < first.inputs; c++) {
    const x = f(pixels[c] / 255);
    if (x === 0) continue;
    const row = c * first.units;
    for (let j = 0; j < first.units; j++) values[j] = f(values[j] + f(x * first.kernel[row + j]));
  }
  for (let l = 1; l < layers.length; l++) {
    const layer = layers[l];
    for (let i = 0; i < values.length; i++) values[i] = activate(activation, values[i]);
    const next = new Float64Array(layer.units);
    for (let j = 0; j < layer.units; j++) next[j] = f(layer.bias[j]);
    for (let i = 0; i < layer.inputs; i++) {
      const a = values[i];
      const row = i * layer.units;
      for (let j = 0; j < layer.units; j++) next[j] = f(next[j] + f(a * layer.kernel[row + j]));
    }
    values = next;
  }
  return 1 / (1 + Math.exp(-values[0]));
}

/** Bytes of a base64 string (atob: in browsers and in Node ≥ 16). */
export function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The network a PageNetwork holds (read little-endian whatever the machine). */
export function decodeNetwork(encoded: PageNetwork): Network {
  const bytes = base64Bytes(encoded.weights);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const layers: Network["layers"] = [];
  for (let l = 0; l < encoded.shapes.length; l++) {
    const shape = encoded.shapes[l];
    const kernel = new Float32Array(shape.inputs * shape.units);
    for (let i = 0; i < kernel.length; i++, at += 4) kernel[i] = view.getFloat32(at, true);
    const bias = new Float32Array(shape.units);
    for (let i = 0; i < bias.length; i++, at += 4) bias[i] = view.getFloat32(at, true);
    layers.push({ inputs: shape.inputs, units: shape.units, kernel, bias });
  }
  return { config: { inputSize: layers[0].inputs, hidden: layers.slice(0, -1).map((l) => l.units), activation: encoded.activation }, layers };
}

/**
 * Gradient × input of the logit (the output before its sigmoid; positive pushes towards the second
 * digit) for one image of 0–255 intensities: x_i · d logit / d x_i with x = pixel / 255, the
 * drawing pad's overlay, from lib/model/gradients.ts's backward pass (the one `digits explain` uses).
 */
export function gradientTimesInput(network: Network, pixels: ArrayLike<number>): Float64Array {
  const x = Float64Array.from({ length: network.config.inputSize }, (_, i) => pixels[i] / 255);
  const { gradients } = logitGradients(network, x, 1);
  return gradients.map((g, i) => g * x[i]);
}
