// The run header's facts: what made a report (its parameters as they ran, the commit, the kernel
// and its version, Node, the machine's cores, how long it took), gathered when the report is
// written. Thin I/O (git, the executed notebook's metadata) around plain data; runHeaderHtml in
// page-parts.ts shows it.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { dependencyVersion, projectRoot } from "../core/project";
import type { Notebook } from "./ipynb";

/** The git commit a report was made from: short hash, and whether the tree had uncommitted changes. */
export interface GitState {
  commit: string;
  modified: boolean;
}

/** One report's run, as its header shows it. */
export interface RunInfo {
  /** The parameter cell's constants as they ran (null when they were not recorded). */
  parameters: Record<string, unknown> | null;
  /** null: not a git checkout (or git is missing). */
  git: GitState | null;
  /** When the report was written, ISO 8601 UTC. */
  date: string;
  kernel: string;
  kernelVersion: string;
  node: string;
  cores: number;
  /** Total run time of the notebook in seconds (null when unknown). */
  seconds: number | null;
}

/** `git rev-parse --short HEAD` and whether `git status --porcelain` lists anything, in `root`; null without git. */
export function gitState(root: string = projectRoot()): GitState | null {
  const git = (args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8", timeout: 30_000 });
  const head = git(["rev-parse", "--short", "HEAD"]);
  if (head.status !== 0 || !head.stdout.trim()) return null;
  const status = git(["status", "--porcelain"]);
  return { commit: head.stdout.trim(), modified: status.status !== 0 || status.stdout.trim() !== "" };
}

/** What run_notebook.py writes into the executed notebook's metadata.binary_digits. */
function runMetadata(executed: Notebook): { parameters: Record<string, unknown> | null; seconds: number | null } {
  const meta = executed.metadata.binary_digits as { parameters?: unknown; seconds?: unknown } | undefined;
  const parameters = meta?.parameters;
  return {
    parameters: parameters && typeof parameters === "object" && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : null,
    seconds: typeof meta?.seconds === "number" && Number.isFinite(meta.seconds) ? meta.seconds : null,
  };
}

/** The kernel named in the notebook's standard metadata (kernelspec.name), "unknown" without one. */
function kernelName(executed: Notebook): string {
  const spec = executed.metadata.kernelspec as { name?: unknown } | undefined;
  return typeof spec?.name === "string" && spec.name !== "" ? spec.name : "unknown";
}

/** The run header's facts for an executed notebook; the git state as the report run found it when it started. */
export function runInfo(executed: Notebook, git: GitState | null, now: Date = new Date()): RunInfo {
  const kernel = kernelName(executed);
  return {
    ...runMetadata(executed),
    git,
    date: now.toISOString(),
    kernel,
    kernelVersion: dependencyVersion(kernel),
    node: process.version,
    cores: cpus().length,
  };
}
