// Shared by the browser tests of the report's lab (a page built by lib/notebook/lab, reports 02 and
// 03): fill a panel's fields and run it, wait for its run to end, read its record back.
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import type { LabRecord } from "../../lib/notebook/lab/lab-config";
import type { ExperimentRecord } from "../../lib/selection/record";

/** The lab panel `kind` of a report open in `page`, once it is ready. */
export async function readyPanel(page: Page, kind: "train" | "select"): Promise<Locator> {
  await page.waitForSelector(`[data-digits-lab="${kind}"][data-digits-lab-state="ready"]`, { timeout: 60_000 });
  return page.locator(`[data-digits-lab="${kind}"]`);
}

/** Fills the panel's fields (a select by its option's value, else a text field) and clicks its run button. */
export async function runPanel(panel: Locator, fields: Readonly<Record<string, string>> = {}): Promise<void> {
  for (const [name, value] of Object.entries(fields)) {
    const field = panel.locator(`[name="${name}"]`);
    if ((await field.evaluate((e) => e.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await panel.locator("[data-digits-lab-run]").click();
}

/** The panel's data-digits-lab-state once its run has ended: done, stopped or error. */
export async function endState(panel: Locator, timeout = 300_000): Promise<string> {
  await panel.page().waitForFunction((root) => !["ready", "running"].includes(root!.getAttribute("data-digits-lab-state") ?? ""), await panel.elementHandle(), { timeout });
  return (await panel.getAttribute("data-digits-lab-state")) ?? "";
}

/** What the panel says (its message: the progress, the result, or what is wrong). */
export async function panelMessage(panel: Locator): Promise<string> {
  return (await panel.locator("[data-digits-lab-message]").textContent()) ?? "";
}

/** The select panel's data-digits-lab-record, parsed (null before a run is done). */
export async function pageRecord(panel: Locator): Promise<LabRecord | null> {
  return JSON.parse((await panel.getAttribute("data-digits-lab-record")) ?? "null") as LabRecord | null;
}

/** Every fold's scores of a record, as the select panel's record lists them. */
export function recordFolds(record: ExperimentRecord): LabRecord["folds"] {
  return record.folds.map((f) => ({ candidate: f.architecture, repeat: f.repeat ?? 0, fold: f.fold, logLoss: f.logLoss, accuracy: f.accuracy }));
}

/** The record's summary, as the select panel's record lists it. */
export function recordSummary(record: ExperimentRecord): LabRecord["summary"] {
  return record.summary.map((s) => ({ candidate: s.architecture, folds: s.folds, meanLogLoss: s.meanLogLoss, meanAccuracy: s.meanAccuracy }));
}

/** Runs the select panel with the notebook's settings: it must end done with every fold's scores, the summary and the winner of `record`. */
export async function rerunsRecord(panel: Locator, record: ExperimentRecord): Promise<void> {
  await runPanel(panel);
  assert.equal(await endState(panel), "done", await panelMessage(panel));
  const page = (await pageRecord(panel))!;
  assert.deepEqual(page.folds, recordFolds(record));
  assert.deepEqual(page.summary, recordSummary(record));
  assert.equal(page.winner, record.winner.architecture);
}
