import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { classCounts } from "../../lib/data/dataset";

describe("class counts", () => {
  test("classCounts returns [zeros, ones]", () => {
    assert.deepEqual(classCounts(Uint8Array.from([0, 1, 1, 0, 1])), [2, 3]);
    assert.deepEqual(classCounts([]), [0, 0]);
  });
});
