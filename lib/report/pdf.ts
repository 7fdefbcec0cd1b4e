// PDF reports: prints each HTML report through headless Chromium (playwright-core's page.pdf),
// after its charts are drawn, on A4 with page breaks that keep every chart, table and output
// whole (break-inside: avoid) and headings with what follows them. Thin I/O around Chromium;
// each PDF is written atomically beside its HTML.
//
// Which Chromium: $CHROMIUM_PATH, else chromium (or chromium-browser, google-chrome,
// google-chrome-stable) on $PATH, else the usual install places. `npm run report -- --pdf` finds
// and starts it (checkChromium) before any notebook runs, so a missing or broken Chromium is one
// message at once, not a failure after every notebook has run.
import { accessSync, constants, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { InputError } from "../core/errors";
import { which } from "../core/executables";
import { writeFileAtomic } from "../core/files";

/** Names a Chromium goes by on $PATH, best first. */
const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] as const;

/** Where Chromium is installed when it is not on $PATH (Debian/Ubuntu, snap, macOS). */
const CHROMIUM_PLACES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
] as const;

const INSTALL_HINT = "install it (`sudo apt-get install chromium` on Debian/Ubuntu) or set CHROMIUM_PATH to its executable";

/** Why `file` cannot be run, or null when it can. */
function notRunnable(file: string): string | null {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    return "no such file";
  }
  if (!isFile) return "is a folder, not a program";
  try {
    accessSync(file, constants.X_OK);
    return null;
  } catch {
    return `is not executable (\`chmod +x ${file}\`, or point CHROMIUM_PATH at the browser itself)`;
  }
}

/** A Chromium found (path), or why none was (problem: a sentence for the user). */
type ChromiumLookup = { path: string; problem?: undefined } | { path: null; problem: string };

function lookupChromium(env: NodeJS.ProcessEnv, places: readonly string[]): ChromiumLookup {
  const wanted = env.CHROMIUM_PATH;
  if (wanted) {
    const problem = notRunnable(wanted);
    return problem ? { path: null, problem: `CHROMIUM_PATH=${wanted}: ${problem}` } : { path: wanted };
  }
  for (const name of CHROMIUM_NAMES) {
    const found = which(name, env);
    if (found) return { path: found };
  }
  const found = places.find((p) => notRunnable(p) === null);
  if (found) return { path: found };
  return { path: null, problem: `Chromium is not installed: none of ${CHROMIUM_NAMES.join(", ")} is on PATH or in the usual places; ${INSTALL_HINT}` };
}

/**
 * The Chromium to drive: $CHROMIUM_PATH, else the first of CHROMIUM_NAMES on $PATH, else the first
 * of `places`; null when none can be run (a CHROMIUM_PATH that cannot be run included).
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env, places: readonly string[] = CHROMIUM_PLACES): string | null {
  return lookupChromium(env, places).path;
}

/** chromiumPath, or an InputError saying what is wrong (CHROMIUM_PATH not a program, none installed) and what to do. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env, places: readonly string[] = CHROMIUM_PLACES): string {
  const found = lookupChromium(env, places);
  if (found.path === null) throw new InputError(`--pdf prints through Chromium: ${found.problem}`);
  return found.path;
}

const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];

/**
 * Starts headless Chromium at `executablePath`. A Chromium that does not start is an InputError of
 * one line — what it said on stderr, else Playwright's first line — instead of Playwright's log of
 * the whole launch.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  let playwright: typeof import("playwright-core");
  try {
    playwright = await import("playwright-core");
  } catch {
    throw new InputError("--pdf needs playwright-core (a devDependency): run `npm install` in the project");
  }
  try {
    return await playwright.chromium.launch({ executablePath, args: LAUNCH_ARGS });
  } catch (error) {
    throw new InputError(
      `--pdf: Chromium at ${executablePath} did not start (${launchFailure(error)}); run \`${executablePath} --headless --version\` to see why, ` +
        `or set CHROMIUM_PATH to a Chromium that starts`,
    );
  }
}

/** The line of Playwright's launch error that says why: the browser's last line on stderr, else the error's first line. */
function launchFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const logs = message.split(/\nCall log:/)[0];
  // The browser's own stderr, as Playwright quotes it: "[pid=123][err] …".
  const said = [...logs.matchAll(/^\[pid=\d+\]\[err\] (.*\S.*)$/gm)].map((m) => m[1].trim());
  const exit = /<process did exit: exitCode=(\d+)/.exec(message)?.[1];
  const first = message.split("\n")[0].replace(/^browserType\.launch: /, "").trim();
  const why = said.length > 0 ? said[said.length - 1] : first;
  return exit !== undefined ? `${why}; exit code ${exit}` : why;
}

/** Finds Chromium and starts it once, before any notebook runs: the path that works, or an InputError. */
export async function checkChromium(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const executablePath = requireChromium(env);
  const browser = await launchChromium(executablePath);
  await browser.close();
  return executablePath;
}

/** A4 with 12 mm margins, printed at 75 %: 937 CSS pixels across, so the widest chart (767 px) fits. */
const PAGE = { format: "A4", marginMm: 12, scale: 0.75 } as const;

/** The page width, in CSS pixels, that Chromium lays the printed report out at. */
function printWidthPx(page: { marginMm: number; scale: number } = PAGE): number {
  const a4WidthMm = 210;
  return Math.floor((((a4WidthMm - 2 * page.marginMm) / 25.4) * 96) / page.scale);
}

// Evaluated in the page, so written as source: lib/ compiles without the DOM lib.
const EVERY_CHART_DRAWN = `Array.from(document.querySelectorAll(".binary-digits-plot")).every((p) => p.querySelector("svg.main-svg"))`;

/** Print rules added to each report: nothing that shows a result is split across two pages. */
const PRINT_CSS = `@media print {
  .jp-OutputArea-child, .jp-RenderedHTMLCommon table, .binary-digits-plot, .binary-digits-table, .js-plotly-plot, svg, img { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  /* A wide table would be clipped at the page's right edge (its wrapper scrolls on screen): smaller type fits it. */
  .binary-digits-table { overflow: visible !important; }
  .jp-RenderedHTMLCommon table { font-size: 9px; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 0.2em 0.35em; }
  .jp-InputArea { break-inside: avoid; }
}`;

/**
 * Prints each `html` to its `pdf` with the Chromium at options.executablePath (default:
 * requireChromium()). Charts draw before printing (laid out at the printed width, so none is
 * wider than the page); a chart that does not draw within `timeoutMs` is an error, not a PDF
 * with a hole.
 */
export async function writePdfs(
  files: readonly { html: string; pdf: string }[],
  options: { executablePath?: string; timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<void> {
  const timeout = options.timeoutMs ?? 120_000;
  const browser = await launchChromium(options.executablePath ?? requireChromium());
  try {
    for (const { html, pdf } of files) {
      const context = await browser.newContext({ offline: true, viewport: { width: printWidthPx(), height: 1200 } });
      try {
        const page = await context.newPage();
        // A report of several MB loads slowly on a busy machine: the same allowance as its charts.
        await page.goto(pathToFileURL(html).href, { waitUntil: "load", timeout });
        await page.addStyleTag({ content: PRINT_CSS });
        const waited = await page
          .waitForFunction(EVERY_CHART_DRAWN, null, { timeout, polling: 200 })
          .then(() => true, () => false);
        if (!waited) throw new Error(`${html}: a chart did not draw within ${timeout / 1000} s, so no PDF was written`);
        const margin = `${PAGE.marginMm}mm`;
        const bytes = await page.pdf({ format: PAGE.format, scale: PAGE.scale, printBackground: true, margin: { top: margin, bottom: margin, left: margin, right: margin } });
        writeFileAtomic(pdf, bytes);
        options.log?.(`wrote ${pdf}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}
