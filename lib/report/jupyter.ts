// Jupyter: the project-local kernels (tslab and Deno) and the Python that runs Jupyter.
//
// Both kernels are registered in .jupyter/share/jupyter/kernels/{tslab,deno}/ inside the project
// (git-ignored) and found through JUPYTER_PATH, so nothing in the user's own Jupyter setup changes
// (never `deno jupyter --install`, which writes into the user's home). Each kernel.json names its
// program by absolute path: Jupyter starts kernels without npm's PATH, and a global tslab or deno
// could be another version. tslab's names this Node and this project's tslab; Deno's names the
// binary of this project's pinned `deno` devDependency, the same argv `deno jupyter --install` writes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { dependencyVersion, projectRoot } from "../core/project";
import { InputError } from "../core/errors";
import { which } from "../core/executables";
import { writeFileAtomic } from "../core/files";

/** The kernel name notebooks ask for (metadata.kernelspec.name), the same as a global tslab's. */
export const KERNEL_NAME = "tslab";

/** The kernels the notebooks run on, by kernelspec name (an executed notebook's metadata.kernelspec.name). */
export type KernelName = "tslab" | "deno";
export const KERNEL_NAMES: readonly KernelName[] = ["tslab", "deno"];

/** Deno's kernelspec name, as `deno jupyter --install` names it. */
const DENO_KERNEL_NAME = "deno";

/** What to do when this project's deno is missing (an install that skipped devDependencies). */
export const DENO_INSTALL_HINT = "install the project's devDependencies (`npm install`, not `npm install --omit=dev`): the `deno` package brings the binary";

/**
 * How to get the Jupyter pieces the notebooks, the report and the tests need. Notebook 6 (Debian's
 * jupyter-notebook): `npm run notebook` works on 7 too, but the UI test drives 6's classic interface.
 */
export const JUPYTER_INSTALL_HINT =
  "install Jupyter: on Debian/Ubuntu `sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook`, " +
  "elsewhere `python3 -m pip install \"notebook<7\" nbconvert nbclient`";

interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  metadata: Record<string, unknown>;
}

/** The Jupyter data folder holding our kernel: put it first on JUPYTER_PATH. */
export function kernelDataDir(root: string = projectRoot()): string {
  return join(root, ".jupyter", "share", "jupyter");
}

/** tslab's launcher script in this project's node_modules. */
function tslabLauncher(root: string = projectRoot()): string {
  const pkg = require.resolve("tslab/package.json", { paths: [root] });
  return join(dirname(pkg), "bin", "tslab");
}

/** The compiled ./tslab-preload, which makes tslab bind its iopub socket before the others (notebooks need dist/ too). */
function tslabPreload(root: string = projectRoot()): string {
  return join(root, "dist", "lib", "report", "tslab-preload.js");
}

/** kernel.json content: `node --require <preload> <tslab> kernel --config-path {connection_file}` with absolute paths. */
export function kernelSpec(node: string = process.execPath, tslab: string = tslabLauncher(), preload: string = tslabPreload()): KernelSpec {
  return {
    // {connection_file} is a separate argument on purpose (tslab issue #36).
    argv: [node, "--require", preload, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (tslab)",
    language: "typescript",
    metadata: { "binary-digits": "registered by `npm run kernel`; rerun it after moving the project or changing Node" },
  };
}

/** Writes kernels/NAME/kernel.json under `dataDir` (atomically; tslab's by default) and returns the kernel folder. */
export function installKernel(dataDir: string = kernelDataDir(), spec: KernelSpec = kernelSpec(), name: KernelName = KERNEL_NAME): string {
  const dir = join(dataDir, "kernels", name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "kernel.json");
  const text = JSON.stringify(spec, null, 2) + "\n";
  let current: string | null = null;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // not there yet
  }
  if (current !== text) writeFileAtomic(file, text);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Deno

/** The npm package holding the deno binary for this machine (what the `deno` package's installer picks). */
export function denoPlatformPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `@deno/${platform}-${arch}${platform === "linux" ? "-glibc" : ""}`;
}

/**
 * This project's deno binary (the pinned `deno` devDependency), or null when it is not installed.
 * Taken from the platform package itself, so it works whether or not deno's postinstall ran.
 */
export function denoBinary(root: string = projectRoot()): string | null {
  try {
    const deno = dirname(require.resolve("deno/package.json", { paths: [root] }));
    const pkg = dirname(require.resolve(`${denoPlatformPackage()}/package.json`, { paths: [deno, root] }));
    const binary = join(pkg, process.platform === "win32" ? "deno.exe" : "deno");
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Deno's kernel.json: `deno jupyter --kernel --conn {connection_file}`, as `deno jupyter --install` writes it. */
export function denoKernelSpec(deno: string): KernelSpec {
  return {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "TypeScript (Deno)",
    language: "typescript",
    metadata: { "binary-digits": "registered by `npm run kernel`; rerun it after moving the project or updating deno" },
  };
}

/** Where each kernel was registered; deno is null (and its folder removed) when this project has no deno. */
export interface InstalledKernels {
  tslab: string;
  deno: string | null;
}

/** Registers both kernels under `dataDir`: tslab always, Deno when this project's deno is installed. */
export function installKernels(dataDir: string = kernelDataDir(), deno: string | null = denoBinary()): InstalledKernels {
  const tslab = installKernel(dataDir);
  if (deno) return { tslab, deno: installKernel(dataDir, denoKernelSpec(deno), DENO_KERNEL_NAME) };
  // A kernel.json naming a deno that is gone would only fail when a notebook starts.
  rmSync(join(dataDir, "kernels", DENO_KERNEL_NAME), { recursive: true, force: true });
  return { tslab, deno: null };
}

/** A --kernel value: "tslab" or "deno", else an InputError saying which are known. */
export function parseKernel(value: string): KernelName {
  if ((KERNEL_NAMES as readonly string[]).includes(value)) return value as KernelName;
  throw new InputError(`--kernel ${value}: unknown kernel; expected ${KERNEL_NAMES.join(" or ")}`);
}

/** The installed version of a kernel's package: tslab's, or deno's (the binary's own version). */
export function kernelVersion(name: KernelName): string {
  return dependencyVersion(name === DENO_KERNEL_NAME ? "deno" : "tslab");
}

/** `env` with our kernel folder first on JUPYTER_PATH (other entries kept after it). */
export function jupyterEnv(env: NodeJS.ProcessEnv = process.env, dataDir: string = kernelDataDir()): NodeJS.ProcessEnv {
  const rest = (env.JUPYTER_PATH ?? "").split(delimiter).filter((p) => p !== "" && p !== dataDir);
  return { ...env, JUPYTER_PATH: [dataDir, ...rest].join(delimiter) };
}

/** Pythons to try, best first: the one behind `jupyter` on PATH, python3, /usr/bin/python3; or only $DIGITS_PYTHON when set. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  // An explicit choice is the only candidate: a user who names a Python means that one.
  if (env.DIGITS_PYTHON) return [env.DIGITS_PYTHON];
  const out: string[] = [];
  // pyenv or a virtualenv may put a python3 without Jupyter first on PATH while `jupyter` (and the
  // Python in its #! line) is the system one: ask that one early.
  const jupyter = which("jupyter", env);
  if (jupyter) {
    try {
      const first = readFileSync(jupyter, "utf8").slice(0, 200).split("\n")[0];
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
      if (m) out.push(m[1].endsWith("/env") && m[2] ? m[2] : m[1]);
    } catch {
      // unreadable launcher: fall through to the usual names
    }
  }
  out.push("python3", "/usr/bin/python3", "python");
  return [...new Set(out)];
}

/** What a Python can import, by module name. */
export interface PythonProbe {
  python: string;
  modules: Record<string, boolean>;
}

/** Asks `python` which of `modules` it can import (null if it does not run at all). */
function probePython(python: string, modules: readonly string[]): PythonProbe | null {
  const code = `import importlib.util as u, json; print(json.dumps({m: u.find_spec(m) is not None for m in ${JSON.stringify(modules)}}))`;
  const result = spawnSync(python, ["-c", code], { encoding: "utf8", timeout: 30_000 });
  if (result.status !== 0 || !result.stdout) return null;
  try {
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return { python, modules: JSON.parse(last) as Record<string, boolean> };
  } catch {
    return null;
  }
}

/** The first candidate Python that can import every one of `modules` (and that `accept` takes), or null. */
export function findPython(
  modules: readonly string[],
  candidates: readonly string[] = pythonCandidates(),
  accept: (probe: PythonProbe) => boolean = () => true,
): PythonProbe | null {
  for (const python of candidates) {
    const probe = probePython(python, modules);
    if (probe && modules.every((m) => probe.modules[m]) && accept(probe)) return probe;
  }
  return null;
}

/** Modules `npm run report` needs. */
export const REPORT_MODULES = ["nbclient", "nbconvert", "nbformat", "jupyter_client"] as const;
/** Modules `npm run notebook` needs (Notebook 6 or 7). */
export const NOTEBOOK_MODULES = ["notebook", "jupyter_client"] as const;
/** Modules `npm run lab` needs. */
export const LAB_MODULES = ["jupyterlab", "jupyter_client"] as const;

/** Jupyter refuses to run as root without --allow-root (containers, CI). */
export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
