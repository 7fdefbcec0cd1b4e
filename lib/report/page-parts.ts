// The HTML a report page gains beyond nbconvert's export, as pure functions of data: the run header
// ([data-digits-run-info]), the table of contents (nav[data-digits-toc], from the page's own h2 and
// h3 headings), the toolbar (code toggle, theme) and each slow cell's duration. Every value read
// from a notebook or a record is escaped here (escapeHtml, the one escaping module).
import { formatDuration } from "../core/format";
import { escapeHtml } from "../notebook/escape";
import { cellSource, type Notebook } from "./ipynb";
import type { RunInfo } from "./run-info";

/** A cell is marked with its duration when it took longer than this, in seconds. */
const SLOW_CELL_SECONDS = 1;

/** A parameter's value as the header shows it: strings as they are, anything else as JSON. */
function parameterText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}

/** The run header: parameters, commit, date, kernel, Node, cores, total time. */
export function runHeaderHtml(info: RunInfo): string {
  const commit = info.git ? `${info.git.commit}${info.git.modified ? " (modified)" : ""}` : "not a git checkout";
  const facts: [string, string][] = [
    ["commit", commit],
    ["date", info.date.replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC")],
    ["kernel", `${info.kernel} ${info.kernelVersion}`],
    ["Node", info.node],
    ["cores", String(info.cores)],
    ["run time", info.seconds === null ? "unknown" : formatDuration(info.seconds)],
  ];
  const row = ([k, v]: [string, string], attr = "") => `<tr${attr}><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  const parameters = info.parameters
    ? Object.entries(info.parameters).map(([k, v]) => row([k, parameterText(v)]))
    : [row(["parameters", "not recorded"])];
  return (
    `<header class="digits-run-info" data-digits-run-info>` +
    `<details open><summary>How this report was made</summary>` +
    `<table class="digits-run-facts">${facts.map((f) => row(f, ` data-digits-fact="${escapeHtml(f[0])}"`)).join("")}</table>` +
    `<table class="digits-run-parameters"><caption>Parameters</caption>${parameters.join("")}</table>` +
    `</details></header>`
  );
}

/** A section heading of the page: its level (2 or 3), the id nbconvert gave it, its text as HTML. */
export interface Heading {
  level: 2 | 3;
  id: string;
  html: string;
}

/** The h2 and h3 headings nbconvert wrote (each with an id and an anchor link), in order. */
export function pageHeadings(html: string): Heading[] {
  const out: Heading[] = [];
  for (const m of html.matchAll(/<h([23])\s+id="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)) {
    // The text without tags (the ¶ anchor link, emphasis, code), still escaped as nbconvert wrote it.
    const text = m[3].replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, "").replace(/<[^>]*>/g, "").trim();
    if (text !== "") out.push({ level: Number(m[1]) as 2 | 3, id: m[2], html: text });
  }
  return out;
}

/** nav[data-digits-toc]: one link per h2, its h3s nested below it (h3s before any h2 stand alone). */
export function tocHtml(headings: readonly Heading[]): string {
  const link = (h: Heading) => `<a href="#${escapeHtml(h.id)}">${h.html}</a>`;
  const groups: { top: Heading; subs: Heading[] }[] = [];
  for (const h of headings) {
    const last = groups[groups.length - 1];
    if (h.level === 3 && last && last.top.level === 2) last.subs.push(h);
    else groups.push({ top: h, subs: [] });
  }
  const items = groups.map(({ top, subs }) => `<li>${link(top)}${subs.length > 0 ? `<ul>${subs.map((s) => `<li>${link(s)}</li>`).join("")}</ul>` : ""}</li>`);
  return `<nav class="digits-toc" data-digits-toc aria-label="Contents"><p class="digits-toc-title">Contents</p><ul>${items.join("")}</ul></nav>`;
}

/** The toolbar: the code toggle (left out when the page has no code) and the theme switch. */
export function toolbarHtml(hasCode: boolean): string {
  const toggle = hasCode ? `<button type="button" data-digits-toggle-code aria-pressed="false">Hide code</button>` : "";
  return `<div class="digits-toolbar">${toggle}<button type="button" data-digits-theme aria-pressed="false">Dark</button></div>`;
}

/** Each code cell's duration in seconds from its metadata.timing (run_notebook.py), null where unrecorded. */
function cellDurations(notebook: Notebook): (number | null)[] {
  return notebook.cells.map((cell) => {
    const timing = cell.metadata.timing as { duration?: unknown } | undefined;
    return cell.cell_type === "code" && typeof timing?.duration === "number" && Number.isFinite(timing.duration) ? timing.duration : null;
  });
}

const CELL_OPEN = /<div\s+class="jp-Cell\s[^"]*"[^>]*>/g;

/**
 * Puts each slow cell's duration at the start of its cell. nbconvert's lab template writes one
 * div.jp-Cell per notebook cell, in order; when the counts differ (another template), the page is
 * left as it was rather than marking the wrong cells.
 */
export function markCellTimes(html: string, notebook: Notebook): string {
  const durations = cellDurations(notebook);
  const opens = [...html.matchAll(CELL_OPEN)];
  if (opens.length !== notebook.cells.length) return html;
  let index = 0;
  return html.replace(CELL_OPEN, (open) => {
    const seconds = durations[index++];
    if (seconds === null || seconds === undefined || seconds <= SLOW_CELL_SECONDS) return open;
    return `${open}<div class="digits-cell-time" data-digits-cell-time="${seconds}" title="this cell ran for ${escapeHtml(formatDuration(seconds))}">${escapeHtml(formatDuration(seconds))}</div>`;
  });
}

/** Whether any code cell of the notebook has code to show. */
export function hasCode(notebook: Notebook): boolean {
  return notebook.cells.some((c) => c.cell_type === "code" && cellSource(c).trim() !== "");
}
