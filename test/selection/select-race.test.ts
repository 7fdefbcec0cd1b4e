// A raced selection (selectCandidates with race, lib/selection/race): what it trains, what its
// record holds, and reuse with the fold cache in both directions (a full run after a race trains
// only the folds the race skipped; a race after a full run, or after itself, trains nothing and
// records what a cold race records). Without race the record is as it always was.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { FoldCache } from "../../lib/selection/fold-cache";
import { selectCandidates, type SelectionOptions } from "../../lib/selection/select";
import type { ExperimentRecord } from "../../lib/selection/record";
import { smallData, tempDir } from "../support/selection-data";

// Four candidates over 3 folds × 2 repeats (6 rounds): the two with a learning rate of 1e-5 barely
// train, and the race stops them after its 3 minimum folds (their P(worse) on log loss is > 0.99).
const GRID: SelectionOptions = { grid: [[], [8]], learningRates: [0.001, 0.00001], folds: 3, repeats: 2, epochs: 2, seed: 13 };
const RACE = { minFolds: 3, confidence: 0.99 };
const ALL = 4 * 6;

/** A record without what differs between runs of the same selection: id, times, threads, cache counts, fold timings. */
function outcome(record: ExperimentRecord) {
  const { id: _i, startedAt: _s, finishedAt: _f, seconds: _x, workers: _w, cache: _c, folds, summary, ...rest } = record;
  return {
    ...rest,
    folds: folds.map(({ seconds: _t, ...f }) => f),
    summary: summary.map(({ meanSeconds: _m, sdSeconds: _d, ...s }) => s),
  };
}

const foldsOf = (record: ExperimentRecord, name: string) => record.folds.filter((f) => f.architecture === name).length;

describe("a raced selection", () => {
  const dir = tempDir("digits-race-");
  const cold = new FoldCache(path.join(dir, "cold"));
  let raced: ExperimentRecord;

  test("stops the candidates that are surely worse and records none of their later folds", async () => {
    raced = await selectCandidates(smallData(), { ...GRID, threads: 2, cache: cold, race: RACE });
    const stopped = raced.summary.filter((s) => s.stopped);
    assert.deepEqual(stopped.map((s) => s.architecture), ["logistic lr 0.00001", "8 lr 0.00001"]);
    for (const s of stopped) {
      assert.equal(s.stopped!.afterFolds, 3);
      assert.ok(s.stopped!.pWorse >= 0.99, `${s.architecture}: P(worse) ${s.stopped!.pWorse}`);
      assert.equal(s.stopped!.against, raced.winner.best);
      assert.equal(s.folds, 3);
      assert.equal(foldsOf(raced, s.architecture), 3);
      // Its comparisons rest on the folds it has.
      assert.ok((raced.comparisons ?? []).filter((c) => c.candidate === s.architecture).every((c) => c.folds === 3));
    }
    for (const s of raced.summary.filter((s) => !s.stopped)) {
      assert.equal(s.stopped, null);
      assert.equal(foldsOf(raced, s.architecture), 6);
    }
    // On threads, a fold of a stopped candidate may have started before the round that stopped it
    // was decided: it is cached but not recorded, and counted apart. One not started never trains.
    const { pastStops, ...counts } = raced.cache;
    assert.deepEqual(counts, { reused: 0, trained: ALL - 2 * 3 });
    assert.ok(pastStops === undefined || (Number.isInteger(pastStops) && pastStops >= 1 && pastStops <= 2 * 3), `pastStops ${pastStops}`);
    assert.deepEqual(raced.config.race, RACE);
  });

  test("on one thread, the rounds one after another, a cold race records what it records on two", async () => {
    const serial = await selectCandidates(smallData(), { ...GRID, threads: 1, cache: new FoldCache(path.join(dir, "serial")), race: RACE });
    assert.deepEqual(serial.cache, { reused: 0, trained: ALL - 2 * 3 });
    assert.equal(serial.workers, 1);
    assert.deepEqual(outcome(serial), outcome(raced));
  });

  test("run again on the same cache, it trains nothing and records the same outcome", async () => {
    const again = await selectCandidates(smallData(), { ...GRID, threads: 1, cache: cold, race: RACE });
    assert.deepEqual(again.cache, { reused: ALL - 6, trained: 0 });
    assert.deepEqual(outcome(again), outcome(raced));
  });

  test("a full run after it trains only the folds the race skipped, and gives a full run's record", async () => {
    const full = await selectCandidates(smallData(), { ...GRID, threads: 2, cache: cold });
    const ahead = raced.cache.pastStops ?? 0;
    assert.deepEqual(full.cache, { reused: ALL - 6 + ahead, trained: 6 - ahead });
    const fresh = await selectCandidates(smallData(), { ...GRID, threads: 2 });
    assert.deepEqual(outcome(full), outcome(fresh));
    assert.equal(full.winner.architecture, raced.winner.architecture);
  });

  test("a race after a full run trains nothing and records what a cold race records", async () => {
    const warm = new FoldCache(path.join(dir, "warm"));
    const full = await selectCandidates(smallData(), { ...GRID, threads: 2, cache: warm });
    assert.deepEqual(full.cache, { reused: 0, trained: ALL });
    const after = await selectCandidates(smallData(), { ...GRID, threads: 2, cache: warm, race: RACE });
    assert.deepEqual(after.cache, { reused: ALL - 6, trained: 0 });
    assert.deepEqual(outcome(after), outcome(raced));
  });

  test("a race that stops nothing has a full run's numbers, and only a race's record has race fields", async () => {
    const full = await selectCandidates(smallData(), { ...GRID, threads: 1, cache: cold });
    assert.equal("race" in full.config, false);
    assert.ok(full.summary.every((s) => !("stopped" in s)));
    // Nothing is sure enough to stop at a confidence this high.
    const patient = await selectCandidates(smallData(), { ...GRID, threads: 1, cache: cold, race: { minFolds: 5, confidence: 0.999999999 } });
    assert.ok(patient.summary.every((s) => s.stopped === null));
    const { race: _r, ...config } = patient.config;
    assert.deepEqual({ ...outcome(patient), config, summary: outcome(patient).summary.map(({ stopped: _s, ...s }) => s) }, outcome(full));
  });

  test("a minimum of folds above the run's is an InputError before any training", async () => {
    await assert.rejects(selectCandidates(smallData(), { ...GRID, race: { minFolds: 6 } }), (e: Error) => e.name === "InputError" && /--race-min-folds/.test(e.message));
  });
});
