// "Which differences are real": the comparisons of a selection record (lib/selection/candidate-tests)
// as table rows and as a sentence that claims only what the probabilities show, and where a race
// (lib/selection/race) stopped a candidate. Pure, so the CLI (digits select, digits experiments
// show) and notebook 02 print the same thing.
import type { CandidateComparison, CandidateSummary, ComparisonMetric, ExperimentRecord } from "../selection/record";

/** The probability a sentence needs before it calls a difference (or its absence) practical. */
const CLAIM_LEVEL = 0.95;

const METRIC_NAMES: Record<ComparisonMetric, string> = { accuracy: "accuracy", logLoss: "log loss" };

const signed = (x: number, digits: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

/** A p-value or probability to three decimals; below 0.001 as "< 0.001" (it is not 0). */
function prob(p: number): string {
  if (p > 0 && p < 0.001) return "< 0.001";
  if (p < 1 && p > 0.999) return "> 0.999";
  return p.toFixed(3);
}

/** The cells of one comparison: difference, p-value, and P(better) / P(equivalent) / P(worse), or why not. */
function cells(c: CandidateComparison | undefined, digits: number): [string, string, string] {
  if (!c) return ["–", "–", "–"];
  const diff = c.meanDifference === null ? "–" : signed(c.meanDifference, digits);
  if (c.pValue === null || c.pBetter === null || c.pEquivalent === null || c.pWorse === null) return [diff, "undefined", c.note ?? "undefined"];
  return [diff, prob(c.pValue), `${prob(c.pBetter)} / ${prob(c.pEquivalent)} / ${prob(c.pWorse)}`];
}

/** The folds a candidate that ran to the end has: k × repeats. */
const allFolds = (config: Pick<ExperimentRecord["config"], "folds" | "repeats">) => config.folds * (config.repeats ?? 1);

/**
 * A candidate's mark in the score tables of a raced record: "stopped after 6 of 15 folds: P(worse)
 * 0.998 against 64-32" for one the race stopped, "all 15 folds" for one that ran to the end.
 */
export function raceMark(config: Pick<ExperimentRecord["config"], "folds" | "repeats">, row: Pick<CandidateSummary, "stopped">): string {
  const stop = row.stopped;
  return stop ? `stopped after ${stop.afterFolds} of ${allFolds(config)} folds: P(worse) ${prob(stop.pWorse)} against ${stop.against}` : `all ${allFolds(config)} folds`;
}

/** The candidates a race stopped, in grid order ([] for a record without a race). */
function stoppedRows(record: Partial<Pick<ExperimentRecord, "summary">>): CandidateSummary[] {
  return (record.summary ?? []).filter((s) => s.stopped);
}

/** The record's comparisons, [] for a record made before them. */
function recordComparisons(record: Pick<ExperimentRecord, "comparisons">): CandidateComparison[] {
  return Array.isArray(record.comparisons) ? record.comparisons : [];
}

/**
 * One row per candidate compared with the best: on accuracy and on log loss, the mean paired
 * difference (candidate − best), the corrected t-test's p and the Bayesian probabilities that the
 * candidate is better, practically equivalent or worse. Where s² = 0, "undefined" and the note.
 * In a raced record, also the folds each comparison rests on, and which candidates were stopped.
 */
export function comparisonRows(record: Pick<ExperimentRecord, "comparisons"> & Partial<Pick<ExperimentRecord, "config" | "summary">>): Record<string, string>[] {
  const list = recordComparisons(record);
  const names = [...new Set(list.map((c) => c.candidate))];
  const raced = record.config?.race !== undefined;
  return names.map((candidate) => {
    const [accDiff, accP, accProbs] = cells(list.find((c) => c.candidate === candidate && c.metric === "accuracy"), 4);
    const [llDiff, llP, llProbs] = cells(list.find((c) => c.candidate === candidate && c.metric === "logLoss"), 4);
    const stopped = record.summary?.find((s) => s.architecture === candidate)?.stopped;
    return {
      candidate,
      ...(raced ? { "paired folds": `${list.find((c) => c.candidate === candidate)!.folds}${stopped ? " (stopped by the race)" : ""}` } : {}),
      "Δ accuracy": accDiff,
      "p (accuracy)": accP,
      "P better / equiv. / worse (accuracy)": accProbs,
      "Δ log loss": llDiff,
      "p (log loss)": llP,
      "P better / equiv. / worse (log loss)": llProbs,
    };
  });
}

/** What the table compares, in a line: against which candidate, over how many folds, with which ROPE. */
export function comparisonsCaption(record: Pick<ExperimentRecord, "comparisons" | "config">): string {
  const list = recordComparisons(record);
  if (list.length === 0) return "No comparisons: this record was made before digits compared candidates, or it has one candidate.";
  const rope = (m: ComparisonMetric) => list.find((c) => c.metric === m)?.rope;
  const repeats = record.config.repeats ?? 1;
  const design = `${record.config.folds} folds × ${repeats} repeat${repeats === 1 ? "" : "s"}`;
  // A race leaves stopped candidates fewer folds: each is compared on the folds both have.
  const over = record.config.race ? `over the folds both have (${allFolds(record.config)}, ${design}; fewer for a candidate the race stopped: see paired folds)` : `over ${list[0].folds} paired folds (${design})`;
  return (
    `Each candidate against the best, ${list[0].against} (lowest mean validation log loss), ${over}: Δ = candidate − best; p from the corrected resampled t-test ` +
    `(Nadeau & Bengio); probabilities from the Bayesian correlated t-test with practical equivalence within ±${rope("accuracy")} accuracy, ±${rope("logLoss")} log loss. ` +
    `Better = higher accuracy, lower log loss.`
  );
}

const listed = (names: readonly string[]) => (names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`);

/** What the probabilities on one metric allow us to say: only claims at CLAIM_LEVEL or above. */
function metricSentence(list: readonly CandidateComparison[], metric: ComparisonMetric): string[] {
  const rows = list.filter((c) => c.metric === metric);
  if (rows.length === 0) return [];
  const name = METRIC_NAMES[metric];
  const best = rows[0].against;
  const eps = rows[0].rope;
  const defined = rows.filter((c) => c.pEquivalent !== null && c.pWorse !== null && c.pBetter !== null);
  const undefinedOnes = rows.filter((c) => !defined.includes(c)).map((c) => c.candidate);
  const parts: string[] = [];
  const tail = undefinedOnes.length > 0 ? ` (for ${listed(undefinedOnes)} the test is undefined: ${rows.find((c) => undefinedOnes.includes(c.candidate))?.note ?? "no spread in the differences"})` : "";
  if (defined.length > 0 && defined.every((c) => c.pEquivalent! >= CLAIM_LEVEL)) {
    const lowest = Math.min(...defined.map((c) => c.pEquivalent!));
    const who = undefinedOnes.length > 0 ? "no candidate the test applies to" : "no candidate";
    parts.push(`On ${name}, ${who} is practically different from the best, ${best}: each is within ±${eps} with probability at least ${prob(lowest)}${tail}.`);
    return parts;
  }
  const worse = defined.filter((c) => c.pWorse! >= CLAIM_LEVEL);
  const better = defined.filter((c) => c.pBetter! >= CLAIM_LEVEL);
  const equivalent = defined.filter((c) => c.pEquivalent! >= CLAIM_LEVEL);
  const unsure = defined.filter((c) => !worse.includes(c) && !better.includes(c) && !equivalent.includes(c));
  const probs = (cs: readonly CandidateComparison[], key: "pWorse" | "pBetter" | "pEquivalent") => cs.length === 1 ? prob(cs[0][key]!) : cs.map((c) => `${c.candidate}: ${prob(c[key]!)}`).join(", ");
  if (worse.length > 0) parts.push(`On ${name}, ${listed(worse.map((c) => c.candidate))} ${worse.length === 1 ? "is" : "are"} practically worse than ${best} (by more than ${eps}; probability ${probs(worse, "pWorse")}).`);
  if (better.length > 0) parts.push(`On ${name}, ${listed(better.map((c) => c.candidate))} ${better.length === 1 ? "is" : "are"} practically better than ${best} (probability ${probs(better, "pBetter")}).`);
  if (equivalent.length > 0) parts.push(`On ${name}, ${listed(equivalent.map((c) => c.candidate))} ${equivalent.length === 1 ? "is" : "are"} practically equivalent to ${best} (probability ${probs(equivalent, "pEquivalent")}).`);
  if (unsure.length > 0) parts.push(`On ${name}, the folds cannot tell ${listed(unsure.map((c) => c.candidate))} from ${best}: none of the three probabilities reaches ${CLAIM_LEVEL}.`);
  if (undefinedOnes.length > 0) parts.push(`On ${name}, the test is undefined for ${listed(undefinedOnes)} (${rows.find((c) => undefinedOnes.includes(c.candidate))?.note ?? "no spread in the differences"}).`);
  return parts;
}

/**
 * The finding in words, computed from the record's comparisons: a difference (or its absence) is
 * claimed only where its probability reaches CLAIM_LEVEL; logistic regression, the baseline, is
 * always given with its own probability of being worse on accuracy.
 */
export function comparisonsSentence(record: Pick<ExperimentRecord, "comparisons" | "summary" | "config">): string {
  const list = recordComparisons(record);
  if (list.length === 0) return "This record has no comparisons (it was made before digits compared candidates, or it has one candidate); run the selection again to get them.";
  const parts = [...metricSentence(list, "accuracy"), ...metricSentence(list, "logLoss")];
  const logistic = record.summary.find((s) => s.hidden.length === 0);
  const vsLogistic = logistic && list.find((c) => c.metric === "accuracy" && c.candidate === logistic.architecture);
  if (vsLogistic && vsLogistic.pWorse !== null && vsLogistic.meanDifference !== null) {
    parts.push(
      `Logistic regression's accuracy is ${(Math.abs(vsLogistic.meanDifference) * 100).toFixed(2)} points ${vsLogistic.meanDifference < 0 ? "below" : "above"} ${vsLogistic.against}'s; ` +
        `the probability that it is practically worse is ${prob(vsLogistic.pWorse)}${vsLogistic.folds < allFolds(record.config) ? ` (over ${vsLogistic.folds} folds)` : ""}.`,
    );
  }
  const stopped = stoppedRows(record);
  if (stopped.length > 0) {
    const when = listed(stopped.map((s) => `${s.architecture} after ${s.stopped!.afterFolds}`));
    parts.push(`The race stopped ${when} of ${allFolds(record.config)} folds (P(worse) on log loss ≥ ${record.config.race?.confidence}): what is said of ${stopped.length === 1 ? "it" : "them"} rests on those folds alone.`);
  }
  return parts.join(" ");
}
