// stdlib's Student's t CDF, loaded on its first use: the package is about 336 modules, and
// requiring it cost every CLI start about 0.06 s on an idle machine (more under load), though most
// commands (`--help`, train, evaluate) never compute a test. The page twin (t-cdf.page.ts)
// imports it, for the bundler.
type TCdf = (x: number, df: number) => number;

let loaded: TCdf | undefined;

/** P(T ≤ x) for T ~ Student's t with `df` degrees of freedom (stdlib: NaN for a bad df). */
export function tCdf(x: number, df: number): number {
  loaded ??= require("@stdlib/stats-base-dists-t-cdf") as TCdf;
  return loaded(x, df);
}
