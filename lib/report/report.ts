// Report: executes the notebooks headlessly on the tslab kernel (nbclient) and writes each one as
// a self-contained HTML page in reports/ (plotly.js is inside the page, see display.ts), plus the
// executed notebook in reports/executed/. Every file is written to a temporary name and renamed
// into place only when its notebook ran without error, so a failed run never leaves half a report
// and an earlier good report stays as it was. The two files of a notebook are replaced as a pair
// (replaceFiles): the HTML, what users open, last, and if that fails the old executed notebook is
// put back, so the HTML and the executed notebook always come from the same run.
//
// Before any cell runs, the output folders are checked (checkOutputs): a folder that cannot be
// written is a clear error naming it, not a traceback after every cell has run. Temporary names
// carry the process id, so files left by a run that was killed outright are recognised and
// removed by the next run (removeStaleTemps); SIGINT and SIGTERM (options.signal) stop the kernel
// and remove this run's temporary files before returning.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "../core/project";
import { InputError } from "../core/errors";
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
  /** Stops the run (scripts/report.ts aborts it on SIGINT and SIGTERM): ReportInterrupted, no files left. */
  signal?: AbortSignal;
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

/** The run was stopped by a signal; nothing it started is left running or written. */
export class ReportInterrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
    this.name = "ReportInterrupted";
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
export function reportPaths(outDir: string, notebook: string, tag: string): { html: string; executed: string; tempHtml: string; tempExecuted: string } {
  const executedDir = join(outDir, "executed");
  return {
    html: join(outDir, `${notebook}.html`),
    executed: join(executedDir, `${notebook}.ipynb`),
    tempHtml: join(outDir, `.${notebook}.html.${tag}.tmp`),
    tempExecuted: join(executedDir, `.${notebook}.ipynb.${tag}.tmp`),
  };
}

// Temporary files of a report run, whatever the version that wrote them: ".<notebook>.<kind>.<pid>.tmp"
// (also ".json" results and ".old" backups of earlier versions) and ".write-check.<pid>.tmp". Only
// these names are touched: --out may point into a folder that holds the user's own files.
const TEMP_NAME = new RegExp(`^\\.(?:(?:${NOTEBOOKS.join("|")})\\.[a-z]+|write-check)\\.(\\d+)\\.tmp(?:\\.json|\\.old)?$`);

/**
 * Removes the temporary files that runs no longer alive left in `outDir` and `outDir/executed`
 * (a run killed with SIGKILL, or by a crash, cannot clean up after itself). A file whose process
 * still runs is another report in progress and is kept. Returns the paths removed.
 */
export function removeStaleTemps(outDir: string): string[] {
  const removed: string[] = [];
  for (const dir of [outDir, join(outDir, "executed")]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // not there yet
    }
    for (const name of names) {
      const pid = TEMP_NAME.exec(name)?.[1];
      if (pid === undefined || processAlive(Number(pid))) continue;
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, but another user's
  }
}

/**
 * Checks, before any notebook runs, that the reports can be written: creates `outDir` and
 * `outDir/executed`, writes and removes a file in each, and checks that existing reports of these
 * notebooks can be replaced. Throws an InputError naming the first path that cannot.
 */
export function checkOutputs(outDir: string, notebooks: readonly string[], tag: string = `${process.pid}`): void {
  const executedDir = join(outDir, "executed");
  for (const dir of [outDir, executedDir]) {
    const probe = join(dir, `.write-check.${tag}.tmp`);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(probe, "");
    } catch (error) {
      throw unwritable(dir, error);
    } finally {
      removeQuietly(probe);
    }
  }
  const probe = join(executedDir, `.write-check.${tag}.tmp`);
  for (const notebook of notebooks) {
    const paths = reportPaths(outDir, notebook, tag);
    for (const target of [paths.executed, paths.html]) {
      let stats;
      try {
        stats = statSync(target);
      } catch {
        continue; // not written yet
      }
      if (stats.isDirectory()) throw new InputError(`${shownPath(target)} is a folder, where the report writes a file; move it away, or write the reports elsewhere with \`npm run report -- --out DIR\``);
      // Renaming onto an immutable or append-only file fails, and so does linking to it; the link
      // tells before the notebook runs. (Without ownership, Linux may refuse links for other reasons.)
      const mine = process.getuid?.() === 0 || stats.uid === process.getuid?.();
      try {
        linkSync(target, probe);
      } catch (error) {
        if (mine && (error as NodeJS.ErrnoException).code === "EPERM") throw unwritable(target, error);
      } finally {
        removeQuietly(probe);
      }
    }
  }
}

/** The InputError for a path that cannot be written, with what to do about it. */
export function unwritable(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const shown = shownPath(path);
  const why: Record<string, string> = {
    EACCES: `permission denied (\`ls -ld ${shown}\`; \`chmod u+w ${shown}\` or run as its owner)`,
    EPERM: `operation not permitted; it may be immutable or append-only (\`lsattr -d ${shown}\` shows an i or an a; \`sudo chattr -i ${shown}\` clears it)`,
    EROFS: "it is on a read-only file system",
    EEXIST: "a file stands where a folder is needed; move the file away",
    ENOTDIR: "a file stands where a folder of this path is needed; move the file away",
    ENOSPC: "the disk is full",
  };
  const reason = (code && why[code]) ?? (error instanceof Error ? error.message : String(error));
  return new InputError(`cannot write the report to ${shown}: ${reason}. Fix that, or write the reports elsewhere with \`npm run report -- --out DIR\``);
}

const shownPath = (path: string) => relative(process.cwd(), path) || path;

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // its folder is gone or cannot be written: nothing of ours is left there to remove
  }
}

/** What run_notebook.py reports, as the last line of its stdout. */
export interface RunResult {
  status: "ok" | "error";
  kind?: "error" | "timeout" | "dead kernel" | "kernel" | "write";
  cell?: number | null;
  ename?: string;
  evalue?: string;
  /** What the failing cell wrote to stderr (tslab's type errors). */
  stderr?: string;
  message?: string;
  seconds?: number;
  /** A file the runner could not write (the executed notebook, or the HTML). */
  write_error?: { path: string; error: string; code?: string };
}

/** Marks the result line on run_notebook.py's stdout (RESULT_PREFIX there). */
const RESULT_PREFIX = "@binary-digits-result ";

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
  const stderr = shortStderr(result.stderr ?? (executed && cell !== null ? cellStderr(executed, cell) : ""));
  if (stderr && /^(<Error>|Error)?:?\s*$/.test(what.trim())) what = stderr;
  const where = cell === null ? "" : `, ${executed ? describeCell(executed, cell) : `cell ${cell + 1}`}`;
  const kind = result.kind === "timeout" ? "timed out" : result.kind === "dead kernel" ? "lost its kernel" : result.kind === "kernel" ? "could not start" : "failed";
  // A file that could not be written is said too, after the notebook's own error, never instead of it.
  const unsaved = result.write_error ? `\n(and the executed notebook could not be saved: cannot write ${result.write_error.path}: ${result.write_error.error})` : "";
  return `${notebookPath} ${kind}${where}: ${what.trim() || "see the output above"}${unsaved}`;
}

function cellStderr(notebook: Notebook, index: number): string {
  return (notebook.cells[index]?.outputs ?? [])
    .filter((o) => o.output_type === "stream" && o.name === "stderr")
    .map((o) => joinText(o.text))
    .join("");
}

/** A cell's stderr, shortened: the thrown error's line, or the last 20 lines (tslab's type errors). */
function shortStderr(text: string): string {
  const lines = text.split("\n");
  // A runtime error: tslab prints Node's report (source line, caret, "TypeError: …", stack); keep the "…Error: …" line.
  const thrown = lines.find((l) => /^(?:[A-Z]\w*)?(?:Error|Exception)\b.*?:/.test(l));
  if (thrown) return thrown.trim();
  return lines.filter((l) => !/^\s+at /.test(l)).join("\n").trim().split("\n").slice(-20).join("\n");
}

/**
 * Runs the notebooks in order and writes reports/<name>.html and reports/executed/<name>.ipynb for
 * each. Throws InputError when Jupyter is missing or the outputs cannot be written, NotebookError
 * when a notebook fails (the notebooks after it are not run), ReportInterrupted when
 * options.signal aborts the run.
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
  checkOutputs(outDir, notebooks);
  const stale = removeStaleTemps(outDir);
  if (stale.length > 0) log(`removed ${stale.length} temporary file(s) left by an earlier run that was stopped: ${stale.map(shownPath).join(", ")}`);
  installKernel();
  const env = jupyterEnv({
    ...process.env,
    ...(options.quick ? { DIGITS_QUICK: "1" } : {}),
    ...options.env,
  });
  const interrupted = () => new ReportInterrupted(String(options.signal?.reason ?? "an abort"));
  const reports: NotebookReport[] = [];
  for (const notebook of notebooks) {
    if (options.signal?.aborted) throw interrupted();
    const source = join(options.notebooksDir ?? join(root, "notebooks"), `${notebook}.ipynb`);
    const shown = shownPath(source);
    if (!existsSync(source)) throw new InputError(`${shown} is missing`);
    const paths = reportPaths(outDir, notebook, `${process.pid}`);
    const started = performance.now();
    log(`${notebook}: running on the ${KERNEL_NAME} kernel${options.quick ? " (quick mode)" : ""}…`);
    try {
      const run = await runPython(
        python.python,
        [
          join(root, "scripts", "run_notebook.py"),
          source,
          "--kernel", KERNEL_NAME,
          "--timeout", String(options.cellTimeout ?? 1800),
          "--executed", paths.tempExecuted,
          "--html", paths.tempHtml,
        ],
        env,
        (line) => log(`  ${line}`),
        options.signal,
      );
      if (options.signal?.aborted) throw interrupted();
      const result = run.result ?? { status: "error", kind: "kernel", message: `the notebook runner stopped without a result (exit code ${run.code}); its error is above` };
      if (result.write_error) result.write_error.path = shownPath(result.write_error.path);
      if (result.kind === "write" && result.write_error) throw unwritable(result.write_error.path, Object.assign(new Error(result.write_error.error), { code: result.write_error.code }));
      if (run.code !== 0 || result.status !== "ok" || !existsSync(paths.tempHtml)) {
        // Without the executed notebook (it could not be written), the source still names the cell.
        const executed = readJson<Notebook>(paths.tempExecuted) ?? readJson<Notebook>(source);
        throw new NotebookError(failureMessage(shown, result, executed), notebook, result.cell ?? null);
      }
      try {
        replaceFiles([
          { from: paths.tempExecuted, to: paths.executed },
          { from: paths.tempHtml, to: paths.html },
        ]);
      } catch (error) {
        throw unwritable(outDir, error);
      }
    } finally {
      for (const temp of [paths.tempHtml, paths.tempExecuted]) removeQuietly(temp);
    }
    const seconds = (performance.now() - started) / 1000;
    log(`${notebook}: wrote ${shownPath(paths.html)} in ${seconds.toFixed(1)} s`);
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

// Runs the Python helper; its stdout lines are progress and, last, the result; its stderr (and the
// kernel's) passes through. An abort sends it SIGTERM: it shuts its kernel down and exits; we wait
// for that, so that nothing runs on once we return. (Ctrl-C reaches it through the process group too.)
function runPython(python: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void, signal?: AbortSignal): Promise<{ code: number; result: RunResult | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ["ignore", "pipe", "inherit"] });
    let result: RunResult | null = null;
    const take = (line: string) => {
      if (line.startsWith(RESULT_PREFIX)) {
        try {
          result = JSON.parse(line.slice(RESULT_PREFIX.length)) as RunResult;
        } catch {
          onLine(line);
        }
      } else if (line.trim() !== "") onLine(line);
    };
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) take(line);
    });
    const stop = () => child.kill("SIGTERM");
    signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (error) => {
      signal?.removeEventListener("abort", stop);
      reject(error);
    });
    child.on("close", (code, killedBy) => {
      signal?.removeEventListener("abort", stop);
      take(pending);
      resolve({ code: code ?? (killedBy ? 128 : 1), result });
    });
  });
}
