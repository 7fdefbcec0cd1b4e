// What the Node side hands the page code: each widget's config (written into its <script> as
// JSON), the name the page script's exports go by, and the event a report's lab sends the pad.
// Types and names only, shared by draw.ts, lib/notebook/draw/page and the lab's page code, so both
// sides of the page boundary are checked against one definition.
import type { Network } from "../../model/model";
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

/**
 * The event a report's lab (lib/notebook/lab) sends on the document when it has trained a network
 * in the page; a drawing pad of the same pair then switches to that network, and offers the way
 * back to the notebook's.
 */
export const LAB_NETWORK_EVENT = "binary-digits-lab-network";

/** What LAB_NETWORK_EVENT carries (its CustomEvent's detail). */
export interface LabNetworkDetail {
  pair: readonly [number, number];
  network: Network;
  /** How the network was trained, as the pad names it: "8 relu, learning rate 0.003, 5 epochs, seed 13". */
  name: string;
  /** The network's P(second digit) of every test row (the rows the pad's "random test digit" draws from). */
  probabilities: ArrayLike<number>;
}
