import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { parameterCount, modelConfig } from "../../lib/model/model";
import { DEFAULT_GRID } from "../../lib/selection/config";
import { chooseWinner } from "../../lib/selection/one-se";
import { selectCandidates, type SelectionOptions } from "../../lib/selection/select";
import { SelectionCancelled } from "../../lib/selection/scheduler";
import { type ExperimentRecord, type FoldResult } from "../../lib/selection/record";
import { FoldCache } from "../../lib/selection/fold-cache";
import { experimentRows } from "../../lib/selection/record-diff";
import { TrainingDiverged } from "../../lib/model/train";

import { smallData, SMALL, tempDir } from "../support/selection-data";

/** The record without what legitimately differs between runs: ids, clocks and worker count. */
function numbers(record: ExperimentRecord): unknown {
  return {
    config: record.config,
    data: record.data,
    folds: record.folds.map(({ seconds, ...rest }) => rest),
    summary: record.summary.map(({ meanSeconds, sdSeconds, ...rest }) => rest),
    winner: record.winner,
  };
}

describe("cross-validated selection", () => {
  test("the same seed gives the same numbers twice, in process and on 2 threads", async () => {
    const data = smallData();
    const serial = await selectCandidates(data, { ...SMALL, threads: 1 });
    const again = await selectCandidates(data, { ...SMALL, threads: 1 });
    const parallel = await selectCandidates(data, { ...SMALL, threads: 2 });
    assert.equal(parallel.workers, 2);
    assert.deepEqual(numbers(again), numbers(serial));
    assert.deepEqual(numbers(parallel), numbers(serial));
  });

  test("records one result per architecture and fold, in grid then fold order, with every metric", async () => {
    const record = await selectCandidates(smallData(), { ...SMALL, threads: 1 });
    assert.deepEqual(
      record.folds.map((f) => `${f.architecture}/${f.fold}`),
      ["logistic/0", "logistic/1", "logistic/2", "8/0", "8/1", "8/2"],
    );
    for (const f of record.folds) {
      for (const key of ["accuracy", "precision", "recall", "f1", "logLoss", "auc", "seconds"] as const) {
        assert.ok(Number.isFinite(f[key]), `${f.architecture}/${f.fold} ${key} = ${f[key]}`);
      }
      assert.equal(f.parameters, parameterCount(modelConfig(f.hidden)));
      assert.equal(f.trainRows + f.validationRows, 300);
      assert.equal(f.history.loss.length, 2);
    }
    assert.deepEqual(record.summary.map((s) => s.architecture), ["logistic", "8"]);
    assert.equal(record.data.rows, 300);
    // The record's winner is the one-SE rule applied to its own summary.
    assert.deepEqual(record.winner, chooseWinner(record.summary));
    // After 2 epochs on 200 rows the 8-unit network is far from trained (log loss ≈ 0.52 vs 0.43):
    // logistic regression is the best and the smallest, and the reason says exactly that.
    assert.equal(record.winner.best, "logistic");
    assert.equal(record.winner.architecture, "logistic");
    assert.match(record.winner.reason, /^logistic has the lowest mean validation log loss \(.*\) and is also the smallest network in the grid \(785 parameters\)\.$/);
  });

  test("an architecture's numbers do not depend on the rest of the grid (seeds come from its sizes and the fold)", async () => {
    const both = await selectCandidates(smallData(), { ...SMALL, threads: 1 });
    const alone = await selectCandidates(smallData(), { ...SMALL, grid: [[8]], threads: 1 });
    const strip = (f: FoldResult) => ({ ...f, seconds: 0 });
    assert.deepEqual(alone.folds.map(strip), both.folds.filter((f) => f.architecture === "8").map(strip));
  });

  test("a different seed gives different numbers", async () => {
    const a = await selectCandidates(smallData(), { ...SMALL, grid: [[]], threads: 1 });
    const b = await selectCandidates(smallData(), { ...SMALL, grid: [[]], seed: 14, threads: 1 });
    assert.notDeepEqual(a.folds.map((f) => f.logLoss), b.folds.map((f) => f.logLoss));
  });

  for (const workers of [1, 2]) {
    test(`aborting stops the run with SelectionCancelled (workers: ${workers})`, async () => {
      const controller = new AbortController();
      await assert.rejects(
        selectCandidates(smallData(), {
          ...SMALL,
          epochs: 50,
          threads: workers,
          signal: controller.signal,
          onProgress: () => controller.abort(),
        }),
        SelectionCancelled,
      );
    });
  }

  test("reports progress with the candidate, fold, epoch and a remaining-time estimate", async () => {
    const seen: { kind: string; candidate: string; fold: number; epoch: number; remaining: number | null; fraction: number }[] = [];
    await selectCandidates(smallData(), {
      ...SMALL,
      threads: 1,
      onProgress: (p) => seen.push({ kind: p.kind, candidate: p.candidate, fold: p.fold, epoch: p.epoch, remaining: p.remainingSeconds, fraction: p.fraction }),
    });
    // 2 candidates × 3 folds × (2 epochs + 1 scored fold)
    assert.equal(seen.length, 18);
    // The costliest candidate runs first, so the time estimate rests on it early.
    assert.deepEqual(seen.slice(0, 3).map((s) => [s.kind, s.candidate, s.fold, s.epoch]), [
      ["epoch", "8", 0, 1],
      ["epoch", "8", 0, 2],
      ["fold", "8", 0, 2],
    ]);
    assert.deepEqual(
      seen.filter((s) => s.kind === "fold").map((s) => `${s.candidate}/${s.fold}`).sort(),
      ["8/0", "8/1", "8/2", "logistic/0", "logistic/1", "logistic/2"],
    );
    assert.ok(seen.every((s) => s.remaining !== null && s.remaining >= 0));
    assert.equal(seen[seen.length - 1].fraction, 1);
  });

  test("bad settings are InputErrors before any training", async () => {
    await assert.rejects(selectCandidates(smallData(), { grid: [] }), InputError);
    await assert.rejects(selectCandidates(smallData(), { grid: [[8], [8]] }), /twice/);
    await assert.rejects(selectCandidates(smallData(), { folds: 1 }), InputError);
    await assert.rejects(selectCandidates(smallData(), { threads: 0 }), InputError);
    await assert.rejects(selectCandidates(smallData(), { epochs: 0 }), InputError);
  });

  test("a candidate whose training diverges is marked, not scored, and cannot win; the run goes on, in process and in workers", async () => {
    // At a learning rate of 10 with sigmoid units, logistic regression blows up in 2 of 3 folds
    // and 25-15 in all 3; 8 trains (badly, but with a finite loss).
    const options: SelectionOptions = { grid: [[], [8], [25, 15]], folds: 3, epochs: 2, seed: 13, learningRate: 10, activation: "sigmoid" };
    const serial = await selectCandidates(smallData(), { ...options, threads: 1 });
    assert.deepEqual(serial.summary.map((s) => [s.architecture, s.divergedFolds]), [["logistic", 2], ["8", 0], ["25-15", 3]]);
    assert.equal(serial.winner.architecture, "8");
    assert.match(serial.winner.reason, /Not considered, as training diverged: logistic, 25-15\.$/);
    const diverged = serial.folds.filter((f) => f.diverged);
    assert.equal(diverged.length, 5);
    for (const f of diverged) {
      assert.ok(Number.isNaN(f.logLoss) && Number.isNaN(f.accuracy), "a diverged fold is not scored");
      assert.equal(f.history.loss.length, f.diverged!.epoch, "training stopped at the diverged epoch");
      assert.ok(!(f.diverged!.loss <= 10 * Math.LN2), `loss ${f.diverged!.loss}`);
    }
    assert.ok(serial.folds.filter((f) => !f.diverged).every((f) => Number.isFinite(f.logLoss)));
    // the record says so in JSON too: a field on every summary row
    const json = JSON.parse(JSON.stringify(serial)) as ExperimentRecord;
    assert.deepEqual(json.summary.map((s) => s.divergedFolds), [2, 0, 3]);
    assert.deepEqual(experimentRows([json]).map((row) => row.divergedFolds), [2, 0, 3]);
    const parallel = await selectCandidates(smallData(), { ...options, threads: 2 });
    assert.deepEqual(numbers(parallel), numbers(serial));
  });

  test("diverged folds go through the fold cache and come back still marked", async () => {
    const cache = new FoldCache(tempDir());
    const options: SelectionOptions = { grid: [[8]], learningRates: [0.001, 1e9], folds: 3, epochs: 2, seed: 13, threads: 1, cache };
    const first = await selectCandidates(smallData(), options);
    const again = await selectCandidates(smallData(), options);
    assert.deepEqual(again.cache, { reused: 6, trained: 0 });
    assert.deepEqual(again.summary.map((s) => s.divergedFolds), [0, 3]);
    assert.deepEqual(again.folds.map((f) => f.diverged), first.folds.map((f) => f.diverged));
    assert.equal(again.winner.architecture, "8 lr 0.001");
  });

  test("in a grid over learning rates, the rate that blows up is marked and the one that trains wins", async () => {
    const record = await selectCandidates(smallData(), { grid: [[8]], learningRates: [0.001, 1e9], folds: 3, epochs: 2, seed: 13, threads: 1 });
    assert.deepEqual(record.summary.map((s) => [s.architecture, s.divergedFolds]), [["8 lr 0.001", 0], ["8 lr 1000000000", 3]]);
    assert.equal(record.winner.architecture, "8 lr 0.001");
  });

  test("when every candidate diverges, the selection fails with TrainingDiverged (an InputError) saying so", async () => {
    await assert.rejects(
      selectCandidates(smallData(), { grid: [[8], [25, 15]], folds: 3, epochs: 2, seed: 13, learningRate: 1e9, threads: 1 }),
      (e: Error) =>
        e instanceof TrainingDiverged &&
        e instanceof InputError &&
        /^training diverged in every candidate of the grid \(8: 3 of 3 folds, 25-15: 3 of 3 folds; e\.g\. 8 fold 1 at epoch 1, mean training loss .*\), so none can be chosen; lower the learning rate/.test(e.message),
    );
  });

  test("without a grid, selection cross-validates networks both smaller and larger than the reference 25-15", async () => {
    const record = await selectCandidates(smallData(), { folds: 2, epochs: 1, threads: 1 });
    assert.deepEqual(record.config.grid, DEFAULT_GRID);
    const names = record.summary.map((s) => s.architecture);
    assert.equal(names[0], "logistic");
    const reference = record.summary.find((s) => s.architecture === "25-15");
    assert.ok(reference, `25-15 in ${names.join(", ")}`);
    assert.ok(record.summary.some((s) => s.parameters < reference.parameters && s.architecture !== "logistic"));
    assert.ok(record.summary.some((s) => s.parameters > reference.parameters));
    assert.equal(record.folds.length, names.length * 2);
  });

  test("an onProgress that throws rejects the run with its error and stops the threads (threads: 2)", async () => {
    const failure = new Error("progress display broke");
    let calls = 0;
    await assert.rejects(
      selectCandidates(smallData(), {
        ...SMALL,
        epochs: 20,
        threads: 2,
        onProgress: () => {
          if (++calls === 3) throw failure;
        },
      }),
      (error: unknown) => error === failure,
    );
    // Settled only after the threads were terminated: no more progress arrives.
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(calls, after);
    assert.equal(after, 3);
  });
});

describe("a grid over activations and learning rates", () => {
  test("each candidate trains with its own settings, as it would alone", async () => {
    const options = { grid: [[8]], folds: 3, epochs: 2, seed: 13, threads: 1 };
    const product = await selectCandidates(smallData(), { ...options, activations: ["sigmoid", "relu"], learningRates: [0.001, 0.01] });
    assert.deepEqual(product.summary.map((s) => [s.architecture, s.activation, s.learningRate]), [
      ["8 sigmoid lr 0.001", "sigmoid", 0.001],
      ["8 sigmoid lr 0.01", "sigmoid", 0.01],
      ["8 relu lr 0.001", "relu", 0.001],
      ["8 relu lr 0.01", "relu", 0.01],
    ]);
    assert.equal(new Set(product.summary.map((s) => s.meanLogLoss)).size, 4, "four different candidates, four different scores");
    const alone = await selectCandidates(smallData(), { ...options, activation: "relu", learningRate: 0.01 });
    assert.equal(alone.summary[0].architecture, "8");
    assert.equal(product.summary[3].meanLogLoss, alone.summary[0].meanLogLoss);
    assert.deepEqual(product.folds.filter((f) => f.architecture === "8 relu lr 0.01").map((f) => f.history.loss), alone.folds.map((f) => f.history.loss));
    const winner = product.summary.find((s) => s.architecture === product.winner.architecture)!;
    assert.deepEqual([product.winner.activation, product.winner.learningRate], [winner.activation, winner.learningRate]);
  });
});
