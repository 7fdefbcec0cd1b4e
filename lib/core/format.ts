// Format: the small text formatting shared by the command line and the notebooks' display —
// durations as a clock, progress bars, cell values and plain-text tables, and text from outside
// made safe to show on a terminal (visible). Pure functions of their arguments; where the text
// goes is the caller's business.

/**
 * What a terminal would act on or hide rather than show: control characters (C0, DEL, C1), format
 * characters (bidi embeddings, overrides and isolates, zero-width characters, the BOM, soft hyphen),
 * the Unicode line and paragraph separators, and lone surrogates.
 */
const NON_PRINTING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from outside (a path, a record's field, a note, a file name, a name from Redis) as it may be
 * shown on a terminal: every non-printing character written as an escape — "\n", "\x1b" for the
 * other C0 controls, "\u202e" for the rest — so a value can neither drive the
 * terminal (retitle, recolour, clear it), nor reorder what follows it, nor start a line that looks
 * like the program's own. Everything printable is kept, backslashes included (a Windows path stays
 * readable), so visible(visible(s)) is visible(s); the \u escapes are JSON's own, so JSON text
 * stays JSON with the same value.
 */
export function visible(text: string): string {
  return text.replace(NON_PRINTING, (c) => {
    const code = c.codePointAt(0)!;
    if (SHORT_ESCAPES[c]) return SHORT_ESCAPES[c];
    if (code < 0x20) return `\\x${code.toString(16).padStart(2, "0")}`;
    // Above U+FFFF (the tag characters): its two UTF-16 halves, as JSON writes them.
    return [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");
  });
}

/**
 * A duration as people read it: "0.03 s" (one significant digit below a second, never "0.0 s"),
 * "2.3 s", "1 min 05 s", "1 h 02 min".
 */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${String(Number(seconds.toPrecision(1)))} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** "0:07", "1:05", or "1:02:03" past an hour: a duration in whole seconds (negative counts as 0). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export interface BarOptions {
  /** Characters between the ends (default 24). */
  width?: number;
  /** "[####....]" for terminals and logs that may not show block characters; default "████░░░░". */
  ascii?: boolean;
}

/** The bar alone for a share done in 0…1 (clamped; NaN counts as 0): "██████░░░░" or, ascii, "[######....]". */
export function bar(fraction: number, options: BarOptions = {}): string {
  const width = options.width ?? 24;
  const share = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(share * width);
  return options.ascii ? `[${"#".repeat(filled)}${".".repeat(width - filled)}]` : `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
}

/** Whole percent done, rounded down (so "100%" only when all is done), padded to line up: " 42%". */
export function percentDone(fraction: number): string {
  const share = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  // The epsilon keeps 0.29 * 100 = 28.999… from showing as 28%.
  return `${String(Math.floor(share * 100 + 1e-9)).padStart(3)}%`;
}

/** "██████░░░░  42%": a bar and the percentage done. */
export function percentBar(fraction: number, options: BarOptions = {}): string {
  return `${bar(fraction, options)} ${percentDone(fraction)}`;
}

/** "███████░░░ 7/10": a bar and a count of steps done. */
export function countBar(done: number, total: number, options: BarOptions = {}): string {
  return `${bar(total > 0 ? done / total : 0, options)} ${done}/${total}`;
}

/** A cell's text: integers as they are, other numbers with `digits` decimals, NaN as "–", ±∞ as "∞"/"−∞". */
export function formatCell(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "–";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
    if (Number.isInteger(value)) return String(value);
    return value.toFixed(digits);
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatCell(v, digits)).join(", ")}]`;
  return String(value);
}

/**
 * A plain-text table: the header, a rule of dashes, then the rows; columns two spaces apart, the
 * first (names) left-aligned, the others (numbers) right-aligned. Cells that are not strings go
 * through formatCell; every cell is shown visible, so a value from outside can neither break the
 * table's lines nor drive the terminal. Widths count characters, so "±" and "–" line up in a terminal.
 */
export function textTable(header: readonly string[], rows: readonly (readonly unknown[])[], digits = 4): string {
  const text = rows.map((row) => header.map((_, c) => visible(typeof row[c] === "string" ? (row[c] as string) : formatCell(row[c], digits))));
  const length = (s: string) => [...s].length;
  const widths = header.map((h, c) => Math.max(length(visible(h)), ...text.map((r) => length(r[c]))));
  const pad = (cell: string, c: number) => {
    const fill = " ".repeat(widths[c] - length(cell));
    return c === 0 ? cell + fill : fill + cell;
  };
  const line = (cells: readonly string[]) => cells.map(pad).join("  ").trimEnd();
  return [line(header.map(visible)), widths.map((w) => "-".repeat(w)).join("  "), ...text.map(line)].join("\n");
}

/**
 * "13.8 GiB", "4 GiB", "38.6 MiB", "512 KiB": a size in binary units (the units memory limits are
 * set in: WebAssembly's ceiling is exactly 4 GiB), three significant digits at most.
 */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} bytes`;
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  // 4.00 GiB reads as 4 GiB; 13.80 as 13.8
  return `${text.includes(".") ? text.replace(/\.?0+$/, "") : text} ${units[unit]}`;
}

/** A value found in user input, quoted and cut to `max` characters, for error messages: "abc", "pixel1…". */
export function quoteExcerpt(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + "…" : s);
}
