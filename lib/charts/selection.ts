// Notebook 02 (model selection): each candidate's cross-validated scores against its size,
// the one-SE rule's cut-off and its winner.
import { DEFAULT_PAIR, isDefaultPair, type Pair } from "../core/pair";
import { architectureName } from "../model/model";
import type { CandidateSummary, ExperimentRecord } from "../selection/record";
import { axisIds, CLASS_COLORS, gridDomains, round, thousands, title, WRONG_COLOR, type Figure, type Trace } from "./figure";

const ACTIVATION_COLORS: Record<string, string> = { sigmoid: CLASS_COLORS[0], relu: "#2ca02c", tanh: "#9467bd" };
const RATE_STYLES: readonly { dash: string; symbol: string }[] = [
  { dash: "dot", symbol: "circle" },
  { dash: "dash", symbol: "square" },
  { dash: "dashdot", symbol: "diamond" },
  { dash: "longdash", symbol: "triangle-up" },
];

interface SelectionSeries {
  name: string;
  rows: CandidateSummary[];
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
function selectionSeries(record: ExperimentRecord, sorted: readonly CandidateSummary[]): SelectionSeries[] {
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

/** The two panels: validation log loss (left) and accuracy (right), mean and sd over the folds. */
const SELECTION_METRICS = [
  { mean: "meanLogLoss", sd: "sdLogLoss", label: "validation log loss (lower is better)", short: "log loss" },
  { mean: "meanAccuracy", sd: "sdAccuracy", label: "validation accuracy (higher is better)", short: "accuracy" },
] as const;
type SelectionMetric = (typeof SELECTION_METRICS)[number];

/** The x axis both panels share: parameters on a log scale, each architecture named under its point. */
function sizeAxis(sorted: readonly CandidateSummary[]): Record<string, unknown> {
  // Log-axis range in decades, with a margin at both ends.
  const logX = sorted.map((s) => Math.log10(s.parameters));
  const xRange = logX.length > 0 ? [round(Math.min(...logX) - 0.2, 3), round(Math.max(...logX) + 0.2, 3)] : undefined;
  // Each architecture is named on the x axis under its point (slanted, so close neighbours fit),
  // rather than beside it where labels run into error bars and each other.
  const sizes = [...new Map(sorted.map((s) => [s.parameters, architectureName(s.hidden)])).entries()];
  return {
    type: "log",
    range: xRange,
    tickvals: sizes.map(([parameters]) => parameters),
    ticktext: sizes.map(([parameters, name]) => `${name} (${thousands(parameters)})`),
    tickangle: -35,
    tickfont: { size: 11 },
    title: { text: "architecture (parameters, log scale)" },
  };
}

/** Panel `i`'s traces: each series' means with sd error bars, then the winner as a red star. */
function metricTraces(m: SelectionMetric, i: number, series: readonly SelectionSeries[], winner: CandidateSummary | undefined): Trace[] {
  const ids = axisIds(i);
  const data: Trace[] = series.map((line) => ({
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
  }));
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
  return data;
}

/** The one-SE rule's cut-off (best mean log loss + its standard error) across the log-loss panel; none without one. */
function cutoffTraces(record: ExperimentRecord, sorted: readonly CandidateSummary[]): Trace[] {
  if (!Number.isFinite(record.winner.threshold) || sorted.length === 0) return [];
  const threshold = round(record.winner.threshold, 6);
  return [
    {
      type: "scatter",
      mode: "lines",
      name: `one-SE cut-off: best (${record.winner.best}) + 1 SE`,
      x: [sorted[0].parameters, sorted[sorted.length - 1].parameters],
      y: [threshold, threshold],
      line: { color: WRONG_COLOR, dash: "dash", width: 1 },
      xaxis: "x",
      yaxis: "y",
      hoverinfo: "skip",
    },
  ];
}

/**
 * Validation log loss (left) and accuracy (right) of each candidate against its parameter
 * count, mean ± one standard deviation over the folds. The winner is a red star; the one-SE
 * rule's cut-off (best mean log loss + its standard error) is a dashed line.
 */
export function selectionFigure(record: ExperimentRecord): Figure {
  const sorted = [...record.summary].sort((a, b) => a.parameters - b.parameters);
  const domains = gridDomains(1, 2, 0.1, 0);
  const winner = sorted.find((s) => s.architecture === record.winner.architecture);
  const series = selectionSeries(record, sorted);
  const data = [...SELECTION_METRICS.flatMap((m, i) => metricTraces(m, i, series, winner)), ...cutoffTraces(record, sorted)];
  const axis = sizeAxis(sorted);
  const { folds, epochs } = record.config;
  // Records written before pairs existed are of 0 and 1; the default pair keeps its title as it was.
  const pair: Pair = record.data?.digits ?? DEFAULT_PAIR;
  const ofPair = isDefaultPair(pair) ? "" : ` of ${pair[0]} against ${pair[1]}`;
  return {
    data,
    layout: {
      title: title(`Model selection${ofPair}: validation scores against network size (mean ± sd over ${folds} folds, ${epochs} epochs); winner ${record.winner.architecture}`),
      height: 540,
      margin: { t: 100, l: 75, r: 20, b: 120 },
      legend: { orientation: "h", x: 0, y: 1.03, yanchor: "bottom" },
      xaxis: { domain: domains[0].x, anchor: "y", ...axis },
      yaxis: { domain: domains[0].y, anchor: "x", title: { text: SELECTION_METRICS[0].label }, rangemode: "tozero" },
      xaxis2: { domain: domains[1].x, anchor: "y2", ...axis },
      yaxis2: { domain: domains[1].y, anchor: "x2", title: { text: SELECTION_METRICS[1].label }, tickformat: ".2%" },
    },
  };
}
