// The shape of lib/, read from its sources (scripts/architecture.ts): every module sits in a stage
// folder, stages import only themselves and the stages below them, no module imports a folder's
// index.ts or anything outside lib/, no two modules import each other even indirectly, and the
// diagram of docs/architecture.md is the code's, and no file passes 400 lines nor any function 80.
// Also: no comment, test name or page of docs/ names a path that no longer exists (what counts as
// a mention: scripts/stale-paths.ts), and no export of lib/ or cli/ is used by tests alone or by
// nothing (what counts as a use: scripts/unused-exports.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import {
  cycles,
  fileLines,
  folderGraph,
  folderOf,
  functionSizes,
  libImports,
  LIB,
  mermaidEdges,
  parse,
  ROOT,
  sourceFiles,
  stageOf,
  STAGES,
  type ImportEdge,
} from "../scripts/architecture";
import { project, staleMentions, stalePaths } from "../scripts/stale-paths";
import { unusedExports, type UnusedExport } from "../scripts/unused-exports";
import { twinGaps } from "../scripts/twins";
import ts from "typescript";

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const edges = libImports();

/** The import() calls of `file` that may load a module of the project: of a relative path, or of one computed. */
function projectImportCalls(file: string): string[] {
  const source = parse(file);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (!(argument && ts.isStringLiteralLike(argument) && !argument.text.startsWith("."))) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push(`${file}:${line}: import(${argument ? argument.getText(source) : ""})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
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

  test("no module of lib/, cli/ or scripts/ loads one of the project's modules with import(): the tests run them through tsx's CommonJS hook, which import() bypasses (a lazy load is a require)", () => {
    const files = ["lib", "cli", "scripts"].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    assert.deepEqual(files.flatMap(projectImportCalls), []);
  });

  test("the detection: import() of a relative path or of a computed one is found, across lines; of a package, or as a type, it is not", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "dynamic-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "m.ts");
    writeFileSync(file, 'async function f(p: string) {\n  await import(\n    "./a"\n  );\n  await import(p);\n  await import("playwright-core");\n  return require("./b") as typeof import("./b");\n}\n');
    const inRoot = relative(ROOT, file);
    assert.deepEqual(projectImportCalls(inRoot).map((found) => found.replace(inRoot, "m.ts")), ["m.ts:2: import(\"./a\")", "m.ts:5: import(p)"]);
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
    const paths = project();
    // Split, so that this file names no missing path itself.
    const gone = "lib/" + "core/engine.ts";
    const found = (file: string, text: string) => staleMentions(file, text, paths).map((s) => `${s.line} ${s.path}`);

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

/** Exports that stay although no module uses them, each with its reason: "file name" → why. */
const ALLOWED_EXPORTS: Readonly<Record<string, string>> = {
  "lib/notebook/draw/page/main.ts start": "the page bundle's entry point: the widget's inline script calls it (lib/notebook/draw/draw.ts)",
  "cli/command-line.ts commands": "test/readme.test.ts checks docs/cli.md against the CLI's own table of commands and flags",
  "lib/core/files.ts setFileWriter": "the seam through which tests give writeFileAtomic short writes and disk errors (a full disk cannot be made on every machine)",
  "lib/notebook/display.ts setDisplaySink": "the seam through which tests receive what display would show in a kernel (tslab's display exists only inside one)",
  "lib/selection/record-diff.ts experimentsDataFrame": "notebook 02's prose offers it to the reader for their own analysis",
  "lib/notebook/lab/page/main.ts start": "the lab's page bundle's entry point: each panel's inline script calls it (lib/notebook/lab/lab-html.ts)",
};

/**
 * Exports that only tests use, found when this check was written (issue 27) and not yet moved
 * behind their modules: each is to be tested through the module that uses it, or moved to
 * test/support, and then taken off this list. The list only shrinks: an entry that is no longer
 * unused (fixed, renamed or deleted) fails the test that checks these lists, until removed here.
 */
const NOT_YET_BEHIND_THEIR_MODULES: readonly string[] = [
  "lib/charts/digits.ts digitGridFigure",
  "lib/charts/explore.ts classHistogram",
  "lib/core/format.ts bar",
  "lib/core/format.ts percentDone",
  "lib/data/explore.ts describe",
  "lib/evaluation/calibration.ts binOf",
  "lib/evaluation/metrics.ts confusionMatrix",
  "lib/evaluation/metrics.ts auc",
  "lib/evaluation/metrics.ts rocAuc",
  "lib/model/persist.ts saveModel",
  "lib/model/train.ts hasDiverged",
  "lib/notebook/display.ts DisplayMessage",
  "lib/notebook/display.ts tslabBundleWriter",
  "lib/notebook/draw/embed.ts rowPixels",
  "lib/notebook/draw/widget.ts drawPadBundle",
  "lib/notebook/findings.ts thresholdAccuracy",
  "lib/notebook/plotly.ts plotlyBundle",
  "lib/notebook/plotly.ts PLOT_CONFIG",
  "lib/notebook/plotly.ts typedArray",
  "lib/notebook/plotly.ts plotlyJson",
  "lib/notebook/table-html.ts tableData",
  "lib/pairs/images.ts digitRows",
  "lib/pairs/record.ts pairsRecordChecksum",
  "lib/pairs/record.ts pairsRecordProblem",
  "lib/report/jupyter.ts KERNEL_NAMES",
  "lib/report/jupyter.ts kernelDataDir",
  "lib/report/jupyter.ts kernelSpec",
  "lib/report/jupyter.ts installKernel",
  "lib/report/jupyter.ts denoPlatformPackage",
  "lib/report/jupyter.ts denoBinary",
  "lib/report/jupyter.ts denoKernelSpec",
  "lib/report/page.ts decoratePage",
  "lib/report/pdf.ts requireChromium",
  "lib/report/pdf.ts launchChromium",
  "lib/report/report.ts NOTEBOOKS",
  "lib/report/report.ts selectNotebooks",
  "lib/selection/record-diff.ts experimentRows",
  "lib/selection/candidate-tests.ts compareScores",
  "lib/selection/experiments.ts matchIds",
  "lib/selection/one-se.ts standardError",
  "lib/selection/queue/jobs.ts encodeDataset",
  "lib/selection/queue/jobs.ts encodeResult",
  "lib/selection/queue/jobs.ts decodeResult",
  "lib/core/pool.ts THREAD_BYTES",
  "lib/notebook/params.ts envString",
  "lib/notebook/params.ts envInt",
  "lib/notebook/params.ts envNumber",
  "lib/notebook/params.ts envGrid",
  "lib/notebook/params.ts envNumbers",
  "lib/notebook/params.ts envActivations",
];

/** What is wrong with an unused export, and what to do about it. */
function describeUnused(u: UnusedExport): string {
  const at = `${u.file}:${u.line} ${u.name} (${u.kind})`;
  const tests = u.tests.join(", ");
  if (u.tests.length > 0 && u.usedInside) return `${at}: only its own module and tests (${tests}) use it: drop the export, and test it through the module's exports`;
  if (u.tests.length > 0) return `${at}: only tests (${tests}) use it: test what it serves through the module that uses it, or move it to test/support`;
  return u.usedInside ? `${at}: only its own module uses it: drop the export` : `${at}: nothing uses it: delete it`;
}

let unusedFound: UnusedExport[] | undefined;
/** The unused exports of the project, found once for the tests that need them (the compiler takes seconds). */
const unused = () => (unusedFound ??= unusedExports());

describe("page twins", () => {
  test("each X.page.ts stands beside its Node module X.ts and offers every value X.ts exports", () => {
    assert.deepEqual(twinGaps(), []);
  });

  test("the detection: a twin without a module, and a value its module exports that the twin lacks, are found", (t) => {
    const root = mkdtempSync(join(tmpdir(), "twins-"));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    // Paths built from parts, so that the stale-path check does not read them as the project's own.
    const at = (name: string) => `lib/core/${name}`;
    mkdirSync(join(root, "lib", "core"), { recursive: true });
    writeFileSync(join(root, at("a.ts")), "export function start(): void {}\nexport const SIZE = 2;\nexport interface Shape { n: number }\n");
    writeFileSync(join(root, at("a.page.ts")), "export function start(): void {}\nexport function extra(): void {}\n");
    writeFileSync(join(root, at("b.page.ts")), "export function alone(): void {}\n");
    assert.deepEqual(twinGaps(root), [
      `${at("a.page.ts")} lacks SIZE, which ${at("a.ts")} exports`,
      `${at("b.page.ts")} has no Node module beside it (${at("b.ts")}): a page twin stands in for one`,
    ]);
  });
});

describe("exports", () => {
  test("every export of lib/ and cli/ is used by another module or a notebook, not by tests alone", (t) => {
    const listed = new Set([...Object.keys(ALLOWED_EXPORTS), ...NOT_YET_BEHIND_THEIR_MODULES]);
    const found = unused().filter((u) => !listed.has(`${u.file} ${u.name}`)).map(describeUnused);
    for (const line of found) t.diagnostic(line);
    t.diagnostic(`${NOT_YET_BEHIND_THEIR_MODULES.length} more, used by tests alone, are listed in NOT_YET_BEHIND_THEIR_MODULES`);
    assert.deepEqual(found, []);
  });

  test("the allow-list and the list of exports not yet behind their modules name only exports that are still unused", () => {
    const found = new Set(unused().map((u) => `${u.file} ${u.name}`));
    const gone = [...Object.keys(ALLOWED_EXPORTS), ...NOT_YET_BEHIND_THEIR_MODULES].filter((k) => !found.has(k));
    assert.deepEqual(gone, [], "these are used now (or renamed, or deleted): take them off the list");
  });

  test("the detection: exports used only inside, only by tests or by nothing are found; imports, namespaces, dynamic imports, notebooks and signatures count as uses", (t) => {
    const root = mkdtempSync(join(tmpdir(), "unused-exports-"));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    write("lib/core/a.ts", [
      "export interface Options { size: Size }",
      "export type Size = number;",
      "export interface Hidden { x: number }",
      "export function used(o: Options): number { return o.size + helper(); }",
      "export function helper(): number { const h: Hidden = { x: 1 }; return h.x; }",
      "export function testedOnly(): number { return 2; }",
      "export function dead(): number { return 3; }",
      "export const viaNotebook = 4;",
      "export function viaDynamicImport(): number { return 5; }",
    ].join("\n"));
    write("lib/core/index.ts", 'export * from "./a";\n');
    write("cli/main.ts", 'import { used } from "../lib/core/a";\nexport async function run(): Promise<number> {\n  const { viaDynamicImport } = await import("../lib/core/a");\n  return used({ size: 1 }) + viaDynamicImport();\n}\n');
    write("scripts/start.ts", 'import { run } from "../cli/main";\nvoid run();\n');
    // Split, so that this file names no missing path itself.
    const testFile = "test/" + "a.test.ts";
    write(testFile, 'import { dead, testedOnly } from "../lib/core/a";\nconsole.log(testedOnly(), typeof dead);\n');
    write("notebooks/n.ipynb", JSON.stringify({ cells: [{ cell_type: "code", source: ['import * as core from "../dist/lib/core/index.js";\n', "core.viaNotebook;"] }] }));
    const found = unusedExports(root).map((u) => `${u.line} ${u.name} ${u.kind}${u.usedInside ? " inside" : ""} [${u.tests.join(" ")}]`);
    assert.deepEqual(found, ["3 Hidden type inside []", "5 helper value inside []", `6 testedOnly value [${testFile}]`, `7 dead value [${testFile}]`]);
  });
});
