// lib/charts/figure.ts: what every chart returns is a figure as plain data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { confusionMatrixFigure } from "../../lib/charts/evaluation";
import { labelledDigitsFigure } from "../../lib/charts/digits";
import { classBalanceFigure, pixelHistogramFigure } from "../../lib/charts/explore";
import { pixelHistogram } from "../../lib/data/explore";
import { tinyDataset } from "./fixtures";

describe("figures are plain JSON data", () => {
  it("survive a JSON round trip unchanged (no typed arrays, functions or NaN)", () => {
    const ds = tinyDataset();
    const figures = [
      classBalanceFigure([2, 1]),
      pixelHistogramFigure(pixelHistogram(ds)),
      labelledDigitsFigure(ds, [0, 1, 2]),
      confusionMatrixFigure([{ title: "test", matrix: [[5, 1], [0, 4]] }]),
    ];
    for (const figure of figures) assert.deepEqual(JSON.parse(JSON.stringify(figure)), figure);
  });
});
