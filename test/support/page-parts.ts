// Checks a report page's additions in Chromium (run header, contents, code toggle, theme): used by
// the quick reports' checks (test/report/quick-reports.ts, quick-report-4-9.test.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { Page } from "playwright-core";
import { ROOT } from "./integration";

/** `git rev-parse --short HEAD` of the project, as the header should show it. */
export function headCommit(): string {
  return spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
}

/** The run header names this commit; every TOC link scrolls to its heading. */
export async function checkHeaderAndToc(page: Page, label: string): Promise<void> {
  const commit = await page.locator('[data-digits-run-info] [data-digits-fact="commit"] td').textContent();
  assert.equal(commit?.split(" ")[0], headCommit(), `${label}: the header's commit`);
  const ids = await page.$$eval("nav[data-digits-toc] a", (links) => links.map((a) => decodeURIComponent((a as HTMLAnchorElement).hash.slice(1))));
  assert.ok(ids.length >= 2, `${label}: ${ids.length} contents links`);
  for (const id of ids) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(`nav[data-digits-toc] a[href="#${id.replace(/"/g, '\\"')}"]`).click();
    const top = await page.evaluate((target) => document.getElementById(target)?.getBoundingClientRect().top ?? NaN, id);
    const height = await page.evaluate(() => window.innerHeight);
    assert.ok(top >= -2 && top < height, `${label}: the link to #${id} left its heading at ${top} px`);
  }
}

/** The toggle hides every code input, and no text, and shows them again. */
export async function checkCodeToggle(page: Page, label: string): Promise<void> {
  const visibleInputs = () => page.$$eval(".jp-CodeCell .jp-Cell-inputWrapper", (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
  const visibleText = () => page.$$eval(".jp-MarkdownCell", (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
  const text = await visibleText();
  const all = await page.$$eval(".jp-CodeCell .jp-Cell-inputWrapper", (els) => els.length);
  assert.ok(all > 0, `${label}: no code inputs`);
  await page.locator("[data-digits-toggle-code]").click();
  assert.equal(await visibleInputs(), 0, `${label}: inputs still shown after hiding the code`);
  assert.equal(await visibleText(), text, `${label}: hiding the code hid text too`);
  await page.locator("[data-digits-toggle-code]").click();
  assert.ok((await visibleInputs()) >= all, `${label}: inputs not shown again`);
}

const chartState = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector(".js-plotly-plot") as (HTMLElement & { _fullLayout?: { paper_bgcolor: string }; _fullData?: { marker?: { color?: unknown } }[] }) | null;
    return { body: getComputedStyle(document.body).backgroundColor, paper: el?._fullLayout?.paper_bgcolor ?? null, trace: JSON.stringify(el?._fullData?.[0]?.marker?.color ?? null) };
  });

/** The theme switch changes the body's and a chart's background, keeps the data colours, and switches back. */
export async function checkTheme(page: Page, label: string): Promise<void> {
  const light = await chartState(page);
  assert.notEqual(light.paper, null, `${label}: no chart`);
  await page.locator("[data-digits-theme]").click();
  const dark = await chartState(page);
  assert.notEqual(dark.body, light.body, `${label}: the body's background did not change`);
  assert.notEqual(dark.paper, light.paper, `${label}: the chart's background did not change`);
  assert.equal(dark.trace, light.trace, `${label}: the data colours changed`);
  await page.locator("[data-digits-theme]").click();
  assert.deepEqual(await chartState(page), light, `${label}: switching back is not the light page`);
}
