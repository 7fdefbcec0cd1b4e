// lib/charts/selection.ts: the figure of notebook 02.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { selectionFigure } from "../../lib/charts/selection";
import { chooseWinner, summarise } from "../../lib/selection/one-se";
import { type ExperimentRecord, type FoldResult } from "../../lib/selection/record";
import { titleOf } from "./fixtures";

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
