// Escaping: the one way a value that did not come from our own code (a folder or file name, a
// CSV path, a record's stored data path, an environment variable) enters HTML, Markdown or a
// <script>. Markdown renderers differ (mistune in nbconvert's HTML export, marked in Notebook 6 and
// JupyterLab 4, markdown-it in VS Code) and all pass raw HTML through, so text is not
// backslash-escaped (mistune 0.8 does not honour a backslash before "<", and a backtick or a
// bracket would still end a code span or start a link in one of them) but written as numeric
// character references, which every renderer shows as the character and none reads as syntax.
// Checked against nbconvert 6.5 (mistune 0.8) and 7.17 (mistune 3.3), mistune 2.0, marked 4.2 and
// 17, and markdown-it 12 and 14 (with linkify): hostile names render as text, no element.

/** Text safe in HTML element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** JSON safe inside a <script> element: no "</script>", and no line separators JavaScript rejects. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

// Letters and digits are never Markdown or HTML syntax, whatever surrounds them. Punctuation
// can be ("1." or "-" opening a list, ":" or "." completing an autolink such as http://… or
// www.…, "@" an e-mail link), and so can spaces at the edges (indentation makes a code block, two
// before a line break a <br>), so those become references too.
const PLAIN = /[A-Za-z0-9]/;

/**
 * Text shown literally in Markdown (inline, anywhere on a line): every other character as a
 * numeric reference, line breaks as spaces, so no name can open a tag, a link or an autolink, a
 * code span, emphasis, a list or a table cell in any of the renderers above.
 */
export function markdownText(text: string): string {
  const chars = [...text.replace(/\r\n?|\n/g, " ")];
  return chars.map((ch, i) => (PLAIN.test(ch) || (ch === " " && i > 0 && i < chars.length - 1) ? ch : `&#${ch.codePointAt(0)};`)).join("");
}

/** A value shown as code in Markdown (a path, a file name), whatever characters it holds. */
export function markdownCode(text: string): string {
  return `<code>${markdownText(text)}</code>`;
}
