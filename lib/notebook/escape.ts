// Escaping: the one way a value that did not come from our own code (a folder or file name, a
// CSV path, a record's stored data path, an environment variable) enters HTML, Markdown or a
// <script>. Markdown renderers differ (marked in Notebook 6, markdown-it in JupyterLab, mistune in
// nbconvert) and all pass raw HTML through, so text is not backslash-escaped (a backtick or a
// bracket would still end a code span or start a link in one of them) but written as numeric
// character references, which every renderer shows as the character and none reads as syntax.

/** Text safe in HTML element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** JSON safe inside a <script> element: no "</script>", and no line separators JavaScript rejects. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

// Letters, digits and punctuation that is never Markdown or HTML syntax, whatever surrounds it.
const PLAIN = /[A-Za-z0-9 .,;:/@=+%-]/;

/**
 * Text shown literally in Markdown (inline): every other character as a numeric reference, line
 * breaks as spaces, so no name can open a tag, a link, a code span, emphasis or a table cell.
 */
export function markdownText(text: string): string {
  let out = "";
  for (const ch of text.replace(/\r\n?|\n/g, " ")) out += PLAIN.test(ch) ? ch : `&#${ch.codePointAt(0)};`;
  return out;
}

/** A value shown as code in Markdown (a path, a file name), whatever characters it holds. */
export function markdownCode(text: string): string {
  return `<code>${markdownText(text)}</code>`;
}
