// The commands package.json names under "bin" are executable once built. tsc writes dist/cli/
// digits.js as any file (0644), and `npx digits` runs it through the shell: npx makes it executable
// only when it first links this project into its cache (~/.npm/_npx), so on a machine whose cache
// already holds the link, a fresh build was "Permission denied" (the project's CI, stop 31).
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Adds execute permission (for whoever may read it) to each existing file named under "bin" in
 * `root`'s package.json; returns the ones it changed. A bin not built yet is left for the build.
 */
export function makeBinsExecutable(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin?: string | Record<string, string> };
  const bins = typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin ?? {});
  const changed: string[] = [];
  for (const bin of bins) {
    const file = join(root, bin);
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    // r → x for each of user, group and others: 0644 becomes 0755, 0600 becomes 0700.
    const wanted = mode | ((mode & 0o444) >> 2);
    if (wanted === mode) continue;
    chmodSync(file, wanted);
    changed.push(bin);
  }
  return changed;
}
