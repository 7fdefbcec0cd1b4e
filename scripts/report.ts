// npm run report [-- --quick] [-- --pdf] [-- 02 03]: executes the notebooks and writes reports/*.html (and *.pdf).
// Exit codes: 0 done, 1 a notebook failed (the message names it and the cell), 2 cannot run (Jupyter missing, bad argument).
import { join, resolve } from "node:path";
import { projectRoot } from "../lib/data";
import { isInputError } from "../lib/errors";
import { quickMode } from "../lib/params";
import { writePdfs } from "../lib/pdf";
import { buildReports, NotebookError } from "../lib/report";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(
      "usage: npm run report [-- [--quick] [--pdf] [--out DIR] [NOTEBOOK…]]\n\n" +
        "Executes notebooks/*.ipynb on the tslab kernel and writes DIR/<name>.html (self-contained,\n" +
        "opens offline) and DIR/executed/<name>.ipynb. NOTEBOOK is 01, 02, 03 or a name; default all.\n" +
        "DIR defaults to reports/, and to reports/quick/ in quick mode.\n" +
        "--pdf also prints each report to DIR/<name>.pdf through Chromium (A4, no chart or table split).\n" +
        "--quick (or DIGITS_QUICK=1) runs every notebook with small settings; its selection records go to\n" +
        "reports/quick/experiments/ and its model to models/quick-dense-*/, so a preview never replaces the\n" +
        "real analysis (DIGITS_EXPERIMENTS_DIR and DIGITS_MODEL_DIR set other places).",
    );
    return 0;
  }
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  if (outAt >= 0 && (!out || out.startsWith("-"))) {
    console.error("--out needs a folder, e.g. --out /tmp/reports");
    return 2;
  }
  if (outAt >= 0) args.splice(outAt, 2);
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--quick" && a !== "--pdf");
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown[0]}; see npm run report -- --help`);
    return 2;
  }
  const started = performance.now();
  try {
    // The notebooks decide by quickMode() too: the same answer here keeps a quick run out of reports/.
    const quick = args.includes("--quick") || quickMode();
    const outDir = out ? resolve(out) : join(projectRoot(), "reports", ...(quick ? ["quick"] : []));
    const reports = await buildReports({ quick, outDir, notebooks: args.filter((a) => !a.startsWith("-")) });
    if (args.includes("--pdf")) {
      await writePdfs(reports.map((r) => ({ html: r.html, pdf: r.html.replace(/\.html$/, ".pdf") })), { log: (line) => console.log(line) });
    }
    console.log(`${reports.length} report(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof NotebookError) {
      console.error(`\nreport failed: ${error.message}`);
      return 1;
    }
    if (isInputError(error)) {
      console.error(`report: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => process.exit(code));
