// lib/evaluation/t-cdf.ts: stdlib's t CDF is required on its first use, so a command that computes
// no test does not pay for loading it. Run on the compiled dist/ (as the CLI runs), in fresh processes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runDigits } from "../support/cli";

const ROOT = join(__dirname, "..", "..");
const STDLIB = "@stdlib/stats-base-dists-t-cdf";
const folder = mkdtempSync(join(tmpdir(), "t-cdf-"));
after(() => rmSync(folder, { recursive: true, force: true }));

/** A module Node runs first, which says at exit whether stdlib's t CDF was loaded. */
const hook = join(folder, "loaded-hook.js");
writeFileSync(hook, `process.on("exit", () => process.stderr.write("t-cdf loaded: " + Object.keys(require.cache).some((f) => f.includes(${JSON.stringify(STDLIB)})) + "\\n"));\n`);

function nodeSays(script: string): string {
  const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

describe("stdlib's t CDF, loaded on first use", () => {
  test("is not loaded until the first CDF, then answers as stdlib does", () => {
    const said = nodeSays(`
      const loaded = () => Object.keys(require.cache).some((f) => f.includes(${JSON.stringify(STDLIB)}));
      const { tCdf } = require("./dist/lib/evaluation/t-cdf.js");
      const before = loaded();
      const value = tCdf(-2.5, 3);
      console.log(JSON.stringify({ before, after: loaded(), value, stdlib: require(${JSON.stringify(STDLIB)})(-2.5, 3) }));`);
    const { before, after: afterUse, value, stdlib } = JSON.parse(said);
    assert.equal(before, false);
    assert.equal(afterUse, true);
    assert.equal(value, stdlib);
  });

  test("the selection's modules and `digits --help` do not load it", () => {
    assert.equal(nodeSays(`require("./dist/lib/selection/select.js"); console.log(Object.keys(require.cache).some((f) => f.includes(${JSON.stringify(STDLIB)})))`), "false");
    const help = runDigits(["--help"], { nodeArgs: ["--require", hook] });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stderr, /t-cdf loaded: false/);
  });
});
