// Charts: functions that turn results into plain Plotly figures ({ data, layout }). They never
// train, read files or touch the screen; display.ts shows a figure in a notebook. Every figure is
// small enough to embed: data is aggregated here (histograms, means), never millions of raw values.
import { datasetDigits, type Dataset } from "../data/dataset";
import { DEFAULT_PAIR, digitPlural, isDefaultPair, type Pair } from "../core/pair";
import type { ClassPixelStats, ImageFeatures, PixelHistogram } from "../data/explore";
import { FEATURES, imageSide } from "../data/explore";
import type { ConfusionMatrix, RocCurve } from "../evaluation/metrics";
import type { PairResult } from "../pairs/pairs";
import type { ArchitectureSummary, ExperimentRecord } from "../selection/record";
import { architectureName } from "../model/model";
import type { History } from "../model/train";

/** A Plotly trace: `type` plus whatever attributes that trace type takes. */
export interface Trace {
  type: string;
  [attribute: string]: unknown;
}

/** A Plotly figure as plain data, the same object Plotly.newPlot(div, data, layout) takes. */
export interface Figure {
  data: Trace[];
  layout: { [attribute: string]: unknown };
}

/** Class colours used by every chart: 0 blue, 1 orange; red marks mistakes. */
export const CLASS_COLORS: readonly [string, string] = ["#1f77b4", "#ff7f0e"];
export const WRONG_COLOR = "#d62728";
const INK_SCALE: [number, string][] = [[0, "#ffffff"], [1, "#000000"]];

function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

function title(text: string): { text: string; x: number; xanchor: string; font: { size: number } } {
  return { text, x: 0.01, xanchor: "left", font: { size: 16 } };
}

/** Domains of an r × c grid of panels, row-major from the top left. */
function gridDomains(rows: number, cols: number, gapX = 0.08, gapY = 0.12): { x: [number, number]; y: [number, number] }[] {
  const w = (1 - gapX * (cols - 1)) / cols;
  const h = (1 - gapY * (rows - 1)) / rows;
  const out: { x: [number, number]; y: [number, number] }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x0 = c * (w + gapX);
      const y1 = 1 - r * (h + gapY);
      out.push({ x: [round(x0, 4), round(x0 + w, 4)], y: [round(y1 - h, 4), round(y1, 4)] });
    }
  }
  return out;
}

/** Axis ids of panel i: "x"/"y" for the first, "x2"/"y2" for the second… and their layout keys. */
function axisIds(i: number): { x: string; y: string; xKey: string; yKey: string } {
  const n = i === 0 ? "" : String(i + 1);
  return { x: `x${n}`, y: `y${n}`, xKey: `xaxis${n}`, yKey: `yaxis${n}` };
}

/** A bold title above a panel, as an annotation (Plotly has no per-subplot titles). */
function panelTitle(text: string, domain: { x: [number, number]; y: [number, number] }): Record<string, unknown> {
  return {
    text: `<b>${text}</b>`,
    x: (domain.x[0] + domain.x[1]) / 2,
    y: domain.y[1],
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    yshift: 4,
    showarrow: false,
    font: { size: 13 },
  };
}

// ---------------------------------------------------------------------------------------------
// Exploration

/** Bar chart of rows per class (named by the pair's digits), with counts and shares written on the bars. */
export function classBalanceFigure(counts: readonly [number, number], digits: Pair = DEFAULT_PAIR): Figure {
  const total = counts[0] + counts[1];
  const share = counts.map((c) => (total > 0 ? c / total : 0));
  return {
    data: [
      {
        type: "bar",
        x: [String(digits[0]), String(digits[1])],
        y: [counts[0], counts[1]],
        marker: { color: [...CLASS_COLORS] },
        text: counts.map((c, i) => `${thousands(c)} (${percent(share[i])})`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "digit %{x}: %{y} images<extra></extra>",
      },
    ],
    layout: {
      title: title(`Class balance: ${thousands(counts[0])} ${digitPlural(digits[0])} and ${thousands(counts[1])} ${digitPlural(digits[1])} (${thousands(total)} images)`),
      xaxis: { title: { text: "digit" }, type: "category" },
      yaxis: { title: { text: "images" }, rangemode: "tozero", range: [0, Math.max(1, ...counts) * 1.15] },
      height: 400,
      margin: { t: 60, l: 70, r: 20, b: 50 },
      bargap: 0.4,
    },
  };
}

/**
 * Share of each class's pixels at every intensity 0–255, on a log scale (blank pixels dominate).
 * The title says how many pixels are blank and how many are saturated.
 */
export function pixelHistogramFigure(histogram: PixelHistogram): Figure {
  const all = histogram.counts[0].map((c, v) => c + histogram.counts[1][v]);
  const total = all.reduce((a, b) => a + b, 0);
  const blank = total > 0 ? all[0] / total : 0;
  const saturated = total > 0 ? all.slice(250).reduce((a, b) => a + b, 0) / total : 0;
  const values = Array.from({ length: 256 }, (_, v) => v);
  const digits = histogram.digits ?? DEFAULT_PAIR;
  const data: Trace[] = [0, 1].map((c) => {
    const counts = histogram.counts[c];
    const n = counts.reduce((a, b) => a + b, 0);
    return {
      type: "scatter",
      mode: "lines",
      name: `digit ${digits[c]}`,
      x: values,
      // A zero share cannot be drawn on a log axis; leave a gap instead.
      y: counts.map((k) => (n > 0 && k > 0 ? Number((k / n).toPrecision(4)) : null)),
      line: { color: CLASS_COLORS[c], width: 2, shape: "hvh" },
      hovertemplate: `digit ${digits[c]}, intensity %{x}: %{y:.3%} of pixels<extra></extra>`,
    };
  });
  return {
    data,
    layout: {
      title: title(`Pixel intensities: ${percent(blank)} of pixels are blank (0), ${percent(saturated)} are saturated (≥ 250)`),
      xaxis: { title: { text: "intensity (0 = blank, 255 = full ink)" }, range: [-2, 257] },
      yaxis: { title: { text: "share of the class's pixels (log scale)" }, type: "log", exponentformat: "power" },
      legend: { orientation: "h", y: 1.02, yanchor: "bottom", x: 1, xanchor: "right" },
      height: 420,
      margin: { t: 70, l: 80, r: 20, b: 50 },
    },
  };
}

/** Histogram of values per class on common bins: shares of each class (so unequal class sizes compare). */
export function classHistogram(
  values: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { bins?: number; integer?: boolean } = {},
): { centers: number[]; width: number; shares: [number[], number[]]; counts: [number[], number[]] } {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return { centers: [], width: 1, shares: [[], []], counts: [[], []] };
  let width: number;
  let start: number;
  let bins: number;
  if (options.integer) {
    width = 1;
    start = Math.floor(lo) - 0.5;
    bins = Math.floor(hi) - Math.floor(lo) + 1;
  } else {
    bins = options.bins ?? 30;
    width = hi > lo ? (hi - lo) / bins : 1;
    start = lo;
  }
  const counts: [number[], number[]] = [new Array(bins).fill(0), new Array(bins).fill(0)];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = labels[i];
    if (Number.isNaN(v) || (c !== 0 && c !== 1)) continue;
    counts[c][Math.min(bins - 1, Math.floor((v - start) / width))]++;
  }
  const shares = counts.map((k) => {
    const n = k.reduce((a, b) => a + b, 0);
    return k.map((x) => (n > 0 ? round(x / n, 5) : 0));
  }) as [number[], number[]];
  const centers = Array.from({ length: bins }, (_, b) => round(start + (b + 0.5) * width, 4));
  return { centers, width: round(width, 6), shares, counts };
}

/** One panel per image feature (ink, width, height, centroid): the two classes' distributions overlaid. */
export function featureDistributionFigure(features: ImageFeatures): Figure {
  const domains = gridDomains(2, 3, 0.07, 0.2);
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    title: title("Per-image features by class (share of each class's images in each bin)"),
    barmode: "overlay",
    height: 620,
    margin: { t: 80, l: 60, r: 20, b: 50 },
    legend: { orientation: "h", x: 1, xanchor: "right", y: 1.06, yanchor: "bottom" },
  };
  const annotations: Record<string, unknown>[] = [];
  const digits = features.digits ?? DEFAULT_PAIR;
  FEATURES.forEach(({ name, label }, i) => {
    const ids = axisIds(i);
    const integer = name === "width" || name === "height";
    const h = classHistogram(features[name], features.labels, { bins: 40, integer });
    for (const c of [0, 1]) {
      data.push({
        type: "bar",
        name: `digit ${digits[c]}`,
        legendgroup: `digit ${digits[c]}`,
        showlegend: i === 0,
        x: h.centers,
        y: h.shares[c],
        width: h.width,
        marker: { color: CLASS_COLORS[c], line: { width: 0 } },
        opacity: 0.6,
        xaxis: ids.x,
        yaxis: ids.y,
        hovertemplate: `digit ${digits[c]}, ${label} ≈ %{x}: %{y:.1%} of images<extra></extra>`,
      });
    }
    layout[ids.xKey] = { domain: domains[i].x, anchor: ids.y, title: { text: label, font: { size: 12 } } };
    layout[ids.yKey] = { domain: domains[i].y, anchor: ids.x, tickformat: ".0%", title: i % 3 === 0 ? { text: "share of images", font: { size: 12 } } : undefined };
    annotations.push(panelTitle(label.replace(/ \(.*\)$/, ""), domains[i]));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** Heatmaps of each class's mean image (top row) and pixel variance (bottom row). */
export function classImagesFigure(stats: ClassPixelStats): Figure {
  const { side } = stats;
  const digits = stats.digits ?? DEFAULT_PAIR;
  const domains = gridDomains(2, 2, 0.12, 0.12).map((d) => ({ x: [d.x[0] * 0.9, d.x[1] * 0.9] as [number, number], y: d.y }));
  const toRows = (values: Float64Array): number[][] =>
    Array.from({ length: side }, (_, r) => Array.from(values.subarray(r * side, (r + 1) * side), (v) => round(v, 1)));
  const maxVariance = Math.max(...stats.variance[0], ...stats.variance[1]);
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    title: title("Mean image (top) and pixel variance (bottom) of each class"),
    height: 760,
    margin: { t: 80, l: 30, r: 30, b: 30 },
  };
  const annotations: Record<string, unknown>[] = [];
  const panels = [
    { kind: "mean", c: 0 },
    { kind: "mean", c: 1 },
    { kind: "variance", c: 0 },
    { kind: "variance", c: 1 },
  ] as const;
  panels.forEach(({ kind, c }, i) => {
    const ids = axisIds(i);
    const isMean = kind === "mean";
    data.push({
      type: "heatmap",
      z: toRows(isMean ? stats.mean[c] : stats.variance[c]),
      zmin: 0,
      zmax: isMean ? 255 : round(maxVariance, 1),
      colorscale: isMean ? INK_SCALE : "Viridis",
      showscale: c === 1,
      colorbar: {
        title: { text: isMean ? "mean<br>intensity" : "variance" },
        x: 0.93,
        y: (domains[i].y[0] + domains[i].y[1]) / 2,
        len: domains[i].y[1] - domains[i].y[0],
        thickness: 14,
      },
      xaxis: ids.x,
      yaxis: ids.y,
      hovertemplate: `digit ${digits[c]}, row %{y}, column %{x}: ${kind} %{z}<extra></extra>`,
    });
    const frame = { showticklabels: false, ticks: "", showgrid: false, zeroline: false, showline: true, mirror: true, linecolor: "#bbbbbb", constrain: "domain" };
    layout[ids.xKey] = { ...frame, domain: domains[i].x, anchor: ids.y };
    layout[ids.yKey] = { ...frame, domain: domains[i].y, anchor: ids.x, autorange: "reversed", scaleanchor: ids.x };
    annotations.push(panelTitle(`${isMean ? "mean image" : "pixel variance"}, digit ${digits[c]} (${thousands(stats.count[c])} images)`, domains[i]));
  });
  layout.annotations = annotations;
  return { data, layout };
}

// ---------------------------------------------------------------------------------------------
// Grids of digits

export interface DigitGridOptions {
  /** Title of the whole figure. */
  title: string;
  /** One title per digit, written above it (HTML <br> allowed for two lines). */
  titles: readonly string[];
  /** Digits to frame and title in red (e.g. wrong predictions). */
  marked?: readonly boolean[];
  /** Digits per row (default 10). */
  columns?: number;
  /** Display height of one tile in pixels, title included (default 92). */
  tilePixels?: number;
}

/**
 * Digits as one mosaic image (one heatmap, blank gaps between tiles) with a title above each
 * tile, dark ink on white. One image renders much faster than a hundred subplots and stays sharp.
 */
export function digitGridFigure(dataset: Dataset, rows: ArrayLike<number>, options: DigitGridOptions): Figure {
  const side = imageSide(dataset);
  if (options.titles.length !== rows.length) throw new RangeError(`${rows.length} digits but ${options.titles.length} titles`);
  const n = rows.length;
  const columns = Math.max(1, Math.min(options.columns ?? 10, n));
  const gridRows = Math.max(1, Math.ceil(n / columns));
  const lines = Math.max(1, ...options.titles.map((t) => t.split("<br>").length));
  const gapX = 4;
  const titleSpace = 6 + 6 * lines; // in image pixels, above each tile
  const cellW = side + gapX;
  const cellH = side + titleSpace;
  const width = columns * cellW - gapX;
  const height = gridRows * cellH;
  // Gaps are 0, which INK_SCALE paints white like the background: an all-integer 0–255 image, which
  // display.ts sends to Plotly renderers as one byte per pixel (nulls would need 4).
  const z: number[][] = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  const annotations: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  for (let k = 0; k < n; k++) {
    const row = rows[k];
    if (!Number.isInteger(row) || row < 0 || row >= dataset.rows) throw new RangeError(`row ${row} is not a row of a dataset with ${dataset.rows} rows`);
    const x0 = (k % columns) * cellW;
    const y0 = Math.floor(k / columns) * cellH + titleSpace;
    const base = row * dataset.cols;
    for (let r = 0; r < side; r++) {
      const line = z[y0 + r];
      for (let c = 0; c < side; c++) line[x0 + c] = Math.round(dataset.features[base + r * side + c] * 255);
    }
    const marked = options.marked?.[k] ?? false;
    annotations.push({
      text: marked ? `<b>${options.titles[k]}</b>` : options.titles[k],
      x: x0 + (side - 1) / 2,
      y: y0 - 1.5,
      xref: "x",
      yref: "y",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 11, color: marked ? WRONG_COLOR : "#222222" },
    });
    shapes.push({
      type: "rect",
      xref: "x",
      yref: "y",
      x0: x0 - 0.5,
      x1: x0 + side - 0.5,
      y0: y0 - 0.5,
      y1: y0 + side - 0.5,
      line: marked ? { color: WRONG_COLOR, width: 3 } : { color: "#c8c8c8", width: 1 },
    });
  }
  const tilePixels = options.tilePixels ?? 92;
  const scale = tilePixels / cellH;
  return {
    data: [
      {
        type: "heatmap",
        z,
        zmin: 0,
        zmax: 255,
        colorscale: INK_SCALE,
        showscale: false,
        hoverinfo: "skip",
      },
    ],
    layout: {
      title: title(options.title),
      // Width and height follow the mosaic's shape, so tiles stay square and titles fit.
      // At least 560 px wide so that the figure title fits above a short row of digits.
      width: Math.max(560, Math.round(width * scale) + 40),
      height: Math.round(height * scale) + 90,
      autosize: false,
      margin: { t: 70, l: 20, r: 20, b: 20 },
      xaxis: { visible: false, range: [-1, width], constrain: "domain" },
      yaxis: { visible: false, range: [height, -1], scaleanchor: "x", constrain: "domain" },
      plot_bgcolor: "#ffffff",
      annotations,
      shapes,
    },
  };
}

/** `count` digits of the dataset, titled with their labels (the reference's "True Label Visualization"). */
export function labelledDigitsFigure(dataset: Dataset, rows: ArrayLike<number>, heading = `${rows.length} random digits with their labels`): Figure {
  const digits = datasetDigits(dataset);
  const titles = Array.from(rows, (row) => `label ${digits[dataset.labels[row]]}`);
  return digitGridFigure(dataset, rows, { title: heading, titles });
}

/**
 * Digits titled "true, predicted" (the reference's predictions chart); wrong predictions are
 * framed and titled in red, both by the pair's digits. `probabilities` are P(second digit of
 * the pair) for every row of the dataset; `what` names the set in the title (default "test").
 */
export function predictionGridFigure(
  dataset: Dataset,
  probabilities: ArrayLike<number>,
  rows: ArrayLike<number>,
  options: { threshold?: number; what?: string } = {},
): Figure {
  checkProbabilities(dataset, probabilities);
  const threshold = options.threshold ?? 0.5;
  const predicted = Array.from(rows, (row) => (probabilities[row] > threshold ? 1 : 0));
  const truth = Array.from(rows, (row) => dataset.labels[row]);
  const marked = predicted.map((p, i) => p !== truth[i]);
  const wrong = marked.filter(Boolean).length;
  const digits = datasetDigits(dataset);
  const titles = truth.map((t, i) => `${digits[t]}, ${digits[predicted[i]]}`);
  const heading =
    `${rows.length} ${options.what ?? "test"} digits titled "true, predicted": ` +
    (wrong === 0 ? "all predicted correctly" : `${wrong} wrong, framed in red`);
  return digitGridFigure(dataset, rows, { title: heading, titles, marked });
}

/**
 * Every misclassified digit (up to `limit`), titled with its true class, the prediction and the
 * network's probability that it is a 1. With none, a figure that says so.
 */
export function misclassifiedFigure(dataset: Dataset, probabilities: ArrayLike<number>, options: { threshold?: number; limit?: number; what?: string } = {}): Figure {
  checkProbabilities(dataset, probabilities);
  const threshold = options.threshold ?? 0.5;
  const limit = options.limit ?? 100;
  const what = options.what ?? "test";
  const wrong: number[] = [];
  for (let r = 0; r < dataset.rows; r++) if ((probabilities[r] > threshold ? 1 : 0) !== dataset.labels[r]) wrong.push(r);
  if (wrong.length === 0) {
    return {
      data: [{ type: "scatter", x: [], y: [], mode: "markers" }],
      layout: {
        title: title(`Misclassified ${what} digits: none of ${thousands(dataset.rows)}`),
        height: 160,
        xaxis: { visible: false },
        yaxis: { visible: false },
        annotations: [{ text: `Every ${what} digit is classified correctly at threshold ${threshold}.`, xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false, font: { size: 14 } }],
        margin: { t: 60, l: 20, r: 20, b: 20 },
      },
    };
  }
  const shown = wrong.slice(0, limit);
  const [a, b] = datasetDigits(dataset);
  const titles = shown.map((r) => {
    const p = probabilities[r];
    return `true ${dataset.labels[r] === 1 ? b : a}, pred ${p > threshold ? b : a}<br>P(${b}) = ${p.toFixed(3)}`;
  });
  const heading =
    `Misclassified ${what} digits: ${wrong.length} of ${thousands(dataset.rows)}` +
    (shown.length < wrong.length ? ` (first ${shown.length} shown)` : "") +
    `, with P(digit is ${b})`;
  return digitGridFigure(dataset, shown, { title: heading, titles, marked: shown.map(() => true), columns: 8, tilePixels: 110 });
}

function checkProbabilities(dataset: Dataset, probabilities: ArrayLike<number>): void {
  if (probabilities.length !== dataset.rows) {
    throw new RangeError(`${probabilities.length} probabilities for a dataset of ${dataset.rows} rows`);
  }
}

// ---------------------------------------------------------------------------------------------
// Model selection

const ACTIVATION_COLORS: Record<string, string> = { sigmoid: CLASS_COLORS[0], relu: "#2ca02c", tanh: "#9467bd" };
const RATE_STYLES: readonly { dash: string; symbol: string }[] = [
  { dash: "dot", symbol: "circle" },
  { dash: "dash", symbol: "square" },
  { dash: "dashdot", symbol: "diamond" },
  { dash: "longdash", symbol: "triangle-up" },
];

interface SelectionSeries {
  name: string;
  rows: ArchitectureSummary[];
  color: string;
  lineColor: string;
  dash: string;
  symbol: string;
}

/**
 * The lines of the selection chart: one while the grid varies only layer sizes; else one per
 * activation × learning rate, coloured by activation, marked and dashed by learning rate.
 * Logistic regression has no activation, so it starts every activation's line at its rate.
 */
function selectionSeries(record: ExperimentRecord, sorted: readonly ArchitectureSummary[]): SelectionSeries[] {
  const activations = record.config.activations ?? [sorted[0]?.activation ?? "sigmoid"];
  const rates = record.config.learningRates ?? [sorted[0]?.learningRate ?? 0.001];
  if (activations.length === 1 && rates.length === 1) {
    return [{ name: "mean ± sd over folds", rows: [...sorted], color: CLASS_COLORS[0], lineColor: "#9a9a9a", dash: "dot", symbol: "circle" }];
  }
  const lines: SelectionSeries[] = [];
  for (const activation of activations) {
    rates.forEach((rate, r) => {
      const rows = sorted.filter((s) => s.learningRate === rate && (s.hidden.length === 0 || s.activation === activation));
      if (rows.length === 0) return;
      const color = ACTIVATION_COLORS[activation] ?? "#7f7f7f";
      const parts = [activations.length > 1 ? activation : "", rates.length > 1 ? `lr ${rate}` : ""].filter(Boolean);
      lines.push({ name: parts.join(", "), rows, color, lineColor: color, ...RATE_STYLES[r % RATE_STYLES.length] });
    });
  }
  return lines;
}

/**
 * Validation log loss (left) and accuracy (right) of each architecture against its parameter
 * count, mean ± one standard deviation over the folds. The winner is a red star; the one-SE
 * rule's cut-off (best mean log loss + its standard error) is a dashed line.
 */
export function selectionFigure(record: ExperimentRecord): Figure {
  const sorted = [...record.summary].sort((a, b) => a.parameters - b.parameters);
  const domains = gridDomains(1, 2, 0.1, 0);
  const data: Trace[] = [];
  const metrics = [
    { mean: "meanLogLoss", sd: "sdLogLoss", label: "validation log loss (lower is better)", short: "log loss" },
    { mean: "meanAccuracy", sd: "sdAccuracy", label: "validation accuracy (higher is better)", short: "accuracy" },
  ] as const;
  const winner = sorted.find((s) => s.architecture === record.winner.architecture);
  // Log-axis range in decades, with a margin at both ends.
  const logX = sorted.map((s) => Math.log10(s.parameters));
  const xRange = logX.length > 0 ? [round(Math.min(...logX) - 0.2, 3), round(Math.max(...logX) + 0.2, 3)] : undefined;
  // Each architecture is named on the x axis under its point (slanted, so close neighbours fit),
  // rather than beside it where labels run into error bars and each other.
  const sizes = [...new Map(sorted.map((s) => [s.parameters, architectureName(s.hidden)])).entries()];
  const ticks = {
    tickvals: sizes.map(([parameters]) => parameters),
    ticktext: sizes.map(([parameters, name]) => `${name} (${thousands(parameters)})`),
    tickangle: -35,
    tickfont: { size: 11 },
  };
  const series = selectionSeries(record, sorted);
  metrics.forEach((m, i) => {
    const ids = axisIds(i);
    for (const line of series) {
      data.push({
        type: "scatter",
        mode: "lines+markers",
        name: line.name,
        legendgroup: line.name,
        showlegend: i === 0,
        x: line.rows.map((s) => s.parameters),
        y: line.rows.map((s) => round(s[m.mean], 6)),
        error_y: { type: "data", array: line.rows.map((s) => round(s[m.sd], 6)), visible: true, thickness: 1.5, width: 5 },
        text: line.rows.map((s) => s.architecture),
        line: { color: line.lineColor, width: 1, dash: line.dash },
        marker: { color: line.color, size: 8, symbol: line.symbol },
        xaxis: ids.x,
        yaxis: ids.y,
        hovertemplate: `%{text}: %{x} parameters<br>${m.short} %{y} ± %{error_y.array}<extra></extra>`,
      });
    }
    if (winner) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: `winner: ${winner.architecture}`,
        legendgroup: "winner",
        showlegend: i === 0,
        x: [winner.parameters],
        y: [round(winner[m.mean], 6)],
        marker: { color: WRONG_COLOR, size: 17, symbol: "star", line: { color: "#ffffff", width: 1 } },
        xaxis: ids.x,
        yaxis: ids.y,
        hoverinfo: "skip",
      });
    }
  });
  if (Number.isFinite(record.winner.threshold) && sorted.length > 0) {
    const x0 = sorted[0].parameters;
    const x1 = sorted[sorted.length - 1].parameters;
    data.push({
      type: "scatter",
      mode: "lines",
      name: `one-SE cut-off: best (${record.winner.best}) + 1 SE`,
      x: [x0, x1],
      y: [round(record.winner.threshold, 6), round(record.winner.threshold, 6)],
      line: { color: WRONG_COLOR, dash: "dash", width: 1 },
      xaxis: "x",
      yaxis: "y",
      hoverinfo: "skip",
    });
  }
  const { folds, epochs } = record.config;
  // Records written before pairs existed are of 0 and 1; the default pair keeps its title as it was.
  const digits: Pair = record.data?.digits ?? DEFAULT_PAIR;
  const pair = isDefaultPair(digits) ? "" : ` of ${digits[0]} against ${digits[1]}`;
  return {
    data,
    layout: {
      title: title(`Model selection${pair}: validation scores against network size (mean ± sd over ${folds} folds, ${epochs} epochs); winner ${record.winner.architecture}`),
      height: 540,
      margin: { t: 100, l: 75, r: 20, b: 120 },
      legend: { orientation: "h", x: 0, y: 1.03, yanchor: "bottom" },
      xaxis: { domain: domains[0].x, anchor: "y", type: "log", range: xRange, ...ticks, title: { text: "architecture (parameters, log scale)" } },
      yaxis: { domain: domains[0].y, anchor: "x", title: { text: metrics[0].label }, rangemode: "tozero" },
      xaxis2: { domain: domains[1].x, anchor: "y2", type: "log", range: xRange, ...ticks, title: { text: "architecture (parameters, log scale)" } },
      yaxis2: { domain: domains[1].y, anchor: "x2", title: { text: metrics[1].label }, tickformat: ".2%" },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Which pairs are hard

/** Outline of the pair under study in the pairs map. */
export const CHOSEN_PAIR_COLOR = "#1f77b4";

/**
 * The pairs map: a 10 × 10 heatmap of the cross-validated error (1 − accuracy, in %) of each pair
 * of digits, row a and column b, symmetric (a vs b is b vs a), the diagonal empty. Each cell
 * shows its error; the pair under study is outlined in both of its cells.
 */
export function pairsFigure(pairs: readonly Pick<PairResult, "digits" | "accuracy" | "logLoss">[], chosen: readonly number[], options: { model?: string } = {}): Figure {
  const digits = Array.from({ length: 10 }, (_, d) => d);
  const z: (number | null)[][] = digits.map(() => digits.map(() => null));
  const custom: ([number, number] | null)[][] = digits.map(() => digits.map(() => null));
  for (const p of pairs) {
    const [a, b] = p.digits;
    const error = round((1 - p.accuracy) * 100, 3);
    z[a][b] = z[b][a] = error;
    custom[a][b] = custom[b][a] = [round(p.accuracy, 5), round(p.logLoss, 5)];
  }
  const [a, b] = chosen;
  const outline = (row: number, col: number) => ({
    type: "rect",
    xref: "x",
    yref: "y",
    x0: col - 0.5,
    x1: col + 0.5,
    y0: row - 0.5,
    y1: row + 0.5,
    line: { color: CHOSEN_PAIR_COLOR, width: 3 },
  });
  const axis = { tickmode: "array", tickvals: digits, ticktext: digits.map(String), showgrid: false, zeroline: false };
  return {
    data: [
      {
        type: "heatmap",
        z,
        x: digits,
        y: digits,
        customdata: custom,
        zmin: 0,
        // Light to dark reds: the darker, the more errors.
        colorscale: [[0, "#fff5f0"], [0.5, "#fb6a4a"], [1, "#67000d"]],
        colorbar: { title: { text: "error %" }, thickness: 14 },
        texttemplate: "%{z:.2f}",
        textfont: { size: 11 },
        xgap: 1,
        ygap: 1,
        hoverongaps: false,
        hovertemplate: "%{y} vs %{x}: error %{z:.2f}% (accuracy %{customdata[0]:.2%}, log loss %{customdata[1]:.4f})<extra></extra>",
      },
    ],
    layout: {
      title: title(`Which pairs are hard: cross-validated error (%) of ${options.model ?? "logistic regression"} per pair of digits; outlined: ${a} vs ${b}`),
      height: 560,
      margin: { t: 80, l: 70, r: 20, b: 60 },
      xaxis: { ...axis, title: { text: "digit" }, constrain: "domain" },
      yaxis: { ...axis, title: { text: "digit" }, autorange: "reversed", scaleanchor: "x" },
      shapes: [outline(a, b), outline(b, a)],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Training and evaluation

/** Loss (log scale) and accuracy per epoch, training and validation. */
export function trainingCurvesFigure(history: History): Figure {
  const epochs = history.epoch.map((e) => e + 1);
  const h = history.history;
  const domains = gridDomains(1, 2, 0.1, 0);
  const series = [
    { panel: 0, name: "training loss", values: h.loss, color: CLASS_COLORS[0], dash: "solid" },
    { panel: 0, name: "validation loss", values: h.val_loss, color: CLASS_COLORS[1], dash: "dash" },
    { panel: 1, name: "training accuracy", values: h.acc, color: CLASS_COLORS[0], dash: "solid" },
    { panel: 1, name: "validation accuracy", values: h.val_acc, color: CLASS_COLORS[1], dash: "dash" },
  ];
  const data: Trace[] = series
    .filter((s) => s.values && s.values.length > 0)
    .map((s) => ({
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: epochs,
      y: (s.values as number[]).map((v) => round(v, 6)),
      line: { color: s.color, dash: s.dash, width: 2 },
      marker: { size: 5 },
      xaxis: s.panel === 0 ? "x" : "x2",
      yaxis: s.panel === 0 ? "y" : "y2",
    }));
  const last = epochs.length;
  const summary = last > 0 && h.val_acc && h.val_acc.length > 0 ? `: validation accuracy ${percent(h.val_acc[h.val_acc.length - 1], 2)} after ${last} epochs` : "";
  return {
    data,
    layout: {
      title: title(`Training curves${summary}`),
      height: 430,
      margin: { t: 80, l: 70, r: 20, b: 50 },
      legend: { orientation: "h", x: 0, y: 1.04, yanchor: "bottom" },
      xaxis: { domain: domains[0].x, anchor: "y", title: { text: "epoch" }, dtick: last > 20 ? undefined : 1, range: [0.5, last + 0.5] },
      yaxis: { domain: domains[0].y, anchor: "x", title: { text: "binary cross-entropy (log scale)" }, type: "log", exponentformat: "power" },
      xaxis2: { domain: domains[1].x, anchor: "y2", title: { text: "epoch" }, dtick: last > 20 ? undefined : 1, range: [0.5, last + 0.5] },
      yaxis2: { domain: domains[1].y, anchor: "x2", title: { text: "accuracy" }, tickformat: ".2%" },
    },
  };
}

/**
 * Confusion matrices as heatmaps, side by side: rows are the true class (top: the pair's first
 * digit), columns the predicted class; each cell shows its count and its share of the true class,
 * coloured by that share.
 */
export function confusionMatrixFigure(panels: readonly { title: string; matrix: ConfusionMatrix }[], digits: Pair = DEFAULT_PAIR): Figure {
  const predictedNames = [`predicted ${digits[0]}`, `predicted ${digits[1]}`];
  const trueNames = [`true ${digits[0]}`, `true ${digits[1]}`];
  const domains = gridDomains(1, panels.length, 0.12, 0);
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    title: title("Confusion matrices: rows are the true digit, columns the prediction"),
    height: 420,
    margin: { t: 90, l: 80, r: 20, b: 60 },
  };
  panels.forEach(({ title: panel, matrix }, i) => {
    const ids = axisIds(i);
    const shares = matrix.map((row) => {
      const n = row[0] + row[1];
      return row.map((v) => (n > 0 ? v / n : 0));
    });
    data.push({
      type: "heatmap",
      z: shares.map((row) => row.map((v) => round(v, 5))),
      x: predictedNames,
      y: trueNames,
      zmin: 0,
      zmax: 1,
      // Explicit light-to-dark blues: plotly.js's named "Blues" runs dark to light.
      colorscale: [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]],
      showscale: false,
      xaxis: ids.x,
      yaxis: ids.y,
      customdata: matrix.map((row) => [...row]),
      hovertemplate: "%{y}, %{x}: %{customdata} images (%{z:.2%} of the true class)<extra></extra>",
    });
    for (const r of [0, 1]) {
      for (const c of [0, 1]) {
        annotations.push({
          text: `<b>${thousands(matrix[r][c])}</b><br>${percent(shares[r][c], 2)}`,
          x: predictedNames[c],
          y: trueNames[r],
          xref: ids.x,
          yref: ids.y,
          showarrow: false,
          font: { size: 16, color: shares[r][c] > 0.5 ? "#ffffff" : "#111111" },
        });
      }
    }
    layout[ids.xKey] = { domain: domains[i].x, anchor: ids.y, side: "bottom", type: "category" };
    layout[ids.yKey] = { domain: domains[i].y, anchor: ids.x, autorange: "reversed", type: "category" };
    const total = matrix[0][0] + matrix[0][1] + matrix[1][0] + matrix[1][1];
    const wrong = matrix[0][1] + matrix[1][0];
    annotations.push(panelTitle(`${panel}: ${wrong} wrong of ${thousands(total)}`, domains[i]));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** Histogram of P(second digit) for each true class (log scale: nearly all mass sits at 0 and 1). */
export function probabilityHistogramFigure(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  options: { bins?: number; threshold?: number; what?: string; digits?: Pair } = {},
): Figure {
  const digits = options.digits ?? DEFAULT_PAIR;
  if (labels.length !== probabilities.length) throw new RangeError(`${labels.length} labels but ${probabilities.length} probabilities`);
  const bins = options.bins ?? 50;
  const threshold = options.threshold ?? 0.5;
  const counts: [number[], number[]] = [new Array(bins).fill(0), new Array(bins).fill(0)];
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c !== 0 && c !== 1) continue;
    counts[c][Math.min(bins - 1, Math.floor(probabilities[i] * bins))]++;
  }
  const centers = Array.from({ length: bins }, (_, b) => round((b + 0.5) / bins, 5));
  const data: Trace[] = [0, 1].map((c) => ({
    type: "bar",
    name: `true digit ${digits[c]}`,
    x: centers,
    y: counts[c].map((k) => (k > 0 ? k : null)),
    width: 1 / bins,
    marker: { color: CLASS_COLORS[c], line: { width: 0 } },
    opacity: 0.65,
    hovertemplate: `true ${digits[c]}, P(${digits[1]}) ≈ %{x:.2f}: %{y} images<extra></extra>`,
  }));
  return {
    data,
    layout: {
      title: title(`Predicted probability that a ${options.what ?? "test"} digit is a ${digits[1]}, by true digit`),
      barmode: "overlay",
      height: 420,
      margin: { t: 80, l: 70, r: 20, b: 50 },
      legend: { orientation: "h", x: 0, y: 1.04, yanchor: "bottom" },
      xaxis: { title: { text: `P(digit is ${digits[1]})` }, range: [0, 1] },
      yaxis: { title: { text: "images (log scale)" }, type: "log" },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: threshold, x1: threshold, y0: 0, y1: 1, line: { color: "#555555", dash: "dot", width: 1 } }],
      annotations: [{ text: `threshold ${threshold}`, xref: "x", yref: "paper", x: threshold, y: 1, yanchor: "bottom", showarrow: false, font: { size: 11 } }],
    },
  };
}

/** The ROC curve (left) and a zoom on its top-left corner (right), where good classifiers differ. */
export function rocFigure(curve: RocCurve, auc: number, options: { what?: string; digits?: Pair } = {}): Figure {
  const digits = options.digits ?? DEFAULT_PAIR;
  const domains = gridDomains(1, 2, 0.1, 0);
  const fpr = curve.fpr.map((v) => round(v, 6));
  const tpr = curve.tpr.map((v) => round(v, 6));
  const data: Trace[] = [];
  for (const i of [0, 1]) {
    const ids = axisIds(i);
    data.push({
      type: "scatter",
      mode: "lines",
      name: "ROC curve",
      showlegend: i === 0,
      x: fpr,
      y: tpr,
      // Straight segments, as the trapezoid AUC counts them: a tie between a 0 and a 1 is a diagonal, not a step.
      line: { color: CLASS_COLORS[0], width: 2.5, shape: "linear" },
      xaxis: ids.x,
      yaxis: ids.y,
      hovertemplate: "false positive rate %{x:.4f}<br>true positive rate %{y:.4f}<extra></extra>",
    });
    data.push({
      type: "scatter",
      mode: "lines",
      name: "chance",
      showlegend: i === 0,
      x: [0, 1],
      y: [0, 1],
      line: { color: "#9a9a9a", dash: "dash", width: 1 },
      xaxis: ids.x,
      yaxis: ids.y,
      hoverinfo: "skip",
    });
  }
  return {
    data,
    layout: {
      title: title(`ROC curve on the ${options.what ?? "test"} set, ${digits[1]} the positive class: AUC = ${Number.isNaN(auc) ? "undefined (one class only)" : auc.toFixed(5)}`),
      height: 460,
      margin: { t: 80, l: 70, r: 20, b: 60 },
      // Inside the left panel's empty lower right, clear of the panel titles.
      legend: { x: domains[0].x[1] - 0.01, xanchor: "right", y: 0.04, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#dddddd", borderwidth: 1 },
      xaxis: { domain: domains[0].x, anchor: "y", range: [0, 1], title: { text: `false positive rate (${digitPlural(digits[0])} taken for ${digitPlural(digits[1])})` } },
      yaxis: { domain: domains[0].y, anchor: "x", range: [0, 1.02], title: { text: `true positive rate (${digitPlural(digits[1])} found)` } },
      xaxis2: { domain: domains[1].x, anchor: "y2", range: [0, 0.05], title: { text: "false positive rate (zoom: 0 to 0.05)" } },
      yaxis2: { domain: domains[1].y, anchor: "x2", range: [0.95, 1.002], title: { text: "true positive rate (zoom: 0.95 to 1)" } },
      annotations: [panelTitle("whole curve", domains[0]), panelTitle("top-left corner", domains[1])],
    },
  };
}
