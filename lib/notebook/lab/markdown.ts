// The Markdown of the notebooks' sentences (lib/notebook/tables.ts, findings.ts) as HTML, for a page
// that shows them without a notebook around it (the select panel). Only what those sentences use:
// paragraphs, **bold**, and the <code> elements and numeric character references escape.ts writes;
// every other "<", ">" and "&" is escaped, so a sentence can add no element of its own.
import { escapeHtml } from "../escape";

// What escape.ts's markdownCode and markdownText write, kept as they are.
const KEPT = /(<code>|<\/code>|&#\d+;)/;

/** Markdown of paragraphs (blank lines between), **bold** and escape.ts's output, as HTML. */
export function markdownHtml(markdown: string): string {
  return markdown
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "")
    .map((paragraph) => {
      const html = paragraph
        .split(KEPT)
        .map((part, i) => (i % 2 === 1 ? part : escapeHtml(part)))
        .join("")
        .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
        .replace(/\n/g, " ");
      return `<p>${html}</p>`;
    })
    .join("\n");
}
