// npm run report [-- --quick] [-- --pdf] [-- --kernel deno] [-- 02 03]: executes the notebooks and writes reports/*.html (and *.pdf).
// Exit codes: 0 done, 1 a notebook failed (the message names it and the cell), 2 cannot run (Jupyter
// missing, bad argument, an output folder that cannot be written, no Chromium that starts for --pdf),
// 130/143 stopped by SIGINT/SIGTERM.
import { constants } from "node:os";
import { join, resolve } from "node:path";
import { projectRoot } from "../lib/core/project";
import { isInputError } from "../lib/core/errors";
import { pairFolder, pairName, parsePair, type Pair } from "../lib/core/pair";
import { envPair, labMode, quickMode } from "../lib/notebook/params";
import { checkChromium, writePdfs } from "../lib/report/pdf";
import { buildReports, NotebookError, ReportInterrupted } from "../lib/report/report";
import { kernelVersion, parseKernel, type KernelName } from "../lib/report/jupyter";

const USAGE =
  "usage: npm run report [-- [--quick] [--pdf] [--no-input] [--no-lab] [--kernel tslab|deno] [--digits A,B] [--out DIR] [NOTEBOOK…]]\n\n" +
  "Executes notebooks/*.ipynb on the tslab kernel (or, with --kernel deno, on Deno's, from the project's\n" +
  "pinned deno) and writes DIR/<name>.html (self-contained, opens offline) and DIR/executed/<name>.ipynb,\n" +
  "whose metadata.kernelspec names the kernel. NOTEBOOK is 01, 02, 03 or a name; default all.\n" +
  "DIR defaults to reports/, and to reports/quick/ in quick mode.\n" +
  "--pdf also prints each report to DIR/<name>.pdf through Chromium (A4, no chart or table split): the one\n" +
  "in CHROMIUM_PATH, else chromium (or chromium-browser, google-chrome) on PATH, else the usual places;\n" +
  "it is found and started before any notebook runs.\n" +
  "--no-input leaves the code out of every report (outputs and text only), and so out of the PDFs.\n" +
  "--no-lab (or DIGITS_LAB=0) leaves out the lab: the panels of reports 02 and 03 that rerun the selection\n" +
  "and retrain the network in the reader's browser, and the rows they embed.\n" +
  "Each page opens with how it was made (parameters, commit, kernel, Node, cores, run time), a table of\n" +
  "contents, a button hiding the code and a light/dark switch (printing is always light).\n" +
  "--digits A,B (or DIGITS_PAIR=A,B) analyses the digits A and B instead of 0 and 1, into reports/A-B/\n" +
  "(reports/quick/A-B/ with --quick); the data is data/A-B/*.csv, built on first use.\n" +
  "--quick (or DIGITS_QUICK=1) runs every notebook with small settings; its selection records go to\n" +
  "reports/quick/experiments/ and its model to models/[A-B/]quick-<layers>/, so a preview never replaces\n" +
  "the real analysis (DIGITS_EXPERIMENTS_DIR and DIGITS_MODEL_DIR set other places).\n\n" +
  "Exit codes: 0 done; 1 a notebook failed (named with its cell); 2 cannot run (Jupyter missing, a bad\n" +
  "argument, an output folder that cannot be written, no Chromium that starts for --pdf); 130 or 143\n" +
  "stopped by Ctrl-C or kill.";

interface ReportArgs {
  quick: boolean;
  pdf: boolean;
  noInput: boolean;
  noLab: boolean;
  out?: string;
  digits?: string;
  kernel?: string;
  notebooks: string[];
}

/** The command line, or the exit code when it asks for help (0) or is wrong (2, said on stderr). */
function parseArgs(argv: readonly string[]): ReportArgs | number {
  const args = [...argv];
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const valueOf = (flag: string, example: string): string | undefined | null => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const value = args[at + 1];
    if (!value || value.startsWith("-")) {
      console.error(`${flag} needs ${example}`);
      return null;
    }
    args.splice(at, 2);
    return value;
  };
  const out = valueOf("--out", "a folder, e.g. --out /tmp/reports");
  if (out === null) return 2;
  const digits = valueOf("--digits", "two digits, e.g. --digits 4,9");
  if (digits === null) return 2;
  const kernel = valueOf("--kernel", "a kernel, tslab or deno");
  if (kernel === null) return 2;
  const unknown = args.filter((a) => a.startsWith("-") && !["--quick", "--pdf", "--no-input", "--no-lab"].includes(a));
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown[0]}; see npm run report -- --help`);
    return 2;
  }
  return { quick: args.includes("--quick"), pdf: args.includes("--pdf"), noInput: args.includes("--no-input"), noLab: args.includes("--no-lab"), out, digits, kernel, notebooks: args.filter((a) => !a.startsWith("-")) };
}

/** Ctrl-C or kill: stop the kernel and remove this run's partial files before exiting. */
function stopOnSignals(): AbortSignal {
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stop.signal.aborted) return;
      console.error(`\nreport: ${signal}, stopping the kernel and removing partial files…`);
      stop.abort(signal);
    });
  }
  return stop.signal;
}

async function run(args: ReportArgs, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  // The notebooks decide by quickMode() too: the same answer here keeps a quick run out of reports/.
  const quick = args.quick || quickMode();
  // The notebooks read the pair from DIGITS_PAIR: --digits sets it for them, and names the folder.
  const pair: Pair = args.digits !== undefined ? parsePair(args.digits) : envPair();
  const base = join("reports", ...(quick ? ["quick"] : []));
  const outDir = args.out ? resolve(args.out) : join(projectRoot(), pairFolder(base, pair));
  // The notebooks read DIGITS_LAB too (labMode): --no-lab sets it for them; checked here, before any runs.
  const lab = !args.noLab && labMode();
  const env = { DIGITS_PAIR: `${pair[0]},${pair[1]}`, DIGITS_LAB: lab ? "1" : "0" };
  const kernel: KernelName = args.kernel !== undefined ? parseKernel(args.kernel) : "tslab";
  // Before Jupyter starts: a Chromium that is missing or does not start is said now, not after every notebook ran.
  const chromium = args.pdf ? await checkChromium() : undefined;
  if (args.digits !== undefined) console.log(`digits ${pairName(pair)}: ${pair[0]} against ${pair[1]}, ${pair[1]} the positive class`);
  if (kernel !== "tslab") console.log(`kernel: ${kernel} ${kernelVersion(kernel)}`);
  const reports = await buildReports({ quick, outDir, env, kernel, notebooks: args.notebooks, noInput: args.noInput, signal });
  if (chromium) {
    await writePdfs(reports.map((r) => ({ html: r.html, pdf: r.html.replace(/\.html$/, ".pdf") })), { executablePath: chromium, log: (line) => console.log(line) });
  }
  console.log(`${reports.length} report(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "number") return args;
  try {
    return await run(args, stopOnSignals());
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
