// npm run kernel: registers this project's two kernels, tslab and Deno, for this project only
// (.jupyter/, found through JUPYTER_PATH by npm run notebook / lab / report). Run by `npm install`
// ("prepare"); never fails the install: without Jupyter, or without deno, it says how to get it.
import { relative } from "node:path";
import { DENO_INSTALL_HINT, findPython, installKernels, JUPYTER_INSTALL_HINT, kernelVersion, NOTEBOOK_MODULES, REPORT_MODULES } from "../lib/report/jupyter";

try {
  const kernels = installKernels();
  const shown = (dir: string) => relative(process.cwd(), dir) || dir;
  console.log(`tslab kernel registered for this project in ${shown(kernels.tslab)}`);
  if (kernels.deno) console.log(`Deno kernel (deno ${kernelVersion("deno")}) registered for this project in ${shown(kernels.deno)}`);
  else console.log(`Deno kernel not registered: this project's deno is not installed; to run the notebooks on Deno, ${DENO_INSTALL_HINT}.`);
  const report = findPython(REPORT_MODULES);
  const notebook = findPython(NOTEBOOK_MODULES);
  if (!report || !notebook) {
    const missing = [!notebook ? "Jupyter Notebook (npm run notebook)" : null, !report ? "nbconvert/nbclient (npm run report)" : null].filter(Boolean);
    console.log(`Not found: ${missing.join(" and ")}. To run the notebooks, ${JUPYTER_INSTALL_HINT}.`);
  }
} catch (error) {
  console.warn(`Could not register the kernels (${(error as Error).message}); the notebooks need them: run \`npm run kernel\` once this is fixed.`);
}
