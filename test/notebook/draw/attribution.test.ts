// The drawing pad's overlay in Node: the page's gradient × input (lib/notebook/draw/network.ts)
// equals x · d logit / d x from lib/model/gradients.ts, the backward pass `digits explain` uses.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../../lib/core/random";
import { logitGradients } from "../../../lib/model/gradients";
import { ACTIVATIONS, initNetwork, modelConfig } from "../../../lib/model/model";
import { gradientTimesInput } from "../../../lib/notebook/draw/network";
import { drawPadHtml } from "../../../lib/notebook/draw/draw";
import { CLASS_COLORS } from "../../../lib/charts/figure";

describe("gradientTimesInput: the page's overlay", () => {
  for (const [hidden, activation] of [...ACTIVATIONS.map((a) => [[25, 15], a] as const), [[], "sigmoid"] as const]) {
    it(`equals x · d logit / d x of lib/model/gradients for ${hidden.length ? `${activation} 25-15` : "logistic regression"}`, () => {
      const network = initNetwork(modelConfig(hidden, activation), 11);
      const rng = createRng(3);
      for (const layer of network.layers) for (let j = 0; j < layer.units; j++) layer.bias[j] = rng.uniform(-0.5, 0.5);
      const pixels = Array.from({ length: 784 }, () => (rng.uniform(0, 1) < 0.25 ? Math.round(rng.uniform(0, 255)) : 0));
      const x = Float64Array.from(pixels, (p) => p / 255);
      const { gradients } = logitGradients(network, x, 1);
      const page = gradientTimesInput(network, pixels);
      let largest = 0;
      for (let i = 0; i < 784; i++) {
        assert.ok(Math.abs(page[i] - x[i] * gradients[i]) < 1e-12, `pixel ${i}`);
        if (pixels[i] === 0) assert.ok(page[i] === 0, `blank pixel ${i}: ${page[i]}`);
        largest = Math.max(largest, Math.abs(page[i]));
      }
      assert.ok(largest > 0);
    });
  }
});

describe("the overlay in the pad's HTML", () => {
  it("is a 28×28 canvas with data-digits-attribution, captioned in the charts' class colours with the pair's digits", () => {
    const network = initNetwork(modelConfig([3]), 1);
    const test = { features: new Float32Array(784 * 2), labels: Uint8Array.from([0, 1]), rows: 2, cols: 784 };
    const html = drawPadHtml(network, test, { pair: [4, 9], sample: 2 });
    assert.match(html, /<canvas data-digits-attribution width="28" height="28"/);
    assert.ok(html.includes(`color:${CLASS_COLORS[0]};font-weight:bold">4<`));
    assert.ok(html.includes(`color:${CLASS_COLORS[1]};font-weight:bold">9<`));
  });
});
