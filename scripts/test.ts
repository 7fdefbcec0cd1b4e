// The test runner behind `npm test` and `npm run test:unit`: runs the given test files and folders,
// or every test, with Node's test runner: one file per core at a time, and beside them the files
// that need Redis, one at a time (scripts/lanes.ts).
//
//   npm test                                  everything (build first)
//   npm test -- test/core test/cli/data.test.ts  those files and folders only
//   npm run test:unit                         the unit tier: no Jupyter, Chromium or Redis
//   npm test -- --slow                        the other tier
//   npm test -- --list                        which tier each file is in, and why; runs nothing
//   npm test -- test/data --test-name-pattern=fold   only the tests whose names match
//
// A test file is in the slow tier when it reaches, through its imports, a support module that
// finds or starts Jupyter, Chromium, poppler or Redis (SLOW_SUPPORT); every other file is a unit
// test. Files in separate processes may run at the same time: each test keeps its outputs in its
// own temporary folder, and the shared default data/ files are written atomically, identical
// whoever writes them. The quick reports several files read (test/support/shared-reports.ts) are
// built once per run, in a folder made here and removed when the run ends.
//
// Each lane's files run through a node:test run() of their own, in the order selectFiles gives
// (`node --test FILE…` would sort them by name), both lanes from the start.
import { setMaxListeners } from "node:events";
import * as fs from "node:fs";
import { availableParallelism, constants as osConstants, tmpdir } from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { SHARED_DIR_VARIABLE } from "../test/support/shared-reports";
import { importedFiles, ROOT } from "./architecture";
import { LaneMerger, type TestEvent } from "./lanes";
import { fillTsxCache } from "./tsx-cache";

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
  const found = importedFiles(file)
    .filter((to) => to.startsWith("test/"))
    .flatMap((to) => needs(to, seen));
  return [...new Set(found)].sort();
}

export const tierOf = (file: string): Tier => (needs(file).length > 0 ? "slow" : "unit");

/** Whether a file needs Redis: such files run in a lane of their own, beside the cores' lane (scripts/lanes.ts says why). */
export const needsRedis = (file: string): boolean => needs(file).includes(SLOW_SUPPORT["test/support/redis.ts"]);

/** A lane: its files, in the order they start, and how many run at a time. */
export interface Lane {
  files: string[];
  concurrency: number;
}

/**
 * The lanes of a run: the cores' lane, and beside it the files that need Redis, one at a time. One
 * lane when there is one file at a time, or when every file or none needs Redis.
 */
export function lanes(files: readonly string[], concurrency: number): Lane[] {
  const redis = files.filter(needsRedis);
  if (concurrency === 1 || redis.length === 0 || redis.length === files.length) return [{ files: [...files], concurrency }];
  return [
    { files: files.filter((f) => !needsRedis(f)), concurrency },
    { files: redis, concurrency: 1 },
  ];
}

/**
 * How long one test file may run before it fails as timed out (run()'s timeout bounds each file as
 * a whole; --test-timeout=MS changes it): a test that waits for ever fails its file instead of
 * holding a core until CI gives up. The longest file (tslab's quick report) takes about 120 s of a
 * whole run on an idle 2-core machine, 90 s alone.
 */
export const FILE_TIMEOUT_MS = 20 * 60_000;

/** What node:test's run() is told: the --test-… options of `node --test` that it has. */
interface RunOptions {
  testNamePatterns: RegExp[];
  only: boolean;
  timeout?: number;
  concurrency?: number;
}

interface Request {
  paths: string[];
  tier: Tier | null;
  list: boolean;
  run: RunOptions;
}

const RUN_OPTIONS = "--test-name-pattern=RE, --test-only, --test-timeout=MS or --test-concurrency=N";

/** A pattern as node --test reads it: /body/flags, or the body alone. */
function namePattern(text: string): RegExp {
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(text);
  try {
    return literal ? new RegExp(literal[1], literal[2]) : new RegExp(text);
  } catch (error) {
    throw new UsageError(`--test-name-pattern=${text}: ${(error as Error).message}`);
  }
}

/** A whole number of at least 1 given to `option`. */
function positive(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${option}=${text}: expected a whole number of at least 1`);
  return value;
}

/** One --test-… option into `options`. */
function runOption(arg: string, options: RunOptions): void {
  const [name, value] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
  if (name === "--test-only" && value === undefined) options.only = true;
  else if (name === "--test-name-pattern" && value !== undefined) options.testNamePatterns.push(namePattern(value));
  else if (name === "--test-timeout" && value !== undefined) options.timeout = positive(name, value);
  else if (name === "--test-concurrency" && value !== undefined) options.concurrency = positive(name, value);
  else throw new UsageError(`${arg}: the test options are ${RUN_OPTIONS}`);
}

/** The command line: paths (relative to where npm was started), --unit, --slow, --list and the --test-… options run() has. */
export function parseArgs(args: readonly string[], cwd: string): Request {
  const request: Request = { paths: [], tier: null, list: false, run: { testNamePatterns: [], only: false } };
  for (const arg of args) {
    if (arg === "--unit" || arg === "--slow") request.tier = arg === "--unit" ? "unit" : "slow";
    else if (arg === "--list") request.list = true;
    else if (arg.startsWith("--test-")) runOption(arg, request.run);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}: use --unit, --slow, --list, ${RUN_OPTIONS}`);
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

/**
 * The longest files, longest first (CPU seconds in whole runs on an idle 2-core machine, each with
 * the shared quick report it builds, measured 2026-12-07: 123, 52, 46, 35, 32, 24 and 20): started
 * first, so that the short ones fill the other cores while they run. Their order also decides who
 * builds a shared quick report: the first of its readers to start.
 */
export const LONGEST_FIRST = [
  "test/report/quick-report-tslab.test.ts",
  "test/notebooks/notebook-ui-tslab.test.ts",
  "test/report/quick-report-4-9.test.ts",
  "test/notebooks/notebook-ui-deno.test.ts",
  "test/report/quick-report-deno.test.ts",
  "test/notebook/hostile-names.test.ts",
  "test/report/report.test.ts",
] as const;

/**
 * The unit tier's longest files, longest first (wall seconds, each file alone on the idle 2-core
 * machine, measured again 2026-12-07 once the CLI tests ran more command lines in-process: 8.9,
 * 4.1, 4.1, 4.0 and 3.8; the rest take under 3.8): started first among the unit files, so that
 * `npm run test:unit` does not end waiting on one of them.
 */
export const LONGEST_UNIT_FIRST = ["test/runner.test.ts", "test/cli/evaluate.test.ts", "test/cli/digits.test.ts", "test/selection/experiments.test.ts", "test/cli/explain.test.ts"] as const;

/** Where a file starts: the longest files first, then the rest of the slow tier, then the unit tier, its longest first. */
function startRank(file: string, tier: Tier): number {
  const longest = (LONGEST_FIRST as readonly string[]).indexOf(file);
  if (longest >= 0) return longest;
  if (tier === "slow") return LONGEST_FIRST.length;
  const unit = (LONGEST_UNIT_FIRST as readonly string[]).indexOf(file);
  return LONGEST_FIRST.length + 1 + (unit >= 0 ? unit : LONGEST_UNIT_FIRST.length);
}

/** The files to run, in the order they start (a stable sort: by name within a rank). */
export function selectFiles(request: Request): { file: string; tier: Tier }[] {
  const files = [...new Set((request.paths.length > 0 ? request.paths : [TEST_DIR]).flatMap((p) => testFiles(p)))];
  const tiered = files.map((file) => ({ file, tier: tierOf(file) }));
  return tiered.filter((f) => request.tier === null || f.tier === request.tier).sort((a, b) => startRank(a.file, a.tier) - startRank(b.file, b.tier));
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
  const { concurrency = availableParallelism(), timeout = FILE_TIMEOUT_MS, ...options } = request.run;
  const split = lanes(
    files.map((f) => f.file),
    concurrency,
  );
  const beside = split.length > 1 ? `, plus ${split[1].files.length} needing Redis beside them` : "";
  console.log(`${files.length} test file(s), ${split[0].concurrency} at a time${beside}, each stopped after ${timeout / 1000} s`);
  // The test files are this process's children, started with its --require tsx/cjs, in the project's
  // folder. tsx's CommonJS hook alone, not --import tsx: that one also starts Node's ESM loader hooks
  // on a thread of their own, about 0.15 s more of every test file's start (the unit tier took 85 s
  // instead of 66 s on an idle 2-core machine). So lib/ loads its own modules lazily with require(),
  // never import(), which this hook does not see.
  process.chdir(ROOT);
  fillTsxCache(files.map((f) => f.file));
  const shared = fs.mkdtempSync(path.join(tmpdir(), "digits-test-shared-"));
  process.env[SHARED_DIR_VARIABLE] = shared;
  const stop = new AbortController();
  // run() listens on the signal once per test file: as many listeners as files, not a leak.
  setMaxListeners(files.length + 10, stop.signal);
  let signal: NodeJS.Signals | null = null;
  // Ctrl-C reaches the test files from the terminal: wait for their clean-up. A SIGTERM is ours to pass on.
  process.on("SIGINT", () => (signal ??= "SIGINT"));
  process.on("SIGTERM", () => {
    signal ??= "SIGTERM";
    stop.abort();
  });
  const events = new PassThrough({ objectMode: true });
  const merger = new LaneMerger(split.length);
  let failed = false;
  let ended = 0;
  split.forEach((lane, i) => {
    const stream = run({ files: lane.files.map((f) => path.join(ROOT, f)), concurrency: lane.concurrency, timeout, signal: stop.signal, ...options });
    stream.on("data", (event: TestEvent) => {
      if (event.type === "test:fail") failed = true;
      for (const out of merger.push(i, event)) events.write(out);
    });
    stream.on("end", () => {
      for (const out of merger.end(i)) events.write(out);
      if (++ended === split.length) events.end();
    });
  });
  events
    .compose(new spec())
    .on("end", () => {
      fs.rmSync(shared, { recursive: true, force: true });
      process.exitCode = signal ? 128 + osConstants.signals[signal] : failed ? 1 : 0;
    })
    .pipe(process.stdout);
}

if (require.main === module) main();
