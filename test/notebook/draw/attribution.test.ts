// The drawing pad's overlay in Node: the page's gradient × input (lib/notebook/draw/network.ts)
// equals x · d logit / d x from lib/model/gradients.ts, the backward pass `digits explain` uses.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../../lib/core/random";
import { logitGradients } from "../../../lib/model/gradients";
import { ACTIVATIONS, initNetwork, modelConfig } from "../../../lib/model/model";
import { gradientTimesInput } from "../../../lib/notebook/draw/network";

describe("gradientTimesInput: the page's overlay", () => {
  for (const [hidden, activation] of [...ACTIVATIONS.map((a) => [[25, 15], a] as const), [[], "sigmoid"] as const]) {
    it(`equals x · d logit / d x of lib/model/gradients for ${hidden.length ? `${activation} 25-15` : "logistic regression"}`, () => {
      const network = initNetwork(modelConfig(hidden, activation), 11);
      const rng = createRng(3);
      for (const layer of network.layers) for (let j = 0; j < layer.units; j++) layer.bias[j] = rng.uniform(-0.5, 0.5);
      const pixels = Array.from({ length: 784 }, () => (rng.uniform(0, 1) < 0.25 ? Math.round(rng.uniform(0, 255)) : 0));
      const x = Float64Array.from(pixels, (p) => p / 255);
      const { gradients } = logitGradients(network, x, 1);
      const page = gradientTimesInput(network.layers, activation, pixels);
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
