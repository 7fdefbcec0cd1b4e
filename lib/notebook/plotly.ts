// Plotly in notebook output: pure builders of what display.ts sends for a chart.
//
// plotly.js is embedded (no CDN, so exported reports open offline) as the build bundles it from
// plotly.js's own modules: its core and the trace types lib/charts uses (page/plotly.ts, built
// into dist/plotly-charts.js: 1.3 MB where the whole library is 4.9 MB). plotlyLibraryHtml() is
// the <script> that defines window.Plotly. Each chart's script
// (figureHtml)
//   - shadows define/module/exports/require while plotly.js evaluates, so the library lands on
//     window.Plotly whether or not require.js is on the page (Jupyter Notebook and nbconvert's
//     HTML put it there; JupyterLab, VS Code and a plain page do not);
//   - finds its container by id and polls until both the container is attached and plotly.js is
//     loaded (JupyterLab may evaluate an output's scripts before attaching it; VS Code renders
//     outputs one by one);
//   - leaves a text fallback in the container where scripts do not run (an untrusted notebook).
// Each chart goes out as one MIME bundle (figureBundle): application/vnd.plotly.v1+json for frontends
// with a Plotly renderer (VS Code, JupyterLab with jupyterlab-plotly, nteract), which draw it even in
// an untrusted notebook; the self-contained text/html above for the rest (classic Notebook,
// nbconvert's HTML report, JupyterLab without the renderer), each picking one of the two; and a
// text/plain line with the title.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Figure } from "../charts/figure";
import { pageBundle } from "./draw/widget";
import { escapeHtml, scriptJson } from "./escape";

/** One output's data by MIME type, as in a Jupyter display_data message. */
export type MimeBundle = Record<string, unknown> & { "text/plain": string };

// Ids must be unique on the page across kernel restarts (old outputs stay until replaced).
const session = randomBytes(4).toString("hex");
let counter = 0;

/**
 * The plotly.js the charts draw with (dist/plotly-charts.js, read at each call like the other page
 * bundles) and its version: that of the plotly.js package the build bundled it from.
 */
export function plotlyBundle(): { version: string; code: string } {
  const pkgFile = require.resolve("plotly.js/package.json");
  const version = (JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string }).version;
  return { version, code: pageBundle("plotly-charts") };
}

/**
 * A <script> that defines window.Plotly from the embedded library. Wrapped in a function whose
 * parameters shadow the AMD/CommonJS globals, so that a UMD bundle takes its browser-global branch
 * even with require.js loaded (plotly.js 2.x's would otherwise call define() and never set
 * window.Plotly; ours assigns window.Plotly itself, and the wrapper keeps any library safe).
 */
export function plotlyLibraryHtml(bundle: { version: string; code: string } = plotlyBundle()): string {
  const code = bundle.code.replace(/<\/(script)/gi, "<\\/$1");
  return (
    `<script type="text/javascript">/* plotly.js ${bundle.version} (core, bar, heatmap, parcoords), embedded: no network needed */\n` +
    `if (!window.Plotly || window.Plotly.version !== ${JSON.stringify(bundle.version)}) {\n` +
    `(function (define, module, exports, require) {\n${code}\n}).call(window);\n` +
    `}\n</script>`
  );
}

function stripTags(s: string): string {
  return s.replace(/<br\s*\/?>/gi, " ").replace(/<\/?[a-zA-Z][^>]*>/g, "");
}

/** The text of a figure's title, if it has one. */
function figureTitle(figure: Figure): string {
  const t = figure.layout.title as { text?: string } | string | undefined;
  return stripTags(typeof t === "string" ? t : t?.text ?? "");
}

/** Plotly config for every chart: resizes with the page, no Plotly logo, PNG download kept. */
export const PLOT_CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

/** The container and script that draw `figure` into the element with id `id`. */
export function figureHtml(figure: Figure, id: string): string {
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 450;
  const width = typeof figure.layout.width === "number" ? `${figure.layout.width}px` : "100%";
  const label = figureTitle(figure) || "chart";
  return (
    `<div id="${id}" class="binary-digits-plot" style="width:${width};max-width:100%;min-height:${height}px">` +
    `<div class="binary-digits-plot-fallback" style="padding:1em;color:#666;font-style:italic">` +
    `Chart: ${escapeHtml(label)}. It is drawn by JavaScript with plotly.js: run the notebook (or trust it), or open the HTML report.` +
    `</div></div>\n` +
    `<script type="text/javascript">\n(function () {\n` +
    `  var id = ${JSON.stringify(id)}, figure = ${scriptJson(figure)}, config = ${scriptJson(PLOT_CONFIG)}, tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(id), P = window.Plotly;\n` +
    `    if (!el || !P || typeof P.newPlot !== "function") {\n` +
    `      if (++tries < 1200) { setTimeout(draw, 50); return; }\n` +
    `      if (el) el.textContent = "plotly.js did not load on this page, so this chart cannot be drawn. Run the notebook from the top (Kernel, Restart & Run All).";\n` +
    `      return;\n` +
    `    }\n` +
    `    el.innerHTML = "";\n` +
    `    el.style.minHeight = "";\n` +
    `    P.newPlot(el, figure.data, figure.layout, config);\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n</script>`
  );
}

/** A fresh element id for a chart, unique across kernel sessions. */
export function nextPlotId(): string {
  counter += 1;
  return `binary-digits-plot-${session}-${counter}`;
}

/** Plotly's typed-array form of a numeric data array (plotly.js ≥ 2.28; what plotly.py 6 sends). */
interface TypedArraySpec {
  dtype: "u1" | "i1" | "u2" | "i2" | "u4" | "i4" | "f8";
  /** The values, little-endian, base64. */
  bdata: string;
  /** "rows,columns" for a 2-D array. */
  shape?: string;
}

/** Data arrays with at least this many numbers go to Plotly renderers as typed arrays. */
const TYPED_ARRAY_MIN = 1000;

const DTYPES: { dtype: TypedArraySpec["dtype"]; min: number; max: number; bytes: number; set: (v: DataView, at: number, x: number) => void }[] = [
  { dtype: "u1", min: 0, max: 0xff, bytes: 1, set: (v, at, x) => v.setUint8(at, x) },
  { dtype: "i1", min: -0x80, max: 0x7f, bytes: 1, set: (v, at, x) => v.setInt8(at, x) },
  { dtype: "u2", min: 0, max: 0xffff, bytes: 2, set: (v, at, x) => v.setUint16(at, x, true) },
  { dtype: "i2", min: -0x8000, max: 0x7fff, bytes: 2, set: (v, at, x) => v.setInt16(at, x, true) },
  { dtype: "u4", min: 0, max: 0xffffffff, bytes: 4, set: (v, at, x) => v.setUint32(at, x, true) },
  { dtype: "i4", min: -0x80000000, max: 0x7fffffff, bytes: 4, set: (v, at, x) => v.setInt32(at, x, true) },
];

/**
 * `values` (numbers, or rows of numbers of one length) in the smallest exact typed form: the
 * narrowest integer type that holds them all, else float64. Null when it holds anything else
 * (null gaps, strings, NaN) or fewer than `min` numbers: those stay JSON.
 */
export function typedArray(values: unknown, min = TYPED_ARRAY_MIN): TypedArraySpec | null {
  if (!Array.isArray(values) || values.length === 0) return null;
  const rows = Array.isArray(values[0]) ? (values as unknown[][]) : null;
  if (rows && !rows.every((r) => Array.isArray(r) && r.length === rows[0].length)) return null;
  const flat = (rows ? rows.flat() : values) as unknown[];
  if (flat.length < min || !flat.every((x) => typeof x === "number" && Number.isFinite(x))) return null;
  const numbers = flat as number[];
  const integers = numbers.every(Number.isInteger);
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of numbers) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const type = integers ? DTYPES.find((t) => lo >= t.min && hi <= t.max) : undefined;
  const bytes = type?.bytes ?? 8;
  const view = new DataView(new ArrayBuffer(numbers.length * bytes));
  numbers.forEach((x, i) => (type ? type.set(view, i * bytes, x) : view.setFloat64(i * 8, x, true)));
  const spec: TypedArraySpec = { dtype: type?.dtype ?? "f8", bdata: Buffer.from(view.buffer).toString("base64") };
  if (rows) spec.shape = `${rows.length},${rows[0].length}`;
  return spec;
}

/**
 * The figure as Plotly renderers get it: big numeric x, y, z and customdata arrays as typed arrays
 * (typedArray), everything else as is. nbformat saves JSON one value per line, so the 126,400
 * pixels of a digit mosaic would take 2 MB of the notebook as a list and take 170 kB as bytes.
 */
export function plotlyJson(figure: Figure): { data: Record<string, unknown>[]; layout: Record<string, unknown>; config: typeof PLOT_CONFIG } {
  const data = figure.data.map((trace) => {
    const out: Record<string, unknown> = { ...trace };
    for (const key of ["x", "y", "z", "customdata"]) {
      const typed = typedArray(out[key]);
      if (typed) out[key] = typed;
    }
    return out;
  });
  return { data, layout: figure.layout, config: PLOT_CONFIG };
}

/**
 * A chart's output: the figure for Plotly renderers, `html` (figureHtml, maybe with plotly.js) for
 * the others, and its title as text. Both hold the same figure (big arrays encoded differently),
 * so a frontend shows the same chart whichever type it picks.
 */
export function figureBundle(figure: Figure, html: string): MimeBundle {
  return {
    "application/vnd.plotly.v1+json": plotlyJson(figure),
    "text/html": html,
    "text/plain": `Chart: ${figureTitle(figure) || "untitled"}`,
  };
}

