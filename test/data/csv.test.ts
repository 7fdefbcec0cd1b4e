import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../lib/core/errors";
import { loadCsv } from "../../lib/data/csv";
import { datasetPair, describeDropped } from "../../lib/data/dataset";
import { projectRoot } from "../../lib/core/project";
import { subset } from "../../lib/data/split";
import { HEADER, csv, row, tmp, writeTmp } from "../support/csv-rows";

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
