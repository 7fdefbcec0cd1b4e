// What a user does: start Jupyter Notebook on localhost with the project's kernels, open each
// notebook in Chromium, run every cell from the menu (Cell → Run All) in quick mode, and
// check what the page shows: rendered Plotly charts, HTML tables, no error output; in 03, the drawing
// pad and the clickable confusion matrix answer as `digits evaluate` does; the lab's panels stand
// where the drawing pad does (02's select panel, 03's train panel, none in 01), and 03's retrains
// the network the notebook saved, to its weights' SHA-256.
//
// It drives the classic Notebook 6 interface (Debian's jupyter-notebook). Notebook 7 is built on
// JupyterLab, with other menus and options: there the test skips and says why (never under CI).
//
// All of it once per kernel (tslab and Deno), one test file each (notebook-ui-tslab.test.ts,
// notebook-ui-deno.test.ts, so that the runner can run the two at once): the same notebooks, copied
// with the kernel's name in their metadata, as a user who picks "TypeScript (Deno)" in the menu
// saves them.
//
// The notebooks are copied to a temporary folder first (with a `dist` link beside them so their
// `../dist/lib` imports resolve): Jupyter autosaves, and the committed notebooks must stay
// without outputs. The server gets temporary config, data and runtime folders, a free port and a
// generated token, and is shut down afterwards whatever happens.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { denoBinary, installKernels, isRoot, jupyterEnv, kernelDataDir, type KernelName } from "../../lib/report/jupyter";
import { loadCsv } from "../../lib/data/csv";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { NOTEBOOKS } from "../../lib/report/report";
import { checkConfusionCells, checkDrawPad, cliProbabilities } from "../support/draw";
import { endState, panelMessage, runPanel } from "../support/lab";
import { classicNotebook, collectErrors, launchChromium, plotStates, problemsBesidesJupyterAssets, ROOT, SCREENSHOTS } from "../support/integration";

/** Charts and tables each notebook shows once run. */
const EXPECTED: Record<string, { charts: number; tables: number; lab: "select" | "train" | null }> = {
  "01-exploratory-analysis": { charts: 6, tables: 4, lab: null },
  "02-model-selection": { charts: 3, tables: 4, lab: "select" },
  "03-training-and-evaluation": { charts: 9, tables: 1, lab: "train" },
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Jupyter Notebook exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Jupyter Notebook did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** Skips (with the reason) where this kernel cannot run; never under CI, where deno is installed with npm ci. */
function kernelSkip(kernel: KernelName): string | false {
  if (kernel !== "deno" || denoBinary() !== null || process.env.CI) return false;
  return "this project's deno is not installed (npm install without devDependencies?)";
}

export function describeLiveNotebooks(kernel: KernelName): void {
  describe(`the notebooks run cell by cell in Jupyter Notebook on the ${kernel} kernel`, { timeout: 300_000 }, () => {
    // Notebook 6's classic UI (menus, #run_all_cells, --NotebookApp.token); 7.x skips with the reason.
    const notebook = classicNotebook();
    const available = { skip: notebook.skip || kernelSkip(kernel) };
    let work = "";
    let server: ChildProcess | null = null;
    let serverLog = "";
    let browser: Browser | null = null;
    let base = "";
    const token = randomBytes(24).toString("hex");

    before(async () => {
      if (available.skip) return;
      work = mkdtempSync(join(tmpdir(), "digits-ui-"));
      const notebooks = join(work, "notebooks");
      mkdirSync(notebooks);
      for (const name of NOTEBOOKS) {
        const nb = JSON.parse(readFileSync(join(ROOT, "notebooks", `${name}.ipynb`), "utf8"));
        nb.metadata.kernelspec = { ...nb.metadata.kernelspec, name: kernel };
        writeFileSync(join(notebooks, `${name}.ipynb`), JSON.stringify(nb));
      }
      // Deno resolves modules by the path it is given, not the link's target: beside dist/, the
      // package.json that says its .js files are CommonJS and the node_modules they require.
      symlinkSync(join(ROOT, "dist"), join(work, "dist"), "dir");
      symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"), "dir");
      symlinkSync(join(ROOT, "package.json"), join(work, "package.json"));
      for (const dir of ["config", "data", "runtime"]) mkdirSync(join(work, dir));
      const installed = installKernels();
      assert.ok(installed[kernel], `the ${kernel} kernel is not registered`);
      const port = await freePort();
      const env = jupyterEnv({
        ...process.env,
        JUPYTER_CONFIG_DIR: join(work, "config"),
        JUPYTER_DATA_DIR: join(work, "data"),
        JUPYTER_RUNTIME_DIR: join(work, "runtime"),
        DIGITS_QUICK: "1",
        DIGITS_EXPERIMENTS_DIR: join(work, "experiments"),
        DIGITS_MODEL_DIR: join(work, "model"),
        DIGITS_PAIRS_DIR: join(work, "pairs"),
      }, kernelDataDir());
      server = spawn(
        notebook.python!,
        [
          "-m", "notebook",
          "--no-browser",
          "--ip=127.0.0.1",
          `--port=${port}`,
          "--port-retries=0",
          `--NotebookApp.token=${token}`,
          `--notebook-dir=${notebooks}`,
          ...(isRoot() ? ["--allow-root"] : []),
        ],
        { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
      );
      server.stdout?.on("data", (chunk) => (serverLog += chunk));
      server.stderr?.on("data", (chunk) => (serverLog += chunk));
      base = `http://127.0.0.1:${port}`;
      await waitForServer(`${base}/api/status?token=${token}`, server, 60_000);
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close().catch(() => undefined);
      if (server && server.exitCode === null) {
        // Ask politely (kernels are shut down too), then make sure: the whole process group.
        await fetch(`${base}/api/shutdown?token=${token}`, { method: "POST" }).catch(() => undefined);
        const exited = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 10_000);
          server!.once("exit", () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        if (!exited && server.pid) {
          try {
            process.kill(-server.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
      if (work) rmSync(work, { recursive: true, force: true });
    });

    for (const name of NOTEBOOKS) {
      it(`${name}: Cell → Run All shows charts and tables, no errors, and says which kernel ran it`, available, async () => {
        const page = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
        const errors = collectErrors(page);
        try {
          await page.goto(`${base}/notebooks/${name}.ipynb?token=${token}`);
          await waitForKernelIdle(page, 60_000);
          await page.click("#celllink");
          await page.click("#run_all_cells > a");
          await waitForAllCellsRun(page, 240_000);
          const problems = await page.evaluate(() => ({
            errors: Array.from(document.querySelectorAll(".output_error")).map((e) => e.textContent ?? ""),
            stderr: Array.from(document.querySelectorAll(".output_stderr")).map((e) => e.textContent ?? ""),
          }));
          assert.deepEqual(problems.errors, [], `${name}: error output in the notebook`);
          assert.deepEqual(problems.stderr, [], `${name}: stderr output in the notebook`);
          assert.equal(await page.locator(`.output_area pre:has-text('Ran on ${kernel} ')`).count(), 1, `${name}: "Ran on ${kernel} …" in the imports cell`);
          const plots = await plotStates(page);
          assert.equal(plots.length, EXPECTED[name].charts, `${name}: chart containers`);
          plots.forEach((plot, i) => assert.ok(plot.rendered, `${name}: chart ${i + 1} (${plot.title || plot.id}) did not render`));
          const tables = await page.locator(".output_area .binary-digits-table table").count();
          assert.equal(tables, EXPECTED[name].tables, `${name}: HTML tables`);
          if (name === "03-training-and-evaluation") {
            // The live drawing pad and clickable cells, against `digits evaluate` on the model the notebook saved.
            const testCsv = ensureDefaultDataset().test;
            const test = loadCsv(testCsv);
            const cli = cliProbabilities(join(work, "model"), testCsv, join(work, "predictions.csv"));
            await page.waitForSelector(".output_area .binary-digits-draw[data-digits-ready]", { timeout: 30_000 });
            await checkDrawPad(page, page.locator(".output_area .binary-digits-draw"), { test, cli });
            await checkConfusionCells(page.locator(".output_area .binary-digits-cells"), { labels: test.labels, cli });
          }
          const lab = EXPECTED[name].lab;
          assert.deepEqual(await page.locator(".output_area [data-digits-lab]").evaluateAll((panels) => panels.map((p) => p.getAttribute("data-digits-lab"))), lab ? [lab] : [], `${name}: the lab's panels`);
          if (lab) await page.waitForSelector(`.output_area [data-digits-lab="${lab}"][data-digits-lab-state="ready"]`, { timeout: 60_000 });
          if (lab === "train") {
            // Retrained in the live notebook's page (a Web Worker from a blob URL): the weights the notebook saved.
            const panel = page.locator('.output_area [data-digits-lab="train"]');
            await runPanel(panel);
            assert.equal(await endState(panel), "done", await panelMessage(panel));
            assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), createHash("sha256").update(readFileSync(join(work, "model", "weights.bin"))).digest("hex"));
          }
          assert.equal(await page.locator(".output_area pre:has-text('DataFrame')").count(), 0, "a DataFrame printed as text");
          assert.deepEqual(problemsBesidesJupyterAssets(errors, base), [], `${name}: errors in the page`);
          mkdirSync(SCREENSHOTS, { recursive: true });
          const charts = page.locator(".binary-digits-plot");
          for (let i = 0; i < plots.length; i++) {
            await charts.nth(i).scrollIntoViewIfNeeded();
            await charts.nth(i).screenshot({ path: join(SCREENSHOTS, `notebook-ui-${kernel}-${name}-${i + 1}.png`) });
          }
        } catch (error) {
          await page.screenshot({ path: join(SCREENSHOTS, `notebook-ui-${kernel}-${name}-failure.png`) }).catch(() => undefined);
          throw new Error(`${(error as Error).message}\n--- Jupyter server log (tail) ---\n${serverLog.slice(-3000)}`);
        } finally {
          // Stop this notebook's kernel; the page goes without a "leave page?" prompt.
          await page.evaluate(() => (window as unknown as { Jupyter?: { notebook?: { session?: { delete(): void } } } }).Jupyter?.notebook?.session?.delete()).catch(() => undefined);
          await page.close();
        }
      });
    }
  });
}

/** The kernel has started and is idle (the indicator a user sees in the toolbar). */
async function waitForKernelIdle(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const nb = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook;
      const icon = document.querySelector("#kernel_indicator_icon");
      return !!nb?.kernel?.is_connected() && !!icon?.classList.contains("kernel_idle_icon");
    },
    null,
    { timeout: timeoutMs, polling: 250 },
  );
}

/** Every code cell shows a number in its prompt ("In [3]:", not "In [*]:") and the kernel is idle, or a cell failed. */
async function waitForAllCellsRun(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const prompts = Array.from(document.querySelectorAll(".code_cell .input_prompt")).map((p) => p.textContent ?? "");
      const icon = document.querySelector("#kernel_indicator_icon");
      const idle = !!icon?.classList.contains("kernel_idle_icon") && !prompts.some((p) => p.includes("*"));
      // After an error Jupyter skips the remaining cells: stop waiting and let the checks report it.
      const failed = document.querySelector(".output_error, .output_stderr") !== null;
      return idle && prompts.length > 0 && (failed || prompts.every((p) => /\[\d+\]/.test(p)));
    },
    null,
    { timeout: timeoutMs, polling: 500 },
  );
}
