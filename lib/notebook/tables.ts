// Tables: results turned into rows (plain objects) and sentences for the notebooks, pure so the
// tests can check them; display.ts shows them (table-html.ts escapes every cell). Column names
// are what a reader sees.
import type { DataQuality } from "../data/explore";
import { architectureName, describeArchitecture, type Activation } from "../model/model";
import type { ClassificationMetrics } from "../evaluation/metrics";
import type { ExperimentRecord } from "../selection/record";
import type { SelectionConfig } from "../selection/config";
import { markdownCode } from "./escape";
import { raceMark } from "./real-differences";
import { formatDuration } from "../core/format";

/** The data-quality counts as a two-column table a reader can scan. */
export function qualityRows(q: DataQuality): { check: string; count: number }[] {
  return [
    { check: "rows (images)", count: q.rows },
    { check: "columns (label + pixels)", count: q.columns },
    { check: "missing cells", count: q.missingCells },
    { check: "duplicate rows (same image, same label)", count: q.duplicateRows },
    { check: "conflicting duplicates (same image, other label)", count: q.conflictingDuplicates },
    { check: "blank pixels (0 in every image)", count: q.blankPixels },
  ];
}

/** One row per evaluated set (train, validation, test): the reference's metrics plus log loss and AUC. */
export function metricsRows(sets: Record<string, ClassificationMetrics>): Record<string, unknown>[] {
  return Object.entries(sets).map(([name, m]) => ({
    set: name,
    images: m.count,
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    F1: m.f1,
    "log loss": m.logLoss,
    AUC: m.auc,
    errors: m.confusionMatrix[0][1] + m.confusionMatrix[1][0],
  }));
}

function pm(mean: number, sd: number, digits: number): string {
  if (mean === null || !Number.isFinite(mean)) return "–";
  return `${mean.toFixed(digits)} ± ${sd === null || !Number.isFinite(sd) ? "–" : sd.toFixed(digits)}`;
}

/**
 * What a selection's tables and sentences read of it: its settings, summary and winner, and its
 * data's pixel count and pair. A record is one; a report's lab builds one from the outcome it
 * computed in the page.
 */
export type SelectionResults = Pick<ExperimentRecord, "config" | "summary" | "winner"> & { data: Pick<ExperimentRecord["data"], "cols" | "digits"> };

/** "784→25→15→1": the layer widths of a candidate of a selection run, from its data's pixel count. */
function layers(record: SelectionResults, row: { hidden: readonly number[]; activation: Activation }): string {
  return describeArchitecture({ inputSize: record.data.cols, hidden: [...row.hidden], activation: row.activation });
}

/** "logistic 8 25-15", then "× sigmoid, relu" and "× lr 0.001, 0.003" where the grid varies them. */
function gridText(config: Pick<SelectionConfig, "grid" | "activations" | "learningRates">): string {
  const parts = [config.grid.map((h) => architectureName(h)).join(" ")];
  if (config.activations.length > 1) parts.push(config.activations.join(", "));
  if (config.learningRates.length > 1) parts.push(`lr ${config.learningRates.join(", ")}`);
  return parts.join(" × ");
}

/**
 * What a column of candidate names is called: "architecture" while every grid only varies layer
 * sizes (a candidate's name is then its layer sizes alone); "candidate" once one varies more.
 */
function nameColumnOf(records: readonly Pick<ExperimentRecord, "config">[]): "architecture" | "candidate" {
  return records.some((r) => r.config.activations.length > 1 || r.config.learningRates.length > 1) ? "candidate" : "architecture";
}

/**
 * Mean ± sd per candidate over the folds, in grid order; the winner is marked. When training
 * diverged for any candidate, a "diverged" column says in how many folds (it cannot win).
 */
export function selectionRows(record: SelectionResults): Record<string, unknown>[] {
  const { activations, learningRates } = record.config;
  const nameColumn = nameColumnOf([record]);
  const anyDiverged = record.summary.some((s) => (s.divergedFolds ?? 0) > 0);
  return record.summary.map((s) => ({
    [nameColumn]: s.architecture === record.winner.architecture ? `${s.architecture} ★` : s.architecture,
    layers: layers(record, s),
    // Shown where the grid varies them (the candidate's name says them too).
    ...(activations.length > 1 ? { activation: s.hidden.length === 0 ? "–" : s.activation } : {}),
    ...(learningRates.length > 1 ? { "learning rate": s.learningRate } : {}),
    parameters: s.parameters,
    "log loss (mean ± sd)": pm(s.meanLogLoss, s.sdLogLoss, 5),
    "SE of log loss": s.seLogLoss,
    "accuracy (mean ± sd)": pm(s.meanAccuracy, s.sdAccuracy, 5),
    "F1 (mean ± sd)": pm(s.meanF1, s.sdF1, 5),
    "AUC (mean ± sd)": pm(s.meanAuc, s.sdAuc, 6),
    "seconds per fold": s.meanSeconds,
    ...(anyDiverged ? { diverged: (s.divergedFolds ?? 0) > 0 ? `${s.divergedFolds} of ${s.folds} folds` : "" } : {}),
    // Raced records only: which candidates the race stopped, and why.
    ...(record.config.race ? { race: raceMark(record.config, s) } : {}),
  }));
}

/** The winner and the rule's reason, as Markdown: what notebook 02 says of it, and a report's lab of its own run. */
export function winnerParagraphs(record: SelectionResults): string {
  const w = record.winner;
  const within = w.withinOneSe.length > 1 ? ` Within one standard error of the best: ${w.withinOneSe.join(", ")}.` : "";
  const se = w.standardError === "corrected" ? ` The standard error is the corrected one for repeated folds, √((1/J + 1/(k − 1))·s²), over J = ${record.config.folds * (record.config.repeats ?? 1)} folds.` : "";
  return (
    `**Winner: ${w.architecture}** (${layers(record, w)}, ${w.parameters.toLocaleString("en-US")} parameters), ` +
    `chosen by ${w.rule === "equivalent" ? "the equivalence rule (smallest candidate not practically worse than the best)" : "the one-standard-error rule"} over ${record.config.folds} folds${(record.config.repeats ?? 1) > 1 ? ` × ${record.config.repeats} repeats` : ""} × ${record.config.epochs} epochs.\n\n` +
    `${w.reason}${within}${se}`
  );
}

/** The winner and the one-SE rule's reason, as Markdown, and the record; `recordPath` is shown as text, whatever it holds. */
export function winnerMarkdown(record: ExperimentRecord, recordPath = `reports/experiments/${record.id}.json`): string {
  return `${winnerParagraphs(record)}\n\nRecord: ${markdownCode(recordPath)} (${formatDuration(record.seconds)} on ${record.workers} thread${record.workers === 1 ? "" : "s"}).`;
}

/** One row per selection run, oldest first: settings, winner and its score, wall time, tags and note (escaped where shown: tableHtml). */
export function runRows(records: readonly ExperimentRecord[]): Record<string, unknown>[] {
  return records.map((r) => {
    const best = r.summary.find((s) => s.architecture === r.winner.best);
    return {
      run: r.id,
      rows: r.data.rows,
      data: r.data.fingerprint,
      grid: gridText(r.config),
      folds: r.config.folds,
      epochs: r.config.epochs,
      "batch size": r.config.batchSize,
      seed: r.config.seed,
      winner: r.winner.architecture,
      "winner log loss": r.winner.meanLogLoss,
      "lowest log loss": best ? `${best.architecture}: ${best.meanLogLoss.toFixed(5)}` : "–",
      seconds: r.seconds,
      tags: (r.tags ?? []).join(", "),
      note: r.note ?? "",
    };
  });
}

/**
 * Mean validation log loss of each candidate (rows) in each of the last `limit` runs (columns),
 * so the same candidate can be followed across runs; "–" where a run did not include it.
 */
export function logLossByRun(records: readonly ExperimentRecord[], limit = 6): { columns: string[]; rows: unknown[][] } {
  const recent = records.slice(-limit);
  const candidates: { name: string; parameters: number }[] = [];
  for (const r of recent) {
    for (const s of r.summary) if (!candidates.some((a) => a.name === s.architecture)) candidates.push({ name: s.architecture, parameters: s.parameters });
  }
  candidates.sort((a, b) => a.parameters - b.parameters);
  const columns = [nameColumnOf(recent), "parameters", ...recent.map((r) => `${r.id} (${r.config.folds}×${r.config.epochs})`)];
  const rows = candidates.map((a) => [
    a.name,
    a.parameters,
    ...recent.map((r) => {
      const s = r.summary.find((x) => x.architecture === a.name);
      if (!s || s.meanLogLoss === null || !Number.isFinite(s.meanLogLoss)) return "–";
      return `${s.meanLogLoss.toFixed(5)}${r.winner.architecture === a.name ? " ★" : ""}`;
    }),
  ]);
  return { columns, rows };
}
