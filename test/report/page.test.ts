// A report page's run header, contents, code toggle and theme: notebook 01's quick report with its
// code (the shared tslab run, test/support/shared-reports.ts) and one without (--no-input, run here
// on Deno, the cheaper kernel: what --no-input leaves out is nbconvert's to leave). The header,
// contents, code toggle and theme of every report, as written and in the other require.js case, are
// checked where the shared run's pages are opened (quick-reports.ts); here, the cells' times,
// --no-input, a reader who prefers dark, the toggle kept on reload, printing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import type { Notebook } from "../../lib/report/ipynb";
import { buildReports } from "../../lib/report/report";
import { kernelAvailable, launchChromium, plotStates } from "../support/integration";
import { sharedReport } from "../support/shared-reports";
import { REPORT_MODULES } from "../../lib/report/jupyter";

describe("a report page's header, contents, code toggle and theme", { timeout: 600_000 }, () => {
  const available = kernelAvailable("deno", REPORT_MODULES);
  let work = "";
  // The report with its code: the shared run's, only read.
  let withCode = "";
  let browser: Browser | null = null;
  const NAME = "01-exploratory-analysis";

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-page-"));
    const noInput = buildReports({ quick: true, outDir: join(work, "no-input"), notebooks: ["01"], env: { DIGITS_PAIRS_DIR: join(work, "pairs") }, noInput: true, kernel: "deno", log: () => undefined });
    [{ out: withCode }] = await Promise.all([sharedReport("tslab"), noInput]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("records each code cell's start, end and duration, and marks the slow ones on the page", available, () => {
    const executed = JSON.parse(readFileSync(join(withCode, "executed", `${NAME}.ipynb`), "utf8")) as Notebook;
    const code = executed.cells.filter((c) => c.cell_type === "code");
    for (const cell of code) {
      const timing = cell.metadata.timing as { start: string; end: string; duration: number };
      assert.ok(Date.parse(timing.start) <= Date.parse(timing.end), JSON.stringify(timing));
      assert.ok(Math.abs((Date.parse(timing.end) - Date.parse(timing.start)) / 1000 - timing.duration) < 0.01, JSON.stringify(timing));
    }
    const slow = code.filter((c) => (c.metadata.timing as { duration: number }).duration > 1).length;
    const html = readFileSync(join(withCode, `${NAME}.html`), "utf8");
    assert.equal(html.match(/data-digits-cell-time=/g)?.length ?? 0, slow);
    const parameters = (executed.metadata.binary_digits as { parameters: Record<string, unknown> }).parameters;
    assert.deepEqual(parameters.PAIR, [0, 1]);
    assert.match(html, /<th scope="row">PAIR<\/th><td>\[0,1\]<\/td>/);
  });

  it("--no-input writes a page with no code and no code toggle", available, () => {
    const html = readFileSync(join(work, "no-input", `${NAME}.html`), "utf8");
    // Code is highlighted in div.highlight inside a code cell's input; markdown cells keep their text.
    assert.doesNotMatch(html, /<div class="highlight/);
    assert.match(html, /Shape and first rows/);
    assert.doesNotMatch(html, /loadCsv\(TRAIN_CSV/);
    assert.doesNotMatch(html, /<button[^>]*data-digits-toggle-code/);
    assert.match(html, /data-digits-run-info/);
  });

  it("opens dark for a reader who prefers dark, remembers the code toggle on reload, and prints light", available, async () => {
    const context = await browser!.newContext({ offline: true, colorScheme: "dark" });
    try {
      const page = await context.newPage();
      await page.goto(`file://${join(withCode, `${NAME}.html`)}`, { waitUntil: "load" });
      await plotStates(page);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-digits-color")), "dark");
      const paper = () => page.evaluate(() => (document.querySelector(".js-plotly-plot") as unknown as { _fullLayout: { paper_bgcolor: string } })._fullLayout.paper_bgcolor);
      assert.notEqual(await paper(), "#fff");
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(255, 255, 255)");
      await page.emulateMedia({ media: "screen" });
      await page.locator("[data-digits-toggle-code]").click();
      await page.reload({ waitUntil: "load" });
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains("digits-hide-code")), true);
    } finally {
      await context.close();
    }
  });
});
