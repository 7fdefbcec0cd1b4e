// The "which differences are real" table under a selection's scores (digits select, digits
// experiments show), and the flags that shape it (--repeats, --rope, --rule) or stop candidates
// on it (--race, --race-min-folds, --race-confidence).
import { InputError } from "../lib/core/errors";
import { textTable, visible } from "../lib/core/format";
import { DEFAULT_ROPE } from "../lib/selection/candidate-tests";
import { DEFAULT_RACE } from "../lib/selection/race";
import type { RaceSettings } from "../lib/selection/config";
import { SELECTION_RULES, type ComparisonMetric, type ExperimentRecord, type SelectionRule } from "../lib/selection/record";
import { comparisonRows, comparisonsCaption, comparisonsSentence } from "../lib/notebook/real-differences";
import { out, type Flags } from "./common";

export const COMPARISON_USAGE = `  --repeats R           repeated stratified k-fold: cut the folds R times, each repeat
                        shuffled with a seed from --seed and the repeat (default 1: the plain
                        k-fold run, same numbers as before); the comparisons use all k·R folds
  --rope X[,Y]          practical equivalence: differences within ±X accuracy (and ±Y log loss)
                        count as none (default ${DEFAULT_ROPE.accuracy},${DEFAULT_ROPE.logLoss})
  --rule NAME           how the winner is chosen: one-se (default, the one-SE rule) or
                        equivalent (the smallest candidate whose probability of being
                        practically worse than the best on accuracy is below 0.05)`;

export const RACE_USAGE = `  --race                race the candidates fold by fold: after each round of folds (from
                        --race-min-folds on) stop a candidate once the Bayesian correlated
                        t-test says it is practically worse than the best on log loss with
                        probability ≥ --race-confidence; the best and every smaller candidate
                        within one SE of it run every fold. Off by default
  --race-min-folds N    folds before the first stop, at least 2 (default ${DEFAULT_RACE.minFolds})
  --race-confidence P   P(worse) that stops a candidate, from 0.5 to below 1 (default ${DEFAULT_RACE.confidence})`;

/** --race, --race-min-folds and --race-confidence, checked before any work; undefined without --race. */
export function raceFlags(flags: Flags): RaceSettings | undefined {
  const given = (["race-min-folds", "race-confidence"] as const).filter((name) => flags[name] !== undefined);
  if (flags.race !== true) {
    if (given.length > 0) throw new InputError(`--${given[0]} needs --race: it sets how the race stops candidates`);
    return undefined;
  }
  // Number("") is 0: an empty value fails the range checks below.
  const value = (name: "race-min-folds" | "race-confidence", fallback: number) => (flags[name] === undefined ? fallback : Number(String(flags[name]).trim()));
  const minFolds = value("race-min-folds", DEFAULT_RACE.minFolds);
  if (!Number.isInteger(minFolds) || minFolds < 2) {
    throw new InputError(`--race-min-folds "${flags["race-min-folds"]}": expected a whole number ≥ 2 (the test needs two paired folds)`);
  }
  const confidence = value("race-confidence", DEFAULT_RACE.confidence);
  if (!(confidence >= 0.5 && confidence < 1)) {
    throw new InputError(`--race-confidence "${flags["race-confidence"]}": expected a probability from 0.5 to below 1, e.g. 0.99`);
  }
  return { minFolds, confidence };
}

/** --repeats, --rope and --rule, checked (InputError on a bad value, before any work). */
export function comparisonFlags(flags: Flags): { repeats: number; rope: Record<ComparisonMetric, number>; rule: SelectionRule } {
  const text = flags.repeats === undefined ? "1" : String(flags.repeats).trim();
  const repeats = Number(text);
  if (text === "" || !Number.isInteger(repeats) || repeats < 1 || repeats > 100) throw new InputError(`--repeats "${flags.repeats}": expected a whole number from 1 to 100`);
  const rope = { ...DEFAULT_ROPE };
  if (flags.rope !== undefined) {
    const parts = String(flags.rope).split(",").map((p) => p.trim());
    const values = parts.map(Number);
    if (parts.length > 2 || parts.some((p) => p === "") || values.some((v) => !Number.isFinite(v) || v < 0 || v >= 1)) {
      throw new InputError(`--rope "${flags.rope}": expected one or two numbers from 0 to 1, e.g. 0.002 or 0.002,0.005 (accuracy, log loss)`);
    }
    rope.accuracy = values[0];
    if (values.length === 2) rope.logLoss = values[1];
  }
  const rule = (flags.rule === undefined ? "one-se" : String(flags.rule)) as SelectionRule;
  if (!SELECTION_RULES.includes(rule)) throw new InputError(`--rule "${flags.rule}": expected one of ${SELECTION_RULES.join(", ")}`);
  return { repeats, rope, rule };
}

/** The comparisons table with its caption and the sentence; one line for a record without them. */
export function printComparisons(record: ExperimentRecord): void {
  const rows = comparisonRows(record);
  out("Which differences are real:");
  // The caption and the sentence name candidates, which a record read back may carry from anywhere.
  if (rows.length === 0) return void out(visible(comparisonsCaption(record)));
  out(textTable(Object.keys(rows[0]), rows.map((r) => Object.values(r))));
  out(visible(comparisonsCaption(record)));
  out(visible(comparisonsSentence(record)));
}
