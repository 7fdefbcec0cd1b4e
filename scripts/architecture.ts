// The shape of lib/, read from the sources with the TypeScript compiler: which module imports which
// (static and dynamic imports, re-exports, `import("…")` types, require, and the lib/ modules a
// thread is started on), the stage of each module, and the size of each file and function.
// test/architecture.test.ts checks the rules on it; run this file to print the folder diagram of
// docs/architecture.md:  node --import tsx scripts/architecture.ts
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

export const ROOT = path.join(__dirname, "..");
export const LIB = path.join(ROOT, "lib");

/** The stages, lowest first: a module may import its own stage and the stages before it. */
export const STAGES = ["core", "data", "model", "evaluation", "selection", "pairs", "charts", "notebook", "report"] as const;
export type Stage = (typeof STAGES)[number];

/** Folders inside a stage: part of it (no order between them and the stage's other modules). */
export const SUBFOLDERS: Readonly<Record<string, Stage>> = { "selection/queue": "selection", "notebook/draw": "notebook", "notebook/lab": "notebook" };

/** One import of one module by another, paths relative to the project root (lib/core/pair.ts). */
export interface ImportEdge {
  from: string;
  line: number;
  specifier: string;
  /** The file it resolves to, relative to the root; null when no file answers to it. */
  to: string | null;
  typeOnly: boolean;
  /** A thread started on the module (threadEntry), not an import: it runs in its own module instance. */
  thread: boolean;
}

/** Every .ts file under `dir`, relative to the root, sorted. */
export function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => path.relative(ROOT, path.join(dir, f)).split(path.sep).join("/"))
    .sort();
}

export function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
}

const lineOf = (source: ts.SourceFile, node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

/** The file a relative specifier names (x.ts or x/index.ts), relative to the root, or null. */
function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(ROOT, path.dirname(from), specifier.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate)) return path.relative(ROOT, candidate).split(path.sep).join("/");
  }
  return null;
}

/**
 * The files one file imports by relative path, found by the compiler's import scanner
 * (ts.preProcessFile) rather than a parse: a fifth of the time, for the test runner, which reads
 * every test file's imports before the first test starts. The same files as importsOf's (imports,
 * re-exports, require and import(); test/runner.test.ts checks it on every module of test/).
 */
export function importedFiles(file: string): string[] {
  const { importedFiles: imported } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
  return imported.map((i) => i.fileName).filter((s) => s.startsWith(".")).flatMap((s) => resolve(file, s) ?? []);
}

/** The relative imports of one file, of every kind, in source order. */
export function importsOf(file: string): ImportEdge[] {
  const source = parse(file);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, to = resolve(file, specifier), thread = false) => {
    edges.push({ from: file, line: lineOf(source, node), specifier, to, typeOnly, thread });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : node;
      const typeOnly = !!clause && "isTypeOnly" in clause && clause.isTypeOnly;
      if (node.moduleSpecifier.text.startsWith(".")) add(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr) && expr.text.startsWith(".")) add(node, expr.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      if (node.argument.literal.text.startsWith(".")) add(node, node.argument.literal.text, true);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const text = node.arguments[0].text;
      const callee = node.expression;
      if ((callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) && text.startsWith(".")) {
        add(node, text, false);
      } else if (ts.isIdentifier(callee) && callee.text === "threadEntry") {
        // threadEntry("pairs/pair-thread") starts a thread on lib/pairs/pair-thread.ts: a dependency too.
        const target = `lib/${text}.ts`;
        add(node, text, false, fs.existsSync(path.join(ROOT, target)) ? target : null, true);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The folder a lib/ module belongs to ("selection/queue" for lib/selection/queue/coordinator.ts), or null outside lib/. */
export function folderOf(file: string): string | null {
  const parts = file.split("/");
  if (parts[0] !== "lib" || parts.length < 3) return null;
  const sub = parts.length > 3 ? `${parts[1]}/${parts[2]}` : null;
  return sub && sub in SUBFOLDERS ? sub : parts[1];
}

/** The stage of a lib/ folder, or null for a folder that is not a stage. */
export function stageOf(folder: string): Stage | null {
  if (folder in SUBFOLDERS) return SUBFOLDERS[folder];
  return (STAGES as readonly string[]).includes(folder) ? (folder as Stage) : null;
}

/** Every relative import of every lib/ module. */
export function libImports(): ImportEdge[] {
  return sourceFiles(LIB).flatMap(importsOf);
}

/** Folder → folders it imports (not itself), each sorted: the diagram's arrows. */
export function folderGraph(edges: readonly ImportEdge[]): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = edge.to && folderOf(edge.to);
    if (!from || !to || from === to) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  const order = (f: string) => [STAGES.indexOf(stageOf(f) ?? ("" as Stage)), f] as const;
  const byStage = (a: string, b: string) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1].localeCompare(y[1]);
  };
  return new Map([...graph.keys()].sort(byStage).map((f) => [f, [...graph.get(f)!].sort(byStage)]));
}

/** The mermaid lines of the folder diagram, one arrow per folder that imports another. */
export function mermaidEdges(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const id = (folder: string) => folder.replace("/", "_");
  return [...graph].flatMap(([from, tos]) => tos.map((to) => `  ${id(from)} --> ${id(to)}`));
}

/**
 * Import cycles between modules: each strongly connected component of more than one module (or a
 * module importing itself). Type-only imports count; threads started on a module do not (a thread
 * entry imports the module that starts it, in its own thread).
 */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.to && !e.thread) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's algorithm, iterative enough for a few hundred modules.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of [...new Set(edges.flatMap((e) => [e.from, e.to ?? e.from]))].sort()) if (!index.has(v)) connect(v);
  return found;
}

/** A function (declaration, method, arrow, expression, accessor, constructor) and its length in lines. */
export interface FunctionSize {
  file: string;
  line: number;
  name: string;
  lines: number;
}

/** Every function of a file with its length, from its first token to its closing brace (nested functions count in their parent too). */
export function functionSizes(file: string): FunctionSize[] {
  const source = parse(file);
  const sizes: FunctionSize[] = [];
  const nameOf = (node: ts.FunctionLikeDeclaration): string => {
    if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))) return node.name.text;
    if (ts.isConstructorDeclaration(node)) return "constructor";
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    return "(anonymous)";
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const start = lineOf(source, fn);
      const end = source.getLineAndCharacterOfPosition(fn.getEnd()).line + 1;
      sizes.push({ file, line: start, name: nameOf(fn), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sizes;
}

/** Lines of a file, as `wc -l` counts them (a final line without a newline counts too). */
export function fileLines(file: string): number {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

if (require.main === module) {
  console.log("```mermaid\nflowchart TD");
  for (const line of mermaidEdges(folderGraph(libImports()))) console.log(line);
  console.log("```");
}
