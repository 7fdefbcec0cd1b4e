// The `digits` command as the tests run it: the compiled dist/cli/digits.js, the bin `npm install`
// links. `npm test` builds first (incrementally), and the compiled CLI starts in a fraction of the
// time tsx takes to compile the sources on every spawn. Needs nothing but Node: unit tests use it.
// A command line that never starts TensorFlow.js (a refusal, `experiments` on records, a selection
// on lib's own engine) may run in the test's own process (runDigitsHere), through the same compiled
// code: a process start was most of its cost.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { join, sep } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** The compiled CLI that every test runs. */
export const DIGITS_CLI = join(ROOT, "dist", "cli", "digits.js");
/** The compiled command line that the CLI runs. */
const COMMAND_LINE = join(ROOT, "dist", "cli", "command-line.js");

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
  return [...nodeArgs, built(DIGITS_CLI), ...args];
}

/** `file` of dist/; says how to build it when it is missing. */
function built(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test builds first)`);
  return file;
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

/**
 * Runs `digits ARGS…` in this process: the compiled command line the CLI runs (runCommandLine of
 * dist/cli/command-line.js), in `cwd`, its lines collected. For a command line that never starts
 * TensorFlow.js: a refusal by the flags' own checks, `experiments` on records, a selection in one
 * thread (lib's own engine trains it), where starting a process was most of a run (0.13 s of
 * 0.14 s for a refusal, of 0.2 s for a small selection). It fails if the command started
 * TensorFlow.js here (when this process had not): a command that trains with it or loads a model
 * belongs in runDigits. So does a selection on threads of its own: they would start with this
 * process's Node flags (tsx's hook), resolved from the run's folder. What only a process has (the
 * exit code it sets, a closed pipe, an uncaught error, signals, runs at the same time, a fresh
 * state of every module) is tested with runDigits. One run at a time: it changes this process's
 * folder while it runs.
 */
export async function runDigitsHere(args: readonly string[], options: Pick<CliOptions, "cwd"> = {}): Promise<CliRun> {
  const { runCommandLine } = require(built(COMMAND_LINE)) as typeof import("../../cli/command-line");
  const folder = process.cwd();
  const tfBefore = tensorflowLoaded();
  let stdout = "";
  let stderr = "";
  try {
    process.chdir(options.cwd ?? ROOT);
    const code = await runCommandLine([...args], { out: (text) => (stdout += text), err: (text) => (stderr += text) });
    if (!tfBefore && tensorflowLoaded()) throw new Error(`digits ${args.join(" ")} started TensorFlow.js: it did work before it ended, so run it with runDigits`);
    return { code, stdout, stderr };
  } finally {
    process.chdir(folder);
  }
}

/** Whether this process has loaded TensorFlow.js (a command that trains or reads a model does). */
const tensorflowLoaded = () => Object.keys(require.cache).some((file) => file.includes(`${sep}@tensorflow${sep}tfjs-core${sep}`));
