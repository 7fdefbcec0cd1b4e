import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bar, clock, countBar, formatBytes, formatCell, percentBar, percentDone, textTable } from "../../lib/core/format";

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
