// Shared by the integration tests (report, notebook UI): what the machine has, how to launch
// Chromium, and how to check that a page's Plotly charts rendered.
//
// Without Jupyter or Chromium a user's `npm test` skips these tests with the reason; under
// CI=true a missing piece is a failure instead (.ci/run installs both).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromiumPath } from "../../lib/report/pdf";
import { denoBinary, findPython, JUPYTER_INSTALL_HINT, NOTEBOOK_MODULES, REPORT_MODULES, type KernelName } from "../../lib/report/jupyter";
import { isClassicNotebook, notebookVersion } from "./notebook-version";

export const ROOT = join(__dirname, "..", "..");
export const SCREENSHOTS = join(ROOT, "reports", "screenshots");

// The same Chromium as `npm run report -- --pdf` prints with.
export { chromiumPath };

/** Why these tests cannot run here (null when they can). Under CI=true, never a skip: a failure. */
export function missingRequirements(modules: readonly string[] = [...REPORT_MODULES, ...NOTEBOOK_MODULES]): string | null {
  const problems: string[] = [];
  if (!findPython([...new Set(modules)])) problems.push(`Jupyter is not installed (${JUPYTER_INSTALL_HINT})`);
  if (!chromiumPath()) problems.push("Chromium is not installed (`sudo apt-get install chromium`, or set CHROMIUM_PATH)");
  return problems.length === 0 ? null : problems.join("; ");
}

/** `{ skip: reason }` for node:test, or throws under CI so that a missing piece fails the run. */
export function skipUnlessAvailable(modules?: readonly string[]): { skip: string | false } {
  const missing = missingRequirements(modules);
  if (missing && process.env.CI === "true") throw new Error(`CI=true but ${missing}`);
  return { skip: missing ?? false };
}

/** skipUnlessAvailable(modules), and for Deno this project's deno too (never a skip under CI, where npm ci installs it). */
export function kernelAvailable(kernel: KernelName, modules?: readonly string[]): { skip: string | false } {
  const available = skipUnlessAvailable(modules);
  if (available.skip || kernel !== "deno" || denoBinary() !== null) return available;
  if (process.env.CI === "true") throw new Error("CI=true but this project's deno is not installed");
  return { skip: "this project's deno is not installed (npm install without devDependencies?)" };
}

/**
 * For the notebook UI test, which drives the classic Jupyter Notebook 6 interface: the Python that
 * has it, or why the test cannot run. Notebook 7 (what a plain `pip install notebook` gives) is a
 * skip with the reason; under CI=true (Debian's 6.x) a missing or wrong version is a failure.
 */
export function classicNotebook(): { skip: string | false; python: string | null } {
  const available = skipUnlessAvailable(NOTEBOOK_MODULES);
  if (available.skip) return { skip: available.skip, python: null };
  const seen: string[] = [];
  const found = findPython(NOTEBOOK_MODULES, undefined, (probe) => {
    const version = notebookVersion(probe.python);
    seen.push(`${probe.python} has notebook ${version ?? "of unknown version"}`);
    return version !== null && isClassicNotebook(version);
  });
  if (found) return { skip: false, python: found.python };
  const reason =
    `this test drives the classic Jupyter Notebook 6 interface (Cell → Run All) and ${seen.join(", ")} ` +
    "(7.x is built on JupyterLab). Install 6.x to run it: `sudo apt-get install jupyter-notebook` (Debian/Ubuntu) " +
    "or `python3 -m pip install \"notebook<7\"`, or point DIGITS_PYTHON at a Python that has it";
  if (process.env.CI === "true") throw new Error(`CI=true but ${reason}`);
  return { skip: reason, python: null };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found");
  return chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** An error a page showed: an uncaught exception, or a console error with where it came from. */
export interface PageProblem {
  kind: "page error" | "console error";
  text: string;
  /** The resource the console message is about (for load failures), else "". */
  url: string;
}

/** Collects uncaught page errors and console errors of a page. */
export function collectErrors(page: Page): PageProblem[] {
  const errors: PageProblem[] = [];
  page.on("pageerror", (error) => errors.push({ kind: "page error", text: error.message, url: "" }));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push({ kind: "console error", text: message.text(), url: message.location().url ?? "" });
  });
  return errors;
}

/** A page opened from disk with the network off, the errors it has shown so far, and how to close it. */
export interface OfflinePage {
  page: Page;
  errors: PageProblem[];
  close(): Promise<void>;
}

/** Opens `file` in a context of its own, offline, at 1280×900, and waits for its load event. */
export async function openOffline(browser: Browser, file: string): Promise<OfflinePage> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`file://${file}`, { waitUntil: "load", timeout: 180_000 });
    return { page, errors, close: () => context.close() };
  } catch (error) {
    await context.close();
    throw error;
  }
}

// Where the Jupyter Notebook server serves its own assets. Notebook 6 always asks for the
// ipywidgets extension (nbextensions/widgets/…); without ipywidgets that request 404s with an
// HTML page, and Chromium logs a load failure, or a strict-MIME refusal, that no output caused.
const JUPYTER_ASSET_PATHS = ["/nbextensions/", "/static/", "/custom/", "/kernelspecs/", "/favicon.ico"];
const LOAD_FAILURE = /^(Failed to load resource|Refused to execute script from )/;

/**
 * Whether a problem is the Jupyter server failing to deliver one of its own assets: a console
 * load failure naming a URL on that server under its asset paths. Uncaught exceptions, and
 * anything else logged, are never noise: they may come from our outputs.
 */
export function isJupyterAssetNoise(problem: PageProblem, server: string): boolean {
  if (problem.kind !== "console error" || !LOAD_FAILURE.test(problem.text)) return false;
  const quoted = /'(https?:\/\/[^']+)'/.exec(problem.text)?.[1];
  const url = quoted ?? problem.url;
  if (!url.startsWith(server + "/")) return false;
  const path = new URL(url).pathname;
  return JUPYTER_ASSET_PATHS.some((prefix) => path.startsWith(prefix));
}

/** The problems a page showed, less the Jupyter server's own asset noise, as readable lines. */
export function problemsBesidesJupyterAssets(problems: readonly PageProblem[], server: string): string[] {
  return problems.filter((p) => !isJupyterAssetNoise(p, server)).map((p) => `${p.kind}: ${p.text}${p.url ? ` (${p.url})` : ""}`);
}

/** Per chart container: whether Plotly drew its SVG, and the chart's title. */
export interface PlotState {
  id: string;
  rendered: boolean;
  title: string;
}

/** Waits until every chart container on the page has Plotly's SVG (or the timeout), then reports each. */
export async function plotStates(page: Page, timeoutMs = 60_000): Promise<PlotState[]> {
  await page
    .waitForFunction(
      () => {
        const plots = Array.from(document.querySelectorAll(".binary-digits-plot"));
        return plots.length > 0 && plots.every((p) => p.querySelector("svg.main-svg"));
      },
      null,
      { timeout: timeoutMs, polling: 200 },
    )
    .catch(() => undefined);
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".binary-digits-plot")).map((p) => ({
      id: p.id,
      rendered: p.querySelector("svg.main-svg") !== null,
      title: p.querySelector(".gtitle")?.textContent ?? "",
    })),
  );
}

/** A require.js to inject: Debian's, or the copy inside the Jupyter Notebook package. */
export function findRequireJs(): string {
  const candidates = ["/usr/share/javascript/requirejs/require.min.js", "/usr/share/javascript/requirejs/require.js"];
  const python = findPython(["notebook"]);
  if (python) {
    const dir = spawnSync(python.python, ["-c", "import notebook, os; print(os.path.dirname(notebook.__file__))"], { encoding: "utf8" }).stdout.trim();
    candidates.push(join(dir, "static", "components", "requirejs", "require.js"));
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no require.js to inject; looked at ${candidates.join(", ")}`);
  return found;
}
