// The charts in the dark theme: backgrounds, text, grid and axis lines of each Plotly chart on the
// page turn dark, and back to exactly what the figure had (its own colours, or Plotly's defaults).
// The traces' own colours are never touched. plotly.js is window.Plotly, which the charts' own
// scripts define (lib/notebook/plotly.ts); without it the charts are not drawn and nothing is done.

/** Chart colours in the dark theme. */
const DARK = { paper: "#1e1e1e", plot: "#1e1e1e", font: "#e0e0e0", grid: "#444444", line: "#888888" } as const;

/** A chart element as plotly.js leaves it: its figure's layout, the layout it drew, what we saved. */
interface ChartElement extends HTMLElement {
  layout?: Record<string, unknown>;
  _fullLayout?: Record<string, unknown>;
  /** The light values of the keys the dark theme changed, saved the first time it did (null: unset). */
  __digitsLight?: Record<string, unknown>;
}

interface PlotlyRelayout {
  relayout?: (element: HTMLElement, update: Record<string, unknown>) => unknown;
}

function charts(): ChartElement[] {
  return Array.from(document.querySelectorAll<ChartElement>(".js-plotly-plot"));
}

/** The chart's axes (xaxis, yaxis2, …), as plotly.js drew them. */
function axes(element: ChartElement): string[] {
  return Object.keys(element._fullLayout ?? {}).filter((key) => /^[xy]axis\d*$/.test(key));
}

/** The value of a layout key such as "font.color" (one level of nesting), null when unset. */
function layoutValue(layout: Record<string, unknown>, key: string): unknown {
  const [outer, inner] = key.split(".");
  let value = layout[outer];
  if (inner !== undefined) value = value && typeof value === "object" ? (value as Record<string, unknown>)[inner] : undefined;
  return value === undefined ? null : value;
}

/** The dark colour of a layout key. */
function darkColour(key: string): string {
  if (key === "paper_bgcolor") return DARK.paper;
  if (key === "plot_bgcolor") return DARK.plot;
  if (key === "font.color") return DARK.font;
  // zerolinecolor and linecolor are lines; gridcolor is the grid.
  return key.endsWith("linecolor") ? DARK.line : DARK.grid;
}

/**
 * The relayout that turns a chart dark, or back to light: going dark the first time saves the
 * light values (the figure's own, or null for Plotly's default), and going light restores them.
 */
function chartUpdate(element: ChartElement, dark: boolean): Record<string, unknown> {
  const layout = element.layout ?? {};
  const keys = ["paper_bgcolor", "plot_bgcolor", "font.color"];
  for (const axis of axes(element)) keys.push(`${axis}.gridcolor`, `${axis}.zerolinecolor`, `${axis}.linecolor`);
  let saved = element.__digitsLight;
  if (dark && !saved) {
    saved = element.__digitsLight = {};
    for (const key of keys) saved[key] = layoutValue(layout, key);
  }
  const update: Record<string, unknown> = {};
  for (const key of keys) update[key] = dark ? darkColour(key) : saved && key in saved ? saved[key] : null;
  return update;
}

/** Turns every drawn chart dark or light (a chart never turned dark is left as it is for light). */
export function themeCharts(dark: boolean): void {
  const plotly = (window as Window & { Plotly?: PlotlyRelayout }).Plotly;
  if (!plotly?.relayout) return;
  for (const element of charts()) {
    if (!element._fullLayout || (!dark && !element.__digitsLight)) continue;
    try {
      plotly.relayout(element, chartUpdate(element, dark));
    } catch {
      // a chart plotly.js cannot relayout keeps its colours; the others still change
    }
  }
}
