// Attributions: how much each pixel of an image pushes the network's logit towards the pair's
// second digit (positive) or its first (negative). Saliency is the gradient d logit / d x at the
// image; integrated gradients (Sundararajan et al. 2017) multiply x − x′ by the average gradient
// on the straight path from the baseline x′ = 0 (a black image) to x, by the trapezoidal rule, and
// sum to logit − baselineLogit up to the rule's error (completeness).
import { logitGradients } from "../model/gradients";
import type { Network } from "../model/model";

export type AttributionMethod = "saliency" | "integrated-gradients" | "both";
export const ATTRIBUTION_METHODS: readonly AttributionMethod[] = ["saliency", "integrated-gradients", "both"];
export const DEFAULT_STEPS = 64;
/**
 * The most intervals asked for: the path holds (steps + 1) × inputs numbers (10,000 steps of a
 * 784-pixel image: 63 MB, and as much again for its gradients), and beyond a few hundred steps the
 * trapezoidal rule's error is already below what a map can show.
 */
export const MAX_STEPS = 10_000;

/** One image's attributions, one number per input (x = pixel / 255). */
export interface Attribution {
  /** The logit at the image. */
  logit: number;
  /** The logit at the baseline, the black image. */
  baselineLogit: number;
  /** d logit / d x at the image. */
  saliency: Float64Array;
  /** x · the trapezoidal average of d logit / d x over `steps` intervals from 0 to x. */
  integratedGradients: Float64Array;
}

/**
 * Saliency and integrated gradients of one image `x` (scaled inputs), with `steps` intervals:
 * the gradient is taken at steps + 1 points k/steps · x, k = 0 … steps.
 */
export function attribute(network: Network, x: ArrayLike<number>, steps = DEFAULT_STEPS): Attribution {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`attribute: steps must be a whole number ≥ 1, got ${steps}`);
  const n = network.config.inputSize;
  const path = new Float64Array((steps + 1) * n);
  for (let k = 0; k <= steps; k++) for (let i = 0; i < n; i++) path[k * n + i] = (k / steps) * x[i];
  const { logits, gradients } = logitGradients(network, path, steps + 1);
  const average = new Float64Array(n);
  for (let k = 0; k <= steps; k++) {
    const weight = k === 0 || k === steps ? 0.5 / steps : 1 / steps;
    for (let i = 0; i < n; i++) average[i] += weight * gradients[k * n + i];
  }
  const integratedGradients = average.map((g, i) => g * x[i]);
  return { logit: logits[steps], baselineLogit: logits[0], saliency: gradients.slice(steps * n), integratedGradients };
}

/** Σ of an attribution map: for integrated gradients, close to logit − baselineLogit. */
export function attributionSum(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** The `count` pixels with the largest |value|, strongest first: for summaries of a map. */
export function strongestPixels(values: ArrayLike<number>, count: number): { index: number; value: number }[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
  return order.slice(0, count).map((index) => ({ index, value: values[index] }));
}
