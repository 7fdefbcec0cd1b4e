// Report: executes the notebooks headlessly on the tslab or the Deno kernel (nbclient; the same
// notebooks, options.kernel chooses, tslab by default) and writes each one as
// a self-contained HTML page in reports/ (plotly.js is inside the page, see display.ts), plus the
// executed notebook in reports/executed/. Every file is written to a temporary name and renamed
// into place only when its notebook ran without error, so a failed run never leaves half a report
// and an earlier good report stays as it was. The two files of a notebook are replaced as a pair
// (core/files.ts replaceFiles): the HTML, what users open, last, and if that fails the old executed
// notebook is put back, so the HTML and the executed notebook always come from the same run.
//
// Before any cell runs, the output folders are checked (outputs.ts checkOutputs), and temporary
// files of runs killed outright are removed (removeStaleTemps); SIGINT and SIGTERM
// (options.signal) stop the kernel and remove this run's temporary files before returning. Each
// page gains a run header, contents, a code toggle and a theme switch (page.ts).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../core/project";
import { InputError } from "../core/errors";
import type { Notebook } from "./ipynb";
import { DENO_INSTALL_HINT, findPython, installKernels, JUPYTER_INSTALL_HINT, jupyterEnv, KERNEL_NAME, REPORT_MODULES, type KernelName } from "./jupyter";
import { replaceFiles } from "../core/files";
import { checkOutputs, removeQuietly, removeStaleTemps, reportPaths, shownPath, unwritable } from "./outputs";
import { addPageParts } from "./page";
import { checkReportParameters } from "../notebook/params";
import { gitState, type GitState } from "./run-info";
import { failureMessage, runPython } from "./runner";
import { formatDuration } from "../core/format";

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
  /** The kernel the notebooks run on: "tslab" (default) or "deno". */
  kernel?: KernelName;
  /** Sets DIGITS_QUICK=1 for the kernels: small settings for a fast run. */
  quick?: boolean;
  /** Extra environment for the kernels (e.g. DIGITS_EPOCHS). */
  env?: Record<string, string>;
  /** Leaves every cell's code out of the HTML (outputs and text only), and so out of its PDF. */
  noInput?: boolean;
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
  const settings = { ...process.env, ...(options.quick ? { DIGITS_QUICK: "1" } : {}), ...options.env };
  // Every notebook's parameters, before anything else: a bad one for notebook 03 is not found after 01 and 02 ran.
  checkReportParameters(settings);
  const python = findPython(REPORT_MODULES);
  if (!python) {
    const which = process.env.DIGITS_PYTHON ? `DIGITS_PYTHON=${process.env.DIGITS_PYTHON} cannot import them` : "no Python here has them";
    throw new InputError(`npm run report needs Jupyter's nbclient and nbconvert, and ${which}; ${JUPYTER_INSTALL_HINT}`);
  }
  checkOutputs(outDir, notebooks);
  const stale = removeStaleTemps(outDir, NOTEBOOKS);
  if (stale.length > 0) log(`removed ${stale.length} temporary file(s) left by an earlier run that was stopped: ${stale.map(shownPath).join(", ")}`);
  const env = jupyterEnv(settings);
  const kernels = installKernels();
  if (options.kernel === "deno" && kernels.deno === null) throw new InputError(`--kernel deno needs this project's deno, and it is not installed; ${DENO_INSTALL_HINT}`);
  // The commit the reports were made from, as it was when the run started (every page says the same).
  const run: NotebookRun = { python: python.python, root, outDir, env, log, options, git: gitState(root) };
  const reports: NotebookReport[] = [];
  for (const notebook of notebooks) {
    if (options.signal?.aborted) throw interrupted(options.signal);
    reports.push(await runNotebook(notebook, run));
  }
  return reports;
}

/** What every notebook of a report run shares. */
interface NotebookRun {
  python: string;
  root: string;
  outDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  options: ReportOptions;
  git: GitState | null;
}

const interrupted = (signal?: AbortSignal) => new ReportInterrupted(String(signal?.reason ?? "an abort"));

/** Runs one notebook into temporary files and, when it ran without error, puts them in place. */
async function runNotebook(notebook: string, { python, root, outDir, env, log, options, git }: NotebookRun): Promise<NotebookReport> {
  const source = join(options.notebooksDir ?? join(root, "notebooks"), `${notebook}.ipynb`);
  const shown = shownPath(source);
  if (!existsSync(source)) throw new InputError(`${shown} is missing`);
  const paths = reportPaths(outDir, notebook, `${process.pid}`);
  const started = performance.now();
  const kernel = options.kernel ?? KERNEL_NAME;
  log(`${notebook}: running on the ${kernel} kernel${options.quick ? " (quick mode)" : ""}…`);
  try {
    const run = await runPython(
      python,
      [
        join(root, "scripts", "run_notebook.py"),
        source,
        "--kernel", kernel,
        "--timeout", String(options.cellTimeout ?? 1800),
        "--executed", paths.tempExecuted,
        "--html", paths.tempHtml,
        ...(options.noInput ? ["--no-input"] : []),
      ],
      env,
      (line) => log(`  ${line}`),
      options.signal,
    );
    if (options.signal?.aborted) throw interrupted(options.signal);
    const result = run.result ?? { status: "error", kind: "kernel", message: `the notebook runner stopped without a result (exit code ${run.code}); its error is above` };
    if (result.write_error) result.write_error.path = shownPath(result.write_error.path);
    if (result.kind === "write" && result.write_error) throw unwritable(result.write_error.path, Object.assign(new Error(result.write_error.error), { code: result.write_error.code }));
    if (run.code !== 0 || result.status !== "ok" || !existsSync(paths.tempHtml)) {
      // Without the executed notebook (it could not be written), the source still names the cell.
      const executed = readJson<Notebook>(paths.tempExecuted) ?? readJson<Notebook>(source);
      throw new NotebookError(failureMessage(shown, result, executed), notebook, result.cell ?? null);
    }
    // The run header, contents, code toggle, theme and cell times (page.ts), before the page is put in place.
    addPageParts(paths.tempHtml, paths.tempExecuted, git, { noInput: options.noInput });
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
  log(`${notebook}: wrote ${shownPath(paths.html)} in ${formatDuration(seconds)}`);
  return { notebook, html: paths.html, executed: paths.executed, seconds };
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}
