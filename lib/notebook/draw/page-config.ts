// What the Node side hands the page code: each widget's config (written into its <script> as
// JSON) and the name the page script's exports go by. Types only, shared by draw.ts and
// lib/notebook/draw/page, so both sides of the page boundary are checked against one definition.
import type { PageNetwork } from "./network";

/** The variable the bundled page script (dist/draw-page.js, an IIFE) assigns its exports to. */
export const PAGE_GLOBAL = "binaryDigitsPage";

/** What the page script of the drawing pad receives. */
export interface DrawPadConfig {
  pair: readonly [number, number];
  threshold: number;
  network: PageNetwork;
  /** Test rows for the "random test digit" button, in the order the button goes through them. */
  rows: number[];
  labels: number[];
  /** The evaluation's P(second digit) of those rows, when given (shown beside the page's). */
  probabilities: number[] | null;
  /** Their pixels, 784 bytes each, base64. */
  pixels: string;
}

/** One cell of the clickable confusion matrix as the page receives it. */
export interface PageCell {
  truth: number;
  predicted: number;
  count: number;
  /** The rows shown, their P(second digit), and where their pixels start (in images) in `pixels`. */
  rows: number[];
  probabilities: number[];
  at: number;
}

/** What the page script of the clickable confusion matrix receives. */
export interface ConfusionCellsConfig {
  pair: readonly [number, number];
  cells: PageCell[];
  /** The shown rows' pixels, 784 bytes each, base64, cell after cell. */
  pixels: string;
}

/** Each widget the page script starts, by name, with its config. */
export interface WidgetConfigs {
  drawPad: DrawPadConfig;
  confusionCells: ConfusionCellsConfig;
}
