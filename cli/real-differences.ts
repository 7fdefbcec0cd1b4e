// The "which differences are real" table under a selection's scores (digits select, digits
// experiments show), and the flags that shape it (--repeats, --rope, --rule).
import { InputError } from "../lib/core/errors";
import { textTable, visible } from "../lib/core/format";
import { DEFAULT_ROPE } from "../lib/selection/candidate-tests";
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
