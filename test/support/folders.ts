// What a folder holds, as a sorted list a test can compare in one assertion; and a file or folder
// made immutable for the length of a test's body.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Files and folders under `dir`, relative, sorted ("executed/" for a folder). */
export function listTree(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...listTree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]))
    .sort();
}

/** chattr +i on `path` for the duration of `body`, or the reason it cannot be set here. */
export async function immutable(path: string, body: () => Promise<void> | void): Promise<string | null> {
  const set = spawnSync("chattr", ["+i", path], { encoding: "utf8" });
  if (set.error || set.status !== 0) return `chattr +i is not available here (${set.error?.message ?? set.stderr.trim()})`;
  try {
    await body();
  } finally {
    spawnSync("chattr", ["-i", path]);
  }
  return null;
}
