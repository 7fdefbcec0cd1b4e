// JupyterLab 4 rendering of executed notebooks, for the report test: the harness in test/render/
// (JupyterLab's rendermime + outputarea 4.x and the jupyterlab-plotly renderer, bundled by
// test/render/build.mjs) loaded into a blank Chromium page, fed a notebook's outputs in one of
// four trust states, then read back: which charts Plotly drew, by which renderer, and where the
// text fallback shows instead. Notebook 7's frontend renders outputs with the same packages.
//
// The harness has its own package.json, so a user's `npm install` does not fetch it:
// `npm ci --prefix test/render` installs and builds it (.ci/run does). Without it these tests
// skip with that command as the reason; under CI=true a missing harness is a failure.
import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import type { Notebook, NotebookOutput } from "../../lib/report/ipynb";
import { escapeHtml } from "../../lib/notebook/escape";
import { collectErrors, ROOT } from "./integration";

const HARNESS = join(ROOT, "test", "render", "dist");

/** `{ skip: reason }` when the harness is not built; throws under CI=true. */
export function harnessAvailable(): { skip: string | false } {
  if (existsSync(join(HARNESS, "harness.js"))) return { skip: false };
  const reason = "the JupyterLab rendering harness is not installed: run `npm ci --prefix test/render`";
  if (process.env.CI === "true") throw new Error(`CI=true but ${reason}`);
  return { skip: reason };
}

/** The four ways a notebook's outputs reach the page (see test/render/src/harness.ts). */
export const RENDER_STATES = ["arriving", "saved", "untrusted", "trusted-later"] as const;
export type RenderState = (typeof RENDER_STATES)[number];

/** What a notebook's charts look like on the page. */
export interface RenderedNotebook {
  /** Outputs holding a chart (the Plotly MIME type). */
  charts: number;
  /** Charts Plotly drew, and by which path: our HTML's script, or the jupyterlab-plotly renderer. */
  byHtml: number;
  byPlotlyRenderer: number;
  /** Titles of the drawn charts, in page order. */
  titles: string[];
  /** Chart containers showing the text fallback instead. */
  fallbacks: number;
  /** <script> elements left in the outputs (the sanitizer removes them from untrusted HTML). */
  scripts: number;
  errors: string[];
}

/**
 * nbformat stores multi-line text as a list of lines; jupyter-server joins them with '' before the
 * frontend sees them (nbformat's rejoin_lines). JSON MIME types stay as they are.
 */
export function rejoinOutput(output: NotebookOutput): NotebookOutput {
  const out: NotebookOutput = { ...output };
  if (Array.isArray(out.text)) out.text = out.text.join("");
  if (out.data) {
    out.data = Object.fromEntries(
      Object.entries(out.data).map(([mime, value]) => [mime, !/json$/.test(mime) && Array.isArray(value) ? (value as string[]).join("") : value]),
    );
  }
  return out;
}

/** A notebook's outputs (or several notebooks' together) as a page of the harness: written once, then rendered in each state. */
export interface HarnessPage {
  /** The page: the harness and the outputs, both loaded as scripts from files. */
  file: string;
  /** Outputs holding a chart (the Plotly MIME type). */
  charts: number;
}

/**
 * Writes `name`.html and its outputs' script in `dir`. Chromium loads a 5 MB script from a file
 * in a third of the time it takes to receive it through the DevTools protocol, and the harness
 * and a notebook's outputs are 5 MB each: this saves about 10 s per state rendered.
 */
export function harnessPage(notebook: Notebook, dir: string, name: string): HarnessPage {
  const cells = notebook.cells.filter((c) => c.cell_type === "code").map((c) => (c.outputs ?? []).map(rejoinOutput));
  const charts = cells.flat().filter((o) => o.data && "application/vnd.plotly.v1+json" in o.data).length;
  const outputs = join(dir, `${name}.outputs.js`);
  writeFileSync(outputs, `window.binaryDigitsCells = ${JSON.stringify(cells)};\n`);
  const file = join(dir, `${name}.html`);
  const src = (path: string) => escapeHtml(pathToFileURL(path).href);
  writeFileSync(
    file,
    `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="${src(join(HARNESS, "harness.css"))}">` +
      `<script src="${src(join(HARNESS, "harness.js"))}"></script><script src="${src(outputs)}"></script></head><body></body></html>\n`,
  );
  return { file, charts };
}

export async function renderInJupyterLab(browser: Browser, notebook: HarnessPage, state: RenderState, plotlyRenderer: boolean): Promise<RenderedNotebook> {
  const { charts } = notebook;
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(pathToFileURL(notebook.file).href, { waitUntil: "load" });
    await page.evaluate(
      ([s, p]) => {
        const harness = window as unknown as { renderNotebook(c: unknown, s: string, p: boolean): Promise<void>; binaryDigitsCells: unknown };
        return harness.renderNotebook(harness.binaryDigitsCells, s, p);
      },
      [state, plotlyRenderer] as const,
    );
    // Untrusted HTML has had its scripts removed, so nothing more can draw: no wait. Everything else
    // draws as its scripts (or the renderer) run, after plotly.js has loaded.
    if (state !== "untrusted" || plotlyRenderer) {
      await page
        .waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length > 0 && document.querySelectorAll(".js-plotly-plot").length >= n && Array.from(document.querySelectorAll(".js-plotly-plot")).every((p) => p.querySelector(".main-svg")), charts, { timeout: 60_000, polling: 200 })
        .catch(() => undefined);
    }
    const seen = await page.evaluate(() => {
      const drawn = Array.from(document.querySelectorAll(".js-plotly-plot")).filter((p) => p.querySelector(".main-svg"));
      return {
        byHtml: drawn.filter((p) => p.classList.contains("binary-digits-plot")).length,
        byPlotlyRenderer: drawn.filter((p) => p.classList.contains("jp-RenderedPlotly")).length,
        titles: drawn.map((p) => p.querySelector(".gtitle")?.textContent ?? ""),
        fallbacks: Array.from(document.querySelectorAll(".binary-digits-plot-fallback")).filter((f) => (f as HTMLElement).offsetHeight > 0).length,
        scripts: document.querySelectorAll(".jp-OutputArea script").length,
      };
    });
    return { charts, ...seen, errors: errors.map((p) => `${p.kind}: ${p.text}${p.url ? ` (${p.url})` : ""}`) };
  } finally {
    await context.close();
  }
}

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Whether an output runs code on the page: a chart, or HTML or JavaScript with a script (the drawing pad, the confusion cells). */
function activeOutput(output: NotebookOutput): boolean {
  const data = output.data ?? {};
  const html = [data["text/html"]].flat().join("");
  return PLOTLY_MIME in data || "application/javascript" in data || /<script/i.test(html);
}

/**
 * The lab panels' compressed rows (`"gzip":"<base64>"` in a JSON-escaped page script) as the SHA-256
 * of what they inflate to, which is what the page reads: Deno's zlib compresses the same rows to
 * other bytes than Node's.
 */
function inflated(escapedJson: string): string {
  return escapedJson.replace(/\\"gzip\\":\\"([A-Za-z0-9+/=]+)\\"/g, (_, base64: string) => `\\"gunzipped-sha256\\":\\"${createHash("sha256").update(gunzipSync(Buffer.from(base64, "base64"))).digest("hex")}\\"`);
}

/**
 * What of a notebook's outputs decides how JupyterLab renders it, as the tests above see it (which
 * charts draw, by which path, what falls back, what errors): each output's type and MIME types,
 * and the whole of every output that runs code on the page. The element ids the charts and widgets
 * take from their kernel session (`binary-digits-plot-<8 hex>-N`) are made alike; the text of
 * tables, markdown and plain outputs (times, paths, record ids) is left out, as it draws as it is,
 * and the lab's compressed rows are compared by what they inflate to.
 */
export function renderedShape(notebook: Notebook): unknown {
  const sessions = new Set<string>();
  const cells = notebook.cells.filter((c) => c.cell_type === "code").map((c) => (c.outputs ?? []).map(rejoinOutput));
  for (const output of cells.flat()) for (const m of JSON.stringify(output).matchAll(/binary-digits-[a-z-]+?-([0-9a-f]{8})-\d+/g)) sessions.add(m[1]);
  const alike = (text: string) => inflated([...sessions].reduce((t, s) => t.split(s).join("SESSION"), text));
  return cells.map((outputs) =>
    outputs.map((output) =>
      activeOutput(output) ? JSON.parse(alike(JSON.stringify(output))) : { type: output.output_type, name: output.name, mimes: Object.keys(output.data ?? {}).sort() },
    ),
  );
}
