// Report outputs: where a notebook's HTML and executed notebook go and their temporary names, the
// check before any cell runs that they can be written (checkOutputs: a folder that cannot be
// written is a clear error naming it, not a traceback after every cell has run), the removal of
// temporary files left by runs that were killed outright (their names carry the process id:
// removeStaleTemps). The two files of a notebook replace the old ones as a pair through core/files' replaceFiles.
import { linkSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { InputError } from "../core/errors";
import { processAlive } from "../core/processes";
import { refusalReason } from "../core/files";

/** Final and temporary paths of one notebook's outputs. */
export function reportPaths(outDir: string, notebook: string, tag: string): { html: string; executed: string; tempHtml: string; tempExecuted: string } {
  const executedDir = join(outDir, "executed");
  return {
    html: join(outDir, `${notebook}.html`),
    executed: join(executedDir, `${notebook}.ipynb`),
    tempHtml: join(outDir, `.${notebook}.html.${tag}.tmp`),
    tempExecuted: join(executedDir, `.${notebook}.ipynb.${tag}.tmp`),
  };
}

// Temporary files of a report run, whatever the version that wrote them: ".<notebook>.<kind>.<pid>.tmp"
// (also ".json" results and ".old" backups of earlier versions) and ".write-check.<pid>.tmp". Only
// these names are touched: --out may point into a folder that holds the user's own files.
const tempName = (notebooks: readonly string[]) =>
  new RegExp(`^\\.(?:(?:${notebooks.join("|")})\\.[a-z]+|write-check)\\.(\\d+)\\.tmp(?:\\.json|\\.old)?$`);

/**
 * Removes the temporary files that runs no longer alive left in `outDir` and `outDir/executed`
 * for any of `notebooks` (a run killed with SIGKILL, or by a crash, cannot clean up after itself).
 * A file whose process still runs is another report in progress and is kept. Returns the paths removed.
 */
export function removeStaleTemps(outDir: string, notebooks: readonly string[]): string[] {
  const pattern = tempName(notebooks);
  const removed: string[] = [];
  for (const dir of [outDir, join(outDir, "executed")]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // not there yet
    }
    for (const name of names) {
      const pid = pattern.exec(name)?.[1];
      if (pid === undefined || processAlive(Number(pid))) continue;
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}

/**
 * Checks, before any notebook runs, that the reports can be written: creates `outDir` and
 * `outDir/executed`, writes and removes a file in each, and checks that existing reports of these
 * notebooks can be replaced. Throws an InputError naming the first path that cannot.
 */
export function checkOutputs(outDir: string, notebooks: readonly string[], tag: string = `${process.pid}`): void {
  const executedDir = join(outDir, "executed");
  for (const dir of [outDir, executedDir]) {
    const probe = join(dir, `.write-check.${tag}.tmp`);
    try {
      mkdirSync(dir, { recursive: true });
      // An empty probe, removed at once: not writeFileAtomic, as no byte is written and nothing replaced.
      writeFileSync(probe, "");
    } catch (error) {
      throw unwritable(dir, error);
    } finally {
      removeQuietly(probe);
    }
  }
  const probe = join(executedDir, `.write-check.${tag}.tmp`);
  for (const notebook of notebooks) {
    const paths = reportPaths(outDir, notebook, tag);
    for (const target of [paths.executed, paths.html]) {
      let stats;
      try {
        stats = statSync(target);
      } catch {
        continue; // not written yet
      }
      if (stats.isDirectory()) throw new InputError(`${shownPath(target)} is a folder, where the report writes a file; move it away, or write the reports elsewhere with \`npm run report -- --out DIR\``);
      // Renaming onto an immutable or append-only file fails, and so does linking to it; the link
      // tells before the notebook runs. (Without ownership, Linux may refuse links for other reasons.)
      const mine = process.getuid?.() === 0 || stats.uid === process.getuid?.();
      try {
        linkSync(target, probe);
      } catch (error) {
        if (mine && (error as NodeJS.ErrnoException).code === "EPERM") throw unwritable(target, error);
      } finally {
        removeQuietly(probe);
      }
    }
  }
}

/** The InputError for a path that cannot be written, with what to do about it. */
export function unwritable(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const shown = shownPath(path);
  const reason = refusalReason(code, shown) ?? (error instanceof Error ? error.message : String(error));
  return new InputError(`cannot write the report to ${shown}: ${reason}. Fix that, or write the reports elsewhere with \`npm run report -- --out DIR\``);
}

/** `path` relative to the current folder, as messages show it. */
export const shownPath = (path: string) => relative(process.cwd(), path) || path;

/** Removes `path` if it is there; a folder that cannot be written is no error here. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // its folder is gone or cannot be written: nothing of ours is left there to remove
  }
}
