// The report's lab against the command line, on the same machine (issue 26: at most 2× each):
// training 25-15 for 20 epochs in the train panel (a Web Worker in headless Chromium) against
// Node's training of the same network on the same rows (what `digits train` runs), and the default
// selection in the select panel (Web Workers, as many as the page sees cores, at most 8) against
// Node's selectCandidates on as many threads (what `digits select` runs). Each page is built by the
// panels' own builders and opened from disk; the page's time is from the click on its run button
// to its state "done", rows unpacked included.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import type { Dataset } from "../lib/data/dataset";
import { subset, trainTestSplit } from "../lib/data/split";
import { modelConfig } from "../lib/model/model";
import { trainSync } from "../lib/model/train";
import { LAB_MAX_THREADS } from "../lib/notebook/lab/lab-config";
import { selectLabHtml } from "../lib/notebook/lab/select-lab";
import { trainLabHtml } from "../lib/notebook/lab/train-lab";
import { chromiumPath } from "../lib/report/pdf";
import { selectCandidates } from "../lib/selection/select";

export interface LabTiming {
  what: string;
  nodeSeconds: number;
  pageSeconds: number;
  ratio: number;
}

/** Seconds from a click on the panel's run button to its state "done", in a page holding `body`. */
async function timePanel(browser: Browser, work: string, kind: "train" | "select", body: string): Promise<number> {
  const file = join(work, `${kind}.html`);
  writeFileSync(file, `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`);
  const context = await browser.newContext({ offline: true });
  try {
    const page = await context.newPage();
    await page.goto(`file://${file}`, { waitUntil: "load" });
    const panel = `[data-digits-lab="${kind}"]`;
    await page.waitForSelector(`${panel}[data-digits-lab-state="ready"]`);
    const started = performance.now();
    await page.click(`${panel} [data-digits-lab-run]`);
    await page.waitForSelector(`${panel}:is([data-digits-lab-state="done"], [data-digits-lab-state="error"])`, { timeout: 1_800_000 });
    const seconds = (performance.now() - started) / 1000;
    const state = await page.getAttribute(panel, "data-digits-lab-state");
    if (state !== "done") throw new Error(`the ${kind} panel ended in ${state}: ${await page.textContent(`${panel} [data-digits-lab-message]`)}`);
    return seconds;
  } finally {
    await context.close();
  }
}

/** Both timings on `full` (the training CSV): 25-15 × `epochs` as notebook 03 splits it, and the default selection. */
export async function timeLab(full: Dataset, test: Dataset, options: { epochs: number; selectionEpochs: number; folds: number }): Promise<LabTiming[]> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no Chromium to time the report's lab in: install chromium, or set CHROMIUM_PATH");
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const work = mkdtempSync(join(tmpdir(), "digits-bench-lab-"));
  try {
    const split = trainTestSplit(full.labels, { testFraction: 0.25, seed: 13, stratify: true });
    const rows = { fit: subset(full, split.train), validation: subset(full, split.test), test };
    const trainStarted = performance.now();
    const result = trainSync(rows.fit, modelConfig([25, 15]), { epochs: options.epochs, batchSize: 32, learningRate: 0.001, seed: 13, validation: rows.validation });
    const trainNode = (performance.now() - trainStarted) / 1000;
    const trainPage = await timePanel(browser, work, "train", trainLabHtml(result, rows));

    const threads = Math.min(LAB_MAX_THREADS, Number(await browser.newPage().then((p) => p.evaluate("navigator.hardwareConcurrency"))));
    const selectStarted = performance.now();
    const record = await selectCandidates(full, { threads, epochs: options.selectionEpochs, folds: options.folds });
    const selectNode = (performance.now() - selectStarted) / 1000;
    const selectPage = await timePanel(browser, work, "select", selectLabHtml(record, full));
    return [
      { what: `train 25-15, ${options.epochs} epochs, ${rows.fit.rows} rows (validation after every epoch)`, nodeSeconds: trainNode, pageSeconds: trainPage, ratio: trainPage / trainNode },
      { what: `default selection, ${options.folds} folds × ${options.selectionEpochs} epochs, ${threads} threads`, nodeSeconds: selectNode, pageSeconds: selectPage, ratio: selectPage / selectNode },
    ];
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
}
