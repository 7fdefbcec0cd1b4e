// Tables in notebook output: any table-like input (a danfo DataFrame or Series, rows as objects,
// explicit columns and rows) as an HTML table, pandas-like, or as plain text, elided alike. Pure;
// display.ts shows them. Every cell and caption is escaped (escape.ts): cells hold names read from
// disk (record ids, candidate names of stored records).
import { formatCell, textTable } from "../core/format";
import { escapeHtml } from "./escape";

/** Something with columns and rows: a danfo DataFrame or Series, rows as objects, or explicit columns/rows. */
export type TableInput =
  | { columns: string[]; values: unknown; index?: unknown[] }
  | { values: unknown; index: unknown[] }
  | readonly object[]
  | { columns: readonly string[]; rows: readonly (readonly unknown[])[] };

export interface TableOptions {
  /** Shown above the table. */
  caption?: string;
  /** With more columns, the middle ones are elided as "…" (default 20). */
  maxColumns?: number;
  /** With more rows, the middle ones are elided (default 60). */
  maxRows?: number;
  /** Decimal places of non-integers (default 4). */
  digits?: number;
  /** Show a DataFrame's index as the first column (default: only when it is not 0, 1, 2, …). */
  index?: boolean;
}

/** Columns and rows of any TableInput (a danfo Series becomes two columns: index and value). */
export function tableData(input: TableInput, options: TableOptions = {}): { columns: string[]; rows: unknown[][] } {
  if (Array.isArray(input)) {
    const records = input as readonly Record<string, unknown>[];
    const columns: string[] = [];
    for (const record of records) for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
    return { columns, rows: records.map((r) => columns.map((c) => r[c])) };
  }
  const obj = input as { columns?: readonly string[]; rows?: unknown[][]; values?: unknown; index?: unknown[] };
  if (obj.rows && obj.columns) return { columns: [...obj.columns], rows: obj.rows.map((r) => [...r]) };
  const values = obj.values as unknown[];
  const index = obj.index;
  if (!Array.isArray(values)) throw new TypeError("showTable: expected a DataFrame, a Series, an array of objects or { columns, rows }");
  if (!obj.columns) {
    // A Series: one value per index entry.
    return { columns: ["", "value"], rows: values.map((v, i) => [index?.[i] ?? i, v]) };
  }
  const rows = values.map((row) => (Array.isArray(row) ? [...row] : [row]));
  const plainIndex = !index || index.every((v, i) => v === i);
  const withIndex = options.index ?? !plainIndex;
  if (withIndex && index) return { columns: ["", ...obj.columns], rows: rows.map((row, i) => [index[i], ...row]) };
  return { columns: [...obj.columns], rows };
}

/** An HTML table (pandas-like, class "dataframe"), wide or long tables elided in the middle. */
export function tableHtml(input: TableInput, options: TableOptions = {}): string {
  const { columns, rows } = tableData(input, options);
  const maxColumns = options.maxColumns ?? 20;
  const maxRows = options.maxRows ?? 60;
  const digits = options.digits ?? 4;
  const colIdx = elide(columns.length, maxColumns);
  const rowIdx = elide(rows.length, maxRows);
  const numeric = columns.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number" || r[c] === null || r[c] === undefined));
  const format = cellFormatter(columns, rows, digits);
  const cell = (tag: "th" | "td", text: string, right: boolean) => `<${tag}${right ? ' style="text-align:right"' : ""}>${escapeHtml(text)}</${tag}>`;
  const head = colIdx.map((c) => (c < 0 ? cell("th", "…", false) : cell("th", columns[c], numeric[c]))).join("");
  const body = rowIdx
    .map((r) =>
      r < 0
        ? `<tr>${colIdx.map(() => cell("td", "⋮", false)).join("")}</tr>`
        : `<tr>${colIdx.map((c) => (c < 0 ? cell("td", "…", false) : cell("td", format(rows[r][c], c), numeric[c]))).join("")}</tr>`,
    )
    .join("\n");
  const shape = rowIdx.includes(-1) || colIdx.includes(-1) ? `<p style="color:#666;font-size:90%">${rows.length} rows × ${columns.length} columns</p>` : "";
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0">${escapeHtml(options.caption)}</caption>` : "";
  return `<div class="binary-digits-table" style="overflow-x:auto"><table class="dataframe" border="1">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${shape}</div>`;
}

// A column of scores shows every value with the same decimals (1.00000, not 1).
function cellFormatter(columns: readonly string[], rows: readonly unknown[][], digits: number): (value: unknown, column: number) => string {
  const fractional = columns.map((_, c) => rows.some((r) => typeof r[c] === "number" && Number.isFinite(r[c]) && !Number.isInteger(r[c])));
  return (value, c) => (fractional[c] && typeof value === "number" && Number.isInteger(value) ? value.toFixed(digits) : formatCell(value, digits));
}

// First half, -1 (the elision), last half, when n exceeds max.
function elide(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** The same table as plain text (elided alike), for output outside a notebook. */
export function tableText(input: TableInput, options: TableOptions = {}): string {
  const { columns, rows } = tableData(input, options);
  const colIdx = elide(columns.length, options.maxColumns ?? 20);
  const rowIdx = elide(rows.length, options.maxRows ?? 60);
  const format = cellFormatter(columns, rows, options.digits ?? 4);
  const header = colIdx.map((c) => (c < 0 ? "…" : columns[c]));
  const body = rowIdx.map((r) => colIdx.map((c) => (r < 0 ? "⋮" : c < 0 ? "…" : format(rows[r][c], c))));
  const shape = rowIdx.includes(-1) || colIdx.includes(-1) ? `\n(${rows.length} rows × ${columns.length} columns)` : "";
  return (options.caption ? `${options.caption}\n` : "") + textTable(header, body) + shape;
}
