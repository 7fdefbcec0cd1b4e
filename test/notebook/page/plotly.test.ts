// The plotly.js bundle the charts are drawn with (lib/notebook/page/plotly.ts, built into
// dist/plotly-charts.js), in Chromium: it registers every trace type lib/charts builds, and draws
// each of them exactly as the whole library (plotly.js's dist/plotly.min.js, the same version) does.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { plotlyBundle } from "../../../lib/notebook/plotly";
import { launchChromium, ROOT, skipUnlessAvailable } from "../../support/integration";

const CHARTS = join(ROOT, "lib", "charts");
const WHOLE = join(ROOT, "node_modules", "plotly.js", "dist", "plotly.min.js");

/** The plotly.js trace types named in lib/charts' sources (`type: "bar"`), by the whole library's schema. */
function chartTraceTypes(): string[] {
  const schema = JSON.parse(readFileSync(join(ROOT, "node_modules", "plotly.js", "dist", "plot-schema.json"), "utf8")) as { traces: Record<string, unknown> };
  const named = new Set<string>();
  for (const file of readdirSync(CHARTS).filter((f) => f.endsWith(".ts"))) {
    for (const m of readFileSync(join(CHARTS, file), "utf8").matchAll(/\btype: "(\w+)"/g)) if (m[1] in schema.traces) named.add(m[1]);
  }
  return [...named].sort();
}

/** A small trace of each type lib/charts builds, with the layout parts its charts use. */
const SAMPLES: Record<string, { data: unknown[]; layout: Record<string, unknown> }> = {
  scatter: {
    data: [{ type: "scatter", mode: "lines+markers", x: [1, 10, 100], y: [0.9, 0.5, 0.2], error_y: { type: "data", array: [0.05, 0.1, 0.02], visible: true }, name: "loss" }],
    layout: { title: { text: "scatter, log x" }, xaxis: { type: "log" }, shapes: [{ type: "line", x0: 1, x1: 100, y0: 0.5, y1: 0.5 }], annotations: [{ x: 2, y: 0.5, text: "note" }] },
  },
  bar: { data: [{ type: "bar", x: ["a", "b", "c"], y: [3, 1, 2], text: ["3", "1", "2"], textposition: "auto" }], layout: { title: { text: "bar" }, xaxis: { type: "category" } } },
  heatmap: {
    data: [{ type: "heatmap", z: [[1, 20], [30, 4]], colorscale: "Blues", showscale: true, colorbar: { title: { text: "n" } } }],
    layout: { title: { text: "heatmap" }, yaxis: { autorange: "reversed" } },
  },
  parcoords: {
    data: [{ type: "parcoords", line: { color: [0.1, 0.5, 0.9], colorscale: "Viridis", showscale: true }, dimensions: [{ label: "a", values: [1, 2, 3] }, { label: "b", values: [3, 1, 2] }] }],
    layout: { title: { text: "parcoords" } },
  },
};

describe("the plotly.js bundle of the charts' trace types", { timeout: 300_000 }, () => {
  const available = skipUnlessAvailable([]);
  let browser: Browser | null = null;

  before(async () => {
    if (!available.skip) browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** A blank page with `library` loaded as the charts' pages load it, and a 640×420 container per id. */
  async function pageWith(library: string, ids: readonly string[]): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 700, height: 500 } });
    const divs = ids.map((id) => `<div id="${id}" style="width:640px;height:420px"></div>`).join("");
    await page.setContent(`<!doctype html><html><body style="margin:0">${divs}</body></html>`);
    await page.addScriptTag({ content: library });
    return page;
  }

  it("registers every trace type lib/charts builds, and is the version it says", available, async () => {
    const used = chartTraceTypes();
    assert.ok(used.includes("scatter") && used.length >= 4, `trace types found in lib/charts: ${used.join(", ")}`);
    const page = await pageWith(plotlyBundle().code, []);
    const registered = (await page.evaluate("Object.keys(window.Plotly.PlotSchema.get().traces)")) as string[];
    const version = await page.evaluate("window.Plotly.version");
    await page.close();
    assert.deepEqual(used.filter((t) => !registered.includes(t)), [], `dist/plotly-charts.js registers ${registered.join(", ")}: add the missing modules to lib/notebook/page/plotly.ts`);
    assert.equal(version, plotlyBundle().version);
  });

  it("draws each of them pixel for pixel as the whole library does", available, async () => {
    const types = chartTraceTypes();
    const missing = types.filter((t) => !(t in SAMPLES));
    assert.deepEqual(missing, [], "trace types lib/charts builds with no sample chart in this test: add them to SAMPLES");
    const shots: Buffer[][] = [];
    for (const library of [plotlyBundle().code, readFileSync(WHOLE, "utf8")]) {
      const page = await pageWith(library, types);
      const drawn: unknown[] = [];
      for (const type of types) {
        const { data, layout } = SAMPLES[type];
        drawn.push(
          await page.evaluate(`window.Plotly.newPlot(${JSON.stringify(type)}, ${JSON.stringify(data)}, ${JSON.stringify(layout)}, { staticPlot: true })
            .then((el) => el._fullData.map((t) => t.type + (t.visible === false ? " (hidden)" : "")))`),
        );
      }
      assert.deepEqual(drawn, types.map((t) => [t]));
      const pictures: Buffer[] = [];
      for (const type of types) pictures.push(await page.locator(`#${type}`).screenshot({ animations: "disabled" }));
      shots.push(pictures);
      await page.close();
    }
    const differ = types.filter((_, i) => !shots[0][i].equals(shots[1][i]));
    assert.deepEqual(differ, [], "charts that dist/plotly-charts.js draws differently from the whole plotly.js");
  });
});
