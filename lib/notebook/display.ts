// Display: the only module that knows about notebook output and the kernel it goes to. Everything
// a notebook shows goes through sink(), the single point of output; tests install their own sink.
// The same notebooks run on two kernels: tslab (Node) and Deno's own Jupyter kernel. Here, and
// nowhere else, the difference lives: on Deno (globalThis.Deno.jupyter) every output is a MIME
// bundle sent with Deno.jupyter.display(bundle, { raw: true }); on tslab it goes through tslab's
// display API.
//
// show(figure) draws a Plotly figure (plotly.ts builds its HTML and bundle). setupCharts(), called
// in a notebook's imports cell, puts the library in that cell's output every time the cell runs,
// so a saved notebook carries it whichever chart cells were re-run since; without it, show() sends
// it with the first chart of a kernel session. tslab's public display sends one MIME type per
// output, so a chart's bundle goes through tslab's internal writer (tslabBundleWriter, checked by
// test/notebook/display.test.ts).
import type { Figure } from "../charts/figure";
import type { Dataset } from "../data/dataset";
import { confusionCellsHtml, drawPadHtml, type ConfusionCellsOptions, type DrawPadOptions } from "./draw/draw";
import type { ClassificationMetrics } from "../evaluation/metrics";
import type { Network } from "../model/model";
import type { TrainResult } from "../model/train";
import type { ExperimentRecord } from "../selection/record";
import { selectLabHtml, type SelectLabOptions } from "./lab/select-lab";
import { trainLabHtml, type TrainLabOptions, type TrainLabRows } from "./lab/train-lab";
import { figureBundle, figureHtml, nextPlotId, plotlyLibraryHtml, type MimeBundle } from "./plotly";
import { tableHtml, tableText, type TableInput, type TableOptions } from "./table-html";
import { metricsRows } from "./tables";
import { dependencyVersion } from "../core/project";

/** Where output goes: tslab's display in a notebook; tests install their own. */
interface DisplaySink {
  html(html: string): void;
  /** One output carrying several MIME types (a chart); sinks without it get the bundle's text/html. */
  bundle?(bundle: MimeBundle): void;
  markdown(markdown: string): void;
  text(text: string): void;
}

/** A display entry that can be overwritten in place (progress lines). */
interface UpdatableSink {
  text(text: string): void;
}

interface TslabModule {
  display: DisplaySink;
  newDisplay(): UpdatableSink;
}

let customSink: { sink: DisplaySink; updatable: () => UpdatableSink } | null = null;
let plotlySent = false;

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
  const deno = denoJupyter();
  return deno ? denoSink(deno) : tslabSink();
}

function tslabSink(): OutputSink & { bundle(bundle: MimeBundle): void } {
  const t = tslab();
  return {
    html: (s, plain) => emitOr(() => t?.display.html(s), plain ?? "[HTML output: open this notebook in Jupyter (tslab or Deno kernel) to see it]"),
    bundle: (b) =>
      emitOr(() => {
        const write = tslabBundleWriter();
        // A tslab whose internals moved still shows the chart, through its public one-type display.
        if (write) write({ data: b, metadata: {}, transient: {} }, false);
        else t?.display.html(String(b["text/html"]));
      }, `[${b["text/plain"]}; open this notebook in Jupyter (tslab or Deno kernel) to see it]`),
    markdown: (s) => emitOr(() => t?.display.markdown(s), s),
    text: (s) => emitOr(() => t?.display.text(s), s),
  };
}

// ---------------------------------------------------------------------------------------------
// Deno's kernel

/** The part of Deno's `Deno.jupyter` namespace used here (Deno 2.9). */
interface DenoJupyter {
  broadcast(msgType: string, content: Record<string, unknown>): void;
}

interface DenoGlobal {
  version?: { deno?: string };
  jupyter?: DenoJupyter;
}

function denoGlobal(): DenoGlobal | undefined {
  return (globalThis as { Deno?: DenoGlobal }).Deno;
}

/** Deno.jupyter when this code runs in Deno's Jupyter kernel (Deno outside Jupyter has none). */
function denoJupyter(): DenoJupyter | null {
  return denoGlobal()?.jupyter ?? null;
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Sends one MIME bundle as a display_data (or, with `update`, update_display_data) message: what
 * `Deno.jupyter.display(bundle, { raw: true })` sends, but queued now rather than after an await,
 * so that the wait below follows it. Deno 2.9's kernel publishes the cell's messages from a queue
 * on another thread and writes "idle" beside them on the same socket: a cell that ends while a
 * large output is still being written loses it (or corrupts the next message). Blocking this
 * thread a moment, longer for larger outputs (plotly.js is 4.8 MB: about 1 s), lets the queue
 * drain first; measured on 2 busy cores, it keeps every output of the three notebooks. Deno 2.9
 * gives nothing to wait on instead (broadcast returns before the kernel publishes, and the kernel
 * sends "idle" without waiting for its queue): docs/notebooks.md, "Outputs on Deno".
 */
function denoSend(deno: DenoJupyter, bundle: Record<string, unknown>, transient: Record<string, unknown> = {}, update = false): void {
  deno.broadcast(update ? "update_display_data" : "display_data", { data: bundle, metadata: {}, transient });
  let size = 0;
  for (const value of Object.values(bundle)) size += typeof value === "string" ? value.length : JSON.stringify(value).length;
  Atomics.wait(pauseCell, 0, 0, 25 + size / 5_000);
}

function denoSink(deno: DenoJupyter): OutputSink & { bundle(bundle: MimeBundle): void } {
  // One MIME type per output, as tslab sends them, so both kernels save the same outputs.
  return {
    html: (s) => denoSend(deno, { "text/html": s }),
    bundle: (b) => denoSend(deno, b),
    markdown: (s) => denoSend(deno, { "text/markdown": s }),
    text: (s) => denoSend(deno, { "text/plain": s }),
  };
}

let denoDisplayIds = 0;

/** A display entry on Deno that later texts replace (update_display_data with its display_id). */
function denoUpdatable(deno: DenoJupyter): UpdatableSink {
  const id = `binary-digits-${process.pid}-${++denoDisplayIds}`;
  let sent = false;
  return {
    text: (t) => {
      denoSend(deno, { "text/plain": t }, { display_id: id }, sent);
      sent = true;
    },
  };
}

/** The kernel running this code: "deno", "tslab" (inside a running cell), or null (a script, a test). */
function runningKernel(): "deno" | "tslab" | null {
  if (denoJupyter()) return "deno";
  try {
    return tslabBundleWriter() ? "tslab" : null;
  } catch {
    // "Not ready": tslab is loaded but no cell has run, so this is no tslab kernel
    return null;
  }
}

/** "deno 2.9.6" or "tslab 1.0.22": the kernel running this code and its version; null outside a kernel. */
function runningKernelVersion(): string | null {
  const kernel = runningKernel();
  if (kernel === null) return null;
  return `${kernel} ${kernel === "deno" ? (denoGlobal()?.version?.deno ?? "unknown") : dependencyVersion("tslab")}`;
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
 * test/notebook/display.test.ts fails if it moves or changes shape. Throws "Not ready" outside a running
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
// Charts

/**
 * Sends plotly.js (≈ 1.3 MB) to the notebook: call it once per notebook, in the imports cell. It
 * sends the library every time it runs, so re-running that cell (or any chart cell afterwards)
 * never leaves the saved notebook without it; show() then sends only figures.
 */
export function setupCharts(): void {
  const out = sink();
  out.html(plotlyLibraryHtml(), "");
  plotlySent = true;
  // The first output of every notebook says which kernel ran it (the same cells run on both).
  const kernel = runningKernelVersion();
  if (kernel) out.text(`Ran on ${kernel}`);
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
// Tables and Markdown

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

/** A line that is rewritten in place as work advances (one display entry, updated; see progress.ts). */
export function progressLine(): (text: string) => void {
  let entry: UpdatableSink | null = null;
  return (text: string) => {
    if (!entry) {
      const deno = denoJupyter();
      if (customSink) entry = customSink.updatable();
      else if (deno) entry = denoUpdatable(deno);
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

// ---------------------------------------------------------------------------------------------
// Draw a digit (draw/draw.ts builds the HTML; the network runs in the page)

/** Shows the drawing pad: draw a digit (or load a test digit) and see the network's answer live. */
export function showDrawPad(network: Network, test: Dataset, options: DrawPadOptions = {}): void {
  sink().html(drawPadHtml(network, test, options), "[drawing pad: open this notebook in Jupyter (tslab or Deno kernel), or the HTML report, to use it]");
}

/** Shows the test set's confusion matrix with clickable cells: a click shows that cell's digits. */
export function showConfusionCells(test: Dataset, probabilities: ArrayLike<number>, options: ConfusionCellsOptions = {}): void {
  sink().html(confusionCellsHtml(test, probabilities, options), "[clickable confusion matrix: open this notebook in Jupyter (tslab or Deno kernel), or the HTML report, to use it]");
}

// ---------------------------------------------------------------------------------------------
// The report's lab (lab/*.ts builds the panels; the training runs in the page)

/**
 * Shows the train panel: the notebook's training (`result`) redone in the page on its rows, with
 * settings the reader can change, the drawing pad following the network it trains.
 */
export function showTrainLab(result: TrainResult, rows: TrainLabRows, options: TrainLabOptions = {}): void {
  sink().html(trainLabHtml(result, rows, options), "[train it yourself: open the HTML report, or this notebook in Jupyter, to retrain the network in your browser]");
}

/** Shows the select panel: the notebook's selection (`record`, made on `dataset`) rerun in the page, with candidates and settings the reader can change. */
export function showSelectLab(record: ExperimentRecord, dataset: Dataset, options: SelectLabOptions = {}): void {
  sink().html(selectLabHtml(record, dataset, options), "[rerun the selection: open the HTML report, or this notebook in Jupyter, to rerun it in your browser]");
}
