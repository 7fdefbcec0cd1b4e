// The select panel in Chromium, on a page built by lib/notebook/lab/select-lab.ts (no Jupyter needed;
// report 02's panel is checked in test/report/lab.test.ts): opened from disk offline, it reruns the
// selection in Web Workers, and every fold's scores equal those of the record Node made with the
// same settings; a changed grid keeps the unchanged candidates' fold scores; bad input shows a
// message; stop stops.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { loadCsv } from "../../../lib/data/csv";
import type { Dataset } from "../../../lib/data/dataset";
import { ensureDefaultDataset } from "../../../lib/data/default-files";
import type { ExperimentRecord } from "../../../lib/selection/record";
import { selectCandidates } from "../../../lib/selection/select";
import { selectLabHtml } from "../../../lib/notebook/lab/select-lab";
import { collectErrors, launchChromium, skipUnlessAvailable } from "../../support/integration";
import { endState, pageRecord, panelMessage, recordFolds, recordSummary } from "../../support/lab";

const settings = { grid: [[], [4]], folds: 3, epochs: 1, batchSize: 32, seed: 13, threads: 2 };

describe("the select panel in Chromium", { timeout: 600_000 }, () => {
  const available = skipUnlessAvailable([]);
  let work = "";
  let browser: Browser | null = null;
  let dataset: Dataset;
  let record: ExperimentRecord;
  let file = "";

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-lab-select-"));
    dataset = loadCsv(ensureDefaultDataset().train);
    record = await selectCandidates(dataset, settings);
    file = join(work, "lab.html");
    writeFileSync(file, `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${selectLabHtml(record, dataset)}\n</body></html>\n`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function open(): Promise<{ context: BrowserContext; tab: Page; panel: Locator; errors: ReturnType<typeof collectErrors> }> {
    const context = await browser!.newContext({ offline: true, viewport: { width: 1100, height: 1000 } });
    const tab = await context.newPage();
    const errors = collectErrors(tab);
    await tab.goto(`file://${file}`, { waitUntil: "load" });
    await tab.waitForSelector('[data-digits-lab="select"][data-digits-lab-state="ready"]', { timeout: 20_000 });
    return { context, tab, panel: tab.locator('[data-digits-lab="select"]'), errors };
  }

  it("with the notebook's settings, gives every fold's scores, the summary and the winner of its record", available, async () => {
    const { context, panel, errors } = await open();
    try {
      await panel.locator("[data-digits-lab-run]").click();
      assert.equal(await endState(panel), "done", await panelMessage(panel));
      const page = (await pageRecord(panel))!;
      assert.deepEqual(page.folds, recordFolds(record));
      assert.deepEqual(page.summary, recordSummary(record));
      assert.equal(page.winner, record.winner.architecture);
      assert.match(await panelMessage(panel), /same log loss and accuracy, to the last bit/);
      assert.match((await panel.locator("[data-digits-lab-results]").textContent()) ?? "", /Winner: /);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("with a changed grid, keeps the fold scores of the candidates left unchanged and gives Node's for the new ones", available, async () => {
    const { context, panel, errors } = await open();
    try {
      await panel.locator('input[name="candidate"][value="4"]').uncheck();
      await panel.locator('input[name="candidates"]').fill("2");
      await panel.locator("[data-digits-lab-run]").click();
      assert.equal(await endState(panel), "done", await panelMessage(panel));
      const page = (await pageRecord(panel))!;
      const node = await selectCandidates(dataset, { ...settings, grid: [[], [2]] });
      assert.deepEqual(page.folds, recordFolds(node));
      assert.deepEqual(
        page.folds.filter((f) => f.candidate === "logistic"),
        recordFolds(record).filter((f) => f.candidate === "logistic"),
      );
      assert.equal(page.folds.filter((f) => f.candidate === "logistic").length, 3);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("shows what is wrong with bad candidates, folds or no candidate at all, and throws nothing to the console", available, async () => {
    const { context, panel, errors } = await open();
    try {
      for (const [field, value, message] of [
        ["candidates", "abc", /candidates: /],
        ["folds", "1", /fold/],
        ["epochs", "x", /epochs: "x" is not a whole number/],
      ] as const) {
        await panel.locator(`input[name="${field}"]`).fill(value);
        await panel.locator("[data-digits-lab-run]").click();
        assert.equal(await endState(panel), "error", `${field} ${value}`);
        const said = await panelMessage(panel);
        assert.match(said, message, said);
        assert.doesNotMatch(said, /a bug/, said);
        await panel.locator(`input[name="${field}"]`).fill(field === "candidates" ? "" : field === "folds" ? "3" : "1");
      }
      for (const box of await panel.locator('input[name="candidate"]').all()) await box.uncheck();
      await panel.locator("[data-digits-lab-run]").click();
      assert.equal(await endState(panel), "error");
      assert.match(await panelMessage(panel), /no candidates/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("stops when asked", available, async () => {
    const { context, tab, panel, errors } = await open();
    try {
      await panel.locator('input[name="epochs"]').fill("200");
      await panel.locator("[data-digits-lab-run]").click();
      await tab.waitForFunction((root) => root!.getAttribute("data-digits-lab-state") === "running", await panel.elementHandle());
      await tab.waitForTimeout(1500);
      await panel.locator("[data-digits-lab-stop]").click();
      assert.equal(await endState(panel), "stopped");
      assert.equal(await panel.getAttribute("data-digits-lab-record"), null);
      assert.match(await panelMessage(panel), /Stopped/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
