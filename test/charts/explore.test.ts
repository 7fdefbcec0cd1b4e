// lib/charts/explore.ts: the figures of notebook 01.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classBalanceFigure, classHistogram, classImagesFigure, featureDistributionFigure, pixelHistogramFigure } from "../../lib/charts/explore";
import type { Dataset } from "../../lib/data/dataset";
import { classPixelStats, imageFeatures, pixelHistogram } from "../../lib/data/explore";
import { annotations, tinyDataset, titleOf } from "./fixtures";

describe("classBalanceFigure", () => {
  it("draws one bar per class with its count and share, and says the counts in the title", () => {
    const figure = classBalanceFigure([5923, 6742]);
    assert.equal(figure.data.length, 1);
    assert.equal(figure.data[0].type, "bar");
    assert.deepEqual(figure.data[0].x, ["0", "1"]);
    assert.deepEqual(figure.data[0].y, [5923, 6742]);
    assert.deepEqual(figure.data[0].text, ["5,923 (46.8%)", "6,742 (53.2%)"]);
    assert.match(titleOf(figure), /5,923 zeros and 6,742 ones \(12,665 images\)/);
  });
});

describe("pixelHistogramFigure", () => {
  it("plots each class's share of pixels per intensity and titles the blank share", () => {
    const figure = pixelHistogramFigure(pixelHistogram(tinyDataset()));
    assert.equal(figure.data.length, 2);
    const [zeros, ones] = figure.data.map((t) => t.y as (number | null)[]);
    // Class 0: 4 blank and 4 full pixels; class 1: 2 and 2. Zero shares are gaps on the log axis.
    assert.equal(zeros[0], 0.5);
    assert.equal(zeros[255], 0.5);
    assert.equal(zeros[128], null);
    assert.equal(ones[0], 0.5);
    assert.match(titleOf(figure), /50\.0% of pixels are blank \(0\), 50\.0% are saturated/);
    assert.equal((figure.layout.yaxis as { type: string }).type, "log");
  });
});

describe("classHistogram", () => {
  it("bins integer features one unit wide and gives each class's shares", () => {
    const h = classHistogram([2, 2, 3, 5], [0, 0, 1, 1], { integer: true });
    assert.deepEqual(h.centers, [2, 3, 4, 5]);
    assert.deepEqual(h.counts, [[2, 0, 0, 0], [0, 1, 0, 1]]);
    assert.deepEqual(h.shares, [[1, 0, 0, 0], [0, 0.5, 0, 0.5]]);
  });

  it("puts the maximum into the last bin and skips NaN", () => {
    const h = classHistogram([0, 1, NaN, 2], [0, 0, 1, 1], { bins: 2 });
    assert.deepEqual(h.counts, [[1, 1], [0, 1]]);
  });
});

describe("featureDistributionFigure", () => {
  it("has a panel per feature with both classes, and one legend entry per class", () => {
    const figure = featureDistributionFigure(imageFeatures(tinyDataset()));
    assert.equal(figure.data.length, 10);
    assert.equal(figure.data.filter((t) => t.showlegend).length, 2);
    assert.deepEqual(
      annotations(figure).map((a) => a.text),
      ["<b>ink mass</b>", "<b>bounding-box width</b>", "<b>bounding-box height</b>", "<b>centroid column</b>", "<b>centroid row</b>"],
    );
  });
});

describe("classImagesFigure", () => {
  it("draws the mean and the variance of each class as side × side heatmaps", () => {
    const figure = classImagesFigure(classPixelStats(tinyDataset()));
    assert.equal(figure.data.length, 4);
    assert.ok(figure.data.every((t) => t.type === "heatmap"));
    // Mean of class 0: half of its images are full, so every pixel averages 127.5.
    assert.deepEqual(figure.data[0].z, [[127.5, 127.5], [127.5, 127.5]]);
    assert.deepEqual(figure.data[1].z, [[255, 0], [255, 0]]);
    // Population variance of class 0's pixels: 127.5².
    assert.deepEqual(figure.data[2].z, [[16256.3, 16256.3], [16256.3, 16256.3]]);
    assert.match(annotations(figure)[0].text, /mean image, digit 0 \(2 images\)/);
  });
});

describe("exploration charts of a pair other than 0 and 1 name the classes by their digits", () => {
  // Labels 0/1 stand for the digits 4 and 9.
  const ds: Dataset = { features: new Float32Array(3 * 784), labels: Uint8Array.from([0, 1, 1]), rows: 3, cols: 784, pair: [4, 9] };

  it("class balance: bars and title", () => {
    const figure = classBalanceFigure([5842, 5949], [4, 9]);
    assert.deepEqual(figure.data[0].x, ["4", "9"]);
    assert.match(titleOf(figure), /^Class balance: 5,842 fours and 5,949 nines/);
  });

  it("exploration legends and panels", () => {
    assert.deepEqual(pixelHistogramFigure(pixelHistogram(ds)).data.map((t) => t.name), ["digit 4", "digit 9"]);
    assert.deepEqual(featureDistributionFigure(imageFeatures(ds)).data.slice(0, 2).map((t) => t.name), ["digit 4", "digit 9"]);
    const panels = (classImagesFigure(classPixelStats(ds)).layout.annotations as { text: string }[]).map((a) => a.text);
    assert.equal(panels[0], "<b>mean image, digit 4 (1 images)</b>");
  });

});
