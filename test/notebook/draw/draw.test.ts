// lib/notebook/draw: MNIST-style preprocessing, the page's forward pass checked against the
// trainer's, the bundled page script (dist/draw-page.js: run `npm run build` first) run outside
// Node's module system, the confusion-matrix cells and the HTML.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { ensureDefaultDataset } from "../../../lib/data/default-files";
import { loadCsv } from "../../../lib/data/csv";
import { type Dataset } from "../../../lib/data/dataset";
import { confusionCells } from "../../../lib/notebook/draw/cells";
import { confusionCellsHtml, drawPadHtml } from "../../../lib/notebook/draw/draw";
import { encodeNetwork, rowPixels } from "../../../lib/notebook/draw/embed";
import { mnistImage } from "../../../lib/notebook/draw/image";
import { base64Bytes, decodeNetwork, forwardProbability } from "../../../lib/notebook/draw/network";
import { PAGE_GLOBAL } from "../../../lib/notebook/draw/page-config";
import { drawPadBundle } from "../../../lib/notebook/draw/widget";
import { initNetwork, modelConfig, type Network } from "../../../lib/model/model";
import { predictProbabilities, trainSync } from "../../../lib/model/train";

/** A 28×28 image with `value` at the given (x, y) pixels. */
function image(points: readonly (readonly [number, number])[], value = 255): number[] {
  const out = new Array(784).fill(0);
  for (const [x, y] of points) out[y * 28 + x] = value;
  return out;
}

/** The (x, y) pixels of a rectangle x0…x1, y0…y1 inclusive. */
function rect(x0: number, x1: number, y0: number, y1: number): [number, number][] {
  const out: [number, number][] = [];
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out.push([x, y]);
  return out;
}

/** A width × height canvas with ink `value` on the given rectangle. */
function canvas(width: number, height: number, x0: number, x1: number, y0: number, y1: number, value = 255): Uint8Array {
  const ink = new Uint8Array(width * height);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) ink[y * width + x] = value;
  return ink;
}

/** `pixels` (28×28) drawn `scale` times larger, as the page's "random test digit" button does. */
function upscale(pixels: ArrayLike<number>, scale: number): Uint8Array {
  const side = 28 * scale;
  const big = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) big[y * side + x] = pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
  return big;
}

describe("mnistImage: a drawing as MNIST's digits were made", () => {
  it("gives an empty image for an empty drawing", () => {
    assert.deepEqual([...mnistImage(new Uint8Array(280 * 280), 280, 280)], new Array(784).fill(0));
  });

  it("scales a one-pixel dot up to the 20×20 box and centres it: pixels 5…24 (centre of mass 9.5 + 5 = 14.5 rounds from 14 + 0.5)", () => {
    const ink = canvas(7, 5, 3, 3, 1, 1);
    assert.deepEqual([...mnistImage(ink, 7, 5)], image(rect(5, 24, 5, 24)));
  });

  it("keeps the aspect ratio: a 2×4 bar becomes 10×20, placed by its centre of mass", () => {
    // Centre of mass (4.5, 9.5) in the 10×20 patch: shifted by round(14 - 4.5) = 10 and round(14 - 9.5) = 5.
    assert.deepEqual([...mnistImage(canvas(10, 10, 6, 7, 2, 5, 200), 10, 10)], image(rect(10, 19, 5, 24), 200));
  });

  it("anti-aliases a partly covered edge: a 3×1 line becomes 20 columns of 6⅔ rows, the last row 2/3 grey", () => {
    // The 7th target row covers 2/3 of the scaled line: 255 × 2/3 = 170. Centre of mass y =
    // (255·(0+…+5) + 170·6) / (6·255 + 170) = 2.85, so rows shift by round(14 - 2.85) = 11.
    const expected = image(rect(5, 24, 11, 16));
    for (let x = 5; x <= 24; x++) expected[17 * 28 + x] = 170;
    assert.deepEqual([...mnistImage(canvas(5, 3, 1, 3, 1, 1), 5, 3)], expected);
  });

  it("does not depend on where or how large the digit is drawn", () => {
    const small = mnistImage(canvas(280, 280, 20, 29, 40, 79, 255), 280, 280);
    const large = mnistImage(canvas(280, 280, 150, 179, 100, 219, 255), 280, 280);
    assert.deepEqual([...large], [...small]);
  });

  it("gives back every test digit drawn 10 times larger, pixel for pixel (MNIST's box is 20 and its centre of mass within half a pixel of 14)", () => {
    const test = loadCsv(ensureDefaultDataset().test);
    const differ: number[] = [];
    for (let r = 0; r < test.rows; r++) {
      const pixels = rowPixels(test, r);
      const back = mnistImage(upscale(pixels, 10), 280, 280);
      if (back.some((v, i) => v !== pixels[i])) differ.push(r);
    }
    assert.deepEqual(differ, []);
  });
});

describe("forwardProbability: the page's forward pass", () => {
  it("computes a logistic regression by hand: sigmoid(0.5 + 1·1 - 1·0) = 0.81757…", () => {
    const layers = [{ inputs: 2, units: 1, kernel: [1, -1], bias: [0.5] }];
    assert.equal(forwardProbability(layers, "sigmoid", [255, 0]), 0.8175744761936437);
  });

  it("applies the hidden activation: sigmoid(sigmoid(2) - 0.5) = 0.594065… (in float32 steps)", () => {
    const layers = [
      { inputs: 1, units: 1, kernel: [2], bias: [0] },
      { inputs: 1, units: 1, kernel: [1], bias: [-0.5] },
    ];
    assert.ok(Math.abs(forwardProbability(layers, "sigmoid", [255]) - 0.5940653340566603) < 1e-7);
    assert.ok(Math.abs(forwardProbability(layers, "relu", [255]) - 1 / (1 + Math.exp(-1.5))) < 1e-7);
    assert.ok(Math.abs(forwardProbability(layers, "tanh", [255]) - 1 / (1 + Math.exp(-(Math.tanh(2) - 0.5)))) < 1e-7);
  });

  describe("equals the trainer's predictions (the WebAssembly kernels) on every test digit, within 1e-7", () => {
    const { train, test: testFile } = ensureDefaultDataset();
    const test = loadCsv(testFile);
    const trained = trainSync(loadCsv(train), modelConfig([25, 15]), { epochs: 1, seed: 13 }).network;
    const cases: [string, Network][] = [
      ["trained 25-15 sigmoid", trained],
      ["logistic regression", initNetwork(modelConfig([]), 7)],
      ["8 relu", initNetwork(modelConfig([8], "relu"), 7)],
      ["6-5 tanh", initNetwork(modelConfig([6, 5], "tanh"), 7)],
    ];
    for (const [name, network] of cases) {
      it(name, () => {
        const expected = predictProbabilities(network, test);
        const page = decodeNetwork(encodeNetwork(network));
        let worst = 0;
        for (let r = 0; r < test.rows; r++) worst = Math.max(worst, Math.abs(forwardProbability(page.layers, page.config.activation, rowPixels(test, r)) - expected[r]));
        assert.ok(worst < 1e-7, `largest difference ${worst}`);
      });
    }
  });
});

describe("the embedded network and digits", () => {
  it("keeps every float32 weight bit for bit through base64", () => {
    const network = initNetwork(modelConfig([3, 2], "tanh", 5), 1);
    const decoded = decodeNetwork(encodeNetwork(network));
    assert.equal(decoded.config.activation, "tanh");
    decoded.layers.forEach((layer, l) => {
      assert.deepEqual([layer.inputs, layer.units], [network.layers[l].inputs, network.layers[l].units]);
      assert.deepEqual(layer.kernel, network.layers[l].kernel);
      assert.deepEqual(layer.bias, network.layers[l].bias);
    });
  });

  it("reads a dataset row back as the CSV's 0–255 integers", () => {
    const features = new Float32Array([0, 1 / 255, 128 / 255, 1]);
    const data: Dataset = { features, labels: new Uint8Array([1]), rows: 1, cols: 4 };
    assert.deepEqual([...rowPixels(data, 0)], [0, 1, 128, 255]);
    assert.throws(() => rowPixels(data, 1), /row 1 is outside 0…0/);
    assert.deepEqual([...base64Bytes(Buffer.from([0, 7, 255]).toString("base64"))], [0, 7, 255]);
  });

  it("runs as bundled for the page in a bare script context: nothing but its own text, Math and atob", () => {
    const context: Record<string, unknown> = { atob, Math };
    runInNewContext(`${drawPadBundle()}\nthis.api = ${PAGE_GLOBAL};`, context);
    const api = context.api as { mnistImage: typeof mnistImage; forwardProbability: typeof forwardProbability; decodeNetwork: typeof decodeNetwork; start: unknown };
    assert.equal(typeof api.start, "function");
    const ink = canvas(5, 3, 1, 3, 1, 1);
    assert.deepEqual([...api.mnistImage(ink, 5, 3)], [...mnistImage(ink, 5, 3)]);
    const network = initNetwork(modelConfig([4]), 3);
    const page = api.decodeNetwork(encodeNetwork(network));
    const pixels = image(rect(10, 12, 4, 23));
    assert.equal(api.forwardProbability(page.layers, page.config.activation, pixels), predictProbabilities(network, { features: new Float32Array(pixels.map((v) => v / 255)), labels: new Uint8Array(1), rows: 1, cols: 784 })[0]);
  });
});

describe("confusionCells", () => {
  const labels = [0, 0, 1, 1, 0];
  const probabilities = [0.1, 0.7, 0.4, 0.9, 0.45];

  it("puts each row in its cell [[tn, fp], [fn, tp]], least confident first", () => {
    const cells = confusionCells(labels, probabilities);
    assert.deepEqual(cells.map((row) => row.map((c) => c.count)), [[2, 1], [1, 1]]);
    assert.deepEqual(cells.map((row) => row.map((c) => c.rows)), [[[4, 0], [1]], [[2], [3]]]);
    assert.deepEqual([cells[0][1].truth, cells[0][1].predicted], [0, 1]);
  });

  it("shows at most perCell rows but counts them all; 0.5 itself predicts the first digit", () => {
    const cells = confusionCells([0, 0, 0], [0.5, 0.2, 0.3], { perCell: 1 });
    assert.deepEqual(cells[0][0], { truth: 0, predicted: 0, count: 3, rows: [0] });
    assert.equal(cells[0][1].count, 0);
  });

  it("rejects mismatched lengths and labels other than 0 and 1", () => {
    assert.throws(() => confusionCells([0, 1], [0.5]), /2 labels but 1 probabilities/);
    assert.throws(() => confusionCells([0, 2], [0.5, 0.5]), /label 2 at row 1: expected 0 or 1/);
  });
});

describe("the widgets' HTML", () => {
  const test: Dataset = { features: new Float32Array(3 * 784).fill(0.5), labels: new Uint8Array([0, 1, 1]), rows: 3, cols: 784 };
  const network = initNetwork(modelConfig([]), 1);

  it("carries the hooks, names the pair's digits and embeds the weights, with a fallback where scripts do not run", () => {
    const html = drawPadHtml(network, test, { pair: [3, 7], id: "pad" });
    for (const hook of ["data-digits-draw", "data-digits-probability", "data-digits-prediction", "data-digits-clear", "data-digits-random", "data-digits-input"]) {
      assert.ok(new RegExp(`<[a-z]+ [^>]*\\b${hook}[ >]`).test(html), `no element with ${hook}`);
    }
    assert.match(html, /<canvas data-digits-draw width="280" height="280"[^>]*style="width:280px;height:280px;[^"]*touch-action:none/);
    assert.match(html, /P\(7\) = /);
    assert.match(html, /Draw a 3 or a 7\./);
    assert.match(html, /data-digits-fallback/);
    assert.ok(html.includes(encodeNetwork(network).weights));
    assert.doesNotMatch(html, /require\(|define\(/);
    // The three rows, labelled with the pair's digits.
    assert.match(html, /"labels":\[(3|7),(3|7),(3|7)\]/);
  });

  it("labels the confusion matrix with the pair's digits and a button per cell", () => {
    const html = confusionCellsHtml(test, [0.2, 0.8, 0.3], { pair: [3, 7], id: "cells" });
    assert.match(html, /<th[^>]*>predicted 3<\/th><th[^>]*>predicted 7<\/th>/);
    assert.match(html, /<th[^>]*>true 7<\/th>/);
    assert.match(html, /data-digits-cell="1,0" data-digits-count="1"/);
    assert.match(html, /data-digits-cell="0,1" data-digits-count="0"/);
  });

  it("says what is wrong with bad input", () => {
    assert.throws(() => drawPadHtml(network, test, { pair: [4, 4] }), /two different digits 0–9, got \[4, 4\]/);
    assert.throws(() => confusionCellsHtml(test, [0.5]), /1 probabilities for 3 rows/);
    assert.throws(() => drawPadHtml(network, { ...test, cols: 10, features: new Float32Array(30) }), /784 pixels per row, got 10/);
  });
});
