// The one escaping module. That its Markdown renders as text in every renderer a user meets is
// checked end to end by hostile-names.test.ts (nbconvert's HTML and Notebook 6's marked).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, markdownCode, markdownText, scriptJson } from "../../lib/notebook/escape";

/** What a renderer shows for numeric character references. */
const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

const HOSTILE = [
  "r<img src=x onerror=alert(1)>",
  "a`b``c",
  "](javascript:alert(1))",
  `"q' onmouseover="alert(2)"`,
  "http://x.example www.x.example a@b.co",
  "1. - + > # *em* _u_ ~~s~~ | $x$ \\",
  "    indented",
  "é 😀 \u2028",
];

describe("escapeHtml", () => {
  it("escapes what would open a tag, an entity or end a quoted attribute", () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;");
  });
});

describe("scriptJson", () => {
  it("cannot close the script element and keeps line separators JavaScript accepts", () => {
    const json = scriptJson({ title: "</script><script>alert(1)</script>", line: "a\u2028b" });
    assert.doesNotMatch(json, /<\/script/i);
    assert.equal(json, '{"title":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>","line":"a\\u2028b"}');
    assert.deepEqual(JSON.parse(json), { title: "</script><script>alert(1)</script>", line: "a\u2028b" });
  });
});

describe("markdownText", () => {
  it("keeps letters, digits and inner spaces, and writes everything else as numeric references", () => {
    assert.equal(markdownText("data 2026"), "data 2026");
    assert.equal(markdownText("a<b>`c`"), "a&#60;b&#62;&#96;c&#96;");
    assert.equal(markdownText("reports/x-1.json"), "reports&#47;x&#45;1&#46;json");
    assert.equal(markdownText(" x "), "&#32;x&#32;", "edge spaces could indent a line or end one with a break");
    assert.equal(markdownText("😀"), "&#128512;");
  });

  it("turns line breaks into spaces, so a name stays on its line", () => {
    assert.equal(markdownText("a\nb\r\nc\rd"), "a b c d");
  });

  it("leaves no character any renderer reads as syntax, and shows the name itself", () => {
    for (const name of HOSTILE) {
      const md = markdownText(name);
      assert.match(md, /^[A-Za-z0-9 &#;]*$/, name);
      assert.equal(decode(md), name, name);
    }
  });
});

describe("markdownCode", () => {
  it("is the escaped text in a code element, whatever backticks it holds", () => {
    assert.equal(markdownCode("a`b"), "<code>a&#96;b</code>");
  });
});
