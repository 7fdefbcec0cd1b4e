// The test runner behind `npm test` and `npm run test:unit`: runs the given test files and folders,
// or every test, with Node's test runner, one file per core at a time.
//
//   npm test                                  everything (build first)
//   npm test -- test/core test/cli/data.test.ts  those files and folders only
//   npm run test:unit                         the unit tier: no Jupyter, Chromium or Redis
//   npm test -- --slow                        the other tier
//   npm test -- --list                        which tier each file is in, and why; runs nothing
//   npm test -- test/data --test-name-pattern=fold   --test-… options go to node --test
//
// A test file is in the slow tier when it reaches, through its imports, a support module that
// finds or starts Jupyter, Chromium, poppler or Redis (SLOW_SUPPORT); every other file is a unit
// test. Files in separate processes may run at the same time: each test keeps its outputs in its
// own temporary folder, and the shared default data/ files are written atomically, identical
// whoever writes them.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { availableParallelism, constants as osConstants } from "node:os";
import * as path from "node:path";
import { importsOf, ROOT } from "./architecture";

/** The support modules that need Jupyter, Chromium, poppler-utils or Redis: a test that imports one is slow. */
export const SLOW_SUPPORT: Readonly<Record<string, string>> = {
  "test/support/integration.ts": "Jupyter and Chromium",
  "test/support/pdf.ts": "poppler-utils",
  "test/support/redis.ts": "Redis",
};

const TEST_DIR = "test";
// The JupyterLab rendering harness is a package of its own, with no tests of ours.
const NOT_TESTS = ["test/render/"];

export type Tier = "unit" | "slow";

/** Every test file under `dir` (root-relative), sorted. */
export function testFiles(dir = TEST_DIR): string[] {
  const absolute = path.join(ROOT, dir);
  if (fs.statSync(absolute).isFile()) return [dir];
  return (fs.readdirSync(absolute, { recursive: true }) as string[])
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .filter((f) => f.endsWith(".test.ts") && !f.includes("/node_modules/") && !NOT_TESTS.some((n) => f.startsWith(n)))
    .sort();
}

/** What a test file needs that the unit tier does not have (empty for a unit test), found through its imports. */
export function needs(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  if (file in SLOW_SUPPORT) return [SLOW_SUPPORT[file]];
  const found = importsOf(file)
    .map((e) => e.to)
    .filter((to): to is string => to !== null && to.startsWith("test/"))
    .flatMap((to) => needs(to, seen));
  return [...new Set(found)].sort();
}

export const tierOf = (file: string): Tier => (needs(file).length > 0 ? "slow" : "unit");

interface Request {
  paths: string[];
  tier: Tier | null;
  list: boolean;
  nodeArgs: string[];
}

/** The command line: paths (relative to where npm was started), --unit, --slow, --list and --test-… options for node. */
export function parseArgs(args: readonly string[], cwd: string): Request {
  const request: Request = { paths: [], tier: null, list: false, nodeArgs: [] };
  for (const arg of args) {
    if (arg === "--unit" || arg === "--slow") request.tier = arg === "--unit" ? "unit" : "slow";
    else if (arg === "--list") request.list = true;
    else if (arg.startsWith("--test-")) request.nodeArgs.push(arg);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}: use --unit, --slow, --list or a node --test-… option`);
    else {
      const absolute = path.resolve(cwd, arg);
      if (!fs.existsSync(absolute)) throw new UsageError(`${arg}: no such test file or folder (from ${cwd})`);
      const relative = path.relative(ROOT, absolute).split(path.sep).join("/");
      if (relative.startsWith("..")) throw new UsageError(`${arg}: not inside the project (${ROOT})`);
      request.paths.push(relative === "" ? TEST_DIR : relative);
    }
  }
  return request;
}

class UsageError extends Error {}

/** The files to run, slow tier first so that its long files start while the short ones fill the other cores. */
export function selectFiles(request: Request): { file: string; tier: Tier }[] {
  const files = [...new Set((request.paths.length > 0 ? request.paths : [TEST_DIR]).flatMap((p) => testFiles(p)))];
  const tiered = files.map((file) => ({ file, tier: tierOf(file) }));
  return tiered.filter((f) => request.tier === null || f.tier === request.tier).sort((a, b) => (a.tier === b.tier ? 0 : a.tier === "slow" ? -1 : 1));
}

function main(): void {
  let request: Request;
  try {
    request = parseArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm test: ${error.message}`);
    process.exit(2);
  }
  const files = selectFiles(request);
  if (request.list) {
    for (const { file, tier } of files) console.log(`${tier.padEnd(4)}  ${file}${tier === "slow" ? `  (${needs(file).join(", ")})` : ""}`);
    return;
  }
  if (files.length === 0) {
    console.error("npm test: no test files match");
    process.exit(2);
  }
  const concurrency = availableParallelism();
  console.log(`${files.length} test file(s), ${concurrency} at a time`);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...request.nodeArgs, ...files.map((f) => f.file)],
    { cwd: ROOT, stdio: "inherit" },
  );
  // Ctrl-C reaches the child from the terminal: wait for its clean-up. A SIGTERM is ours to pass on.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? osConstants.signals[signal] : 1)));
}

if (require.main === module) main();
