// Names that did not come from our code (folders, file names, CSV paths, a record's stored data
// path) are shown as text in the reports, never read as Markdown or HTML. One quick `npm run
// report` runs the three notebooks with hostile names everywhere a name enters a sentence or a
// table (on Deno, the cheaper kernel: the names are escaped by our code, before either kernel's
// display sends them); each report is then opened in Chromium, which must show every name as text
// and must not get any element, event handler or javascript: link from them, nor open a dialog. The
// Markdown outputs are also rendered with Notebook 6's own marked, as its live view does (without
// sanitizing, even in an untrusted notebook).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { findPython } from "../../lib/report/jupyter";
import { joinText, type Notebook } from "../../lib/report/ipynb";
import { NOTEBOOKS } from "../../lib/report/report";
import { selectCandidates } from "../../lib/selection/select";
import { kernelAvailable, launchChromium, ROOT } from "../support/integration";
import { smallData, SMALL } from "../support/selection-data";

// Every injected tag carries data-hostile, so one selector finds any that became an element.
const IMG = (n: number) => `<img data-hostile src=x onerror=alert(${n})>`;
/** The hostile names, each a folder or file name (no "/"), and the notebooks that show it. */
const NAMES = {
  // A backtick ends the code span a path used to be shown in; the newline and quotes come along.
  data: { name: `data\`${IMG(1)}\`](javascript:alert(1))\n"q' <b data-hostile>`, in: ["01-exploratory-analysis"] },
  pairs: { name: `pairs${IMG(2)}*em*`, in: ["01-exploratory-analysis"] },
  experiments: { name: `records\`${IMG(3)}\`[x](javascript:alert(3))`, in: ["02-model-selection", "03-training-and-evaluation"] },
  model: { name: `model\`${IMG(4)}\`<script data-hostile>alert(4)</script>`, in: ["03-training-and-evaluation"] },
  skipped: { name: `skipped${IMG(5)}\n# heading.json`, in: ["03-training-and-evaluation"] },
  record: { name: `other](javascript:alert(6))${IMG(6)}.json`, in: ["03-training-and-evaluation"] },
  // Not a folder of this machine: the data path stored in an earlier record of other data.
  source: { name: `/elsewhere/source\`${IMG(7)}\`"x".csv`, in: ["03-training-and-evaluation"] },
  // A record's id, shown in the tables of runs.
  id: { name: `run<i data-hostile onmouseover=alert(8)>|x|`, in: ["02-model-selection"] },
} as const;

/** What a page shows for a name: Markdown turns its line breaks into spaces, and so does reading it. */
const shown = (text: string) => text.replace(/\s+/g, " ").trim();

/** Elements, handlers and links the names made, and the dialogs they opened (none, if escaped). */
interface Injected {
  elements: string[];
  handlers: string[];
  links: string[];
}

// Runs in the page: anything carrying the names' marks, an on* attribute, or a javascript: link.
function scanPage(): Injected {
  const all = Array.from(document.querySelectorAll("*"));
  const seen = (window as unknown as { __hostile?: string[] }).__hostile ?? [];
  return {
    elements: [...seen, ...all.filter((e) => e.hasAttribute("data-hostile")).map((e) => e.outerHTML.slice(0, 120))],
    handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}=${a.value}`)),
    links: all.filter((e) => /^\s*javascript:/i.test(e.getAttribute("href") ?? "")).map((e) => e.outerHTML.slice(0, 120)),
  };
}

// Added before any of the page's scripts: every element carrying the mark, even one removed later.
const WATCH = `window.__hostile = [];
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes) {
    if (n.nodeType !== 1) continue;
    for (const e of [n, ...n.querySelectorAll("[data-hostile]")]) if (e.hasAttribute("data-hostile")) window.__hostile.push(e.outerHTML.slice(0, 120));
  }
}).observe(document, { childList: true, subtree: true });`;

async function withPage(browser: Browser, use: (page: Page, dialogs: string[]) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.addInitScript(WATCH);
    await use(page, dialogs);
  } finally {
    await context.close();
  }
}

/** Notebook 6's marked (what its live view renders Markdown outputs with), where Notebook 6 is installed. */
function notebookMarked(): string | null {
  const python = findPython(["notebook"]);
  if (!python) return null;
  const dir = spawnSync(python.python, ["-c", "import notebook, os; print(os.path.dirname(notebook.__file__))"], { encoding: "utf8" }).stdout.trim();
  try {
    return readFileSync(join(dir, "static", "components", "marked", "lib", "marked.js"), "utf8");
  } catch {
    return null;
  }
}

describe("hostile names in the reports", { timeout: 900_000 }, () => {
  const available = kernelAvailable("deno");
  let work = "";
  let out = "";
  let browser: Browser | null = null;

  before(async () => {
    if (available.skip) return;
    work = mkdtempSync(join(tmpdir(), "digits-hostile-"));
    out = join(work, "reports");
    const experiments = join(work, NAMES.experiments.name);
    mkdirSync(experiments);
    // A file that is not a record, and a newer record of other data: notebook 03 names both as skipped.
    writeFileSync(join(experiments, NAMES.skipped.name), "{ not json");
    const other = await selectCandidates(smallData(), { ...SMALL, source: NAMES.source.name });
    writeFileSync(join(experiments, NAMES.record.name), JSON.stringify({ ...other, id: NAMES.id.name, startedAt: "2999-01-01T00:00:00.000Z" }, null, 2));
    const trainCsv = join(work, NAMES.data.name, "train.csv");
    mkdirSync(dirname(trainCsv));
    copyFileSync(ensureDefaultDataset().train, trainCsv);
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), "--quick", "--kernel", "deno", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        DIGITS_TRAIN_CSV: trainCsv,
        DIGITS_EXPERIMENTS_DIR: experiments,
        DIGITS_MODEL_DIR: join(work, NAMES.model.name),
        DIGITS_PAIRS_DIR: join(work, NAMES.pairs.name),
      },
      timeout: 600_000,
    });
    assert.equal(run.status, 0, `npm run report -- --quick --kernel deno failed:\n${run.stdout}\n${run.stderr}`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const notebook of NOTEBOOKS) {
    const names = Object.entries(NAMES).filter(([, n]) => (n.in as readonly string[]).includes(notebook));

    it(`${notebook}.html shows ${names.map(([key]) => key).join(", ")} as text, and they create no element, handler or link`, available, async () => {
      await withPage(browser!, async (page, dialogs) => {
        await page.goto(`file://${join(out, `${notebook}.html`)}`, { waitUntil: "load" });
        const injected = await page.evaluate(scanPage);
        assert.deepEqual(injected, { elements: [], handlers: [], links: [] }, `${notebook}.html`);
        assert.deepEqual(dialogs, [], `${notebook}.html opened dialogs`);
        const text = shown(await page.evaluate(() => document.body.innerText));
        for (const [key, { name }] of names) assert.ok(text.includes(shown(name)), `${notebook}.html does not show the ${key} name ${JSON.stringify(name)} as text`);
      });
    });
  }

  it("every Markdown output, rendered by Notebook 6's marked as its live view does, creates no element, handler or link", available, async (t) => {
    const marked = notebookMarked();
    if (!marked) {
      const reason = "Notebook 6 is not installed: its marked renders the live view's Markdown outputs (`sudo apt-get install jupyter-notebook`)";
      if (process.env.CI === "true") throw new Error(`CI=true but ${reason}`);
      return t.skip(reason);
    }
    const markdown = NOTEBOOKS.flatMap((name) => {
      const executed = JSON.parse(readFileSync(join(out, "executed", `${name}.ipynb`), "utf8")) as Notebook;
      return executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data?.["text/markdown"] !== undefined).map((o) => joinText(o.data!["text/markdown"])));
    });
    assert.ok(markdown.length >= 10, `only ${markdown.length} Markdown outputs`);
    await withPage(browser!, async (page, dialogs) => {
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ content: marked });
      await page.evaluate((sources) => {
        const parse = (window as unknown as { marked: { parse(s: string, o: object): string } }).marked.parse;
        for (const source of sources) {
          const div = document.createElement("div");
          div.innerHTML = parse(source, { gfm: true });
          document.body.appendChild(div);
        }
      }, markdown);
      // Handlers of injected images run when their load fails: wait until every image has settled.
      await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
      assert.deepEqual(await page.evaluate(scanPage), { elements: [], handlers: [], links: [] });
      assert.deepEqual(dialogs, []);
      const text = shown(await page.evaluate(() => document.body.innerText));
      for (const [key, { name }] of Object.entries(NAMES)) {
        if (key !== "id") assert.ok(text.includes(shown(name)), `the ${key} name ${JSON.stringify(name)} is not shown as text`);
      }
    });
  });
});
