// `digits --help`, the top-level usage of cli/digits.ts, run as a user runs it (the compiled CLI).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, test } from "node:test";
import { commands } from "../../cli/digits";

const CLI = path.join(__dirname, "..", "..", "dist", "cli", "digits.js"); // the compiled CLI: npm test builds first

describe("digits --help", () => {
  test("lists every command on a line of its own, its name set apart from its summary by at least two spaces", () => {
    const run = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    for (const [name, command] of Object.entries(commands)) {
      const line = run.stdout.split("\n").find((l) => l.trimStart().startsWith(name) && l.includes(command.summary));
      assert.ok(line, `--help lists ${name}:\n${run.stdout}`);
      assert.match(line, new RegExp(`^  ${name} {2,}${command.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), `${name}'s line: ${JSON.stringify(line)}`);
    }
  });
});
