// npm run report [-- --quick] [-- --pdf] [-- 02 03]: executes the notebooks and writes reports/*.html (and *.pdf).
// Exit codes: 0 done, 1 a notebook failed (the message names it and the cell), 2 cannot run (Jupyter
// missing, bad argument, an output folder that cannot be written), 130/143 stopped by SIGINT/SIGTERM.
import { constants } from "node:os";
import { join, resolve } from "node:path";
import { projectRoot } from "../lib/core/project";
import { isInputError } from "../lib/core/errors";
import { pairFolder, pairName, parsePair, type Pair } from "../lib/core/pair";
import { envPair, quickMode } from "../lib/notebook/params";
import { writePdfs } from "../lib/report/pdf";
import { buildReports, NotebookError, ReportInterrupted } from "../lib/report/report";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(
      "usage: npm run report [-- [--quick] [--pdf] [--digits A,B] [--out DIR] [NOTEBOOK…]]\n\n" +
        "Executes notebooks/*.ipynb on the tslab kernel and writes DIR/<name>.html (self-contained,\n" +
        "opens offline) and DIR/executed/<name>.ipynb. NOTEBOOK is 01, 02, 03 or a name; default all.\n" +
        "DIR defaults to reports/, and to reports/quick/ in quick mode.\n" +
        "--pdf also prints each report to DIR/<name>.pdf through Chromium (A4, no chart or table split).\n" +
        "--digits A,B (or DIGITS_PAIR=A,B) analyses the digits A and B instead of 0 and 1, into reports/A-B/\n" +
        "(reports/quick/A-B/ with --quick); the data is data/A-B/*.csv, built on first use.\n" +
        "--quick (or DIGITS_QUICK=1) runs every notebook with small settings; its selection records go to\n" +
        "reports/quick/experiments/ and its model to models/quick-dense-*/, so a preview never replaces the\n" +
        "real analysis (DIGITS_EXPERIMENTS_DIR and DIGITS_MODEL_DIR set other places).\n\n" +
        "Exit codes: 0 done; 1 a notebook failed (named with its cell); 2 cannot run (Jupyter missing, a bad\n" +
        "argument, an output folder that cannot be written); 130 or 143 stopped by Ctrl-C or kill.",
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
  const digitsAt = args.indexOf("--digits");
  const digits = digitsAt >= 0 ? args[digitsAt + 1] : undefined;
  if (digitsAt >= 0 && (!digits || digits.startsWith("-"))) {
    console.error("--digits needs two digits, e.g. --digits 4,9");
    return 2;
  }
  if (digitsAt >= 0) args.splice(digitsAt, 2);
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--quick" && a !== "--pdf");
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown[0]}; see npm run report -- --help`);
    return 2;
  }
  const started = performance.now();
  // Ctrl-C or kill: stop the kernel and remove this run's partial files before exiting.
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stop.signal.aborted) return;
      console.error(`\nreport: ${signal}, stopping the kernel and removing partial files…`);
      stop.abort(signal);
    });
  }
  try {
    // The notebooks decide by quickMode() too: the same answer here keeps a quick run out of reports/.
    const quick = args.includes("--quick") || quickMode();
    // The notebooks read the pair from DIGITS_PAIR: --digits sets it for them, and names the folder.
    const pair: Pair = digits !== undefined ? parsePair(digits) : envPair();
    const base = join("reports", ...(quick ? ["quick"] : []));
    const outDir = out ? resolve(out) : join(projectRoot(), pairFolder(base, pair));
    const env = { DIGITS_PAIR: `${pair[0]},${pair[1]}` };
    if (digits !== undefined) console.log(`digits ${pairName(pair)}: ${pair[0]} against ${pair[1]}, ${pair[1]} the positive class`);
    const reports = await buildReports({ quick, outDir, env, notebooks: args.filter((a) => !a.startsWith("-")), signal: stop.signal });
    if (args.includes("--pdf")) {
      await writePdfs(reports.map((r) => ({ html: r.html, pdf: r.html.replace(/\.html$/, ".pdf") })), { log: (line) => console.log(line) });
    }
    console.log(`${reports.length} report(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof ReportInterrupted) {
      console.error(`report: ${error.message}; no partial files left`);
      return 128 + (constants.signals[error.signal as NodeJS.Signals] ?? 0);
    }
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
