// lib/notebook/explain.ts: structured and noisy units from the weights, the digits explained, calibration in words.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../lib/data/dataset";
import { calibration } from "../../lib/evaluation/calibration";
import { attributionSum } from "../../lib/evaluation/attributions";
import { initNetwork, modelConfig } from "../../lib/model/model";
import { calibrationSentence, digitsToExplain, explainDigits, explainedSentence, weightStructure, weightStructureSentence } from "../../lib/notebook/explain";

/** 8×8 images inked only in the middle 4×4: the border (48 of 64 pixels) is blank in every row. */
function middleInk(rows: number): Dataset {
  const features = new Float32Array(rows * 64);
  for (let r = 0; r < rows; r++) for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) features[r * 64 + y * 8 + x] = ((r + x + y) % 3) / 2;
  return { features, labels: Uint8Array.from({ length: rows }, (_, i) => i % 2), rows, cols: 64 };
}

describe("weightStructure", () => {
  it("calls a smooth unit structured and a random one noise, and measures weight on always-blank pixels", () => {
    const network = initNetwork(modelConfig([2], "sigmoid", 64), 3);
    const { kernel } = network.layers[0];
    // Unit 1: a smooth ramp over the image, 0.01 on the border; unit 2 keeps its random start.
    for (let i = 0; i < 64; i++) {
      const x = i % 8;
      const y = Math.floor(i / 8);
      const border = x < 2 || x >= 6 || y < 2 || y >= 6;
      kernel[i * 2] = border ? 0.01 : x + y;
    }
    const s = weightStructure(network, middleInk(6));
    assert.equal(s.blankPixels, 48);
    assert.equal(s.blankFraction, 0.75);
    assert.ok(s.units[0].smoothness > 0.3);
    assert.equal(s.units[0].structured, true);
    const middle = [2, 3, 4, 5].flatMap((y) => [2, 3, 4, 5].map((x) => x + y)).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s.units[0].blankShare - 0.48 / (0.48 + middle)) < 1e-6);
    assert.equal(s.units[1].structured, false);
    const sentence = weightStructureSentence(s);
    assert.match(sentence, /\*\*1 of the 2 units are structured\*\* \(units 1\)/);
    assert.match(sentence, /\*\*1 look like noise\*\* \(units 2;/);
    assert.match(sentence, /48 pixels \(75%\) blank in every training image/);
  });

  it("finds no structure in a freshly initialised 25-unit layer", () => {
    const network = initNetwork(modelConfig([25], "sigmoid", 784), 5);
    const data: Dataset = { features: new Float32Array(784).fill(0.5), labels: Uint8Array.from([0]), rows: 1, cols: 784 };
    const s = weightStructure(network, data);
    assert.equal(s.units.filter((u) => u.structured).length, 0);
    for (const u of s.units) assert.ok(Math.abs(u.smoothness) < 0.15, `unit ${u.unit}: ${u.smoothness}`);
  });
});

describe("digitsToExplain and explainDigits", () => {
  it("takes a few digits of each class, then the misclassified ones, most confident first, up to a cap", () => {
    const data = middleInk(10);
    // Mistakes: row 7 (a 1, P 0.1: off by 0.4), row 4 (a 0, P 0.9: 0.4), row 2 (a 0, P 0.6: 0.1).
    const probabilities = Array.from({ length: 10 }, (_, i) => (i === 7 ? 0.1 : i === 4 ? 0.9 : i === 2 ? 0.6 : data.labels[i]));
    const all = digitsToExplain(data, probabilities, { perClass: 1, seed: 1 });
    assert.equal(data.labels[all.rows[0]], 0);
    assert.equal(data.labels[all.rows[1]], 1);
    assert.deepEqual([all.mistakes, all.shownMistakes], [3, 3]);
    for (const r of [2, 4, 7]) assert.ok(all.rows.includes(r));
    assert.equal(new Set(all.rows).size, all.rows.length);
    const capped = digitsToExplain(data, probabilities, { perClass: 0, maxMistakes: 2 });
    assert.deepEqual(capped, { rows: [4, 7], mistakes: 3, shownMistakes: 2 });
    assert.match(explainedSentence(capped, 0), /the 2 most confident of the 3 misclassified ones are added/);
    assert.match(explainedSentence(all, 1), /every misclassified one \(3\) is added/);
  });

  it("gives each row its integrated gradients, one number per pixel", () => {
    const data = middleInk(3);
    const network = initNetwork(modelConfig([4], "tanh", 64), 2);
    const [one] = explainDigits(network, data, [1]);
    assert.equal(one.row, 1);
    assert.equal(one.attribution.length, 64);
    assert.notEqual(attributionSum(one.attribution), 0);
  });
});

describe("calibrationSentence", () => {
  it("states the ECE, a verdict and the bin furthest from the diagonal", () => {
    const sentence = calibrationSentence(calibration([0, 1, 1, 1], [0.05, 0.05, 0.95, 1]), [4, 9]);
    assert.match(sentence, /expected calibration error is \*\*0\.2375\*\*/);
    assert.match(sentence, /should not be taken at their word/);
    assert.match(sentence, /P\(9\) in \[0\.0, 0\.1\) \(2 digits\), is underconfident: 50\.0% are 9s against a mean prediction of 5\.0%/);
  });
});
