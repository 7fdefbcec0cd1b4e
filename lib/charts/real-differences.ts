// Notebook 02, "which differences are real": per candidate, the Bayesian correlated t-test's
// probabilities that it is better than, practically equivalent to, or worse than the best
// candidate, as one stacked bar per candidate, a panel per metric (accuracy, log loss); in a raced
// record, a candidate the race stopped is labelled with the folds its bars rest on.
import type { CandidateComparison, ComparisonMetric, ExperimentRecord } from "../selection/record";
import { gridDomains, panelTitle, round, title, WRONG_COLOR, type Figure, type Trace } from "./figure";

const PARTS: readonly { key: "pWorse" | "pEquivalent" | "pBetter"; name: string; color: string }[] = [
  { key: "pWorse", name: "worse", color: WRONG_COLOR },
  { key: "pEquivalent", name: "practically equivalent", color: "#9a9a9a" },
  { key: "pBetter", name: "better", color: "#2ca02c" },
];

const METRICS: readonly { metric: ComparisonMetric; label: string }[] = [
  { metric: "accuracy", label: "accuracy" },
  { metric: "logLoss", label: "log loss" },
];

/**
 * A candidate's label on the chart: its name, and for one a race stopped, "(stopped after 6 of 15
 * folds)", as its bars rest on those folds alone.
 */
function candidateLabel(record: Partial<Pick<ExperimentRecord, "summary" | "config">>, name: string): string {
  const stop = record.summary?.find((s) => s.architecture === name)?.stopped;
  return stop && record.config ? `${name} (stopped after ${stop.afterFolds} of ${record.config.folds * (record.config.repeats ?? 1)} folds)` : name;
}

/**
 * Stacked horizontal bars (worse, equivalent, better; they sum to 1) per candidate against the
 * best, one panel per metric. A candidate whose test is undefined (s² = 0) has no bar; its hover
 * text says why. A candidate a race stopped says so in its label.
 */
export function comparisonsFigure(record: Pick<ExperimentRecord, "comparisons"> & Partial<Pick<ExperimentRecord, "summary" | "config">>): Figure {
  const list: CandidateComparison[] = record.comparisons ?? [];
  // Plotly draws the first category at the bottom: reversed, so the bars read top-down in grid order.
  const names = [...new Set(list.map((c) => c.candidate))].reverse();
  const labels = names.map((n) => candidateLabel(record, n));
  const domains = gridDomains(1, 2, 0.12);
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    title: title(list.length === 0 ? "No comparisons in this record" : `Which differences are real: each candidate against ${list[0].against}`),
    barmode: "stack",
    height: 170 + 36 * names.length,
    margin: { t: 70, b: 100 },
    legend: { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" },
    annotations: [] as unknown[],
  };
  METRICS.forEach(({ metric, label }, i) => {
    const axis = i === 0 ? "" : String(i + 1);
    const rows = names.map((n) => list.find((c) => c.candidate === n && c.metric === metric));
    for (const part of PARTS) {
      data.push({
        type: "bar",
        orientation: "h",
        name: part.name,
        legendgroup: part.name,
        showlegend: i === 0,
        marker: { color: part.color },
        y: labels,
        x: rows.map((c) => (c && c[part.key] !== null ? round(c[part.key]!, 4) : 0)),
        text: rows.map((c) => (c && c[part.key] === null ? (c.note ?? "undefined") : "")),
        hovertemplate: `%{y}: P(${part.name}) = %{x:.3f}<extra>${label}</extra>`,
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
      });
    }
    layout[`xaxis${axis}`] = { domain: domains[i].x, range: [0, 1], title: { text: `probability (${label})` } };
    layout[`yaxis${axis}`] = { domain: domains[i].y, automargin: true, type: "category", ...(i > 0 ? { showticklabels: false } : {}) };
    (layout.annotations as unknown[]).push(panelTitle(label, domains[i]));
  });
  return { data, layout };
}
