// The shape of lib/, read from its sources (scripts/architecture.ts): every module sits in a stage
// folder, stages import only themselves and the stages below them, no module imports a folder's
// index.ts or anything outside lib/, no two modules import each other even indirectly, and the
// diagram of docs/architecture.md is the code's, and no file passes 400 lines nor any function 80.
// Also: no comment, test name or page of docs/ names a path that no longer exists (what counts as
// a mention: scripts/stale-paths.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  cycles,
  fileLines,
  folderGraph,
  folderOf,
  functionSizes,
  libImports,
  LIB,
  mermaidEdges,
  ROOT,
  sourceFiles,
  stageOf,
  STAGES,
  type ImportEdge,
} from "../scripts/architecture";
import { projectFiles, staleMentions, stalePaths } from "../scripts/stale-paths";

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const edges = libImports();
const where = (e: ImportEdge) => `${e.from}:${e.line} imports "${e.specifier}"`;
const rank = (file: string) => STAGES.indexOf(stageOf(folderOf(file) ?? "")!);

describe("lib/'s stages", () => {
  test("every module is in a stage folder (core … report, or selection/queue, notebook/draw)", () => {
    const outside = sourceFiles(LIB).filter((f) => stageOf(folderOf(f) ?? "") === null);
    assert.deepEqual(outside, []);
  });

  test("every relative import names a file of lib/ that exists", () => {
    assert.deepEqual(edges.filter((e) => e.to === null).map(where), []);
    assert.deepEqual(edges.filter((e) => e.to !== null && !e.to.startsWith("lib/")).map((e) => `${where(e)}: outside lib/`), []);
  });

  test("a stage imports only itself and the stages below it: core < data < model < evaluation < selection < pairs < charts < notebook < report", () => {
    const upward = edges
      .filter((e) => e.to?.startsWith("lib/") && rank(e.to) > rank(e.from))
      .map((e) => `${where(e)}: ${stageOf(folderOf(e.from)!)} may import only ${STAGES.slice(0, rank(e.from) + 1).join(", ")}`);
    assert.deepEqual(upward, []);
  });

  test("no module imports a folder's index.ts (they are for the notebooks and the CLI)", () => {
    assert.deepEqual(edges.filter((e) => e.to?.endsWith("/index.ts")).map(where), []);
  });

  test("no import cycle between modules, type-only imports included", () => {
    assert.deepEqual(cycles(edges).map((c) => `these modules import each other: ${c.join(", ")}`), []);
  });

  test("docs/architecture.md's diagram has exactly the imports between folders that the code has", () => {
    const page = readFileSync(join(ROOT, "docs", "architecture.md"), "utf8");
    const block = /```mermaid\n([\s\S]*?)```/.exec(page);
    assert.ok(block, "docs/architecture.md has no mermaid diagram");
    const documented = block[1].split("\n").filter((l) => l.includes("-->")).map((l) => l.trim()).sort();
    const actual = mermaidEdges(folderGraph(edges)).map((l) => l.trim()).sort();
    assert.deepEqual(
      { missingFromDiagram: actual.filter((l) => !documented.includes(l)), notInCode: documented.filter((l) => !actual.includes(l)) },
      { missingFromDiagram: [], notInCode: [] },
      "regenerate the diagram with `node --import tsx scripts/architecture.ts`",
    );
  });
});

describe("the checks catch what they are for", () => {
  const edge = (from: string, to: string, thread = false): ImportEdge => ({ from, to, line: 1, specifier: to, typeOnly: false, thread });

  test("a cycle through three modules is found, and a thread entry importing its starter is not a cycle", () => {
    const found = cycles([edge("lib/a/x.ts", "lib/a/y.ts"), edge("lib/a/y.ts", "lib/a/z.ts"), edge("lib/a/z.ts", "lib/a/x.ts"), edge("lib/a/w.ts", "lib/a/x.ts")]);
    assert.deepEqual(found, [["lib/a/x.ts", "lib/a/y.ts", "lib/a/z.ts"]]);
    assert.deepEqual(cycles([edge("lib/pairs/pairs.ts", "lib/pairs/pair-thread.ts", true), edge("lib/pairs/pair-thread.ts", "lib/pairs/pairs.ts")]), []);
  });

  test("sub-folders belong to their stage; top-level files and unknown folders to none", () => {
    assert.equal(stageOf(folderOf("lib/selection/queue/worker.ts")!), "selection");
    assert.equal(stageOf(folderOf("lib/notebook/draw/draw.ts")!), "notebook");
    assert.equal(folderOf("lib/stray.ts"), null);
    assert.equal(stageOf(folderOf("lib/utils/x.ts")!), null);
  });
});

describe("sizes", () => {
  const files = sourceFiles(LIB);
  const functions = [...files, ...sourceFiles(join(ROOT, "cli"))].flatMap(functionSizes);

  test("the function measure sees declarations, methods, arrows and constructors with their lines", () => {
    const names = functionSizes("scripts/architecture.ts").map((f) => f.name);
    for (const name of ["sourceFiles", "importsOf", "visit", "connect"]) assert.ok(names.includes(name), `${name} not found in ${names.join(", ")}`);
    const fileLinesFn = functionSizes("scripts/architecture.ts").find((f) => f.name === "fileLines")!;
    assert.equal(fileLinesFn.lines, 4);
  });

  test(`no lib/ file over ${MAX_FILE_LINES} lines, no function of lib/ or cli/ over ${MAX_FUNCTION_LINES}`, (t) => {
    const longFiles = files.map((f) => ({ f, n: fileLines(f) })).filter(({ n }) => n > MAX_FILE_LINES).map(({ f, n }) => `${f}: ${n} lines`);
    const longFunctions = functions.filter((f) => f.lines > MAX_FUNCTION_LINES).map((f) => `${f.file}:${f.line} ${f.name}: ${f.lines} lines`);
    for (const line of [...longFiles, ...longFunctions]) t.diagnostic(line);
    assert.deepEqual({ longFiles, longFunctions }, { longFiles: [], longFunctions: [] });
  });
});

describe("paths named in comments, test names and docs", () => {
  test("every lib/, cli/, scripts/ or test/ path they name exists", (t) => {
    const stale = stalePaths().map((s) => `${s.file}:${s.line} names ${s.path}, which does not exist: name the file where it lives now`);
    for (const line of stale) t.diagnostic(line);
    assert.deepEqual(stale, []);
  });

  describe("the detection", () => {
    const files = projectFiles();
    // Split, so that this file names no missing path itself.
    const gone = "lib/" + "core/engine.ts";
    const found = (file: string, text: string) => staleMentions(file, text, files).map((s) => `${s.line} ${s.path}`);

    test("finds a missing path in a comment and in a string that is prose, not a live one nor a string that is a value", () => {
      const text = [
        `// The engine: lib/core/pair.ts and ${gone}.`,
        `const sentence = "see ${gone} for why";`,
        `const separator = "//", value = "${gone}";`,
        `/* lib/core/pool (a module named as imports name it), lib/selection/queue/ (a folder),`,
        `   ${gone.replace(".ts", ".js")} (its compiled name) */`,
      ].join("\n");
      assert.deepEqual(found("test/x.test.ts", text), [`1 ${gone}`, `2 ${gone}`, `5 ${gone.replace(".ts", ".js")}`]);
    });

    test("reads no path inside a longer one (dist/lib/…, ../lib/…), nor paths git ignores; a trailing slash must be a folder", () => {
      const file = "lib/core/pair.ts";
      const text = `// dist/${gone}, ../${gone}, test/render/dist/harness.js\n// ${file}/ and lib/core/`;
      assert.deepEqual(found("scripts/x.ts", text), [`2 ${file}/`]);
    });

    test("in lib/, a bare module name must be a module of lib/", () => {
      const text = "// as in data.ts and frame.ts";
      assert.deepEqual(found("lib/data/x.ts", text), ["1 data.ts"]);
      assert.deepEqual(found("test/data/x.test.ts", text), []);
    });

    test("reads a document whole, and a notebook's markdown and code comments on the lines of its JSON file", () => {
      assert.deepEqual(found("docs/x.md", `Run \`${gone}\` (or [this](../${gone})).\n`), [`1 ${gone}`]);
      const notebook = JSON.stringify({ cells: [{ cell_type: "markdown", source: ["Intro\n", `by ${gone}.`] }, { cell_type: "code", source: [`// ${gone}\n`, `const x = "${gone}";`] }] }, null, 1);
      const lines = notebook.split("\n");
      const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
      assert.deepEqual(found("notebooks/x.ipynb", notebook), [`${lineOf(`by ${gone}`)} ${gone}`, `${lineOf(`// ${gone}`)} ${gone}`]);
    });
  });
});
