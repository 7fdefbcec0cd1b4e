// npm run report: pure helpers always; the integration (quick mode: executes the three notebooks
// on the tslab kernel, then opens each HTML report in headless Chromium, as written, without
// require.js and with require.js injected) where Jupyter and Chromium are installed.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { cellErrors, cellSource, joinText, outputsOfType, type Notebook } from "../lib/ipynb";
import { findPython, installKernel, jupyterEnv, REPORT_MODULES } from "../lib/jupyter";
import { plotlyBundle } from "../lib/display";
import { buildReports, failureMessage, NotebookError, NOTEBOOKS, replaceFiles, reportPaths, selectNotebooks } from "../lib/report";
import { collectErrors, launchChromium, plotStates, ROOT, SCREENSHOTS, skipUnlessAvailable } from "./support/integration";
import { chartOutputs, colouredShare, htmlFigure, pdfPages, pdfProblems, popplerAvailable, squash } from "./support/pdf";
import { harnessAvailable, renderInJupyterLab, RENDER_STATES } from "./support/render";

describe("report helpers", () => {
  it("selects notebooks by number, name or file name, in the order asked", () => {
    assert.deepEqual(selectNotebooks(), [...NOTEBOOKS]);
    assert.deepEqual(selectNotebooks(["03", "01-exploratory-analysis", "notebooks/02-model-selection.ipynb"]), [
      "03-training-and-evaluation",
      "01-exploratory-analysis",
      "02-model-selection",
    ]);
    assert.throws(() => selectNotebooks(["04"]), /unknown notebook "04"/);
  });

  it("writes to hidden temporary names beside the final ones", () => {
    const p = reportPaths("/out", "02-model-selection", "123");
    assert.equal(p.html, "/out/02-model-selection.html");
    assert.equal(p.executed, "/out/executed/02-model-selection.ipynb");
    assert.equal(p.tempHtml, "/out/.02-model-selection.html.123.tmp");
  });

  describe("replaceFiles", () => {
    function folder(files: Record<string, string>): string {
      const dir = mkdtempSync(join(tmpdir(), "digits-replace-"));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return dir;
    }
    const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

    it("replaces the executed notebook and the HTML, leaving no temporary files", () => {
      const dir = folder({ "nb.ipynb": "old run", "nb.html": "old run", ".nb.ipynb.tmp": "new run", ".nb.html.tmp": "new run" });
      try {
        replaceFiles([{ from: join(dir, ".nb.ipynb.tmp"), to: join(dir, "nb.ipynb") }, { from: join(dir, ".nb.html.tmp"), to: join(dir, "nb.html") }]);
        assert.equal(read(dir, "nb.ipynb"), "new run");
        assert.equal(read(dir, "nb.html"), "new run");
        assert.deepEqual(readdirSync(dir).sort(), ["nb.html", "nb.ipynb"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("puts the old executed notebook back when the HTML cannot be replaced, so the pair stays from one run", () => {
      const dir = folder({ "nb.ipynb": "old run", ".nb.ipynb.tmp": "new run", ".nb.html.tmp": "new run" });
      try {
        // A non-empty folder where the HTML goes: renaming a file onto it fails.
        mkdirSync(join(dir, "nb.html"));
        writeFileSync(join(dir, "nb.html", "keep"), "");
        assert.throws(() => replaceFiles([{ from: join(dir, ".nb.ipynb.tmp"), to: join(dir, "nb.ipynb") }, { from: join(dir, ".nb.html.tmp"), to: join(dir, "nb.html") }]));
        assert.equal(read(dir, "nb.ipynb"), "old run");
        assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".old")), [], "no backup left behind");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("removes a new executed notebook that had no predecessor when the HTML fails", () => {
      const dir = folder({ ".nb.ipynb.tmp": "new run" });
      try {
        assert.throws(() => replaceFiles([{ from: join(dir, ".nb.ipynb.tmp"), to: join(dir, "nb.ipynb") }, { from: join(dir, "missing.tmp"), to: join(dir, "nb.html") }]));
        assert.equal(existsSync(join(dir, "nb.ipynb")), false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  const failed: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# Title", metadata: {} },
      { cell_type: "code", source: "const a = 1;", metadata: {}, outputs: [], execution_count: 1 },
      {
        cell_type: "code",
        source: ["// load\n", "const data = loadCsv(FILE);"],
        metadata: {},
        execution_count: 2,
        outputs: [{ output_type: "error", ename: "InputError", evalue: "data/x.csv: file not found\n    at stack", traceback: [] }],
      },
    ],
  };

  it("names the notebook, the cell (number, kind, first line) and the error's first line", () => {
    const message = failureMessage("notebooks/03-x.ipynb", { status: "error", kind: "error", cell: 2 }, failed);
    assert.equal(message, "notebooks/03-x.ipynb failed, cell 3 (code cell 2: `const data = loadCsv(FILE);`): InputError: data/x.csv: file not found");
  });

  it("uses the cell's stderr when tslab reports an empty error (type errors)", () => {
    const typeError: Notebook = structuredClone(failed);
    typeError.cells[2].outputs = [
      { output_type: "stream", name: "stderr", text: "1:6 - Cannot find name 'FILE'.\n" },
      { output_type: "error", ename: "<Error>", evalue: "", traceback: [] },
    ];
    const message = failureMessage("nb.ipynb", { status: "error", kind: "error", cell: 2 }, typeError);
    assert.match(message, /cell 3 \(code cell 2: .*\): 1:6 - Cannot find name 'FILE'\.$/);
  });

  it("says when a cell timed out or the kernel died", () => {
    assert.match(failureMessage("nb.ipynb", { status: "error", kind: "timeout", cell: 1, message: "no result after 5 s" }, failed), /^nb\.ipynb timed out, cell 2 \(code cell 1: `const a = 1;`\): no result after 5 s$/);
    assert.match(failureMessage("nb.ipynb", { status: "error", kind: "dead kernel", cell: null, message: "the kernel died" }, null), /^nb\.ipynb lost its kernel: the kernel died$/);
  });

  it("exits with code 2 and says how to install Jupyter when it is missing", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_PYTHON: "/nonexistent/python3" },
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /DIGITS_PYTHON=\/nonexistent\/python3 cannot import them/);
    assert.match(result.stderr, /apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook/);
  });

  it("reads DIGITS_QUICK as the notebooks do: a malformed value is an error, not a full run into reports/", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_QUICK: "quickly", DIGITS_PYTHON: "/nonexistent/python3" },
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /DIGITS_QUICK=quickly: expected 1 or 0/);
  });
});

describe("the project-local kernel", () => {
  it("is found by Jupyter through JUPYTER_PATH", skipUnlessAvailable(REPORT_MODULES), () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-kernel-"));
    try {
      installKernel(dir);
      const python = findPython(["jupyter_client"])!;
      const listed = spawnSync(python.python, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { encoding: "utf8", env: jupyterEnv(process.env, dir) });
      const specs = JSON.parse(listed.stdout).kernelspecs as Record<string, { resource_dir: string; spec: { argv: string[] } }>;
      assert.equal(specs.tslab.resource_dir, join(dir, "kernels", "tslab"));
      assert.equal(specs.tslab.spec.argv[0], process.execPath);
      assert.match(specs.tslab.spec.argv[1], /node_modules\/tslab\/bin\/tslab$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a failing cell", () => {
  it("stops the report, names the notebook and the cell, and writes no report", skipUnlessAvailable(REPORT_MODULES), async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-failing-"));
    try {
      const notebooks = join(dir, "notebooks");
      const out = join(dir, "reports");
      mkdirSync(notebooks);
      mkdirSync(out);
      // An earlier good report must survive a failed run untouched.
      writeFileSync(join(out, "01-exploratory-analysis.html"), "earlier report");
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
        cells: [
          { cell_type: "code", id: "a", source: "const ok = 1;", metadata: {}, outputs: [], execution_count: null },
          { cell_type: "code", id: "b", source: 'throw new Error("the data is gone");', metadata: {}, outputs: [], execution_count: null },
          { cell_type: "code", id: "c", source: "const never = 2;", metadata: {}, outputs: [], execution_count: null },
        ],
      };
      writeFileSync(join(notebooks, "01-exploratory-analysis.ipynb"), JSON.stringify(nb));
      await assert.rejects(
        buildReports({ notebooksDir: notebooks, outDir: out, notebooks: ["01"], log: () => undefined }),
        (error: unknown) => {
          assert.ok(error instanceof NotebookError);
          assert.equal(error.cell, 1);
          assert.match(error.message, /01-exploratory-analysis\.ipynb failed, cell 2 \(code cell 2: `throw new Error\("the data is gone"\);`\): .*the data is gone/);
          return true;
        },
      );
      assert.equal(readFileSync(join(out, "01-exploratory-analysis.html"), "utf8"), "earlier report");
      assert.deepEqual(readdirSync(out).sort(), ["01-exploratory-analysis.html", "executed"]);
      assert.deepEqual(readdirSync(join(out, "executed")), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// What each report must show: chart titles in order, and table captions.
const EXPECTED: Record<string, { charts: RegExp[]; tables: RegExp[] }> = {
  "01-exploratory-analysis": {
    charts: [/^Class balance: 5,923 zeros and 6,742 ones/, /^Pixel intensities/, /^Per-image features by class/, /^Mean image \(top\) and pixel variance \(bottom\)/, /^100 random digits with their labels/],
    tables: [/The first five rows/, /Data quality/, /Per-image features by class \(simple-statistics\)/, /danfo group-by/],
  },
  "02-model-selection": {
    charts: [/^Model selection: validation scores against network size \(mean ± sd over 3 folds, 2 epochs\); winner /],
    tables: [/Validation scores per architecture/, /Selection runs in this folder/, /Mean validation log loss per architecture/],
  },
  "03-training-and-evaluation": {
    charts: [/^Training curves/, /^Confusion matrices/, /^100 test digits titled "true, predicted"/, /^Misclassified test digits/, /^Predicted probability/, /^ROC curve on the test set/],
    tables: [/Metrics \(class 1 is the positive class/],
  },
};

describe("npm run report in quick mode", { timeout: 1_200_000 }, () => {
  const available = skipUnlessAvailable();
  let work = "";
  let out = "";
  let browser: Browser | null = null;
  let requireJs = "";

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-report-"));
    out = join(work, "reports");
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--pdf", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_EXPERIMENTS_DIR: join(work, "experiments"), DIGITS_MODEL_DIR: join(work, "model") },
      timeout: 240_000,
    });
    assert.equal(run.status, 0, `npm run report -- --quick failed:\n${run.stdout}\n${run.stderr}`);
    browser = await launchChromium();
    requireJs = readFileSync(findRequireJs(), "utf8");
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
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
    assert.deepEqual(readdirSync(out).filter((f) => f.startsWith(".")), [], "temporary files left behind");
  });

  it("shows tables as HTML and embeds plotly.js once per notebook, with no CDN", available, () => {
    for (const name of NOTEBOOKS) {
      const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
      const html = outputsOfType(executed, "text/html");
      for (const caption of EXPECTED[name].tables) {
        assert.ok(html.some((h) => h.includes("<table") && caption.test(h.replace(/<[^>]+>/g, " "))), `${name}: no table captioned ${caption}`);
      }
      const embedded = `plotly.js ${plotlyBundle().version} (plotly.js-dist-min), embedded`;
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

  for (const name of NOTEBOOKS) {
    it(`${name} renders in JupyterLab 4 / Notebook 7's output areas, trusted or not, with and without the Plotly renderer`, harnessAvailable(), async (t) => {
      if (available.skip) return t.skip(available.skip);
      const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
      const n = EXPECTED[name].charts.length;
      for (const plotlyRenderer of [false, true]) {
        for (const state of RENDER_STATES) {
          const seen = await renderInJupyterLab(browser!, executed, state, plotlyRenderer);
          const label = `${name}, ${state}, ${plotlyRenderer ? "with" : "without"} jupyterlab-plotly`;
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
            seen.titles.forEach((title, i) => assert.match(title, EXPECTED[name].charts[i], `${label}: chart ${i + 1}`));
          }
        }
      }
    });
  }

  for (const name of NOTEBOOKS) {
    it(`${name}.pdf has every section, keeps each chart and table on one page, and shows charts`, available.skip ? available : popplerAvailable(), () => {
      const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
      const pdf = join(out, `${name}.pdf`);
      const pages = pdfPages(pdf);
      assert.ok(pages.length >= 2 && pages.length <= 12, `${name}.pdf: ${pages.length} pages`);
      assert.deepEqual(pdfProblems(executed, pages), [], `${name}.pdf`);
      // The first chart's page, rendered to an image (kept beside the screenshots).
      const firstChart = squash((htmlFigure(chartOutputs(executed)[0]).layout as { title?: { text?: string } }).title?.text ?? "").slice(0, 30);
      const chartPage = pages.findIndex((p) => p.includes(firstChart)) + 1;
      const png = join(SCREENSHOTS, `${name}.pdf-page-${chartPage}`);
      spawnSync("pdftoppm", ["-r", "60", "-f", String(chartPage), "-l", String(chartPage), "-png", "-singlefile", pdf, png]);
      assert.ok(existsSync(`${png}.png`), "pdftoppm wrote no PNG");
      if (name === "01-exploratory-analysis") {
        // The class-balance bars are solid colour: 7 % of that page at 40 dpi, where a page of text
        // and highlighted code has under 0.5 %. A chart that did not draw leaves only its fallback text.
        assert.ok(colouredShare(pdf, chartPage) > 0.03, `${name}.pdf page ${chartPage} shows no chart`);
      }
    });
  }

  for (const name of NOTEBOOKS) {
    it(`${name}.html renders every chart offline, as written, without require.js and with it`, available, async () => {
      const file = join(out, `${name}.html`);
      const written = readFileSync(file, "utf8");
      const variants = [
        { label: "as written", html: written },
        { label: "without require.js", html: written.replace(/<script src="[^"]*require(\.min)?\.js"><\/script>/g, "") },
        { label: "with require.js injected", html: written.replace("<head>", `<head><script>${requireJs}</script>`) },
      ];
      for (const variant of variants) {
        const path = join(out, `.${name}.${variant.label.replace(/\W+/g, "-")}.html`);
        writeFileSync(path, variant.html);
        const context = await browser!.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
        try {
          const page = await context.newPage();
          const errors = collectErrors(page);
          await page.goto(`file://${path}`, { waitUntil: "load" });
          const plots = await plotStates(page);
          const amd = await page.evaluate(() => typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd === "object");
          if (variant.label === "without require.js") assert.equal(amd, false, "require.js is still on the page");
          if (variant.label === "with require.js injected") assert.equal(amd, true, "require.js did not load");
          assert.deepEqual(errors, [], `${name} (${variant.label}): errors on the page`);
          assert.equal(plots.length, EXPECTED[name].charts.length, `${name} (${variant.label}): ${plots.length} chart containers`);
          // nbconvert picks one type of each chart's bundle (the HTML): no second chart from the Plotly JSON.
          assert.equal(await page.evaluate(() => document.querySelectorAll(".js-plotly-plot").length), plots.length, `${name} (${variant.label}): a chart drawn twice`);
          plots.forEach((plot, i) => {
            assert.ok(plot.rendered, `${name} (${variant.label}): chart ${i + 1} did not render`);
            assert.match(plot.title, EXPECTED[name].charts[i], `${name} (${variant.label}): chart ${i + 1}`);
          });
          if (variant.label === "as written") await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
        } finally {
          await context.close();
          rmSync(path, { force: true });
        }
      }
    });
  }
});


/** A require.js to inject: Debian's, or the copy inside the Jupyter Notebook package. */
function findRequireJs(): string {
  const candidates = ["/usr/share/javascript/requirejs/require.min.js", "/usr/share/javascript/requirejs/require.js"];
  const python = findPython(["notebook"]);
  if (python) {
    const dir = spawnSync(python.python, ["-c", "import notebook, os; print(os.path.dirname(notebook.__file__))"], { encoding: "utf8" }).stdout.trim();
    candidates.push(join(dir, "static", "components", "requirejs", "require.js"));
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no require.js to inject; looked at ${candidates.join(", ")}`);
  return found;
}
