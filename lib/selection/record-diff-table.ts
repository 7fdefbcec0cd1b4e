// `digits experiments compare` as one table: the settings of each record (pair, data, grid, folds,
// epochs, …) and each candidate's metrics, one column per record; optionally only the rows that
// differ (--only-changed, as DVC's `exp show --only-changed` and MLflow's "only show diff"), and
// each record's difference to a baseline record for every metric (--baseline). Pure functions of
// records, and the table as Markdown or CSV (escaped for each); JSON is the table itself.
import { architectureName } from "../model/model";
import { visible } from "../core/format";
import type { ComparisonMetric, ExperimentRecord } from "./record";

/** One cell: a number (a metric, a count), text (a setting), or null where a record lacks it. */
export type CompareValue = number | string | null;

export interface CompareRow {
  kind: "setting" | "metric";
  /** "epochs", or "16-8 · log loss" for a candidate's metric. */
  name: string;
  /** One per record, in the order given. */
  values: CompareValue[];
  /** With a baseline: value − baseline's value for each record (null where either is missing); absent for settings. */
  delta?: (number | null)[];
}

export interface CompareTable {
  /** The records' ids, in the order given. */
  ids: string[];
  /** The baseline's id (one of ids), when given. */
  baseline: string | null;
  rows: CompareRow[];
}

export interface CompareTableOptions {
  /** Keep only the settings and candidates whose values differ between the records. */
  onlyChanged?: boolean;
  /** Id of the record every other is measured against (must be one of the records). */
  baseline?: string;
}

const list = (values: readonly unknown[]) => values.map(String).join(",");

/** The config's fields that recordSettings shows by their own names, in its order. */
const NAMED_SETTINGS = new Set(["grid", "activations", "learningRates", "folds", "repeats", "epochs", "batchSize", "seed", "threshold", "rule", "rope"]);

/** A setting read from a record: text as it is, anything else as JSON (an object stays one cell). */
const settingText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value) ?? String(value));

/**
 * The settings a record was made with, as text, in a fixed order; then any other field of its config
 * by its own name (a setting added later shows up without more code). Records from before a setting
 * was stored show what they ran with: one cut of the folds, the winner's rule (the one-SE rule
 * before --rule), the ROPE of their comparisons, or "not recorded".
 */
function recordSettings(r: ExperimentRecord, others: readonly string[]): [string, string][] {
  const pair = r.data.digits ?? [0, 1];
  const config = r.config;
  const ropeOf = (metric: ComparisonMetric) => config.rope?.[metric] ?? r.comparisons?.find((c) => c.metric === metric)?.rope;
  const rope = (metric: ComparisonMetric) => {
    const eps = ropeOf(metric);
    return eps === undefined ? "not recorded" : String(eps);
  };
  return [
    ["pair", `${pair[0]},${pair[1]}`],
    ["data", `${r.data.rows} rows, ${r.data.fingerprint.slice(0, 12)}`],
    ["grid", config.grid.map((h) => architectureName(h)).join(" ")],
    ["activations", list(config.activations)],
    ["learning rates", list(config.learningRates)],
    ["folds", String(config.folds)],
    ["repeats", String(config.repeats ?? 1)],
    ["epochs", String(config.epochs)],
    ["batch size", String(config.batchSize)],
    ["seed", String(config.seed)],
    ["threshold", String(config.threshold)],
    ["rule", config.rule ?? r.winner.rule ?? "one-se"],
    ["rope accuracy", rope("accuracy")],
    ["rope log loss", rope("logLoss")],
    ...others.map((key): [string, string] => {
      const value = (config as unknown as Record<string, unknown>)[key];
      return [key, value === undefined ? "not recorded" : settingText(value)];
    }),
  ];
}

/** A candidate's metrics as compare shows them, with the summary field each comes from. */
const METRICS = [
  ["log loss", "meanLogLoss"],
  ["accuracy", "meanAccuracy"],
  ["AUC", "meanAuc"],
] as const;

const finite = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function differs(values: readonly CompareValue[]): boolean {
  return values.some((v) => v !== values[0]);
}

/** The comparison table of `records` (in that order). Throws a RangeError when the baseline is not one of them. */
export function compareTable(records: readonly ExperimentRecord[], options: CompareTableOptions = {}): CompareTable {
  const ids = records.map((r) => r.id);
  const base = options.baseline === undefined ? -1 : ids.indexOf(options.baseline);
  if (options.baseline !== undefined && base < 0) throw new RangeError(`the baseline ${options.baseline} is not one of the records compared`);
  // Fields of the config that are not named settings, from any of the records, each once.
  const others = [...new Set(records.flatMap((r) => Object.keys(r.config).filter((key) => !NAMED_SETTINGS.has(key))))].sort();
  const settings = records.map((r) => recordSettings(r, others));
  const rows: CompareRow[] = settings[0].map(([name], k) => ({ kind: "setting" as const, name, values: settings.map((s) => s[k][1]) }));
  const candidates: string[] = [];
  for (const r of records) for (const s of r.summary) if (!candidates.includes(s.architecture)) candidates.push(s.architecture);
  const metricRows: CompareRow[][] = candidates.map((candidate) =>
    METRICS.map(([label, field]) => {
      const values = records.map((r) => finite(r.summary.find((s) => s.architecture === candidate)?.[field]));
      const row: CompareRow = { kind: "metric", name: `${candidate} · ${label}`, values };
      if (base >= 0) row.delta = values.map((v) => (v === null || values[base] === null ? null : v - (values[base] as number)));
      return row;
    }),
  );
  // A candidate stays, with all its metrics, when any of them differs: a row of equal numbers beside its changed siblings still reads.
  const kept = options.onlyChanged ? metricRows.filter((group) => group.some((row) => differs(row.values))) : metricRows;
  const settingRows = options.onlyChanged ? rows.filter((row) => differs(row.values)) : rows;
  // The winner is an outcome, not a setting: it stays beside the metrics.
  const winner: CompareRow = { kind: "metric", name: "winner", values: records.map((r) => r.winner.architecture) };
  const winners = options.onlyChanged && !differs(winner.values) ? [] : [winner];
  return { ids, baseline: base >= 0 ? ids[base] : null, rows: [...settingRows, ...winners, ...kept.flat()] };
}

/**
 * The table's header and cells as text: name, one column per record, then "Δ id" per other record
 * when there is a baseline. Ids, names and settings come from records read back from disk, so every
 * cell is shown visible (a hand-edited name can neither drive a terminal nor break a table's lines).
 */
export function compareCells(table: CompareTable, format: (v: number) => string = (v) => v.toFixed(4)): { header: string[]; rows: string[][] } {
  const others = table.baseline === null ? [] : table.ids.map((id, i) => ({ id, i })).filter((o) => o.id !== table.baseline);
  const header = ["", ...table.ids.map((id) => (id === table.baseline ? `${id} (baseline)` : id)), ...others.map((o) => `Δ ${o.id}`)].map(visible);
  const text = (v: CompareValue) => (v === null ? "" : typeof v === "number" ? format(v) : visible(v));
  const signed = (v: number | null | undefined) => (v === null || v === undefined ? "" : `${v > 0 ? "+" : ""}${format(v)}`);
  const rows = table.rows.map((row) => [visible(row.name), ...row.values.map(text), ...others.map((o) => signed(row.delta?.[o.i]))]);
  return { header, rows };
}

/** A Markdown table (a pull request, a notebook): "|" and line breaks in a cell escaped. */
export function compareMarkdown(table: CompareTable): string {
  const { header, rows } = compareCells(table);
  const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header.map((h, i) => (i === 0 ? "setting / candidate" : h))), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

/** CSV (RFC 4180): a field with a comma, quote or line break quoted, its quotes doubled; numbers unrounded. */
export function compareCsv(table: CompareTable): string {
  const { header, rows } = compareCells(table, (v) => String(v));
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [["name", ...header.slice(1)], ...rows].map((r) => r.map(field).join(",")).join("\n") + "\n";
}
