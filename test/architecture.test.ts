// The shape of lib/, read from its sources (scripts/architecture.ts): every module sits in a stage
// folder, stages import only themselves and the stages below them, no module imports a folder's
// index.ts or anything outside lib/, no two modules import each other even indirectly, and the
// diagram of docs/architecture.md is the code's, and no file passes 400 lines nor any function 80.
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
