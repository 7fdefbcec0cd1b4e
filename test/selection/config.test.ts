import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { candidates, parseLayers, resolveSelectionConfig } from "../../lib/selection/config";

describe("layer specs", () => {
  test("parses sizes, and none/logistic/empty as logistic regression", () => {
    assert.deepEqual(parseLayers("25,15"), [25, 15]);
    assert.deepEqual(parseLayers(" 64 , 32 "), [64, 32]);
    assert.deepEqual(parseLayers("25-15"), [25, 15]);
    assert.deepEqual(parseLayers("8"), [8]);
    assert.deepEqual(parseLayers(""), []);
    assert.deepEqual(parseLayers("none"), []);
    assert.deepEqual(parseLayers("logistic"), []);
  });

  test("rejects anything else with an InputError naming the spec", () => {
    for (const spec of ["25,,x", "0", "2.5", "-1", "abc", "25,", "1e3"]) {
      assert.throws(() => parseLayers(spec), (e: unknown) => e instanceof InputError && e.message.includes(`"${spec}"`), spec);
    }
  });
});

describe("a grid over activations and learning rates", () => {
  test("candidates are layers × activations × learning rates, named by what varies; logistic once per rate", () => {
    const product = candidates({ grid: [[], [8]], activations: ["sigmoid", "relu"], learningRates: [0.001, 0.003] });
    assert.deepEqual(
      product.map((c) => c.name),
      ["logistic lr 0.001", "logistic lr 0.003", "8 sigmoid lr 0.001", "8 sigmoid lr 0.003", "8 relu lr 0.001", "8 relu lr 0.003"],
    );
    assert.deepEqual(product[5], { name: "8 relu lr 0.003", hidden: [8], activation: "relu", learningRate: 0.003 });
    assert.deepEqual(candidates({ grid: [[25, 15]], activations: ["sigmoid"], learningRates: [0.001] }).map((c) => c.name), ["25-15"]);
    assert.deepEqual(candidates({ grid: [[8]], activations: ["tanh", "relu"], learningRates: [0.01] }).map((c) => c.name), ["8 tanh", "8 relu"]);
  });

  test("a setting listed twice, or none at all, is refused", () => {
    assert.throws(() => resolveSelectionConfig({ activations: ["relu", "relu"] }), (e: Error) => e instanceof InputError && /activation relu is in the grid twice/.test(e.message));
    assert.throws(() => resolveSelectionConfig({ learningRates: [0.001, 0.001] }), /learning rate 0.001 is in the grid twice/);
    assert.throws(() => resolveSelectionConfig({ activations: [] }), /no activation to try/);
    assert.throws(() => resolveSelectionConfig({ learningRates: [0.01, -1] }), InputError);
  });
});
