import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  classBalanceFigure,
  classHistogram,
  classImagesFigure,
  confusionMatrixFigure,
  digitGridFigure,
  featureDistributionFigure,
  labelledDigitsFigure,
  misclassifiedFigure,
  pixelHistogramFigure,
  predictionGridFigure,
  probabilityHistogramFigure,
  rocFigure,
  selectionFigure,
  trainingCurvesFigure,
  WRONG_COLOR,
  type Figure,
} from "../../lib/charts/charts";
import type { Dataset } from "../../lib/data/dataset";
import { classPixelStats, imageFeatures, pixelHistogram } from "../../lib/data/explore";
import { auc, rocCurve } from "../../lib/evaluation/metrics";
import { chooseWinner, summarise } from "../../lib/selection/one-se";
import { type ExperimentRecord, type FoldResult } from "../../lib/selection/record";

// Three 2 × 2 images (pixel values / 255): a blank 0, a full 0 and a 1 with its left column inked.
function tinyDataset(): Dataset {
  const pixels = [
    [0, 0, 0, 0],
    [255, 255, 255, 255],
    [255, 0, 255, 0],
  ];
  return { features: Float32Array.from(pixels.flat(), (v) => v / 255), labels: Uint8Array.from([0, 0, 1]), rows: 3, cols: 4 };
}

function titleOf(figure: Figure): string {
  return (figure.layout.title as { text: string }).text;
}

function annotations(figure: Figure): { text: string; [k: string]: unknown }[] {
  return (figure.layout.annotations ?? []) as { text: string }[];
}

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

describe("confusionMatrixFigure", () => {
  const figure = confusionMatrixFigure([
    { title: "train", matrix: [[90, 10], [5, 95]] },
    { title: "test", matrix: [[979, 1], [0, 1135]] },
  ]);

  it("draws one heatmap per matrix, rows = true class on top-down axes", () => {
    assert.equal(figure.data.length, 2);
    assert.deepEqual(figure.data[0].y, ["true 0", "true 1"]);
    assert.deepEqual(figure.data[0].x, ["predicted 0", "predicted 1"]);
    assert.equal((figure.layout.yaxis as { autorange: string }).autorange, "reversed");
    // Coloured by the share of the true class (row-normalised).
    assert.deepEqual(figure.data[0].z, [[0.9, 0.1], [0.05, 0.95]]);
  });

  it("writes the count and the row share in every cell, and titles each panel with its errors", () => {
    const texts = annotations(figure).map((a) => a.text);
    assert.deepEqual(texts.slice(0, 4), ["<b>90</b><br>90.00%", "<b>10</b><br>10.00%", "<b>5</b><br>5.00%", "<b>95</b><br>95.00%"]);
    assert.ok(texts.includes("<b>1,135</b><br>100.00%"));
    assert.ok(texts.includes("<b>train: 15 wrong of 200</b>"));
    assert.ok(texts.includes("<b>test: 1 wrong of 2,115</b>"));
  });
});

describe("trainingCurvesFigure", () => {
  it("plots training and validation loss and accuracy per epoch, counted from 1", () => {
    const figure = trainingCurvesFigure({
      epoch: [0, 1],
      history: { loss: [0.5, 0.25], acc: [0.9, 0.95], val_loss: [0.4, 0.3], val_acc: [0.91, 0.999], seconds: [1, 1] },
    });
    assert.deepEqual(figure.data.map((t) => t.name), ["training loss", "validation loss", "training accuracy", "validation accuracy"]);
    assert.deepEqual(figure.data[0].x, [1, 2]);
    assert.deepEqual(figure.data[1].y, [0.4, 0.3]);
    assert.match(titleOf(figure), /validation accuracy 99\.90% after 2 epochs/);
  });

  it("leaves out validation curves when there was no validation data", () => {
    const figure = trainingCurvesFigure({ epoch: [0], history: { loss: [0.5], acc: [0.9], seconds: [1] } });
    assert.deepEqual(figure.data.map((t) => t.name), ["training loss", "training accuracy"]);
  });
});

describe("probabilityHistogramFigure", () => {
  it("counts each true class's probabilities in equal bins over [0, 1]", () => {
    const figure = probabilityHistogramFigure([0, 0, 1, 1], [0.01, 0.6, 0.99, 1], { bins: 4 });
    assert.deepEqual(figure.data[0].y, [1, null, 1, null]);
    assert.deepEqual(figure.data[1].y, [null, null, null, 2]);
    assert.deepEqual(figure.data[0].x, [0.125, 0.375, 0.625, 0.875]);
  });
});

describe("rocFigure", () => {
  it("draws the curve and the chance line in a full and a zoomed panel, AUC in the title", () => {
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];
    const figure = rocFigure(rocCurve(labels, scores), 0.75);
    assert.equal(figure.data.length, 4);
    assert.deepEqual(figure.data[0].x, rocCurve(labels, scores).fpr);
    assert.deepEqual(figure.data[2].x, figure.data[0].x);
    assert.match(titleOf(figure), /AUC = 0\.75000/);
    assert.deepEqual((figure.layout.xaxis2 as { range: number[] }).range, [0, 0.05]);
  });

  it("joins the points with straight lines, so a tie between a 0 and a 1 is the diagonal the AUC counts", () => {
    // The 0 and the 1 scored 0.5 tie: one threshold moves the curve from (0, 0.5) to (0.5, 1) at once.
    const labels = [0, 1, 0, 1];
    const scores = [0.5, 0.5, 0.2, 0.9];
    const curve = rocCurve(labels, scores);
    const figure = rocFigure(curve, auc(curve.fpr, curve.tpr));
    const [whole, , zoom] = figure.data;
    assert.equal((whole.line as { shape: string }).shape, "linear");
    assert.equal((zoom.line as { shape: string }).shape, "linear");
    assert.deepEqual(whole.x, [0, 0, 0.5, 1]);
    assert.deepEqual(whole.y, [0, 0.5, 1, 1]);
    // The area under the drawn segments is the AUC in the title: 0.5 × 0.5 (under the diagonal, a
    // trapezoid from 0.5 to 1) = 0.375, plus 0.5 × 1 = 0.875; steps would draw 0.75 or 1.
    assert.match(titleOf(figure), /AUC = 0\.87500/);
  });
});

describe("selectionFigure", () => {
  function fold(architecture: string, hidden: number[], parameters: number, f: number, logLoss: number, acc: number): FoldResult {
    return {
      architecture, hidden, activation: "sigmoid", learningRate: 0.001, fold: f, seed: 1, parameters, trainRows: 8, validationRows: 2,
      accuracy: acc, precision: 1, recall: 1, f1: 1, logLoss, auc: 1,
      confusionMatrix: [[1, 0], [0, 1]], seconds: 1, history: { loss: [], acc: [] },
    };
  }
  const grid = [[], [25, 15]];
  const folds = [
    fold("logistic", [], 785, 0, 0.02, 0.99), fold("logistic", [], 785, 1, 0.04, 0.97),
    fold("25-15", [25, 15], 20031, 0, 0.01, 1), fold("25-15", [25, 15], 20031, 1, 0.03, 0.98),
  ];
  const summary = summarise(folds, grid);
  const record = { config: { folds: 2, epochs: 3 }, summary, winner: chooseWinner(summary) } as unknown as ExperimentRecord;

  it("plots mean log loss and accuracy against parameters with sd error bars", () => {
    const figure = selectionFigure(record);
    const [loss, , accuracy] = figure.data;
    assert.deepEqual(loss.x, [785, 20031]);
    assert.deepEqual(loss.y, [0.03, 0.02]);
    assert.deepEqual((loss.error_y as { array: number[] }).array, [0.014142, 0.014142]);
    assert.deepEqual(accuracy.y, [0.98, 0.99]);
    assert.deepEqual(loss.text, ["logistic", "25-15"]);
    // Each architecture is named on the x axis, at its parameter count.
    const xaxis = figure.layout.xaxis as { tickvals: number[]; ticktext: string[] };
    assert.deepEqual(xaxis.tickvals, [785, 20031]);
    assert.deepEqual(xaxis.ticktext, ["logistic (785)", "25-15 (20,031)"]);
    assert.equal((figure.layout.xaxis as { type: string }).type, "log");
  });

  it("stars the winner and draws the one-SE cut-off", () => {
    const figure = selectionFigure(record);
    // Best is 25-15 (0.02, SE 0.01); logistic (0.03) is within 0.03, and smaller: it wins.
    const star = figure.data.find((t) => t.name === "winner: logistic");
    assert.ok(star);
    assert.deepEqual(star.x, [785]);
    const cutoff = figure.data.find((t) => String(t.name).startsWith("one-SE cut-off"));
    assert.deepEqual(cutoff?.y, [0.03, 0.03]);
    assert.match(titleOf(figure), /2 folds, 3 epochs\); winner logistic/);
  });

  it("draws one line per activation × learning rate, logistic regression starting each of its rate", () => {
    const at = (name: string, hidden: number[], activation: "sigmoid" | "relu", learningRate: number, parameters: number, loss: number): FoldResult[] =>
      [0, 1].map((f) => ({ ...fold(name, hidden, parameters, f, loss + f * 0.01, 0.99), activation, learningRate }));
    const product = [
      ...at("logistic lr 0.001", [], "sigmoid", 0.001, 785, 0.05), ...at("logistic lr 0.01", [], "sigmoid", 0.01, 785, 0.06),
      ...at("8 sigmoid lr 0.001", [8], "sigmoid", 0.001, 6289, 0.04), ...at("8 sigmoid lr 0.01", [8], "sigmoid", 0.01, 6289, 0.03),
      ...at("8 relu lr 0.001", [8], "relu", 0.001, 6289, 0.02), ...at("8 relu lr 0.01", [8], "relu", 0.01, 6289, 0.07),
    ];
    const rows = summarise(product, ["logistic lr 0.001", "logistic lr 0.01", "8 sigmoid lr 0.001", "8 sigmoid lr 0.01", "8 relu lr 0.001", "8 relu lr 0.01"].map((name) => {
      const r = product.find((f) => f.architecture === name)!;
      return { name, hidden: r.hidden, activation: r.activation, learningRate: r.learningRate };
    }));
    const config = { folds: 2, epochs: 3, activations: ["sigmoid", "relu"], learningRates: [0.001, 0.01] };
    const figure = selectionFigure({ config, summary: rows, winner: chooseWinner(rows) } as unknown as ExperimentRecord);
    const lines = figure.data.filter((t) => t.xaxis === "x" && t.mode === "lines+markers");
    assert.deepEqual(lines.map((t) => t.name), ["sigmoid, lr 0.001", "sigmoid, lr 0.01", "relu, lr 0.001", "relu, lr 0.01"]);
    assert.deepEqual(lines.map((t) => t.text), [
      ["logistic lr 0.001", "8 sigmoid lr 0.001"], ["logistic lr 0.01", "8 sigmoid lr 0.01"],
      ["logistic lr 0.001", "8 relu lr 0.001"], ["logistic lr 0.01", "8 relu lr 0.01"],
    ]);
    assert.deepEqual(lines[2].y, [0.055, 0.025]);
    // Coloured by activation, marked by learning rate.
    const marker = (i: number) => lines[i].marker as { color: string; symbol: string };
    assert.equal(marker(0).color, marker(1).color);
    assert.notEqual(marker(0).color, marker(2).color);
    assert.equal(marker(0).symbol, marker(2).symbol);
    assert.notEqual(marker(0).symbol, marker(1).symbol);
    // One tick per size, named by its layers.
    assert.deepEqual((figure.layout.xaxis as { ticktext: string[] }).ticktext, ["logistic (785)", "8 (6,289)"]);
    assert.deepEqual(figure.data.find((t) => String(t.name).startsWith("winner"))?.name, "winner: 8 relu lr 0.001");
  });
});

describe("charts of a pair other than 0 and 1 name the classes by their digits", () => {
  // Labels 0/1 stand for the digits 4 and 9.
  const ds: Dataset = { features: new Float32Array(3 * 784), labels: Uint8Array.from([0, 1, 1]), rows: 3, cols: 784, digits: [4, 9] };

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

  it("digit grids: labels, true and predicted digits, P(9)", () => {
    const labelled = labelledDigitsFigure(ds, [0, 1]);
    assert.deepEqual((labelled.layout.annotations as { text: string }[]).map((a) => a.text), ["label 4", "label 9"]);
    const predicted = predictionGridFigure(ds, [0.1, 0.2, 0.9], [0, 1, 2]);
    assert.deepEqual((predicted.layout.annotations as { text: string }[]).map((a) => a.text.replace(/<\/?b>/g, "")), ["4, 4", "9, 4", "9, 9"]);
    const wrong = misclassifiedFigure(ds, [0.1, 0.2, 0.9]);
    assert.equal((wrong.layout.annotations as { text: string }[])[0].text, "<b>true 9, pred 4<br>P(9) = 0.200</b>");
    assert.match(titleOf(wrong), /with P\(digit is 9\)$/);
  });

  it("confusion matrix, probability histogram and ROC", () => {
    const cm = confusionMatrixFigure([{ title: "test", matrix: [[9, 1], [2, 8]] }], [4, 9]);
    assert.deepEqual([cm.data[0].x, cm.data[0].y], [["predicted 4", "predicted 9"], ["true 4", "true 9"]]);
    const hist = probabilityHistogramFigure([0, 1], [0.2, 0.8], { digits: [4, 9] });
    assert.deepEqual(hist.data.map((t) => t.name), ["true digit 4", "true digit 9"]);
    assert.match(titleOf(hist), /is a 9, by true digit$/);
    assert.match(titleOf(rocFigure(rocCurve([0, 1], [0.2, 0.8]), 1, { digits: [4, 9] })), /^ROC curve on the test set, 9 the positive class: AUC = 1\.00000$/);
  });
});
