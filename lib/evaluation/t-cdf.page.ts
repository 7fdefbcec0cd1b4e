// The page twin of t-cdf.ts: a page bundles stdlib's t CDF statically (there is no require to defer).
import stdlibTCdf from "@stdlib/stats-base-dists-t-cdf";

/** P(T ≤ x) for T ~ Student's t with `df` degrees of freedom (stdlib: NaN for a bad df). */
export function tCdf(x: number, df: number): number {
  return stdlibTCdf(x, df);
}
