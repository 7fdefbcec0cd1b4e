// Choosing among candidates: fold scores summarised per candidate, and the one-standard-error
// rule (the smallest network whose mean validation log loss is within one SE of the best).
import * as ss from "simple-statistics";
import { architectureName } from "../model/model";
import { Candidate, DEFAULT_SELECTION_CONFIG } from "./config";
import { CandidateSummary, FoldResult, OneSeCandidate, OneSeChoice, Winner, type CandidateComparison, type SelectionRule } from "./record";
import { correctionFactor, equivalentRule } from "./candidate-tests";

// Summaries and the one-SE rule (pure)

/**
 * Per-candidate means and sample standard deviations of the fold results, in the order given:
 * candidates, or (for a grid of layer sizes alone) hidden sizes.
 */
export function summarise(results: readonly FoldResult[], order: readonly (Candidate | readonly number[])[], design: { folds: number; repeats: number } = { folds: 0, repeats: 1 }): CandidateSummary[] {
  return order.map((entry) => {
    const candidate = "name" in entry ? entry : null;
    const hidden = candidate ? candidate.hidden : (entry as readonly number[]);
    const name = candidate ? candidate.name : architectureName(hidden);
    const rows = results.filter((r) => r.architecture === name);
    if (rows.length === 0) throw new RangeError(`no fold results for candidate ${name}`);
    const col = (key: "accuracy" | "precision" | "recall" | "f1" | "logLoss" | "auc" | "seconds") => rows.map((r) => r[key]);
    const mean = (values: number[]) => (values.some((v) => v === null || Number.isNaN(v)) ? NaN : ss.mean(values));
    // Sample sd (n - 1), as the spread of fold scores estimates that of new folds; 0 for one fold.
    const sd = (values: number[]) => (values.some((v) => v === null || Number.isNaN(v)) ? NaN : values.length < 2 ? 0 : ss.sampleStandardDeviation(values));
    const sdLogLoss = sd(col("logLoss"));
    return {
      architecture: name,
      hidden: [...hidden],
      activation: candidate?.activation ?? rows[0].activation ?? DEFAULT_SELECTION_CONFIG.activation,
      learningRate: candidate?.learningRate ?? rows[0].learningRate ?? DEFAULT_SELECTION_CONFIG.learningRate,
      parameters: rows[0].parameters,
      folds: rows.length,
      divergedFolds: rows.filter((r) => r.diverged).length,
      meanAccuracy: mean(col("accuracy")),
      sdAccuracy: sd(col("accuracy")),
      meanPrecision: mean(col("precision")),
      sdPrecision: sd(col("precision")),
      meanRecall: mean(col("recall")),
      sdRecall: sd(col("recall")),
      meanF1: mean(col("f1")),
      sdF1: sd(col("f1")),
      meanLogLoss: mean(col("logLoss")),
      sdLogLoss,
      seLogLoss: standardError(sdLogLoss, rows.length, design),
      meanAuc: mean(col("auc")),
      sdAuc: sd(col("auc")),
      meanSeconds: mean(col("seconds")),
      sdSeconds: sd(col("seconds")),
    };
  });
}

/**
 * The standard error of a mean over J fold scores. Repeated folds are correlated (they share
 * training rows), so with repeats the corrected one, √((1/J + 1/(k − 1))·s²) (Nadeau & Bengio),
 * which does not shrink with every repeat as sd/√J would; one repeat keeps sd/√k.
 */
export function standardError(sd: number, j: number, design: { folds: number; repeats: number }): number {
  return design.repeats > 1 ? sd * Math.sqrt(correctionFactor(j, design.folds)) : sd / Math.sqrt(j);
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

const count = (n: number): string => n.toLocaleString("en-US");

/**
 * The one-standard-error rule (Breiman et al., 1984; Hastie, Tibshirani & Friedman, ESL §7.10):
 * find the candidate with the lowest mean validation log loss; every candidate whose mean is
 * at most that best mean plus the best's standard error is as good as the best within the noise
 * of the folds; of those, choose the one with the fewest parameters (ties: lower mean log loss,
 * then table order). Rows with a non-finite mean, or with folds that diverged, are ignored (a run
 * that blew up must not win, even if its other folds scored well); a NaN standard error counts as 0.
 */
export function oneStandardErrorRule(table: readonly OneSeCandidate[]): OneSeChoice {
  const rows = table
    .map((row, order) => ({ ...row, order }))
    .filter((r) => Number.isFinite(r.meanLogLoss) && !((r.divergedFolds ?? 0) > 0));
  if (rows.length === 0) throw new RangeError("oneStandardErrorRule: no candidate with a finite mean log loss and no diverged fold");
  const best = rows.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a));
  const se = Number.isFinite(best.seLogLoss) ? best.seLogLoss : 0;
  const threshold = best.meanLogLoss + se;
  const within = rows
    .filter((r) => r.meanLogLoss <= threshold)
    .sort((a, b) => a.parameters - b.parameters || a.meanLogLoss - b.meanLogLoss || a.order - b.order);
  const winner = within[0];
  const smaller = rows.filter((r) => r.parameters < best.parameters);
  let reason: string;
  if (winner.architecture !== best.architecture) {
    reason =
      `${winner.architecture} (${count(winner.parameters)} parameters) is the smallest network whose mean validation log loss, ` +
      `${fmt(winner.meanLogLoss)}, is within one standard error of the best, ${best.architecture} ` +
      `(${fmt(best.meanLogLoss)} + SE ${fmt(se)} = ${fmt(threshold)}, ${count(best.parameters)} parameters): ` +
      `the difference is within the noise across folds, so the smaller network is preferred.`;
  } else if (smaller.length === 0) {
    reason =
      `${winner.architecture} has the lowest mean validation log loss (${fmt(winner.meanLogLoss)}, SE ${fmt(se)}) ` +
      `and is also the smallest network in the grid (${count(winner.parameters)} parameters).`;
  } else {
    const nearest = smaller.reduce((a, b) => (b.meanLogLoss < a.meanLogLoss ? b : a));
    reason =
      `${winner.architecture} has the lowest mean validation log loss (${fmt(winner.meanLogLoss)}, SE ${fmt(se)}) and no smaller ` +
      `network comes within one standard error of it (≤ ${fmt(threshold)}; the best smaller one, ${nearest.architecture}, ` +
      `has ${fmt(nearest.meanLogLoss)}), so its ${count(winner.parameters)} parameters pay for themselves.`;
  }
  return { winner: winner.architecture, best: best.architecture, threshold, withinOneSe: within.map((r) => r.architecture), reason };
}

/**
 * The winner of a summary table, with its sizes and scores: by the one-SE rule, or (rule
 * "equivalent", which needs the comparisons) the smallest candidate not practically worse than the best.
 * Candidates a race stopped (`stopped`) are never chosen: their means stand on fewer folds, and a
 * race only stops a candidate that is surely worse than the best.
 */
export function chooseWinner(summary: readonly CandidateSummary[], options: { rule?: SelectionRule; comparisons?: readonly CandidateComparison[]; repeats?: number; stopped?: readonly string[] } = {}): Winner {
  const rule = options.rule ?? "one-se";
  const stopped = summary.filter((s) => options.stopped?.includes(s.architecture)).map((s) => s.architecture);
  const eligible = summary.filter((s) => !stopped.includes(s.architecture));
  const oneSe = oneStandardErrorRule(eligible);
  const picked = rule === "equivalent" ? equivalentRule(eligible, options.comparisons ?? []) : null;
  const chosen = picked ? { ...oneSe, winner: picked.winner, reason: picked.reason } : oneSe;
  const diverged = summary.filter((s) => (s.divergedFolds ?? 0) > 0).map((s) => s.architecture);
  const notes = [
    ...(diverged.length > 0 ? [`Not considered, as training diverged: ${diverged.join(", ")}.`] : []),
    ...(stopped.length > 0 ? [`Not considered, as the race stopped them: ${stopped.join(", ")}.`] : []),
  ];
  const choice = notes.length === 0 ? chosen : { ...chosen, reason: [chosen.reason, ...notes].join(" ") };
  const row = summary.find((s) => s.architecture === choice.winner)!;
  return {
    ...choice,
    architecture: row.architecture,
    hidden: [...row.hidden],
    activation: row.activation,
    learningRate: row.learningRate,
    parameters: row.parameters,
    meanLogLoss: row.meanLogLoss,
    seLogLoss: row.seLogLoss,
    rule,
    standardError: (options.repeats ?? 1) > 1 ? "corrected" : "sd/sqrt(k)",
  };
}
