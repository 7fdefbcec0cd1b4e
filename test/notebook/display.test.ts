import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import type { Figure } from "../../lib/charts/figure";
import {
  epochProgress,
  figureBundle,
  figureHtml,
  PLOT_CONFIG,
  plotlyBundle,
  plotlyJson,
  plotlyLibraryHtml,
  selectionProgressText,
  setDisplaySink,
  setupCharts,
  show,
  showMetrics,
  showTable,
  tableData,
  tableHtml,
  tableText,
  tslabBundleWriter,
  typedArray,
  type DisplayMessage,
  type MimeBundle,
} from "../../lib/notebook/display";
import type { ClassificationMetrics } from "../../lib/evaluation/metrics";

/** Everything the notebook would receive, by kind. */
function recorder() {
  const out = { html: [] as string[], bundles: [] as MimeBundle[], markdown: [] as string[], text: [] as string[], updates: [] as string[][] };
  setDisplaySink(
    {
      html: (s) => out.html.push(s),
      // html lists every HTML the notebook gets, a chart's (inside its bundle) included.
      bundle: (b) => (out.bundles.push(b), out.html.push(String(b["text/html"]))),
      markdown: (s) => out.markdown.push(s),
      text: (s) => out.text.push(s),
    },
    () => {
      const entry: string[] = [];
      out.updates.push(entry);
      return { text: (s: string) => entry.push(s) };
    },
  );
  return out;
}

const figure: Figure = { data: [{ type: "bar", x: [1], y: [2] }], layout: { title: { text: "A </script> title" }, height: 300 } };

describe("show", () => {
  let out: ReturnType<typeof recorder>;
  beforeEach(() => (out = recorder()));
  afterEach(() => setDisplaySink(null));

  const carriesLibrary = (html: string) => html.includes(`/* plotly.js ${plotlyBundle().version} (plotly.js-dist-min), embedded`);

  it("without setupCharts, sends plotly.js with the first chart only, once per session", () => {
    show(figure);
    show(figure);
    show(figure);
    assert.equal(out.html.length, 3);
    assert.ok(carriesLibrary(out.html[0]));
    assert.ok(out.html[0].length > 1_000_000, "the library itself is inside the first output");
    assert.ok(out.html[1].length < 10_000 && out.html[2].length < 10_000, "later charts carry only their figure");
  });

  it("setupCharts sends plotly.js every time it runs (a re-run imports cell), and charts then carry only their figure", () => {
    setupCharts();
    show(figure);
    setupCharts();
    show(figure);
    assert.deepEqual(out.html.map(carriesLibrary), [true, false, true, false]);
    assert.ok(out.html[0].length > 1_000_000);
    assert.doesNotMatch(out.html[0], /binary-digits-plot/, "setupCharts draws no chart container");
  });

  it("gives every chart its own container id", () => {
    show(figure);
    show(figure);
    const ids = out.html.map((h) => /<div id="([^"]+)" class="binary-digits-plot"/.exec(h)?.[1]);
    assert.ok(ids[0] && ids[1]);
    assert.notEqual(ids[0], ids[1]);
  });

  it("uses no CDN: the page loads no script from the network", () => {
    show(figure);
    assert.doesNotMatch(out.html[0], /<script[^>]+src=/);
  });

  it("sends each chart as one output of three types: the figure for Plotly renderers, the HTML, the title as text", () => {
    setupCharts();
    show(figure);
    assert.equal(out.bundles.length, 1, "setupCharts sends plain HTML, the chart one bundle");
    const bundle = out.bundles[0];
    assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    assert.deepEqual(bundle["application/vnd.plotly.v1+json"], { data: figure.data, layout: figure.layout, config: PLOT_CONFIG }, "small arrays stay JSON");
    assert.equal(bundle["text/plain"], "Chart: A  title", "the title's text, tags dropped");
    assert.match(String(bundle["text/html"]), /^<div id="binary-digits-plot-[0-9a-f]{8}-\d+" class="binary-digits-plot"/);
    assert.equal(String(bundle["text/html"]).match(/class="binary-digits-plot"/g)?.length, 1, "one container: the chart is drawn once");
  });
});

describe("typedArray", () => {
  it("packs small non-negative integers one byte each, rows with their shape", () => {
    assert.deepEqual(typedArray([[0, 255, 7], [1, 2, 3]], 1), { dtype: "u1", bdata: Buffer.from([0, 255, 7, 1, 2, 3]).toString("base64"), shape: "2,3" });
  });

  it("takes the narrowest integer type that holds every value, little-endian", () => {
    assert.equal(typedArray([-1, 127], 1)?.dtype, "i1");
    assert.equal(typedArray([0, 256], 1)?.dtype, "u2");
    assert.deepEqual(typedArray([-300, 2], 1), { dtype: "i2", bdata: Buffer.from([0xd4, 0xfe, 0x02, 0x00]).toString("base64") });
    assert.equal(typedArray([0, 70_000], 1)?.dtype, "u4");
    assert.equal(typedArray([-1, 70_000], 1)?.dtype, "i4");
  });

  it("keeps fractions exact as float64", () => {
    const spec = typedArray([0.1, -2.5], 1)!;
    assert.equal(spec.dtype, "f8");
    const bytes = Buffer.from(spec.bdata, "base64");
    assert.deepEqual([bytes.readDoubleLE(0), bytes.readDoubleLE(8)], [0.1, -2.5]);
  });

  it("leaves short arrays, gaps (null), text and ragged rows as JSON", () => {
    assert.equal(typedArray([1, 2, 3]), null, "fewer than 1000 numbers");
    assert.equal(typedArray([1, null], 1), null);
    assert.equal(typedArray(["a", "b"], 1), null);
    assert.equal(typedArray([[1, 2], [3]], 1), null);
    assert.equal(typedArray([Number.NaN], 1), null);
  });
});

describe("plotlyJson", () => {
  it("sends big numeric x, y, z and customdata as typed arrays and the rest as is", () => {
    const z = Array.from({ length: 40 }, (_, r) => Array.from({ length: 30 }, (_, c) => (r * 30 + c) % 256));
    const big: Figure = { data: [{ type: "heatmap", z, x: [1, 2], text: ["a"] }], layout: { title: "t" } };
    const json = plotlyJson(big);
    const trace = json.data[0] as { z: { dtype: string; bdata: string; shape: string }; x: unknown; text: unknown };
    assert.equal(trace.z.dtype, "u1");
    assert.equal(trace.z.shape, "40,30");
    assert.deepEqual([...Buffer.from(trace.z.bdata, "base64")], z.flat());
    assert.deepEqual(trace.x, [1, 2]);
    assert.deepEqual(trace.text, ["a"]);
    assert.equal(json.layout, big.layout);
    assert.deepEqual(json.config, PLOT_CONFIG);
    assert.ok(Array.isArray(big.data[0].z), "the figure itself is not changed");
  });
});

describe("figureBundle", () => {
  it("names an untitled chart and keeps only the title's text", () => {
    assert.equal(figureBundle({ data: [], layout: {} }, "")["text/plain"], "Chart: untitled");
    assert.equal(figureBundle({ data: [], layout: { title: "Loss <b>falling</b>" } }, "")["text/plain"], "Chart: Loss falling");
  });

  it("goes to a sink without bundle() as its HTML", () => {
    const html: string[] = [];
    setDisplaySink({ html: (s) => html.push(s), markdown: () => undefined, text: () => undefined });
    try {
      show(figure);
      assert.equal(html.length, 1);
      assert.match(html[0], /class="binary-digits-plot"/);
    } finally {
      setDisplaySink(null);
    }
  });
});

// tslab's public display sends one MIME type per output; a chart's bundle goes through the writer
// behind it (tslab/dist/jupyter's lastWriteDisplayData), which is not a public API. These fail if
// a tslab update moves it or changes what it takes.
describe("tslab's internal display writer", () => {
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  const tslab = require("tslab") as { display: { html(s: string): void } };
  let saved: unknown;
  beforeEach(() => (saved = jupyter.lastWriteDisplayData));
  afterEach(() => {
    jupyter.lastWriteDisplayData = saved;
    setDisplaySink(null);
  });
  function capture(): [DisplayMessage, boolean][] {
    const calls: [DisplayMessage, boolean][] = [];
    jupyter.lastWriteDisplayData = (message: DisplayMessage, update: boolean) => calls.push([message, update]);
    return calls;
  }

  it("is tslab/dist/jupyter's lastWriteDisplayData, null outside a running cell", () => {
    assert.ok("lastWriteDisplayData" in jupyter, "tslab/dist/jupyter no longer exports lastWriteDisplayData");
    assert.equal(jupyter.lastWriteDisplayData, null);
    assert.throws(() => tslabBundleWriter(), /Not ready/);
  });

  it("is what tslab's own display.html calls, with a { data, metadata, transient } message", () => {
    const calls = capture();
    tslab.display.html("<b>x</b>");
    assert.equal(calls.length, 1);
    const [message, update] = calls[0];
    assert.deepEqual(JSON.parse(JSON.stringify(message)), { data: { "text/html": "<b>x</b>" }, metadata: {}, transient: {} });
    assert.ok(!update, "a falsy update flag makes a new display_data, not an update_display_data");
  });

  it("carries a chart's whole bundle in one display_data message", () => {
    const calls = capture();
    setDisplaySink(null);
    show(figure);
    assert.equal(calls.length, 1);
    const [message, update] = calls[0];
    assert.equal(update, false);
    assert.deepEqual(Object.keys(message.data).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    assert.deepEqual(message.metadata, {});
  });
});

describe("plotlyLibraryHtml", () => {
  // A UMD bundle in the style of plotly.js 2.x: with require.js on the page it registers through
  // define() and never sets window.Plotly, unless the wrapper hides define.
  const umd = {
    version: "2.99.0",
    code:
      "(function (root, factory) {" +
      "  if (typeof define === 'function' && define.amd) { define([], factory); }" +
      "  else if (typeof module === 'object' && module.exports) { module.exports = factory(); }" +
      "  else { root.Plotly = factory(); }" +
      "}(this, function () { return { version: '2.99.0', newPlot: function () {} }; }));",
  };
  const script = (html: string) => /<script type="text\/javascript">([\s\S]*)<\/script>/.exec(html)![1];

  it("sets window.Plotly even when require.js's define is on the page", () => {
    const defined: unknown[] = [];
    const define = Object.assign((...args: unknown[]) => defined.push(args), { amd: {} });
    const window: Record<string, unknown> = { define, require: () => undefined };
    runInNewContext(script(plotlyLibraryHtml(umd)), { window, define, require: window.require });
    assert.equal((window.Plotly as { version: string }).version, "2.99.0");
    assert.deepEqual(defined, [], "define() must not be called");
  });

  it("sets window.Plotly on a plain page, and does not evaluate the library twice", () => {
    const window: Record<string, unknown> = {};
    runInNewContext(script(plotlyLibraryHtml(umd)), { window });
    const first = window.Plotly;
    runInNewContext(script(plotlyLibraryHtml(umd)), { window });
    assert.equal(window.Plotly, first);
  });

  it("escapes </script> inside the library", () => {
    const html = plotlyLibraryHtml({ version: "1", code: "var s = '</script>';" });
    assert.equal(html.match(/<\/script>/g)?.length, 1);
  });
});

describe("figureHtml", () => {
  function page(withPlotly: boolean) {
    const calls: unknown[][] = [];
    const element = { innerHTML: "fallback", textContent: "", style: { minHeight: "300px" } };
    const timers: (() => void)[] = [];
    const window: Record<string, unknown> = {};
    if (withPlotly) window.Plotly = { newPlot: (...args: unknown[]) => calls.push(args) };
    const context = {
      window,
      document: { getElementById: (id: string) => (id === "chart-1" ? element : null) },
      setTimeout: (f: () => void) => timers.push(f),
    };
    return { calls, element, timers, window, context };
  }
  const script = (html: string) => /<script type="text\/javascript">([\s\S]*)<\/script>/.exec(html)![1];

  it("keeps the figure JSON from closing the script element", () => {
    const html = figureHtml(figure, "chart-1");
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.match(html, /A \\u003c\/script> title/);
  });

  it("draws the figure into its container when plotly.js is loaded", () => {
    const p = page(true);
    runInNewContext(script(figureHtml(figure, "chart-1")), p.context);
    assert.equal(p.calls.length, 1);
    const [element, data, layout, config] = p.calls[0] as [unknown, unknown, unknown, { responsive: boolean }];
    assert.equal(element, p.element);
    assert.deepEqual(JSON.parse(JSON.stringify(data)), figure.data);
    assert.deepEqual(JSON.parse(JSON.stringify(layout)), figure.layout);
    assert.equal(config.responsive, true);
    assert.equal(p.element.innerHTML, "", "the text fallback is removed");
  });

  it("waits for plotly.js (sent in an earlier output) instead of failing", () => {
    const p = page(false);
    runInNewContext(script(figureHtml(figure, "chart-1")), p.context);
    assert.equal(p.timers.length, 1, "polls again");
    const calls: unknown[] = [];
    p.window.Plotly = { newPlot: (...args: unknown[]) => calls.push(args) };
    p.timers.shift()!();
    assert.equal(calls.length, 1);
  });

  it("leaves a readable fallback where scripts do not run", () => {
    const titled: Figure = { data: [], layout: { title: { text: "Loss < 0.1 & <b>falling</b>" } } };
    assert.match(figureHtml(titled, "x"), /Chart: Loss &lt; 0\.1 &amp; falling\. It is drawn by JavaScript/);
  });
});

describe("tables", () => {
  it("reads a danfo-like DataFrame: columns, values, and the index when it is not 0, 1, 2…", () => {
    const frame = { columns: ["a", "b"], values: [[1, 2.5], [3, 4]], index: ["x", "y"] };
    assert.deepEqual(tableData(frame), { columns: ["", "a", "b"], rows: [["x", 1, 2.5], ["y", 3, 4]] });
    assert.deepEqual(tableData({ ...frame, index: [0, 1] }), { columns: ["a", "b"], rows: [[1, 2.5], [3, 4]] });
  });

  it("reads rows as objects, and a Series as index and value", () => {
    assert.deepEqual(tableData([{ a: 1 }, { a: 2, b: "x" }]), { columns: ["a", "b"], rows: [[1, undefined], [2, "x"]] });
    assert.deepEqual(tableData({ values: [5, 6], index: ["p", "q"] }), { columns: ["", "value"], rows: [["p", 5], ["q", 6]] });
  });

  it("renders an HTML table with a caption, escaped cells and numbers right-aligned", () => {
    const html = tableHtml([{ name: "<b>", score: 0.5 }], { caption: "Scores & more" });
    assert.match(html, /<table class="dataframe"/);
    assert.match(html, /<caption[^>]*>Scores &amp; more<\/caption>/);
    assert.match(html, /<td>&lt;b&gt;<\/td>/);
    assert.match(html, /<td style="text-align:right">0\.5000<\/td>/);
  });

  it("elides the middle of wide and long tables and says the full shape", () => {
    const columns = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 100 }, (_, r) => columns.map((_, c) => r * 100 + c));
    const html = tableHtml({ columns, rows }, { maxColumns: 4, maxRows: 6 });
    const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(headers, ["c0", "c1", "…", "c28", "c29"]);
    assert.equal(html.match(/<tr>/g)?.length, 1 + 6 + 1);
    assert.match(html, /100 rows × 30 columns/);
  });

  it("shows an integer in a column of fractions with the same decimals", () => {
    const html = tableHtml([{ recall: 1 }, { recall: 0.99881 }], { digits: 5 });
    assert.match(html, />1\.00000</);
  });

  it("writes the same table as plain text, elided alike, for output outside a notebook", () => {
    const text = tableText([{ set: "test", recall: 1 }, { set: "train", recall: 0.99881 }], { caption: "Scores", digits: 5 });
    assert.equal(text, ["Scores", "set     recall", "-----  -------", "test   1.00000", "train  0.99881"].join("\n"));
    const columns = ["a", "b", "c", "d", "e"];
    const wide = tableText({ columns, rows: [[1, 2, 3, 4, 5]] }, { maxColumns: 2 });
    assert.equal(wide.split("\n")[0], "a  …  e");
    assert.match(wide, /\(1 rows × 5 columns\)$/);
  });

  it("showTable and showMetrics send HTML, never ASCII", () => {
    const out = recorder();
    try {
      showTable({ columns: ["a"], values: [[1]], index: [0] });
      const m: ClassificationMetrics = { count: 4, accuracy: 0.75, precision: 1, recall: 0.5, f1: 2 / 3, logLoss: 0.3, auc: 0.9, confusionMatrix: [[2, 0], [1, 1]] };
      showMetrics({ test: m, train: { metrics: m } });
      assert.equal(out.html.length, 2);
      assert.ok(out.html.every((h) => h.includes("<table")));
      assert.match(out.html[1], /<td>test<\/td>/);
      assert.match(out.html[1], /<td>train<\/td>/);
    } finally {
      setDisplaySink(null);
    }
  });
});

describe("progress", () => {
  it("updates one line per epoch with loss, accuracy and validation", () => {
    const out = recorder();
    try {
      const callbacks = epochProgress(2);
      callbacks.onEpochEnd!(0, { loss: 0.5, acc: 0.9, val_loss: 0.4, val_acc: 0.95, seconds: 1.5 });
      callbacks.onEpochEnd!(1, { loss: 0.25, acc: 0.99, seconds: 1 });
      assert.equal(out.updates.length, 1, "one display entry, updated in place");
      assert.match(out.updates[0][0], /^epoch █+░+ 1\/2: loss 0\.50000, accuracy 90\.00%, validation loss 0\.40000, accuracy 95\.00% \(1\.5 s\)$/);
      assert.match(out.updates[0][1], /2\/2: loss 0\.25000, accuracy 99\.00% \(2\.5 s\)$/);
    } finally {
      setDisplaySink(null);
    }
  });

  it("describes where a selection is: architecture, fold, epoch, elapsed and remaining", () => {
    const text = selectionProgressText({
      kind: "epoch", architecture: "25-15", hidden: [25, 15], fold: 2, folds: 5, epoch: 7, epochs: 20, loss: 0.01,
      foldsDone: 12, foldsTotal: 30, fraction: 0.42, elapsedSeconds: 65, remainingSeconds: 90, reused: 0,
    });
    assert.match(text, /^█{10}░{14}  42%  25-15, fold 3\/5, epoch 7\/20 \(folds done 12\/30\), 1:05 elapsed, about 1:30 left$/);
    const resumed = selectionProgressText({
      kind: "epoch", architecture: "25-15", hidden: [25, 15], fold: 2, folds: 5, epoch: 7, epochs: 20, loss: 0.01,
      foldsDone: 12, foldsTotal: 30, fraction: 0.42, elapsedSeconds: 65, remainingSeconds: 90, reused: 10,
    });
    assert.match(resumed, /\(folds done 12\/30, 10 of them from the cache\)/);
    assert.doesNotMatch(text, /\/100/);
  });
});
