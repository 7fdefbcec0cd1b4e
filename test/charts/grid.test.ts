// Notebook 02's grid charts: parallel coordinates only when more than one setting varies, and every fold's score beside the mean ± sd.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { foldScoresFigure, gridSentence, parallelCoordinatesFigure } from "../../lib/charts/grid";
import type { ExperimentRecord } from "../../lib/selection/record";

/** A record with the fields the charts read: candidates (hidden, activation, rate, parameters, mean log loss) and their folds. */
function record(grid: number[][], activations: string[], learningRates: number[], rows: [string, number[], string, number, number, number[]][]): ExperimentRecord {
  return {
    config: { grid, activations, learningRates, folds: 2 },
    summary: rows.map(([architecture, hidden, activation, learningRate, parameters, losses]) => ({
      architecture, hidden, activation, learningRate, parameters,
      meanLogLoss: (losses[0] + losses[1]) / 2,
      sdLogLoss: Math.abs(losses[0] - losses[1]) / Math.SQRT2,
    })),
    folds: rows.flatMap(([architecture, , , , , losses]) => losses.map((logLoss, fold) => ({ architecture, fold, logLoss }))),
  } as unknown as ExperimentRecord;
}

const WIDE = record([[], [8]], ["sigmoid", "relu"], [0.001, 0.01], [
  ["logistic lr 0.001", [], "sigmoid", 0.001, 785, [0.3, 0.32]],
  ["8 relu lr 0.01", [8], "relu", 0.01, 6289, [0.1, 0.14]],
  ["8 sigmoid lr 0.001", [8], "sigmoid", 0.001, 6289, [0.2, 0.22]],
]);
const LAYERS_ONLY = record([[], [8]], ["sigmoid"], [0.001], [
  ["8", [8], "sigmoid", 0.001, 6289, [0.2, 0.1]],
  ["logistic", [], "sigmoid", 0.001, 785, [0.3, 0.32]],
]);

describe("grid charts", () => {
  it("draws parallel coordinates when more than one setting varies, one line per candidate coloured by log loss", () => {
    const figure = parallelCoordinatesFigure(WIDE)!;
    assert.match((figure.layout.title as { text: string }).text, /across its settings \(layers, activation, learning rate\);/);
    const trace = figure.data[0] as unknown as { type: string; dimensions: { label: string; values: number[]; ticktext?: string[] }[]; line: { color: number[] } };
    assert.equal(trace.type, "parcoords");
    assert.deepEqual(trace.dimensions.map((d) => d.label), ["parameters", "activation", "learning rate", "mean validation log loss"]);
    assert.deepEqual(trace.dimensions[1].ticktext, ["none", "relu", "sigmoid"]);
    assert.deepEqual(trace.dimensions[1].values, [0, 1, 2]);
    assert.deepEqual(trace.dimensions[2].values, [-3, -2, -3]);
    assert.deepEqual(trace.line.color, [0.31, 0.12, 0.21]);
    assert.match((figure.layout.title as { text: string }).text, /lowest log loss: 8 relu lr 0\.01$/);
  });

  it("draws none for a grid of layer sizes only, and says why", () => {
    assert.equal(parallelCoordinatesFigure(LAYERS_ONLY), null);
    assert.match(gridSentence(LAYERS_ONLY), /varies only the layers/);
  });

  it("puts every fold's log loss beside each candidate's mean ± sd, candidates by size", () => {
    const figure = foldScoresFigure(LAYERS_ONLY);
    const [means, folds] = figure.data as unknown as { x: string[]; y: number[]; error_y?: { array: number[] } }[];
    assert.deepEqual(means.x, ["logistic", "8"]);
    assert.deepEqual(means.y, [0.31, 0.15]);
    assert.deepEqual(folds.x, ["8", "8", "logistic", "logistic"]);
    assert.deepEqual(folds.y, [0.2, 0.1, 0.3, 0.32]);
  });
});
