// What a folder holds, as a sorted list a test can compare in one assertion.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Files and folders under `dir`, relative, sorted ("executed/" for a folder). */
export function listTree(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...listTree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]))
    .sort();
}
