// The report's lab in reports 02 and 03 (the shared quick tslab run, 0 vs 1), opened in Chromium
// from disk with the network off: report 03's train panel gives the SHA-256 of the weights.bin
// notebook 03 saved, and with other settings that of notebook 03 run with them (DIGITS_LAYERS,
// DIGITS_ACTIVATION, DIGITS_LEARNING_RATE, DIGITS_EPOCHS: the shared run of 03 on another network,
// on Deno); report 02's select panel gives every fold's scores of notebook 02's record, and a
// changed grid keeps the unchanged candidates'; printed, each panel is one line; `--no-lab` leaves
// the panels out. Each report is opened once, printed before its panel runs, and its panel run
// again with other settings, as a reader would.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator } from "playwright-core";
import { listExperiments } from "../../lib/selection/experiments";
import type { ExperimentRecord } from "../../lib/selection/record";
import { kernelAvailable, launchChromium, openOffline, type OfflinePage } from "../support/integration";
import { endState, pageRecord, panelMessage, readyPanel, recordFolds, rerunsRecord, runPanel } from "../support/lab";
import { sharedReport } from "../support/shared-reports";

const SELECT = "02-model-selection";
const TRAIN = "03-training-and-evaluation";
const weightsSha = (model: string) => createHash("sha256").update(readFileSync(join(model, "weights.bin"))).digest("hex");

describe("the report's lab in reports 02 and 03", { timeout: 1_800_000 }, () => {
  const available = kernelAvailable("deno");
  let browser: Browser | null = null;
  let reports = { out: "", model: "" };
  let other = { out: "", model: "" };
  let record: ExperimentRecord;
  // Reports 03 and 02, each opened once, when a test first needs it (and its panel then ready): a
  // reader who prints the page, runs its panel, and runs it again with other settings.
  const opened = new Map<string, Promise<OfflinePage & { panel: Locator }>>();
  const panelOf = (name: string, kind: "train" | "select") => {
    if (!opened.has(name)) {
      const report = openOffline(browser!, join(reports.out, `${name}.html`));
      opened.set(name, report.then(async (r) => ({ ...r, panel: await readyPanel(r.page, kind) })));
    }
    return opened.get(name)!;
  };

  before(async () => {
    if (available.skip) return;
    // The quick tslab run other test files read too (only read here).
    const shared = await sharedReport("tslab");
    reports = { out: shared.out, model: join(shared.work, "model") };
    [record] = listExperiments(join(shared.work, "experiments"));
    // Notebook 03 with other settings, without the lab (shared too): its weights are what the panel must give.
    const otherNetwork = await sharedReport("03-other-network");
    other = { out: otherNetwork.out, model: join(otherNetwork.work, "model") };
    browser = await launchChromium();
  });

  after(async () => {
    for (const page of opened.values()) await (await page.catch(() => null))?.close();
    await browser?.close();
  });

  it("prints each panel as one line saying the HTML version can retrain", available, async () => {
    for (const [name, kind, line] of [
      [TRAIN, "train", "Train it yourself: the HTML version of this report retrains this network in your browser, with settings of your choice."],
      [SELECT, "select", "Rerun the selection: the HTML version of this report reruns this selection in your browser, with candidates and settings of your choice."],
    ] as const) {
      const { panel, errors } = await panelOf(name, kind);
      await panel.page().emulateMedia({ media: "print" });
      assert.equal((await panel.innerText()).trim(), line);
      await panel.page().emulateMedia({ media: "screen" });
      assert.deepEqual(errors, []);
    }
  });

  it("report 03's train panel, with the notebook's settings, gives the SHA-256 of the weights.bin notebook 03 saved", available, async () => {
    const { panel, errors } = await panelOf(TRAIN, "train");
    await runPanel(panel);
    assert.equal(await endState(panel), "done", await panelMessage(panel));
    assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), weightsSha(reports.model));
    const saved = JSON.parse(readFileSync(join(reports.model, "training.json"), "utf8")) as { notes: { test: { accuracy: number } } };
    assert.equal(Number(await panel.getAttribute("data-digits-lab-test-accuracy")), saved.notes.test.accuracy);
    assert.deepEqual(errors, []);
  });

  it("report 03's train panel, run again with other layers, activation, learning rate and epochs, gives the SHA-256 of notebook 03 run with them", available, async () => {
    const expected = weightsSha(other.model);
    assert.notEqual(expected, weightsSha(reports.model));
    const { panel, errors } = await panelOf(TRAIN, "train");
    await runPanel(panel, { layers: "8", activation: "relu", "learning-rate": "0.003", epochs: "2" });
    assert.equal(await endState(panel), "done", await panelMessage(panel));
    assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), expected);
    assert.deepEqual(errors, []);
  });

  it("report 02's select panel, with the notebook's settings, gives every fold's scores, the summary and the winner of its record", available, async () => {
    const { panel, errors } = await panelOf(SELECT, "select");
    await rerunsRecord(panel, record);
    assert.deepEqual(errors, []);
  });

  it("report 02's select panel, run again with a candidate unticked and one added, keeps the fold scores of those unchanged", available, async () => {
    const { panel, errors } = await panelOf(SELECT, "select");
    await panel.locator('input[name="candidate"][value="8"]').uncheck();
    await runPanel(panel, { candidates: "4" });
    assert.equal(await endState(panel), "done", await panelMessage(panel));
    const page = (await pageRecord(panel))!;
    const kept = recordFolds(record).filter((f) => f.candidate !== "8");
    assert.equal(kept.length, 2 * record.config.folds);
    assert.deepEqual(page.folds.filter((f) => f.candidate !== "4"), kept);
    assert.equal(page.folds.filter((f) => f.candidate === "4").length, record.config.folds);
    assert.deepEqual(errors, []);
  });

  it("leaves the panels and their rows out with --no-lab", available, () => {
    const html = readFileSync(join(other.out, `${TRAIN}.html`), "utf8");
    assert.doesNotMatch(html, /data-digits-lab=/);
    assert.ok(html.length < readFileSync(join(reports.out, `${TRAIN}.html`), "utf8").length - 2_000_000);
  });
});
