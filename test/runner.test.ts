// The test runner (scripts/test.ts) and the quick reports several test files share
// (test/support/shared-reports.ts): the longest files start first and each is a test file; the
// tiers read the imports a parse finds; a shared product is built by one process of a run while the
// others wait, and a failed or abandoned build is said to every process that wanted it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importedFiles, importsOf, sourceFiles } from "../scripts/architecture";
import { FILE_TIMEOUT_MS, lanes, LONGEST_FIRST, LONGEST_UNIT_FIRST, parseArgs, selectFiles, testFiles } from "../scripts/test";
import { deadPid } from "./support/children";
import { buildOnce } from "./support/shared-reports";

const ROOT = join(__dirname, "..");

describe("the order files start in", () => {
  test("every file named as longest is a test file, and they start first, in that order, before the rest of the slow tier and then the unit tier", () => {
    const all = testFiles();
    for (const file of LONGEST_FIRST) assert.ok(all.includes(file), `${file} is not a test file`);
    // The folders of the longest files, one more slow file and a unit file (every file's imports take seconds to read).
    const order = selectFiles(parseArgs(["test/report", "test/notebooks", "test/notebook/hostile-names.test.ts", "test/notebook/draw/draw-page.test.ts", "test/core/pair.test.ts"], ROOT));
    assert.ok(order.some((f) => f.tier === "unit") && order.filter((f) => f.tier === "slow").length > LONGEST_FIRST.length);
    assert.deepEqual(
      order.slice(0, LONGEST_FIRST.length).map((f) => f.file),
      [...LONGEST_FIRST],
    );
    const tiers = order.slice(LONGEST_FIRST.length).map((f) => f.tier);
    assert.deepEqual(tiers, [...tiers].sort((a, b) => (a === b ? 0 : a === "slow" ? -1 : 1)), "a unit file before a slow one");
  });

  test("the unit tier's longest files are unit files and start first among them, in that order", () => {
    const order = selectFiles(parseArgs(["--unit"], ROOT)).map((f) => f.file);
    assert.deepEqual(order.slice(0, LONGEST_UNIT_FIRST.length), [...LONGEST_UNIT_FIRST]);
    assert.ok(order.length > LONGEST_UNIT_FIRST.length);
  });
});

describe("the tiers", () => {
  test("the runner's import scan finds the files a parse finds, in every module of test/", () => {
    const modules = sourceFiles(join(ROOT, "test")).filter((f) => !f.startsWith("test/render/"));
    assert.ok(modules.includes("test/report/quick-reports.ts") && modules.length > testFiles().length);
    for (const file of modules) {
      const parsed = importsOf(file).flatMap((e) => (e.to !== null && !e.thread ? [e.to] : []));
      assert.deepEqual([...new Set(importedFiles(file))].sort(), [...new Set(parsed)].sort(), file);
    }
  });
});

/**
 * Runs the test runner on test files made for the occasion (inside the project, which the runner
 * requires), with `args`: one source, as made.test.ts, or several by file name.
 */
async function runnerOn(sources: string | Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string }> {
  const dir = mkdtempSync(join(ROOT, "test", ".runner-"));
  try {
    const files = Object.entries(typeof sources === "string" ? { "made.test.ts": sources } : sources).map(([name, source]) => {
      writeFileSync(join(dir, name), source.replaceAll("DIR", JSON.stringify(dir)));
      return join(dir, name);
    });
    // Without node:test's mark of a test file's process, which would make the runner's run() report to this one.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, ["--require", "tsx/cjs", join(ROOT, "scripts", "test.ts"), ...files, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a test file that never ends", () => {
  test("fails as timed out after --test-timeout, and the run ends with exit 1 instead of waiting for ever", async () => {
    const run = await runnerOn(`import { test } from "node:test";\ntest("waits for ever", () => new Promise(() => setInterval(() => undefined, 1000)));\n`, ["--test-timeout=1000"]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /each stopped after 1 s/);
    assert.match(run.stdout, /test timed out after 1000ms/);
    assert.match(run.stdout, /ℹ cancelled 1\n/);
  });

  test(`is stopped after ${FILE_TIMEOUT_MS / 1000} s when no --test-timeout is given`, async () => {
    const run = await runnerOn(`import { test } from "node:test";\ntest("ends", () => undefined);\n`, []);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /ℹ pass 1\n/);
    assert.match(run.stdout, new RegExp(`each stopped after ${FILE_TIMEOUT_MS / 1000} s`));
  });
});

describe("the Redis lane", () => {
  // Two files that wait for a third, which needs Redis: in one lane of two at a time, it would never
  // start. They are slow-tier files (through pdf.ts), which start before it, being first by name.
  const waiter = (name: string) =>
    `import { test } from "node:test";\nimport { existsSync } from "node:fs";\nimport { join } from "node:path";\nimport "../support/pdf";\n` +
    `test("${name} waits for the Redis file", async () => { while (!existsSync(join(DIR, "redis-ran"))) await new Promise((r) => setTimeout(r, 50)); });\n`;
  const redis =
    `import { test } from "node:test";\nimport { writeFileSync } from "node:fs";\nimport { join } from "node:path";\nimport "../support/redis";\n` +
    `test("the Redis file runs", () => writeFileSync(join(DIR, "redis-ran"), ""));\n`;

  test("the files that need Redis run one at a time beside the others, in one report with one summary", async () => {
    const run = await runnerOn({ "a.test.ts": waiter("a"), "b.test.ts": waiter("b"), "redis.test.ts": redis }, ["--test-concurrency=2", "--test-timeout=20000"]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /3 test file\(s\), 2 at a time, plus 1 needing Redis beside them/);
    for (const name of ["a waits for the Redis file", "b waits for the Redis file", "the Redis file runs"]) assert.match(run.stdout, new RegExp(`✔ ${name}`));
    assert.equal(run.stdout.match(/ℹ tests \d+/g)?.join(), "ℹ tests 3", run.stdout);
    assert.match(run.stdout, /ℹ pass 3\n/);
  });

  test("with --test-concurrency=1, or when every file or none needs Redis, everything runs in one lane", () => {
    const files = ["test/selection/queue/redis.test.ts", "test/core/pair.test.ts"];
    assert.deepEqual(lanes(files, 1), [{ files, concurrency: 1 }]);
    assert.deepEqual(lanes(files.slice(0, 1), 2), [{ files: files.slice(0, 1), concurrency: 2 }]);
    assert.deepEqual(lanes(files.slice(1), 2), [{ files: files.slice(1), concurrency: 2 }]);
    assert.deepEqual(lanes(files, 2), [
      { files: ["test/core/pair.test.ts"], concurrency: 2 },
      { files: ["test/selection/queue/redis.test.ts"], concurrency: 1 },
    ]);
  });
});

/** Runs `buildOnce(target, build)` in a new process; `build` appends this process's pid to `log`, waits `ms`, then fails when `fail`. */
function builder(target: string, log: string, ms: number, fail = false): Promise<{ code: number | null; stderr: string }> {
  const script = `
    const { appendFileSync } = require("node:fs");
    const { buildOnce } = require(${JSON.stringify(join(ROOT, "test", "support", "shared-reports.ts"))});
    buildOnce(${JSON.stringify(target)}, async () => {
      appendFileSync(${JSON.stringify(log)}, process.pid + "\\n");
      await new Promise((r) => setTimeout(r, ${ms}));
      if (${fail}) throw new Error("the notebook failed");
    }).catch((e) => { console.error(e.message); process.exit(1); });`;
  const child = spawn(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("a product shared by the test files of a run (buildOnce)", () => {
  test("is built by one of the processes that ask for it at once; the others wait for it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-build-once-"));
    try {
      const target = join(dir, "report");
      const log = join(dir, "builds.log");
      const runs = await Promise.all([builder(target, log, 1000), builder(target, log, 1000), builder(target, log, 1000)]);
      assert.deepEqual(runs.map((r) => r.code), [0, 0, 0], runs.map((r) => r.stderr).join("\n"));
      assert.equal(readFileSync(log, "utf8").trim().split("\n").length, 1, "built more than once");
      assert.ok(existsSync(`${target}.done`));
      assert.equal(existsSync(`${target}.lock`), false, "the lock was left");
      // Asked again later in the run: already built.
      assert.equal((await builder(target, log, 0)).code, 0);
      assert.equal(readFileSync(log, "utf8").trim().split("\n").length, 1, "built again");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("that fails to build fails every process that asked for it, with the reason, and is not built again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-build-once-"));
    try {
      const target = join(dir, "report");
      const log = join(dir, "builds.log");
      // Building for 2 s: time enough for the second, started once the first is building, to find it so and wait.
      const first = builder(target, log, 2000, true);
      // The second asks once the first has started building.
      while (!existsSync(log)) await new Promise((r) => setTimeout(r, 50));
      const [a, b] = await Promise.all([first, builder(target, log, 0)]);
      assert.equal(a.code, 1);
      assert.match(a.stderr, /the notebook failed/);
      assert.equal(b.code, 1);
      assert.match(b.stderr, /report could not be built by another test file: the notebook failed/);
      assert.equal(readFileSync(log, "utf8").trim().split("\n").length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("whose builder died without finishing is said to be so, not waited for forever", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-build-once-"));
    try {
      const target = join(dir, "report");
      const dead = deadPid();
      writeFileSync(`${target}.lock`, `${dead}\n`);
      const run = await builder(target, join(dir, "builds.log"), 0);
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`report: the test process building it \\(pid ${dead}\\) is gone without finishing; run the tests again`));
      assert.equal(existsSync(join(dir, "builds.log")), false, "built although another process held the lock");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
