// The Plotly builders: typed arrays, the figure's JSON, its bundle, the embedded library and the
// chart's HTML (run in a VM with a stand-in plotly.js and DOM).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import type { Figure } from "../../lib/charts/figure";
import { figureBundle, figureHtml, PLOT_CONFIG, plotlyJson, plotlyLibraryHtml, typedArray } from "../../lib/notebook/plotly";

const figure: Figure = { data: [{ type: "bar", x: [1], y: [2] }], layout: { title: { text: "A </script> title" }, height: 300 } };

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
