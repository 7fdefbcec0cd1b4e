// Draw a digit: the drawing pad and the clickable confusion matrix of notebook 03 and its report.
//
// The trained network runs in the page itself, with no server: its float32 weights are embedded
// (base64) with a forward pass that repeats the WebAssembly kernels' float32 arithmetic step for
// step (network.ts), so the page's probabilities equal `digits evaluate`'s. A drawing is
// preprocessed as MNIST's digits were (image.ts).
//
// The builders here are pure (they return HTML strings); display.ts shows them. The page code is a
// browser module (./page, its own tsconfig with the DOM lib), bundled by the build and inlined in
// each widget's script (widget.ts); it shares image.ts, network.ts and page-config.ts with this
// side, so what the tests call is what the page runs. Each widget's script finds its container
// by id and waits until it is attached (JupyterLab may run an output's scripts first), uses no
// module loader, and leaves a text fallback where scripts do not run (an untrusted notebook).
import type { Dataset } from "../../data/dataset";
import { sampleIndices } from "../../data/explore";
import type { Network } from "../../model/model";
import { escapeHtml } from "../escape";
import { confusionCells, type ConfusionCell } from "./cells";
import { encodeNetwork, rowsBase64 } from "./embed";
import { MNIST_SIDE } from "./image";
import type { ConfusionCellsConfig, DrawPadConfig } from "./page-config";
import { nextId, widgetScript } from "./widget";

/** What every builder here shares: the pair's digit names and the decision threshold. */
export interface DrawOptions {
  /** The two digits told apart: label 0 is digits[0], label 1 (the positive class) digits[1]. Default [0, 1]. */
  pair?: readonly [number, number];
  /** A probability above this predicts digits[1] (default 0.5, as `digits evaluate`). */
  threshold?: number;
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

export interface ConfusionCellsOptions extends DrawOptions {
  /** At most this many digits are shown per cell, the least confident first (default 60). */
  perCell?: number;
  /** Above the matrix (default: "Test set: click a cell to see its digits"). */
  caption?: string;
  /** The container's id (default: a fresh one). */
  id?: string;
}

/** The overlay's colours: the charts' class colours (CLASS_COLORS), as page/attribution.ts paints them. */
const TOWARDS = ["#1f77b4", "#ff7f0e"];

const FALLBACK_STYLE = "padding:0.5em;color:#666;font-style:italic";

function pairOf(options: DrawOptions): readonly [number, number] {
  const pair = options.pair ?? [0, 1];
  if (pair.length !== 2 || !pair.every((d) => Number.isInteger(d) && d >= 0 && d <= 9) || pair[0] === pair[1]) {
    throw new RangeError(`digits must be two different digits 0–9, got [${pair.join(", ")}]`);
  }
  return pair;
}

function checkImages(dataset: Dataset, where: string): void {
  if (dataset.cols !== MNIST_SIDE * MNIST_SIDE) {
    throw new RangeError(`${where}: expected ${MNIST_SIDE}×${MNIST_SIDE} = ${MNIST_SIDE * MNIST_SIDE} pixels per row, got ${dataset.cols}`);
  }
}

function checkProbabilities(dataset: Dataset, probabilities: ArrayLike<number>, where: string): void {
  if (probabilities.length !== dataset.rows) throw new RangeError(`${where}: ${probabilities.length} probabilities for ${dataset.rows} rows`);
}

/** The pad's config: the network, and a seeded sample of test rows for the "random test digit" button. */
function drawPadConfig(network: Network, test: Dataset, pair: readonly [number, number], options: DrawPadOptions): DrawPadConfig {
  const rows = Array.from(sampleIndices(test.rows, options.sample ?? 200, options.seed ?? 13));
  return {
    pair: pair,
    threshold: options.threshold ?? 0.5,
    network: encodeNetwork(network),
    rows,
    labels: rows.map((r) => pair[test.labels[r]]),
    probabilities: options.probabilities ? rows.map((r) => options.probabilities![r]) : null,
    pixels: rowsBase64(test, rows),
  };
}

/**
 * The drawing pad: a 280×280 canvas (mouse, pen, touch), clear and "random test digit" buttons,
 * a stroke-width slider, the 28×28 image the network receives and which of its pixels push towards
 * each digit (gradient × input, in the charts' class colours), P(second digit) and the prediction,
 * updated while drawing. Hooks: data-digits-draw (canvas), data-digits-probability (text: a plain
 * decimal; the exact value in its data-digits-value), data-digits-prediction, data-digits-clear,
 * data-digits-random, data-digits-input (the 28×28 canvas), data-digits-attribution (the 28×28
 * overlay of gradient × input in the pair's colours), data-digits-row (the loaded test row),
 * data-digits-model (a select: "notebook" or "lab", shown once the report's lab has trained a network
 * in the page, which the pad then uses until told otherwise).
 */
export function drawPadHtml(network: Network, test: Dataset, options: DrawPadOptions = {}): string {
  const pair = pairOf(options);
  checkImages(test, "the test digits");
  if (network.config.inputSize !== MNIST_SIDE * MNIST_SIDE) throw new RangeError(`the network reads ${network.config.inputSize} pixels; the drawing pad gives it ${MNIST_SIDE * MNIST_SIDE}`);
  if (options.probabilities) checkProbabilities(test, options.probabilities, "drawPadHtml");
  const config = drawPadConfig(network, test, pair, options);
  const id = options.id ?? nextId("draw");
  const [a, b] = pair;
  const button = "font:inherit;padding:0.25em 0.8em;margin:0 0.4em 0.4em 0;cursor:pointer";
  return (
    `<div id="${escapeHtml(id)}" class="binary-digits-draw" data-digits-pair="${a},${b}" style="font-family:sans-serif;margin:0.5em 0">` +
    `<p data-digits-fallback style="${FALLBACK_STYLE}">Drawing pad: it runs in JavaScript. Run the notebook (or trust it), or open the HTML report.</p>` +
    `<div style="display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start">` +
    `<div><canvas data-digits-draw width="280" height="280" aria-label="Draw a ${a} or a ${b} here" ` +
    `style="width:280px;height:280px;border:1px solid #888;background:#fff;touch-action:none;cursor:crosshair;display:block"></canvas>` +
    `<div style="margin-top:0.5em"><button type="button" data-digits-clear style="${button}">Clear</button>` +
    `<button type="button" data-digits-random style="${button}">Random test digit</button></div>` +
    `<label style="font-size:90%">Stroke width <input type="range" data-digits-stroke min="4" max="40" value="20" style="vertical-align:middle"> ` +
    `<span data-digits-stroke-value>20</span> px</label></div>` +
    `<div><div style="font-size:90%;color:#444">What the network receives (${MNIST_SIDE}×${MNIST_SIDE})</div>` +
    `<canvas data-digits-input width="${MNIST_SIDE}" height="${MNIST_SIDE}" style="width:140px;height:140px;image-rendering:pixelated;border:1px solid #888;display:block;margin:0.3em 0 0.8em"></canvas>` +
    `<div style="font-size:90%;color:#444;max-width:14em">Which pixels push towards <span style="color:${TOWARDS[0]};font-weight:bold">${a}</span> or ` +
    `<span style="color:${TOWARDS[1]};font-weight:bold">${b}</span> (gradient × input)</div>` +
    `<canvas data-digits-attribution width="${MNIST_SIDE}" height="${MNIST_SIDE}" aria-label="Pixels pushing towards ${a} (blue) or ${b} (orange)" style="width:140px;height:140px;image-rendering:pixelated;border:1px solid #888;display:block;margin:0.3em 0 0.8em"></canvas>` +
    `<div style="font-size:120%">P(${b}) = <span data-digits-probability style="font-family:monospace">–</span></div>` +
    `<div style="font-size:120%">Prediction: <strong data-digits-prediction>–</strong></div>` +
    `<div data-digits-source style="font-size:90%;color:#444;margin-top:0.5em;max-width:22em">Draw a ${a} or a ${b}.</div>` +
    // Shown once the report's lab has trained a network in the page (LAB_NETWORK_EVENT).
    `<label data-digits-model-choice style="display:none;font-size:90%;margin-top:0.5em">Network: <select data-digits-model style="font:inherit;max-width:22em">` +
    `<option value="notebook">the notebook's</option><option value="lab">trained in this page</option></select></label>` +
    `</div></div></div>\n` +
    widgetScript("drawPad", id, config)
  );
}

/** The matrix's config: each cell's shown rows, their probabilities, and all their pixels in one run. */
function confusionCellsConfig(test: Dataset, probabilities: ArrayLike<number>, cells: ConfusionCell[][], pair: readonly [number, number]): ConfusionCellsConfig {
  const shownRows: number[] = [];
  return {
    pair: pair,
    cells: cells.flat().map((c) => {
      const at = shownRows.length;
      shownRows.push(...c.rows);
      return { truth: c.truth, predicted: c.predicted, count: c.count, rows: c.rows, probabilities: c.rows.map((r) => probabilities[r]), at };
    }),
    pixels: rowsBase64(test, shownRows),
  };
}

/** One cell of the matrix as a button, shaded by its share of the test set (mistakes in pink). */
function cellButton(c: ConfusionCell, pair: readonly [number, number], total: number): string {
  const share = total > 0 ? c.count / total : 0;
  const wrong = c.truth !== c.predicted;
  const background = wrong ? (c.count > 0 ? "#fde0dd" : "#fff") : `rgba(8,48,107,${(0.15 + 0.6 * share).toFixed(3)})`;
  return (
    `<td style="padding:0"><button type="button" data-digits-cell="${c.truth},${c.predicted}" data-digits-count="${c.count}" ` +
    `title="true ${pair[c.truth]}, predicted ${pair[c.predicted]}: ${c.count} test digit(s); click to see them" ` +
    `style="font:inherit;width:7em;height:3.2em;border:1px solid #999;background:${background};cursor:pointer">${c.count.toLocaleString("en-US")}</button></td>`
  );
}

/**
 * A confusion matrix (rows the true digit, columns the prediction) whose cells are buttons: a
 * click shows that cell's test digits, each with its row and P(second digit), or "none" for an
 * empty cell. Hooks: data-digits-cell="t,p" on each button, data-digits-cell-view on the panel,
 * data-digits-row on each shown digit, data-digits-none for an empty cell.
 */
export function confusionCellsHtml(test: Dataset, probabilities: ArrayLike<number>, options: ConfusionCellsOptions = {}): string {
  const pair = pairOf(options);
  checkImages(test, "the test digits");
  checkProbabilities(test, probabilities, "confusionCellsHtml");
  const cells = confusionCells(test.labels, probabilities, { threshold: options.threshold, perCell: options.perCell });
  const config = confusionCellsConfig(test, probabilities, cells, pair);
  const id = options.id ?? nextId("cells");
  const [a, b] = pair;
  return (
    `<div id="${escapeHtml(id)}" class="binary-digits-cells" data-digits-pair="${a},${b}" style="font-family:sans-serif;margin:0.5em 0">` +
    `<p data-digits-fallback style="${FALLBACK_STYLE}">Clickable confusion matrix: it runs in JavaScript. Run the notebook (or trust it), or open the HTML report.</p>` +
    `<table style="border-collapse:collapse;text-align:center">` +
    `<caption style="caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0">${escapeHtml(options.caption ?? "Test set: click a cell to see its digits")}</caption>` +
    `<tr><th></th><th style="padding:0.3em">predicted ${a}</th><th style="padding:0.3em">predicted ${b}</th></tr>` +
    cells.map((row, t) => `<tr><th style="padding:0.3em">true ${pair[t]}</th>${row.map((c) => cellButton(c, pair, test.rows)).join("")}</tr>`).join("") +
    `</table>` +
    `<div data-digits-cell-view style="margin-top:0.8em;color:#444">Click a cell: the misclassified ones (off the diagonal) are the interesting ones.</div>` +
    `</div>\n` +
    widgetScript("confusionCells", id, config)
  );
}
