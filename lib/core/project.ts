// The project itself: where its root is, its version and its dependencies' versions, and how a
// path inside it is shown. The one place that finds package.json; everything else asks here.
import * as fs from "node:fs";
import * as path from "node:path";

const PACKAGE_NAME = "binary-digits";
let cachedRoot: string | undefined;

/**
 * The folder holding this package's package.json. Found from this module's own location, not
 * process.cwd(): the code runs as lib/core/project.ts (tsx), as dist/lib/core/project.js
 * (compiled), and from notebooks whose cwd is notebooks/.
 */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        if (JSON.parse(fs.readFileSync(candidate, "utf8")).name === PACKAGE_NAME) return (cachedRoot = dir);
      } catch {
        // an unreadable package.json further down is not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${__dirname}`);
    dir = parent;
  }
}

/** This package's version, from its package.json. */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8")).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The installed version of a dependency, or "unknown". */
export function dependencyVersion(pkg: string): string {
  try {
    const file = require.resolve(`${pkg}/package.json`, { paths: [projectRoot(), __dirname] });
    return JSON.parse(fs.readFileSync(file, "utf8")).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * A path as records store it and readers see it: relative to the project root, with forward
 * slashes, when inside it; otherwise as given (a relative path is taken from the current folder).
 */
export function projectRelative(p: string): string {
  const rel = path.relative(projectRoot(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : p;
}
