// Student's t distribution: the CDF and the two-sided p-value behind the corrected resampled t-test
// and the Bayesian correlated t-test (lib/selection/candidate-tests). The numerics are stdlib's
// (@stdlib/stats-base-dists-t-cdf, through its regularized incomplete beta function), which
// agree with SciPy to about 1e-15 on the values test/evaluation/student-t.test.ts pins; this module
// adds what our callers rely on: degrees of freedom that are not positive and finite are a bug in
// the caller (RangeError), where stdlib would answer NaN.
//
// For the browser: esbuild bundles the package for platform browser with no Node built-in on its
// path (no fs, Buffer or native code; its native bindings are separate entry points it does not
// load), but it is large: studentTCdf alone bundles 336 modules into about 138 KB minified. In Node
// it is required on first use (./t-cdf).
import { tCdf } from "./t-cdf";

function checkDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`Student's t: degrees of freedom must be positive and finite, got ${df}`);
}

/** P(T ≤ t) for T ~ Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  return tCdf(t, df);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|), twice the lower tail, which keeps its digits when small. */
export function studentTTwoSided(t: number, df: number): number {
  checkDf(df);
  return 2 * tCdf(-Math.abs(t), df);
}
