// Sources: the notebooks' sentences that say where results came from and where they went. They
// are the sentences holding names from outside our code (folders and files from the environment,
// file names in a records folder, the data path stored in an earlier record), so each name goes
// through escape.ts here and is shown as text whatever characters it holds. Pure: Markdown out.
import type { NetworkChoice } from "../selection/network-choice";
import { markdownCode, markdownText } from "./escape";
import { projectRelative } from "../core/project";
import { describeArchitecture, parameterCount, type ModelConfig } from "../model/model";
import { describePairsConfig } from "../pairs/config";
import type { PairsRecord } from "../pairs/record";
import type { CacheCounts, ExperimentRecord } from "../selection/record";
import { formatDuration } from "../core/format";

/**
 * "6 fold runs: 2 reused from the cache, 4 trained. Recorded in `reports/experiments/….json`.",
 * after a warning for each cache entry that failed its check (and was trained again).
 */
export function recordedSentence(record: Pick<ExperimentRecord, "cache">, recordPath: string, cacheWarnings: readonly string[] = []): string {
  const { reused, trained } = record.cache;
  const warnings = cacheWarnings.map((w) => `Warning: ${markdownText(w)}. `).join("");
  return `${warnings}${reused + trained} fold runs: ${reused} reused from the cache, ${trained} trained${pastStopsClause(record.cache)}. Recorded in ${markdownCode(recordPath)}.`;
}

/**
 * ", and 2 more trained ahead of …": the folds a race on threads trained past the decision that
 * stopped their candidate (CacheCounts.pastStops), which the counts before it leave out; "" for none.
 */
export function pastStopsClause(cache: CacheCounts): string {
  const n = cache.pastStops ?? 0;
  return n > 0 ? `, and ${n} more trained ahead of the round that stopped ${n === 1 ? "its candidate" : "their candidates"} (in the fold cache, not in the record)` : "";
}

/**
 * "**784→25→15→1** (sigmoid), 19,991 parameters, learning rate 0.001: " and where that choice came
 * from (chooseNetwork's source, which names records, skipped files and their stored data paths).
 */
export function networkSentence(choice: Pick<NetworkChoice, "hidden" | "activation" | "learningRate" | "source">, model: ModelConfig): string {
  const activation = model.hidden.length > 0 ? ` (${model.activation})` : "";
  return (
    `**${describeArchitecture(model)}**${activation}, ${parameterCount(model).toLocaleString("en-US")} parameters, ` +
    `learning rate ${choice.learningRate}: ${markdownText(choice.source)}.`
  );
}

/** "Saved to `models/25-15`." */
export function savedSentence(path: string): string {
  return `Saved to ${markdownCode(path)}.`;
}

/** What pairsSentence reads of a run of the pairs map (a PairsRun). */
export interface PairsRunSummary {
  /** The record's file. */
  path: string;
  reused: boolean;
  record: Pick<PairsRecord, "config" | "createdAt" | "seconds"> & { data: Pick<PairsRecord["data"], "count"> };
  /** Why a record found was not used (plain text naming its file), if any. */
  warnings?: readonly string[];
}

/**
 * Where notebook 01's map of pairs comes from: reused from its record, or computed and saved now;
 * first, why a record found was not used.
 */
export function pairsSentence(run: PairsRunSummary, quick: boolean): string {
  const { record } = run;
  const file = markdownCode(projectRelative(run.path));
  const how = `${describePairsConfig(record.config)}, of ${record.data.count.toLocaleString("en-US")} training images`;
  const quickSample =
    record.config.perDigit !== null && quick ? " Quick mode: a small sample; `npx digits pairs` computes the full map (under a minute), which quick mode then reuses." : "";
  const source = run.reused
    ? `From ${file}, computed ${record.createdAt.slice(0, 10)} in ${formatDuration(record.seconds)} and reused because the data and settings are unchanged (${how}).${quickSample}`
    : `Computed in ${formatDuration(record.seconds)} and saved to ${file} (${how}).${quickSample}`;
  return [...(run.warnings ?? []).map((w) => `Warning: ${markdownText(w)}.`), source].join(" ");
}
