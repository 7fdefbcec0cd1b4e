// What the network sees (notebook 03): the first layer's weights as images, integrated-gradient
// maps beside their digits, and the reliability diagram. Weights and attributions share one
// diverging scale centred at 0: the pair's first digit's colour for negative (towards A, or
// weights that ink lowers), its second digit's for positive.
import { datasetPair, type Dataset } from "../data/dataset";
import { imageSide } from "../data/explore";
import type { Calibration } from "../evaluation/calibration";
import type { Network } from "../model/model";
import { CLASS_COLORS, INK_SCALE, round, thousands, title, WRONG_COLOR, type Figure, type Trace } from "./figure";

/** Negative → first class colour, 0 → white, positive → second class colour. */
const DIVERGING_SCALE: [number, string][] = [[0, CLASS_COLORS[0]], [0.5, "#ffffff"], [1, CLASS_COLORS[1]]];

/**
 * The same with 0 transparent: attribution maps are drawn over the digits' ink trace, which shows
 * through where a map is 0 (between its tiles, and on the digit tiles themselves).
 */
const DIVERGING_OVER_SCALE: [number, string][] = [
  // Only the opacity fades towards 0 (each side keeps its colour): over white this looks as DIVERGING_SCALE.
  [0, rgba(CLASS_COLORS[0], 1)],
  [0.5, rgba(CLASS_COLORS[0], 0)],
  [0.5, rgba(CLASS_COLORS[1], 0)],
  [1, rgba(CLASS_COLORS[1], 1)],
];

/** "#1f77b4" at opacity a as "rgba(31,119,180,a)". */
function rgba(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${a})`;
}

/** One tile of a mosaic: a side × side image, its top-left corner in mosaic pixels. */
interface Tile {
  x0: number;
  y0: number;
  values: ArrayLike<number>;
}

/**
 * A height × width grid of 0 with the tiles' values written in. 0, not null, between tiles: 0 is
 * white on every scale here, and an all-number grid reaches Plotly renderers as packed bytes
 * (lib/notebook/plotly.ts) where nulls would be one line each in the saved notebook.
 */
function paint(tiles: readonly Tile[], side: number, width: number, height: number, scale = 1): number[][] {
  const z: number[][] = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  for (const { x0, y0, values } of tiles) {
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) z[y0 + r][x0 + c] = Math.round(values[r * side + c] * scale);
  }
  return z;
}

/**
 * Signed values are drawn as whole thousandths of the largest |value| (finer than any colour step):
 * whole numbers reach Plotly renderers as 2 bytes each, where floats would take 8. The colour bar
 * is labelled in the values themselves.
 */
const STEPS = 1000;

function symmetricTrace(z: number[][], limit: number, colorscale: [number, string][], what: string, barTitle = what): Trace {
  const ticks = [-1, -0.5, 0, 0.5, 1];
  return {
    type: "heatmap",
    z,
    zmin: -STEPS,
    zmax: STEPS,
    zmid: 0,
    colorscale,
    colorbar: { title: { text: barTitle }, thickness: 14, len: 0.8, tickvals: ticks.map((t) => t * STEPS), ticktext: ticks.map((t) => Number((t * limit).toPrecision(2)).toString()) },
    hovertemplate: `${what}: %{z} thousandths of the largest<extra></extra>`,
  };
}

/** The largest |value| among the tiles: the half-range of a symmetric scale (1 if all are 0). */
function symmetricLimit(tiles: readonly Tile[]): number {
  let limit = 0;
  for (const { values } of tiles) for (let i = 0; i < values.length; i++) limit = Math.max(limit, Math.abs(values[i]));
  return limit > 0 ? limit : 1;
}

function mosaicLayout(heading: string, width: number, height: number, pixelsPerCell: number, annotations: unknown[], extra: Record<string, unknown> = {}): Figure["layout"] {
  return {
    title: title(heading),
    width: Math.max(560, Math.round(width * pixelsPerCell) + 140),
    height: Math.round(height * pixelsPerCell) + 100,
    autosize: false,
    margin: { t: 70, l: 20, r: 120, b: 20 },
    xaxis: { visible: false, range: [-1, width], constrain: "domain" },
    yaxis: { visible: false, range: [height, -1], scaleanchor: "x", constrain: "domain" },
    plot_bgcolor: "#ffffff",
    annotations,
    ...extra,
  };
}

function tileLabel(text: string, x: number, y: number, color = "#222222"): Record<string, unknown> {
  return { text, x, y, xref: "x", yref: "y", xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 11, color } };
}

/**
 * Each hidden unit's 784 first-layer weights as a 28×28 image, in a grid, all on one symmetric
 * scale centred at 0; logistic regression has one image, its weights: the template it matches.
 * `labels` (optional) add a second line under each unit's name, e.g. its share of weight on blank pixels.
 */
export function firstLayerWeightsFigure(network: Network, options: { labels?: readonly string[]; columns?: number } = {}): Figure {
  const layer = network.layers[0];
  const side = Math.round(Math.sqrt(layer.inputs));
  if (side * side !== layer.inputs) throw new RangeError(`first layer has ${layer.inputs} inputs, not a square image`);
  const logistic = network.layers.length === 1;
  const units = layer.units;
  const columns = Math.max(1, Math.min(options.columns ?? 5, units));
  const lines = options.labels ? 2 : 1;
  const cellW = side + 4;
  const cellH = side + 6 + 6 * lines;
  const tiles: Tile[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (let j = 0; j < units; j++) {
    const values = new Float32Array(layer.inputs);
    for (let i = 0; i < layer.inputs; i++) values[i] = layer.kernel[i * units + j];
    const x0 = (j % columns) * cellW;
    const y0 = Math.floor(j / columns) * cellH + cellH - side;
    tiles.push({ x0, y0, values });
    const name = logistic ? "weights" : `unit ${j + 1}`;
    annotations.push(tileLabel(options.labels?.[j] ? `${name}<br>${options.labels[j]}` : name, x0 + (side - 1) / 2, y0 - 1.5));
  }
  const width = columns * cellW - 4;
  const height = Math.ceil(units / columns) * cellH;
  const limit = symmetricLimit(tiles);
  const heading = logistic
    ? "Logistic regression's weights: the template it matches (ink on positive weights pushes towards the second digit)"
    : `First-layer weights of the ${units} hidden units, one colour scale centred at 0`;
  const trace = symmetricTrace(paint(tiles, side, width, height, STEPS / limit), limit, DIVERGING_SCALE, "weight");
  return { data: [trace], layout: mosaicLayout(heading, width, height, logistic ? 8 : 3.8, annotations) };
}

/** One explained digit: its row in the dataset and its integrated gradients (one number per pixel). */
export interface ExplainedDigit {
  row: number;
  attribution: ArrayLike<number>;
}

/**
 * Each digit beside its integrated-gradients map (diverging: towards the first digit / towards the
 * second), titled with its true digit and P(second digit); misclassified ones titled in red.
 * One symmetric scale for every map, so maps can be compared.
 */
export function attributionsFigure(dataset: Dataset, probabilities: ArrayLike<number>, explained: readonly ExplainedDigit[], options: { columns?: number; heading?: string } = {}): Figure {
  const side = imageSide(dataset);
  const [a, b] = datasetPair(dataset);
  const columns = Math.max(1, Math.min(options.columns ?? 4, explained.length));
  const pairW = 2 * side + 2;
  const cellW = pairW + 6;
  const cellH = side + 18;
  const digits: Tile[] = [];
  const maps: Tile[] = [];
  const annotations: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  explained.forEach(({ row, attribution }, k) => {
    if (!Number.isInteger(row) || row < 0 || row >= dataset.rows) throw new RangeError(`row ${row} is not a row of a dataset with ${dataset.rows} rows`);
    const x0 = (k % columns) * cellW;
    const y0 = Math.floor(k / columns) * cellH + cellH - side;
    digits.push({ x0, y0, values: dataset.features.subarray(row * dataset.cols, (row + 1) * dataset.cols) });
    maps.push({ x0: x0 + side + 2, y0, values: attribution });
    const p = probabilities[row];
    const wrong = (p > 0.5 ? 1 : 0) !== dataset.labels[row];
    const text = `true ${dataset.labels[row] === 1 ? b : a}, P(${b}) = ${p.toFixed(3)}`;
    annotations.push(tileLabel(wrong ? `<b>${text}</b>` : text, x0 + (pairW - 1) / 2, y0 - 1.5, wrong ? WRONG_COLOR : "#222222"));
    shapes.push({ type: "rect", xref: "x", yref: "y", x0: x0 - 0.5, x1: x0 + pairW - 0.5, y0: y0 - 0.5, y1: y0 + side - 0.5, line: wrong ? { color: WRONG_COLOR, width: 2 } : { color: "#c8c8c8", width: 1 } });
  });
  const width = columns * cellW - 6;
  const height = Math.max(1, Math.ceil(explained.length / columns)) * cellH;
  const limit = symmetricLimit(maps);
  const wrongCount = shapes.filter((s) => (s.line as { color: string }).color === WRONG_COLOR).length;
  const heading = options.heading ?? `Integrated gradients of ${explained.length} test digits (${wrongCount} misclassified, in red) beside their maps`;
  const data: Trace[] = [
    { type: "heatmap", z: paint(digits, side, width, height, 255), zmin: 0, zmax: 255, colorscale: INK_SCALE, showscale: false, hoverinfo: "skip" },
    symmetricTrace(paint(maps, side, width, height, STEPS / limit), limit, DIVERGING_OVER_SCALE, "attribution", `towards ${b} ↑<br>towards ${a} ↓`),
  ];
  return { data, layout: mosaicLayout(heading, width, height, 3, annotations, { shapes }) };
}

/**
 * The reliability diagram: a point per non-empty bin at (mean predicted P(second digit), fraction
 * that is the second digit), its area proportional to the bin's rows, against the diagonal of
 * perfect calibration.
 */
export function reliabilityFigure(calibration: Calibration, options: { pair?: readonly [number, number]; what?: string } = {}): Figure {
  const b = options.pair?.[1] ?? 1;
  const bins = calibration.bins.filter((bin) => bin.count > 0);
  const largest = Math.max(1, ...bins.map((bin) => bin.count));
  const total = calibration.bins.reduce((sum, bin) => sum + bin.count, 0);
  return {
    data: [
      { type: "scatter", mode: "lines", x: [0, 1], y: [0, 1], name: "perfectly calibrated", line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" },
      {
        type: "scatter",
        mode: "markers",
        name: "bins (area ∝ rows)",
        x: bins.map((bin) => round(bin.meanProbability!, 5)),
        y: bins.map((bin) => round(bin.fractionPositive!, 5)),
        text: bins.map((bin) => `P(${b}) in [${bin.lower.toFixed(1)}, ${bin.upper.toFixed(1)}${bin.upper === 1 ? "]" : ")"}: ${thousands(bin.count)} rows`),
        hovertemplate: "%{text}<br>mean P = %{x:.3f}, fraction " + b + " = %{y:.3f}<extra></extra>",
        // Area proportional to rows; the smallest bins stay visible.
        marker: { size: bins.map((bin) => round(6 + 34 * Math.sqrt(bin.count / largest), 2)), color: CLASS_COLORS[1], line: { color: "#333333", width: 1 }, opacity: 0.85 },
      },
    ],
    layout: {
      title: title(`Reliability diagram, ${options.what ?? "test set"} (${thousands(total)} rows, ECE ${calibration.ece.toFixed(4)})`),
      width: 560,
      height: 520,
      xaxis: { title: { text: `mean predicted P(${b}) in the bin` }, range: [-0.03, 1.03], zeroline: false },
      yaxis: { title: { text: `fraction of the bin that is a ${b}` }, range: [-0.03, 1.03], zeroline: false, scaleanchor: "x" },
      legend: { x: 0.02, y: 0.98 },
      margin: { t: 60, l: 70, r: 20, b: 60 },
    },
  };
}
