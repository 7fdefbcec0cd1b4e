// The page code of the drawing pad and the clickable confusion matrix: a browser module (DOM, no
// Node), type-checked by tsconfig.page.json and bundled by the build (scripts/build.ts,
// esbuild) into one IIFE, dist/draw-page.js, that assigns these exports to PAGE_GLOBAL. draw.ts
// inlines that script in each widget's <script>, so a notebook or report page stays one offline
// file, and calls start() with the widget's config. No module loader is used: it works with or
// without require.js on the page.
//
// mnistImage, forwardProbability and decodeNetwork are exported so that the tests can run the
// bundle itself in a bare script context and compare its answers with Node's.
import type { WidgetConfigs } from "../page-config";
import { confusionCells } from "./confusion-cells";
import { drawPad } from "./draw-pad";
import { whenAttached } from "./attach";

export { mnistImage } from "../image";
export { decodeNetwork, forwardProbability } from "../network";

const widgets: { [K in keyof WidgetConfigs]: (root: HTMLElement, config: WidgetConfigs[K]) => void } = { drawPad, confusionCells };

/** Starts the widget `kind` in the element `id` once that element is on the page. */
export function start<K extends keyof WidgetConfigs>(kind: K, id: string, config: WidgetConfigs[K]): void {
  const main = widgets[kind] as (root: HTMLElement, config: WidgetConfigs[K]) => void;
  whenAttached(id, (root) => main(root, config));
}
