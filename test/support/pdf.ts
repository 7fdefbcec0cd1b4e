// The PDF reports read back with poppler-utils (pdftotext, pdftoppm): each page's text, whether
// a chart or table runs over a page break, and how much of a rendered page is in colour.
import { spawnSync } from "node:child_process";
import { cellSource, joinText, type Notebook } from "../../lib/report/ipynb";
import { outputsOfType } from "./notebook-outputs";

/** Each chart output's MIME data, in order. */
export function chartOutputs(notebook: Notebook): Record<string, unknown>[] {
  return notebook.cells.flatMap((c) => (c.outputs ?? []).map((o) => o.data ?? {})).filter((d) => "application/vnd.plotly.v1+json" in d);
}

/** The figure a chart's HTML draws (the JSON in its script). */
export function htmlFigure(data: Record<string, unknown>): { data: Record<string, unknown>[]; layout: Record<string, unknown> } {
  return JSON.parse(/figure = (.*), config = /.exec(joinText(data["text/html"]))![1]);
}


/** `{ skip: reason }` without poppler-utils (pdftotext, pdftoppm); throws under CI=true. */
export function popplerAvailable(): { skip: string | false } {
  const missing = ["pdfinfo", "pdftotext", "pdftoppm"].filter((tool) => spawnSync(tool, ["-v"]).error);
  if (missing.length === 0) return { skip: false };
  const reason = `${missing.join(", ")} not installed (\`sudo apt-get install poppler-utils\`)`;
  if (process.env.CI === "true") throw new Error(`CI=true but ${reason}`);
  return { skip: reason };
}

/** Text of each page of a PDF (pdftotext -layout), whitespace collapsed. */
export function pdfPages(pdf: string): string[] {
  const info = spawnSync("pdfinfo", [pdf], { encoding: "utf8" });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1] ?? 0);
  return Array.from({ length: pages }, (_, i) => spawnSync("pdftotext", ["-layout", "-f", String(i + 1), "-l", String(i + 1), pdf, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " "));
}

/** The share of a page's pixels that are clearly coloured (a chart's bars, lines, heatmaps; text is grey). */
export function colouredShare(pdf: string, page: number): number {
  const ppm = spawnSync("pdftoppm", ["-r", "40", "-f", String(page), "-l", String(page), pdf], { maxBuffer: 64 << 20 }).stdout as Buffer;
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString("latin1"))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = ppm.subarray(header[0].length);
  let coloured = 0;
  for (let i = 0; i < width * height * 3; i += 3) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++;
  }
  return coloured / (width * height);
}

/** HTML text as a reader sees it: tags dropped, character references decoded, white space folded. */
export const squash = (s: string) =>
  s
    .replace(/<[^>]+>/g, " ")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&(lt|gt|quot|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', amp: "&" })[name as "lt"])
    .replace(/\s+/g, " ")
    .trim();

/** The last page whose text has every word of `text` (a chart's or table's first words: its output follows its code). */
function pageOf(pages: readonly string[], text: string): number {
  const words = text.split(" ").filter((w) => w !== "");
  for (let i = pages.length - 1; i >= 0; i--) {
    const have = new Set(pages[i].split(" "));
    if (pages[i].includes(text) || words.every((w) => have.has(w))) return i;
  }
  return -1;
}

/**
 * Words of `texts` missing from page `page`. Words are split at hyphens too: a narrow table cell
 * wraps a long id such as 20261130T115031345Z-191e there, and pdftotext gives the two halves.
 */
function missingWords(pages: readonly string[], page: number, texts: readonly string[]): string[] {
  const have = new Set(pages[page].split(/[\s-]+/));
  return texts.flatMap((t) => t.split(/[\s-]+/)).filter((w) => w !== "" && !have.has(w));
}

/**
 * What is wrong with a report's PDF, given its notebook's outputs: a section heading missing, a
 * chart whose texts (title, x-axis titles, panel titles and labels) are not all on the page of its
 * title, a table whose last row is not on the page of its caption. Empty when all is well.
 */
export function pdfProblems(executed: Notebook, pages: readonly string[]): string[] {
  const problems: string[] = [];
  const all = pages.join(" ");
  const headings = executed.cells.filter((c) => c.cell_type === "markdown").flatMap((c) => [...cellSource(c).matchAll(/^#{1,3} (.+)$/gm)].map((m) => squash(m[1].replace(/[`*]/g, ""))));
  if (headings.length < 3) problems.push(`only ${headings.length} headings in the notebook`);
  for (const heading of headings) if (!all.includes(heading)) problems.push(`no section "${heading}"`);
  for (const data of chartOutputs(executed)) {
    const layout = htmlFigure(data).layout as { title?: { text?: string }; annotations?: { text?: string }[]; [axis: string]: unknown };
    const title = squash(layout.title?.text ?? "").split(" ").slice(0, 5).join(" ");
    const page = pageOf(pages, title);
    if (page < 0) {
      problems.push(`no chart titled "${title}…"`);
      continue;
    }
    const texts = [
      ...(layout.annotations ?? []).map((a) => squash(a.text ?? "")),
      // x axes only: pdftotext cannot read the y axes' rotated titles back.
      ...Object.keys(layout).filter((k) => /^xaxis\d*$/.test(k)).map((k) => squash((layout[k] as { title?: { text?: string } }).title?.text ?? "")),
    ];
    const missing = missingWords(pages, page, texts);
    if (missing.length > 0) problems.push(`chart "${title}…" starts on page ${page + 1}, which lacks its ${missing.slice(0, 5).join(", ")}`);
  }
  // A widget's script (a report's lab carries the page code that builds its tables) is no table shown.
  const shown = outputsOfType(executed, "text/html").map((h) => h.replace(/<script[\s\S]*?<\/script>/gi, ""));
  for (const html of shown.filter((h) => h.includes("<table"))) {
    const caption = squash(/<caption[^>]*>([\s\S]*?)<\/caption>/.exec(html)?.[1] ?? "");
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)];
    const last = [...rows[rows.length - 1][1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => squash(m[1]));
    const page = pageOf(pages, caption || last.join(" "));
    if (page < 0) {
      problems.push(`no table "${caption}"`);
      continue;
    }
    const missing = missingWords(pages, page, last);
    if (missing.length > 0) problems.push(`table "${caption}" starts on page ${page + 1}, which lacks its last row's ${missing.join(", ")}`);
  }
  return problems;
}
