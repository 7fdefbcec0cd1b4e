// A widget's <script>: a bundled page script (dist/draw-page.js, dist/lab-page.js, built from the
// page/ folders by `npm run build`) inlined, then started on the widget's container with its
// config. Inlined rather than linked so that a notebook output or an HTML report stays one file
// that works offline.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../core/project";
import { scriptJson } from "../escape";
import { PAGE_GLOBAL, type WidgetConfigs } from "./page-config";

/**
 * The bundled page script dist/`name`.js, read at each call (a rebuild reaches a running kernel).
 * Bundled code that could end its <script> element early is a bug in the build, refused here
 * rather than shipped.
 */
export function pageBundle(name: string): string {
  const file = join(projectRoot(), "dist", `${name}.js`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${file} is missing: run \`npm run build\` (it bundles the page code)`);
    throw error;
  }
  if (/<\/script|<!--/i.test(text)) throw new Error(`${file} contains "</script" or "<!--", which would end its <script> element: rebuild it with \`npm run build\``);
  return text;
}

/** The drawing pad's and the clickable confusion matrix's bundled page code. */
export function drawPadBundle(): string {
  return pageBundle("draw-page");
}

const session = randomBytes(4).toString("hex");
let counter = 0;

/** A fresh element id, unique on the page across kernel sessions. */
export function nextId(kind: string): string {
  counter += 1;
  return `binary-digits-${kind}-${session}-${counter}`;
}

/**
 * The script that runs the bundle `bundle` (an IIFE assigning its exports to `global`) and starts
 * its widget `kind` in the container `id` with `config`.
 */
export function bundleScript(bundle: string, global: string, kind: string, id: string, config: unknown): string {
  return (
    `<script type="text/javascript">\n(function () {\n${bundle}\n` +
    `${global}.start(${JSON.stringify(kind)}, ${scriptJson(id)}, ${scriptJson(config)});\n})();\n</script>`
  );
}

/** The script that starts the drawing widget `kind` in the container `id` with `config`. */
export function widgetScript<K extends keyof WidgetConfigs>(kind: K, id: string, config: WidgetConfigs[K]): string {
  return bundleScript(drawPadBundle(), PAGE_GLOBAL, kind, id, config);
}
