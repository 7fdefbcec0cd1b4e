// A made-up score table for the race (lib/selection/race, lib/selection/race-track): five
// candidates over K folds × REPEATS repeats, with log losses chosen so that the race's decisions
// are known (see LOG_LOSS).
import { DEFAULT_ROPE } from "../../lib/selection/candidate-tests";
import type { Candidate } from "../../lib/selection/config";
import { raceStops, type RacePlan } from "../../lib/selection/race";
import type { FoldResult, RaceStop } from "../../lib/selection/record";

export const K = 5;
export const REPEATS = 2;
export const ROUNDS = K * REPEATS;

const candidate = (hidden: number[]): Candidate => ({ name: hidden.length === 0 ? "logistic" : hidden.join("-"), hidden, activation: "sigmoid", learningRate: 0.001 });
// Grid order; parameters grow with the first layer, so "8" and "32" are smaller than "64", "128" larger.
export const GRID = [candidate([]), candidate([8]), candidate([32]), candidate([64]), candidate([128])];
const parameters = (c: Candidate) => (c.hidden.length === 0 ? 785 : 785 * c.hidden[0]);

// Log loss by round (round = repeat × K + fold). "64" is best and varies a lot from fold to fold;
// "32" and "128" follow it 0.01 higher with little spread (so P(worse) ≈ 1, yet within one SE of
// "64": the corrected SE of so spread a mean is about 0.02); "logistic" is far worse; "8" is worse
// by 0.03 on average with a spread that keeps the test unsure for a few rounds.
export const BEST = [0.02, 0.1, 0.04, 0.08, 0.03, 0.09, 0.05, 0.07, 0.06, 0.04];
const SMALL_JITTER = [0.001, -0.001, 0.0005, -0.0005, 0.0008, -0.0002, 0.0003, -0.0007, 0.0001, 0.0];
const BIG_JITTER = [0.02, -0.025, 0.015, -0.01, 0.01, 0.005, 0.0, 0.01, -0.005, 0.0];
export const LOG_LOSS: Record<string, number[]> = {
  logistic: BEST.map((b, r) => b + 0.2 + SMALL_JITTER[r]),
  "8": BEST.map((b, r) => b + 0.03 + BIG_JITTER[r]),
  "32": BEST.map((b, r) => b + 0.01 + SMALL_JITTER[r]),
  "64": BEST,
  "128": BEST.map((b, r) => b + 0.01 - SMALL_JITTER[r]),
};

export function result(c: Candidate, round: number): FoldResult {
  const repeat = Math.floor(round / K);
  return {
    architecture: c.name, hidden: c.hidden, activation: c.activation, learningRate: c.learningRate, fold: round % K, ...(repeat ? { repeat } : {}), seed: 0,
    parameters: parameters(c), trainRows: 40, validationRows: 10,
    accuracy: 1 - LOG_LOSS[c.name][round], precision: 1, recall: 1, f1: 1, logLoss: LOG_LOSS[c.name][round], auc: 1, confusionMatrix: [[1, 0], [0, 1]], seconds: 1, history: { loss: [], acc: [] },
  };
}

export const roundOf = (r: FoldResult) => (r.repeat ?? 0) * K + r.fold;

export const PLAN: RacePlan = { candidates: GRID, config: { folds: K, repeats: REPEATS }, rope: DEFAULT_ROPE };


/** The race round by round: each round the running candidates' folds, then the decision. */
export function raceRoundByRound(settings: { minFolds: number; confidence: number }, arrange: (round: FoldResult[]) => FoldResult[] = (r) => r) {
  const results: FoldResult[] = [];
  const stops = new Map<string, RaceStop>();
  for (let round = 0; round < ROUNDS; round++) {
    results.push(...arrange(GRID.filter((c) => !stops.has(c.name)).map((c) => result(c, round))));
    for (const [name, stop] of raceStops(PLAN, settings, results, stops, round + 1)) stops.set(name, stop);
  }
  return { results, stops };
}

