// Report: executes the notebooks headlessly on the tslab kernel (nbclient) and writes each one as
// a self-contained HTML page in reports/ (plotly.js is inside the page, see display.ts), plus the
// executed notebook in reports/executed/. Every file is written to a temporary name and renamed
// into place only when its notebook ran without error, so a failed run never leaves half a report
// and an earlier good report stays as it was. The two files of a notebook are replaced as a pair
// (replaceFiles): the HTML, what users open, last, and if that fails the old executed notebook is
// put back, so the HTML and the executed notebook always come from the same run.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "./data";
import { InputError } from "./errors";
import { cellErrors, describeCell, joinText, type Notebook } from "./ipynb";
import { findPython, installKernel, JUPYTER_INSTALL_HINT, jupyterEnv, KERNEL_NAME, REPORT_MODULES } from "./jupyter";

/** The analysis, in reading order: each notebook's file name without .ipynb. */
export const NOTEBOOKS = ["01-exploratory-analysis", "02-model-selection", "03-training-and-evaluation"] as const;

export interface ReportOptions {
  /** Project root (default: this package's). */
  root?: string;
  /** Where the HTML goes (default <root>/reports). */
  outDir?: string;
  /** Where the notebooks are read from (default <root>/notebooks). */
  notebooksDir?: string;
  /** Which notebooks, by name or number prefix ("02"); default all, in order. */
  notebooks?: readonly string[];
  /** Sets DIGITS_QUICK=1 for the kernels: small settings for a fast run. */
  quick?: boolean;
  /** Extra environment for the kernels (e.g. DIGITS_EPOCHS). */
  env?: Record<string, string>;
  /** Longest a single cell may run, in seconds (default 1800). */
  cellTimeout?: number;
  /** Progress lines (default: stdout). */
  log?: (line: string) => void;
}

export interface NotebookReport {
  notebook: string;
  html: string;
  executed: string;
  seconds: number;
}

/** A notebook failed: names the notebook and the cell. */
export class NotebookError extends Error {
  constructor(
    message: string,
    readonly notebook: string,
    readonly cell: number | null,
  ) {
    super(message);
    this.name = "NotebookError";
  }
}

/** The notebooks a selection names ("02", "02-model-selection", "02-model-selection.ipynb"); all by default. */
export function selectNotebooks(wanted?: readonly string[]): string[] {
  if (!wanted || wanted.length === 0) return [...NOTEBOOKS];
  return wanted.map((w) => {
    const key = w.replace(/^.*\//, "").replace(/\.ipynb$/, "");
    const match = NOTEBOOKS.find((n) => n === key || n.startsWith(`${key}-`));
    if (!match) throw new InputError(`unknown notebook "${w}"; expected one of ${NOTEBOOKS.join(", ")} (or 01, 02, 03)`);
    return match;
  });
}

/** Final and temporary paths of one notebook's outputs. */
export function reportPaths(outDir: string, notebook: string, tag: string): { html: string; executed: string; tempHtml: string; tempExecuted: string; result: string } {
  const executedDir = join(outDir, "executed");
  return {
    html: join(outDir, `${notebook}.html`),
    executed: join(executedDir, `${notebook}.ipynb`),
    tempHtml: join(outDir, `.${notebook}.html.${tag}.tmp`),
    tempExecuted: join(executedDir, `.${notebook}.ipynb.${tag}.tmp`),
    result: join(outDir, `.${notebook}.result.${tag}.tmp.json`),
  };
}

/** What run_notebook.py reports. */
export interface RunResult {
  status: "ok" | "error";
  kind?: "error" | "timeout" | "dead kernel" | "kernel";
  cell?: number | null;
  ename?: string;
  evalue?: string;
  message?: string;
  seconds?: number;
}

/** The one-paragraph message for a failed notebook: which notebook, which cell, what happened. */
export function failureMessage(notebookPath: string, result: RunResult, executed: Notebook | null): string {
  let cell = result.cell ?? null;
  let what = result.message ?? "";
  if (result.kind === "error" || result.kind === undefined) {
    const errors = executed ? cellErrors(executed) : [];
    if (errors.length > 0) {
      cell = errors[0].index;
      // The first line says what; the rest is the kernel's stack, mostly tslab's own frames.
      what = `${errors[0].ename}: ${errors[0].evalue.split("\n")[0]}`;
    } else if (result.ename) {
      what = `${result.ename}: ${(result.evalue ?? "").split("\n")[0]}`;
    }
  }
  // tslab reports a type error as an empty "<Error>" with the compiler's messages on stderr.
  const stderr = executed && cell !== null ? cellStderr(executed, cell) : "";
  if (stderr && /^(<Error>|Error)?:?\s*$/.test(what.trim())) what = stderr;
  const where = cell === null ? "" : `, ${executed ? describeCell(executed, cell) : `cell ${cell + 1}`}`;
  const kind = result.kind === "timeout" ? "timed out" : result.kind === "dead kernel" ? "lost its kernel" : result.kind === "kernel" ? "could not start" : "failed";
  return `${notebookPath} ${kind}${where}: ${what.trim() || "see the output above"}`;
}

/** What a cell wrote to stderr, shortened: the thrown error's line, or the last 20 lines (tslab's type errors). */
function cellStderr(notebook: Notebook, index: number): string {
  const text = (notebook.cells[index]?.outputs ?? [])
    .filter((o) => o.output_type === "stream" && o.name === "stderr")
    .map((o) => joinText(o.text))
    .join("");
  const lines = text.split("\n");
  // A runtime error: tslab prints Node's report (source line, caret, "TypeError: …", stack); keep the "…Error: …" line.
  const thrown = lines.find((l) => /^(?:[A-Z]\w*)?(?:Error|Exception)\b.*?:/.test(l));
  if (thrown) return thrown.trim();
  return lines.filter((l) => !/^\s+at /.test(l)).join("\n").trim().split("\n").slice(-20).join("\n");
}

/**
 * Runs the notebooks in order and writes reports/<name>.html and reports/executed/<name>.ipynb for
 * each. Throws InputError when Jupyter is missing, NotebookError when a notebook fails (the
 * notebooks after it are not run).
 */
export async function buildReports(options: ReportOptions = {}): Promise<NotebookReport[]> {
  const root = options.root ?? projectRoot();
  const outDir = options.outDir ?? join(root, "reports");
  const log = options.log ?? ((line: string) => console.log(line));
  const notebooks = selectNotebooks(options.notebooks);
  const python = findPython(REPORT_MODULES);
  if (!python) {
    const which = process.env.DIGITS_PYTHON ? `DIGITS_PYTHON=${process.env.DIGITS_PYTHON} cannot import them` : "no Python here has them";
    throw new InputError(`npm run report needs Jupyter's nbclient and nbconvert, and ${which}; ${JUPYTER_INSTALL_HINT}`);
  }
  installKernel();
  const env = jupyterEnv({
    ...process.env,
    ...(options.quick ? { DIGITS_QUICK: "1" } : {}),
    ...options.env,
  });
  mkdirSync(join(outDir, "executed"), { recursive: true });
  const reports: NotebookReport[] = [];
  for (const notebook of notebooks) {
    const source = join(options.notebooksDir ?? join(root, "notebooks"), `${notebook}.ipynb`);
    const shown = relative(process.cwd(), source) || source;
    if (!existsSync(source)) throw new InputError(`${shown} is missing`);
    const paths = reportPaths(outDir, notebook, `${process.pid}`);
    const started = performance.now();
    log(`${notebook}: running on the ${KERNEL_NAME} kernel${options.quick ? " (quick mode)" : ""}…`);
    try {
      const code = await runPython(
        python.python,
        [
          join(root, "scripts", "run_notebook.py"),
          source,
          "--kernel", KERNEL_NAME,
          "--timeout", String(options.cellTimeout ?? 1800),
          "--executed", paths.tempExecuted,
          "--html", paths.tempHtml,
          "--result", paths.result,
        ],
        env,
        (line) => log(`  ${line}`),
      );
      const result = readJson<RunResult>(paths.result) ?? { status: "error", kind: "kernel", message: `the notebook runner exited with code ${code} before reporting` };
      if (code !== 0 || result.status !== "ok" || !existsSync(paths.tempHtml)) {
        const executed = readJson<Notebook>(paths.tempExecuted);
        throw new NotebookError(failureMessage(shown, result, executed), notebook, result.cell ?? null);
      }
      replaceFiles([
        { from: paths.tempExecuted, to: paths.executed },
        { from: paths.tempHtml, to: paths.html },
      ]);
    } finally {
      for (const temp of [paths.tempHtml, paths.tempExecuted, paths.result]) rmSync(temp, { force: true });
    }
    const seconds = (performance.now() - started) / 1000;
    log(`${notebook}: wrote ${relative(process.cwd(), paths.html) || paths.html} in ${seconds.toFixed(1)} s`);
    reports.push({ notebook, html: paths.html, executed: paths.executed, seconds });
  }
  return reports;
}

/**
 * Renames each `from` onto its `to`, in order, as one change: if a rename fails, the files renamed
 * before it get their previous contents back (or are removed if they did not exist), so the
 * destinations end all new or all as they were. Every destination stays in place throughout (each
 * rename replaces it atomically); the old contents are kept under a hard link (or a copy) beside
 * `from` until the last rename succeeds. Put the file readers open last.
 */
export function replaceFiles(moves: readonly { from: string; to: string }[]): void {
  const done: { to: string; backup: string | null }[] = [];
  try {
    for (const [i, { from, to }] of moves.entries()) {
      // The last rename needs no backup: if it fails, its destination is untouched.
      const backup = i < moves.length - 1 && existsSync(to) ? `${from}.old` : null;
      if (backup) keepCopy(to, backup);
      try {
        renameSync(from, to);
      } catch (error) {
        if (backup) rmSync(backup, { force: true });
        throw error;
      }
      done.push({ to, backup });
    }
  } catch (error) {
    for (const { to, backup } of done.reverse()) {
      if (backup) renameSync(backup, to);
      else rmSync(to, { force: true });
    }
    throw error;
  }
  for (const { backup } of done) if (backup) rmSync(backup, { force: true });
}

function keepCopy(file: string, backup: string): void {
  rmSync(backup, { force: true });
  try {
    linkSync(file, backup);
  } catch {
    copyFileSync(file, backup); // no hard links on this file system
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

// Runs the Python helper; its stdout lines are progress, its stderr (and the kernel's) passes through.
// Ctrl-C reaches the child through the process group; we only wait for it to finish.
function runPython(python: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ["ignore", "pipe", "inherit"] });
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onLine(line);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (pending.trim() !== "") onLine(pending);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
