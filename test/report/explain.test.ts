// Report 03's "What the network sees" sections (issue 20), for 0 vs 1 and for 4 vs 9: the three
// headings and their sentences, every new chart drawn by Plotly in Chromium (offline), the drawing
// pad's attribution overlay following a stroke drawn with the mouse, and in the PDF each new chart
// whole on one page. On the first-layer weights of hidden units, from shared quick runs
// (test/support/shared-reports.ts), only read: for 0 vs 1, notebook 03 alone on a network of 8 relu
// units (the quick selection picks logistic regression for 0 and 1); for 4 vs 9, the run of the
// three notebooks, whose selection picks hidden layers; both runs are on Deno. Each report 03 is
// opened once, for its charts and then its drawing pad.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { cellSource, type Notebook } from "../../lib/report/ipynb";
import { outputsOfType } from "../support/notebook-outputs";
import { checkAttributionOverlay } from "../support/draw";
import { kernelAvailable, launchChromium, openOffline, plotStates, SCREENSHOTS, type OfflinePage } from "../support/integration";
import { pdfPages, pdfProblems, popplerAvailable } from "../support/pdf";
import { sharedReport } from "../support/shared-reports";

const NAME = "03-training-and-evaluation";
const HEADINGS = ["## What the network sees", "### First-layer weights", "### Which pixels decide: integrated gradients", "### Can the probabilities be believed? Calibration"];
const CHARTS = [/^(First-layer weights of the \d+ hidden units|Logistic regression's weights)/, /^Integrated gradients of \d+ test digits \(\d+ misclassified, in red\)/, /^Reliability diagram, test set \([\d,]+ rows, ECE \d\.\d{4}\)/];

for (const pair of [[0, 1], [4, 9]] as const) {
  describe(`report 03 for ${pair[0]} vs ${pair[1]}: what the network sees`, { timeout: 900_000 }, () => {
    const available = kernelAvailable("deno");
    const poppler = available.skip ? available : popplerAvailable();
    let out = "";
    let browser: Browser | null = null;
    // Report 03, opened once when a test first needs it, for the charts and then the drawing pad.
    let opened: Promise<OfflinePage> | null = null;
    const report = () => (opened ??= openOffline(browser!, join(out, `${NAME}.html`)));

    before(async () => {
      if (available.skip) return;
      ({ out } = await sharedReport(pair[0] === 4 ? "4-9" : "03-other-network"));
      browser = await launchChromium();
    });

    after(async () => {
      await (await opened?.catch(() => null))?.close();
      await browser?.close();
    });

    const executed = () => JSON.parse(readFileSync(join(out, "executed", `${NAME}.ipynb`), "utf8")) as Notebook;

    it("has the three sections, with sentences on structure and calibration in the pair's digits", available, () => {
      const nb = executed();
      const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map(cellSource).join("\n");
      for (const heading of HEADINGS) assert.ok(markdown.includes(heading), `no "${heading}"`);
      const said = outputsOfType(nb, "text/markdown").join("\n");
      assert.match(said, /units are structured|look like noise/);
      assert.match(said, /blank in every training image/);
      assert.match(said, new RegExp(`expected calibration error is \\*\\*\\d\\.\\d{4}\\*\\*: weighted by rows, the share of ${pair[1]}s`));
    });

    it("draws every new chart in Chromium, offline and without errors", available, async () => {
      const { page, errors } = await report();
      const plots = await plotStates(page);
      assert.deepEqual(errors, []);
      for (const chart of CHARTS) {
        const plot = plots.find((p) => chart.test(p.title));
        assert.ok(plot, `no chart matching ${chart} among ${plots.map((p) => p.title).join(" | ")}`);
        assert.ok(plot.rendered, `${plot.title} did not render`);
      }
      const shots = await page.$$(".binary-digits-plot");
      for (const shot of shots) {
        const title = await shot.evaluate((e) => e.querySelector(".gtitle")?.textContent ?? "");
        const k = CHARTS.findIndex((c) => c.test(title));
        if (k >= 0) await shot.screenshot({ path: join(SCREENSHOTS, `03-explain-${pair.join("-")}-${k + 1}.png`) });
      }
    });

    it("overlays, on the drawing pad, the pixels that push towards each digit, and the overlay follows a stroke drawn with the mouse", available, async () => {
      const { page, errors } = await report();
      await page.waitForSelector(".binary-digits-draw[data-digits-ready]", { timeout: 10_000 });
      const pad = page.locator(".binary-digits-draw");
      await checkAttributionOverlay(page, pad);
      await pad.locator("[data-digits-random]").click();
      await pad.screenshot({ path: join(SCREENSHOTS, `03-explain-${pair.join("-")}-pad.png`) });
      assert.deepEqual(errors, []);
    });

    it("keeps each new chart whole on a page of the PDF", poppler, () => {
      const pages = pdfPages(join(out, `${NAME}.pdf`));
      // Only the new sections' problems: the older charts are quick-reports.ts's to check.
      const ours = /First-layer|Logistic regression's weights|Integrated gradients|Reliability|What the network sees|Which pixels decide|Can the probabilities/;
      assert.deepEqual(pdfProblems(executed(), pages).filter((p) => ours.test(p)), []);
      for (const title of ["weights", "Integrated gradients of", "Reliability diagram"]) {
        assert.ok(pages.some((p) => p.includes(title)), `no page with "${title}"`);
      }
    });
  });
}
