// The README's command table against the CLI's own option definitions: a flag a user can pass
// must be in the table, and a flag in the table must exist, so the two cannot drift apart again.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commands } from "../cli/digits";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

/** The first cell of each row of the table under "## The `digits` command", by command name. */
function commandRows(markdown: string): Map<string, string> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("The `digits` command"));
  assert.ok(section, 'README has no "## The `digits` command" section');
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

describe("README's command table", () => {
  const rows = commandRows(README);

  test("has a row for every command and no row for a command that does not exist", () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(commands).sort());
  });

  for (const [name, command] of Object.entries(commands)) {
    test(`digits ${name}: lists exactly the flags the command accepts`, () => {
      const defined = Object.keys(command.options ?? {}).sort();
      const listed = flagsIn(rows.get(name) ?? "");
      assert.deepEqual(
        { missingFromReadme: defined.filter((f) => !listed.includes(f)), notInCli: listed.filter((f) => !defined.includes(f)) },
        { missingFromReadme: [], notInCli: [] },
      );
    });
  }

  test("the flag reader finds flags in a cell, once each", () => {
    assert.deepEqual(flagsIn("`digits x [--a-b N] [--c] [--a-b M]`"), ["a-b", "c"]);
  });
});
