// PDF reports: prints each HTML report through headless Chromium (playwright-core's page.pdf),
// after its charts are drawn, on A4 with page breaks that keep every chart, table and output
// whole (break-inside: avoid) and headings with what follows them. Thin I/O around Chromium;
// each PDF is written atomically beside its HTML.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { InputError } from "../core/errors";
import { writeFileAtomic } from "../core/files";

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium to drive: $CHROMIUM_PATH, else the usual Debian/Ubuntu locations; null when none. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const wanted = env.CHROMIUM_PATH;
  if (wanted) return existsSync(wanted) ? wanted : null;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** A4 with 12 mm margins, printed at 75 %: 937 CSS pixels across, so the widest chart (767 px) fits. */
export const PAGE = { format: "A4", marginMm: 12, scale: 0.75 } as const;

/** The page width, in CSS pixels, that Chromium lays the printed report out at. */
export function printWidthPx(page: { marginMm: number; scale: number } = PAGE): number {
  const a4WidthMm = 210;
  return Math.floor((((a4WidthMm - 2 * page.marginMm) / 25.4) * 96) / page.scale);
}

// Evaluated in the page, so written as source: lib/ compiles without the DOM lib.
const EVERY_CHART_DRAWN = `Array.from(document.querySelectorAll(".binary-digits-plot")).every((p) => p.querySelector("svg.main-svg"))`;

/** Print rules added to each report: nothing that shows a result is split across two pages. */
export const PRINT_CSS = `@media print {
  .jp-OutputArea-child, .jp-RenderedHTMLCommon table, .binary-digits-plot, .binary-digits-table, .js-plotly-plot, svg, img { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  /* A wide table would be clipped at the page's right edge (its wrapper scrolls on screen): smaller type fits it. */
  .binary-digits-table { overflow: visible !important; }
  .jp-RenderedHTMLCommon table { font-size: 9px; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 0.2em 0.35em; }
  .jp-InputArea { break-inside: avoid; }
}`;

/**
 * Prints `html` to `pdf`. Charts draw before printing (laid out at the printed width, so none is
 * wider than the page); a chart that does not draw within `timeoutMs` is an error, not a PDF
 * with a hole.
 */
export async function writePdfs(files: readonly { html: string; pdf: string }[], options: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<void> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new InputError("--pdf prints through Chromium, which is not installed: `sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH");
  let playwright: typeof import("playwright-core");
  try {
    playwright = await import("playwright-core");
  } catch {
    throw new InputError("--pdf needs playwright-core (a devDependency): run `npm install` in the project");
  }
  const browser = await playwright.chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  try {
    for (const { html, pdf } of files) {
      const context = await browser.newContext({ offline: true, viewport: { width: printWidthPx(), height: 1200 } });
      try {
        const page = await context.newPage();
        await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
        await page.addStyleTag({ content: PRINT_CSS });
        const waited = await page
          .waitForFunction(EVERY_CHART_DRAWN, null, { timeout: options.timeoutMs ?? 120_000, polling: 200 })
          .then(() => true, () => false);
        if (!waited) throw new Error(`${html}: a chart did not draw within ${(options.timeoutMs ?? 120_000) / 1000} s, so no PDF was written`);
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
