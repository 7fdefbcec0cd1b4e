// What every chart shares: the figure as plain Plotly data ({ data, layout }: the object
// Plotly.newPlot takes), the class colours, number formats, and the grid of panels that
// multi-panel figures lay themselves out on. Charts never train, read files or touch the screen;
// display.ts shows a figure in a notebook. Every figure is small enough to embed: data is
// aggregated in the chart (histograms, means), never millions of raw values.

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
/** Dark ink on white, for digit images (0 blank, 1 full ink). */
export const INK_SCALE: [number, string][] = [[0, "#ffffff"], [1, "#000000"]];

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

export function title(text: string): { text: string; x: number; xanchor: string; font: { size: number } } {
  return { text, x: 0.01, xanchor: "left", font: { size: 16 } };
}

/** Domains of an r × c grid of panels, row-major from the top left. */
export function gridDomains(rows: number, cols: number, gapX = 0.08, gapY = 0.12): { x: [number, number]; y: [number, number] }[] {
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
export function axisIds(i: number): { x: string; y: string; xKey: string; yKey: string } {
  const n = i === 0 ? "" : String(i + 1);
  return { x: `x${n}`, y: `y${n}`, xKey: `xaxis${n}`, yKey: `yaxis${n}` };
}

/** A bold title above a panel, as an annotation (Plotly has no per-subplot titles). */
export function panelTitle(text: string, domain: { x: [number, number]; y: [number, number] }): Record<string, unknown> {
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
