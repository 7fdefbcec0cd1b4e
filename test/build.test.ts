// The build's own guarantees about what it leaves in dist/ (scripts/build.ts), and what git leaves out.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT } from "../scripts/architecture";
import { makeBinsExecutable } from "../scripts/bins";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("the commands package.json names under bin", () => {
  test("are made executable where they can be read, once; a bin not built yet is left alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-bins-"));
    try {
      mkdirSync(join(dir, "dist"));
      const bin = { open: "dist/open.js", private: "dist/private.js", missing: "dist/missing.js" };
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", bin }));
      writeFileSync(join(dir, bin.open), "#!/usr/bin/env node\n");
      writeFileSync(join(dir, bin.private), "#!/usr/bin/env node\n");
      chmodSync(join(dir, bin.open), 0o644);
      chmodSync(join(dir, bin.private), 0o600);
      assert.deepEqual(makeBinsExecutable(dir), [bin.open, bin.private]);
      assert.equal(modeOf(join(dir, bin.open)), 0o755);
      assert.equal(modeOf(join(dir, bin.private)), 0o700);
      assert.deepEqual(makeBinsExecutable(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a bin given as one string is the package's one command", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-bins-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", bin: "cli.js" }));
      writeFileSync(join(dir, "cli.js"), "#!/usr/bin/env node\n", { mode: 0o644 });
      chmodSync(join(dir, "cli.js"), 0o644);
      assert.deepEqual(makeBinsExecutable(dir), ["cli.js"]);
      assert.equal(modeOf(join(dir, "cli.js")), 0o755);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // npx runs the bin through the shell, and makes it executable itself only when it first links
  // the project into its cache: with the link already there, a new build was "Permission denied".
  test("dist/cli/digits.js is executable after the build (which npm test runs first)", () => {
    assert.equal(modeOf(join(ROOT, "dist", "cli", "digits.js")) & 0o111, 0o111);
  });
});

describe("what git leaves out", () => {
  test("the build's and the installs' folders, also as symbolic links (one node_modules shared by two clones), but no file of the project", () => {
    // A path that does not exist is checked as a file: `dist/` (a folder only) would not match it.
    const ignored = (...paths: string[]) => spawnSync("git", ["check-ignore", "--no-index", ...paths], { cwd: ROOT, encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
    const generated = ["node_modules", "dist", "reports", "models", "test/render/node_modules"];
    assert.deepEqual(ignored(...generated), generated);
    const tracked = spawnSync("git", ["ls-files", "--cached", "--ignored", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(tracked.status, 0, tracked.stderr);
    assert.equal(tracked.stdout, "", "no tracked file matches .gitignore");
  });
});
