import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ClassificationMetrics } from "../../lib/evaluation/metrics";
import { chooseWinner, summarise } from "../../lib/selection/one-se";
import { type ExperimentRecord, type FoldResult } from "../../lib/selection/record";
import { logLossByRun, metricsRows, qualityRows, runRows, selectionRows, winnerMarkdown } from "../../lib/notebook/tables";

function fold(architecture: string, hidden: number[], parameters: number, f: number, logLoss: number): FoldResult {
  return {
    architecture, hidden, activation: "sigmoid", learningRate: 0.001, fold: f, seed: 1, parameters, trainRows: 8, validationRows: 2,
    accuracy: 0.99, precision: 1, recall: 0.98, f1: 0.99, logLoss, auc: 1,
    confusionMatrix: [[1, 0], [0, 1]], seconds: 2, history: { loss: [], acc: [] },
  };
}

function record(id: string, losses: { logistic: [number, number]; "25-15": [number, number] }): ExperimentRecord {
  const grid = [[], [25, 15]];
  const summary = summarise(
    [
      fold("logistic", [], 785, 0, losses.logistic[0]), fold("logistic", [], 785, 1, losses.logistic[1]),
      fold("25-15", [25, 15], 20031, 0, losses["25-15"][0]), fold("25-15", [25, 15], 20031, 1, losses["25-15"][1]),
    ],
    grid,
  );
  return {
    id,
    seconds: 12.5,
    workers: 2,
    config: { grid, activations: ["sigmoid"], learningRates: [0.001], folds: 2, epochs: 20, batchSize: 32, seed: 13 },
    data: { rows: 100, cols: 784, fingerprint: "abc" },
    summary,
    winner: chooseWinner(summary),
  } as unknown as ExperimentRecord;
}

describe("qualityRows", () => {
  it("lists each check with its count", () => {
    const rows = qualityRows({ rows: 10, columns: 785, missingCells: 0, duplicateRows: 2, conflictingDuplicates: 1, blankPixels: 67 });
    assert.deepEqual(rows.map((r) => r.count), [10, 785, 0, 2, 1, 67]);
    assert.equal(rows[3].check, "duplicate rows (same image, same label)");
  });
});

describe("metricsRows", () => {
  it("gives one row per set with the reference's metrics, log loss, AUC and the error count", () => {
    const m: ClassificationMetrics = { count: 10, accuracy: 0.8, precision: 0.75, recall: 1, f1: 6 / 7, logLoss: 0.4, auc: 0.9, confusionMatrix: [[5, 1], [1, 3]] };
    assert.deepEqual(metricsRows({ test: m }), [
      { set: "test", images: 10, accuracy: 0.8, precision: 0.75, recall: 1, F1: 6 / 7, "log loss": 0.4, AUC: 0.9, errors: 2 },
    ]);
  });
});

describe("selection tables", () => {
  const r = record("run-1", { logistic: [0.03, 0.05], "25-15": [0.01, 0.03] });

  it("shows mean ± sd per architecture in grid order and stars the winner", () => {
    const rows = selectionRows(r);
    assert.deepEqual(rows.map((x) => x.architecture), ["logistic", "25-15 ★"]);
    assert.equal(rows[1]["log loss (mean ± sd)"], "0.02000 ± 0.01414");
    assert.equal(rows[0].layers, "784→1");
    assert.equal(rows[1].layers, "784→25→15→1");
  });

  it("adds a diverged column only when a candidate diverged, with its count of folds", () => {
    assert.ok(selectionRows(r).every((row) => !("diverged" in row)), "the usual table is unchanged");
    const summary = r.summary.map((s) => (s.architecture === "logistic" ? { ...s, divergedFolds: 1 } : s));
    const rows = selectionRows({ ...r, summary });
    assert.deepEqual(rows.map((row) => row.diverged), ["1 of 2 folds", ""]);
  });

  it("takes the input width from the record's data, not a fixed 784", () => {
    const small = { ...r, data: { ...r.data, cols: 64 } };
    assert.deepEqual(selectionRows(small).map((x) => x.layers), ["64→1", "64→25→15→1"]);
    assert.match(winnerMarkdown(small), /\(64→25→15→1, /);
  });

  it("states the winner, the rule and the record", () => {
    const text = winnerMarkdown(r, "reports/experiments/run-1.json");
    assert.match(text, /^\*\*Winner: 25-15\*\* \(784→25→15→1, 20,031 parameters\), chosen by the one-standard-error rule over 2 folds × 20 epochs\./);
    assert.match(text, /Record: <code>reports&#47;experiments&#47;run&#45;1&#46;json<\/code> \(12\.5 s on 2 threads\)\.$/);
  });

  it("shows a hostile record path as text: no tag but its code element, no backtick", () => {
    const text = winnerMarkdown(r, "x`<img src=x onerror=alert(1)>`.json");
    assert.match(text, /Record: <code>x&#96;&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;&#96;&#46;json<\/code> /);
  });

  it("compares runs: one row each, and log loss per architecture across runs", () => {
    const older = record("run-0", { logistic: [0.02, 0.02], "25-15": [0.04, 0.04] });
    const rows = runRows([older, r]);
    assert.deepEqual(rows.map((x) => [x.run, x.winner, x.grid]), [["run-0", "logistic", "logistic 25-15"], ["run-1", "25-15", "logistic 25-15"]]);
    const noted = runRows([{ ...older, note: "<b>more epochs</b>", tags: ["base", "v2"] }])[0];
    assert.deepEqual([noted.tags, noted.note], ["base, v2", "<b>more epochs</b>"]);
    const table = logLossByRun([older, r]);
    assert.deepEqual(table.columns, ["architecture", "parameters", "run-0 (2×20)", "run-1 (2×20)"]);
    assert.deepEqual(table.rows, [["logistic", 785, "0.02000 ★", "0.04000"], ["25-15", 20031, "0.04000", "0.02000 ★"]]);
  });
});
