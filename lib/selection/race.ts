// Racing the candidates (`digits select --race`): the folds run in rounds, every running
// candidate's fold 1 of repeat 0, then fold 2, …, through every repeat, and after each round from
// `minFolds` on a candidate is stopped once the Bayesian correlated t-test (./candidate-tests),
// with the record's ROPE, gives a probability of `confidence` or more that it is practically worse
// on log loss than the best running candidate, on the folds both have. The best, and every smaller
// candidate within one standard error of it (the one-SE rule's own, ./one-se), always run on, so
// the rule sees every candidate it could pick. Folds never shift between candidates (seeded per
// candidate, fold and repeat), which is what makes stopping on paired folds sound.
// Pure and platform-neutral: no I/O, no clock, no randomness; the same results give the same
// decisions in whatever order a round's results arrived. ./select runs the rounds.
import { InputError } from "../core/errors";
import { compareCandidates } from "./candidate-tests";
import type { Candidate, RaceSettings, SelectionConfig } from "./config";
import type { FoldJob } from "./fold-run";
import { oneStandardErrorRule, summarise } from "./one-se";
import type { ComparisonMetric, FoldResult, RaceStop } from "./record";

/** `digits select --race` without --race-min-folds or --race-confidence. */
export const DEFAULT_RACE: Readonly<RaceSettings> = { minFolds: 5, confidence: 0.99 };

/**
 * The race's settings completed with DEFAULT_RACE and checked against the run's folds; an
 * InputError says what to change.
 */
export function raceSettings(asked: Partial<RaceSettings>, design: Pick<SelectionConfig, "folds" | "repeats">): RaceSettings {
  const { minFolds, confidence } = { ...DEFAULT_RACE, ...asked };
  if (!Number.isInteger(minFolds) || minFolds < 2) throw new InputError(`the race's minimum number of folds must be a whole number ≥ 2 (the test needs two paired folds), got ${minFolds}`);
  if (!(typeof confidence === "number" && confidence >= 0.5 && confidence < 1)) {
    throw new InputError(`the race's confidence must be a probability from 0.5 to below 1 (e.g. 0.99), got ${confidence}`);
  }
  const total = design.folds * design.repeats;
  // A stop after the last round saves nothing: the first one must come before it.
  if (minFolds >= total) {
    throw new InputError(
      `the race's minimum of ${minFolds} folds leaves no fold to save in the run's ${total} (${design.folds} folds × ${design.repeats} repeat${design.repeats === 1 ? "" : "s"}), so it could stop nothing; ` +
        `lower it (--race-min-folds) or add repeats (--repeats)`,
    );
  }
  return { minFolds, confidence };
}

/** Which round a job is in: (repeat, fold) in that order, from 0. */
function roundOf(job: Pick<FoldJob, "fold" | "repeat">, folds: number): number {
  return (job.repeat ?? 0) * folds + job.fold;
}

/** A plan's jobs by round (roundOf), each round in grid order. */
export function raceRounds(jobs: readonly FoldJob[], folds: number): FoldJob[][] {
  const rounds: FoldJob[][] = [];
  for (const job of jobs) (rounds[roundOf(job, folds)] ??= []).push(job);
  return rounds;
}

/** What a race decision is made on: the grid, the folds' design and the ROPE of the record. */
export interface RacePlan {
  candidates: readonly Candidate[];
  config: Pick<SelectionConfig, "folds" | "repeats">;
  rope: Readonly<Record<ComparisonMetric, number>>;
}

/**
 * The candidates to stop after `rounds` rounds (each running candidate has that many folds), given
 * every result so far and the candidates stopped before: none before race.minFolds, after the last
 * round, or when fewer than two run. The best running candidate (lowest mean log loss; one whose training diverged
 * never is) and each smaller one within one standard error of it are kept; any other whose
 * probability of being practically worse on log loss reaches race.confidence is stopped. A
 * candidate whose test is undefined (a diverged fold, no spread) is not.
 */
export function raceStops(plan: RacePlan, race: RaceSettings, results: readonly FoldResult[], stopped: ReadonlyMap<string, RaceStop>, rounds: number): Map<string, RaceStop> {
  const stops = new Map<string, RaceStop>();
  const running = plan.candidates.filter((c) => !stopped.has(c.name));
  // After the last round a stop would save nothing and only hide folds the candidate has.
  if (rounds < race.minFolds || rounds >= plan.config.folds * plan.config.repeats || running.length < 2) return stops;
  const order = new Map(running.map((c, i) => [c.name, i]));
  const { folds: k } = plan.config;
  // Sums run in round then grid order, whatever order the results arrived in.
  const folds = results
    .filter((r) => order.has(r.architecture) && roundOf(r, k) < rounds)
    .sort((a, b) => roundOf(a, k) - roundOf(b, k) || order.get(a.architecture)! - order.get(b.architecture)!);
  const summary = summarise(folds, running, plan.config);
  if (!summary.some((s) => Number.isFinite(s.meanLogLoss) && s.divergedFolds === 0)) return stops;
  const rule = oneStandardErrorRule(summary);
  const best = summary.find((s) => s.architecture === rule.best)!;
  const kept = new Set([best.architecture, ...rule.withinOneSe.filter((name) => summary.find((s) => s.architecture === name)!.parameters < best.parameters)]);
  for (const c of compareCandidates(folds, summary, k, plan.rope)) {
    if (c.metric !== "logLoss" || kept.has(c.candidate) || c.pWorse === null || c.pWorse < race.confidence) continue;
    stops.set(c.candidate, { afterFolds: rounds, pWorse: c.pWorse, against: c.against });
  }
  return stops;
}

/**
 * Why a record read back has race fields that cannot be believed (config.race, a summary row's
 * stopped), or null: settings as raceSettings allows them, and each stop after the folds its row
 * has, with a probability, against a candidate of the record.
 */
export function raceRecordProblem(record: { config?: unknown; summary: readonly unknown[] }): string | null {
  const race = (record.config as { race?: unknown } | undefined)?.race;
  if (race !== undefined) {
    const r = race as Partial<RaceSettings> | null;
    if (typeof r !== "object" || r === null || !Number.isInteger(r.minFolds) || r.minFolds! < 2 || !(typeof r.confidence === "number" && r.confidence >= 0.5 && r.confidence < 1)) {
      return "corrupt: its race settings (config.race) are not a minimum of folds ≥ 2 and a confidence from 0.5 to 1";
    }
  }
  const rows = record.summary as { architecture?: unknown; folds?: unknown; stopped?: unknown }[];
  const names = rows.map((s) => s?.architecture);
  for (const row of rows) {
    if (row === null || typeof row !== "object" || row.stopped === undefined || row.stopped === null) continue;
    const s = row.stopped as Partial<RaceStop>;
    const ok =
      race !== undefined &&
      typeof s === "object" &&
      Number.isInteger(s.afterFolds) &&
      s.afterFolds === row.folds &&
      typeof s.pWorse === "number" &&
      s.pWorse >= 0 &&
      s.pWorse <= 1 &&
      typeof s.against === "string" &&
      s.against !== row.architecture &&
      names.includes(s.against);
    if (!ok) return `corrupt: the race stop of a candidate (summary stopped) is not one a race makes (its folds, a probability, another candidate of the record)`;
  }
  return null;
}
