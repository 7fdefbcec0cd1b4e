// The one place a report page gains its additions: decoratePage puts the style in <head>, and the
// toolbar, the run header and the table of contents at the top of <body>, each slow cell's time
// in its cell, and the script (page/main.ts, bundled by the build) at the end of <body>, into the
// HTML nbconvert exported.
// addPageParts does it to a report's temporary files before they are put in place.
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../core/files";
import { pageBundle } from "../notebook/draw/widget";
import type { Notebook } from "./ipynb";
import { hasCode, markCellTimes, pageHeadings, runHeaderHtml, tocHtml, toolbarHtml } from "./page-parts";
import { REPORT_PAGE_CSS } from "./page-style";
import { runInfo, type GitState, type RunInfo } from "./run-info";

export interface PageOptions {
  /** The page has no code (npm run report -- --no-input): no code toggle. */
  noInput?: boolean;
}

/** Inserts `text` before the first match of `at` (or throws: a page without it is not nbconvert's). */
function insertBefore(html: string, at: RegExp, text: string, what: string): string {
  const m = at.exec(html);
  if (!m) throw new Error(`the exported HTML has no ${what}`);
  return html.slice(0, m.index) + text + html.slice(m.index);
}

/** The exported page with the run header, contents, toolbar, cell times, style and script. */
export function decoratePage(html: string, executed: Notebook, info: RunInfo, options: PageOptions = {}): string {
  const top = toolbarHtml(!options.noInput && hasCode(executed)) + runHeaderHtml(info) + tocHtml(pageHeadings(html));
  let page = markCellTimes(html, executed);
  page = insertBefore(page, /<\/head>/i, `<style data-digits-page>${REPORT_PAGE_CSS}</style>\n`, "</head>");
  const body = /<body[^>]*>/i.exec(page);
  if (!body) throw new Error("the exported HTML has no <body>");
  page = page.slice(0, body.index + body[0].length) + "\n" + top + "\n" + page.slice(body.index + body[0].length);
  // The page's script (page/main.ts, bundled into dist/report-page.js), which pageBundle refuses if
  // it holds a "</script" that would end its element early.
  return insertBefore(page, /<\/body>(?![\s\S]*<\/body>)/i, `<script data-digits-page>${pageBundle("report-page")}</script>\n`, "</body>");
}

/** Decorates the report `html` (a file) from its executed notebook `executed` (a file), in place, atomically. */
export function addPageParts(html: string, executed: string, git: GitState | null, options: PageOptions = {}): void {
  const notebook = JSON.parse(readFileSync(executed, "utf8")) as Notebook;
  const page = decoratePage(readFileSync(html, "utf8"), notebook, runInfo(notebook, git), options);
  writeFileAtomic(html, page);
}
