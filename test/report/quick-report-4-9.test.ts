// npm run report -- --quick --digits 4,9: the three notebooks on a pair other than 0 and 1 (the
// shared run of test/support/shared-reports.ts, on the Deno kernel) say nothing of zeros and ones,
// record the pair with the selection and the model, every chart that names a class names 4 and 9,
// and the lab's panels retrain the pair's network and rerun its selection to the notebooks'
// numbers.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator } from "playwright-core";
import { cellErrors, type Notebook } from "../../lib/report/ipynb";
import { outputsOfType } from "../support/notebook-outputs";
import { NOTEBOOKS } from "../../lib/report/report";
import type { ExperimentRecord } from "../../lib/selection/record";
import { kernelAvailable, launchChromium, openOffline, plotStates, SCREENSHOTS, type OfflinePage } from "../support/integration";
import { endState, panelMessage, readyPanel, rerunsRecord, runPanel } from "../support/lab";
import { sharedReport } from "../support/shared-reports";
import { checkPageParts } from "./quick-reports";


// A pair other than 0 and 1: every chart that names a class names 4 and 9.
const EXPECTED_PAIR: Record<string, RegExp[]> = {
  "01-exploratory-analysis": [/^Class balance: 5,842 fours and 5,949 nines \(11,791 images\)/, /^Pixel intensities/, /^Per-image features by class/, /^Mean image \(top\) and pixel variance \(bottom\)/, /^100 random digits with their labels/, /^Which pairs are hard: .* per pair of digits; outlined: 4 vs 9$/],
  "02-model-selection": [/^Model selection of 4 against 9: validation scores against network size \(mean ± sd over 3 folds, 2 epochs\); winner /, /^Validation log loss on each of 3 folds/, /^Which differences are real: each candidate against /],
  "03-training-and-evaluation": [/^Training curves/, /^Confusion matrices/, /^100 test digits titled "true, predicted"/, /^Misclassified test digits: .*with P\(digit is 9\)$/, /^Predicted probability that a test digit is a 9, by true digit$/, /^ROC curve on the test set, 9 the positive class: AUC = /, /^(First-layer weights|Logistic regression's weights)/, /^Integrated gradients of \d+ test digits/, /^Reliability diagram, test set/],
};

describe("npm run report -- --quick --digits 4,9", { timeout: 900_000 }, () => {
  const available = kernelAvailable("deno");
  // The shared run (npm run report -- --quick --pdf --digits 4,9 --kernel deno), which these tests
  // only read.
  let work = "";
  let out = "";
  let browser: Browser | null = null;

  before(async () => {
    if (available.skip) return;
    ({ work, out } = await sharedReport("4-9"));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
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

  // Reports 02 and 03 stay open after their charts are checked: their lab panels run next, on them.
  const opened = new Map<string, OfflinePage>();

  for (const name of NOTEBOOKS) {
    it(`${name}.html renders every chart, titled with the pair's digits where it names a class`, available, async () => {
      const report = await openOffline(browser!, join(out, `${name}.html`));
      const { page, errors } = report;
      try {
        const plots = await plotStates(page);
        assert.deepEqual(errors, [], `${name}: errors on the page`);
        assert.equal(plots.length, EXPECTED_PAIR[name].length, `${name}: ${plots.length} chart containers`);
        plots.forEach((plot, i) => {
          assert.ok(plot.rendered, `${name}: chart ${i + 1} did not render`);
          assert.match(plot.title, EXPECTED_PAIR[name][i], `${name}: chart ${i + 1}`);
        });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-4-9.png`), fullPage: true });
        await checkPageParts(page, `${name} 4-9`);
        assert.deepEqual(errors, [], `${name}: errors on the page after using the header, contents, code toggle and theme`);
        if (name !== "01-exploratory-analysis") opened.set(name, report);
      } finally {
        if (!opened.has(name)) await report.close();
      }
    });
  }

  /** Runs `check` on the lab panel `kind` of report `name`, on its page opened above (or opened now, if that test did not run), then closes the page. */
  async function onPanel(name: string, kind: "train" | "select", check: (panel: Locator) => Promise<void>): Promise<void> {
    const report = opened.get(name) ?? (await openOffline(browser!, join(out, `${name}.html`)));
    try {
      await check(await readyPanel(report.page, kind));
      assert.deepEqual(report.errors, []);
    } finally {
      opened.delete(name);
      await report.close();
    }
  }

  it("report 03's train panel, with the notebook's settings, gives the SHA-256 of the 4 vs 9 weights.bin notebook 03 saved", available, async () => {
    const saved = createHash("sha256").update(readFileSync(join(work, "model", "weights.bin"))).digest("hex");
    await onPanel("03-training-and-evaluation", "train", async (panel) => {
      await runPanel(panel);
      assert.equal(await endState(panel), "done", await panelMessage(panel));
      assert.equal(await panel.getAttribute("data-digits-lab-weights-sha256"), saved);
    });
  });

  it("report 02's select panel, with the notebook's settings, gives every fold's scores, the summary and the winner of the 4 vs 9 record", available, async () => {
    const [file] = readdirSync(join(work, "experiments")).filter((f) => f.endsWith(".json"));
    const record = JSON.parse(readFileSync(join(work, "experiments", file), "utf8")) as ExperimentRecord;
    await onPanel("02-model-selection", "select", (panel) => rerunsRecord(panel, record));
  });
});
