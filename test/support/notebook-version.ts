// Which Jupyter Notebook a Python has: the live-notebook test drives the classic interface
// (Notebook 6) and is skipped, with the reason, on Notebook 7. Only the tests need to know.
import { spawnSync } from "node:child_process";

/** Jupyter Notebook's version at `python` (notebook.__version__), or null when it cannot import it. */
export function notebookVersion(python: string): string | null {
  const result = spawnSync(python, ["-c", "import notebook; print(notebook.__version__)"], { encoding: "utf8", timeout: 30_000 });
  const version = result.status === 0 ? (result.stdout.trim().split("\n").pop() ?? "") : "";
  return /^\d+\./.test(version) ? version : null;
}

/**
 * True for Notebook 6.x and earlier, the classic interface (Cell → Run All, `#run_all_cells`,
 * `--NotebookApp.token`). Notebook 7 is built on JupyterLab: other menus, other page, other options.
 */
export function isClassicNotebook(version: string): boolean {
  return Number.parseInt(version, 10) < 7;
}
