// lib/charts/digits.ts: grids of digit images.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { digitGridFigure, labelledDigitsFigure, misclassifiedFigure, predictionGridFigure } from "../../lib/charts/digits";
import { WRONG_COLOR } from "../../lib/charts/figure";
import type { Dataset } from "../../lib/data/dataset";
import { annotations, tinyDataset, titleOf } from "./fixtures";

describe("digitGridFigure", () => {
  const ds = tinyDataset();

  it("lays the digits out as one mosaic image with a title above each tile", () => {
    const figure = digitGridFigure(ds, [2, 1], { title: "two digits", titles: ["a", "b"], columns: 2 });
    assert.equal(figure.data.length, 1);
    const z = figure.data[0].z as number[][];
    // 1 line of title → 12 rows above each tile; tiles 2 wide with a 4-pixel gap, gaps white (0).
    assert.equal(z.length, 12 + 2);
    assert.equal(z[0].length, 2 + 4 + 2);
    assert.deepEqual(z[12], [255, 0, 0, 0, 0, 0, 255, 255]);
    assert.deepEqual(z[11], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(annotations(figure).map((a) => a.text), ["a", "b"]);
  });

  it("frames and titles marked digits in red", () => {
    const figure = digitGridFigure(ds, [0, 1], { title: "t", titles: ["ok", "wrong"], marked: [false, true] });
    const shapes = figure.layout.shapes as { line: { color: string } }[];
    assert.notEqual(shapes[0].line.color, WRONG_COLOR);
    assert.equal(shapes[1].line.color, WRONG_COLOR);
    assert.equal(annotations(figure)[1].text, "<b>wrong</b>");
  });

  it("wraps after `columns` digits, 10 by default", () => {
    const rows = Array.from({ length: 23 }, (_, i) => i % 3);
    const figure = digitGridFigure(ds, rows, { title: "t", titles: rows.map(String) });
    const z = figure.data[0].z as unknown[][];
    assert.equal(z.length, 3 * (12 + 2));
    assert.equal(z[0].length, 10 * 2 + 9 * 4);
  });

  it("rejects a title count that does not match", () => {
    assert.throws(() => digitGridFigure(ds, [0, 1], { title: "t", titles: ["one"] }), /2 digits but 1 titles/);
  });

  it("rejects images that are not square", () => {
    const oblong: Dataset = { features: new Float32Array(6), labels: new Uint8Array(1), rows: 1, cols: 6 };
    assert.throws(() => digitGridFigure(oblong, [0], { title: "t", titles: ["one"] }), /6 pixels per row is not a square/);
  });
});

describe("labelledDigitsFigure and predictionGridFigure", () => {
  const ds = tinyDataset();

  it("titles sample digits with their labels", () => {
    assert.deepEqual(annotations(labelledDigitsFigure(ds, [2, 0])).map((a) => a.text), ["label 1", "label 0"]);
  });

  it('titles test digits "true, predicted" and marks the wrong ones', () => {
    const figure = predictionGridFigure(ds, [0.1, 0.7, 0.9], [0, 1, 2]);
    assert.deepEqual(annotations(figure).map((a) => a.text), ["0, 0", "<b>0, 1</b>", "1, 1"]);
    assert.match(titleOf(figure), /3 test digits titled "true, predicted": 1 wrong, framed in red/);
  });

  it("says when every prediction is right", () => {
    assert.match(titleOf(predictionGridFigure(ds, [0.1, 0.2, 0.9], [0, 1, 2])), /all predicted correctly/);
  });

  it("names the set it shows and applies the threshold given", () => {
    const figure = predictionGridFigure(ds, [0.1, 0.7, 0.9], [0, 1, 2], { what: "validation", threshold: 0.8 });
    assert.match(titleOf(figure), /^3 validation digits titled "true, predicted": all predicted correctly/);
    assert.deepEqual(annotations(figure).map((a) => a.text), ["0, 0", "0, 0", "1, 1"]);
  });
});

describe("misclassifiedFigure", () => {
  const ds = tinyDataset();

  it("shows every misclassified digit with its probability of being a 1", () => {
    const figure = misclassifiedFigure(ds, [0.1, 0.7, 0.2]);
    assert.deepEqual(annotations(figure).map((a) => a.text), ["<b>true 0, pred 1<br>P(1) = 0.700</b>", "<b>true 1, pred 0<br>P(1) = 0.200</b>"]);
    assert.match(titleOf(figure), /Misclassified test digits: 2 of 3/);
  });

  it("says so when nothing is misclassified", () => {
    const figure = misclassifiedFigure(ds, [0.1, 0.2, 0.9]);
    assert.match(titleOf(figure), /none of 3/);
    assert.match(annotations(figure)[0].text, /Every test digit is classified correctly/);
  });
});

describe("digit grids of a pair other than 0 and 1 name the classes by their digits", () => {
  // Labels 0/1 stand for the digits 4 and 9.
  const ds: Dataset = { features: new Float32Array(3 * 784), labels: Uint8Array.from([0, 1, 1]), rows: 3, cols: 784, pair: [4, 9] };

  it("digit grids: labels, true and predicted digits, P(9)", () => {
    const labelled = labelledDigitsFigure(ds, [0, 1]);
    assert.deepEqual((labelled.layout.annotations as { text: string }[]).map((a) => a.text), ["label 4", "label 9"]);
    const predicted = predictionGridFigure(ds, [0.1, 0.2, 0.9], [0, 1, 2]);
    assert.deepEqual((predicted.layout.annotations as { text: string }[]).map((a) => a.text.replace(/<\/?b>/g, "")), ["4, 4", "9, 4", "9, 9"]);
    const wrong = misclassifiedFigure(ds, [0.1, 0.2, 0.9]);
    assert.equal((wrong.layout.annotations as { text: string }[])[0].text, "<b>true 9, pred 4<br>P(9) = 0.200</b>");
    assert.match(titleOf(wrong), /with P\(digit is 9\)$/);
  });

});
