// lib/notebook/display on Deno's Jupyter kernel, under load: a cell that sends many large outputs
// while every core is busy keeps them all, in order, and none spills into the next cell. Deno 2.9
// gives no way to wait until an output is published (docs/notebooks.md, "Outputs on Deno"), so
// display.ts pauses after each one; this is the stress test of that pause, run on the real kernel.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { denoBinary, findPython, installKernels, jupyterEnv, kernelDataDir, REPORT_MODULES } from "../../lib/report/jupyter";
import { ROOT, skipUnlessAvailable } from "../support/integration";

const OUTPUTS = 40;
const SIZE = 200_000;

function available(): { skip: string | false } {
  const jupyter = skipUnlessAvailable(REPORT_MODULES);
  if (jupyter.skip || denoBinary() !== null) return jupyter;
  return { skip: "this project's deno is not installed (npm install without devDependencies?)" };
}

/** A notebook of two code cells. */
function notebook(cells: string[]): unknown {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `cell-${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  };
}

describe("outputs on Deno's kernel", available(), () => {
  test(`a cell sending ${OUTPUTS} outputs of ${SIZE / 1000} kB with every core busy keeps them all, in order, and the next cell keeps its own`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-deno-outputs-"));
    const display = pathToFileURL(path.join(ROOT, "dist", "lib", "notebook", "index.js")).href;
    const input = path.join(dir, "stress.ipynb");
    const output = path.join(dir, "executed.ipynb");
    fs.writeFileSync(
      input,
      JSON.stringify(
        notebook([
          `import { showMarkdown } from ${JSON.stringify(display)};\nfor (let i = 0; i < ${OUTPUTS}; i++) showMarkdown(\`output \${i} \` + "x".repeat(${SIZE}));`,
          `import { showMarkdown } from ${JSON.stringify(display)};\nshowMarkdown("the next cell");`,
        ]),
      ),
    );
    // A CPU hog per core, so the kernel's publishing competes for the CPU as on a busy machine.
    const hogs: ChildProcess[] = os.cpus().map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
    try {
      installKernels();
      const python = findPython(REPORT_MODULES)!.python;
      const script = "import sys, nbformat, nbclient\nnb = nbformat.read(sys.argv[1], 4)\nnbclient.NotebookClient(nb, kernel_name='deno', timeout=600).execute()\nnbformat.write(nb, sys.argv[2])";
      const run = spawnSync(python, ["-c", script, input, output], { env: jupyterEnv(process.env, kernelDataDir()), encoding: "utf8", timeout: 600_000 });
      assert.equal(run.status, 0, run.stderr);
    } finally {
      for (const hog of hogs) hog.kill("SIGKILL");
    }
    const executed = JSON.parse(fs.readFileSync(output, "utf8")) as { cells: { outputs: { output_type: string; data?: Record<string, string | string[]> }[] }[] };
    const text = (o: { data?: Record<string, string | string[]> }) => [o.data?.["text/markdown"] ?? ""].flat().join("");
    const [stress, next] = executed.cells.map((c) => c.outputs);
    assert.equal(stress.length, OUTPUTS, `outputs of the stress cell: ${stress.map((o) => `${o.output_type} ${text(o).slice(0, 12)}`).join(", ")}`);
    stress.forEach((o, i) => {
      assert.equal(o.output_type, "display_data");
      assert.equal(text(o), `output ${i} ${"x".repeat(SIZE)}`, `output ${i} arrived whole, in its place`);
    });
    assert.deepEqual(next.map(text), ["the next cell"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
