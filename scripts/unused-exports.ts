// Exports of lib/ and cli/ that no module uses. An export is used when a module of lib/, cli/,
// scripts/ or bench/, or a notebook, imports it from another file: by name, through a namespace
// (charts.rocFigure), a dynamic import or an import("…") type. A notebook imports
// ../dist/lib/STAGE/index.js, read here as the stage's index.ts, whose `export *` leads to the
// module that declares the name. Re-exporting is not using: an index re-export that nothing
// imports leaves the export unused. Tests are not users either: a function that exists only so
// that it can be tested belongs behind the module it serves, and is tested through it.
//
// Types count, with one rule more: a type that the signature of a used export names (a parameter,
// a result, a field of a used interface) is used too, since it is part of that export's contract
// and a caller may need to name it; a type only the module's own code names is not.
//
// A page twin (X.page.ts, see ./twins) stands in for X.ts in a page: its export is used when X.ts's
// export of that name is, or when any module of lib/ imports the name from X (page code imports
// page-only names, provideKernels say, that the Node program read here cannot resolve).
//
// The modules are read with the TypeScript compiler, which follows aliases and `export *` as tsc
// does. Only relative imports are resolved: packages in node_modules are read as empty files,
// which is all the question needs, and many times faster than reading their declarations.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ROOT } from "./architecture";
import { namesImportedFromTwins } from "./twins";

/** An export no module uses, and where it is used otherwise. */
export interface UnusedExport {
  file: string;
  line: number;
  name: string;
  kind: "value" | "type";
  /** Whether its own module uses it (then only the `export` is superfluous). */
  usedInside: boolean;
  /** The test files that use it. */
  tests: string[];
}

/** Whose exports are checked. */
const CHECKED = ["lib", "cli"];
/** Whose imports make an export used (with the notebooks). */
const USERS = ["lib", "cli", "scripts", "bench"];
const TESTS = "test";

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ["lib.es2022.d.ts"],
  types: [],
  strict: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  noEmit: true,
};

/** The .ts modules under `dir` of `root`, relative to it (not declaration files, nor a nested package). */
function modules(root: string, dir: string): string[] {
  if (!fs.existsSync(path.join(root, dir))) return [];
  return (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.includes("node_modules/") && !f.startsWith("test/render/"));
}

/** Each notebook's code cells as one TypeScript module beside it, importing lib/'s sources where the cells import dist/. */
function notebookModules(root: string): Map<string, string> {
  const dir = path.join(root, "notebooks");
  const found = new Map<string, string>();
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")) : []) {
    const cells = (JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells;
    const code = cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
    found.set(path.join(dir, `${name}.ts`), code.join("\n").replace(/(["'])\.\.\/dist\/lib\/([^"']*?)(?:\.js)?\1/g, "$1../lib/$2$1"));
  }
  return found;
}

function program(root: string): ts.Program {
  const notebooks = notebookModules(root);
  const host = ts.createCompilerHost(OPTIONS);
  const libDir = path.dirname(ts.getDefaultLibFilePath(OPTIONS));
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    if (notebooks.has(file)) return ts.createSourceFile(file, notebooks.get(file)!, language, true);
    if (file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(libDir)) return ts.createSourceFile(file, "", language);
    return read(file, language, ...rest);
  };
  const exists = host.fileExists.bind(host);
  host.fileExists = (file) => notebooks.has(file) || exists(file);
  const roots = [...USERS, TESTS].flatMap((d) => modules(root, d)).map((f) => path.join(root, f));
  return ts.createProgram([...roots, ...notebooks.keys()], OPTIONS, host);
}

/** Every export of lib/ and cli/ (not the folders' index.ts) that no module uses; see the header. */
export function unusedExports(root = ROOT): UnusedExport[] {
  const prog = program(root);
  const checker = prog.getTypeChecker();
  const relative = (file: ts.SourceFile) => path.relative(root, file.fileName).split(path.sep).join("/");
  const resolve = (s: ts.Symbol | undefined) => (s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const checked = prog.getSourceFiles().filter((f) => {
    const file = relative(f);
    return CHECKED.includes(file.split("/")[0]) && !file.endsWith(".d.ts") && path.posix.basename(file) !== "index.ts";
  });
  // The symbols declared and exported by each checked module.
  const exported = new Map<ts.Symbol, ts.SourceFile>();
  for (const file of checked) {
    const module = checker.getSymbolAtLocation(file);
    for (const e of module ? checker.getExportsOfModule(module) : []) {
      const s = resolve(e);
      if (s?.declarations?.some((d) => d.getSourceFile() === file)) exported.set(s, file);
    }
  }
  const names = new Set([...exported.keys()].map((s) => s.name));
  const users = new Map<ts.Symbol, Set<string>>();
  for (const file of prog.getSourceFiles()) {
    const user = relative(file);
    if (user.startsWith("..") || user.includes("node_modules/")) continue;
    for (const s of referencedExports(file, checker, names)) if (exported.has(s)) users.set(s, (users.get(s) ?? new Set()).add(user));
  }
  const used = new Set([...users].filter(([s, by]) => [...by].some((u) => !u.startsWith(`${TESTS}/`) && u !== relative(exported.get(s)!))).map(([s]) => s));
  for (const s of signatureClosure([...used], checker)) if (exported.has(s)) used.add(s);
  markTwinUses(exported, used, relative, root);
  return [...exported]
    .filter(([s]) => !used.has(s))
    .map(([s, file]) => ({
      file: relative(file),
      line: file.getLineAndCharacterOfPosition(s.declarations!.find((d) => d.getSourceFile() === file)!.getStart(file)).line + 1,
      name: s.name,
      kind: s.flags & ts.SymbolFlags.Value ? ("value" as const) : ("type" as const),
      usedInside: users.get(s)?.has(relative(file)) ?? false,
      tests: [...(users.get(s) ?? [])].filter((u) => u.startsWith(`${TESTS}/`)).sort(),
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** A page twin's exports are used as its Node module's are, and as page code imports them (see the header). */
function markTwinUses(exported: Map<ts.Symbol, ts.SourceFile>, used: Set<ts.Symbol>, relative: (file: ts.SourceFile) => string, root: string): void {
  const imported = namesImportedFromTwins(root);
  const usedByModule = new Map<string, Set<string>>();
  for (const s of used) {
    const file = relative(exported.get(s)!).replace(/\.ts$/, "");
    usedByModule.set(file, (usedByModule.get(file) ?? new Set()).add(s.name));
  }
  for (const [s, file] of exported) {
    const module = relative(file);
    if (!module.endsWith(".page.ts")) continue;
    const base = module.replace(/\.page\.ts$/, "");
    if (usedByModule.get(base)?.has(s.name) || imported.get(base)?.has(s.name)) used.add(s);
  }
}

/**
 * The declared symbols that a file's code refers to by one of `names` (re-exports and the
 * declarations themselves left out): through imports, namespaces, destructured dynamic imports.
 */
function referencedExports(file: ts.SourceFile, checker: ts.TypeChecker, names: ReadonlySet<string>): Set<ts.Symbol> {
  const found = new Set<ts.Symbol>();
  const resolve = (s: ts.Symbol | undefined) => (s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const visit = (node: ts.Node): void => {
    if (ts.isExportSpecifier(node)) return;
    if (ts.isIdentifier(node) && names.has(node.text)) {
      let s = resolve(checker.getSymbolAtLocation(node));
      const parent = node.parent;
      // const { runQueueWorker } = require("…") as typeof import("…") (or await import("…")): the
      // name is a property of the module.
      if (ts.isBindingElement(parent) && parent.name === node && ts.isObjectBindingPattern(parent.parent)) {
        const property = parent.propertyName && ts.isIdentifier(parent.propertyName) ? parent.propertyName.text : node.text;
        s = resolve(checker.getTypeAtLocation(parent.parent).getProperty(property));
      }
      const declaredHere = s?.declarations?.some((d) => (d as ts.NamedDeclaration).name === node);
      if (s && !declaredHere) found.add(s);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * The symbols that the signatures of `roots` name, and those that their signatures name, and so on
 * (see the header), through the project's own declarations only.
 */
function signatureClosure(roots: readonly ts.Symbol[], checker: ts.TypeChecker): Set<ts.Symbol> {
  const seen = new Set<ts.Symbol>(roots);
  const queue = [...roots];
  const visit = (node: ts.Node, declaration: ts.Node): void => {
    // A body, an initial value or a private member is the module's own business, not its signature.
    if (node !== declaration && (ts.isBlock(node) || isPrivate(node))) return;
    if (ts.isIdentifier(node)) {
      const s = checker.getSymbolAtLocation(node);
      const target = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      if (target && !seen.has(target) && target.declarations?.some((d) => !d.getSourceFile().isDeclarationFile)) {
        seen.add(target);
        queue.push(target);
      }
    }
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isPropertyDeclaration(node)) {
      for (const part of [node.name, node.type]) if (part) visit(part, declaration);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, declaration));
  };
  while (queue.length > 0) for (const declaration of queue.pop()!.declarations ?? []) visit(declaration, declaration);
  return seen;
}

const isPrivate = (node: ts.Node) =>
  (ts.isClassElement(node) && node.name !== undefined && ts.isPrivateIdentifier(node.name)) ||
  (ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword));
