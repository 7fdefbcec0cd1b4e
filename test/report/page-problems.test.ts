// The browser tests' error check (test/support/integration.ts): Jupyter Notebook's own missing
// assets are told apart from errors raised by our outputs, and only the former are let through.
// The page test reproduces what a fresh machine shows: Notebook 6 asks for the ipywidgets
// extension, the server answers 404 with an HTML page and `nosniff`, and Chromium logs it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { figureHtml } from "../../lib/notebook/plotly";
import { collectErrors, isJupyterAssetNoise, launchChromium, problemsBesidesJupyterAssets, skipUnlessAvailable, type PageProblem } from "../support/integration";

const SERVER = "http://127.0.0.1:8888";
const WIDGETS = `${SERVER}/nbextensions/widgets/notebook/js/extension.js?v=20261125152416`;

describe("telling Jupyter's asset noise from our errors", () => {
  it("a refused or missing Jupyter asset on the notebook's server is noise", () => {
    const refused: PageProblem = {
      kind: "console error",
      text: `Refused to execute script from '${WIDGETS}' because its MIME type ('text/html') is not executable, and strict MIME type checking is enabled.`,
      url: `${SERVER}/notebooks/01.ipynb`,
    };
    const missing: PageProblem = { kind: "console error", text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: WIDGETS };
    assert.equal(isJupyterAssetNoise(refused, SERVER), true);
    assert.equal(isJupyterAssetNoise(missing, SERVER), true);
  });

  it("exceptions, our own console errors and failures elsewhere are kept", () => {
    const kept: PageProblem[] = [
      { kind: "page error", text: "Plotly is not defined", url: "" },
      { kind: "console error", text: "binary-digits: chart plot-3 could not be drawn", url: `${SERVER}/notebooks/01.ipynb` },
      // A load failure of something that is not one of Jupyter's assets (e.g. a file an output links to).
      { kind: "console error", text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: `${SERVER}/files/digits.png` },
      // The same asset path on another server is not this notebook's server.
      { kind: "console error", text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: "http://example.test/nbextensions/x.js" },
    ];
    for (const problem of kept) assert.equal(isJupyterAssetNoise(problem, SERVER), false, problem.text);
    assert.equal(problemsBesidesJupyterAssets(kept, SERVER).length, kept.length);
  });
});

describe("the page check in Chromium", { timeout: 60_000 }, () => {
  const available = skipUnlessAvailable([]);
  let server: Server | null = null;
  let browser: Browser | null = null;
  let base = "";

  before(async () => {
    if (available.skip) return;
    // A chart output as display.ts writes it, whose drawing throws (a broken figure), beside
    // the request Notebook 6 makes for the ipywidgets extension.
    const chart = figureHtml({ data: [{ type: "heatmap", z: [[1]] }], layout: { title: { text: "broken" } } }, "plot-broken");
    const page = `<!doctype html><html><head><script>window.Plotly = { newPlot() { throw new Error("chart script failed"); } };</script>
      <script src="/nbextensions/widgets/notebook/js/extension.js?v=1"></script></head>
      <body><div class="output_area">${chart}</div></body></html>`;
    server = createServer((request, response) => {
      if (request.url === "/notebooks/page.html") {
        response.writeHead(200, { "Content-Type": "text/html" });
        response.end(page);
      } else {
        // What Jupyter's tornado server answers for a missing asset.
        response.writeHead(404, { "Content-Type": "text/html", "X-Content-Type-Options": "nosniff" });
        response.end("<html><body>404: Not Found</body></html>");
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    server?.close();
  });

  it("reports an error thrown by a chart script and lets the widgets 404 through", available, async () => {
    const page = await browser!.newPage();
    const problems = collectErrors(page);
    await page.goto(`${base}/notebooks/page.html`, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelector(".binary-digits-plot") !== null);
    // Give the chart script its polling interval to try to draw.
    await page.waitForTimeout(1500);
    await page.close();
    assert.ok(problems.some((p) => isJupyterAssetNoise(p, base)), `the widgets request should have been logged: ${JSON.stringify(problems)}`);
    const kept = problemsBesidesJupyterAssets(problems, base);
    assert.ok(kept.length > 0 && kept.every((line) => /chart script failed|could not be drawn|plot-broken/.test(line)), `kept: ${JSON.stringify(kept)}`);
  });
});
