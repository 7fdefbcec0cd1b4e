// Page twins: a module of lib/ that a page needs done differently (lib/core/threads.ts with Web
// Workers instead of worker_threads) has a twin beside it, X.page.ts, that the page program and the
// page bundler take in its place (tsconfig.page.json's moduleSuffixes, scripts/build.ts's
// resolveExtensions). So an import of "./threads" is an import of threads.page.ts in a page. The
// architecture test reads these facts from here: a twin offers every value its Node module exports
// (the page code may call any of them), and a name imported from X is a use of X.page.ts's export too.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ROOT } from "./architecture";

/** A Node module and its page twin, relative to the root. */
export interface Twin {
  node: string;
  page: string;
}

/** Every X.page.ts of lib/ with its X.ts (a twin without a Node module is listed with node ""). */
export function twins(root = ROOT): Twin[] {
  return (fs.readdirSync(path.join(root, "lib"), { recursive: true }) as string[])
    .map((f) => path.posix.join("lib", f.split(path.sep).join("/")))
    .filter((f) => f.endsWith(".page.ts"))
    .sort()
    .map((page) => {
      const node = page.replace(/\.page\.ts$/, ".ts");
      return { page, node: fs.existsSync(path.join(root, node)) ? node : "" };
    });
}

/** The names of the values (functions, constants, classes) a module exports, read from its syntax. */
export function exportedValues(file: string, root = ROOT): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.push(statement.name.text);
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names.sort();
}

/** "lib/core/threads.page.ts lacks canShareMemory": each value a Node module exports that its twin does not. */
export function twinGaps(root = ROOT): string[] {
  return twins(root).flatMap(({ node, page }) => {
    if (node === "") return [`${page} has no Node module beside it (${page.replace(/\.page\.ts$/, ".ts")}): a page twin stands in for one`];
    const offered = new Set(exportedValues(page, root));
    return exportedValues(node, root).filter((name) => !offered.has(name)).map((name) => `${page} lacks ${name}, which ${node} exports`);
  });
}

/**
 * The names imported from each twinned module, by any module of lib/ (page code imports page-only
 * names such as provideKernels, which the Node program cannot resolve): "lib/core/threads" → names.
 */
export function namesImportedFromTwins(root = ROOT): Map<string, Set<string>> {
  const twinned = new Map(twins(root).map((t) => [t.page.replace(/\.page\.ts$/, ""), new Set<string>()]));
  const files = (fs.readdirSync(path.join(root, "lib"), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
  for (const f of files) {
    const file = path.posix.join("lib", f.split(path.sep).join("/"));
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const spec = statement.moduleSpecifier.text;
      if (!spec.startsWith(".")) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.(page\.)?(ts|js)$/, "");
      const names = twinned.get(target);
      const bindings = statement.importClause?.namedBindings;
      if (names && bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add((e.propertyName ?? e.name).text);
    }
  }
  return twinned;
}
