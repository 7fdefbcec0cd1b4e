// Shared by the browser tests of the drawing pad and the clickable confusion matrix (a page built
// from lib/notebook/draw/draw.ts, the 03 report, the live notebook): strokes drawn with playwright's mouse, the
// 28×28 view read back, the answers compared with `digits evaluate --predictions`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { rowPixels } from "../../lib/notebook/draw/embed";
import type { Dataset } from "../../lib/data/dataset";
import { runDigits } from "./cli";

/** `digits evaluate --predictions`: P(second digit) of every row, by row index. */
export function cliProbabilities(modelDir: string, csv: string, out: string): Float64Array {
  const run = runDigits(["evaluate", "--model", modelDir, "--data", csv, "--predictions", out]);
  assert.equal(run.code, 0, `digits evaluate failed:\n${run.stdout}\n${run.stderr}`);
  const lines = readFileSync(out, "utf8").trim().split("\n");
  assert.equal(lines[0], "index,label,probability,prediction");
  const probabilities = new Float64Array(lines.length - 1);
  for (const line of lines.slice(1)) {
    const [index, , probability] = line.split(",");
    probabilities[Number(index)] = Number(probability);
  }
  return probabilities;
}

/** What the pad shows: the probability's text and exact value, the prediction, the loaded test row. */
export async function padState(pad: Locator): Promise<{ text: string; value: number | null; prediction: string; row: number | null }> {
  return pad.evaluate((root) => {
    const probability = root.querySelector("[data-digits-probability]")!;
    const value = probability.getAttribute("data-digits-value");
    const row = root.querySelector("[data-digits-row]")?.getAttribute("data-digits-row");
    return {
      text: probability.textContent ?? "",
      value: value === null ? null : Number(value),
      prediction: root.querySelector("[data-digits-prediction]")!.textContent ?? "",
      row: row === undefined || row === null ? null : Number(row),
    };
  });
}

/** The 28×28 image the pad shows as the network's input, read back from its canvas (ink 0–255). */
export async function padInput(pad: Locator): Promise<number[]> {
  return pad.evaluate((root) => {
    const view = root.querySelector("[data-digits-input]") as HTMLCanvasElement;
    const rgba = view.getContext("2d")!.getImageData(0, 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, i) => 255 - rgba[4 * i]);
  });
}

/** Draws through the mouse along the points (fractions of the canvas), pressing at the first. */
async function stroke(page: Page, canvas: Locator, points: readonly (readonly [number, number])[]): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box, "the drawing canvas is not visible");
  assert.ok(box.width >= 280 && box.height >= 280, `the canvas is ${box.width}×${box.height} CSS px, expected at least 280×280`);
  const at = ([x, y]: readonly [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 2 });
  await page.mouse.up();
}

/** A vertical stroke down the middle of the canvas. */
export function verticalStroke(page: Page, pad: Locator): Promise<void> {
  return stroke(page, pad.locator("[data-digits-draw]"), Array.from({ length: 13 }, (_, i) => [0.5, 0.15 + (0.7 * i) / 12] as const));
}

/** A closed ring around the centre, a little taller than wide (as people draw a zero). */
export function ring(page: Page, pad: Locator): Promise<void> {
  return stroke(
    page,
    pad.locator("[data-digits-draw]"),
    Array.from({ length: 41 }, (_, i) => [0.5 + 0.25 * Math.sin((2 * Math.PI * i) / 40), 0.5 - 0.32 * Math.cos((2 * Math.PI * i) / 40)] as const),
  );
}

/**
 * Everything the issue asks of the pad: a vertical stroke is the second digit, a ring the first,
 * clearing resets, and test digits loaded with the random button come back as their CSV rows
 * with the CLI's probabilities (within 1e-6).
 */
export async function checkDrawPad(page: Page, pad: Locator, expected: { test: Dataset; cli: Float64Array; digits?: readonly [number, number]; loads?: number }): Promise<void> {
  const [a, b] = expected.digits ?? [0, 1];
  const cleared = async (what: string) => {
    await pad.locator("[data-digits-clear]").click();
    const state = await padState(pad);
    assert.deepEqual([state.text, state.value, state.prediction], ["–", null, "–"], `clearing after ${what} did not reset the prediction`);
    assert.ok((await padInput(pad)).every((v) => v === 0), `clearing after ${what} left ink in the 28×28 image`);
  };

  await verticalStroke(page, pad);
  const one = await padState(pad);
  assert.ok(one.value !== null && one.value > 0.5, `a vertical stroke gave P(${b}) = ${one.value}`);
  assert.equal(one.prediction, String(b));
  assert.equal(one.text, one.value.toFixed(4));
  assert.ok((await padInput(pad)).some((v) => v > 0), "the 28×28 image stayed empty");
  await cleared("a stroke");

  await ring(page, pad);
  const zero = await padState(pad);
  assert.ok(zero.value !== null && zero.value < 0.5, `a ring gave P(${b}) = ${zero.value}`);
  assert.equal(zero.prediction, String(a));
  await cleared("a ring");

  const seen = new Set<number>();
  for (let k = 0; k < (expected.loads ?? 4); k++) {
    await pad.locator("[data-digits-random]").click();
    const state = await padState(pad);
    assert.ok(state.row !== null && state.row >= 0 && state.row < expected.test.rows, `random test digit: row ${state.row}`);
    seen.add(state.row);
    const csv = Array.from(rowPixels(expected.test, state.row));
    const shown = await padInput(pad);
    const worst = Math.max(...shown.map((v, i) => Math.abs(v - csv[i])));
    assert.ok(worst <= 1, `test row ${state.row}: the 28×28 image differs from the CSV row by up to ${worst}`);
    assert.ok(state.value !== null && Math.abs(state.value - expected.cli[state.row]) <= 1e-6, `test row ${state.row}: page ${state.value}, digits evaluate ${expected.cli[state.row]}`);
    assert.equal(state.prediction, String(expected.cli[state.row] > 0.5 ? b : a));
  }
  assert.equal(seen.size, expected.loads ?? 4, "the random button loaded the same digit twice in a row of clicks");
  await cleared("a test digit");
}

/**
 * Clicks each cell of the clickable confusion matrix: an off-diagonal cell shows exactly the test
 * digits misclassified that way (rows and probabilities as the CLI's), an empty one "none".
 * Returns the number of misclassified digits seen.
 */
export async function checkConfusionCells(cells: Locator, expected: { labels: ArrayLike<number>; cli: Float64Array }): Promise<number> {
  let errors = 0;
  for (const [truth, predicted] of [[0, 1], [1, 0], [0, 0], [1, 1]] as const) {
    const members: number[] = [];
    for (let i = 0; i < expected.labels.length; i++) if (expected.labels[i] === truth && (expected.cli[i] > 0.5 ? 1 : 0) === predicted) members.push(i);
    await cells.locator(`[data-digits-cell="${truth},${predicted}"]`).click();
    const view = cells.locator("[data-digits-cell-view]");
    const shown = await view.evaluate((el) =>
      Array.from(el.querySelectorAll("[data-digits-row]")).map((f) => ({
        row: Number(f.getAttribute("data-digits-row")),
        value: Number(f.querySelector("[data-digits-value]")?.getAttribute("data-digits-value")),
        text: f.querySelector("[data-digits-value]")?.textContent ?? "",
        drawn: (() => {
          const canvas = f.querySelector("canvas") as HTMLCanvasElement | null;
          if (!canvas) return false;
          const rgba = canvas.getContext("2d")!.getImageData(0, 0, 28, 28).data;
          return rgba.some((v, i) => i % 4 === 0 && v < 255);
        })(),
      })),
    );
    const heading = (await view.textContent()) ?? "";
    assert.match(heading, new RegExp(`(^|\\D)${members.length} test digit`), `cell ${truth},${predicted}: heading "${heading.slice(0, 80)}"`);
    if (members.length === 0) {
      assert.equal(await view.locator("[data-digits-none]").textContent(), "none", `empty cell ${truth},${predicted} should say "none"`);
      continue;
    }
    if (truth !== predicted) {
      errors += members.length;
      assert.deepEqual(shown.map((s) => s.row).sort((x, y) => x - y), members, `cell ${truth},${predicted}: the misclassified rows`);
    } else {
      assert.ok(shown.length > 0 && shown.every((s) => members.includes(s.row)), `cell ${truth},${predicted}: shows rows outside the cell`);
    }
    for (const s of shown) {
      assert.ok(Math.abs(s.value - expected.cli[s.row]) <= 1e-6, `row ${s.row}: shown ${s.value}, digits evaluate ${expected.cli[s.row]}`);
      assert.equal(s.text, s.value.toFixed(4));
      assert.ok(s.drawn, `row ${s.row}: its image is blank`);
    }
  }
  return errors;
}

/** The pad's 28×28 attribution overlay, read back from its canvas: [r, g, b] per pixel. */
export async function padAttribution(pad: Locator): Promise<[number, number, number][]> {
  return pad.evaluate((root) => {
    const overlay = root.querySelector("[data-digits-attribution]") as HTMLCanvasElement;
    const rgba = overlay.getContext("2d")!.getImageData(0, 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, i) => [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]] as [number, number, number]);
  });
}

/**
 * The overlay (issue 20): white on an empty pad; after a stroke drawn with the mouse it changes,
 * coloured exactly where the 28×28 image has ink; clearing makes it white again.
 */
export async function checkAttributionOverlay(page: Page, pad: Locator): Promise<void> {
  const white = (pixels: [number, number, number][]) => pixels.every(([r, g, b]) => r === 255 && g === 255 && b === 255);
  await pad.locator("[data-digits-clear]").click();
  assert.ok(white(await padAttribution(pad)), "the overlay of an empty pad is not white");
  await verticalStroke(page, pad);
  const overlay = await padAttribution(pad);
  const input = await padInput(pad);
  const coloured = overlay.map(([r, g, b]) => Math.max(r, g, b) - Math.min(r, g, b) > 60);
  assert.ok(coloured.filter(Boolean).length >= 10, `only ${coloured.filter(Boolean).length} coloured pixels after a stroke`);
  coloured.forEach((c, i) => assert.ok(!c || input[i] > 0, `pixel ${i} is coloured but has no ink`));
  await pad.locator("[data-digits-clear]").click();
  assert.ok(white(await padAttribution(pad)), "clearing did not reset the overlay");
}
