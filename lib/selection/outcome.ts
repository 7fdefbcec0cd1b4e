// What a selection's fold results say, whoever trained them: the results in job order, summarised
// per candidate, each candidate tested against the best, and the winner. Platform-neutral: the
// record of `digits select` (./select) and a report's lab are built from the same outcome.
import { TrainingDiverged, formatLoss } from "../model/train";
import { compareCandidates } from "./candidate-tests";
import type { FoldJob } from "./fold-run";
import { chooseWinner, summarise } from "./one-se";
import type { SelectionPlan } from "./plan";
import type { CandidateComparison, CandidateSummary, FoldResult, Winner } from "./record";

/** A finished selection's results and what they decide. */
export interface SelectionOutcome {
  /** In grid order, then repeat, then fold order. */
  folds: FoldResult[];
  /** In grid order. */
  summary: CandidateSummary[];
  comparisons: CandidateComparison[];
  winner: Winner;
}

/** The results in grid then fold order (completion order depends on scheduling; the record does not). */
function inJobOrder(results: readonly FoldResult[], jobs: readonly FoldJob[]): FoldResult[] {
  const at = (name: string, repeat: number | undefined, fold: number) => `${name}/${repeat ?? 0}/${fold}`;
  const order = new Map(jobs.map((job) => [at(job.candidate.name, job.repeat, job.fold), job.id]));
  return [...results].sort((a, b) => order.get(at(a.architecture, a.repeat, a.fold))! - order.get(at(b.architecture, b.repeat, b.fold))!);
}

/** Throws TrainingDiverged when no candidate trained on every fold: there is nothing to choose. */
function checkSomeCandidateTrained(results: readonly FoldResult[], summary: readonly CandidateSummary[], learningRates: readonly number[]): void {
  if (!summary.every((s) => s.divergedFolds > 0)) return;
  const first = results.find((r) => r.diverged)!;
  throw new TrainingDiverged(
    `training diverged in every candidate of the grid (${summary.map((s) => `${s.architecture}: ${s.divergedFolds} of ${s.folds} folds`).join(", ")}; ` +
      `e.g. ${first.architecture} fold ${first.fold + 1} at epoch ${first.diverged!.epoch}, mean training loss ${formatLoss(first.diverged!.loss)}), so none can be chosen`,
    first.diverged!.epoch,
    first.diverged!.loss,
    [...learningRates],
  );
}

/** The outcome of `plan`'s selection from its fold results (every job's, in any order; a raced run's `stopped` candidates have fewer and are not chosen). */
export function selectionOutcome(plan: SelectionPlan, results: readonly FoldResult[], stopped: readonly string[] = []): SelectionOutcome {
  const folds = inJobOrder(results, plan.jobs);
  const { config } = plan;
  const summary = summarise(folds, plan.candidates, config);
  checkSomeCandidateTrained(folds, summary, config.learningRates);
  const comparisons = compareCandidates(folds, summary, config.folds, plan.rope);
  const winner = chooseWinner(summary, { rule: plan.rule, comparisons, repeats: config.repeats, stopped });
  return { folds, summary, comparisons, winner };
}
