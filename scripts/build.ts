// npm run build: builds dist/ from its three sources, each only when its inputs changed, so that a
// build with nothing changed takes about a second; a deleted dist/ is built whole again.
//   kernels  dist/kernels.wasm from assembly/ (asc), when a file there, this script or the
//            assemblyscript version differs from the last build's (recorded in dist/kernels.wasm.inputs);
//   tsc      dist/lib and dist/cli (tsc --build, incremental: its state is in dist/*.tsbuildinfo),
//            then the outputs of sources that are gone (a renamed module) removed: tsc leaves them,
//            and a stale .d.ts would still be read (tslab type-checks every declaration it finds);
//            then package.json's bins made executable (scripts/bins.ts);
//   pages    the page bundles (PAGE_BUNDLES: dist/draw-page.js, dist/plotly-charts.js, …): the
//            page program type-checked once (tsconfig.page.json: DOM, no Node), then each entry
//            bundled by esbuild into one script that a page inlines, when a file it was bundled
//            from differs (recorded in dist/<bundle>.inputs). Page twins of Node modules
//            (lib/**/*.page.ts) are taken in their place, as the page program's moduleSuffixes do
//            for the type-check.
// The three run side by side. `--watch` builds, then rebuilds each part as its files change.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, watch } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../lib/core/files";
import { makeBinsExecutable } from "./bins";
import { projectRoot } from "../lib/core/project";
import { PAGE_GLOBAL } from "../lib/notebook/draw/page-config";
import { LAB_GLOBAL } from "../lib/notebook/lab/lab-config";

const ROOT = projectRoot();
const THIS_SCRIPT = "scripts/build.ts";
const KERNELS = { out: "dist/kernels.wasm", source: "assembly", entry: "assembly/kernels.ts", config: "assembly/asconfig.json" };
const PAGE_TSCONFIG = "tsconfig.page.json";

/** One script bundled for pages: an IIFE, assigning its exports to `global` when it has one. */
interface PageBundle {
  out: string;
  entry: string;
  global?: string;
  /** Files read by this script besides the bundle's own inputs (PAGE_GLOBAL comes from page-config). */
  also?: string[];
  /**
   * A third-party library bundled from its CommonJS modules (plotly.js): minified, its licence
   * comments kept, and built as the library's own build does (global is window, no AMD define; the
   * CSS it requires only for trace types left out is empty).
   */
  library?: boolean;
  /** Minified: the lab's scripts ride in every report 02 and 03, beside the rows they embed. */
  minify?: boolean;
}

const PAGE_BUNDLES: readonly PageBundle[] = [
  { out: "dist/draw-page.js", entry: "lib/notebook/draw/page/main.ts", global: PAGE_GLOBAL, also: ["lib/notebook/draw/page-config.ts"] },
  { out: "dist/plotly-charts.js", entry: "lib/notebook/page/plotly.ts", library: true },
  { out: "dist/report-page.js", entry: "lib/report/page/main.ts" },
  { out: "dist/lab-page.js", entry: "lib/notebook/lab/page/main.ts", global: LAB_GLOBAL, also: ["lib/notebook/lab/lab-config.ts"], minify: true },
  { out: "dist/lab-train-worker.js", entry: "lib/notebook/lab/page/train-worker.ts", minify: true },
  { out: "dist/lab-select-worker.js", entry: "lib/notebook/lab/page/select-worker.ts", minify: true },
];

import * as esbuild from "esbuild";
// The TypeScript of package.json, named by path: node_modules/.bin/tsc may be tslab's older copy.
const tscBin = require.resolve("typescript/bin/tsc");
const tscVersion = (require("typescript/package.json") as { version: string }).version;
const ascPackage = require.resolve("assemblyscript/package.json");

/** What a product was last built from: a tool version and each input file's sha256 (paths from the root). */
interface Inputs {
  tool: string;
  files: Record<string, string>;
}

function sha256(file: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(join(ROOT, file))).digest("hex");
  } catch {
    return null;
  }
}

function inputsOf(tool: string, files: readonly string[]): Inputs {
  const sorted = [...new Set([...files, THIS_SCRIPT])].sort();
  return { tool, files: Object.fromEntries(sorted.map((f) => [f, sha256(f) ?? "missing"])) };
}

/** Whether `out` exists and was built from exactly `now` (a stamp missing or unreadable means no). */
function upToDate(out: string, now: Inputs): boolean {
  if (!existsSync(join(ROOT, out))) return false;
  try {
    const last = JSON.parse(readFileSync(join(ROOT, `${out}.inputs`), "utf8")) as Inputs;
    return JSON.stringify(last) === JSON.stringify(now);
  } catch {
    return false;
  }
}

function stamp(out: string, inputs: Inputs): void {
  writeFileAtomic(join(ROOT, `${out}.inputs`), JSON.stringify(inputs, null, 1) + "\n");
}

/** Runs `node script args` from the root, its output on ours; resolves to its exit code. */
function run(script: string, args: readonly string[], children?: Set<ChildProcess>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: "inherit" });
    children?.add(child);
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => {
      children?.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function kernelInputs(): Inputs {
  const version = (JSON.parse(readFileSync(ascPackage, "utf8")) as { version: string }).version;
  const files = (readdirSync(join(ROOT, KERNELS.source), { recursive: true }) as string[]).map((f) => `${KERNELS.source}/${f.split("\\").join("/")}`);
  return inputsOf(`assemblyscript ${version}`, files.filter((f) => sha256(f) !== null));
}

/** dist/kernels.wasm, unless it is up to date. Returns what happened, or throws when asc fails. */
async function buildKernels(): Promise<string> {
  const inputs = kernelInputs();
  if (upToDate(KERNELS.out, inputs)) return "kernels up to date";
  const started = Date.now();
  const code = await run(join(dirname(ascPackage), "bin", "asc.js"), [KERNELS.entry, "--config", KERNELS.config]);
  if (code !== 0) throw new Error(`asc failed (exit code ${code}) building ${KERNELS.out}`);
  stamp(KERNELS.out, inputs);
  return `kernels built (${seconds(started)})`;
}

// What tsc writes for a module X.ts: X.js, X.d.ts and their maps.
const EMITTED = /\.(js|d\.ts)(\.map)?$/;

/**
 * Removes from dist/lib and dist/cli what tsc wrote for sources that no longer exist (or are no
 * longer compiled, such as page code): only files named as tsc names its outputs, each beside no
 * source of that name. Returns how many.
 */
function pruneOrphans(): number {
  let removed = 0;
  for (const dir of ["lib", "cli"]) {
    const out = join(ROOT, "dist", dir);
    if (!existsSync(out)) continue;
    for (const file of readdirSync(out, { recursive: true }) as string[]) {
      if (!EMITTED.test(file)) continue;
      const source = join(ROOT, dir, file.replace(EMITTED, ".ts"));
      const excluded = /(^|[\\/])page[\\/]|\.page\.ts$/.test(source);
      if (existsSync(source) && !excluded) continue;
      rmSync(join(out, file), { force: true });
      removed++;
    }
  }
  return removed;
}

/** dist/lib and dist/cli, by tsc --build (which skips what is up to date), without orphans. */
async function buildTypeScript(): Promise<string> {
  const started = Date.now();
  const code = await run(tscBin, ["--build", "tsconfig.build.json"]);
  if (code !== 0) throw new Error(`tsc failed (exit code ${code})`);
  const removed = pruneOrphans();
  makeBinsExecutable(ROOT);
  return `tsc ${seconds(started)}${removed > 0 ? ` (removed ${removed} output(s) of sources that are gone)` : ""}`;
}

/** esbuild's options for one page bundle. */
function pageOptions(bundle: PageBundle) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [bundle.entry],
    tsconfig: PAGE_TSCONFIG,
    // A page twin (threads.page.ts) is found before its Node module (threads.ts).
    resolveExtensions: [".page.ts", ".ts", ".js", ".json"],
    bundle: true,
    // An IIFE (assigning its exports to `global`): no module loader, and inside each widget's
    // function wrapper the variable stays local to that widget.
    format: "iife",
    ...(bundle.global ? { globalName: bundle.global } : {}),
    ...(bundle.minify ? { minify: true } : {}),
    target: "es2020",
    platform: "browser",
    charset: "utf8",
    legalComments: bundle.library ? "inline" : "none",
    ...(bundle.library ? { minify: true, define: { global: "window", "define.amd": "false" }, loader: { ".css": "empty" } } : {}),
    write: false,
    metafile: true,
    logLevel: "warning",
  } satisfies esbuild.BuildOptions;
}

/** A bundle's inputs as of its last build (its files, from that build's metafile). */
function pageInputs(bundle: PageBundle, files: readonly string[]): Inputs {
  return inputsOf(`esbuild ${esbuild.version}, typescript ${tscVersion}`, [...files, ...(bundle.also ?? []), PAGE_TSCONFIG]);
}

function lastPageFiles(bundle: PageBundle): string[] {
  try {
    return Object.keys((JSON.parse(readFileSync(join(ROOT, `${bundle.out}.inputs`), "utf8")) as Inputs).files);
  } catch {
    return [bundle.entry];
  }
}

/** Writes a bundle's script and the inputs it came from. */
function writePage(bundle: PageBundle, result: { metafile?: esbuild.Metafile; outputFiles?: esbuild.OutputFile[] }): void {
  if (!result.metafile || !result.outputFiles) throw new Error(`esbuild returned no bundle for ${bundle.out}`);
  const files = Object.keys(result.metafile.inputs);
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  writeFileAtomic(join(ROOT, bundle.out), result.outputFiles[0].text);
  stamp(bundle.out, pageInputs(bundle, files));
}

/** The page bundles that are out of date, type-checked once, then bundled. */
async function buildPages(): Promise<string> {
  const stale = PAGE_BUNDLES.filter((bundle) => !upToDate(bundle.out, pageInputs(bundle, lastPageFiles(bundle))));
  if (stale.length === 0) return "page scripts up to date";
  const started = Date.now();
  const code = await run(tscBin, ["-p", PAGE_TSCONFIG]);
  if (code !== 0) throw new Error(`tsc failed (exit code ${code}) type-checking the page code (${PAGE_TSCONFIG})`);
  for (const bundle of stale) writePage(bundle, await esbuild.build(pageOptions(bundle)));
  return `page scripts bundled: ${stale.map((b) => b.out).join(", ")} (${seconds(started)})`;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function buildAll(): Promise<void> {
  const started = Date.now();
  const results = await Promise.allSettled([buildKernels(), buildTypeScript(), buildPages()]);
  const failed = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
  if (failed.length > 0) {
    console.error(`build failed: ${failed.join("; ")}`);
    process.exit(1);
  }
  const done = results.map((r) => (r as PromiseFulfilledResult<string>).value);
  console.log(`build: ${done.join(", ")}; ${seconds(started)} in all`);
}

/**
 * Builds, then keeps each part built: tsc in its own watch mode (lib/ and cli/, and the page program
 * type-checked), the page bundles through esbuild's, the kernels on a change in assembly/.
 */
async function watchAll(): Promise<void> {
  await Promise.all([buildKernels(), buildPages()]).then(
    (done) => console.log(`build: ${done.join(", ")}`),
    (error: Error) => console.error(error.message),
  );
  const children = new Set<ChildProcess>();
  void run(tscBin, ["--build", "--watch", "--preserveWatchOutput", "tsconfig.build.json"], children);
  void run(tscBin, ["-p", PAGE_TSCONFIG, "--watch", "--preserveWatchOutput"], children);
  const contexts = await Promise.all(
    PAGE_BUNDLES.map((bundle) =>
      esbuild.context({
        ...pageOptions(bundle),
        plugins: [
          {
            name: "write",
            setup: (build) =>
              build.onEnd((result) => {
                if (result.errors.length > 0) return;
                writePage(bundle, result);
                console.log(`${bundle.out} bundled`);
              }),
          },
        ],
      }),
    ),
  );
  await Promise.all(contexts.map((context) => context.watch()));
  let pending: NodeJS.Timeout | undefined;
  watch(join(ROOT, KERNELS.source), { recursive: true }, () => {
    clearTimeout(pending);
    pending = setTimeout(() => buildKernels().then(console.log, (error: Error) => console.error(error.message)), 200);
  });
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(signal, () => {
      for (const child of children) child.kill();
      void Promise.all(contexts.map((context) => context.dispose())).then(() => process.exit(code));
    });
  }
}

if (process.argv.includes("--watch")) void watchAll();
else void buildAll();
