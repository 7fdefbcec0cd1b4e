// The page code of a report's lab: a browser module (DOM, no Node), type-checked by
// tsconfig.page.json and bundled by the build (scripts/build.ts, esbuild) into one IIFE,
// dist/lab-page.js, that assigns these exports to LAB_GLOBAL. The panels' builders
// (lib/notebook/lab/train-lab.ts, select-lab.ts) inline it in each panel's script and call
// start() with the panel's config; the panels' threads run the bundles of ./train-worker and
// ./select-worker, which the configs carry. No module loader is used.
import { whenAttached } from "../../draw/page/attach";
import type { LabConfigs } from "../lab-config";
import { selectPanel } from "./select-panel";
import { trainPanel } from "./train-panel";

const panels: { [K in keyof LabConfigs]: (root: HTMLElement, config: LabConfigs[K]) => void } = { train: trainPanel, select: selectPanel };

/** Starts the panel `kind` in the element `id` once that element is on the page. */
export function start<K extends keyof LabConfigs>(kind: K, id: string, config: LabConfigs[K]): void {
  const main = panels[kind] as (root: HTMLElement, config: LabConfigs[K]) => void;
  whenAttached(id, (root) => main(root, config));
}
