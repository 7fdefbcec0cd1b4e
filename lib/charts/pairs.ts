// Which pairs of digits are hard (notebook 01's pairs map): each pair's cross-validated error.
import type { PairResult } from "../pairs/score-pair";
import { round, title, type Figure } from "./figure";

/** Outline of the pair under study in the pairs map. */
const CHOSEN_PAIR_COLOR = "#1f77b4";

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
