// CSV → Dataset: loadCsv reads a file in the reference layout (header label,pixel0,…,pixel783;
// integer pixels 0–255), keeping the rows of one pair of digits; parseCsvBuffer does the work on
// the bytes, and every problem is an InputError naming the file, line and column.
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { quoteExcerpt } from "../core/format";
import { checkPair, DEFAULT_PAIR, samePair, type Pair } from "../core/pair";
import { projectRoot } from "../core/project";
import { classCounts, CSV_COLUMNS, CSV_HEADER_NAMES, PIXELS, type LoadedDataset } from "./dataset";
import { builtInPair, DEFAULT_TRAIN_CSV, ensureDefaultDataset, resolveDataPath } from "./default-files";

const BUILD_HINT = "build the default data/train.csv and data/test.csv with `npx digits data` (a pair's data/A-B/*.csv with `npx digits data --digits A,B`)";
const MISSING_FILE_HINT = "check the spelling and the folder you run from, or give an absolute path to a CSV with header label,pixel0,…,pixel783";

export interface LoadCsvOptions {
  /**
   * The two digits to keep, [A, B]: rows of A get label 0, rows of B label 1, and rows of other
   * digits are skipped (without checking their pixels) and counted in `dropped`. Without it, a
   * file whose labels are exactly two digits is that pair (smaller digit first), and a file with
   * more digits is an error listing them.
   */
  digits?: readonly number[];
  /** The same as digits: [0, 1] (kept for the --binary-only flag and DIGITS_BINARY_ONLY). */
  binaryOnly?: boolean;
}

/**
 * Loads a CSV in the reference layout (header label,pixel0,…,pixel783; integer pixels 0–255).
 * Relative paths follow resolveDataPath; the files `digits data` writes (data/train.csv,
 * data/test.csv, data/A-B/*.csv) are built on first use. Throws InputError naming the file, line
 * and column of the first problem.
 */
export function loadCsv(file: string, options: LoadCsvOptions = {}): LoadedDataset {
  const resolved = resolveDataPath(file);
  const builtIn = builtInPair(resolved);
  const isDefault = builtIn !== null;
  if (builtIn && !fs.existsSync(resolved)) ensureDefaultDataset(path.dirname(resolved), builtIn);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`${file}: file not found (${lookedAt(file)}); ${isDefault ? BUILD_HINT : MISSING_FILE_HINT}`);
    if (code === "EISDIR") throw new InputError(`${file}: is a directory; expected a CSV file such as ${DEFAULT_TRAIN_CSV}`);
    throw new InputError(`${file}: cannot read (${(error as Error).message})`);
  }
  return parseCsvBuffer(buf, file, options);
}

/** Where resolveDataPath looked for `file`: the path itself if absolute, else the cwd then the project root. */
function lookedAt(file: string): string {
  const fromCwd = path.resolve(file);
  const fromRoot = path.join(projectRoot(), file);
  return path.isAbsolute(file) || fromCwd === fromRoot ? `looked at ${fromCwd}` : `looked at ${fromCwd} and ${fromRoot}`;
}

/** parseCsvBuffer for a string (tests, small inline examples). */
export function parseCsvText(text: string, name: string, options: LoadCsvOptions = {}): LoadedDataset {
  return parseCsvBuffer(Buffer.from(text, "utf8"), name, options);
}

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;
// A local copy for the inner loops: an imported binding may be a getter (tsx compiles imports so),
// which would be called once per cell.
const ROW_PIXELS = PIXELS;

/**
 * Parses CSV bytes in the reference layout into a Dataset; name is used in error messages.
 * Works on the bytes directly (no per-cell strings): pass 1 counts rows to size the typed arrays,
 * pass 2 parses digits straight into them. Any irregular line drops to a slow path that decodes
 * just that line to say precisely what is wrong.
 */
function parseCsvBuffer(bytes: Uint8Array, name: string, options: LoadCsvOptions = {}): LoadedDataset {
  const start = afterHeader(bytes, name);
  const end = endOfRows(bytes, start);
  const perDigit = countRowsPerDigit(bytes, start, end);
  const pair = choosePair(perDigit, name, options);
  const kept = parseRows(bytes, start, end, pair, perDigit[pair[0]] + perDigit[pair[1]], name);
  checkBothDigits(kept, pair, name);
  const { rows } = kept;
  const full = rows === kept.labels.length;
  const dropped = kept.skipped.flatMap((count, digit) => (count > 0 ? [{ digit, rows: count }] : []));
  return {
    features: full ? kept.features : kept.features.slice(0, rows * PIXELS),
    labels: full ? kept.labels : kept.labels.slice(0, rows),
    rows,
    cols: PIXELS,
    digits: pair,
    dropped,
    rowIndex: full ? kept.rowIndex : kept.rowIndex.slice(0, rows),
  };
}

/** Checks line 1 (after a UTF-8 BOM, if any) and returns where the data rows start. */
function afterHeader(buf: Uint8Array, name: string): number {
  const pos = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  let headerEnd = buf.indexOf(LF, pos);
  if (headerEnd === -1) headerEnd = buf.length;
  const headerText = stripCr(decode(buf, pos, headerEnd));
  if (headerText.trim() === "" && headerEnd >= buf.length - 1) {
    throw new InputError(`${name}: the file is empty; expected a header line label,pixel0,…,pixel783 followed by one row per image (if it is one of the default files, rebuild them with \`npx digits data\`)`);
  }
  checkHeader(headerText, name);
  return headerEnd + 1;
}

/**
 * Pass 1: rows per digit, read from the labels alone, to choose the pair and size the arrays.
 * Lines whose label does not parse are not counted; pass 2 reports them.
 */
function countRowsPerDigit(buf: Uint8Array, start: number, end: number): number[] {
  const perDigit = new Array<number>(10).fill(0);
  for (let p = start; p < end; ) {
    let lineEnd = buf.indexOf(LF, p);
    if (lineEnd === -1) lineEnd = end;
    let label = 0;
    let q = p;
    while (q < lineEnd && buf[q] >= ZERO && buf[q] <= NINE && label <= 9) label = label * 10 + (buf[q++] - ZERO);
    if (q > p && q < lineEnd && buf[q] === COMMA && label <= 9) perDigit[label]++;
    p = lineEnd + 1;
  }
  return perDigit;
}

/** The rows pass 2 kept, in arrays of `capacity` rows of which the first `rows` are filled. */
interface KeptRows {
  features: Float32Array;
  labels: Uint8Array;
  rowIndex: Uint32Array;
  rows: number;
  /** Rows of digits outside the pair, per digit 0–9. */
  skipped: number[];
}

function allocateRows(capacity: number): Omit<KeptRows, "skipped"> {
  return { features: new Float32Array(capacity * PIXELS), labels: new Uint8Array(capacity), rowIndex: new Uint32Array(capacity), rows: 0 };
}

/**
 * Pass 2: parses the rows of the pair's digits straight into typed arrays sized for `expected`
 * rows (pass 1's count), labelling A 0 and B 1, and counts the rows of other digits without
 * reading their pixels. A line that does not parse throws rowError's description of it.
 */
function parseRows(buf: Uint8Array, start: number, end: number, pair: Pair, expected: number, name: string): KeptRows {
  // Label of each digit: 0 for A, 1 for B, 255 for a digit to skip.
  const code = new Uint8Array(10).fill(255);
  code[pair[0]] = 0;
  code[pair[1]] = 1;
  let kept = allocateRows(expected);
  const skipped = new Array<number>(10).fill(0);
  let pos = start;
  let line = 1;
  while (pos < end) {
    line++;
    const lineStart = pos;
    let p = pos;
    // Label: digits up to the first comma.
    let label = 0;
    let digits = 0;
    while (p < end && buf[p] >= ZERO && buf[p] <= NINE) {
      label = label * 10 + (buf[p] - ZERO);
      p++;
      digits++;
    }
    if (digits === 0 || p >= end || buf[p] !== COMMA || label > 9) throw rowError(buf, lineStart, line, name);
    if (code[label] === 255) {
      skipped[label]++;
      const lineEnd = buf.indexOf(LF, p);
      pos = lineEnd === -1 ? end : lineEnd + 1;
      continue;
    }
    // Only reachable when pass 1 undercounted; grow rather than fail.
    if (kept.rows === kept.labels.length) kept = grown(kept);
    pos = parsePixels(buf, p + 1, end, kept.features, kept.rows * PIXELS);
    if (pos === -1) throw rowError(buf, lineStart, line, name);
    kept.labels[kept.rows] = code[label];
    kept.rowIndex[kept.rows] = line - 2;
    kept.rows++;
  }
  return { ...kept, skipped };
}

/** The same rows in arrays of twice the capacity (at least 16). */
function grown(kept: Omit<KeptRows, "skipped">): Omit<KeptRows, "skipped"> {
  const bigger = allocateRows(Math.max(16, kept.labels.length * 2));
  bigger.features.set(kept.features);
  bigger.labels.set(kept.labels);
  bigger.rowIndex.set(kept.rowIndex);
  return { ...bigger, rows: kept.rows };
}

/**
 * Parses a row's PIXELS cells from `p` into features[base…] (scaled to [0, 1]) and returns where
 * the next line starts, or -1 when a cell is not an integer 0–255 or the row has too few or too
 * many cells. The line ends with \n, \r\n or the end of the rows.
 */
function parsePixels(buf: Uint8Array, p: number, end: number, features: Float32Array, base: number): number {
  for (let j = 0; j < ROW_PIXELS; j++) {
    let v = 0;
    let digits = 0;
    let c = buf[p];
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      digits++;
      c = buf[++p];
    }
    if (digits === 0 || v > 255) return -1;
    if (j < ROW_PIXELS - 1) {
      if (c !== COMMA) return -1;
      p++;
    } else {
      if (c === CR) c = buf[++p];
      if (p < end && c !== LF) return -1;
      p++;
    }
    features[base + j] = v / 255;
  }
  return p;
}

/** A classifier needs rows of both digits of its pair: says which is missing, and what the file held instead. */
function checkBothDigits(kept: KeptRows, [a, b]: Pair, name: string): void {
  const { rows, skipped } = kept;
  const totalSkipped = skipped.reduce((x, y) => x + y, 0);
  if (rows === 0 && totalSkipped > 0) {
    throw new InputError(`${name}: no rows labelled ${a} or ${b} (all ${totalSkipped} rows are other digits: ${digitCounts(skipped)}); expected a file with both ${a}s and ${b}s`);
  }
  if (rows === 0) throw new InputError(`${name}: no data rows after the header; expected one row per image (label,pixel0,…,pixel783)`);
  const [countA, countB] = classCounts(kept.labels.subarray(0, rows));
  if (countA === 0 || countB === 0) {
    const [missing, present] = countA === 0 ? [a, b] : [b, a];
    throw new InputError(`${name}: no rows labelled ${missing} (found ${rows} row${rows === 1 ? "" : "s"}, all labelled ${present}); a ${a}/${b} classifier needs examples of both classes`);
  }
}

/** "0: 5,923 rows, 1: 6,742 rows" for the digits with rows. */
function digitCounts(perDigit: readonly number[]): string {
  return perDigit.flatMap((count, digit) => (count > 0 ? [`${digit}: ${count.toLocaleString("en-US")} row${count === 1 ? "" : "s"}`] : [])).join(", ");
}

/**
 * The pair a load keeps: the one asked for (digits, or binaryOnly for 0 and 1), else the file's
 * own two digits. A file with more than two digits needs the caller to choose.
 */
function choosePair(perDigit: readonly number[], name: string, options: LoadCsvOptions): Pair {
  const asked = options.digits === undefined ? undefined : checkPair(options.digits);
  if (options.binaryOnly && asked && !samePair(asked, DEFAULT_PAIR)) {
    throw new InputError(`binaryOnly keeps the digits 0 and 1 but digits asks for ${asked[0]} and ${asked[1]}; give one of them`);
  }
  if (asked) return asked;
  if (options.binaryOnly) return DEFAULT_PAIR;
  const present = perDigit.flatMap((count, digit) => (count > 0 ? [digit] : []));
  if (present.length === 2) return [present[0], present[1]];
  if (present.length > 2) {
    throw new InputError(
      `${name}: holds ${present.length} digits (${digitCounts(perDigit)}); a classifier tells two apart: choose them with --digits A,B ` +
        `on the command line (e.g. --digits ${present[0]},${present[1]}; --binary-only is --digits 0,1), or loadCsv(path, { digits: [A, B] }) in code`,
    );
  }
  if (present.length === 1 && present[0] > 1) {
    throw new InputError(`${name}: every row is the digit ${present[0]} (${digitCounts(perDigit)}); a classifier needs rows of two digits`);
  }
  // A file of 0s only or 1s only (or with no readable label): the checks after parsing say what is missing.
  return DEFAULT_PAIR;
}

/**
 * Where the data rows end: before any blank or whitespace-only lines at the end of the file, which
 * spreadsheet and editor exports often leave (pandas skips them too). A blank line between rows
 * is still an error naming its line.
 */
function endOfRows(buf: Uint8Array, start: number): number {
  let end = buf.length;
  while (end > start) {
    const lf = buf.lastIndexOf(LF, end - 1);
    for (let i = lf + 1; i < end; i++) {
      const c = buf[i];
      if (c !== 0x20 && c !== 0x09 && c !== CR) return end;
    }
    end = Math.max(lf, start);
  }
  return end;
}

function decode(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8");
}

function stripCr(s: string): string {
  return s.endsWith("\r") ? s.slice(0, -1) : s;
}

function checkHeader(header: string, name: string): void {
  const cells = header.split(",");
  if (/^\s*-?\d/.test(cells[0])) {
    throw new InputError(`${name} line 1: found numbers (${quoteExcerpt(header, 30)}) where the header should be; expected the header label,pixel0,…,pixel783 as the first line`);
  }
  const shown = Math.min(cells.length, CSV_COLUMNS);
  for (let i = 0; i < shown; i++) {
    const found = cells[i].trim().replace(/^"(.*)"$/, "$1");
    if (found !== CSV_HEADER_NAMES[i]) {
      throw new InputError(`${name} line 1, column ${CSV_HEADER_NAMES[i]}: header cell ${i + 1} is ${quoteExcerpt(cells[i])}, expected "${CSV_HEADER_NAMES[i]}"; the header must be label,pixel0,…,pixel783`);
    }
  }
  if (cells.length !== CSV_COLUMNS) {
    throw new InputError(`${name} line 1: the header has ${cells.length} columns, expected ${CSV_COLUMNS} (label,pixel0,…,pixel783)`);
  }
}

/** Decodes one bad line and builds the error that says what is wrong with it (slow path, runs once). */
function rowError(buf: Uint8Array, lineStart: number, line: number, name: string): InputError {
  let end = buf.indexOf(LF, lineStart);
  if (end === -1) end = buf.length;
  const text = stripCr(decode(buf, lineStart, end));
  const at = `${name} line ${line}`;
  if (text.trim() === "") {
    return new InputError(`${at}: blank line; expected ${CSV_COLUMNS} comma-separated values (remove blank lines)`);
  }
  const cells = text.split(",");
  const label = cells[0];
  if (label === "") return new InputError(`${at}, column label: empty cell; expected a digit label 0–9`);
  const labelValue = /^\d+$/.test(label) ? Number(label) : NaN;
  if (!(labelValue <= 9)) return new InputError(`${at}, column label: ${quoteExcerpt(label)} is not a digit label; expected an integer 0–9`);
  if (cells.length !== CSV_COLUMNS) {
    return new InputError(`${at}: expected ${CSV_COLUMNS} columns (label,pixel0,…,pixel783), found ${cells.length}`);
  }
  for (let j = 1; j < cells.length; j++) {
    const cell = cells[j];
    const col = `${at}, column ${CSV_HEADER_NAMES[j]}`;
    if (cell === "") return new InputError(`${col}: empty cell; expected an integer 0–255`);
    if (!/^\d+$/.test(cell)) return new InputError(`${col}: ${quoteExcerpt(cell)} is not an integer 0–255`);
    if (Number(cell) > 255) return new InputError(`${col}: ${quoteExcerpt(cell)} is out of range; expected an integer 0–255`);
  }
  return new InputError(`${at}: cannot parse this row; expected ${CSV_COLUMNS} integers separated by commas`);
}
