import { describe, test, before } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../lib/core/errors";
import { loadCsv } from "../../lib/data/csv";
import { classCounts } from "../../lib/data/dataset";
import { DEFAULT_TRAIN_CSV, ensureDefaultDataset, resolveDataPath, writeDefaultDataset, type DefaultDatasetSummary } from "../../lib/data/default-files";
import { mnistIdxPaths, readIdxImages, readIdxLabels } from "../../lib/data/idx";
import { projectRoot } from "../../lib/core/project";
import { HEADER, row, tmp } from "../support/csv-rows";

/** An IDX file in tmp: the magic number, the dimensions (big-endian), then the bytes. */
function idxFile(name: string, magic: number, dims: number[], data: Uint8Array): string {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

describe("the CSV written from IDX files", () => {
  test("keeps only 0s and 1s in source order, label first, integer pixels, \\n endings and a trailing newline", () => {
    const pixels = new Uint8Array(3 * 784);
    pixels[0] = 255; // image 0 (label 1), pixel0
    pixels[784 + 5] = 9; // image 1 (label 7): dropped
    pixels[2 * 784 + 783] = 128; // image 2 (label 0), pixel783
    const images = idxFile("three-idx3", 2051, [3, 28, 28], pixels);
    const labels = idxFile("three-idx1", 2049, [3], Uint8Array.from([1, 7, 0]));
    const idx = { trainImages: images, trainLabels: labels, testImages: images, testLabels: labels };
    const text = fs.readFileSync(writeDefaultDataset(path.join(tmp, "three"), { idx }).train.path, "latin1");
    const lines = text.split("\n");
    assert.equal(lines.length, 4); // header, two rows, "" after the trailing newline
    assert.equal(lines[0], HEADER);
    assert.equal(lines[1], row(1, { 0: 255 }));
    assert.equal(lines[2], row(0, { 783: 128 }));
    assert.equal(lines[3], "");
  });
});

describe("default dataset", () => {
  let dir: string;
  let first: DefaultDatasetSummary;
  before(() => {
    dir = path.join(tmp, "data");
    first = writeDefaultDataset(dir);
  });

  test("train.csv has 12,666 lines (header + 12,665 rows: 5,923 zeros, 6,742 ones)", () => {
    const text = fs.readFileSync(path.join(dir, "train.csv"), "latin1");
    assert.equal(text.split("\n").length - 1, 12666);
    assert.ok(text.endsWith("\n"));
    assert.ok(!text.includes("\r"));
    assert.equal(first.train.rows, 12665);
    assert.deepEqual(first.train.counts, [5923, 6742]);
  });

  test("test.csv has 2,116 lines (header + 2,115 rows: 980 zeros, 1,135 ones)", () => {
    const text = fs.readFileSync(path.join(dir, "test.csv"), "latin1");
    assert.equal(text.split("\n").length - 1, 2116);
    assert.equal(first.test.rows, 2115);
    assert.deepEqual(first.test.counts, [980, 1135]);
  });

  test("the header and every row have 785 columns", () => {
    const lines = fs.readFileSync(path.join(dir, "test.csv"), "latin1").trimEnd().split("\n");
    assert.equal(lines[0], HEADER);
    for (const line of lines) assert.equal(line.split(",").length, 785);
  });

  test("the summary's bytes and sha256 describe the file on disk", () => {
    const bytes = fs.readFileSync(first.train.path);
    assert.equal(first.train.bytes, bytes.length);
    assert.equal(first.train.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(first.train.written, true);
  });

  test("a second build gives identical sha256 and leaves the unchanged files untouched", () => {
    const mtime = fs.statSync(first.train.path).mtimeMs;
    const second = writeDefaultDataset(dir);
    assert.equal(second.train.sha256, first.train.sha256);
    assert.equal(second.test.sha256, first.test.sha256);
    assert.equal(second.train.written, false);
    assert.equal(second.test.written, false);
    assert.equal(fs.statSync(first.train.path).mtimeMs, mtime);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["test.csv", "train.csv"]); // no temp files left behind
  });

  test("a changed file is rewritten back to the reference bytes", () => {
    fs.writeFileSync(first.test.path, "garbage\n");
    const again = writeDefaultDataset(dir);
    assert.equal(again.test.written, true);
    assert.equal(again.test.sha256, first.test.sha256);
  });

  test("force rewrites identical files, atomically, to the same bytes", () => {
    const forced = writeDefaultDataset(dir, { force: true });
    assert.equal(forced.train.written, true);
    assert.equal(forced.test.written, true);
    assert.equal(forced.train.sha256, first.train.sha256);
    assert.equal(createHash("sha256").update(fs.readFileSync(forced.test.path)).digest("hex"), first.test.sha256);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["test.csv", "train.csv"]);
  });

  test("a failing build writes nothing and leaves no temp files", () => {
    const broken = path.join(tmp, "broken-data");
    const idx = { ...mnistIdxPaths(), trainImages: mnistIdxPaths().trainLabels };
    assert.throws(() => writeDefaultDataset(broken, { idx }), InputError);
    assert.deepEqual(fs.readdirSync(broken), []);
  });

  test("both files are built before either is written: a failing test.csv build leaves train.csv as it was", () => {
    const existing = path.join(tmp, "existing-data");
    fs.mkdirSync(existing);
    fs.writeFileSync(path.join(existing, "train.csv"), "old\n");
    const idx = { ...mnistIdxPaths(), testImages: mnistIdxPaths().testLabels };
    assert.throws(() => writeDefaultDataset(existing, { idx, force: true }), InputError);
    assert.deepEqual(fs.readdirSync(existing), ["train.csv"]);
    assert.equal(fs.readFileSync(path.join(existing, "train.csv"), "utf8"), "old\n");
  });

  test("ensureDefaultDataset builds the files only when missing", () => {
    const fresh = path.join(tmp, "fresh-data");
    const paths = ensureDefaultDataset(fresh);
    assert.equal(paths.train, path.join(fresh, "train.csv"));
    assert.equal(createHash("sha256").update(fs.readFileSync(paths.train)).digest("hex"), first.train.sha256);
    const mtime = fs.statSync(paths.test).mtimeMs;
    ensureDefaultDataset(fresh);
    assert.equal(fs.statSync(paths.test).mtimeMs, mtime);
  });

  test("the training file loads to 12,665 rows × 784, matching the IDX pixels", () => {
    const data = loadCsv(first.train.path);
    assert.equal(data.rows, 12665);
    assert.equal(data.cols, 784);
    assert.deepEqual(classCounts(data.labels), [5923, 6742]);
    // The first training 0/1 is the fourth image (label 1); compare one row with the IDX source.
    const idx = mnistIdxPaths();
    const images = readIdxImages(idx.trainImages);
    const labels = readIdxLabels(idx.trainLabels);
    const firstKept = labels.findIndex((l) => l <= 1);
    assert.equal(data.labels[0], labels[firstKept]);
    for (let j = 0; j < 784; j++) assert.equal(data.features[j], Math.fround(images.pixels[firstKept * 784 + j] / 255));
  });
});

describe("a pair's dataset (digits data --digits 4,9)", () => {
  let dir: string;
  let summary: DefaultDatasetSummary;
  before(() => {
    dir = path.join(tmp, "data-4-9");
    summary = writeDefaultDataset(dir, { pair: [4, 9] });
  });

  test("has MNIST's 4s and 9s: 11,791 training rows (5,842 / 5,949), 1,991 test rows (982 / 1,009)", () => {
    assert.equal(summary.train.rows, 11791);
    assert.deepEqual(summary.train.counts, [5842, 5949]);
    assert.equal(summary.test.rows, 1991);
    assert.deepEqual(summary.test.counts, [982, 1009]);
  });

  test("writes the digits themselves in the label column", () => {
    const labels = new Set(fs.readFileSync(path.join(dir, "test.csv"), "latin1").trimEnd().split("\n").slice(1).map((l) => l.slice(0, l.indexOf(","))));
    assert.deepEqual([...labels].sort(), ["4", "9"]);
  });

  test("loads as the pair 4, 9 with labels 0 for 4 and 1 for 9, without naming the pair", () => {
    const data = loadCsv(summary.test.path);
    assert.deepEqual(data.pair, [4, 9]);
    assert.deepEqual(classCounts(data.labels), [982, 1009]);
  });

  test("the default pair's files are byte-identical whether or not digits [0, 1] is given", () => {
    const explicit = writeDefaultDataset(path.join(tmp, "data-0-1"), { pair: [0, 1] });
    const implicit = writeDefaultDataset(path.join(tmp, "data-default"));
    assert.equal(explicit.train.sha256, implicit.train.sha256);
    assert.equal(explicit.test.sha256, implicit.test.sha256);
  });

});

describe("paths", () => {
  test("resolveDataPath keeps absolute paths and puts relative paths missing from cwd under the project root", () => {
    assert.equal(resolveDataPath("/some/where.csv"), "/some/where.csv");
    assert.equal(resolveDataPath("no-such-dir-xyz/f.csv"), path.join(projectRoot(), "no-such-dir-xyz/f.csv"));
    assert.equal(path.relative(projectRoot(), path.join(projectRoot(), DEFAULT_TRAIN_CSV)), "data/train.csv");
  });
});
