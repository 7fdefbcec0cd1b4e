// The drawing pad and the clickable confusion matrix in Chromium, on a page built by lib/notebook/draw
// (no Jupyter needed; the 03 report and the live notebook are checked in test/report/quick-reports.ts
// and test/notebooks/notebook-ui.ts): opened from disk offline, without require.js, with it, and with the
// scripts run before the widgets are attached (as JupyterLab may). A 25-15 network is trained by
// `digits train`; the page's answers are compared with `digits evaluate --predictions`.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { loadCsv } from "../../../lib/data/csv";
import type { Dataset } from "../../../lib/data/dataset";
import { ensureDefaultDataset } from "../../../lib/data/default-files";
import { confusionCellsHtml, drawPadHtml } from "../../../lib/notebook/draw/draw";
import { loadModel } from "../../../lib/model/persist";
import { runDigits } from "../../support/cli";
import { checkConfusionCells, checkDrawPad, cliProbabilities } from "../../support/draw";
import { collectErrors, findRequireJs, launchChromium, SCREENSHOTS, skipUnlessAvailable } from "../../support/integration";

describe("the drawing pad and the clickable confusion matrix in Chromium", { timeout: 240_000 }, () => {
  const available = skipUnlessAvailable([]);
  let work = "";
  let browser: Browser | null = null;
  let test: Dataset;
  let cli: Float64Array;
  let widgets = "";

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-draw-"));
    const { train, test: testCsv } = ensureDefaultDataset();
    const model = join(work, "model");
    const trained = runDigits(["train", "--data", train, "--layers", "25,15", "--epochs", "3", "--seed", "13", "--model", model, "--quiet"]);
    assert.equal(trained.code, 0, trained.stderr);
    cli = cliProbabilities(model, testCsv, join(work, "predictions.csv"));
    test = loadCsv(testCsv);
    const { network } = await loadModel(model);
    widgets = drawPadHtml(network, test, { probabilities: cli }) + "\n" + confusionCellsHtml(test, cli);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const page = (body: string, head = "") => `<!DOCTYPE html>\n<html><head><meta charset="utf-8">${head}</head><body>\n${body}\n</body></html>\n`;

  for (const variant of ["as written", "with require.js", "scripts run before the widgets are attached"] as const) {
    it(`draws, predicts, loads test digits and shows each cell's digits offline (${variant})`, available, async () => {
      let html = page(widgets);
      if (variant === "with require.js") html = page(widgets, `<script>${readFileSync(findRequireJs(), "utf8")}</script>`);
      if (variant === "scripts run before the widgets are attached") {
        // JupyterLab may evaluate an output's scripts before its node is in the document.
        const markup = widgets.replace(/<script[^>]*>[\s\S]*?<\/script>/g, "");
        const scripts = [...widgets.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
        html = page(
          `<div id="later"></div>\n<script>${scripts.join("\n")}</script>\n` +
            `<script>setTimeout(function () { document.getElementById("later").innerHTML = ${JSON.stringify(markup).replace(/</g, "\\u003c")}; }, 400);</script>`,
        );
      }
      const file = join(work, `page-${variant.replace(/\W+/g, "-")}.html`);
      writeFileSync(file, html);
      const context = await browser!.newContext({ offline: true, viewport: { width: 1000, height: 900 } });
      try {
        const tab = await context.newPage();
        const errors = collectErrors(tab);
        await tab.goto(`file://${file}`, { waitUntil: "load" });
        const pad = tab.locator(".binary-digits-draw");
        await tab.waitForSelector(".binary-digits-draw[data-digits-ready]", { timeout: 10_000 });
        if (variant === "with require.js") assert.equal(await tab.evaluate(() => typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd), "object");
        assert.equal(await pad.locator("[data-digits-fallback]").isVisible(), false, "the fallback text is still shown");
        await checkDrawPad(tab, pad, { test, cli });
        const cells = tab.locator(".binary-digits-cells");
        await tab.waitForSelector(".binary-digits-cells[data-digits-ready]", { timeout: 10_000 });
        await checkConfusionCells(cells, { labels: test.labels, cli });
        if (variant === "as written") await tab.screenshot({ path: join(SCREENSHOTS, "draw-page.png"), fullPage: true }).catch(() => undefined);
        assert.deepEqual(errors, [], "errors on the page");
      } finally {
        await context.close();
      }
    });
  }
});
