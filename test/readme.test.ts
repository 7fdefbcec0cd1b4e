// The command table of docs/cli.md (the CLI reference the README links to) against the CLI's own
// option definitions: a flag a user can pass must be in the table, and a flag in the table must
// exist, so the two cannot drift apart again.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { commands } from "../cli/command-line";

const CLI_DOC = readFileSync(join(__dirname, "..", "docs", "cli.md"), "utf8");

/** The first cell of each row of the table under "## Commands", by command name. */
function commandRows(markdown: string): Map<string, string> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Commands\n"));
  assert.ok(section, 'docs/cli.md has no "## Commands" section');
  const rows = new Map<string, string>();
  for (const line of section.split("\n")) {
    const match = /^\| `digits ([a-z-]+)/.exec(line);
    if (match) rows.set(match[1], line.split(/(?<!\\)\|/)[1]);
  }
  return rows;
}

/** The --flags written in a table cell. */
function flagsIn(cell: string): string[] {
  return [...new Set([...cell.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]))].sort();
}

describe("docs/cli.md's command table", () => {
  const rows = commandRows(CLI_DOC);

  test("has a row for every command and no row for a command that does not exist", () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(commands).sort());
  });

  for (const [name, command] of Object.entries(commands)) {
    test(`digits ${name}: lists exactly the flags the command accepts`, () => {
      const defined = Object.keys(command.options ?? {}).sort();
      const listed = flagsIn(rows.get(name) ?? "");
      assert.deepEqual(
        { missingFromDocs: defined.filter((f) => !listed.includes(f)), notInCli: listed.filter((f) => !defined.includes(f)) },
        { missingFromDocs: [], notInCli: [] },
      );
    });
  }

  test("the flag reader finds flags in a cell, once each", () => {
    assert.deepEqual(flagsIn("`digits x [--a-b N] [--c] [--a-b M]`"), ["a-b", "c"]);
  });
});

const ROOT = join(__dirname, "..");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const read = (page: string) => readFileSync(join(ROOT, page), "utf8");

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** The anchors of a Markdown page's headings (outside code blocks). */
function anchors(markdown: string): Set<string> {
  const text = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1].trim())));
}

describe("the README and docs/", () => {
  test("the README stays under 8,000 characters (the rest belongs in docs/)", () => {
    assert.ok([...read("README.md")].length <= 8000, `README.md has ${[...read("README.md")].length} characters`);
  });

  test("the README links to every page of docs/", () => {
    const linked = new Set([...read("README.md").matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]));
    assert.deepEqual(PAGES.filter((p) => p !== "README.md" && !linked.has(p)), []);
  });

  test("every link to a file of the project finds it, and every #anchor a heading there", () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const [, target] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split("#");
        const linked = file === "" ? page : join(dirname(page), file);
        if (!existsSync(join(ROOT, linked))) broken.push(`${page}: ${target} (no ${linked})`);
        else if (anchor && linked.endsWith(".md") && !anchors(read(linked)).has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test("every `npm run SCRIPT` they mention is a script of package.json", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const unknown = PAGES.flatMap((page) => [...read(page).matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]).filter((s) => !scripts.includes(s)).map((s) => `${page}: npm run ${s}`));
    assert.deepEqual(unknown, []);
  });

  test("the number of dependencies whose install scripts they say are declined is package.json's allowScripts', and docs/architecture.md names each", () => {
    const allowScripts = (JSON.parse(read("package.json")) as { allowScripts: Record<string, boolean> }).allowScripts;
    const declined = Object.keys(allowScripts).filter((name) => allowScripts[name] === false);
    const section = read("docs/architecture.md").split(/^## /m).find((s) => s.startsWith("Install scripts\n")) ?? "";
    const stated = (page: string) =>
      [...read(page).matchAll(/\b(\w+)\s+dependencies['’]\s+install\s+scripts|\binstall\s+scripts\s+of\s+(\w+)\s+dependencies/gi)].map((m) => `${page}: ${(m[1] ?? m[2]).toLowerCase()}`);
    const statements = [...stated("README.md"), ...stated("docs/architecture.md")];
    assert.ok(statements.some((s) => s.startsWith("README.md")) && statements.some((s) => s.startsWith("docs/")), `no count found ("N dependencies' install scripts" or "install scripts of N dependencies"): ${statements.join("; ")}`);
    assert.deepEqual(statements.filter((s) => !s.endsWith(`: ${NUMBER_WORDS[declined.length] ?? declined.length}`)), [], `package.json's allowScripts declines ${declined.length}: ${declined.join(", ")}`);
    assert.deepEqual(declined.filter((name) => !section.includes(name)), [], "docs/architecture.md#install-scripts says why each is declined");
  });

  test("the anchor of a heading is GitHub's", () => {
    assert.equal(slug("Selection on many machines: `--queue`"), "selection-on-many-machines---queue");
    assert.equal(slug("Editing lib/ while a notebook runs"), "editing-lib-while-a-notebook-runs");
  });
});
