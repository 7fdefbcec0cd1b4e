// tsx's cache filled before a run (scripts/tsx-cache.ts): the test files and what they import are
// compiled into it, and none of them runs.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { withImports } from "../scripts/tsx-cache";

const ROOT = join(__dirname, "..");

describe("tsx's cache, filled before a run", () => {
  test("holds a test file's imports at any depth: its support modules, cli/ and lib/", () => {
    const files = withImports(["test/cli/digits.test.ts"]);
    for (const file of ["test/cli/digits.test.ts", "test/support/cli-work.ts", "test/support/cli.ts", "cli/command-line.ts", "cli/common.ts", "lib/core/errors.ts", "lib/data/default-files.ts"]) {
      assert.ok(files.includes(file), `${file} is missing`);
    }
    assert.ok(!files.some((f) => f.startsWith("test/report/")), "no file the test file does not reach");
  });

  test("is filled with the files compiled and none of them run, in a process of tsx's CommonJS hook", () => {
    const dir = mkdtempSync(join(ROOT, "test", ".tsx-cache-"));
    const temp = mkdtempSync(join(tmpdir(), "digits-tsx-cache-"));
    try {
      const marker = join(dir, "ran");
      writeFileSync(join(dir, "made.test.ts"), `import { writeFileSync } from "node:fs";\nimport { helper } from "./helper";\nwriteFileSync(${JSON.stringify(marker)}, helper);\n`);
      writeFileSync(join(dir, "helper.ts"), `export const helper: string = "x";\nrequire("node:fs").writeFileSync(${JSON.stringify(marker)}, "helper");\n`);
      const made = relative(ROOT, join(dir, "made.test.ts")).split("\\").join("/");
      const script = `const { fillTsxCache } = require(${JSON.stringify(join(ROOT, "scripts", "tsx-cache.ts"))}); console.log(fillTsxCache([${JSON.stringify(made)}], []));`;
      // tsx keeps its cache under the temporary folder: an empty one here, as on a fresh machine.
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: temp } });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), "2");
      assert.equal(existsSync(marker), false, "a compiled module ran");
      const cache = readdirSync(temp).filter((d) => d.startsWith("tsx-"));
      assert.equal(cache.length, 1, "tsx's cache folder");
      assert.ok(readdirSync(join(temp, cache[0])).length >= 2, "compiled files in tsx's cache");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
