// The HTML a report page gains (page-parts.ts, page.ts), as pure functions of a page and its notebook.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Notebook } from "../../lib/report/ipynb";
import { decoratePage } from "../../lib/report/page";
import { markCellTimes, pageHeadings, runHeaderHtml, tocHtml } from "../../lib/report/page-parts";
import type { RunInfo } from "../../lib/report/run-info";

const INFO: RunInfo = { parameters: { PAIR: [4, 9], TRAIN_CSV: "data/<x>.csv" }, git: { commit: "abc1234", modified: true }, date: "2026-11-30T10:00:00.000Z", kernel: "tslab", kernelVersion: "1.0.22", node: "v20.0.0", cores: 2, seconds: 75.4 };

const notebook = (durations: (number | null)[]): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: durations.map((d) => (d === null ? { cell_type: "markdown", source: "## A", metadata: {} } : { cell_type: "code", source: "1", metadata: { timing: { start: "", end: "", duration: d } }, outputs: [] })),
});

const PAGE =
  '<html><head><title>t</title></head><body class="jp-Notebook">' +
  '<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell"><h2 id="Data-&amp;-folds">Data &amp; <em>folds</em><a class="anchor-link" href="#Data-&amp;-folds">&#182;</a></h2></div>' +
  '<div class="jp-Cell jp-CodeCell jp-Notebook-cell   "><h3 id="Sub">Sub<a class="anchor-link" href="#Sub">&#182;</a></h3></div>' +
  "</body></html>";

describe("report page parts", () => {
  it("lists h2 headings with their h3s nested, keeping nbconvert's escaping and dropping the anchor", () => {
    const headings = pageHeadings(PAGE);
    assert.deepEqual(headings, [{ level: 2, id: "Data-&amp;-folds", html: "Data &amp; folds" }, { level: 3, id: "Sub", html: "Sub" }]);
    assert.equal(
      tocHtml(headings).replace(/^.*?<ul>/, "<ul>"),
      '<ul><li><a href="#Data-&amp;amp;-folds">Data &amp; folds</a><ul><li><a href="#Sub">Sub</a></li></ul></li></ul></nav>',
    );
  });

  it("escapes parameters and says modified, not a git checkout and not recorded", () => {
    const header = runHeaderHtml(INFO);
    assert.match(header, /<td>abc1234 \(modified\)<\/td>/);
    assert.match(header, /<td>data\/&lt;x&gt;\.csv<\/td>/);
    assert.match(header, /<td>\[4,9\]<\/td>/);
    assert.match(header, /<td>1 min 15 s<\/td>/);
    const bare = runHeaderHtml({ ...INFO, git: null, parameters: null, seconds: null });
    assert.match(bare, /not a git checkout/);
    assert.match(bare, /<th scope="row">parameters<\/th><td>not recorded<\/td>/);
  });

  it("marks only cells that took over a second, and nothing when the cells do not line up", () => {
    assert.equal(markCellTimes(PAGE, notebook([null, 2.5])).match(/data-digits-cell-time="2.5"/g)?.length, 1);
    assert.equal(markCellTimes(PAGE, notebook([null, 0.9])), PAGE);
    assert.equal(markCellTimes(PAGE, notebook([null, 2.5, 3])), PAGE);
  });

  it("puts style in the head, toolbar, header and contents first in the body, the script last", () => {
    const page = decoratePage(PAGE, notebook([null, 2.5]), INFO);
    assert.ok(page.indexOf("<style data-digits-page>") < page.indexOf("</head>"));
    const body = page.indexOf('<body class="jp-Notebook">');
    assert.ok(body < page.indexOf("data-digits-toggle-code") && page.indexOf("data-digits-toggle-code") < page.indexOf("data-digits-run-info"));
    assert.ok(page.indexOf("data-digits-run-info") < page.indexOf("data-digits-toc") && page.indexOf("data-digits-toc") < page.indexOf('<div class="jp-Cell'));
    assert.ok(page.indexOf("<script data-digits-page>") > page.lastIndexOf("</div>") && page.indexOf("<script data-digits-page>") < page.indexOf("</body>"));
    assert.doesNotMatch(decoratePage(PAGE, notebook([null, 2.5]), INFO, { noInput: true }), /<button[^>]*data-digits-toggle-code/);
  });
});
