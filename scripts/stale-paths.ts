// Paths of the project named in prose, checked against the files that exist: a comment, a test
// name or a page of docs/ that names a moved or deleted module sends its reader to nothing.
// test/architecture.test.ts fails on each one, naming it with its file and line.
//
// What is read: in the code of lib/, cli/, scripts/, test/, bench/, assembly/, notebooks/ and
// .ci/ (.ts, .mjs, .json, .py, .sh and shell scripts), the comments and every string literal that
// holds a space (a test name, a message, a sentence shown to a user; a string without a space is
// a value the code computes with, such as a test's made-up path, and the code's own tests check
// those); in Python and shell files, every line; the README and docs/*.md whole; a notebook's
// markdown cells whole and its code cells as TypeScript.
//
// What counts as a mention: a run of path characters (letters, digits, _ . - /) that starts with
// lib/, cli/, scripts/ or test/ and does not continue a longer path (dist/lib/…, ../lib/… and
// URLs are not mentions), with a sentence's final full stop left off. It names something that
// exists when it is a file or a folder of the project, or a module without its extension (an
// import's spelling: lib/core/pool for lib/core/pool.ts, or its compiled name lib/core/pool.js).
// A trailing slash must be a folder. Paths git ignores are generated (test/render/dist/) and are
// not checked. In lib/, a bare module name (draw.ts) must also be the name of a module of lib/.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ROOT } from "./architecture";

/** A path named in a file that names nothing in the project. */
export interface StalePath {
  file: string;
  line: number;
  path: string;
}

const CODE_FOLDERS = ["lib", "cli", "scripts", "test", "bench", "assembly", "notebooks", ".ci"];
const CODE_EXTENSIONS = /\.(ts|mjs|json|py|sh|ipynb)$/;
const MENTION = /(?<![\w./@~$-])(?:lib|cli|scripts|test)\/[\w./-]*/g;
const BARE_MODULE = /(?<![\w./@~$-])[\w-]+\.ts\b/g;

/** What a mention is checked against: the project's files and folders, relative to its root. */
export interface Project {
  root: string;
  /** Tracked files, and new ones git does not ignore. */
  files: ReadonlySet<string>;
  /** Every folder that holds one of them, at any depth. */
  folders: ReadonlySet<string>;
  /** The file names of lib/'s modules (pair.ts), for bare names. */
  libModules: ReadonlySet<string>;
}

/** The project at `root`, as git lists it. */
export function project(root = ROOT): Project {
  const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${root}: ${listed.stderr}`);
  const files = listed.stdout.split("\0").filter((f) => f !== "" && fs.existsSync(path.join(root, f)));
  const folders = new Set<string>();
  for (const f of files) for (let d = path.posix.dirname(f); d !== "." && !folders.has(d); d = path.posix.dirname(d)) folders.add(d);
  const libModules = new Set(files.filter((f) => f.startsWith("lib/")).map((f) => path.posix.basename(f)));
  return { root, files: new Set(files), folders, libModules };
}

/** The files whose prose is read (see the header), relative to the root. */
export function proseFiles(files: Iterable<string>): string[] {
  const all = [...files];
  const docs = all.filter((f) => f === "README.md" || /^docs\/[^/]+\.md$/.test(f));
  const code = all.filter((f) => CODE_FOLDERS.includes(f.split("/")[0]) && (CODE_EXTENSIONS.test(f) || f.startsWith(".ci/")));
  return [...docs, ...code].sort();
}

/**
 * The text of `file` with everything that is not prose blanked out (newlines kept, so that lines
 * and columns stay where they were): comments and strings with a space in code, all of a document.
 */
export function proseOf(file: string, text: string): string {
  if (file.endsWith(".md") || file.endsWith(".py") || file.endsWith(".sh") || !path.extname(file)) return text;
  if (file.endsWith(".ipynb")) return notebookProse(text);
  const kind = file.endsWith(".json") ? ts.ScriptKind.JSON : file.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const literals: [number, number, boolean][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isRegularExpressionLiteral(node)) {
      literals.push([node.getStart(source), node.getEnd(), !ts.isRegularExpressionLiteral(node) && /\s/.test(node.text)]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // With the literals blanked, what looks like a comment is one: no quote or regular expression is left to hide a "//".
  const code = splice(text, literals.map(([from, to]) => [from, to, ""]));
  const comments = [...code.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].map((m): [number, number, string] => [m.index!, m.index! + m[0].length, m[0]]);
  const prose = literals.filter((l) => l[2]).map(([from, to]): [number, number, string] => [from, to, text.slice(from, to)]);
  return splice(blank(text), [...comments, ...prose]);
}

/** Non-newline characters as spaces: the same lines, nothing on them. */
const blank = (text: string) => text.replace(/[^\n]/g, " ");

/** `text` with each range [from, to) replaced by `put` (or blanked when `put` is ""), ranges not overlapping. */
function splice(text: string, ranges: [number, number, string][]): string {
  let out = "";
  let at = 0;
  for (const [from, to, put] of ranges.sort((x, y) => x[0] - y[0])) {
    out += text.slice(at, from) + (put || blank(text.slice(from, to)));
    at = to;
  }
  return out + text.slice(at);
}

/** A notebook's markdown whole and the prose of its code, each line of a cell on the line of the JSON file that holds it. */
function notebookProse(json: string): string {
  const source = ts.parseJsonText("notebook.ipynb", json);
  const out = blank(json).split("\n");
  const property = (o: ts.Expression, name: string) =>
    ts.isObjectLiteralExpression(o) ? o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name) && p.name.text === name)?.initializer : undefined;
  const cells = property(source.statements[0].expression, "cells");
  for (const cell of cells && ts.isArrayLiteralExpression(cells) ? cells.elements : []) {
    const kind = property(cell, "cell_type");
    const lines = property(cell, "source");
    const strings = lines && ts.isArrayLiteralExpression(lines) ? lines.elements.filter(ts.isStringLiteral) : lines && ts.isStringLiteral(lines) ? [lines] : [];
    const text = strings.map((s) => s.text).join("");
    const prose = kind && ts.isStringLiteral(kind) && kind.text === "code" ? proseOf("cell.ts", text) : kind && ts.isStringLiteral(kind) && kind.text === "markdown" ? text : "";
    // Jupyter writes one string per line of a cell: line i of the cell is on the line of string i.
    prose.split("\n").forEach((line, i) => {
      const at = strings[Math.min(i, strings.length - 1)];
      const row = source.getLineAndCharacterOfPosition(at.getStart(source)).line;
      out[row] = `${out[row]} ${line}`;
    });
  }
  return out.join("\n");
}

/** The paths of the project a prose text names, with their lines (1-based). */
export function pathMentions(prose: string): { line: number; path: string }[] {
  const found: { line: number; path: string }[] = [];
  prose.split("\n").forEach((text, i) => {
    for (const m of text.matchAll(MENTION)) found.push({ line: i + 1, path: m[0].replace(/\.+$/, "") });
  });
  return found;
}

/** Whether a mention names something of the project (see the header). */
export function pathExists(mention: string, { files, folders }: Project): boolean {
  if (mention.endsWith("/")) return folders.has(mention.slice(0, -1));
  const module = mention.replace(/\.js$/, "");
  return files.has(mention) || folders.has(mention) || files.has(`${module}.ts`);
}

/** Of these paths, those git ignores: generated output, not checked. */
function ignoredByGit(paths: readonly string[], root: string): Set<string> {
  if (paths.length === 0) return new Set();
  const result = spawnSync("git", ["check-ignore", "--stdin", "-z"], { cwd: root, input: paths.join("\0"), encoding: "utf8" });
  return new Set(result.stdout.split("\0").filter(Boolean));
}

/** The mentions in one file's text that name nothing of `project`. */
export function staleMentions(file: string, text: string, project: Project): StalePath[] {
  const prose = proseOf(file, text);
  const missing = pathMentions(prose).filter((m) => !pathExists(m.path, project));
  const ignored = ignoredByGit([...new Set(missing.map((m) => m.path))], project.root);
  const stale = missing.filter((m) => !ignored.has(m.path)).map((m) => ({ file, ...m }));
  if (file.startsWith("lib/")) {
    prose.split("\n").forEach((line, i) => {
      for (const m of line.matchAll(BARE_MODULE)) if (!project.libModules.has(m[0])) stale.push({ file, line: i + 1, path: m[0] });
    });
  }
  return stale.sort((a, b) => a.line - b.line);
}

/** Every stale mention in the prose of the project. */
export function stalePaths(root = ROOT): StalePath[] {
  const found = project(root);
  return proseFiles(found.files).flatMap((f) => staleMentions(f, fs.readFileSync(path.join(root, f), "utf8"), found));
}
