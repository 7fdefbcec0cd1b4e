// Display: the only module that knows about notebook output (tslab's display API).
//
// show(figure) draws a Plotly figure. plotly.js is embedded from the plotly.js-dist-min package
// (no CDN, so exported reports open offline). setupCharts(), called in a notebook's imports cell,
// puts the library in that cell's output every time the cell runs, so a saved notebook carries it
// whichever chart cells were re-run since; without it, show() sends it with the first chart of a
// kernel session. Every chart waits for window.Plotly. Each chart's script
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
// text/plain line with the title. tslab's public display sends one MIME type per output, so the
// bundle goes through tslab's internal writer (tslabBundleWriter, checked by test/display.test.ts).
// The HTML builders are pure and exported for tests; sink() is the single point of output.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Figure } from "../charts/figure";
import type { Dataset } from "../data/dataset";
import { confusionCellsHtml, drawPadHtml, type ConfusionCellsOptions, type DrawPadOptions } from "./draw/draw";
import type { ClassificationMetrics } from "../evaluation/metrics";
import type { Network } from "../model/model";
import type { SelectionProgress } from "../selection/select";
import { metricsRows } from "./tables";
import type { EpochLogs, TrainCallbacks } from "../model/train";
import { clock, countBar, formatCell, percentBar, textTable } from "../core/format";

/** Where output goes: tslab's display in a notebook; tests install their own. */
export interface DisplaySink {
  html(html: string): void;
  /** One output carrying several MIME types (a chart); sinks without it get the bundle's text/html. */
  bundle?(bundle: MimeBundle): void;
  markdown(markdown: string): void;
  text(text: string): void;
}

/** One output's data by MIME type, as in a Jupyter display_data message. */
export type MimeBundle = Record<string, unknown> & { "text/plain": string };

/** A display entry that can be overwritten in place (progress lines). */
export interface UpdatableSink {
  text(text: string): void;
}

interface TslabModule {
  display: DisplaySink;
  newDisplay(): UpdatableSink;
}

let customSink: { sink: DisplaySink; updatable: () => UpdatableSink } | null = null;
let plotlySent = false;
// Ids must be unique on the page across kernel restarts (old outputs stay until replaced).
const session = randomBytes(4).toString("hex");
let counter = 0;

/** Replaces tslab's display (tests, scripts); `null` restores it and forgets that plotly.js was sent. */
export function setDisplaySink(sink: DisplaySink | null, updatable?: () => UpdatableSink): void {
  customSink = sink ? { sink, updatable: updatable ?? (() => ({ text: (t: string) => sink.text(t) })) } : null;
  plotlySent = false;
}

function tslab(): TslabModule | null {
  try {
    return require("tslab") as TslabModule;
  } catch {
    return null;
  }
}

/** A DisplaySink whose html() may say what to print instead outside a kernel ("" prints nothing). */
interface OutputSink extends DisplaySink {
  html(html: string, plain?: string): void;
}

function sink(): OutputSink & { bundle(bundle: MimeBundle): void } {
  if (customSink) {
    const custom = customSink.sink;
    return {
      html: (s) => custom.html(s),
      markdown: (s) => custom.markdown(s),
      text: (s) => custom.text(s),
      bundle: (b) => (custom.bundle ? custom.bundle(b) : custom.html(String(b["text/html"]))),
    };
  }
  const t = tslab();
  return {
    html: (s, plain) => emitOr(() => t?.display.html(s), plain ?? "[HTML output: open this notebook on the tslab kernel to see it]"),
    bundle: (b) =>
      emitOr(() => {
        const write = tslabBundleWriter();
        // A tslab whose internals moved still shows the chart, through its public one-type display.
        if (write) write({ data: b, metadata: {}, transient: {} }, false);
        else t?.display.html(String(b["text/html"]));
      }, `[${b["text/plain"]}; open this notebook on the tslab kernel to see it]`),
    markdown: (s) => emitOr(() => t?.display.markdown(s), s),
    text: (s) => emitOr(() => t?.display.text(s), s),
  };
}

/** A Jupyter display_data message's content, as tslab's internal writer takes it. */
export interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

/**
 * tslab's internal writer of display_data messages: `lastWriteDisplayData` of tslab/dist/jupyter,
 * which its public display.raw() calls with a one-type bundle. Not a public API (tslab 1.0.22):
 * test/display.test.ts fails if it moves or changes shape. Throws "Not ready" outside a running
 * cell, as tslab's display does; null when tslab or the writer is missing.
 */
export function tslabBundleWriter(): ((message: DisplayMessage, update: boolean) => void) | null {
  let jupyter: { lastWriteDisplayData?: unknown };
  try {
    jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: unknown };
  } catch {
    return null;
  }
  if (!("lastWriteDisplayData" in jupyter)) return null;
  const write = jupyter.lastWriteDisplayData;
  if (typeof write !== "function") throw new Error("Not ready");
  return write as (message: DisplayMessage, update: boolean) => void;
}

// Outside a kernel (a plain `node` script) tslab throws "Not ready": print something useful instead.
function emitOr(emit: () => void, fallback: string): void {
  try {
    if (tslab() === null) throw new Error("no tslab");
    emit();
  } catch {
    if (fallback !== "") console.log(fallback);
  }
}

// ---------------------------------------------------------------------------------------------
// Plotly

let plotlySource: { version: string; code: string } | null = null;

/** plotly.min.js from the installed plotly.js-dist-min package, and its version. */
export function plotlyBundle(): { version: string; code: string } {
  if (!plotlySource) {
    const pkgFile = require.resolve("plotly.js-dist-min/package.json");
    const version = (JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string }).version;
    const code = readFileSync(join(dirname(pkgFile), "plotly.min.js"), "utf8");
    plotlySource = { version, code };
  }
  return plotlySource;
}

/**
 * A <script> that defines window.Plotly from the embedded library. Wrapped in a function whose
 * parameters shadow the AMD/CommonJS globals, so a UMD bundle takes its browser-global branch even
 * with require.js loaded (plotly.js 2.x would otherwise call define() and never set window.Plotly).
 */
export function plotlyLibraryHtml(bundle: { version: string; code: string } = plotlyBundle()): string {
  const code = bundle.code.replace(/<\/(script)/gi, "<\\/$1");
  return (
    `<script type="text/javascript">/* plotly.js ${bundle.version} (plotly.js-dist-min), embedded: no network needed */\n` +
    `if (!window.Plotly || window.Plotly.version !== ${JSON.stringify(bundle.version)}) {\n` +
    `(function (define, module, exports, require) {\n${code}\n}).call(window);\n` +
    `}\n</script>`
  );
}

/** JSON safe inside a <script> element: no "</script>", no "<!--". */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function stripTags(s: string): string {
  return s.replace(/<br\s*\/?>/gi, " ").replace(/<\/?[a-zA-Z][^>]*>/g, "");
}

/** The text of a figure's title, if it has one. */
export function figureTitle(figure: Figure): string {
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

/**
 * Sends plotly.js (≈ 5 MB) to the notebook: call it once per notebook, in the imports cell. It
 * sends the library every time it runs, so re-running that cell (or any chart cell afterwards)
 * never leaves the saved notebook without it; show() then sends only figures.
 */
export function setupCharts(): void {
  sink().html(plotlyLibraryHtml(), "");
  plotlySent = true;
}

/** Plotly's typed-array form of a numeric data array (plotly.js ≥ 2.28; what plotly.py 6 sends). */
export interface TypedArraySpec {
  dtype: "u1" | "i1" | "u2" | "i2" | "u4" | "i4" | "f8";
  /** The values, little-endian, base64. */
  bdata: string;
  /** "rows,columns" for a 2-D array. */
  shape?: string;
}

/** Data arrays with at least this many numbers go to Plotly renderers as typed arrays. */
export const TYPED_ARRAY_MIN = 1000;

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

/**
 * Draws a Plotly figure in the notebook, as one output of three MIME types (figureBundle). If
 * nothing sent plotly.js in this kernel session yet (no setupCharts() call), its HTML carries it too.
 */
export function show(figure: Figure): void {
  const parts: string[] = [];
  if (!plotlySent) parts.push(plotlyLibraryHtml());
  parts.push(figureHtml(figure, nextPlotId()));
  sink().bundle(figureBundle(figure, parts.join("\n")));
  plotlySent = true;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** Something with columns and rows: a danfo DataFrame or Series, rows as objects, or explicit columns/rows. */
export type TableInput =
  | { columns: string[]; values: unknown; index?: unknown[] }
  | { values: unknown; index: unknown[] }
  | readonly object[]
  | { columns: readonly string[]; rows: readonly (readonly unknown[])[] };

export interface TableOptions {
  /** Shown above the table. */
  caption?: string;
  /** With more columns, the middle ones are elided as "…" (default 20). */
  maxColumns?: number;
  /** With more rows, the middle ones are elided (default 60). */
  maxRows?: number;
  /** Decimal places of non-integers (default 4). */
  digits?: number;
  /** Show a DataFrame's index as the first column (default: only when it is not 0, 1, 2, …). */
  index?: boolean;
}

/** Columns and rows of any TableInput (a danfo Series becomes two columns: index and value). */
export function tableData(input: TableInput, options: TableOptions = {}): { columns: string[]; rows: unknown[][] } {
  if (Array.isArray(input)) {
    const records = input as readonly Record<string, unknown>[];
    const columns: string[] = [];
    for (const record of records) for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
    return { columns, rows: records.map((r) => columns.map((c) => r[c])) };
  }
  const obj = input as { columns?: readonly string[]; rows?: unknown[][]; values?: unknown; index?: unknown[] };
  if (obj.rows && obj.columns) return { columns: [...obj.columns], rows: obj.rows.map((r) => [...r]) };
  const values = obj.values as unknown[];
  const index = obj.index;
  if (!Array.isArray(values)) throw new TypeError("showTable: expected a DataFrame, a Series, an array of objects or { columns, rows }");
  if (!obj.columns) {
    // A Series: one value per index entry.
    return { columns: ["", "value"], rows: values.map((v, i) => [index?.[i] ?? i, v]) };
  }
  const rows = values.map((row) => (Array.isArray(row) ? [...row] : [row]));
  const plainIndex = !index || index.every((v, i) => v === i);
  const withIndex = options.index ?? !plainIndex;
  if (withIndex && index) return { columns: ["", ...obj.columns], rows: rows.map((row, i) => [index[i], ...row]) };
  return { columns: [...obj.columns], rows };
}

/** An HTML table (pandas-like, class "dataframe"), wide or long tables elided in the middle. */
export function tableHtml(input: TableInput, options: TableOptions = {}): string {
  const { columns, rows } = tableData(input, options);
  const maxColumns = options.maxColumns ?? 20;
  const maxRows = options.maxRows ?? 60;
  const digits = options.digits ?? 4;
  const colIdx = elide(columns.length, maxColumns);
  const rowIdx = elide(rows.length, maxRows);
  const numeric = columns.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number" || r[c] === null || r[c] === undefined));
  const format = cellFormatter(columns, rows, digits);
  const cell = (tag: "th" | "td", text: string, right: boolean) => `<${tag}${right ? ' style="text-align:right"' : ""}>${escapeHtml(text)}</${tag}>`;
  const head = colIdx.map((c) => (c < 0 ? cell("th", "…", false) : cell("th", columns[c], numeric[c]))).join("");
  const body = rowIdx
    .map((r) =>
      r < 0
        ? `<tr>${colIdx.map(() => cell("td", "⋮", false)).join("")}</tr>`
        : `<tr>${colIdx.map((c) => (c < 0 ? cell("td", "…", false) : cell("td", format(rows[r][c], c), numeric[c]))).join("")}</tr>`,
    )
    .join("\n");
  const shape = rowIdx.includes(-1) || colIdx.includes(-1) ? `<p style="color:#666;font-size:90%">${rows.length} rows × ${columns.length} columns</p>` : "";
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0">${escapeHtml(options.caption)}</caption>` : "";
  return `<div class="binary-digits-table" style="overflow-x:auto"><table class="dataframe" border="1">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${shape}</div>`;
}

// A column of scores shows every value with the same decimals (1.00000, not 1).
function cellFormatter(columns: readonly string[], rows: readonly unknown[][], digits: number): (value: unknown, column: number) => string {
  const fractional = columns.map((_, c) => rows.some((r) => typeof r[c] === "number" && Number.isFinite(r[c]) && !Number.isInteger(r[c])));
  return (value, c) => (fractional[c] && typeof value === "number" && Number.isInteger(value) ? value.toFixed(digits) : formatCell(value, digits));
}

// First half, -1 (the elision), last half, when n exceeds max.
function elide(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** The same table as plain text (elided alike), for output outside a notebook. */
export function tableText(input: TableInput, options: TableOptions = {}): string {
  const { columns, rows } = tableData(input, options);
  const colIdx = elide(columns.length, options.maxColumns ?? 20);
  const rowIdx = elide(rows.length, options.maxRows ?? 60);
  const format = cellFormatter(columns, rows, options.digits ?? 4);
  const header = colIdx.map((c) => (c < 0 ? "…" : columns[c]));
  const body = rowIdx.map((r) => colIdx.map((c) => (r < 0 ? "⋮" : c < 0 ? "…" : format(rows[r][c], c))));
  const shape = rowIdx.includes(-1) || colIdx.includes(-1) ? `\n(${rows.length} rows × ${columns.length} columns)` : "";
  return (options.caption ? `${options.caption}\n` : "") + textTable(header, body) + shape;
}

/** Shows a DataFrame, Series or rows as an HTML table (never danfo's ASCII print); as text outside a notebook. */
export function showTable(input: TableInput, options: TableOptions = {}): void {
  sink().html(tableHtml(input, options), tableText(input, options));
}

/** Shows Markdown (a sentence computed from results, a list of facts). */
export function showMarkdown(markdown: string): void {
  sink().markdown(markdown);
}

// ---------------------------------------------------------------------------------------------
// Metrics and progress

/** The metrics table for several sets (metrics, or evaluations carrying them), as HTML. */
export function showMetrics(
  sets: Record<string, ClassificationMetrics | { metrics: ClassificationMetrics }>,
  caption = "Metrics (class 1 is the positive class, threshold 0.5)",
): void {
  const plain: Record<string, ClassificationMetrics> = {};
  for (const [name, value] of Object.entries(sets)) plain[name] = "metrics" in value ? value.metrics : value;
  showTable(metricsRows(plain), { caption, digits: 5 });
}

/** A line that is rewritten in place as work advances (one display entry, updated). */
export function progressLine(): (text: string) => void {
  let entry: UpdatableSink | null = null;
  return (text: string) => {
    if (!entry) {
      if (customSink) entry = customSink.updatable();
      else {
        const t = tslab();
        try {
          if (!t) throw new Error("no tslab");
          const d = t.newDisplay();
          d.text(text);
          entry = d;
          return;
        } catch {
          entry = { text: (s: string) => console.log(s) };
        }
      }
    }
    entry.text(text);
  };
}

/** Training callbacks that show "epoch 7/20, loss …, validation …" on one updating line. */
export function epochProgress(epochs: number): TrainCallbacks {
  const write = progressLine();
  let elapsed = 0;
  return {
    onEpochEnd(epoch: number, logs: EpochLogs) {
      elapsed += logs.seconds;
      const val = logs.val_loss !== undefined ? `, validation loss ${logs.val_loss.toFixed(5)}, accuracy ${((logs.val_acc ?? NaN) * 100).toFixed(2)}%` : "";
      write(`epoch ${countBar(epoch + 1, epochs)}: loss ${logs.loss.toFixed(5)}, accuracy ${(logs.acc * 100).toFixed(2)}%${val} (${elapsed.toFixed(1)} s)`);
    },
  };
}

/** The progress line of a model selection: architecture, fold, epoch, elapsed and remaining time. */
export function selectionProgressText(p: SelectionProgress): string {
  const remaining = p.remainingSeconds === null ? "" : `, about ${clock(p.remainingSeconds)} left`;
  return (
    `${percentBar(p.fraction)}  ${p.architecture}, fold ${p.fold + 1}/${p.folds}, epoch ${p.epoch}/${p.epochs}` +
    ` (folds done ${p.foldsDone}/${p.foldsTotal}${p.reused > 0 ? `, ${p.reused} of them from the cache` : ""}), ${clock(p.elapsedSeconds)} elapsed${remaining}`
  );
}

/**
 * An onProgress callback for selectArchitecture that keeps one line up to date (at most every
 * `intervalMs`, and always when a fold finishes), so a long run shows where it is.
 */
export function selectionProgress(intervalMs = 500): (p: SelectionProgress) => void {
  const write = progressLine();
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    const finished = p.foldsDone === p.foldsTotal;
    if (p.kind === "epoch" && now - last < intervalMs && !finished) return;
    last = now;
    write(finished ? `done: ${p.foldsTotal} fold runs in ${clock(p.elapsedSeconds)}` : selectionProgressText(p));
  };
}

// ---------------------------------------------------------------------------------------------
// Draw a digit (lib/draw.ts builds the HTML; the network runs in the page)

/** Shows the drawing pad: draw a digit (or load a test digit) and see the network's answer live. */
export function showDrawPad(network: Network, test: Dataset, options: DrawPadOptions = {}): void {
  sink().html(drawPadHtml(network, test, options), "[drawing pad: open this notebook on the tslab kernel, or the HTML report, to use it]");
}

/** Shows the test set's confusion matrix with clickable cells: a click shows that cell's digits. */
export function showConfusionCells(test: Dataset, probabilities: ArrayLike<number>, options: ConfusionCellsOptions = {}): void {
  sink().html(confusionCellsHtml(test, probabilities, options), "[clickable confusion matrix: open this notebook on the tslab kernel, or the HTML report, to use it]");
}
