// The same numbers on both kernels: notebook 02's selection and notebook 03's training, run in
// quick mode on tslab and on Deno with the same parameters and seed, give the same selection
// record (every fold's scores, the summary, the winner), the same test metrics and the same
// weights. Only times, dates, ids and the runtime's own version may differ. And the three executed
// notebooks send the same charts, drawing pad and scripts, so JupyterLab renders Deno's as it renders
// tslab's (quick-reports.ts renders tslab's in every state). Read from the shared quick runs on each
// kernel (test/support/shared-reports.ts).
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Notebook } from "../../lib/report/ipynb";
import { KERNEL_NAMES, type KernelName } from "../../lib/report/jupyter";
import { NOTEBOOKS } from "../../lib/report/report";
import { kernelAvailable } from "../support/integration";
import { renderedShape } from "../support/render";
import { sharedReport } from "../support/shared-reports";

/** What one kernel's run left: the selection record and the saved model's training notes and weights. */
interface KernelRun {
  record: Record<string, unknown>;
  training: { notes: { test: unknown }; history: { epoch: number[]; history: Record<string, number[]> } };
  weights: Buffer;
  /** The executed notebooks, by name. */
  executed: Map<string, Notebook>;
}

/** The record without what a clock or a runtime decides (times, ids, versions). */
function recordNumbers(record: Record<string, unknown>): unknown {
  const folds = (record.folds as Record<string, unknown>[]).map(({ seconds: _seconds, ...rest }) => rest);
  const summary = (record.summary as Record<string, unknown>[]).map(({ meanSeconds: _mean, sdSeconds: _sd, ...rest }) => rest);
  return { config: record.config, data: record.data, folds, summary, winner: record.winner };
}

describe("notebooks 02 and 03 on tslab and on Deno", { timeout: 900_000 }, () => {
  const ready = kernelAvailable("deno");
  const runs = new Map<KernelName, KernelRun>();

  before(async () => {
    if (ready.skip) return;
    // Both built at once when no other test file has built them yet.
    const shared = await Promise.all(KERNEL_NAMES.map(async (kernel) => [kernel, await sharedReport(kernel)] as const));
    for (const [kernel, { work: dir, out }] of shared) {
      const records = readdirSync(join(dir, "experiments")).filter((f) => f.endsWith(".json"));
      assert.equal(records.length, 1, `${kernel}: one selection record`);
      runs.set(kernel, {
        record: JSON.parse(readFileSync(join(dir, "experiments", records[0]), "utf8")),
        training: JSON.parse(readFileSync(join(dir, "model", "training.json"), "utf8")),
        weights: readFileSync(join(dir, "model", "weights.bin")),
        executed: new Map(NOTEBOOKS.map((name) => [name, JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook])),
      });
    }
  });

  it("select the same network from the same fold scores (notebook 02's record)", ready, () => {
    const [tslab, deno] = KERNEL_NAMES.map((k) => runs.get(k)!);
    assert.ok((tslab.record.folds as unknown[]).length > 0);
    assert.deepEqual(recordNumbers(deno.record), recordNumbers(tslab.record));
  });

  it("train the same weights and measure the same test metrics (notebook 03)", ready, () => {
    const [tslab, deno] = KERNEL_NAMES.map((k) => runs.get(k)!);
    assert.deepEqual(deno.training.notes.test, tslab.training.notes.test);
    // Every epoch's loss and accuracy, without its duration.
    const { seconds: _t, ...tslabHistory } = tslab.training.history.history;
    const { seconds: _d, ...denoHistory } = deno.training.history.history;
    assert.ok(tslabHistory.loss.length > 0);
    assert.deepEqual(denoHistory, tslabHistory);
    assert.ok(deno.weights.equals(tslab.weights), "the saved weights differ");
  });

  it("send the same charts, drawing pad and scripts in all three notebooks, so that JupyterLab renders them alike", ready, () => {
    const [tslab, deno] = KERNEL_NAMES.map((k) => runs.get(k)!);
    for (const name of NOTEBOOKS) {
      const shape = renderedShape(tslab.executed.get(name)!);
      assert.ok(JSON.stringify(shape).includes("application/vnd.plotly.v1+json"), `${name}: no chart to compare`);
      assert.deepEqual(renderedShape(deno.executed.get(name)!), shape, `${name}: Deno's outputs render differently from tslab's`);
    }
  });
});
