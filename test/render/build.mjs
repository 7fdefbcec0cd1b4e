// Builds the rendering harness: JupyterLab 4's output rendering (rendermime + outputarea) and the
// jupyterlab-plotly MIME renderer, bundled with esbuild into dist/harness.js (+ .css) for a plain
// Chromium page (test/support/render.ts drives it). Run by `npm ci --prefix test/render` (prepare).
//
// jupyterlab-plotly comes from its npm tarball (`npm pack`, integrity pinned below), unpacked
// without its dependencies: as a package it would pull plotly.js 2, @jupyter-widgets/base and
// Lumino 1. Its renderer needs only @lumino/widgets (Lumino 2 here, as in JupyterLab 4) and
// plotly.js, which resolves to the whole library from the project's plotly.js package (its
// dist/plotly.min.js, as jupyterlab-plotly ships the whole library; the charts' HTML embeds a
// bundle of the same version's modules: lib/notebook/page/plotly.ts).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PLOTLY_RENDERER = {
  name: "jupyterlab-plotly",
  version: "5.24.1",
  integrity: "sha512-okiu9UUR/8Tz/93c7ArHHF23O/GyDMUpuf2lqLPDu0J/8L0wQYetdu10C8jSMiCy3m6kJF+Hx0o/b0dqRLUX7g==",
};

function fetchPlotlyRenderer() {
  const vendor = join(here, "vendor");
  const tarball = join(vendor, `${PLOTLY_RENDERER.name}-${PLOTLY_RENDERER.version}.tgz`);
  const unpacked = join(vendor, PLOTLY_RENDERER.name);
  mkdirSync(vendor, { recursive: true });
  if (!existsSync(tarball)) {
    execFileSync("npm", ["pack", `${PLOTLY_RENDERER.name}@${PLOTLY_RENDERER.version}`, "--pack-destination", vendor, "--silent"], { cwd: here, stdio: ["ignore", "ignore", "inherit"] });
  }
  const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
  if (integrity !== PLOTLY_RENDERER.integrity) {
    rmSync(tarball, { force: true });
    throw new Error(`${tarball}: integrity ${integrity}, expected ${PLOTLY_RENDERER.integrity}; removed it, run again`);
  }
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked);
  execFileSync("tar", ["xzf", tarball, "-C", unpacked, "--strip-components", "1"]);
  return unpacked;
}

const plotlyRenderer = fetchPlotlyRenderer();
const plotlyJs = join(root, "node_modules", "plotly.js", "dist", "plotly.min.js");
if (!existsSync(plotlyJs)) throw new Error(`${plotlyJs} is missing: run npm ci in ${root} first`);

await build({
  entryPoints: [join(here, "src", "harness.ts")],
  outfile: join(here, "dist", "harness.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  logLevel: "warning",
  loader: { ".svg": "dataurl" },
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [
    {
      name: "resolve-vendored",
      setup(b) {
        b.onResolve({ filter: /^jupyterlab-plotly\/plotly-renderer$/ }, () => ({ path: join(plotlyRenderer, "lib", "plotly-renderer.js") }));
        b.onResolve({ filter: /^plotly\.js\/dist\/plotly$/ }, () => ({ path: plotlyJs }));
      },
    },
  ],
});
console.log(`render harness: ${join("test", "render", "dist", "harness.js")} (jupyterlab-plotly ${PLOTLY_RENDERER.version}, plotly.js from the plotly.js package)`);
