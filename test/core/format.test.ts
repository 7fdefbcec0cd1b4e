import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bar, clock, countBar, formatBytes, formatCell, formatDuration, percentBar, percentDone, textTable, visible } from "../../lib/core/format";

describe("clock", () => {
  it("shows minutes and seconds, and hours past an hour", () => {
    assert.equal(clock(0), "0:00");
    assert.equal(clock(7.4), "0:07");
    assert.equal(clock(65), "1:05");
    assert.equal(clock(3723), "1:02:03");
  });

  it("rounds to whole seconds and never goes below zero", () => {
    assert.equal(clock(59.6), "1:00");
    assert.equal(clock(-3), "0:00");
    assert.equal(clock(NaN), "0:00");
  });
});

describe("formatDuration", () => {
  it("formats durations in seconds, minutes and hours", () => {
    assert.deepEqual([formatDuration(1.25), formatDuration(12.34), formatDuration(65), formatDuration(3725)], ["1.3 s", "12.3 s", "1 min 05 s", "1 h 02 min"]);
  });

  it("shows one significant digit below a second, so a short run is never 0.0 s", () => {
    assert.deepEqual([formatDuration(0.44), formatDuration(0.034), formatDuration(0)], ["0.4 s", "0.03 s", "0 s"]);
  });
});

describe("progress bars", () => {
  it("fills the share done, in block characters or in ASCII", () => {
    assert.equal(bar(0, { width: 4 }), "░░░░");
    assert.equal(bar(0.5, { width: 4 }), "██░░");
    assert.equal(bar(1, { width: 4 }), "████");
    assert.equal(bar(0.5, { width: 4, ascii: true }), "[##..]");
  });

  it("clamps shares outside 0…1 and treats NaN as nothing done", () => {
    assert.equal(bar(1.5, { width: 2 }), "██");
    assert.equal(bar(-1, { width: 2 }), "░░");
    assert.equal(bar(NaN, { width: 2 }), "░░");
  });

  it("shows the percentage once, rounded down so 100% means done", () => {
    assert.equal(percentDone(0.42), " 42%");
    assert.equal(percentDone(0.999), " 99%");
    assert.equal(percentDone(0.29), " 29%");
    assert.equal(percentDone(1), "100%");
    assert.equal(percentBar(0.42, { width: 4 }), "██░░  42%");
    assert.equal(percentBar(0.42, { width: 4, ascii: true }), "[##..]  42%");
  });

  it("counts steps done of a total", () => {
    assert.equal(countBar(0, 4, { width: 4 }), "░░░░ 0/4");
    assert.equal(countBar(2, 4, { width: 4 }), "██░░ 2/4");
    assert.equal(countBar(4, 4, { width: 4 }), "████ 4/4");
    assert.equal(countBar(0, 0, { width: 2 }), "░░ 0/0");
  });
});

describe("formatCell", () => {
  it("formats integers as they are, fractions with fixed decimals, NaN as a dash", () => {
    assert.equal(formatCell(12665), "12665");
    assert.equal(formatCell(0.123456), "0.1235");
    assert.equal(formatCell(0.5, 2), "0.50");
    assert.equal(formatCell(NaN), "–");
    assert.equal(formatCell(-Infinity), "−∞");
    assert.equal(formatCell(null), "");
    assert.equal(formatCell([25, 15]), "[25, 15]");
  });
});

describe("textTable", () => {
  it("aligns the first column left and the others right, under a rule of dashes", () => {
    const text = textTable(["metric", "value"], [["accuracy", "0.9990"], ["F1", "1.0000"]]);
    assert.equal(text, ["metric     value", "--------  ------", "accuracy  0.9990", "F1        1.0000"].join("\n"));
  });

  it("formats cells that are not strings, and counts '±' as one character", () => {
    const text = textTable(["architecture", "log loss", "params"], [["logistic", "0.0043 ± 0.0010", 785], ["25-15", 0.123456, 20031]], 3);
    assert.deepEqual(text.split("\n"), [
      "architecture         log loss  params",
      "------------  ---------------  ------",
      "logistic      0.0043 ± 0.0010     785",
      "25-15                   0.123   20031",
    ]);
  });

  it("leaves no trailing spaces after a left-aligned last column", () => {
    assert.equal(textTable(["name"], [["a"], ["long"]]), "name\n----\na\nlong");
  });

  it("shows a cell from outside visible, one line, its escapes counted in the width", () => {
    assert.equal(textTable(["name", "n"], [["a\nb\x1b", 1], ["c", 22]]), ["name       n", "--------  --", "a\\nb\\x1b   1", "c         22"].join("\n"));
  });
});

describe("visible", () => {
  it("writes control characters as escapes: the short ones by name, the other C0 as \\xNN", () => {
    assert.equal(visible("a\nb\rc\td"), "a\\nb\\rc\\td");
    // a terminal title (OSC 0 … BEL) and red (CSI 31 m)
    assert.equal(visible("\x1b]0;TITLE\x07\x1b[31m"), "\\x1b]0;TITLE\\x07\\x1b[31m");
    assert.equal(visible("\x00\x08\x1f"), "\\x00\\x08\\x1f");
  });

  it("writes DEL, C1 controls, bidi and other invisible characters as \\uXXXX", () => {
    assert.equal(visible("\x7f\x85\x9b"), "\\u007f\\u0085\\u009b");
    // right-to-left override, isolates, marks, zero-width space and joiner, BOM, line separator, soft hyphen
    assert.equal(visible("a\u202eb\u2066\u2069\u200e\u061c"), "a\\u202eb\\u2066\\u2069\\u200e\\u061c");
    assert.equal(visible("\u200b\u200d\ufeff\u2028\u2029\u00ad"), "\\u200b\\u200d\\ufeff\\u2028\\u2029\\u00ad");
    // a lone surrogate, and a tag character above U+FFFF as its two halves
    assert.equal(visible("\ud800x\u{e0041}"), "\\ud800x\\udb40\\udc41");
  });

  it("keeps printable text as it is: accents, other scripts, emoji, backslashes", () => {
    for (const text of ["café ±–∞", "données/日本語/Ελληνικά", "🙂 ok", "C:\\Users\\x1b\\data.csv", "a \"quoted\" | note"]) assert.equal(visible(text), text);
  });

  it("is idempotent, and its escapes inside a JSON string keep the JSON's value", () => {
    const text = "x\u202e\x7f\u2028\u{e0041}y";
    assert.equal(visible(visible(text)), visible(text));
    const json = JSON.stringify({ name: text });
    assert.deepEqual(JSON.parse(visible(json)), { name: text });
  });
});

describe("formatBytes", () => {
  it("uses binary units with at most three significant digits", () => {
    assert.equal(formatBytes(512), "512 bytes");
    assert.equal(formatBytes(2048), "2 KiB");
    assert.equal(formatBytes(38.6 * 2 ** 20), "38.6 MiB");
    assert.equal(formatBytes(2 ** 32), "4 GiB");
    assert.equal(formatBytes(13.75 * 2 ** 30), "13.8 GiB");
    assert.equal(formatBytes(150.4 * 2 ** 30), "150 GiB");
  });
});
