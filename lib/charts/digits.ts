// Grids of digits (notebooks 01 and 03): digits as one mosaic image with a title above each,
// labelled, titled "true, predicted", or every misclassified one.
import { datasetPair, type Dataset } from "../data/dataset";
import { imageSide } from "../data/explore";
import { INK_SCALE, thousands, title, WRONG_COLOR, type Figure } from "./figure";

interface DigitGridOptions {
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

/** The mosaic's geometry, in image pixels: tiles `side` wide, a title band above each, gaps between columns. */
interface Mosaic {
  side: number;
  columns: number;
  /** Height of the title band above each tile. */
  titleSpace: number;
  cellW: number;
  cellH: number;
  width: number;
  height: number;
}

function mosaicOf(side: number, n: number, options: DigitGridOptions): Mosaic {
  const columns = Math.max(1, Math.min(options.columns ?? 10, n));
  const gridRows = Math.max(1, Math.ceil(n / columns));
  const lines = Math.max(1, ...options.titles.map((t) => t.split("<br>").length));
  const gapX = 4;
  const titleSpace = 6 + 6 * lines;
  const cellW = side + gapX;
  const cellH = side + titleSpace;
  return { side, columns, titleSpace, cellW, cellH, width: columns * cellW - gapX, height: gridRows * cellH };
}

/** Tile k's title, centred above it (bold and red when marked). */
function tileTitle(text: string, x0: number, y0: number, side: number, marked: boolean): Record<string, unknown> {
  return {
    text: marked ? `<b>${text}</b>` : text,
    x: x0 + (side - 1) / 2,
    y: y0 - 1.5,
    xref: "x",
    yref: "y",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
    font: { size: 11, color: marked ? WRONG_COLOR : "#222222" },
  };
}

/** Tile k's frame: thin grey, or thick red when marked. */
function tileFrame(x0: number, y0: number, side: number, marked: boolean): Record<string, unknown> {
  return {
    type: "rect",
    xref: "x",
    yref: "y",
    x0: x0 - 0.5,
    x1: x0 + side - 0.5,
    y0: y0 - 0.5,
    y1: y0 + side - 0.5,
    line: marked ? { color: WRONG_COLOR, width: 3 } : { color: "#c8c8c8", width: 1 },
  };
}

/** The mosaic `z` as one heatmap, sized so that tiles stay square and each is `tilePixels` tall with its title. */
function mosaicFigure(z: number[][], mosaic: Mosaic, options: DigitGridOptions, annotations: Record<string, unknown>[], shapes: Record<string, unknown>[]): Figure {
  const { width, height } = mosaic;
  const scale = (options.tilePixels ?? 92) / mosaic.cellH;
  return {
    data: [{ type: "heatmap", z, zmin: 0, zmax: 255, colorscale: INK_SCALE, showscale: false, hoverinfo: "skip" }],
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

/**
 * Digits as one mosaic image (one heatmap, blank gaps between tiles) with a title above each
 * tile, dark ink on white. One image renders much faster than a hundred subplots and stays sharp.
 */
export function digitGridFigure(dataset: Dataset, rows: ArrayLike<number>, options: DigitGridOptions): Figure {
  const side = imageSide(dataset);
  if (options.titles.length !== rows.length) throw new RangeError(`${rows.length} digits but ${options.titles.length} titles`);
  const mosaic = mosaicOf(side, rows.length, options);
  // Gaps are 0, which INK_SCALE paints white like the background: an all-integer 0–255 image, which
  // display.ts sends to Plotly renderers as one byte per pixel (nulls would need 4).
  const z: number[][] = Array.from({ length: mosaic.height }, () => new Array<number>(mosaic.width).fill(0));
  const annotations: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    if (!Number.isInteger(row) || row < 0 || row >= dataset.rows) throw new RangeError(`row ${row} is not a row of a dataset with ${dataset.rows} rows`);
    const x0 = (k % mosaic.columns) * mosaic.cellW;
    const y0 = Math.floor(k / mosaic.columns) * mosaic.cellH + mosaic.titleSpace;
    const base = row * dataset.cols;
    for (let r = 0; r < side; r++) {
      const line = z[y0 + r];
      for (let c = 0; c < side; c++) line[x0 + c] = Math.round(dataset.features[base + r * side + c] * 255);
    }
    const marked = options.marked?.[k] ?? false;
    annotations.push(tileTitle(options.titles[k], x0, y0, side, marked));
    shapes.push(tileFrame(x0, y0, side, marked));
  }
  return mosaicFigure(z, mosaic, options, annotations, shapes);
}

/** `count` digits of the dataset, titled with their labels (the reference's "True Label Visualization"). */
export function labelledDigitsFigure(dataset: Dataset, rows: ArrayLike<number>, heading = `${rows.length} random digits with their labels`): Figure {
  const pair = datasetPair(dataset);
  const titles = Array.from(rows, (row) => `label ${pair[dataset.labels[row]]}`);
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
  const pair = datasetPair(dataset);
  const titles = truth.map((t, i) => `${pair[t]}, ${pair[predicted[i]]}`);
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
  const [a, b] = datasetPair(dataset);
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
