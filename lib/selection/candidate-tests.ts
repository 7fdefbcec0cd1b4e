// Which differences are real: every candidate against the best one (lowest mean validation log
// loss), on accuracy and on log loss, over their paired fold scores (the same folds for both), by
// the corrected resampled t-test (Nadeau & Bengio, 2003) and the Bayesian correlated t-test
// (Corani & Benavoli, 2015). Both correct for folds that share training rows: the variance of the
// mean difference is (1/J + n_test/n_train)·s², not s²/J, which would be overconfident.
import * as ss from "simple-statistics";
import { studentTCdf, studentTTwoSided } from "../evaluation/student-t";
import type { CandidateSummary, CandidateComparison, ComparisonMetric, FoldResult } from "./record";

const COMPARISON_METRICS: readonly ComparisonMetric[] = ["accuracy", "logLoss"];

/** The half-widths of the regions of practical equivalence (--rope): 0.002 is 0.2 points of accuracy. */
export const DEFAULT_ROPE: Readonly<Record<ComparisonMetric, number>> = { accuracy: 0.002, logLoss: 0.002 };

/** The variance factor of the correction: 1/J + n_test/n_train, with n_test/n_train = 1/(k − 1) for k folds. */
export function correctionFactor(j: number, k: number): number {
  return 1 / j + 1 / (k - 1);
}

/**
 * Both tests on paired differences d_j = candidate − best, from k-fold cross-validation repeated
 * until J = d.length. Where s² = 0 the tests are undefined: t, p and the probabilities are null
 * with a note (nothing is divided by zero).
 */
export function compareScores(d: readonly number[], k: number, metric: ComparisonMetric, rope: number, names: { candidate: string; against: string }): CandidateComparison {
  const j = d.length;
  const base = { metric, ...names, folds: j, df: j - 1, rope };
  const none = { t: null, pValue: null, pBetter: null, pEquivalent: null, pWorse: null };
  if (j < 2) return { ...base, meanDifference: j === 1 ? d[0] : null, ...none, note: "fewer than two paired folds: the tests are undefined" };
  if (d.some((x) => !Number.isFinite(x))) return { ...base, meanDifference: null, ...none, note: "a fold has no score (training diverged): the tests are undefined" };
  const mean = ss.mean([...d]);
  // Sample variance, J − 1 in the denominator.
  const variance = ss.sampleVariance([...d]);
  if (!(variance > 0)) return { ...base, meanDifference: mean, ...none, note: `every fold differs by the same amount (s² = 0): the tests are undefined` };
  const scale = Math.sqrt(correctionFactor(j, k) * variance);
  const df = j - 1;
  const t = mean / scale;
  // The posterior of the mean difference is Student-t(df) with location d̄ and this scale.
  const below = (x: number) => studentTCdf((x - mean) / scale, df);
  const above = (x: number) => studentTCdf((mean - x) / scale, df);
  const pEquivalent = below(rope) - below(-rope);
  const [pHigher, pLower] = [above(rope), below(-rope)];
  // Better is higher accuracy but lower log loss.
  const [pBetter, pWorse] = metric === "accuracy" ? [pHigher, pLower] : [pLower, pHigher];
  return { ...base, meanDifference: mean, t, pValue: studentTTwoSided(t, df), pBetter, pEquivalent, pWorse };
}

/** The candidate every other is compared with: the lowest finite mean log loss of those that never diverged. */
function bestCandidate(summary: readonly CandidateSummary[]): string {
  const rows = summary.filter((s) => Number.isFinite(s.meanLogLoss) && !((s.divergedFolds ?? 0) > 0));
  if (rows.length === 0) throw new RangeError("no candidate with a finite mean log loss and no diverged fold");
  return rows.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a)).architecture;
}

/**
 * Every candidate but the best against the best, on accuracy then log loss, in summary order.
 * Folds are paired by (repeat, fold): both candidates were scored on the same rows.
 */
export function compareCandidates(
  folds: readonly FoldResult[],
  summary: readonly CandidateSummary[],
  k: number,
  rope: Readonly<Record<ComparisonMetric, number>> = DEFAULT_ROPE,
): CandidateComparison[] {
  const against = bestCandidate(summary);
  const scoresOf = (name: string) => new Map(folds.filter((f) => f.architecture === name).map((f) => [`${f.repeat ?? 0}/${f.fold}`, f]));
  const best = scoresOf(against);
  const list: CandidateComparison[] = [];
  for (const s of summary) {
    if (s.architecture === against) continue;
    const mine = scoresOf(s.architecture);
    const paired = [...mine.keys()].filter((key) => best.has(key));
    for (const metric of COMPARISON_METRICS) {
      const d = paired.map((key) => (mine.get(key)![metric] ?? NaN) - (best.get(key)![metric] ?? NaN));
      list.push(compareScores(d, k, metric, rope[metric], { candidate: s.architecture, against }));
    }
  }
  return list;
}

/** Below this posterior probability of being practically worse than the best, a candidate is as good (--rule equivalent). */
const EQUIVALENT_RULE_LEVEL = 0.05;

/**
 * The "equivalent" rule: of the candidates whose probability of being practically worse than the
 * best on accuracy is below 0.05 (the best itself always is), the one with the fewest parameters
 * (ties: lower mean log loss, then table order). Where the test is undefined (s² = 0, every fold
 * differs by d̄) the difference is certain: worse exactly when d̄ < −ε. Diverged candidates never win.
 */
export function equivalentRule(summary: readonly CandidateSummary[], comparisons: readonly CandidateComparison[]): { winner: string; equivalent: string[]; reason: string } {
  const best = bestCandidate(summary);
  const pWorse = (name: string): number => {
    if (name === best) return 0;
    const c = comparisons.find((x) => x.metric === "accuracy" && x.candidate === name);
    if (!c || c.meanDifference === null) return 1;
    return c.pWorse ?? (c.meanDifference < -c.rope ? 1 : 0);
  };
  const rows = summary
    .map((s, order) => ({ s, order, pWorse: pWorse(s.architecture) }))
    .filter((r) => Number.isFinite(r.s.meanLogLoss) && !((r.s.divergedFolds ?? 0) > 0) && r.pWorse < EQUIVALENT_RULE_LEVEL)
    .sort((a, b) => a.s.parameters - b.s.parameters || a.s.meanLogLoss - b.s.meanLogLoss || a.order - b.order);
  const winner = rows[0];
  const rope = comparisons.find((c) => c.metric === "accuracy")?.rope ?? DEFAULT_ROPE.accuracy;
  const reason =
    winner.s.architecture === best
      ? summary.some((s) => s.parameters < winner.s.parameters)
        ? `${best} has the lowest mean validation log loss and every smaller candidate has a probability of ${EQUIVALENT_RULE_LEVEL} or more of being practically worse on accuracy (by more than ${rope}).`
        : `${best} has the lowest mean validation log loss and is also the smallest candidate.`
      : `${winner.s.architecture} (${winner.s.parameters.toLocaleString("en-US")} parameters) is the smallest candidate whose probability of being practically worse than the best, ${best}, ` +
        `on accuracy (by more than ${rope}) is below ${EQUIVALENT_RULE_LEVEL} (it is ${winner.pWorse.toPrecision(2)}; Bayesian correlated t-test).`;
  return { winner: winner.s.architecture, equivalent: rows.map((r) => r.s.architecture), reason };
}
