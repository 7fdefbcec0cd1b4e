// Notebook 01 (exploratory analysis): class balance, pixel intensities, per-image features,
// and each class's mean image and pixel variance.
import { DEFAULT_PAIR, digitPlural, type Pair } from "../core/pair";
import { FEATURES, type ClassPixelStats, type ImageFeatures, type PixelHistogram } from "../data/explore";
import { axisIds, CLASS_COLORS, gridDomains, INK_SCALE, panelTitle, percent, round, thousands, title, type Figure, type Trace } from "./figure";

/** Bar chart of rows per class (named by the pair's digits), with counts and shares written on the bars. */
export function classBalanceFigure(counts: readonly [number, number], pair: Pair = DEFAULT_PAIR): Figure {
  const total = counts[0] + counts[1];
  const share = counts.map((c) => (total > 0 ? c / total : 0));
  return {
    data: [
      {
        type: "bar",
        x: [String(pair[0]), String(pair[1])],
        y: [counts[0], counts[1]],
        marker: { color: [...CLASS_COLORS] },
        text: counts.map((c, i) => `${thousands(c)} (${percent(share[i])})`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "digit %{x}: %{y} images<extra></extra>",
      },
    ],
    layout: {
      title: title(`Class balance: ${thousands(counts[0])} ${digitPlural(pair[0])} and ${thousands(counts[1])} ${digitPlural(pair[1])} (${thousands(total)} images)`),
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
  const pair = histogram.pair ?? DEFAULT_PAIR;
  const data: Trace[] = [0, 1].map((c) => {
    const counts = histogram.counts[c];
    const n = counts.reduce((a, b) => a + b, 0);
    return {
      type: "scatter",
      mode: "lines",
      name: `digit ${pair[c]}`,
      x: values,
      // A zero share cannot be drawn on a log axis; leave a gap instead.
      y: counts.map((k) => (n > 0 && k > 0 ? Number((k / n).toPrecision(4)) : null)),
      line: { color: CLASS_COLORS[c], width: 2, shape: "hvh" },
      hovertemplate: `digit ${pair[c]}, intensity %{x}: %{y:.3%} of pixels<extra></extra>`,
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
  const pair = features.pair ?? DEFAULT_PAIR;
  FEATURES.forEach(({ name, label }, i) => {
    const ids = axisIds(i);
    const integer = name === "width" || name === "height";
    const h = classHistogram(features[name], features.labels, { bins: 40, integer });
    for (const c of [0, 1]) {
      data.push({
        type: "bar",
        name: `digit ${pair[c]}`,
        legendgroup: `digit ${pair[c]}`,
        showlegend: i === 0,
        x: h.centers,
        y: h.shares[c],
        width: h.width,
        marker: { color: CLASS_COLORS[c], line: { width: 0 } },
        opacity: 0.6,
        xaxis: ids.x,
        yaxis: ids.y,
        hovertemplate: `digit ${pair[c]}, ${label} ≈ %{x}: %{y:.1%} of images<extra></extra>`,
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
  const pair = stats.pair ?? DEFAULT_PAIR;
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
      hovertemplate: `digit ${pair[c]}, row %{y}, column %{x}: ${kind} %{z}<extra></extra>`,
    });
    const frame = { showticklabels: false, ticks: "", showgrid: false, zeroline: false, showline: true, mirror: true, linecolor: "#bbbbbb", constrain: "domain" };
    layout[ids.xKey] = { ...frame, domain: domains[i].x, anchor: ids.y };
    layout[ids.yKey] = { ...frame, domain: domains[i].y, anchor: ids.x, autorange: "reversed", scaleanchor: ids.x };
    annotations.push(panelTitle(`${isMean ? "mean image" : "pixel variance"}, digit ${pair[c]} (${thousands(stats.count[c])} images)`, domains[i]));
  });
  layout.annotations = annotations;
  return { data, layout };
}
