// npm run kernel: registers the tslab TypeScript kernel for this project only (.jupyter/, found
// through JUPYTER_PATH by npm run notebook / lab / report). Run by `npm install` ("prepare");
// never fails the install: without Jupyter it says how to get it.
import { relative } from "node:path";
import { findPython, installKernel, JUPYTER_INSTALL_HINT, NOTEBOOK_MODULES, REPORT_MODULES } from "../lib/report/jupyter";

try {
  const dir = installKernel();
  console.log(`tslab kernel registered for this project in ${relative(process.cwd(), dir) || dir}`);
  const report = findPython(REPORT_MODULES);
  const notebook = findPython(NOTEBOOK_MODULES);
  if (!report || !notebook) {
    const missing = [!notebook ? "Jupyter Notebook (npm run notebook)" : null, !report ? "nbconvert/nbclient (npm run report)" : null].filter(Boolean);
    console.log(`Not found: ${missing.join(" and ")}. To run the notebooks, ${JUPYTER_INSTALL_HINT}.`);
  }
} catch (error) {
  console.warn(`Could not register the tslab kernel (${(error as Error).message}); the notebooks need it: run \`npm run kernel\` once this is fixed.`);
}
