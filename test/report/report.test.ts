// npm run report: pure helpers always; the integration (quick mode: executes the three notebooks
// on each kernel, tslab and Deno, then opens each HTML report in headless Chromium, as written, without
// require.js and with require.js injected) where Jupyter and Chromium are installed. Failures of
// the run itself (outputs that cannot be written, a failing cell, Ctrl-C or kill) use a tiny
// notebook or stop notebook 01 after its first cell, so they take seconds.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { loadCsv } from "../../lib/data/csv";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { cellErrors, cellSource, joinText, type Notebook } from "../../lib/report/ipynb";
import { outputsOfType } from "../support/notebook-outputs";
import { denoBinary, findPython, installKernel, jupyterEnv, KERNEL_NAMES, kernelVersion, REPORT_MODULES, type KernelName } from "../../lib/report/jupyter";
import { plotlyBundle } from "../../lib/notebook/plotly";
import { InputError } from "../../lib/core/errors";
import { replaceFiles } from "../../lib/core/files";
import { checkOutputs, removeStaleTemps, reportPaths } from "../../lib/report/outputs";
import { buildReports, NotebookError, NOTEBOOKS, selectNotebooks } from "../../lib/report/report";
import { failureMessage } from "../../lib/report/runner";
import { checkConfusionCells, checkDrawPad, cliProbabilities } from "../support/draw";
import { collectErrors, findRequireJs, launchChromium, plotStates, ROOT, SCREENSHOTS, skipUnlessAvailable } from "../support/integration";
import { checkCodeToggle, checkHeaderAndToc, checkTheme } from "../support/page-parts";
import { chartOutputs, colouredShare, htmlFigure, pdfPages, pdfProblems, popplerAvailable, squash } from "../support/pdf";
import { harnessAvailable, renderInJupyterLab, RENDER_STATES } from "../support/render";

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

/** Files and folders under `dir`, relative, sorted ("executed/" for a folder). */
function listTree(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...listTree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]))
    .sort();
}

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

/** A process id that is not running: a child's, after it has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
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
      assert.match(specs.tslab.spec.argv[1], /node_modules\/tslab\/bin\/tslab$/);
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
          assert.match(second, /^\(and the executed notebook could not be saved: cannot write \S*reports\/executed\/\.01-exploratory-analysis\.ipynb\.\d+\.tmp: Not a directory\)$/);
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

// What each report must show: chart titles in order, and table captions.
const EXPECTED: Record<string, { charts: RegExp[]; tables: RegExp[] }> = {
  "01-exploratory-analysis": {
    charts: [/^Class balance: 5,923 zeros and 6,742 ones/, /^Pixel intensities/, /^Per-image features by class/, /^Mean image \(top\) and pixel variance \(bottom\)/, /^100 random digits with their labels/, /^Which pairs are hard: .* per pair of digits; outlined: 0 vs 1$/],
    tables: [/The first five rows/, /Data quality/, /Per-image features by class \(simple-statistics\)/, /danfo group-by/],
  },
  "02-model-selection": {
    charts: [/^Model selection: validation scores against network size \(mean ± sd over 3 folds, 2 epochs\); winner /, /^Validation log loss on each of 3 folds \(points\) and its mean ± sd, per candidate$/, /^Which differences are real: each candidate against /],
    tables: [/Validation scores per architecture/, /Each candidate against the best/, /Selection runs in this folder/, /Mean validation log loss per architecture/],
  },
  "03-training-and-evaluation": {
    charts: [/^Training curves/, /^Confusion matrices/, /^100 test digits titled "true, predicted"/, /^Misclassified test digits/, /^Predicted probability/, /^ROC curve on the test set/, /^(First-layer weights|Logistic regression's weights)/, /^Integrated gradients of \d+ test digits/, /^Reliability diagram, test set/],
    tables: [/Metrics \(digit 1 is the positive class/],
  },
};

for (const kernel of KERNEL_NAMES) describeQuickReports(kernel);

/** skipUnlessAvailable, and for Deno this project's deno too (never a skip under CI, where npm ci installs it). */
function kernelAvailable(kernel: KernelName): { skip: string | false } {
  const available = skipUnlessAvailable();
  if (available.skip || kernel !== "deno" || denoBinary() !== null) return available;
  if (process.env.CI === "true") throw new Error("CI=true but this project's deno is not installed");
  return { skip: "this project's deno is not installed (npm install without devDependencies?)" };
}

/** The quick reports on one kernel: the same checks on both, the same notebooks. */
function describeQuickReports(kernel: KernelName): void {
  describe(`npm run report -- --quick --kernel ${kernel}`, { timeout: 1_200_000 }, () => {
    const available = kernelAvailable(kernel);
    // Screenshots of the tslab run keep their names; the Deno run's are prefixed.
    const shot = (name: string) => (kernel === "tslab" ? name : `${kernel}-${name}`);
    let work = "";
    let out = "";
    let browser: Browser | null = null;
    let requireJs = "";

    before(async () => {
      if (available.skip) return;
      work = mkdtempSync(join(tmpdir(), "digits-report-"));
      out = join(work, "reports");
      // What a killed earlier run left: this run removes it.
      mkdirSync(join(out, "executed"), { recursive: true });
      const dead = deadPid();
      writeFileSync(join(out, `.02-model-selection.result.${dead}.tmp.json`), "{}");
      writeFileSync(join(out, "executed", `.02-model-selection.ipynb.${dead}.tmp`), "{}");
      const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--pdf", "--kernel", kernel, "--out", out], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, DIGITS_EXPERIMENTS_DIR: join(work, "experiments"), DIGITS_MODEL_DIR: join(work, "model"), DIGITS_PAIRS_DIR: join(work, "pairs") },
        timeout: 240_000,
      });
      assert.equal(run.status, 0, `npm run report -- --quick --kernel ${kernel} failed:\n${run.stdout}\n${run.stderr}`);
      browser = await launchChromium();
      requireJs = readFileSync(findRequireJs(), "utf8");
      mkdirSync(SCREENSHOTS, { recursive: true });
    });

    after(async () => {
      await browser?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it("writes the three reports and the executed notebooks, with no error output", available, () => {
      for (const name of NOTEBOOKS) {
        assert.ok(existsSync(join(out, `${name}.html`)), `${name}.html is missing`);
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        assert.deepEqual(cellErrors(executed), [], `${name} has error outputs`);
        const stderr = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stderr"));
        assert.deepEqual(stderr, [], `${name} wrote to stderr`);
        assert.ok(executed.cells.filter((c) => c.cell_type === "code").every((c) => typeof c.execution_count === "number"), `${name}: a code cell did not run`);
      }
      assert.deepEqual(listTree(out).filter((f) => /(^|\/)\./.test(f)), [], "temporary files left behind (also by an earlier, killed run)");
    });

    it(`records the ${kernel} kernel in each executed notebook's metadata and says "Ran on ${kernel} VERSION" in its first output`, available, () => {
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        assert.equal((executed.metadata.kernelspec as { name?: string }).name, kernel, `${name}: metadata.kernelspec.name`);
        assert.equal((executed.metadata.language_info as { name?: string }).name, "typescript", `${name}: metadata.language_info`);
        const first = executed.cells.find((c) => (c.outputs ?? []).length > 0);
        assert.ok(outputsOfType({ ...executed, cells: first ? [first] : [] }, "text/plain").includes(`Ran on ${kernel} ${kernelVersion(kernel)}`), `${name}: no "Ran on ${kernel} ${kernelVersion(kernel)}"`);
      }
    });

    it("shows tables as HTML and embeds plotly.js once per notebook, with no CDN", available, () => {
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const html = outputsOfType(executed, "text/html");
        for (const caption of EXPECTED[name].tables) {
          assert.ok(html.some((h) => h.includes("<table") && caption.test(h.replace(/<[^>]+>/g, " "))), `${name}: no table captioned ${caption}`);
        }
        const embedded = `plotly.js ${plotlyBundle().version} (plotly.js-dist-min), embedded`;
        assert.equal(html.filter((h) => h.includes(embedded)).length, 1, `${name}: plotly.js should be sent exactly once`);
        // By setupCharts() in the imports cell, so re-running a chart cell cannot take it out of the saved notebook.
        const carrier = executed.cells.find((c) => (c.outputs ?? []).some((o) => joinText(o.data?.["text/html"]).includes(embedded)));
        assert.match(carrier ? cellSource(carrier) : "", /^setupCharts\(\);/m, `${name}: plotly.js is not in the imports cell's output`);
        const page = readFileSync(join(out, `${name}.html`), "utf8");
        assert.doesNotMatch(page, /<script[^>]+src="https?:/, `${name}.html loads a script from the network`);
      }
    });

    it("records the selection and saves the model where the parameters say", available, () => {
      assert.equal(readdirSync(join(work, "experiments")).filter((f) => f.endsWith(".json")).length, 1);
      assert.ok(existsSync(join(work, "model", "model.json")));
      assert.ok(existsSync(join(work, "model", "training.json")));
    });

    it("03's drawing pad and clickable confusion matrix work in the report opened from disk offline, with and without require.js", available, async () => {
      // The model the notebook saved, scored by the CLI: the page must give the same probabilities.
      const testCsv = ensureDefaultDataset().test;
      const test = loadCsv(testCsv);
      const cli = cliProbabilities(join(work, "model"), testCsv, join(work, "predictions.csv"));
      const written = readFileSync(join(out, "03-training-and-evaluation.html"), "utf8");
      const variants = [
        { label: "without require.js", html: written.replace(/<script src="[^"]*require(\.min)?\.js"><\/script>/g, "") },
        { label: "with require.js injected", html: written.replace("<head>", `<head><script>${requireJs}</script>`) },
      ];
      for (const variant of variants) {
        const path = join(out, `.03-draw-${variant.label.replace(/\W+/g, "-")}.html`);
        writeFileSync(path, variant.html);
        const context = await browser!.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
        try {
          const page = await context.newPage();
          const errors = collectErrors(page);
          await page.goto(`file://${path}`, { waitUntil: "load" });
          await page.waitForSelector(".binary-digits-draw[data-digits-ready]", { timeout: 30_000 });
          await checkDrawPad(page, page.locator(".binary-digits-draw"), { test, cli });
          await checkConfusionCells(page.locator(".binary-digits-cells"), { labels: test.labels, cli });
          assert.deepEqual(errors, [], `03 (${variant.label}): errors on the page`);
        } finally {
          await context.close();
          rmSync(path, { force: true });
        }
      }
    });

    it("sends each chart as one output with the Plotly figure, the HTML and its title as text", available, () => {
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const charts = chartOutputs(executed);
        assert.equal(charts.length, EXPECTED[name].charts.length, `${name}: chart outputs`);
        charts.forEach((data, i) => {
          assert.deepEqual(Object.keys(data).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"], `${name}: chart ${i + 1}`);
          assert.match(joinText(data["text/plain"]).replace(/^Chart: /, ""), EXPECTED[name].charts[i], `${name}: chart ${i + 1}'s text`);
          const plotly = data["application/vnd.plotly.v1+json"] as { layout: unknown; config: unknown };
          assert.deepEqual(plotly.layout, htmlFigure(data).layout, `${name}: chart ${i + 1}: the Plotly JSON and the HTML draw one figure`);
        });
      }
    });

    it("grows the executed notebooks by no more than the figures' JSON", available, (t) => {
      let growth = 0;
      let figures = 0;
      for (const name of NOTEBOOKS) {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        // Sizes as nbformat writes them (indent 1); the same notebook with only the HTML in each chart output.
        const size = (nb: Notebook) => Buffer.byteLength(JSON.stringify(nb, null, 1));
        const full = size(executed);
        let json = 0;
        for (const data of chartOutputs(executed)) {
          json += Buffer.byteLength(JSON.stringify(htmlFigure(data)));
          delete data["application/vnd.plotly.v1+json"];
          delete data["text/plain"];
        }
        const added = full - size(executed);
        const charts = EXPECTED[name].charts.length;
        t.diagnostic(`${name}: +${added} bytes for ${charts} charts whose figures' JSON is ${json} bytes`);
        // nbformat writes one value per line, so a small figure (no big arrays to pack) takes about twice
        // its compact JSON: 3 kB more for the selection chart.
        assert.ok(added <= json + 4_000 * charts, `${name}: grew ${added} bytes, figures' JSON ${json}`);
        growth += added;
        figures += json;
      }
      assert.ok(growth <= figures, `the notebooks grew ${growth} bytes, the figures' JSON is ${figures} bytes`);
    });

    for (const name of NOTEBOOKS) {
      it(`${name} renders in JupyterLab 4 / Notebook 7's output areas, trusted or not, with and without the Plotly renderer`, harnessAvailable(), async (t) => {
        if (available.skip) return t.skip(available.skip);
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const n = EXPECTED[name].charts.length;
        for (const plotlyRenderer of [false, true]) {
          for (const state of RENDER_STATES) {
            const seen = await renderInJupyterLab(browser!, executed, state, plotlyRenderer);
            const label = `${name}, ${state}, ${plotlyRenderer ? "with" : "without"} jupyterlab-plotly`;
            t.diagnostic(`${label}: ${seen.byHtml + seen.byPlotlyRenderer}/${seen.charts} charts drawn (${seen.byHtml} by their HTML, ${seen.byPlotlyRenderer} by the renderer), ${seen.fallbacks} text fallbacks`);
            assert.deepEqual(seen.errors, [], `${label}: page errors`);
            assert.equal(seen.charts, n, label);
            const drawnBy = plotlyRenderer ? seen.byPlotlyRenderer : seen.byHtml;
            if (state === "untrusted" && !plotlyRenderer) {
              // The sanitizer removed every script: nothing can draw, and each chart says why instead.
              assert.equal(seen.scripts, 0, `${label}: scripts left`);
              assert.equal(drawnBy, 0, label);
              assert.equal(seen.fallbacks, n, `${label}: text fallbacks`);
            } else {
              assert.equal(drawnBy, n, `${label}: charts drawn`);
              assert.equal(seen.byHtml + seen.byPlotlyRenderer, n, `${label}: a chart drawn twice`);
              assert.equal(seen.fallbacks, 0, `${label}: a fallback still shows`);
              seen.titles.forEach((title, i) => assert.match(title, EXPECTED[name].charts[i], `${label}: chart ${i + 1}`));
            }
          }
        }
      });
    }

    for (const name of NOTEBOOKS) {
      it(`${name}.pdf has every section, keeps each chart and table on one page, and shows charts`, available.skip ? available : popplerAvailable(), () => {
        const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
        const pdf = join(out, `${name}.pdf`);
        const pages = pdfPages(pdf);
        assert.ok(pages.length >= 2 && pages.length <= 12, `${name}.pdf: ${pages.length} pages`);
        assert.deepEqual(pdfProblems(executed, pages), [], `${name}.pdf`);
        // The first chart's page, rendered to an image (kept beside the screenshots).
        const firstChart = squash((htmlFigure(chartOutputs(executed)[0]).layout as { title?: { text?: string } }).title?.text ?? "").slice(0, 30);
        const chartPage = pages.findIndex((p) => p.includes(firstChart)) + 1;
        const png = join(SCREENSHOTS, shot(`${name}.pdf-page-${chartPage}`));
        spawnSync("pdftoppm", ["-r", "60", "-f", String(chartPage), "-l", String(chartPage), "-png", "-singlefile", pdf, png]);
        assert.ok(existsSync(`${png}.png`), "pdftoppm wrote no PNG");
        if (name === "01-exploratory-analysis") {
          // The class-balance bars are solid colour: 7 % of that page at 40 dpi, where a page of text
          // and highlighted code has under 0.5 %. A chart that did not draw leaves only its fallback text.
          assert.ok(colouredShare(pdf, chartPage) > 0.03, `${name}.pdf page ${chartPage} shows no chart`);
        }
      });
    }

    for (const name of NOTEBOOKS) {
      it(`${name}.html renders every chart offline, as written, without require.js and with it`, available, async () => {
        const file = join(out, `${name}.html`);
        const written = readFileSync(file, "utf8");
        const variants = [
          { label: "as written", html: written },
          { label: "without require.js", html: written.replace(/<script src="[^"]*require(\.min)?\.js"><\/script>/g, "") },
          { label: "with require.js injected", html: written.replace("<head>", `<head><script>${requireJs}</script>`) },
        ];
        for (const variant of variants) {
          const path = join(out, `.${name}.${variant.label.replace(/\W+/g, "-")}.html`);
          writeFileSync(path, variant.html);
          const context = await browser!.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
          try {
            const page = await context.newPage();
            const errors = collectErrors(page);
            await page.goto(`file://${path}`, { waitUntil: "load" });
            const plots = await plotStates(page);
            const amd = await page.evaluate(() => typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd === "object");
            if (variant.label === "without require.js") assert.equal(amd, false, "require.js is still on the page");
            if (variant.label === "with require.js injected") assert.equal(amd, true, "require.js did not load");
            assert.deepEqual(errors, [], `${name} (${variant.label}): errors on the page`);
            assert.equal(plots.length, EXPECTED[name].charts.length, `${name} (${variant.label}): ${plots.length} chart containers`);
            // nbconvert picks one type of each chart's bundle (the HTML): no second chart from the Plotly JSON.
            assert.equal(await page.evaluate(() => document.querySelectorAll(".js-plotly-plot").length), plots.length, `${name} (${variant.label}): a chart drawn twice`);
            plots.forEach((plot, i) => {
              assert.ok(plot.rendered, `${name} (${variant.label}): chart ${i + 1} did not render`);
              assert.match(plot.title, EXPECTED[name].charts[i], `${name} (${variant.label}): chart ${i + 1}`);
            });
            if (variant.label === "as written") await page.screenshot({ path: join(SCREENSHOTS, shot(`${name}.png`)), fullPage: true });
            // The run header, contents, code toggle and theme (issue 22), on every report and variant.
            await checkPageParts(page, `${name} (${variant.label})`);
          } finally {
            await context.close();
            rmSync(path, { force: true });
          }
        }
      });
    }
  });
}

// A pair other than 0 and 1: every chart that names a class names 4 and 9.
const EXPECTED_PAIR: Record<string, RegExp[]> = {
  "01-exploratory-analysis": [/^Class balance: 5,842 fours and 5,949 nines \(11,791 images\)/, /^Pixel intensities/, /^Per-image features by class/, /^Mean image \(top\) and pixel variance \(bottom\)/, /^100 random digits with their labels/, /^Which pairs are hard: .* per pair of digits; outlined: 4 vs 9$/],
  "02-model-selection": [/^Model selection of 4 against 9: validation scores against network size \(mean ± sd over 3 folds, 2 epochs\); winner /, /^Validation log loss on each of 3 folds/, /^Which differences are real: each candidate against /],
  "03-training-and-evaluation": [/^Training curves/, /^Confusion matrices/, /^100 test digits titled "true, predicted"/, /^Misclassified test digits: .*with P\(digit is 9\)$/, /^Predicted probability that a test digit is a 9, by true digit$/, /^ROC curve on the test set, 9 the positive class: AUC = /, /^(First-layer weights|Logistic regression's weights)/, /^Integrated gradients of \d+ test digits/, /^Reliability diagram, test set/],
};

describe("npm run report -- --quick --digits 4,9", { timeout: 900_000 }, () => {
  const available = skipUnlessAvailable();
  let work = "";
  let out = "";
  let browser: Browser | null = null;

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-report-pair-"));
    out = join(work, "reports");
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--digits", "4,9", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DIGITS_EXPERIMENTS_DIR: join(work, "experiments"), DIGITS_MODEL_DIR: join(work, "model"), DIGITS_PAIRS_DIR: join(work, "pairs") },
      timeout: 600_000,
    });
    assert.equal(run.status, 0, `npm run report -- --quick --digits 4,9 failed:\n${run.stdout}\n${run.stderr}`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs every notebook on the pair with no error output, and records the pair with the selection and the model", available, () => {
    for (const name of NOTEBOOKS) {
      const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
      assert.deepEqual(cellErrors(executed), [], `${name} has error outputs`);
      assert.deepEqual(executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stderr")), [], `${name} wrote to stderr`);
      // What the notebooks say is about fours and nines, never the default pair's classes.
      const said = [...outputsOfType(executed, "text/markdown"), ...outputsOfType(executed, "text/html").filter((h) => h.includes("<table"))].join("\n");
      assert.doesNotMatch(said, /\bzeros\b|\bP\(1\)|digit 1 is the positive|\btrue 0\b|\bpredicted 1\b|\bdigit [01]\b/, `${name} names the default pair's classes`);
    }
    const [record] = readdirSync(join(work, "experiments")).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(work, "experiments", f), "utf8")));
    assert.deepEqual(record.data.digits, [4, 9]);
    assert.deepEqual(JSON.parse(readFileSync(join(work, "model", "training.json"), "utf8")).digits, [4, 9]);
  });

  for (const name of NOTEBOOKS) {
    it(`${name}.html renders every chart, titled with the pair's digits where it names a class`, available, async () => {
      const context = await browser!.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = collectErrors(page);
        await page.goto(`file://${join(out, `${name}.html`)}`, { waitUntil: "load" });
        const plots = await plotStates(page);
        assert.deepEqual(errors, [], `${name}: errors on the page`);
        assert.equal(plots.length, EXPECTED_PAIR[name].length, `${name}: ${plots.length} chart containers`);
        plots.forEach((plot, i) => {
          assert.ok(plot.rendered, `${name}: chart ${i + 1} did not render`);
          assert.match(plot.title, EXPECTED_PAIR[name][i], `${name}: chart ${i + 1}`);
        });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-4-9.png`), fullPage: true });
        await checkPageParts(page, `${name} 4-9`);
      } finally {
        await context.close();
      }
    });
  }
});

/** The header's commit, every contents link, the code toggle and the theme switch. */
async function checkPageParts(page: import("playwright-core").Page, label: string): Promise<void> {
  await checkHeaderAndToc(page, label);
  await checkCodeToggle(page, label);
  await checkTheme(page, label);
}
