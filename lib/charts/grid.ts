// Notebook 02, a grid seen whole: a parallel-coordinates chart when the grid varies more than one
// setting (one line per candidate across parameters, activation, learning rate and mean validation
// log loss, coloured by log loss), and every candidate's per-fold scores as points beside its mean
// ± sd, so a reader sees the spread behind each bar.
import type { ExperimentRecord } from "../selection/record";
import { CLASS_COLORS, round, thousands, title, type Figure, type Trace } from "./figure";

/** Which settings the record's grid varies: layer sizes, activation, learning rate. */
function variedSettings(record: ExperimentRecord): string[] {
  const varied: string[] = [];
  if (record.config.grid.length > 1) varied.push("layers");
  if (record.config.activations.length > 1) varied.push("activation");
  if (record.config.learningRates.length > 1) varied.push("learning rate");
  return varied;
}

const log10 = (x: number) => Math.log10(x);

/** Tick values and labels for a log10 axis over `values`: one per power of ten they span. */
function logTicks(values: readonly number[], label: (x: number) => string): { tickvals: number[]; ticktext: string[] } {
  const lo = Math.floor(Math.min(...values.map(log10)));
  const hi = Math.ceil(Math.max(...values.map(log10)));
  const tickvals: number[] = [];
  for (let p = lo; p <= hi; p++) tickvals.push(p);
  return { tickvals, ticktext: tickvals.map((p) => label(10 ** p)) };
}

/**
 * One line per candidate across parameters (log scale), activation, learning rate (log scale)
 * and mean validation log loss, coloured by log loss (lower is darker). Null when the grid varies
 * fewer than two settings: the selection chart shows that grid better.
 */
export function parallelCoordinatesFigure(record: ExperimentRecord): Figure | null {
  if (variedSettings(record).length < 2) return null;
  const rows = record.summary.filter((s) => Number.isFinite(s.meanLogLoss));
  if (rows.length === 0) return null;
  const activations = [...new Set(rows.map((s) => (s.hidden.length === 0 ? "none" : s.activation)))].sort();
  const loss = rows.map((s) => round(s.meanLogLoss, 5));
  const trace: Trace = {
    type: "parcoords",
    line: { color: loss, colorscale: "Viridis", reversescale: true, showscale: true, colorbar: { title: { text: "log loss" } } },
    dimensions: [
      { label: "parameters", values: rows.map((s) => log10(s.parameters)), ...logTicks(rows.map((s) => s.parameters), (x) => thousands(Math.round(x))) },
      { label: "activation", values: rows.map((s) => activations.indexOf(s.hidden.length === 0 ? "none" : s.activation)), tickvals: activations.map((_, i) => i), ticktext: activations },
      { label: "learning rate", values: rows.map((s) => log10(s.learningRate)), ...logTicks(rows.map((s) => s.learningRate), (x) => String(Number(x.toPrecision(3)))) },
      { label: "mean validation log loss", values: loss },
    ],
    customdata: rows.map((s) => s.architecture),
  };
  const name = rows.reduce((best, s) => (s.meanLogLoss < best.meanLogLoss ? s : best)).architecture;
  return {
    data: [trace],
    layout: {
      title: title(`The grid's ${rows.length} candidates across its settings (${variedSettings(record).join(", ")}); lowest log loss: ${name}`),
      height: 440,
      margin: { l: 70, r: 40, t: 90, b: 40 },
    },
  };
}

/** Each candidate's validation log loss on every fold (points) beside its mean ± sd (a bar), candidates by size. */
export function foldScoresFigure(record: ExperimentRecord): Figure {
  const rows = [...record.summary].sort((a, b) => a.parameters - b.parameters || a.architecture.localeCompare(b.architecture));
  const names = rows.map((s) => s.architecture);
  const points = record.folds.filter((f) => Number.isFinite(f.logLoss) && names.includes(f.architecture));
  const data: Trace[] = [
    {
      type: "scatter",
      mode: "markers",
      name: "mean ± sd",
      x: names,
      y: rows.map((s) => (Number.isFinite(s.meanLogLoss) ? round(s.meanLogLoss, 5) : null)),
      error_y: { type: "data", array: rows.map((s) => (Number.isFinite(s.sdLogLoss) ? round(s.sdLogLoss, 5) : 0)), visible: true, thickness: 1.5, width: 8 },
      marker: { symbol: "line-ew-open", size: 22, color: "#555555", line: { width: 2 } },
      hovertemplate: "%{x}: mean %{y:.4f}<extra></extra>",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "one fold",
      x: points.map((f) => f.architecture),
      y: points.map((f) => round(f.logLoss, 5)),
      customdata: points.map((f) => f.fold + 1),
      marker: { size: 7, color: CLASS_COLORS[0], opacity: 0.75 },
      hovertemplate: "%{x}, fold %{customdata}: %{y:.4f}<extra></extra>",
    },
  ];
  return {
    data,
    layout: {
      title: title(`Validation log loss on each of ${record.config.folds} folds (points) and its mean ± sd, per candidate`),
      xaxis: { title: { text: "candidate (by number of parameters)" }, type: "category" },
      yaxis: { title: { text: "validation log loss" }, rangemode: "tozero" },
      height: 420,
      margin: { l: 70, r: 30, t: 70, b: 70 },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

/** A sentence for when the grid varies one setting only, so there is no parallel-coordinates chart. */
export function gridSentence(record: ExperimentRecord): string {
  const varied = variedSettings(record);
  return varied.length >= 2
    ? `Each line is one candidate, coloured by its mean validation log loss: the yellow lines scored best.`
    : `This grid varies ${varied.length === 0 ? "no setting" : `only the ${varied[0]}`}, so the chart above shows it whole; a grid over layers and activation or learning rate (\`DIGITS_ACTIVATIONS=sigmoid,relu\`) adds a parallel-coordinates chart here.`;
}
