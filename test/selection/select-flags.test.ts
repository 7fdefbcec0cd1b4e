// digits select's --repeats, --rope and --rule: checked before any work, an InputError naming the flag.
import assert from "node:assert/strict";
import { test } from "node:test";
import { comparisonFlags } from "../../cli/real-differences";
import { InputError } from "../../lib/core/errors";

test("defaults: one repeat, ROPE 0.002 on both metrics, the one-SE rule", () => {
  assert.deepEqual(comparisonFlags({}), { repeats: 1, rope: { accuracy: 0.002, logLoss: 0.002 }, rule: "one-se" });
});

test("--rope X sets accuracy's, --rope X,Y both; --rule equivalent", () => {
  assert.deepEqual(comparisonFlags({ repeats: "3", rope: "0.01", rule: "equivalent" }), { repeats: 3, rope: { accuracy: 0.01, logLoss: 0.002 }, rule: "equivalent" });
  assert.deepEqual(comparisonFlags({ rope: "0.01,0.005" }).rope, { accuracy: 0.01, logLoss: 0.005 });
});

test("bad values are InputErrors that name the flag", () => {
  for (const [flags, pattern] of [[{ repeats: "0" }, /--repeats "0"/], [{ repeats: "1.5" }, /--repeats/], [{ rope: "abc" }, /--rope "abc"/], [{ rope: "0.1,0.2,0.3" }, /--rope/], [{ rope: "-1" }, /--rope/], [{ rule: "best" }, /--rule "best": expected one of one-se, equivalent/]] as const) {
    assert.throws(() => comparisonFlags(flags as Record<string, string>), (e: unknown) => e instanceof InputError && pattern.test(e.message));
  }
});
