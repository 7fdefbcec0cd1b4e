// Display: the only module that knows about notebook output (tslab's display API). Everything a
// notebook shows goes through sink(), the single point of output; tests install their own sink.
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
import { figureBundle, figureHtml, nextPlotId, plotlyLibraryHtml, type MimeBundle } from "./plotly";
import { tableHtml, tableText, type TableInput, type TableOptions } from "./table-html";
import { metricsRows } from "./tables";

/** Where output goes: tslab's display in a notebook; tests install their own. */
export interface DisplaySink {
  html(html: string): void;
  /** One output carrying several MIME types (a chart); sinks without it get the bundle's text/html. */
  bundle?(bundle: MimeBundle): void;
  markdown(markdown: string): void;
  text(text: string): void;
}

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
 * Sends plotly.js (≈ 5 MB) to the notebook: call it once per notebook, in the imports cell. It
 * sends the library every time it runs, so re-running that cell (or any chart cell afterwards)
 * never leaves the saved notebook without it; show() then sends only figures.
 */
export function setupCharts(): void {
  sink().html(plotlyLibraryHtml(), "");
  plotlySent = true;
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

// ---------------------------------------------------------------------------------------------
// Draw a digit (draw/draw.ts builds the HTML; the network runs in the page)

/** Shows the drawing pad: draw a digit (or load a test digit) and see the network's answer live. */
export function showDrawPad(network: Network, test: Dataset, options: DrawPadOptions = {}): void {
  sink().html(drawPadHtml(network, test, options), "[drawing pad: open this notebook on the tslab kernel, or the HTML report, to use it]");
}

/** Shows the test set's confusion matrix with clickable cells: a click shows that cell's digits. */
export function showConfusionCells(test: Dataset, probabilities: ArrayLike<number>, options: ConfusionCellsOptions = {}): void {
  sink().html(confusionCellsHtml(test, probabilities, options), "[clickable confusion matrix: open this notebook on the tslab kernel, or the HTML report, to use it]");
}
