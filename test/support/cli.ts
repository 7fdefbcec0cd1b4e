// The `digits` command as the tests run it: the compiled dist/cli/digits.js, the bin `npm install`
// links. `npm test` builds first (incrementally), and the compiled CLI starts in a fraction of the
// time tsx takes to compile the sources on every spawn. Needs nothing but Node: unit tests use it.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** The compiled CLI that every test runs. */
export const DIGITS_CLI = join(ROOT, "dist", "cli", "digits.js");

/** How to run it: the folder (default the project's), extra environment, Node flags placed before the script. */
export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Node flags before the CLI, e.g. `--import` of a module that runs first. */
  nodeArgs?: readonly string[];
  /** Milliseconds before the run is killed (default 120 s). */
  timeout?: number;
}

/** What a finished run said: its exit code (null when killed), stdout and stderr. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The node arguments that run `digits ARGS…`; says how to build the CLI when it is missing. */
function cliArgs(args: readonly string[], nodeArgs: readonly string[] = []): string[] {
  if (!existsSync(DIGITS_CLI)) throw new Error(`${DIGITS_CLI} is missing: run \`npm run build\` (npm test builds first)`);
  return [...nodeArgs, DIGITS_CLI, ...args];
}

/** Runs `digits ARGS…` to the end. */
export function runDigits(args: readonly string[], options: CliOptions = {}): CliRun {
  const result = spawnSync(process.execPath, cliArgs(args, options.nodeArgs), {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    timeout: options.timeout ?? 120_000,
    env: { ...process.env, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `digits ARGS…` and returns the process, for a test that waits on its output or signals it. */
export function startDigits(args: readonly string[], options: Omit<CliOptions, "timeout"> & { stdio?: StdioOptions } = {}): ChildProcess {
  return spawn(process.execPath, cliArgs(args, options.nodeArgs), {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
  });
}
