// The race's decisions (lib/selection/race) on a made-up score table: which candidate stops after
// which round, that the one-SE candidates never stop, that the order of a round's results does not
// matter, and the checks of its settings and of a record's race fields.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { compareScores, DEFAULT_ROPE } from "../../lib/selection/candidate-tests";
import type { FoldJob } from "../../lib/selection/fold-run";
import { oneStandardErrorRule, summarise } from "../../lib/selection/one-se";
import { raceRecordProblem, raceRounds, raceSettings, raceStops } from "../../lib/selection/race";
import { BEST, GRID, K, LOG_LOSS, PLAN, REPEATS, ROUNDS, raceRoundByRound, result, roundOf } from "../support/race-table";

/** P(worse) on log loss of `name` against "64" over their first `rounds` folds, by the candidate test itself. */
const pWorse = (name: string, rounds: number) =>
  compareScores(LOG_LOSS[name].slice(0, rounds).map((x, r) => x - BEST[r]), K, "logLoss", DEFAULT_ROPE.logLoss, { candidate: name, against: "64" }).pWorse!;

describe("racing candidates on a score table", () => {
  const settings = { minFolds: 3, confidence: 0.99 };
  const { results, stops } = raceRoundByRound(settings);

  test("a candidate surely worse from the first rounds is stopped at the minimum of folds, not before", () => {
    // Already sure after two folds: the minimum, not the probability, holds it back.
    assert.ok(pWorse("logistic", 2) >= 0.99, `P(worse) after 2 folds: ${pWorse("logistic", 2)}`);
    assert.deepEqual(stops.get("logistic"), { afterFolds: 3, pWorse: pWorse("logistic", 3), against: "64" });
    assert.equal(results.filter((r) => r.architecture === "logistic").length, 3);
  });

  test("a candidate whose test is unsure runs on until the first round where P(worse) reaches the confidence", () => {
    const first = Array.from({ length: ROUNDS }, (_, r) => r + 1).find((n) => n >= settings.minFolds && pWorse("8", n) >= settings.confidence)!;
    assert.ok(first > settings.minFolds, `the table should keep "8" unsure past the minimum (stopped after ${first})`);
    assert.deepEqual(stops.get("8"), { afterFolds: first, pWorse: pWorse("8", first), against: "64" });
    assert.equal(results.filter((r) => r.architecture === "8").length, first);
  });

  test("a larger candidate surely worse is stopped even when within one SE of the best", () => {
    assert.deepEqual(stops.get("128"), { afterFolds: 3, pWorse: pWorse("128", 3), against: "64" });
  });

  test("the best and a smaller candidate within one standard error run every fold, however sure the test is that it is worse", () => {
    assert.equal(stops.has("64"), false);
    assert.equal(stops.has("32"), false);
    for (let n = settings.minFolds; n <= ROUNDS; n++) {
      assert.ok(pWorse("32", n) >= 0.99, `after ${n} folds P(worse) of "32" is ${pWorse("32", n)}: the table should make the test sure`);
      const running = results.filter((r) => ["32", "64"].includes(r.architecture) && roundOf(r) < n);
      const rule = oneStandardErrorRule(summarise(running, [GRID[2], GRID[3]], { folds: K, repeats: REPEATS }));
      assert.deepEqual(rule.withinOneSe.sort(), ["32", "64"], `after ${n} folds "32" is within one SE of "64"`);
    }
    assert.equal(results.filter((r) => r.architecture === "32").length, ROUNDS);
    assert.equal(results.filter((r) => r.architecture === "64").length, ROUNDS);
  });

  test("the order in which a round's results arrive does not change any decision", () => {
    assert.deepEqual(raceRoundByRound(settings, (round) => [...round].reverse()).stops, stops);
    assert.deepEqual(raceRoundByRound(settings, (round) => [...round.slice(2), ...round.slice(0, 2)]).stops, stops);
  });

  test("a higher confidence stops later or not at all", () => {
    const strict = raceRoundByRound({ minFolds: 3, confidence: 0.999999 }).stops;
    for (const [name, stop] of strict) assert.ok(stop.afterFolds >= stops.get(name)!.afterFolds, name);
    assert.ok([...strict.keys()].every((name) => stops.has(name)));
  });

  test("nothing is stopped before the minimum of folds, after the last round, or when a single candidate runs", () => {
    const everyFold = GRID.flatMap((c) => Array.from({ length: ROUNDS }, (_, r) => result(c, r)));
    assert.ok(raceStops(PLAN, settings, everyFold.filter((r) => roundOf(r) < ROUNDS - 1), new Map(), ROUNDS - 1).has("logistic"));
    assert.equal(raceStops(PLAN, settings, everyFold, new Map(), ROUNDS).size, 0);
    assert.equal(raceStops(PLAN, { minFolds: 4, confidence: 0.5 }, results.filter((r) => roundOf(r) < 3), new Map(), 3).size, 0);
    const alone = new Map(GRID.filter((c) => c.name !== "64").map((c) => [c.name, { afterFolds: 3, pWorse: 1, against: "64" }]));
    assert.equal(raceStops(PLAN, settings, results, alone, ROUNDS).size, 0);
  });
});

describe("race rounds", () => {
  test("round r holds fold r mod k of repeat ⌊r / k⌋ for every candidate, in grid order", () => {
    const jobs: FoldJob[] = [];
    for (const c of GRID.slice(0, 2)) for (let repeat = 0; repeat < 2; repeat++) for (let fold = 0; fold < 3; fold++) jobs.push({ id: jobs.length, candidate: c, fold, ...(repeat ? { repeat } : {}) });
    const rounds = raceRounds(jobs, 3);
    assert.equal(rounds.length, 6);
    assert.deepEqual(rounds.map((round) => round.map((j) => `${j.candidate.name}/${j.repeat ?? 0}/${j.fold}`)), [
      ["logistic/0/0", "8/0/0"], ["logistic/0/1", "8/0/1"], ["logistic/0/2", "8/0/2"],
      ["logistic/1/0", "8/1/0"], ["logistic/1/1", "8/1/1"], ["logistic/1/2", "8/1/2"],
    ]);
  });
});

describe("race settings", () => {
  test("unset settings take the defaults, 5 folds and 0.99", () => {
    assert.deepEqual(raceSettings({}, { folds: 5, repeats: 3 }), { minFolds: 5, confidence: 0.99 });
    assert.deepEqual(raceSettings({ confidence: 0.95 }, { folds: 3, repeats: 2 }), { minFolds: 5, confidence: 0.95 });
  });

  test("a minimum below 2 or at least the run's folds, or a confidence outside [0.5, 1), is an InputError that says what to change", () => {
    assert.throws(() => raceSettings({}, { folds: 5, repeats: 1 }), (e: Error) => e instanceof InputError && /--repeats/.test(e.message));
    assert.throws(() => raceSettings({ minFolds: 1 }, { folds: 5, repeats: 3 }), (e: Error) => e instanceof InputError && /≥ 2/.test(e.message));
    assert.throws(() => raceSettings({ minFolds: 2.5 }, { folds: 5, repeats: 3 }), InputError);
    assert.throws(() => raceSettings({ minFolds: 10 }, { folds: 5, repeats: 2 }), (e: Error) => e instanceof InputError && /--race-min-folds/.test(e.message) && /10/.test(e.message));
    assert.deepEqual(raceSettings({ minFolds: 9 }, { folds: 5, repeats: 2 }), { minFolds: 9, confidence: 0.99 });
    assert.throws(() => raceSettings({ confidence: 1 }, { folds: 5, repeats: 3 }), (e: Error) => e instanceof InputError && /0\.5/.test(e.message));
    assert.throws(() => raceSettings({ confidence: 0.3 }, { folds: 5, repeats: 3 }), InputError);
    assert.throws(() => raceSettings({ confidence: Number.NaN }, { folds: 5, repeats: 3 }), InputError);
  });
});

describe("a record's race fields read back", () => {
  const summary = [
    { architecture: "logistic", folds: 3, stopped: { afterFolds: 3, pWorse: 0.999, against: "64" } },
    { architecture: "64", folds: 10, stopped: null },
  ];
  const config = { race: { minFolds: 3, confidence: 0.99 } };

  test("a raced record's settings and stops are believed; a record without them too", () => {
    assert.equal(raceRecordProblem({ config, summary }), null);
    assert.equal(raceRecordProblem({ config: {}, summary: [{ architecture: "64", folds: 10 }] }), null);
  });

  test("settings out of range, a stop without settings, after other folds than its row's, or against no candidate of the record are corrupt", () => {
    assert.match(raceRecordProblem({ config: { race: { minFolds: 1, confidence: 0.99 } }, summary })!, /config\.race/);
    assert.match(raceRecordProblem({ config: { race: { minFolds: 3, confidence: 2 } }, summary })!, /config\.race/);
    assert.match(raceRecordProblem({ config: {}, summary })!, /stopped/);
    const with_ = (stopped: unknown) => raceRecordProblem({ config, summary: [{ ...summary[0], stopped }, summary[1]] });
    assert.match(with_({ afterFolds: 4, pWorse: 0.999, against: "64" })!, /stopped/);
    assert.match(with_({ afterFolds: 3, pWorse: 1.5, against: "64" })!, /stopped/);
    assert.match(with_({ afterFolds: 3, pWorse: 0.999, against: "32" })!, /stopped/);
    assert.match(with_({ afterFolds: 3, pWorse: 0.999, against: "logistic" })!, /stopped/);
    assert.match(with_("yes")!, /stopped/);
  });
});
