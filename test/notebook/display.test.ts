import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Figure } from "../../lib/charts/figure";
import { setDisplaySink, setupCharts, show, showMetrics, showTable, tslabBundleWriter, type DisplayMessage } from "../../lib/notebook/display";
import { PLOT_CONFIG, plotlyBundle, type MimeBundle } from "../../lib/notebook/plotly";
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

  const carriesLibrary = (html: string) => html.includes(`/* plotly.js ${plotlyBundle().version} (core, bar, heatmap, parcoords), embedded`);

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

describe("figureBundle", () => {
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

  it("in a running tslab cell, setupCharts says which kernel ran the notebook, after plotly.js", () => {
    const calls = capture();
    setDisplaySink(null);
    setupCharts();
    const tslabVersion = (require("tslab/package.json") as { version: string }).version;
    assert.deepEqual(calls.map(([m]) => Object.keys(m.data)), [["text/html"], ["text/plain"]]);
    assert.equal(calls[1][0].data["text/plain"], `Ran on tslab ${tslabVersion}`);
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

describe("showTable and showMetrics", () => {
  it("send HTML, never ASCII", () => {
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
