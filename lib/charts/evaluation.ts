// Notebook 03 (training and evaluation): training curves, confusion matrices, the predicted
// probabilities by true digit, and the ROC curve.
import { DEFAULT_PAIR, digitPlural, type Pair } from "../core/pair";
import type { ConfusionMatrix, RocCurve } from "../evaluation/metrics";
import type { History } from "../model/train";
import { axisIds, CLASS_COLORS, gridDomains, panelTitle, percent, round, thousands, title, type Figure, type Trace } from "./figure";

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
export function confusionMatrixFigure(panels: readonly { title: string; matrix: ConfusionMatrix }[], pair: Pair = DEFAULT_PAIR): Figure {
  const predictedNames = [`predicted ${pair[0]}`, `predicted ${pair[1]}`];
  const trueNames = [`true ${pair[0]}`, `true ${pair[1]}`];
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
  options: { bins?: number; threshold?: number; what?: string; pair?: Pair } = {},
): Figure {
  const pair = options.pair ?? DEFAULT_PAIR;
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
    name: `true digit ${pair[c]}`,
    x: centers,
    y: counts[c].map((k) => (k > 0 ? k : null)),
    width: 1 / bins,
    marker: { color: CLASS_COLORS[c], line: { width: 0 } },
    opacity: 0.65,
    hovertemplate: `true ${pair[c]}, P(${pair[1]}) ≈ %{x:.2f}: %{y} images<extra></extra>`,
  }));
  return {
    data,
    layout: {
      title: title(`Predicted probability that a ${options.what ?? "test"} digit is a ${pair[1]}, by true digit`),
      barmode: "overlay",
      height: 420,
      margin: { t: 80, l: 70, r: 20, b: 50 },
      legend: { orientation: "h", x: 0, y: 1.04, yanchor: "bottom" },
      xaxis: { title: { text: `P(digit is ${pair[1]})` }, range: [0, 1] },
      yaxis: { title: { text: "images (log scale)" }, type: "log" },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: threshold, x1: threshold, y0: 0, y1: 1, line: { color: "#555555", dash: "dot", width: 1 } }],
      annotations: [{ text: `threshold ${threshold}`, xref: "x", yref: "paper", x: threshold, y: 1, yanchor: "bottom", showarrow: false, font: { size: 11 } }],
    },
  };
}

/** The ROC curve (left) and a zoom on its top-left corner (right), where good classifiers differ. */
export function rocFigure(curve: RocCurve, auc: number, options: { what?: string; pair?: Pair } = {}): Figure {
  const pair = options.pair ?? DEFAULT_PAIR;
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
      title: title(`ROC curve on the ${options.what ?? "test"} set, ${pair[1]} the positive class: AUC = ${Number.isNaN(auc) ? "undefined (one class only)" : auc.toFixed(5)}`),
      height: 460,
      margin: { t: 80, l: 70, r: 20, b: 60 },
      // Inside the left panel's empty lower right, clear of the panel titles.
      legend: { x: domains[0].x[1] - 0.01, xanchor: "right", y: 0.04, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#dddddd", borderwidth: 1 },
      xaxis: { domain: domains[0].x, anchor: "y", range: [0, 1], title: { text: `false positive rate (${digitPlural(pair[0])} taken for ${digitPlural(pair[1])})` } },
      yaxis: { domain: domains[0].y, anchor: "x", range: [0, 1.02], title: { text: `true positive rate (${digitPlural(pair[1])} found)` } },
      xaxis2: { domain: domains[1].x, anchor: "y2", range: [0, 0.05], title: { text: "false positive rate (zoom: 0 to 0.05)" } },
      yaxis2: { domain: domains[1].y, anchor: "x2", range: [0.95, 1.002], title: { text: "true positive rate (zoom: 0.95 to 1)" } },
      annotations: [panelTitle("whole curve", domains[0]), panelTitle("top-left corner", domains[1])],
    },
  };
}
