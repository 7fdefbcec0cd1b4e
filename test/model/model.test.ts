// weightsBytes: a network's weights in the bytes a saved model's weights.bin holds, so that a page
// that trains (a report's lab) can name its weights by the SHA-256 the saved file has.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng } from "../../lib/core/random";
import { initNetwork, modelConfig, weightsBytes } from "../../lib/model/model";
import { loadModel, saveModel } from "../../lib/model/persist";

describe("weightsBytes", () => {
  it("writes each layer's kernel then bias as float32 little-endian: a 2→1 network by hand", () => {
    const network = initNetwork(modelConfig([], "sigmoid", 2), 1);
    network.layers[0].kernel.set([1, -2]);
    network.layers[0].bias.set([0.5]);
    assert.deepEqual([...weightsBytes(network)], [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
  });

  for (const [hidden, activation] of [[[25, 15], "sigmoid"], [[8], "relu"], [[], "sigmoid"], [[6, 5, 4], "tanh"]] as const) {
    it(`equals the weights.bin a saved ${hidden.join("-") || "logistic"} ${activation} model holds, byte for byte`, async () => {
      const network = initNetwork(modelConfig([...hidden], activation), 5);
      // Non-zero biases, so that a bias written in the wrong place would show.
      const rng = createRng(9);
      for (const layer of network.layers) for (let j = 0; j < layer.units; j++) layer.bias[j] = rng.uniform(-1, 1);
      const dir = mkdtempSync(join(tmpdir(), "digits-weights-"));
      try {
        await saveModel(join(dir, "model"), network, { model: network.config, train: { epochs: 1, batchSize: 32, learningRate: 0.001, seed: 1 }, data: { fingerprint: "x", rows: 1 } });
        const saved = readFileSync(join(dir, "model", "weights.bin"));
        assert.ok(Buffer.from(weightsBytes(network)).equals(saved), "weightsBytes differs from weights.bin");
        // And the file reads back as the same network.
        const loaded = await loadModel(join(dir, "model"));
        assert.ok(Buffer.from(weightsBytes(loaded.network)).equals(saved));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
