// lib/charts/evaluation.ts: the figures of notebook 03.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { confusionMatrixFigure, probabilityHistogramFigure, rocFigure, trainingCurvesFigure } from "../../lib/charts/evaluation";
import { auc, rocCurve } from "../../lib/evaluation/metrics";
import { annotations, titleOf } from "./fixtures";

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

describe("evaluation charts of a pair other than 0 and 1 name the classes by their digits", () => {
  it("confusion matrix, probability histogram and ROC", () => {
    const cm = confusionMatrixFigure([{ title: "test", matrix: [[9, 1], [2, 8]] }], [4, 9]);
    assert.deepEqual([cm.data[0].x, cm.data[0].y], [["predicted 4", "predicted 9"], ["true 4", "true 9"]]);
    const hist = probabilityHistogramFigure([0, 1], [0.2, 0.8], { pair: [4, 9] });
    assert.deepEqual(hist.data.map((t) => t.name), ["true digit 4", "true digit 9"]);
    assert.match(titleOf(hist), /is a 9, by true digit$/);
    assert.match(titleOf(rocFigure(rocCurve([0, 1], [0.2, 0.8]), 1, { pair: [4, 9] })), /^ROC curve on the test set, 9 the positive class: AUC = 1\.00000$/);
  });
});
