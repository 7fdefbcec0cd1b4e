// The training and prediction kernels, in AssemblyScript, compiled to WebAssembly with SIMD
// (npm run build → dist/kernels.wasm). lib/model/engine.ts lays out the memory and calls these.
//
// Why WebAssembly: for a network this small the time goes into per-element overhead, and
// plain JavaScript has no SIMD; here four float32 lanes are processed per instruction.
// Everything is float32, as in TensorFlow.js and PyTorch, and deterministic: wasm has no
// fused multiply-add and no thread-dependent reductions, so a seed gives the same bits anywhere.
//
// Memory layout (all pointers are byte offsets into the imported memory):
//   net table, i32 words: [depth, activation, then per layer 9 words:
//     nIn, nOut, nOutPad, kernel, bias, gradKernel, gradBias, out, delta]
//   Unit counts are padded to a multiple of 4 (nOutPad) with zero weights, so SIMD loops
//   need no tail; padded units are never read as inputs and their deltas stay zero.
//   Rows are CSR: indptr (u32, rows + 1), indices (u16), values (f32).

const LAYER_WORDS: usize = 9;
const HEADER_WORDS: usize = 2;

// activation codes, shared with lib/model/engine.ts
const SIGMOID: i32 = 0;
const RELU: i32 = 1;

@inline function word(table: usize, index: usize): usize {
  return <usize>load<i32>(table + (index << 2));
}
@inline function layerWord(net: usize, layer: usize, field: usize): usize {
  return word(net, HEADER_WORDS + layer * LAYER_WORDS + field);
}

const N_IN: usize = 0;
const N_OUT: usize = 1;
const N_PAD: usize = 2;
const KERNEL: usize = 3;
const BIAS: usize = 4;
const G_KERNEL: usize = 5;
const G_BIAS: usize = 6;
const OUT: usize = 7;
const DELTA: usize = 8;

@inline function activate(z: f32, act: i32): f32 {
  if (act == SIGMOID) return 1.0 / (1.0 + Mathf.exp(-z));
  if (act == RELU) return z > 0 ? z : 0;
  return Mathf.tanh(z);
}

/** Derivative of the activation, written in terms of its output a. */
@inline function activationSlope(a: f32, act: i32): f32 {
  if (act == SIGMOID) return a * (1 - a);
  if (act == RELU) return a > 0 ? 1 : 0;
  return 1 - a * a;
}

/** Forward pass of row `row`; returns the output logit, activations left in each layer's `out`. */
function forward(net: usize, indptr: usize, indices: usize, values: usize, row: usize): f32 {
  const depth = word(net, 0);
  const act = <i32>word(net, 1);
  // First layer: only the row's non-zero pixels contribute.
  {
    const nPad = layerWord(net, 0, N_PAD);
    const kernel = layerWord(net, 0, KERNEL);
    const bias = layerWord(net, 0, BIAS);
    const out = layerWord(net, 0, OUT);
    const start = <usize>load<u32>(indptr + (row << 2));
    const end = <usize>load<u32>(indptr + ((row + 1) << 2));
    for (let c: usize = 0; c < nPad; c += 4) {
      let acc = v128.load(bias + (c << 2));
      for (let k = start; k < end; k++) {
        const index = <usize>load<u16>(indices + (k << 1));
        const x = f32x4.splat(load<f32>(values + (k << 2)));
        acc = f32x4.add(acc, f32x4.mul(x, v128.load(kernel + ((index * nPad + c) << 2))));
      }
      v128.store(out + (c << 2), acc);
    }
  }
  for (let l: usize = 1; l < depth; l++) {
    const input = layerWord(net, l - 1, OUT);
    const nIn = layerWord(net, l, N_IN);
    const nPad = layerWord(net, l, N_PAD);
    const kernel = layerWord(net, l, KERNEL);
    const bias = layerWord(net, l, BIAS);
    const out = layerWord(net, l, OUT);
    // the previous layer was hidden: apply its activation now
    for (let i: usize = 0; i < nIn; i++) store<f32>(input + (i << 2), activate(load<f32>(input + (i << 2)), act));
    for (let c: usize = 0; c < nPad; c += 4) v128.store(out + (c << 2), v128.load(bias + (c << 2)));
    for (let i: usize = 0; i < nIn; i++) {
      const x = f32x4.splat(load<f32>(input + (i << 2)));
      const row_ = kernel + ((i * nPad) << 2);
      for (let c: usize = 0; c < nPad; c += 4) {
        const o = out + (c << 2);
        v128.store(o, f32x4.add(v128.load(o), f32x4.mul(x, v128.load(row_ + (c << 2)))));
      }
    }
  }
  return load<f32>(layerWord(net, depth - 1, OUT));
}

/** Adds row `row`'s gradient (given dLoss/dLogit) to the gradient buffers; call after forward. */
function backward(net: usize, indptr: usize, indices: usize, values: usize, row: usize, dLogit: f32): void {
  const depth = word(net, 0);
  const act = <i32>word(net, 1);
  store<f32>(layerWord(net, depth - 1, DELTA), dLogit);
  for (let l = depth - 1; l >= 1; l--) {
    const nIn = layerWord(net, l, N_IN);
    const nPad = layerWord(net, l, N_PAD);
    const kernel = layerWord(net, l, KERNEL);
    const gKernel = layerWord(net, l, G_KERNEL);
    const gBias = layerWord(net, l, G_BIAS);
    const dOut = layerWord(net, l, DELTA);
    const input = layerWord(net, l - 1, OUT);
    const dIn = layerWord(net, l - 1, DELTA);
    for (let c: usize = 0; c < nPad; c += 4) {
      const g = gBias + (c << 2);
      v128.store(g, f32x4.add(v128.load(g), v128.load(dOut + (c << 2))));
    }
    for (let i: usize = 0; i < nIn; i++) {
      const a = load<f32>(input + (i << 2));
      const x = f32x4.splat(a);
      const offset = (i * nPad) << 2;
      let sum = f32x4.splat(0);
      for (let c: usize = 0; c < nPad; c += 4) {
        const d = v128.load(dOut + (c << 2));
        const g = gKernel + offset + (c << 2);
        v128.store(g, f32x4.add(v128.load(g), f32x4.mul(x, d)));
        sum = f32x4.add(sum, f32x4.mul(v128.load(kernel + offset + (c << 2)), d));
      }
      const total = f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3);
      store<f32>(dIn + (i << 2), total * activationSlope(a, act));
    }
  }
  const nPad = layerWord(net, 0, N_PAD);
  const gKernel = layerWord(net, 0, G_KERNEL);
  const gBias = layerWord(net, 0, G_BIAS);
  const d1 = layerWord(net, 0, DELTA);
  const start = <usize>load<u32>(indptr + (row << 2));
  const end = <usize>load<u32>(indptr + ((row + 1) << 2));
  for (let c: usize = 0; c < nPad; c += 4) {
    const d = v128.load(d1 + (c << 2));
    const gb = gBias + (c << 2);
    v128.store(gb, f32x4.add(v128.load(gb), d));
    for (let k = start; k < end; k++) {
      const index = <usize>load<u16>(indices + (k << 1));
      const x = f32x4.splat(load<f32>(values + (k << 2)));
      const g = gKernel + ((index * nPad + c) << 2);
      v128.store(g, f32x4.add(v128.load(g), f32x4.mul(x, d)));
    }
  }
}

/** Binary cross-entropy of one logit, computed stably (never log 0). */
@inline function logitLoss(z: f64, y: f64): f64 {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

// Adam slots table, i32 words: [count, then per slot 6 words: param, grad, m, v, length, rows]
// where `rows` (if non-zero) points at [nRows, rowWidth, row indices…]: only those rows of the
// parameter are updated (first-layer rows whose pixel is never non-zero never get a gradient).
const SLOT_WORDS: usize = 6;

@inline function adamSpan(param: usize, grad: usize, m: usize, v: usize, from: usize, to: usize,
                          b1: v128, b1c: v128, b2: v128, b2c: v128, lr: v128, invBc2: v128, eps: v128): void {
  for (let i = from; i < to; i += 16) {
    const g = v128.load(grad + i);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + i)), f32x4.mul(b1c, g));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + i)), f32x4.mul(b2c, f32x4.mul(g, g)));
    v128.store(m + i, mi);
    v128.store(v + i, vi);
    const step = f32x4.div(f32x4.mul(lr, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, invBc2)), eps));
    v128.store(param + i, f32x4.sub(v128.load(param + i), step));
    v128.store(grad + i, f32x4.splat(0));
  }
}

/** One Adam update (TF.js's formulation) of every slot, then the gradients are zeroed. */
export function adamStep(slots: usize, learningRate: f64, beta1: f64, beta2: f64, epsilon: f64, step: f64): void {
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2 = 1 - Math.pow(beta2, step);
  const lr = f32x4.splat(<f32>(learningRate / bc1));
  const invBc2 = f32x4.splat(<f32>(1 / bc2));
  const b1 = f32x4.splat(<f32>beta1);
  const b1c = f32x4.splat(<f32>(1 - beta1));
  const b2 = f32x4.splat(<f32>beta2);
  const b2c = f32x4.splat(<f32>(1 - beta2));
  const eps = f32x4.splat(<f32>epsilon);
  const count = word(slots, 0);
  for (let s: usize = 0; s < count; s++) {
    const base: usize = (<usize>1) + s * SLOT_WORDS;
    const param = word(slots, base);
    const grad = word(slots, base + 1);
    const m = word(slots, base + 2);
    const v = word(slots, base + 3);
    const length = word(slots, base + 4);
    const rows = word(slots, base + 5);
    if (rows == 0) {
      adamSpan(param, grad, m, v, 0, length << 2, b1, b1c, b2, b2c, lr, invBc2, eps);
    } else {
      const nRows = word(rows, 0);
      const width = word(rows, 1) << 2;
      for (let r: usize = 0; r < nRows; r++) {
        const from = word(rows, 2 + r) * width;
        adamSpan(param, grad, m, v, from, from + width, b1, b1c, b2, b2c, lr, invBc2, eps);
      }
    }
  }
}

let correctCount: i32 = 0;

/** How many rows the last trainEpoch/score call classified correctly (probability > 0.5). */
export function correct(): i32 {
  return correctCount;
}

/**
 * One epoch of mini-batch training over rows in the order given (u32 row numbers); the last
 * batch may be partial. Returns the summed loss; `correct()` gives the running accuracy count.
 */
export function trainEpoch(net: usize, slots: usize, indptr: usize, indices: usize, values: usize, labels: usize,
                           order: usize, n: usize, batchSize: usize, learningRate: f64, beta1: f64, beta2: f64,
                           epsilon: f64, firstStep: f64): f64 {
  let lossSum: f64 = 0;
  let right: i32 = 0;
  let step = firstStep;
  for (let start: usize = 0; start < n; start += batchSize) {
    const end = min(start + batchSize, n);
    const scale = <f32>(1.0 / <f64>(end - start)); // the loss is the batch mean
    for (let b = start; b < end; b++) {
      const row = <usize>load<u32>(order + (b << 2));
      const y = <f32>load<u8>(labels + row);
      const z = forward(net, indptr, indices, values, row);
      lossSum += logitLoss(<f64>z, <f64>y);
      const p: f32 = 1.0 / (1.0 + Mathf.exp(-z));
      if ((p > 0.5 ? 1 : 0) == <i32>y) right++;
      backward(net, indptr, indices, values, row, (p - y) * scale);
    }
    adamStep(slots, learningRate, beta1, beta2, epsilon, step);
    step += 1;
  }
  correctCount = right;
  return lossSum;
}

/** Summed loss over rows 0…n-1 (no training); `correct()` gives the count right. */
export function score(net: usize, indptr: usize, indices: usize, values: usize, labels: usize, n: usize): f64 {
  let lossSum: f64 = 0;
  let right: i32 = 0;
  for (let row: usize = 0; row < n; row++) {
    const z = forward(net, indptr, indices, values, row);
    const y = <f64>load<u8>(labels + row);
    lossSum += logitLoss(<f64>z, y);
    if ((z > 0 ? 1 : 0) == <i32>y) right++;
  }
  correctCount = right;
  return lossSum;
}

/**
 * Probability of class 1 for rows 0…n-1, written as f64 at `out`: float32 would round any
 * probability above 1 - 6e-8 to exactly 1, and log loss would then see certainty where there is none.
 */
export function predict(net: usize, indptr: usize, indices: usize, values: usize, n: usize, out: usize): void {
  for (let row: usize = 0; row < n; row++) {
    const z = <f64>forward(net, indptr, indices, values, row);
    store<f64>(out + (row << 3), 1.0 / (1.0 + Math.exp(-z)));
  }
}
