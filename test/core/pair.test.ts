import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { checkPair, countOf, digitOf, digitPlural, pairDataFiles, pairFolder, pairName, parsePair } from "../../lib/core/pair";

describe("pairs of digits", () => {
  test("parsePair reads A,B in order: the first is the negative class", () => {
    assert.deepEqual(parsePair("4,9"), [4, 9]);
    assert.deepEqual(parsePair(" 9, 4 "), [9, 4]);
    assert.deepEqual(parsePair("3-5"), [3, 5]);
  });

  test("parsePair rejects anything but two distinct digits, naming the flag", () => {
    for (const bad of ["4", "4,9,1", "4,10", "a,b", "", "4,4", "-1,2"]) {
      assert.throws(() => parsePair(bad), (e: unknown) => e instanceof InputError && e.message.startsWith(`--digits "${bad}"`), bad);
    }
    assert.throws(() => parsePair("4,4", "DIGITS_PAIR"), (e: unknown) => e instanceof Error && /^DIGITS_PAIR "4,4": the two digits must differ/.test(e.message));
  });

  test("checkPair accepts two distinct digits 0–9 given in code", () => {
    assert.deepEqual(checkPair([7, 1]), [7, 1]);
    assert.throws(() => checkPair([1.5, 2]), InputError);
    assert.throws(() => checkPair([2, 2]), /must differ/);
  });

  test("names: folder, plural, count, digit of a label", () => {
    assert.equal(pairName([4, 9]), "4-9");
    assert.equal(digitPlural(6), "sixes");
    assert.equal(countOf(5923, 0), "5,923 zeros");
    assert.equal(countOf(1, 9), "1 nine");
    assert.equal(digitOf([4, 9], 0), 4);
    assert.equal(digitOf([4, 9], 1), 9);
    assert.equal(pairFolder("reports", [0, 1]), "reports");
    assert.equal(pairFolder("reports", [4, 9]), "reports/4-9");
  });

  test("data/A-B/*.csv are data/ for 0, 1 and a folder per pair otherwise", () => {
    assert.deepEqual(pairDataFiles([0, 1]), { train: "data/train.csv", test: "data/test.csv" });
    assert.deepEqual(pairDataFiles([4, 9]), { train: "data/4-9/train.csv", test: "data/4-9/test.csv" });
  });
});
