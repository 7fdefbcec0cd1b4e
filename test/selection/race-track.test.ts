// The race's bookkeeping (lib/selection/race-track) on the made-up score table: folds arriving in
// any order, and ahead of their round as they do on threads, give the decisions and the record of
// the race run round by round; a fold of a candidate stopped before its round is left out and
// counted; the cache's folds complete rounds before anything trains.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FoldJob } from "../../lib/selection/fold-run";
import { raceRounds } from "../../lib/selection/race";
import { RaceTrack, type RaceEvents } from "../../lib/selection/race-track";
import type { FoldResult, RaceStop } from "../../lib/selection/record";
import { GRID, K, PLAN, REPEATS, raceRoundByRound, result } from "../support/race-table";

const SETTINGS = { minFolds: 3, confidence: 0.99 };
const JOBS: FoldJob[] = GRID.flatMap((candidate, c) =>
  Array.from({ length: K * REPEATS }, (_, r) => ({ id: c * K * REPEATS + r, candidate, fold: r % K, ...(r >= K ? { repeat: Math.floor(r / K) } : {}) })),
);
const roundOfJob = (job: FoldJob) => (job.repeat ?? 0) * K + job.fold;
const resultOf = (job: FoldJob) => result(job.candidate, roundOfJob(job));

/** A track over JOBS, with what it told. */
function track(cached: ReadonlyMap<number, FoldResult> = new Map()) {
  const told: { rounds: number[]; stops: { candidate: string; stop: RaceStop; later: number; untrained: number }[] } = { rounds: [], stops: [] };
  const events: RaceEvents = { round: (reused) => told.rounds.push(reused), stop: (candidate, stop, later, untrained) => told.stops.push({ candidate, stop, later, untrained: untrained.length }) };
  return { race: new RaceTrack({ ...PLAN, jobs: JOBS }, SETTINGS, cached, events), told };
}

/**
 * Feeds `race` the jobs it asks to train as `threads` threads would: each takes the next job in
 * turn (a job whose candidate is stopped by then is passed over), and the job that finishes next
 * is any of those running (drawn with a seeded generator), so folds of later rounds come before
 * the round in front is complete and decided.
 */
function train(race: RaceTrack, threads: number, seed = 1): { trained: FoldJob[]; passedOver: FoldJob[] } {
  const queue = race.allToTrain();
  const running: FoldJob[] = [];
  const trained: FoldJob[] = [];
  const passedOver: FoldJob[] = [];
  let state = seed;
  const draw = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  const take = () => {
    while (queue.length > 0 && running.length < threads) {
      const job = queue.shift()!;
      if (race.stopped(job)) passedOver.push(job);
      else running.push(job);
    }
  };
  take();
  while (running.length > 0) {
    const [job] = running.splice(draw(running.length), 1);
    trained.push(job);
    race.arrive(job, resultOf(job));
    take();
  }
  return { trained, passedOver };
}

describe("a race's bookkeeping (RaceTrack)", () => {
  const expected = raceRoundByRound(SETTINGS);

  test("folds one at a time, in round order, give the round-by-round race's stops and folds", () => {
    const { race, told } = track();
    race.start();
    const { passedOver } = train(race, 1);
    assert.deepEqual(race.stops, expected.stops);
    assert.deepEqual(race.results, expected.results);
    assert.equal(race.pastStops(), 0);
    assert.equal(race.trained, race.results.length);
    assert.equal(passedOver.length, JOBS.length - race.results.length, "every fold not recorded was passed over, none trained");
    assert.deepEqual(told.rounds, Array(K * REPEATS).fill(0));
  });

  test("folds finishing in any order on 2 to 8 threads change no decision; those past a stop are trained but not recorded", () => {
    let pastStops = 0;
    for (const threads of [2, 3, 8]) {
      for (const seed of [1, 2, 3]) {
        const { race } = track();
        race.start();
        const { trained, passedOver } = train(race, threads, seed);
        const at = `${threads} threads, seed ${seed}`;
        assert.deepEqual(race.stops, expected.stops, at);
        assert.deepEqual([...race.results].sort(byJob), [...expected.results].sort(byJob), at);
        assert.equal(race.pastStops(), trained.length - race.results.length, at);
        assert.equal(trained.length + passedOver.length, JOBS.length, at);
        pastStops += race.pastStops();
      }
    }
    assert.ok(pastStops > 0, "some schedule trained a fold ahead of the round that stopped its candidate");
  });

  test("folds ahead of their round count as done for the progress bar, and stay counted when their candidate is stopped", () => {
    const { race } = track();
    race.start();
    const jobs = race.allToTrain();
    const inRound = (r: number) => jobs.filter((job) => roundOfJob(job) === r);
    const logisticAhead = inRound(3).find((job) => job.candidate.name === "logistic")!;
    for (const job of [...inRound(0), ...inRound(1), logisticAhead]) race.arrive(job, resultOf(job));
    assert.equal(race.results.length, 2 * GRID.length, "rounds 0 and 1 are decided");
    assert.equal(race.foldsDone(), 2 * GRID.length + 1);
    for (const job of inRound(2)) race.arrive(job, resultOf(job));
    assert.equal(race.stops.get("logistic")?.afterFolds, 3, "the third round's decision stops logistic");
    assert.equal(race.results.length, 3 * GRID.length);
    assert.equal(race.foldsDone(), 3 * GRID.length + 1, "its fold of round 4, trained before the stop, still counts");
    assert.equal(race.pastStops(), 1);
    assert.equal(race.arrive(inRound(4).find((job) => job.candidate.name === "logistic")!, resultOf(logisticAhead)), false, "a fold of a stopped candidate is not taken");
  });

  test("on 2 to 8 threads the fold counter never steps back, never passes its total, and ends at it", () => {
    for (const threads of [2, 3, 4, 8]) {
      for (const seed of [1, 2, 3]) {
        const { race, told } = track();
        race.start();
        const counts: [number, number][] = [];
        const arrive = race.arrive.bind(race);
        race.arrive = (job, result) => {
          const taken = arrive(job, result);
          counts.push([race.foldsDone(), JOBS.length - told.stops.reduce((n, s) => n + s.later, 0)]);
          return taken;
        };
        train(race, threads, seed);
        const where = `${threads} threads, seed ${seed}`;
        counts.forEach(([done, total], i) => {
          assert.ok(done <= total, `${where}: ${done} done of ${total}`);
          if (i > 0) assert.ok(done >= counts[i - 1][0], `${where}: ${counts[i - 1][0]} done, then ${done}`);
        });
        const [done, total] = counts.at(-1)!;
        assert.equal(done, total, where);
      }
    }
  });

  test("a warm cache decides the rounds it completes before anything trains, and a stopped candidate's cached folds stay out", () => {
    const cached = new Map(JOBS.map((job) => [job.id, resultOf(job)] as const));
    const { race, told } = track(cached);
    race.start();
    assert.deepEqual(race.allToTrain(), []);
    assert.deepEqual(race.stops, expected.stops);
    assert.deepEqual(race.results, expected.results);
    assert.equal(race.reused, expected.results.length);
    assert.equal(race.trained, 0);
    assert.deepEqual(told.rounds, raceRounds(JOBS, K).map((round, r) => round.filter((job) => !isStoppedBefore(job.candidate.name, r)).length));
    // No fold to train: a stopped candidate's later folds are neither trained nor waited for.
    for (const s of told.stops) assert.equal(s.untrained, 0);
  });
});

const byJob = (a: FoldResult, b: FoldResult) => a.architecture.localeCompare(b.architecture) || (a.repeat ?? 0) - (b.repeat ?? 0) || a.fold - b.fold;

const stopsRoundByRound = raceRoundByRound(SETTINGS).stops;

/** Whether the round-by-round race had stopped `candidate` before round `round`. */
function isStoppedBefore(candidate: string, round: number): boolean {
  const stop = stopsRoundByRound.get(candidate);
  return stop !== undefined && stop.afterFolds <= round;
}
