// The `digits` command as the tests run it: the compiled dist/cli/digits.js, the bin `npm install`
// links. `npm test` builds first (incrementally), and the compiled CLI starts in a fraction of the
// time tsx takes to compile the sources on every spawn. Needs nothing but Node: unit tests use it.
// A command line that never starts TensorFlow.js (a refusal, `experiments` on records, `data`, a
// selection or the pairs map in one thread, on lib's own engine) may run in the test's own process
// (runDigitsHere), through the same compiled code: a process start was most of its cost.
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
 * dist/cli/command-line.js), in `cwd`, its lines collected, its stderr not a terminal. For a
 * command line that never starts TensorFlow.js: a refusal by the flags' own checks, `experiments`
 * on records, `data`, and `select` or `pairs` in one thread (lib's own engine trains them), where
 * starting a process was most of a run (0.12 core-seconds of the 0.13–0.3 such a run took).
 *
 * It fails, rather than let a test pass on what a user would not see:
 * - if the command started TensorFlow.js here (when this process had not): a command that trains
 *   with it or loads a model belongs in runDigits. So does a selection on threads of its own: they
 *   would start with this process's Node flags (tsx's hook), resolved from the run's folder;
 * - if it wrote to this process's stderr itself, past the command line's output;
 * - if it has not ended after `timeout` ms (default 120 s).
 *
 * A SIGINT or SIGTERM that arrives meanwhile (a select cancels on them) is raised again once the
 * run ends, so this process still ends as it would have. What only a process has (the exit code it
 * sets, a closed pipe, an uncaught error, runs at the same time, a fresh state of every module) is
 * tested with runDigits. One run at a time: it changes this process's folder while it runs.
 */
export async function runDigitsHere(args: readonly string[], options: Pick<CliOptions, "cwd" | "timeout"> = {}): Promise<CliRun> {
  const { runCommandLine } = require(built(COMMAND_LINE)) as typeof import("../../cli/command-line");
  const line = `digits ${args.join(" ")}`;
  const folder = process.cwd();
  const tfBefore = tensorflowLoaded();
  let stdout = "";
  let stderr = "";
  const releaseSignals = holdSignals();
  const direct = catchStderr();
  let timer: NodeJS.Timeout | undefined;
  try {
    process.chdir(options.cwd ?? ROOT);
    const ms = options.timeout ?? 120_000;
    const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${line} had not ended after ${ms / 1000} s`)), ms)));
    const code = await Promise.race([runCommandLine([...args], { out: (text) => (stdout += text), err: (text) => (stderr += text) }), timedOut]);
    if (!tfBefore && tensorflowLoaded()) throw new Error(`${line} started TensorFlow.js: it did work before it ended, so run it with runDigits`);
    const written = direct.written();
    if (written !== "") throw new Error(`${line} wrote to the process's stderr itself, not through the command line's output: ${JSON.stringify(written.slice(0, 300))}`);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    direct.restore();
    process.chdir(folder);
    releaseSignals();
  }
}

const HELD_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Notes SIGINT and SIGTERM until the returned function is called, which raises the first again (with no listener of ours left). */
function holdSignals(): () => void {
  let first: NodeJS.Signals | null = null;
  const note = (signal: NodeJS.Signals) => void (first ??= signal);
  for (const signal of HELD_SIGNALS) process.on(signal, note);
  return () => {
    for (const signal of HELD_SIGNALS) process.off(signal, note);
    if (first) process.kill(process.pid, first);
  };
}

/** Collects what is written to process.stderr until restore(): a command's own output goes elsewhere. */
function catchStderr(): { written(): string; restore(): void } {
  const write = process.stderr.write;
  let written = "";
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stderr.write;
  return { written: () => written, restore: () => void (process.stderr.write = write) };
}

/** Whether this process has loaded TensorFlow.js (a command that trains or reads a model does). */
const tensorflowLoaded = () => Object.keys(require.cache).some((file) => file.includes(`${sep}@tensorflow${sep}tfjs-core${sep}`));
