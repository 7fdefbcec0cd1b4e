// The quick reports' checks on each kernel (tslab and Deno), on the shared quick run of the three
// notebooks (test/support/shared-reports.ts): no error output, the kernel named, tables and
// plotly.js embedded once, the selection record and the model, each chart's outputs, and each HTML
// report in headless Chromium, with 03's drawing pad and clickable confusion matrix; on tslab also
// JupyterLab 4 / Notebook 7 rendering, the PDFs, and each page in the other require.js case (taken
// out where the page as written loads it, put in where not). Deno's notebooks send the same active
// outputs as tslab's (the charts, the drawing pad and their scripts: kernels.test.ts checks it),
// which the same nbconvert template turns into the same page scripts: what only those decide
// (JupyterLab's output areas, a page without require.js or with it, the PDF Chromium prints from the
// page) is checked on tslab's run alone. One test file per kernel runs them
// (quick-report-tslab.test.ts, quick-report-deno.test.ts), so that the runner can run the two at
// once.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { loadCsv } from "../../lib/data/csv";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { cellErrors, cellSource, joinText, type Notebook } from "../../lib/report/ipynb";
import { outputsOfType } from "../support/notebook-outputs";
import { kernelVersion, type KernelName } from "../../lib/report/jupyter";
import { plotlyBundle } from "../../lib/notebook/plotly";
import { NOTEBOOKS } from "../../lib/report/report";
import { checkConfusionCells, checkDrawPad, cliProbabilities } from "../support/draw";
import { listTree } from "../support/folders";
import { findRequireJs, kernelAvailable, launchChromium, openOffline, plotStates, SCREENSHOTS, type OfflinePage } from "../support/integration";
import { checkCodeToggle, checkHeaderAndToc, checkTheme } from "../support/page-parts";
import { chartOutputs, colouredShare, htmlFigure, pdfPages, pdfProblems, popplerAvailable, squash } from "../support/pdf";
import { harnessAvailable, harnessPage, renderInJupyterLab, RENDER_STATES } from "../support/render";
import { sharedReport } from "../support/shared-reports";

// What each report must show: chart titles in order, and table captions.
const EXPECTED: Record<string, { charts: RegExp[]; tables: RegExp[] }> = {
  "01-exploratory-analysis": {
    charts: [/^Class balance: 5,923 zeros and 6,742 ones/, /^Pixel intensities/, /^Per-image features by class/, /^Mean image \(top\) and pixel variance \(bottom\)/, /^100 random digits with their labels/, /^Which pairs are hard: .* per pair of digits; outlined: 0 vs 1$/],
    tables: [/The first five rows/, /Data quality/, /Per-image features by class \(simple-statistics\)/, /danfo group-by/],
  },
  "02-model-selection": {
    charts: [/^Model selection: validation scores against network size \(mean ± sd over 3 folds, 2 epochs\); winner /, /^Validation log loss on each of 3 folds \(points\) and its mean ± sd, per candidate$/, /^Which differences are real: each candidate against /],
    tables: [/Validation scores per architecture/, /Each candidate against the best/, /Selection runs in this folder/, /Mean validation log loss per architecture/],
  },
  "03-training-and-evaluation": {
    charts: [/^Training curves/, /^Confusion matrices/, /^100 test digits titled "true, predicted"/, /^Misclassified test digits/, /^Predicted probability/, /^ROC curve on the test set/, /^(First-layer weights|Logistic regression's weights)/, /^Integrated gradients of \d+ test digits/, /^Reliability diagram, test set/],
    tables: [/Metrics \(digit 1 is the positive class/],
  },
};

/** The quick reports on one kernel: the same checks on both, the same notebooks. */
export function describeQuickReports(kernel: KernelName): void {
  describe(`npm run report -- --quick --kernel ${kernel}`, { timeout: 1_200_000 }, () => {
    const available = kernelAvailable(kernel);
    // Screenshots of the tslab run keep their names; the Deno run's are prefixed.
    const shot = (name: string) => (kernel === "tslab" ? name : `${kernel}-${name}`);
    // The shared run (npm run report -- --quick --kernel KERNEL, --pdf on tslab, into a folder
    // where a killed run's leftovers were planted first), which these tests only read; what they
    // write goes to `mine`.
    let work = "";
    let out = "";
    let mine = "";
    let browser: Browser | null = null;
    let requireJs = "";

    before(async () => {
      if (available.skip) return;
      ({ work, out } = await sharedReport(kernel));
      mine = mkdtempSync(join(tmpdir(), `digits-report-${kernel}-`));
      browser = await launchChromium();
      requireJs = readFileSync(findRequireJs(), "utf8");
      mkdirSync(SCREENSHOTS, { recursive: true });
    });

    after(async () => {
      await browser?.close();
      if (mine) rmSync(mine, { recursive: true, force: true });
    });

    it("writes the three reports and the executed notebooks, with no error output", available, () => {
      for (const name of NOTEBOOKS) {
        assert.ok(existsSync(join(out, `${name}.html`)), `${name}.html is missing`);
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        assert.deepEqual(cellErrors(executed), [], `${name} has error outputs`);
        const stderr = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stderr"));
        assert.deepEqual(stderr, [], `${name} wrote to stderr`);
        assert.ok(executed.cells.filter((c) => c.cell_type === "code").every((c) => typeof c.execution_count === "number"), `${name}: a code cell did not run`);
      }
      assert.deepEqual(listTree(out).filter((f) => /(^|\/)\./.test(f)), [], "temporary files left behind (also by an earlier, killed run)");
    });

    it(`records the ${kernel} kernel in each executed notebook's metadata and says "Ran on ${kernel} VERSION" in its first output`, available, () => {
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        assert.equal((executed.metadata.kernelspec as { name?: string }).name, kernel, `${name}: metadata.kernelspec.name`);
        assert.equal((executed.metadata.language_info as { name?: string }).name, "typescript", `${name}: metadata.language_info`);
        const first = executed.cells.find((c) => (c.outputs ?? []).length > 0);
        assert.ok(outputsOfType({ ...executed, cells: first ? [first] : [] }, "text/plain").includes(`Ran on ${kernel} ${kernelVersion(kernel)}`), `${name}: no "Ran on ${kernel} ${kernelVersion(kernel)}"`);
      }
    });

    it("shows tables as HTML and embeds plotly.js once per notebook, with no CDN", available, () => {
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const html = outputsOfType(executed, "text/html");
        for (const caption of EXPECTED[name].tables) {
          assert.ok(html.some((h) => h.includes("<table") && caption.test(h.replace(/<[^>]+>/g, " "))), `${name}: no table captioned ${caption}`);
        }
        const embedded = `plotly.js ${plotlyBundle().version} (core, bar, heatmap, parcoords), embedded`;
        assert.equal(html.filter((h) => h.includes(embedded)).length, 1, `${name}: plotly.js should be sent exactly once`);
        // By setupCharts() in the imports cell, so re-running a chart cell cannot take it out of the saved notebook.
        const carrier = executed.cells.find((c) => (c.outputs ?? []).some((o) => joinText(o.data?.["text/html"]).includes(embedded)));
        assert.match(carrier ? cellSource(carrier) : "", /^setupCharts\(\);/m, `${name}: plotly.js is not in the imports cell's output`);
        const page = readFileSync(join(out, `${name}.html`), "utf8");
        assert.doesNotMatch(page, /<script[^>]+src="https?:/, `${name}.html loads a script from the network`);
      }
    });

    it("records the selection and saves the model where the parameters say", available, () => {
      assert.equal(readdirSync(join(work, "experiments")).filter((f) => f.endsWith(".json")).length, 1);
      assert.ok(existsSync(join(work, "model", "model.json")));
      assert.ok(existsSync(join(work, "model", "training.json")));
    });

    it("sends each chart as one output with the Plotly figure, the HTML and its title as text", available, () => {
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const charts = chartOutputs(executed);
        assert.equal(charts.length, EXPECTED[name].charts.length, `${name}: chart outputs`);
        charts.forEach((data, i) => {
          assert.deepEqual(Object.keys(data).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"], `${name}: chart ${i + 1}`);
          assert.match(joinText(data["text/plain"]).replace(/^Chart: /, ""), EXPECTED[name].charts[i], `${name}: chart ${i + 1}'s text`);
          const plotly = data["application/vnd.plotly.v1+json"] as { layout: unknown; config: unknown };
          assert.deepEqual(plotly.layout, htmlFigure(data).layout, `${name}: chart ${i + 1}: the Plotly JSON and the HTML draw one figure`);
        });
      }
    });

    it("grows the executed notebooks by no more than the figures' JSON", available, (t) => {
      let growth = 0;
      let figures = 0;
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        // Sizes as nbformat writes them (indent 1); the same notebook with only the HTML in each chart output.
        const size = (nb: Notebook) => Buffer.byteLength(JSON.stringify(nb, null, 1));
        const full = size(executed);
        let json = 0;
        for (const data of chartOutputs(executed)) {
          json += Buffer.byteLength(JSON.stringify(htmlFigure(data)));
          delete data["application/vnd.plotly.v1+json"];
          delete data["text/plain"];
        }
        const added = full - size(executed);
        const charts = EXPECTED[name].charts.length;
        t.diagnostic(`${name}: +${added} bytes for ${charts} charts whose figures' JSON is ${json} bytes`);
        // nbformat writes one value per line, so a small figure (no big arrays to pack) takes about twice
        // its compact JSON: 3 kB more for the selection chart.
        assert.ok(added <= json + 4_000 * charts, `${name}: grew ${added} bytes, figures' JSON ${json}`);
        growth += added;
        figures += json;
      }
      assert.ok(growth <= figures, `the notebooks grew ${growth} bytes, the figures' JSON is ${figures} bytes`);
    });

    // On tslab: Deno's notebooks send the same charts, drawing pad and scripts, so they render alike
    // (see the top). The three notebooks' outputs share one page, as three notebooks open in
    // JupyterLab do: their charts and widgets take their ids from their own kernel sessions, and
    // each state takes one page load instead of three (about 35 of 75 core-seconds). 02 and 03 find
    // 01's plotly.js already there; that each notebook sends its own, in its imports cell, is the
    // test "shows tables as HTML and embeds plotly.js once per notebook" above.
    if (kernel === "tslab") {
      it("the three notebooks render together in JupyterLab 4 / Notebook 7's output areas, trusted or not, with and without the Plotly renderer", harnessAvailable(), async (t) => {
        if (available.skip) return t.skip(available.skip);
        const executed = NOTEBOOKS.map((name) => JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook);
        const harness = harnessPage({ ...executed[0], cells: executed.flatMap((nb) => nb.cells) }, mine, "notebooks.jupyterlab");
        // Each chart's title pattern, and the notebook it is in, in page order.
        const charts = NOTEBOOKS.flatMap((name) => EXPECTED[name].charts.map((title, i) => ({ title, label: `${name} chart ${i + 1}` })));
        const n = charts.length;
        for (const plotlyRenderer of [false, true]) {
          for (const state of RENDER_STATES) {
            const seen = await renderInJupyterLab(browser!, harness, state, plotlyRenderer);
            const label = `${state}, ${plotlyRenderer ? "with" : "without"} jupyterlab-plotly`;
            t.diagnostic(`${label}: ${seen.byHtml + seen.byPlotlyRenderer}/${seen.charts} charts drawn (${seen.byHtml} by their HTML, ${seen.byPlotlyRenderer} by the renderer), ${seen.fallbacks} text fallbacks`);
            assert.deepEqual(seen.errors, [], `${label}: page errors`);
            assert.equal(seen.charts, n, label);
            const drawnBy = plotlyRenderer ? seen.byPlotlyRenderer : seen.byHtml;
            if (state === "untrusted" && !plotlyRenderer) {
              // The sanitizer removed every script: nothing can draw, and each chart says why instead.
              assert.equal(seen.scripts, 0, `${label}: scripts left`);
              assert.equal(drawnBy, 0, label);
              assert.equal(seen.fallbacks, n, `${label}: text fallbacks`);
            } else {
              assert.equal(drawnBy, n, `${label}: charts drawn`);
              assert.equal(seen.byHtml + seen.byPlotlyRenderer, n, `${label}: a chart drawn twice`);
              assert.equal(seen.fallbacks, 0, `${label}: a fallback still shows`);
              seen.titles.forEach((title, i) => assert.match(title, charts[i].title, `${label}: ${charts[i].label}`));
            }
          }
        }
      });
    }

    // On tslab: Chromium prints Deno's pages, the same but for their text, alike (see the top).
    for (const name of kernel === "tslab" ? NOTEBOOKS : []) {
      it(`${name}.pdf has every section, keeps each chart and table on one page, and shows charts`, available.skip ? available : popplerAvailable(), () => {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const pdf = join(out, `${name}.pdf`);
        const pages = pdfPages(pdf);
        assert.ok(pages.length >= 2 && pages.length <= 12, `${name}.pdf: ${pages.length} pages`);
        assert.deepEqual(pdfProblems(executed, pages), [], `${name}.pdf`);
        // The first chart's page, rendered to an image (kept beside the screenshots).
        const firstChart = squash((htmlFigure(chartOutputs(executed)[0]).layout as { title?: { text?: string } }).title?.text ?? "").slice(0, 30);
        const chartPage = pages.findIndex((p) => p.includes(firstChart)) + 1;
        const png = join(SCREENSHOTS, shot(`${name}.pdf-page-${chartPage}`));
        spawnSync("pdftoppm", ["-r", "60", "-f", String(chartPage), "-l", String(chartPage), "-png", "-singlefile", pdf, png]);
        assert.ok(existsSync(`${png}.png`), "pdftoppm wrote no PNG");
        if (name === "01-exploratory-analysis") {
          // The class-balance bars are solid colour: 7 % of that page at 40 dpi, where a page of text
          // and highlighted code has under 0.5 %. A chart that did not draw leaves only its fallback text.
          assert.ok(colouredShare(pdf, chartPage) > 0.03, `${name}.pdf page ${chartPage} shows no chart`);
        }
      });
    }

    // Report 03's pages stay open after their charts are checked: the drawing pad's test runs on them.
    const DRAW = "03-training-and-evaluation";
    const opened03: { label: string; report: OfflinePage }[] = [];

    for (const name of NOTEBOOKS) {
      it(`${name}.html renders every chart offline, as written${kernel === "tslab" ? ", and with require.js taken out or put in" : ""}`, available, () => checkVariants(name));
    }

    /**
     * Opens a report as written and, on tslab, in the other require.js case: as written, the page
     * loads require.js where nbconvert found a copy (Debian's, from file://); the other case is made
     * from it, so that both are checked whichever this machine gives.
     */
    async function checkVariants(name: string): Promise<void> {
      const written = readFileSync(join(out, `${name}.html`), "utf8");
      const amd = await checkPage(name, { label: "as written", html: written });
      if (kernel !== "tslab") return;
      if (amd) await checkPage(name, { label: "without require.js", html: written.replace(/<script src="[^"]*require(\.min)?\.js"><\/script>/g, "") }, false);
      else await checkPage(name, { label: "with require.js injected", html: written.replace("<head>", `<head><script>${requireJs}</script>`) }, true);
    }

    /**
     * Opens one variant of a report offline: every chart drawn once, with its title, no error on
     * the page, before or after using its parts; whether require.js is on the page (which it must
     * be, or not, when `amd` is given). Report 03's page is kept open for the drawing pad's test.
     */
    async function checkPage(name: string, variant: { label: string; html: string }, amd?: boolean): Promise<boolean> {
      const path = join(mine, `${name}.${variant.label.replace(/\W+/g, "-")}.html`);
      writeFileSync(path, variant.html);
      const report = await openOffline(browser!, path);
      const { page, errors } = report;
      let kept = false;
      try {
        const plots = await plotStates(page);
        const onPage = await page.evaluate(() => typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd === "object");
        if (amd !== undefined) assert.equal(onPage, amd, amd ? "require.js did not load" : "require.js is still on the page");
        assert.deepEqual(errors, [], `${name} (${variant.label}): errors on the page`);
        assert.equal(plots.length, EXPECTED[name].charts.length, `${name} (${variant.label}): ${plots.length} chart containers`);
        // nbconvert picks one type of each chart's bundle (the HTML): no second chart from the Plotly JSON.
        assert.equal(await page.evaluate(() => document.querySelectorAll(".js-plotly-plot").length), plots.length, `${name} (${variant.label}): a chart drawn twice`);
        plots.forEach((plot, i) => {
          assert.ok(plot.rendered, `${name} (${variant.label}): chart ${i + 1} did not render`);
          assert.match(plot.title, EXPECTED[name].charts[i], `${name} (${variant.label}): chart ${i + 1}`);
        });
        if (variant.label === "as written") await page.screenshot({ path: join(SCREENSHOTS, shot(`${name}.png`)), fullPage: true });
        // The run header, contents, code toggle and theme (issue 22), on every report and variant,
        // without an error on the page from using them (the theme redraws every chart).
        await checkPageParts(page, `${name} (${variant.label})`);
        assert.deepEqual(errors, [], `${name} (${variant.label}): errors on the page after using the header, contents, code toggle and theme`);
        if (name === DRAW) {
          opened03.push({ label: variant.label, report });
          kept = true;
        }
        return onPage;
      } finally {
        if (!kept) await report.close();
        rmSync(path, { force: true });
      }
    }

    // On report 03's pages opened above (as written, and on tslab with require.js the other way round).
    it(`03's drawing pad and clickable confusion matrix work in the report opened from disk offline, as written${kernel === "tslab" ? " and with require.js taken out or put in" : ""}`, available, async () => {
      // The model the notebook saved, scored by the CLI: the page must give the same probabilities.
      const testCsv = ensureDefaultDataset().test;
      const test = loadCsv(testCsv);
      const cli = cliProbabilities(join(work, "model"), testCsv, join(mine, "predictions.csv"));
      // Opened here if the pages' test did not run (a --test-name-pattern that leaves it out).
      if (opened03.length === 0) await checkVariants(DRAW);
      try {
        for (const { label, report } of opened03) {
          const { page, errors } = report;
          await page.waitForSelector(".binary-digits-draw[data-digits-ready]", { timeout: 30_000 });
          await checkDrawPad(page, page.locator(".binary-digits-draw"), { test, cli });
          await checkConfusionCells(page.locator(".binary-digits-cells"), { labels: test.labels, cli });
          assert.deepEqual(errors, [], `03 (${label}): errors on the page`);
        }
      } finally {
        for (const { report } of opened03.splice(0)) await report.close();
      }
    });
  });
}

/** The header's commit, every contents link, the code toggle and the theme switch. */
export async function checkPageParts(page: Page, label: string): Promise<void> {
  await checkHeaderAndToc(page, label);
  await checkCodeToggle(page, label);
  await checkTheme(page, label);
}
