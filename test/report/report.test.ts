// npm run report: pure helpers always; where Jupyter and Chromium are installed, failures of the
// run itself (outputs that cannot be written, a failing cell, Ctrl-C or kill), which use a tiny
// notebook or stop notebook 01 after its first cell, so they take seconds. The quick reports
// themselves are checked by quick-report-tslab, quick-report-deno and quick-report-4-9.test.ts.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Notebook } from "../../lib/report/ipynb";
import { findPython, installKernel, jupyterEnv, REPORT_MODULES } from "../../lib/report/jupyter";
import { InputError } from "../../lib/core/errors";
import { replaceFiles } from "../../lib/core/files";
import { checkOutputs, removeStaleTemps, reportPaths } from "../../lib/report/outputs";
import { buildReports, NotebookError, NOTEBOOKS, selectNotebooks } from "../../lib/report/report";
import { failureMessage } from "../../lib/report/runner";
import { deadPid } from "../support/children";
import { listTree } from "../support/folders";
import { ROOT, skipUnlessAvailable } from "../support/integration";

describe("report helpers", () => {
  it("selects notebooks by number, name or file name, in the order asked", () => {
    assert.deepEqual(selectNotebooks(), [...NOTEBOOKS]);
    assert.deepEqual(selectNotebooks(["03", "01-exploratory-analysis", "notebooks/02-model-selection.ipynb"]), [
      "03-training-and-evaluation",
      "01-exploratory-analysis",
      "02-model-selection",
    ]);
    assert.throws(() => selectNotebooks(["04"]), /unknown notebook "04"/);
  });

  it("writes to hidden temporary names beside the final ones", () => {
    const p = reportPaths("/out", "02-model-selection", "123");
    assert.equal(p.html, "/out/02-model-selection.html");
    assert.equal(p.executed, "/out/executed/02-model-selection.ipynb");
    assert.equal(p.tempHtml, "/out/.02-model-selection.html.123.tmp");
  });

  describe("replaceFiles", () => {
    function folder(files: Record<string, string>): string {
      const dir = mkdtempSync(join(tmpdir(), "digits-replace-"));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return dir;
    }
    const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

    it("replaces the executed notebook and the HTML, leaving no temporary files", () => {
      const dir = folder({ "nb.ipynb": "old run", "nb.html": "old run", ".nb.ipynb.tmp": "new run", ".nb.html.tmp": "new run" });
      try {
        replaceFiles([{ from: join(dir, ".nb.ipynb.tmp"), to: join(dir, "nb.ipynb") }, { from: join(dir, ".nb.html.tmp"), to: join(dir, "nb.html") }]);
        assert.equal(read(dir, "nb.ipynb"), "new run");
        assert.equal(read(dir, "nb.html"), "new run");
        assert.deepEqual(readdirSync(dir).sort(), ["nb.html", "nb.ipynb"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("puts the old executed notebook back when the HTML cannot be replaced, so the pair stays from one run", () => {
      const dir = folder({ "nb.ipynb": "old run", ".nb.ipynb.tmp": "new run", ".nb.html.tmp": "new run" });
      try {
        // A non-empty folder where the HTML goes: renaming a file onto it fails.
        mkdirSync(join(dir, "nb.html"));
        writeFileSync(join(dir, "nb.html", "keep"), "");
        assert.throws(() => replaceFiles([{ from: join(dir, ".nb.ipynb.tmp"), to: join(dir, "nb.ipynb") }, { from: join(dir, ".nb.html.tmp"), to: join(dir, "nb.html") }]));
        assert.equal(read(dir, "nb.ipynb"), "old run");
        assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".old")), [], "no backup left behind");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("removes a new executed notebook that had no predecessor when the HTML fails", () => {
      const dir = folder({ ".nb.ipynb.tmp": "new run" });
      try {
        assert.throws(() => replaceFiles([{ from: join(dir, ".nb.ipynb.tmp"), to: join(dir, "nb.ipynb") }, { from: join(dir, "missing.tmp"), to: join(dir, "nb.html") }]));
        assert.equal(existsSync(join(dir, "nb.ipynb")), false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  const failed: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# Title", metadata: {} },
      { cell_type: "code", source: "const a = 1;", metadata: {}, outputs: [], execution_count: 1 },
      {
        cell_type: "code",
        source: ["// load\n", "const data = loadCsv(FILE);"],
        metadata: {},
        execution_count: 2,
        outputs: [{ output_type: "error", ename: "InputError", evalue: "data/x.csv: file not found\n    at stack", traceback: [] }],
      },
    ],
  };

  it("names the notebook, the cell (number, kind, first line) and the error's first line", () => {
    const message = failureMessage("notebooks/03-x.ipynb", { status: "error", kind: "error", cell: 2 }, failed);
    assert.equal(message, "notebooks/03-x.ipynb failed, cell 3 (code cell 2: `const data = loadCsv(FILE);`): InputError: data/x.csv: file not found");
  });

  it("uses the cell's stderr when tslab reports an empty error (type errors)", () => {
    const typeError: Notebook = structuredClone(failed);
    typeError.cells[2].outputs = [
      { output_type: "stream", name: "stderr", text: "1:6 - Cannot find name 'FILE'.\n" },
      { output_type: "error", ename: "<Error>", evalue: "", traceback: [] },
    ];
    const message = failureMessage("nb.ipynb", { status: "error", kind: "error", cell: 2 }, typeError);
    assert.match(message, /cell 3 \(code cell 2: .*\): 1:6 - Cannot find name 'FILE'\.$/);
  });

  it("says when a cell timed out or the kernel died", () => {
    assert.match(failureMessage("nb.ipynb", { status: "error", kind: "timeout", cell: 1, message: "no result after 5 s" }, failed), /^nb\.ipynb timed out, cell 2 \(code cell 1: `const a = 1;`\): no result after 5 s$/);
    assert.match(failureMessage("nb.ipynb", { status: "error", kind: "dead kernel", cell: null, message: "the kernel died" }, null), /^nb\.ipynb lost its kernel: the kernel died$/);
  });

  it("exits with code 2 and says how to install Jupyter when it is missing", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_PYTHON: "/nonexistent/python3" },
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /DIGITS_PYTHON=\/nonexistent\/python3 cannot import them/);
    assert.match(result.stderr, /apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook/);
  });

  it("reads DIGITS_QUICK as the notebooks do: a malformed value is an error, not a full run into reports/", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_QUICK: "quickly", DIGITS_PYTHON: "/nonexistent/python3" },
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /DIGITS_QUICK=quickly: expected 1 or 0/);
  });

  it("exits with code 2 for an unknown --kernel, naming the two it knows, before Jupyter is looked for", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--kernel", "python3"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_PYTHON: "/nonexistent/python3" },
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^report: --kernel python3: unknown kernel; expected tslab or deno/);
  });
});

/**
 * Makes `path` unwritable as `chattr +i` does (root on ext4 and the like), or by taking the write
 * permission away (other users); returns how to undo it, or null where neither works (root on a
 * file system without attributes, e.g. tmpfs).
 */
function makeUnwritable(dir: string): { undo: () => void } | null {
  const blocked = () => {
    try {
      writeFileSync(join(dir, ".probe"), "");
      rmSync(join(dir, ".probe"));
      return false;
    } catch {
      return true;
    }
  };
  const root = process.getuid?.() === 0;
  const undo = root ? () => void spawnSync("chattr", ["-i", dir]) : () => chmodSync(dir, 0o755);
  if (root) spawnSync("chattr", ["+i", dir]);
  else chmodSync(dir, 0o555);
  if (blocked()) return { undo };
  undo();
  return null;
}

describe("report outputs that cannot be written are named before anything runs", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "digits-unwritable-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rejects = (outDir: string, pattern: RegExp) =>
    assert.throws(
      () => checkOutputs(outDir, ["01-exploratory-analysis"]),
      (error: unknown) => {
        assert.ok(error instanceof InputError, String(error));
        assert.match(error.message, pattern);
        assert.match(error.message, /write the reports elsewhere with `npm run report -- --out DIR`/);
        return true;
      },
    );

  it("a file where reports/executed/ should be", () => {
    const out = join(dir, "file-for-folder");
    mkdirSync(out);
    writeFileSync(join(out, "executed"), "not a folder");
    rejects(out, /^cannot write the report to \S*file-for-folder\/executed: a file stands where a folder is needed/);
  });

  it("an output folder below a file", () => {
    writeFileSync(join(dir, "plain-file"), "");
    rejects(join(dir, "plain-file", "reports"), /^cannot write the report to \S*plain-file\/reports: a file stands where a folder of this path is needed/);
  });

  it("an output folder that cannot be written (chattr +i, or no write permission)", (t) => {
    const out = join(dir, "locked");
    mkdirSync(join(out, "executed"), { recursive: true });
    const locked = makeUnwritable(out);
    if (!locked) return t.skip("neither chattr +i nor chmod makes a folder unwritable here (root on a file system without attributes); the two tests above cover the check");
    try {
      rejects(out, /^cannot write the report to \S*locked: (operation not permitted; it may be immutable|permission denied)/);
    } finally {
      locked.undo();
    }
    assert.deepEqual(listTree(out), ["executed/"], "the check left a file behind");
  });

  it("an immutable earlier report, which the final rename could not replace", (t) => {
    const out = join(dir, "immutable-report");
    mkdirSync(join(out, "executed"), { recursive: true });
    const html = join(out, "01-exploratory-analysis.html");
    writeFileSync(html, "earlier report");
    if (process.getuid?.() !== 0 || spawnSync("chattr", ["+i", html]).status !== 0) return t.skip("needs chattr +i (root, a file system with attributes)");
    try {
      rejects(out, /^cannot write the report to \S*immutable-report\/01-exploratory-analysis\.html: operation not permitted; it may be immutable/);
    } finally {
      spawnSync("chattr", ["-i", html]);
    }
  });

  it("a writable folder passes, and the check leaves nothing in it", () => {
    const out = join(dir, "fine");
    checkOutputs(out, [...NOTEBOOKS]);
    assert.deepEqual(listTree(out), ["executed/"]);
  });
});

describe("temporary files of runs that were killed", () => {
  it("are removed when their process is gone; another run's, and the user's own files, stay", () => {
    const out = mkdtempSync(join(tmpdir(), "digits-stale-"));
    try {
      const dead = deadPid();
      mkdirSync(join(out, "executed"));
      const files = {
        stale: [`.02-model-selection.result.${dead}.tmp.json`, `.02-model-selection.html.${dead}.tmp`, `executed/.02-model-selection.ipynb.${dead}.tmp`, `executed/.01-exploratory-analysis.ipynb.${dead}.tmp.old`, `.write-check.${dead}.tmp`],
        kept: [`.02-model-selection.html.${process.pid}.tmp`, `.notes.${dead}.tmp`, "02-model-selection.html", `executed/02-model-selection.ipynb`],
      };
      for (const f of [...files.stale, ...files.kept]) writeFileSync(join(out, f), "x");
      const removed = removeStaleTemps(out, NOTEBOOKS);
      assert.deepEqual(removed.map((p) => p.slice(out.length + 1)).sort(), [...files.stale].sort());
      assert.deepEqual(listTree(out), [...files.kept, "executed/"].sort());
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("the project-local kernel", () => {
  it("is found by Jupyter through JUPYTER_PATH", skipUnlessAvailable(REPORT_MODULES), () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-kernel-"));
    try {
      installKernel(dir);
      const python = findPython(["jupyter_client"])!;
      const listed = spawnSync(python.python, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { encoding: "utf8", env: jupyterEnv(process.env, dir) });
      const specs = JSON.parse(listed.stdout).kernelspecs as Record<string, { resource_dir: string; spec: { argv: string[] } }>;
      assert.equal(specs.tslab.resource_dir, join(dir, "kernels", "tslab"));
      assert.equal(specs.tslab.spec.argv[0], process.execPath);
      assert.deepEqual(specs.tslab.spec.argv.slice(1, 3), ["--require", join(ROOT, "dist", "lib", "report", "tslab-preload.js")]);
      assert.match(specs.tslab.spec.argv[3], /node_modules\/tslab\/bin\/tslab$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A notebook on the tslab kernel whose code cells are `sources`. */
function tinyNotebook(sources: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: sources.map((source, i) => ({ cell_type: "code", id: `c${i}`, source, metadata: {}, outputs: [], execution_count: null })),
  });
}

describe("a failing cell", () => {
  it("stops the report, names the notebook and the cell, and writes no report", skipUnlessAvailable(REPORT_MODULES), async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-failing-"));
    try {
      const notebooks = join(dir, "notebooks");
      const out = join(dir, "reports");
      mkdirSync(notebooks);
      mkdirSync(out);
      // An earlier good report must survive a failed run untouched.
      writeFileSync(join(out, "01-exploratory-analysis.html"), "earlier report");
      writeFileSync(join(notebooks, "01-exploratory-analysis.ipynb"), tinyNotebook(["const ok = 1;", 'throw new Error("the data is gone");', "const never = 2;"]));
      const lines: string[] = [];
      await assert.rejects(
        buildReports({ notebooksDir: notebooks, outDir: out, notebooks: ["01"], log: (line) => lines.push(line) }),
        (error: unknown) => {
          assert.ok(error instanceof NotebookError);
          assert.equal(error.cell, 1);
          assert.match(error.message, /01-exploratory-analysis\.ipynb failed, cell 2 \(code cell 2: `throw new Error\("the data is gone"\);`\): .*the data is gone$/);
          return true;
        },
      );
      // Progress says "done" only for the cell that succeeded.
      const progress = lines.filter((l) => /code cell \d/.test(l)).map((l) => l.replace(/ in [\d.]+ s$/, "").trim());
      assert.deepEqual(progress, ["01-exploratory-analysis: code cell 1/3 done", "01-exploratory-analysis: code cell 2/3 failed"]);
      assert.equal(readFileSync(join(out, "01-exploratory-analysis.html"), "utf8"), "earlier report");
      assert.deepEqual(listTree(out), ["01-exploratory-analysis.html", "executed/"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is what the user sees when the executed notebook cannot be saved either, and the save failure is said too", skipUnlessAvailable(REPORT_MODULES), async () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-failing-unsaved-"));
    try {
      const notebooks = join(dir, "notebooks");
      const out = join(dir, "reports");
      mkdirSync(notebooks);
      // The first cell turns reports/executed/ into a file, as if it became unwritable mid-run
      // (chattr -R +i reports while the notebook runs); the check before the run passed.
      writeFileSync(
        join(notebooks, "01-exploratory-analysis.ipynb"),
        tinyNotebook([
          'import * as fs from "fs";\nfs.rmSync(process.env.EXECUTED_DIR!, { recursive: true });\nfs.writeFileSync(process.env.EXECUTED_DIR!, "");',
          'throw new Error("the data is gone");',
        ]),
      );
      await assert.rejects(
        buildReports({ notebooksDir: notebooks, outDir: out, notebooks: ["01"], env: { EXECUTED_DIR: join(out, "executed") }, log: () => undefined }),
        (error: unknown) => {
          assert.ok(error instanceof NotebookError, String(error));
          assert.equal(error.cell, 1);
          const [first, second] = error.message.split("\n");
          assert.match(first, /01-exploratory-analysis\.ipynb failed, cell 2 \(code cell 2: `throw new Error\("the data is gone"\);`\): Error: the data is gone$/);
          assert.match(second, /^\(and the executed notebook could not be saved: cannot write \S*reports\/executed\/\.01-exploratory-analysis\.ipynb\.\d+\.tmp: a file stands where a folder of this path is needed; move the file away\)$/);
          return true;
        },
      );
      assert.deepEqual(listTree(out), ["executed"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run report with outputs it cannot write", () => {
  it("exits with code 2 before running any cell and names the folder", skipUnlessAvailable(REPORT_MODULES), () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-report-unwritable-"));
    try {
      // A file where reports/executed/ goes: unwritable on every machine (chattr +i needs root and ext4).
      const out = join(dir, "reports");
      mkdirSync(out);
      writeFileSync(join(out, "executed"), "");
      const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--out", out], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
      assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
      assert.equal(run.stderr.trim().split("\n").length, 1, `one line:\n${run.stderr}`);
      assert.match(run.stderr, /^report: cannot write the report to \S*reports\/executed: a file stands where a folder is needed; move the file away\. Fix that, or write the reports elsewhere/);
      assert.doesNotMatch(run.stdout, /running on the tslab kernel/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run report -- --pdf without a Chromium that starts", () => {
  // Before: Chromium was looked for only after every notebook ran, and one that failed to start
  // ended the run with an unhandled rejection and Playwright's launch log. DIGITS_PYTHON points at
  // no Python, so a check of Jupyter coming first would say that instead: the message shows the order.
  for (const [what, body, expected] of [
    ["not executable", null, /^report: --pdf prints through Chromium: CHROMIUM_PATH=\S*chromium: is not executable/],
    ["failing to start", 'echo "chromium: cannot open display" >&2\nexit 1', /^report: --pdf: Chromium at \S*chromium did not start \(chromium: cannot open display; exit code 1\)/],
  ] as const) {
    it(`exits 2 with one message, before Jupyter or any notebook, for a CHROMIUM_PATH ${what}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "digits-report-chromium-"));
      try {
        const chromium = join(dir, "chromium");
        writeFileSync(chromium, body === null ? "not a program\n" : `#!/bin/sh\n${body}\n`);
        chmodSync(chromium, body === null ? 0o644 : 0o755);
        const out = join(dir, "reports");
        const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--pdf", "--out", out], {
          cwd: ROOT,
          encoding: "utf8",
          timeout: 120_000,
          env: { ...process.env, CHROMIUM_PATH: chromium, DIGITS_PYTHON: join(dir, "no-python") },
        });
        assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
        assert.equal(run.stderr.trim().split("\n").length, 1, `one line:\n${run.stderr}`);
        assert.match(run.stderr, expected);
        assert.doesNotMatch(run.stdout, /running on the tslab kernel/);
        assert.equal(existsSync(out), false, "nothing written");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("an interrupted npm run report", { timeout: 180_000 }, () => {
  // Stops notebook 01 (quick mode) once its first code cell is done: `kill` (SIGTERM to the
  // command npm runs, which npm passes on to its child) and Ctrl-C (SIGINT to the whole process
  // group, as a terminal sends it). The command is package.json's, through sh as npm runs it, with
  // its build step replaced by `true` (npm test has built already): a shell that does not exec the
  // report would take the SIGTERM and leave the report running on.
  const script = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.report;
  for (const { how, signal, group, exit } of [
    { how: "kill (SIGTERM)", signal: "SIGTERM" as const, group: false, exit: 143 },
    { how: "Ctrl-C (SIGINT to the process group)", signal: "SIGINT" as const, group: true, exit: 130 },
    // No chance to clean up: the runner sees its progress pipe break, stops the kernel, writes nothing.
    { how: "kill -9 (SIGKILL)", signal: "SIGKILL" as const, group: false, exit: null },
  ]) {
    it(`by ${how} stops the kernel, leaves no files${exit ? ` and exits with ${exit}` : ""}`, skipUnlessAvailable(REPORT_MODULES), async () => {
      const dir = mkdtempSync(join(tmpdir(), "digits-report-interrupted-"));
      const marker = `digits-interrupt-test-${process.pid}-${signal}`;
      try {
        const out = join(dir, "reports");
        const command = `${script.replace(/^npm run build && /, "true && ")} --quick --out '${out}' 01`;
        assert.notEqual(command, script, `package.json's report script no longer starts with the build: ${script}`);
        const child = spawn("sh", ["-c", command], {
          cwd: ROOT,
          env: { ...process.env, DIGITS_TEST_MARKER: marker },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true, // its own process group, as a shell gives a job
        });
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += chunk));
        const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
        await new Promise<void>((resolve, reject) => {
          child.stdout.on("data", (chunk) => {
            stdout += chunk;
            if (/code cell 1\/\d+ done/.test(stdout)) resolve();
          });
          child.on("close", () => reject(new Error(`the report ended before its first cell was done:\n${stdout}\n${stderr}`)));
        });
        process.kill(group ? -child.pid! : child.pid!, signal);
        const code = await exited;
        assert.equal(code, exit, `${stdout}\n${stderr}`);
        if (signal === "SIGKILL") {
          // The runner and its kernel outlive the report by up to a cell; wait for them to go.
          for (let i = 0; i < 600 && processesWith(marker).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
        } else {
          assert.match(stderr, /no partial files left/);
        }
        assert.doesNotMatch(stderr, /Traceback/);
        assert.deepEqual(processesWith(marker), [], "processes of the run are still alive");
        assert.deepEqual(listTree(out), ["executed/"]);
      } finally {
        for (const pid of processesWith(marker)) process.kill(pid, "SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** Running processes whose environment holds `marker` (the kernel is in a session of its own). */
function processesWith(marker: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker);
      } catch {
        return false; // gone, or not ours to read
      }
    })
    .map(Number);
}
