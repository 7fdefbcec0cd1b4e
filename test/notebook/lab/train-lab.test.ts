// The train panel in Chromium, on a page built by lib/notebook/lab/train-lab.ts (no Jupyter needed;
// report 03's panel is checked in test/report/lab.test.ts): opened from disk offline, it retrains
// in a Web Worker on the embedded rows, and its weights' SHA-256 is that of the weights.bin Node
// saves for the same settings; bad input shows a message; stop stops while the page stays
// responsive; the drawing pad switches to the new network and back.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { loadCsv } from "../../../lib/data/csv";
import type { Dataset } from "../../../lib/data/dataset";
import { ensureDefaultDataset } from "../../../lib/data/default-files";
import { subset, trainTestSplit } from "../../../lib/data/split";
import { evaluateSet } from "../../../lib/evaluation/evaluate";
import { modelConfig, weightsBytes, type Activation, type Network } from "../../../lib/model/model";
import { saveTrained } from "../../../lib/model/persist";
import { trainSync, type TrainResult } from "../../../lib/model/train";
import { drawPadHtml } from "../../../lib/notebook/draw/draw";
import { forwardProbability } from "../../../lib/notebook/draw/network";
import { trainLabHtml, type TrainLabRows } from "../../../lib/notebook/lab/train-lab";
import { padInput, padState, verticalStroke } from "../../support/draw";
import { collectErrors, launchChromium, skipUnlessAvailable } from "../../support/integration";
import { endState, panelMessage, runPanel } from "../../support/lab";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Notebook 03's rows: the training CSV split 3:1, stratified, with the seed; the test CSV. */
function notebookRows(seed: number): TrainLabRows {
  const files = ensureDefaultDataset();
  const all = loadCsv(files.train);
  const split = trainTestSplit(all.labels, { testFraction: 0.25, seed, stratify: true });
  return { fit: subset(all, split.train), validation: subset(all, split.test), test: loadCsv(files.test) };
}

interface Settings {
  layers: number[];
  activation: Activation;
  learningRate: number;
  epochs: number;
  seed: number;
}

function trainInNode(rows: TrainLabRows, s: Settings): TrainResult {
  return trainSync(rows.fit, modelConfig(s.layers, s.activation), { epochs: s.epochs, batchSize: 32, learningRate: s.learningRate, seed: s.seed, validation: rows.validation });
}

describe("the train panel in Chromium", { timeout: 600_000 }, () => {
  const available = skipUnlessAvailable([]);
  const notebook: Settings = { layers: [25, 15], activation: "sigmoid", learningRate: 0.001, epochs: 2, seed: 13 };
  let work = "";
  let browser: Browser | null = null;
  let rows: TrainLabRows;
  let result: TrainResult;
  let file = "";
  let savedSha = "";

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-lab-train-"));
    rows = notebookRows(notebook.seed);
    result = trainInNode(rows, notebook);
    const saved = await saveTrained(join(work, "model"), result, rows.fit);
    savedSha = sha256(readFileSync(join(saved, "weights.bin")));
    const probabilities = evaluateSet(result.network, rows.test, 0.5).probabilities;
    const body = trainLabHtml(result, rows) + "\n" + drawPadHtml(result.network, rows.test, { probabilities });
    file = join(work, "lab.html");
    writeFileSync(file, `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The page opened from disk with the network off; the panel once its script has shown it. */
  async function open(): Promise<{ context: BrowserContext; tab: Page; panel: Locator; errors: ReturnType<typeof collectErrors> }> {
    const context = await browser!.newContext({ offline: true, viewport: { width: 1100, height: 1000 } });
    const tab = await context.newPage();
    const errors = collectErrors(tab);
    await tab.goto(`file://${file}`, { waitUntil: "load" });
    const panel = tab.locator('[data-digits-lab="train"]');
    await tab.waitForSelector('[data-digits-lab="train"][data-digits-lab-state="ready"]', { timeout: 20_000 });
    return { context, tab, panel, errors };
  }

  it("with the notebook's settings, trains weights whose SHA-256 is the saved weights.bin's, and the notebook's test accuracy", available, async () => {
    const { context, panel, errors } = await open();
    try {
      assert.equal(await panel.locator('input[name="layers"]').inputValue(), "25,15");
      assert.equal(await panel.locator('input[name="epochs"]').inputValue(), "2");
      await runPanel(panel, {});
      assert.equal(await endState(panel), "done", await panelMessage(panel));
      assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), savedSha);
      assert.equal(Number(await panel.getAttribute("data-digits-lab-test-accuracy")), evaluateSet(result.network, rows.test, 0.5).metrics.accuracy);
      assert.equal(await panel.getAttribute("data-digits-lab-epochs"), "2");
      assert.match((await panel.locator("[data-digits-lab-results]").textContent()) ?? "", /byte-identical to the notebook's model/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("with other layers, activation, learning rate, epochs and seed, trains the weights Node trains with them on the same rows", available, async () => {
    const other: Settings = { layers: [8], activation: "relu", learningRate: 0.003, epochs: 3, seed: 5 };
    const expected = sha256(weightsBytes(trainInNode(rows, other).network));
    assert.notEqual(expected, savedSha);
    const { context, panel, errors } = await open();
    try {
      await runPanel(panel, { layers: "8", activation: "relu", "learning-rate": "0.003", epochs: "3", seed: "5" });
      assert.equal(await endState(panel), "done", await panelMessage(panel));
      assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), expected);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("shows what is wrong with layers 0, abc or a network too big for the page, and throws nothing to the console", available, async () => {
    const { context, panel, errors } = await open();
    try {
      for (const [layers, message] of [
        ["0", /hidden layers/],
        ["abc", /hidden layers/],
        ["20000,20000", /memory/],
      ] as const) {
        await runPanel(panel, { layers });
        assert.equal(await endState(panel), "error", `layers ${layers}`);
        const said = await panelMessage(panel);
        assert.match(said, message, `layers ${layers}: ${said}`);
        assert.doesNotMatch(said, /a bug/, `layers ${layers}: ${said}`);
        assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), null);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("stops when asked, keeping the page responsive while it trains", available, async () => {
    const { context, tab, panel, errors } = await open();
    try {
      await runPanel(panel, { epochs: "500" });
      await tab.waitForFunction((root) => Number(root!.getAttribute("data-digits-lab-epochs") ?? 0) >= 1, await panel.elementHandle(), { timeout: 60_000 });
      // The work is in a worker: the main thread answers a click at once.
      const answered = await tab.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const button = document.createElement("button");
            document.body.append(button);
            const start = performance.now();
            button.addEventListener("click", () => resolve(performance.now() - start));
            setTimeout(() => button.click(), 0);
          }),
      );
      assert.ok(answered < 200, `a click took ${answered} ms to be answered`);
      await panel.locator("[data-digits-lab-stop]").click();
      assert.equal(await endState(panel), "stopped");
      const epochs = Number(await panel.getAttribute("data-digits-lab-epochs"));
      assert.ok(epochs >= 1 && epochs < 500);
      await tab.waitForTimeout(1500);
      assert.equal(Number(await panel.getAttribute("data-digits-lab-epochs")), epochs, "epochs still arrive after stop");
      assert.match(await panelMessage(panel), /Stopped after/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("switches the drawing pad to the network it trained, and back to the notebook's", available, async () => {
    const other: Settings = { layers: [4], activation: "tanh", learningRate: 0.01, epochs: 1, seed: 7 };
    const lab: Network = trainInNode(rows, other).network;
    const { context, tab, panel, errors } = await open();
    try {
      const pad = tab.locator(".binary-digits-draw");
      await tab.waitForSelector(".binary-digits-draw[data-digits-ready]", { timeout: 10_000 });
      assert.equal(await pad.getAttribute("data-digits-network"), "notebook");
      assert.equal(await pad.locator("[data-digits-model-choice]").isVisible(), false);
      await runPanel(panel, { layers: "4", activation: "tanh", "learning-rate": "0.01", epochs: "1", seed: "7" });
      assert.equal(await endState(panel), "done");
      assert.equal(await pad.getAttribute("data-digits-network"), "lab");
      assert.equal(await pad.locator("[data-digits-model-choice]").isVisible(), true);
      await verticalStroke(tab, pad);
      await tab.waitForTimeout(300);
      const input = await padInput(pad);
      assert.equal((await padState(pad)).value, forwardProbability(lab.layers, lab.config.activation, input));
      await pad.locator("[data-digits-model]").selectOption("notebook");
      assert.equal(await pad.getAttribute("data-digits-network"), "notebook");
      assert.equal((await padState(pad)).value, forwardProbability(result.network.layers, result.network.config.activation, input));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
