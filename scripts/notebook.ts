// npm run notebook / npm run lab: opens Jupyter Notebook (or JupyterLab) on notebooks/ with this
// project's kernels, tslab and Deno (JUPYTER_PATH), after rebuilding lib/ so the notebooks import
// fresh code.
// Extra arguments go to Jupyter: npm run notebook -- --no-browser --port 8890
import { spawn } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../lib/core/project";
import { DENO_INSTALL_HINT, findPython, installKernels, isRoot, JUPYTER_INSTALL_HINT, jupyterEnv, LAB_MODULES, NOTEBOOK_MODULES } from "../lib/report/jupyter";

const lab = process.argv[2] === "lab";
const extra = process.argv.slice(3);
const python = findPython(lab ? LAB_MODULES : NOTEBOOK_MODULES);
if (!python) {
  console.error(
    lab
      ? "JupyterLab is not installed (Debian has no package for it): `python3 -m pip install jupyterlab`, or use `npm run notebook`."
      : `Jupyter Notebook is not installed; ${JUPYTER_INSTALL_HINT}.`,
  );
  process.exit(2);
}
const kernels = installKernels();
const args = ["-m", lab ? "jupyterlab" : "notebook", `--notebook-dir=${join(projectRoot(), "notebooks")}`, ...(isRoot() ? ["--allow-root"] : []), ...extra];
const choice = kernels.deno
  ? `kernels "TypeScript (tslab)", the notebooks' default, and "TypeScript (Deno)" (Kernel → Change kernel)`
  : `kernel "TypeScript (tslab)"; no Deno kernel: this project's deno is not installed, ${DENO_INSTALL_HINT}`;
console.log(`Starting ${lab ? "JupyterLab" : "Jupyter Notebook"} with the project's ${choice}. Ctrl-C stops it.`);
const child = spawn(python.python, args, { env: jupyterEnv(), stdio: "inherit" });
// Ctrl-C in the terminal reaches Jupyter too (same process group); it asks to confirm, then exits.
process.on("SIGINT", () => undefined);
child.on("close", (code) => process.exit(code ?? 0));
