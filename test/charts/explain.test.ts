// lib/charts/explain.ts: first-layer weights, attribution maps beside their digits, the reliability diagram.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { attributionsFigure, firstLayerWeightsFigure, reliabilityFigure } from "../../lib/charts/explain";
import { CLASS_COLORS, WRONG_COLOR } from "../../lib/charts/figure";
import { calibration } from "../../lib/evaluation/calibration";
import { initNetwork, modelConfig } from "../../lib/model/model";
import { annotations, tinyDataset, titleOf } from "./fixtures";

describe("firstLayerWeightsFigure", () => {
  it("draws each hidden unit's weights as a square image, all on one scale symmetric about 0", () => {
    const network = initNetwork(modelConfig([3, 2], "relu", 4), 1);
    const figure = firstLayerWeightsFigure(network, { columns: 3 });
    const trace = figure.data[0];
    const kernel = network.layers[0].kernel;
    const limit = Math.max(...Array.from(kernel, Math.abs));
    // Whole thousandths of the largest |weight|, the colour bar labelled in weights.
    assert.deepEqual([trace.zmin, trace.zmax, trace.zmid], [-1000, 1000, 0]);
    const bar = trace.colorbar as { tickvals: number[]; ticktext: string[] };
    assert.deepEqual(bar.tickvals, [-1000, -500, 0, 500, 1000]);
    assert.equal(bar.ticktext[4], Number(limit.toPrecision(2)).toString());
    assert.deepEqual(trace.colorscale, [[0, CLASS_COLORS[0]], [0.5, "#ffffff"], [1, CLASS_COLORS[1]]]);
    // Unit 2 (j = 1): tile 2 starts at x = side + 4 = 6; its pixel (0, 1) is input 1's weight to unit 2.
    const z = trace.z as number[][];
    const y0 = z.findIndex((line) => line[0] !== 0);
    assert.equal(z[y0][6 + 1], Math.round((kernel[1 * 3 + 1] / limit) * 1000));
    assert.ok(z.flat().every(Number.isInteger));
    assert.equal(z[y0][2], 0, "the gap between tiles is 0, white");
    assert.deepEqual(annotations(figure).map((a) => a.text), ["unit 1", "unit 2", "unit 3"]);
  });

  it("shows logistic regression's single weight image as its template", () => {
    const figure = firstLayerWeightsFigure(initNetwork(modelConfig([], "sigmoid", 4), 1), { labels: ["r 0.10, 5% blank"] });
    assert.match(titleOf(figure), /template/);
    assert.deepEqual(annotations(figure).map((a) => a.text), ["weights<br>r 0.10, 5% blank"]);
  });
});

describe("attributionsFigure", () => {
  it("puts each digit (ink) beside its map (diverging, symmetric), titled by truth and P(B), mistakes in red", () => {
    const ds = { ...tinyDataset(), pair: [4, 9] as [number, number] };
    // Row 1 is a 4 predicted 9 (P = 0.8): a mistake.
    const figure = attributionsFigure(ds, [0.1, 0.8, 0.9], [{ row: 2, attribution: [0.5, 0, -0.25, 0] }, { row: 1, attribution: [1, -2, 0, 0] }], { columns: 2 });
    const [ink, maps] = figure.data;
    assert.equal(ink.colorscale !== maps.colorscale, true);
    assert.deepEqual([maps.zmin, maps.zmax, maps.zmid], [-1000, 1000, 0]);
    assert.equal((maps.colorbar as { ticktext: string[] }).ticktext[0], "-2");
    const zInk = ink.z as number[][];
    const zMap = maps.z as number[][];
    // The ink is drawn first; the maps over it, 0 transparent, so the digits show through.
    assert.deepEqual(maps.colorscale, [[0, "rgba(31,119,180,1)"], [0.5, "rgba(31,119,180,0)"], [0.5, "rgba(255,127,14,0)"], [1, "rgba(255,127,14,1)"]]);
    const y0 = zInk.findIndex((line) => line[0] !== 0);
    // The first digit (row 2: 255, 0 / 255, 0) at x 0–1, its map at x 4–5 (side + 2).
    assert.deepEqual(zInk[y0].slice(0, 2), [255, 0]);
    // 0.5 of a largest |value| of 2: 250 thousandths.
    assert.deepEqual(zMap[y0].slice(4, 6), [250, 0]);
    assert.equal(zMap[y0][0], 0);
    assert.equal(zInk[y0][4], 0);
    const texts = annotations(figure);
    assert.equal(texts[0].text, "true 9, P(9) = 0.900");
    assert.equal(texts[1].text, "<b>true 4, P(9) = 0.800</b>");
    assert.equal(texts[1].font && (texts[1].font as { color: string }).color, WRONG_COLOR);
    assert.match(titleOf(figure), /2 test digits \(1 misclassified/);
  });
});

describe("reliabilityFigure", () => {
  it("plots a point per non-empty bin at (mean probability, fraction positive) against the diagonal", () => {
    const c = calibration([0, 1, 1, 1], [0.05, 0.05, 0.95, 1]);
    const figure = reliabilityFigure(c, { pair: [4, 9] });
    const [diagonal, points] = figure.data;
    assert.deepEqual([diagonal.x, diagonal.y], [[0, 1], [0, 1]]);
    assert.deepEqual(points.x, [0.05, 0.975]);
    assert.deepEqual(points.y, [0.5, 1]);
    assert.equal((points.marker as { color: string }).color, CLASS_COLORS[1]);
    assert.match(titleOf(figure), /4 rows, ECE 0\.2375/);
  });
});
