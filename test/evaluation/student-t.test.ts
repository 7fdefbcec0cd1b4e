// Student's t distribution against SciPy: the expected values were computed once by
// test/evaluation/student-t-values.py (scipy.stats.t) and written here.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { studentTCdf, studentTTwoSided } from "../../lib/evaluation/student-t";

const near = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)) || Math.abs(actual / expected - 1) < 1e-9, `${what}: ${actual}, SciPy ${expected}`);

describe("Student's t CDF", () => {
  test("agrees with scipy.stats.t.cdf, from the centre to far tails and fractional df", () => {
    const cases: [number, number, number][] = [
      [0.0, 1, 0.5],
      [1.0, 1, 0.7500000000000002],
      [-2.5, 3, 0.04385332350403277],
      [2.0, 4, 0.9419417382415922],
      [0.3, 14, 0.615707308425497],
      [-4.2, 14, 0.00044527141234951663],
      [10.0, 2, 0.9950737714883371],
      [-30.0, 29, 1.0988724225494054e-23],
      [1.5, 0.5, 0.7460491046759459],
    ];
    for (const [t, df, expected] of cases) near(studentTCdf(t, df), expected, `cdf(${t}, ${df})`);
  });

  test("the two-sided p-value is twice the tail, small tails keep their digits, and infinite t has p = 0", () => {
    near(studentTTwoSided(-2.5, 3), 2 * 0.04385332350403277, "p(-2.5, 3)");
    near(studentTTwoSided(2.5, 3), 2 * 0.04385332350403277, "p(2.5, 3)");
    near(studentTTwoSided(30, 29), 2 * 1.0988724225494054e-23, "p(30, 29)");
    assert.equal(studentTTwoSided(Infinity, 3), 0);
    assert.equal(studentTCdf(-Infinity, 3), 0);
  });

  test("degrees of freedom that are not positive and finite are refused", () => {
    assert.throws(() => studentTCdf(1, 0), RangeError);
    assert.throws(() => studentTTwoSided(1, NaN), RangeError);
    assert.throws(() => studentTCdf(1, Infinity), RangeError);
  });
});
