// Draw a digit: the drawing pad and the clickable confusion matrix of notebook 03 and its report.
//
// The trained network runs in the page itself, with no server: its float32 weights are embedded
// (base64) with a forward pass that repeats the WebAssembly kernels' float32 arithmetic step for
// step (assembly/kernels.ts), so the page's probabilities equal `digits evaluate`'s. A drawing is
// preprocessed as MNIST's digits were: bounding box scaled to fit 20×20 (anti-aliased by area
// coverage), centre of mass moved to the centre of the 28×28 frame, intensities 0–255.
//
// One source for Node and the page: mnistImage, forwardProbability, decodeNetwork and base64Bytes
// are plain functions that the tests call directly, and the page script is built from their own
// text (Function.prototype.toString), so what is tested is what the page runs. They therefore
// reference nothing outside themselves but each other and browser/Node globals (Math, atob).
//
// The HTML builders are pure (they return strings); display.ts shows them. Like the charts, each
// widget's script finds its container by id and polls until it is attached (JupyterLab may run an
// output's scripts first), uses no module loader (works with or without require.js on the page),
// and leaves a text fallback where scripts do not run (an untrusted notebook).
import { randomBytes } from "node:crypto";
import type { Dataset } from "../../data/dataset";
import { sampleIndices } from "../../data/explore";
import type { Activation, Network } from "../../model/model";

/** Side of the square image the network reads, and of the box a digit is scaled to fit. */
export const MNIST_SIDE = 28;
export const MNIST_BOX = 20;

/** What every builder here shares: the pair's digit names and the decision threshold. */
export interface DrawOptions {
  /** The two digits told apart: label 0 is digits[0], label 1 (the positive class) digits[1]. Default [0, 1]. */
  digits?: readonly [number, number];
  /** A probability above this predicts digits[1] (default 0.5, as `digits evaluate`). */
  threshold?: number;
}

// ---------------------------------------------------------------------------------------------
// Shared with the page (keep self-contained: no imports, no module-level helpers)

/**
 * A drawing as MNIST's digits were made: the bounding box of the ink (`ink[y * width + x]` > 0,
 * 0–255) is scaled to fit 20×20 keeping its aspect ratio, each target pixel taking the mean ink
 * of the area it covers (anti-aliased grey); the result is put in a 28×28 frame with its centre of
 * mass (in pixel indices) on pixel (14, 14), as in MNIST, where it lies within half a pixel of 14.
 * Returns 784 intensities 0–255, row-major, all 0 for an empty drawing.
 */
export function mnistImage(ink: ArrayLike<number>, width: number, height: number): Uint8Array {
  const side = 28;
  const box = 20;
  const out = new Uint8Array(side * side);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return out;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  // Integer coordinates: source pixel x spans [box·x, box·x + box), target pixel i spans [m·i, m·i + m),
  // so overlaps are exact integers and a target pixel's grey is Σ overlapX·overlapY·ink / m².
  const m = Math.max(w, h);
  const tw = Math.ceil((w * box) / m);
  const th = Math.ceil((h * box) / m);
  const rowsScaled = new Float64Array(h * tw);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = ink[(y0 + y) * width + x0 + x];
      if (!(v > 0)) continue;
      const from = box * x;
      const to = from + box;
      for (let i = Math.floor(from / m); i * m < to; i++) {
        const overlap = Math.min(to, (i + 1) * m) - Math.max(from, i * m);
        rowsScaled[y * tw + i] += overlap * v;
      }
    }
  }
  const patch = new Float64Array(th * tw);
  for (let y = 0; y < h; y++) {
    const from = box * y;
    const to = from + box;
    for (let j = Math.floor(from / m); j * m < to; j++) {
      const overlap = Math.min(to, (j + 1) * m) - Math.max(from, j * m);
      for (let i = 0; i < tw; i++) patch[j * tw + i] += overlap * rowsScaled[y * tw + i];
    }
  }
  let total = 0, sumX = 0, sumY = 0;
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      const v = Math.min(255, Math.round(patch[j * tw + i] / (m * m)));
      patch[j * tw + i] = v;
      total += v;
      sumX += v * i;
      sumY += v * j;
    }
  }
  if (total === 0) return out;
  const dx = Math.round(side / 2 - sumX / total);
  const dy = Math.round(side / 2 - sumY / total);
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      const x = i + dx;
      const y = j + dy;
      if (x >= 0 && x < side && y >= 0 && y < side) out[y * side + x] = patch[j * tw + i];
    }
  }
  return out;
}

/** One Dense layer as the page holds it (the Network layout: kernel[i * units + j]). */
export interface PageLayer {
  inputs: number;
  units: number;
  kernel: ArrayLike<number>;
  bias: ArrayLike<number>;
}

/**
 * P(second digit) for one image of 0–255 intensities: the WebAssembly kernels' forward pass
 * (assembly/kernels.ts) in the same float32 steps and order (Math.fround after every add and
 * multiply; inputs are pixel / 255 in float32 as in data.ts), the final sigmoid in float64.
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
    for (let i = 0; i < values.length; i++) {
      const z = values[i];
      values[i] = activation === "relu" ? (z > 0 ? z : 0) : activation === "tanh" ? f(Math.tanh(z)) : f(1 / f(1 + f(Math.exp(-z))));
    }
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

/** A network as embedded in a page: the activation, layer shapes, and float32 weights in base64. */
export interface EncodedNetwork {
  activation: Activation;
  shapes: { inputs: number; units: number }[];
  /** Per layer, kernel then bias, float32 little-endian. */
  weights: string;
}

/** The layers of an EncodedNetwork (read little-endian whatever the machine). */
export function decodeNetwork(encoded: EncodedNetwork): { activation: string; layers: PageLayer[] } {
  const bytes = base64Bytes(encoded.weights);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const layers: PageLayer[] = [];
  for (let l = 0; l < encoded.shapes.length; l++) {
    const shape = encoded.shapes[l];
    const kernel = new Float32Array(shape.inputs * shape.units);
    for (let i = 0; i < kernel.length; i++, at += 4) kernel[i] = view.getFloat32(at, true);
    const bias = new Float32Array(shape.units);
    for (let i = 0; i < bias.length; i++, at += 4) bias[i] = view.getFloat32(at, true);
    layers.push({ inputs: shape.inputs, units: shape.units, kernel, bias });
  }
  return { activation: encoded.activation, layers };
}

// ---------------------------------------------------------------------------------------------
// Node side: encoding and data

/** The network's float32 weights for a page. */
export function encodeNetwork(network: Network): EncodedNetwork {
  const floats = network.layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  const buffer = Buffer.alloc(4 * floats);
  let at = 0;
  for (const layer of network.layers) {
    for (const v of layer.kernel) at = buffer.writeFloatLE(v, at);
    for (const v of layer.bias) at = buffer.writeFloatLE(v, at);
  }
  return {
    activation: network.config.activation,
    shapes: network.layers.map((l) => ({ inputs: l.inputs, units: l.units })),
    weights: buffer.toString("base64"),
  };
}

/** Row `row` of a dataset as the CSV's 0–255 intensities (features are pixel / 255 in float32). */
export function rowPixels(dataset: Dataset, row: number): Uint8Array {
  if (!Number.isInteger(row) || row < 0 || row >= dataset.rows) throw new RangeError(`row ${row} is outside 0…${dataset.rows - 1}`);
  const out = new Uint8Array(dataset.cols);
  const base = row * dataset.cols;
  for (let c = 0; c < dataset.cols; c++) out[c] = Math.round(dataset.features[base + c] * 255);
  return out;
}

/** Rows' pixels, concatenated, in base64. */
function rowsBase64(dataset: Dataset, rows: readonly number[]): string {
  const bytes = new Uint8Array(rows.length * dataset.cols);
  rows.forEach((r, k) => bytes.set(rowPixels(dataset, r), k * dataset.cols));
  return Buffer.from(bytes).toString("base64");
}

function checkImages(dataset: Dataset, where: string): void {
  if (dataset.cols !== MNIST_SIDE * MNIST_SIDE) {
    throw new RangeError(`${where}: expected ${MNIST_SIDE}×${MNIST_SIDE} = 784 pixels per row, got ${dataset.cols}`);
  }
}

function checkProbabilities(dataset: Dataset, probabilities: ArrayLike<number>, where: string): void {
  if (probabilities.length !== dataset.rows) throw new RangeError(`${where}: ${probabilities.length} probabilities for ${dataset.rows} rows`);
}

/** One cell of the confusion matrix: how many test rows, and which are shown (least confident first). */
export interface ConfusionCell {
  truth: 0 | 1;
  predicted: 0 | 1;
  count: number;
  /** Row indices shown when the cell is clicked: all of them, or the `perCell` least confident. */
  rows: number[];
}

/**
 * The four cells `[[tn, fp], [fn, tp]]` (rows are the true label, as in metrics.confusionMatrix),
 * each with the rows to show: the `perCell` closest to the threshold (the interesting ones in a
 * cell of a thousand confident answers), ties by row index.
 */
export function confusionCells(labels: ArrayLike<number>, probabilities: ArrayLike<number>, options: { threshold?: number; perCell?: number } = {}): ConfusionCell[][] {
  const threshold = options.threshold ?? 0.5;
  const perCell = options.perCell ?? 60;
  if (labels.length !== probabilities.length) throw new RangeError(`${labels.length} labels but ${probabilities.length} probabilities`);
  const members: number[][][] = [[[], []], [[], []]];
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i];
    if (truth !== 0 && truth !== 1) throw new RangeError(`label ${truth} at row ${i}: expected 0 or 1`);
    members[truth][probabilities[i] > threshold ? 1 : 0].push(i);
  }
  return ([0, 1] as const).map((truth) =>
    ([0, 1] as const).map((predicted) => {
      const rows = members[truth][predicted];
      const shown = [...rows].sort((a, b) => Math.abs(probabilities[a] - threshold) - Math.abs(probabilities[b] - threshold) || a - b).slice(0, perCell);
      return { truth, predicted, count: rows.length, rows: shown };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// HTML

const session = randomBytes(4).toString("hex");
let counter = 0;

/** A fresh element id, unique on the page across kernel sessions. */
function nextId(kind: string): string {
  counter += 1;
  return `binary-digits-${kind}-${session}-${counter}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function pairOf(options: DrawOptions): readonly [number, number] {
  const digits = options.digits ?? [0, 1];
  if (digits.length !== 2 || !digits.every((d) => Number.isInteger(d) && d >= 0 && d <= 9) || digits[0] === digits[1]) {
    throw new RangeError(`digits must be two different digits 0–9, got [${digits.join(", ")}]`);
  }
  return digits;
}

/**
 * The functions the page shares with Node, as script source. tsx (the tests' compiler) wraps
 * nested functions in esbuild's __name(); the shim makes that a no-op in the page.
 */
export function pageLibrary(): string {
  return ["var __name = function (fn) { return fn; };", mnistImage, forwardProbability, base64Bytes, decodeNetwork].map(String).join("\n");
}

/** The script that waits for the container `id`, then calls `main(root, config)`. */
function widgetScript(id: string, config: unknown, main: (root: HTMLElement, config: never) => void): string {
  return (
    `<script type="text/javascript">\n(function () {\n${pageLibrary()}\n${String(main)}\n` +
    `var id = ${JSON.stringify(id)}, config = ${scriptJson(config)}, tries = 0;\n` +
    `function start() {\n` +
    `  var root = document.getElementById(id);\n` +
    `  if (!root) { if (++tries < 1200) setTimeout(start, 50); return; }\n` +
    `  if (root.getAttribute("data-digits-ready")) return;\n` +
    `  root.setAttribute("data-digits-ready", "1");\n` +
    `  ${main.name}(root, config);\n` +
    `}\nstart();\n})();\n</script>`
  );
}

const FALLBACK_STYLE = "padding:0.5em;color:#666;font-style:italic";

/** What the page script of the drawing pad receives. */
export interface DrawPadConfig {
  digits: readonly [number, number];
  threshold: number;
  network: EncodedNetwork;
  /** Test rows for the "random test digit" button, in the order the button goes through them. */
  rows: number[];
  labels: number[];
  /** The evaluation's P(second digit) of those rows, when given (shown beside the page's). */
  probabilities: number[] | null;
  /** Their pixels, 784 bytes each, base64. */
  pixels: string;
}

export interface DrawPadOptions extends DrawOptions {
  /** How many test rows the "random test digit" button draws from (a seeded sample; default 200). */
  sample?: number;
  /** Seed of that sample (default 13). */
  seed?: number;
  /** The evaluation's probabilities for every test row, shown beside the page's own. */
  probabilities?: ArrayLike<number>;
  /** The container's id (default: a fresh one). */
  id?: string;
}

/**
 * The drawing pad: a 280×280 canvas (mouse, pen, touch), clear and "random test digit" buttons,
 * a stroke-width slider, the 28×28 image the network receives, P(second digit) and the prediction,
 * updated while drawing. Hooks: data-digits-draw (canvas), data-digits-probability (text: a plain
 * decimal; the exact value in its data-digits-value), data-digits-prediction, data-digits-clear,
 * data-digits-random, data-digits-input (the 28×28 canvas), data-digits-row (the loaded test row).
 */
export function drawPadHtml(network: Network, test: Dataset, options: DrawPadOptions = {}): string {
  const digits = pairOf(options);
  checkImages(test, "the test digits");
  if (network.config.inputSize !== MNIST_SIDE * MNIST_SIDE) throw new RangeError(`the network reads ${network.config.inputSize} pixels; the drawing pad gives it 784`);
  if (options.probabilities) checkProbabilities(test, options.probabilities, "drawPadHtml");
  const rows = Array.from(sampleIndices(test.rows, options.sample ?? 200, options.seed ?? 13));
  const config: DrawPadConfig = {
    digits,
    threshold: options.threshold ?? 0.5,
    network: encodeNetwork(network),
    rows,
    labels: rows.map((r) => digits[test.labels[r]]),
    probabilities: options.probabilities ? rows.map((r) => options.probabilities![r]) : null,
    pixels: rowsBase64(test, rows),
  };
  const id = options.id ?? nextId("draw");
  const [a, b] = digits;
  const button = "font:inherit;padding:0.25em 0.8em;margin:0 0.4em 0.4em 0;cursor:pointer";
  return (
    `<div id="${id}" class="binary-digits-draw" data-digits-pair="${a},${b}" style="font-family:sans-serif;margin:0.5em 0">` +
    `<p data-digits-fallback style="${FALLBACK_STYLE}">Drawing pad: it runs in JavaScript. Run the notebook (or trust it), or open the HTML report.</p>` +
    `<div style="display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start">` +
    `<div><canvas data-digits-draw width="280" height="280" aria-label="Draw a ${a} or a ${b} here" ` +
    `style="width:280px;height:280px;border:1px solid #888;background:#fff;touch-action:none;cursor:crosshair;display:block"></canvas>` +
    `<div style="margin-top:0.5em"><button type="button" data-digits-clear style="${button}">Clear</button>` +
    `<button type="button" data-digits-random style="${button}">Random test digit</button></div>` +
    `<label style="font-size:90%">Stroke width <input type="range" data-digits-stroke min="4" max="40" value="20" style="vertical-align:middle"> ` +
    `<span data-digits-stroke-value>20</span> px</label></div>` +
    `<div><div style="font-size:90%;color:#444">What the network receives (28×28)</div>` +
    `<canvas data-digits-input width="28" height="28" style="width:140px;height:140px;image-rendering:pixelated;border:1px solid #888;display:block;margin:0.3em 0 0.8em"></canvas>` +
    `<div style="font-size:120%">P(${b}) = <span data-digits-probability style="font-family:monospace">–</span></div>` +
    `<div style="font-size:120%">Prediction: <strong data-digits-prediction>–</strong></div>` +
    `<div data-digits-source style="font-size:90%;color:#444;margin-top:0.5em;max-width:22em">Draw a ${a} or a ${b}.</div>` +
    `</div></div></div>\n` +
    widgetScript(id, config, drawPadPage)
  );
}

/** The drawing pad's page code (stringified into the page; DOM only, the numbers come from the shared functions). */
function drawPadPage(root: HTMLElement, config: DrawPadConfig): void {
  const q = (hook: string) => root.querySelector("[" + hook + "]") as HTMLElement;
  const canvas = q("data-digits-draw") as HTMLCanvasElement;
  const view = q("data-digits-input") as HTMLCanvasElement;
  const probability = q("data-digits-probability");
  const prediction = q("data-digits-prediction");
  const source = q("data-digits-source");
  const stroke = q("data-digits-stroke") as HTMLInputElement;
  q("data-digits-fallback").style.display = "none";
  const ctx = canvas.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;
  const viewCtx = view.getContext("2d") as CanvasRenderingContext2D;
  const net = decodeNetwork(config.network);
  const pixels = base64Bytes(config.pixels);
  const W = canvas.width, H = canvas.height;
  const a = config.digits[0], b = config.digits[1];
  const state = { drawing: false, x: 0, y: 0, next: 0, frame: 0 };

  function update(): void {
    state.frame = 0;
    const rgba = ctx.getImageData(0, 0, W, H).data;
    const ink = new Uint8Array(W * H);
    for (let i = 0; i < ink.length; i++) ink[i] = 255 - rgba[4 * i];
    const image = mnistImage(ink, W, H);
    const shown = viewCtx.createImageData(28, 28);
    let any = false;
    for (let i = 0; i < 784; i++) {
      const grey = 255 - image[i];
      shown.data[4 * i] = shown.data[4 * i + 1] = shown.data[4 * i + 2] = grey;
      shown.data[4 * i + 3] = 255;
      if (image[i] > 0) any = true;
    }
    viewCtx.putImageData(shown, 0, 0);
    if (!any) {
      probability.textContent = "–";
      probability.removeAttribute("data-digits-value");
      prediction.textContent = "–";
      return;
    }
    const p = forwardProbability(net.layers, net.activation, image);
    probability.textContent = p.toFixed(4);
    probability.setAttribute("data-digits-value", String(p));
    prediction.textContent = String(p > config.threshold ? b : a);
  }
  function schedule(): void {
    if (!state.frame) state.frame = requestAnimationFrame(update);
  }
  function blank(): void {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
  }
  function drawn(): void {
    if (source.hasAttribute("data-digits-row")) {
      source.removeAttribute("data-digits-row");
      source.textContent = "Your drawing (on top of the test digit).";
    } else if (!source.getAttribute("data-digits-drawn")) source.textContent = "Your drawing.";
    source.setAttribute("data-digits-drawn", "1");
  }
  function point(e: PointerEvent): { x: number; y: number } {
    const rect = canvas.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) * W) / rect.width, y: ((e.clientY - rect.top) * H) / rect.height };
  }
  function width(e: PointerEvent): number {
    const base = Number(stroke.value);
    // A pen's pressure thins or thickens its stroke; a mouse or finger draws at the chosen width.
    return e.pointerType === "pen" && e.pressure > 0 ? base * (0.4 + 1.2 * e.pressure) : base;
  }
  function line(e: PointerEvent): void {
    const p = point(e);
    ctx.strokeStyle = "#000";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = width(e);
    ctx.beginPath();
    ctx.moveTo(state.x, state.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    state.x = p.x;
    state.y = p.y;
  }
  function stop(): void {
    if (!state.drawing) return;
    state.drawing = false;
    if (state.frame) cancelAnimationFrame(state.frame);
    update();
  }

  blank();
  update();
  canvas.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    e.preventDefault();
    try {
      canvas.setPointerCapture(e.pointerId);
    } catch {
      // synthetic events have no capturable pointer
    }
    state.drawing = true;
    const p = point(e);
    state.x = p.x;
    state.y = p.y;
    line(e);
    drawn();
    schedule();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!state.drawing) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === "function" ? e.getCoalescedEvents() : [];
    if (events.length === 0) line(e);
    for (let i = 0; i < events.length; i++) line(events[i]);
    schedule();
  });
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("lostpointercapture", stop);
  stroke.addEventListener("input", () => {
    q("data-digits-stroke-value").textContent = stroke.value;
  });
  q("data-digits-clear").addEventListener("click", () => {
    blank();
    source.removeAttribute("data-digits-row");
    source.removeAttribute("data-digits-drawn");
    source.textContent = "Draw a " + a + " or a " + b + ".";
    update();
  });
  q("data-digits-random").addEventListener("click", () => {
    const k = state.next % config.rows.length;
    state.next += 1;
    const big = ctx.createImageData(W, H);
    const scale = W / 28;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const grey = 255 - pixels[k * 784 + Math.floor(y / scale) * 28 + Math.floor(x / scale)];
        const at = 4 * (y * W + x);
        big.data[at] = big.data[at + 1] = big.data[at + 2] = grey;
        big.data[at + 3] = 255;
      }
    }
    ctx.putImageData(big, 0, 0);
    const row = config.rows[k];
    source.setAttribute("data-digits-row", String(row));
    source.removeAttribute("data-digits-drawn");
    source.textContent =
      "Test row " + row + " (a " + config.labels[k] + ")" +
      (config.probabilities ? "; the evaluation gave P(" + b + ") = " + config.probabilities[k].toFixed(4) + "." : ".");
    update();
  });
}

export interface ConfusionCellsOptions extends DrawOptions {
  /** At most this many digits are shown per cell, the least confident first (default 60). */
  perCell?: number;
  /** Above the matrix (default: "Test set: click a cell to see its digits"). */
  caption?: string;
  /** The container's id (default: a fresh one). */
  id?: string;
}

/** What the page script of the clickable confusion matrix receives. */
interface ConfusionCellsConfig {
  digits: readonly [number, number];
  cells: { truth: number; predicted: number; count: number; rows: number[]; probabilities: number[]; at: number }[];
  pixels: string;
}

/**
 * A confusion matrix (rows the true digit, columns the prediction) whose cells are buttons: a
 * click shows that cell's test digits, each with its row and P(second digit), or "none" for an
 * empty cell. Hooks: data-digits-cell="t,p" on each button, data-digits-cell-view on the panel,
 * data-digits-row on each shown digit, data-digits-none for an empty cell.
 */
export function confusionCellsHtml(test: Dataset, probabilities: ArrayLike<number>, options: ConfusionCellsOptions = {}): string {
  const digits = pairOf(options);
  checkImages(test, "the test digits");
  checkProbabilities(test, probabilities, "confusionCellsHtml");
  const cells = confusionCells(test.labels, probabilities, { threshold: options.threshold, perCell: options.perCell });
  const shownRows: number[] = [];
  const config: ConfusionCellsConfig = {
    digits,
    cells: cells.flat().map((c) => {
      const at = shownRows.length;
      shownRows.push(...c.rows);
      return { truth: c.truth, predicted: c.predicted, count: c.count, rows: c.rows, probabilities: c.rows.map((r) => probabilities[r]), at };
    }),
    pixels: rowsBase64(test, shownRows),
  };
  const id = options.id ?? nextId("cells");
  const [a, b] = digits;
  const total = test.rows;
  const cellButton = (c: ConfusionCell) => {
    const share = total > 0 ? c.count / total : 0;
    const wrong = c.truth !== c.predicted;
    const background = wrong ? (c.count > 0 ? "#fde0dd" : "#fff") : `rgba(8,48,107,${(0.15 + 0.6 * share).toFixed(3)})`;
    return (
      `<td style="padding:0"><button type="button" data-digits-cell="${c.truth},${c.predicted}" data-digits-count="${c.count}" ` +
      `title="true ${digits[c.truth]}, predicted ${digits[c.predicted]}: ${c.count} test digit(s); click to see them" ` +
      `style="font:inherit;width:7em;height:3.2em;border:1px solid #999;background:${background};cursor:pointer">${c.count.toLocaleString("en-US")}</button></td>`
    );
  };
  return (
    `<div id="${id}" class="binary-digits-cells" data-digits-pair="${a},${b}" style="font-family:sans-serif;margin:0.5em 0">` +
    `<p data-digits-fallback style="${FALLBACK_STYLE}">Clickable confusion matrix: it runs in JavaScript. Run the notebook (or trust it), or open the HTML report.</p>` +
    `<table style="border-collapse:collapse;text-align:center">` +
    `<caption style="caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0">${escapeHtml(options.caption ?? "Test set: click a cell to see its digits")}</caption>` +
    `<tr><th></th><th style="padding:0.3em">predicted ${a}</th><th style="padding:0.3em">predicted ${b}</th></tr>` +
    cells.map((row, t) => `<tr><th style="padding:0.3em">true ${digits[t]}</th>${row.map(cellButton).join("")}</tr>`).join("") +
    `</table>` +
    `<div data-digits-cell-view style="margin-top:0.8em;color:#444">Click a cell: the misclassified ones (off the diagonal) are the interesting ones.</div>` +
    `</div>\n` +
    widgetScript(id, config, confusionCellsPage)
  );
}

/** The clickable confusion matrix's page code. */
function confusionCellsPage(root: HTMLElement, config: ConfusionCellsConfig): void {
  const pixels = base64Bytes(config.pixels);
  const view = root.querySelector("[data-digits-cell-view]") as HTMLElement;
  (root.querySelector("[data-digits-fallback]") as HTMLElement).style.display = "none";
  const buttons = root.querySelectorAll("[data-digits-cell]");
  const b = config.digits[1];
  for (let n = 0; n < buttons.length; n++) {
    const button = buttons[n] as HTMLElement;
    button.addEventListener("click", () => {
      const key = (button.getAttribute("data-digits-cell") || "").split(",");
      const cell = config.cells.filter((c) => String(c.truth) === key[0] && String(c.predicted) === key[1])[0];
      for (let m = 0; m < buttons.length; m++) (buttons[m] as HTMLElement).style.outline = "";
      button.style.outline = "3px solid #d62728";
      view.innerHTML = "";
      const heading = document.createElement("div");
      heading.style.fontWeight = "bold";
      heading.style.marginBottom = "0.4em";
      const what = "True " + config.digits[cell.truth] + ", predicted " + config.digits[cell.predicted] + ": ";
      heading.textContent =
        what + cell.count + " test digit" + (cell.count === 1 ? "" : "s") +
        (cell.rows.length < cell.count ? ", showing the " + cell.rows.length + " least confident" : "");
      view.appendChild(heading);
      if (cell.count === 0) {
        const none = document.createElement("div");
        none.setAttribute("data-digits-none", "");
        none.textContent = "none";
        view.appendChild(none);
        return;
      }
      const grid = document.createElement("div");
      grid.style.display = "flex";
      grid.style.flexWrap = "wrap";
      grid.style.gap = "0.5em";
      for (let k = 0; k < cell.rows.length; k++) {
        const figure = document.createElement("figure");
        figure.style.margin = "0";
        figure.style.textAlign = "center";
        figure.setAttribute("data-digits-row", String(cell.rows[k]));
        const canvas = document.createElement("canvas");
        canvas.width = 28;
        canvas.height = 28;
        canvas.style.cssText = "width:56px;height:56px;image-rendering:pixelated;border:1px solid #ccc";
        const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
        const image = ctx.createImageData(28, 28);
        for (let i = 0; i < 784; i++) {
          const grey = 255 - pixels[(cell.at + k) * 784 + i];
          image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = grey;
          image.data[4 * i + 3] = 255;
        }
        ctx.putImageData(image, 0, 0);
        const caption = document.createElement("figcaption");
        caption.style.fontSize = "80%";
        const p = cell.probabilities[k];
        caption.innerHTML = "row " + cell.rows[k] + "<br>P(" + b + ") = <span data-digits-value=\"" + p + "\">" + p.toFixed(4) + "</span>";
        figure.appendChild(canvas);
        figure.appendChild(caption);
        grid.appendChild(figure);
      }
      view.appendChild(grid);
    });
  }
}
