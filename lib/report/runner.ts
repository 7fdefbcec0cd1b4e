// The notebook runner: scripts/run_notebook.py executes one notebook (nbclient) and writes its
// executed copy and HTML; this runs it, passes its progress on, reads its result line, and turns a
// failed result into one paragraph naming the notebook and the cell.
import { spawn } from "node:child_process";
import { refusalReason } from "../core/files";
import { cellErrors, describeCell, joinText, type Notebook } from "./ipynb";

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
  // A file that could not be written is said too, after the notebook's own error, never instead of
  // it; in the words the project's own writes use for its error code (Python's strerror otherwise).
  const unsaved = result.write_error ? `\n(and the executed notebook could not be saved: cannot write ${result.write_error.path}: ${writeReason(result.write_error)})` : "";
  return `${notebookPath} ${kind}${where}: ${what.trim() || "see the output above"}${unsaved}`;
}

const writeReason = ({ path, error, code }: NonNullable<RunResult["write_error"]>) => refusalReason(code, path) ?? error;

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

// Runs the Python helper; its stdout lines are progress and, last, the result; its stderr (and the
// kernel's) passes through. An abort sends it SIGTERM: it shuts its kernel down and exits; we wait
// for that, so that nothing runs on once we return. (Ctrl-C reaches it through the process group too.)
export function runPython(python: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void, signal?: AbortSignal): Promise<{ code: number; result: RunResult | null }> {
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
