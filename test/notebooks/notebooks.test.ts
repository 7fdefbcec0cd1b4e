// The committed notebooks: clean (no outputs), on the tslab kernel, parameters first, importing the
// compiled lib/, thin cells. And the notebook-JSON helpers behind `npm run clean-notebooks` and
// the report's error messages.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cellErrors, cellSource, describeCell, formatNotebook, stripOutputs, uncleanCells, withCellIds, type Notebook } from "../../lib/report/ipynb";
import { outputsOfType } from "../support/notebook-outputs";
import { NOTEBOOKS } from "../../lib/report/report";

const root = join(__dirname, "..", "..");
const load = (name: string) => JSON.parse(readFileSync(join(root, "notebooks", `${name}.ipynb`), "utf8")) as Notebook;

describe("the committed notebooks", () => {
  for (const name of NOTEBOOKS) {
    describe(name, () => {
      const nb = load(name);
      const code = nb.cells.filter((c) => c.cell_type === "code");

      it("has no outputs or execution counts (npm run clean-notebooks)", () => {
        assert.deepEqual(uncleanCells(nb), []);
      });

      it("runs on the tslab kernel", () => {
        assert.equal((nb.metadata.kernelspec as { name: string }).name, "tslab");
      });

      it("opens with a title, then a parameters cell that environment variables override", () => {
        assert.equal(nb.cells[0].cell_type, "markdown");
        assert.match(cellSource(nb.cells[0]), /^# 0\d · /);
        const params = cellSource(code[0]);
        assert.match(params, /^\/\/ Parameters\./);
        assert.match(params, /from "\.\.\/dist\/lib\/notebook\/index\.js"/);
        // Read and checked by the notebook's reader in lib/notebook/params.ts, the one npm run report checks first.
        assert.match(params, /^} = (exploration|selection|training)Parameters\(\);$/m);
      });

      it("imports lib/ through its compiled output only (tslab compiles cells with rootDir = notebooks/)", () => {
        for (const cell of code) {
          for (const match of cellSource(cell).matchAll(/from "([^"]+)"/g)) {
            assert.match(match[1], /^(\.\.\/dist\/lib\/[a-z]+\/index\.js|danfojs-node)$/, `${name}: import from "${match[1]}"`);
          }
        }
      });

      it("sends plotly.js from its imports cell (setupCharts), so re-running a chart cell cannot lose it", () => {
        const callers = code.filter((c) => /^setupCharts\(\);/m.test(cellSource(c)));
        assert.equal(callers.length, 1, `${name}: setupCharts() should be called once`);
        assert.match(cellSource(callers[0]), /from "\.\.\/dist\/lib\/notebook\/index\.js"/, `${name}: setupCharts() belongs in the imports cell`);
        assert.ok(code.indexOf(callers[0]) < code.findIndex((c) => /\bshow\(/.test(cellSource(c))), `${name}: setupCharts() after a chart`);
      });

      it("loads every CSV with the pair parameter (DIGITS_PAIR; ten-class files keep the pair's rows)", () => {
        // The readers take the CSVs' defaults from the pair (test/notebook/params.test.ts).
        assert.match(cellSource(code[0]), /^ {2}PAIR, \/\/ DIGITS_PAIR=4,9/m);
        assert.match(cellSource(code[0]), /^ {2}TRAIN_CSV, \/\/ DIGITS_TRAIN_CSV/m);
        const loads = code.flatMap((c) => [...cellSource(c).matchAll(/loadCsv\(([^)]*)\)/g)].map((m) => m[1]));
        // runExperiment loads its CSV itself (notebook 02): with the pair too.
        const runs = code.flatMap((c) => [...cellSource(c).matchAll(/runExperiment\(\{([^}]*)\}\)/g)].map((m) => m[1]));
        assert.ok(loads.length + runs.length > 0);
        for (const args of loads) assert.match(args, /, \{ pair: PAIR \}$/, `${name}: loadCsv(${args})`);
        for (const args of runs) assert.match(args, /\bdata: TRAIN_CSV, pair: PAIR\b/, `${name}: runExperiment({${args}})`);
      });

      it("states no finding of the default pair in its prose (findings are computed by lib/notebook/findings)", () => {
        const prose = nb.cells.filter((c) => c.cell_type === "markdown").map(cellSource).join("\n");
        assert.doesNotMatch(prose, /\bzeros\b|\bones (use|are|have|get)\b|use less ink|logistic regression (wins|has the lowest)|99\.\d+%/i);
      });

      it("keeps code cells thin (the work is in lib/) and explains them in markdown", () => {
        for (const cell of code.slice(1)) {
          const lines = cellSource(cell).split("\n").filter((l) => l.trim() !== "");
          assert.ok(lines.length <= 12, `${name}: a cell of ${lines.length} lines:\n${cellSource(cell)}`);
        }
        const markdown = nb.cells.filter((c) => c.cell_type === "markdown").length;
        assert.ok(markdown >= code.length - 2, `${name}: ${markdown} markdown cells for ${code.length} code cells`);
      });
    });
  }
});

describe("notebook JSON helpers", () => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: ["# Title\n", "text"], metadata: {} },
      {
        cell_type: "code",
        source: "// comment\n\nshow(chart);",
        metadata: { execution: { "iopub.status.busy": "x" }, tags: ["keep"] },
        execution_count: 3,
        outputs: [
          { output_type: "display_data", data: { "text/html": ["<table>", "</table>"] }, metadata: {} },
          { output_type: "error", ename: "TypeError", evalue: "x is undefined", traceback: [] },
        ],
      },
    ],
  };

  it("names a cell by position, kind and first line of code", () => {
    assert.equal(describeCell(nb, 1), "cell 2 (code cell 1: `show(chart);`)");
    assert.equal(describeCell(nb, 0), "cell 1 (markdown cell 1: `# Title`)");
  });

  it("finds error outputs and outputs of a MIME type", () => {
    assert.deepEqual(cellErrors(nb), [{ index: 1, ename: "TypeError", evalue: "x is undefined" }]);
    assert.deepEqual(outputsOfType(nb, "text/html"), ["<table></table>"]);
  });

  it("strips outputs, counts and execution metadata, keeping everything else; a cell without an id is unclean too", () => {
    assert.deepEqual(uncleanCells(nb), [
      "cell 1 (markdown cell 1: `# Title`) has no id",
      "cell 2 (code cell 1: `show(chart);`) has no id",
      "cell 2 (code cell 1: `show(chart);`) has outputs",
      "cell 2 (code cell 1: `show(chart);`) has an execution count",
    ]);
    const clean = withCellIds(stripOutputs(nb));
    assert.deepEqual(uncleanCells(clean), []);
    assert.deepEqual(clean.cells[1].metadata, { tags: ["keep"] });
    assert.equal(clean.cells[1].source, nb.cells[1].source);
    assert.ok(formatNotebook(clean).endsWith("}\n"));
  });

  it("gives each cell without an id one made of its first words, unique, keeping ids it has", () => {
    const cells = [
      { cell_type: "markdown" as const, source: "## Which differences are real?", metadata: {} },
      { cell_type: "code" as const, source: "// Parameters. Environment variables override them", metadata: {}, id: "params" },
      { cell_type: "markdown" as const, source: "## Which differences are real? Again", metadata: {} },
      { cell_type: "code" as const, source: "", metadata: {} },
    ];
    const ids = withCellIds({ ...nb, cells }).cells.map((c) => c.id);
    assert.deepEqual(ids, ["which-differences-are-real", "params", "which-differences-are-real-2", "cell"]);
    assert.deepEqual(Object.keys(withCellIds({ ...nb, cells }).cells[0]), ["cell_type", "id", "metadata", "source"], "keys in Jupyter's sorted order");
  });
});
