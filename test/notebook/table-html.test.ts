import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { tableData, tableHtml, tableText } from "../../lib/notebook/table-html";

describe("table-html", () => {
  it("reads a danfo-like DataFrame: columns, values, and the index when it is not 0, 1, 2…", () => {
    const frame = { columns: ["a", "b"], values: [[1, 2.5], [3, 4]], index: ["x", "y"] };
    assert.deepEqual(tableData(frame), { columns: ["", "a", "b"], rows: [["x", 1, 2.5], ["y", 3, 4]] });
    assert.deepEqual(tableData({ ...frame, index: [0, 1] }), { columns: ["a", "b"], rows: [[1, 2.5], [3, 4]] });
  });

  it("reads rows as objects, and a Series as index and value", () => {
    assert.deepEqual(tableData([{ a: 1 }, { a: 2, b: "x" }]), { columns: ["a", "b"], rows: [[1, undefined], [2, "x"]] });
    assert.deepEqual(tableData({ values: [5, 6], index: ["p", "q"] }), { columns: ["", "value"], rows: [["p", 5], ["q", 6]] });
  });

  it("renders an HTML table with a caption, escaped cells and numbers right-aligned", () => {
    const html = tableHtml([{ name: "<b>", score: 0.5 }], { caption: "Scores & more" });
    assert.match(html, /<table class="dataframe"/);
    assert.match(html, /<caption[^>]*>Scores &amp; more<\/caption>/);
    assert.match(html, /<td>&lt;b&gt;<\/td>/);
    assert.match(html, /<td style="text-align:right">0\.5000<\/td>/);
  });

  it("elides the middle of wide and long tables and says the full shape", () => {
    const columns = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 100 }, (_, r) => columns.map((_, c) => r * 100 + c));
    const html = tableHtml({ columns, rows }, { maxColumns: 4, maxRows: 6 });
    const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(headers, ["c0", "c1", "…", "c28", "c29"]);
    assert.equal(html.match(/<tr>/g)?.length, 1 + 6 + 1);
    assert.match(html, /100 rows × 30 columns/);
  });

  it("shows an integer in a column of fractions with the same decimals", () => {
    const html = tableHtml([{ recall: 1 }, { recall: 0.99881 }], { digits: 5 });
    assert.match(html, />1\.00000</);
  });

  it("writes the same table as plain text, elided alike, for output outside a notebook", () => {
    const text = tableText([{ set: "test", recall: 1 }, { set: "train", recall: 0.99881 }], { caption: "Scores", digits: 5 });
    assert.equal(text, ["Scores", "set     recall", "-----  -------", "test   1.00000", "train  0.99881"].join("\n"));
    const columns = ["a", "b", "c", "d", "e"];
    const wide = tableText({ columns, rows: [[1, 2, 3, 4, 5]] }, { maxColumns: 2 });
    assert.equal(wide.split("\n")[0], "a  …  e");
    assert.match(wide, /\(1 rows × 5 columns\)$/);
  });
});
