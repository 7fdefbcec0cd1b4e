// Where the WebAssembly training kernels come from, in Node: dist/kernels.wasm (built from
// assembly/kernels.ts by `npm run build`), compiled once, with its SHA-256 (records and fold keys
// name the exact kernels). Its page twin, kernels.page.ts, takes the same bytes from the page; the
// page bundler picks it (moduleSuffixes ".page"). This is the one place the two platforms differ
// for training: everything that uses the kernels (./engine) is the same code in both.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../core/project";

let compiled: { module: WebAssembly.Module; sha256: string; bytes: Uint8Array } | null = null;

/** The kernels' file, as this project builds it. */
function kernelsPath(): string {
  return join(projectRoot(), "dist", "kernels.wasm");
}

/** The kernels compiled (read on first use), their bytes (a report's lab embeds them) and their SHA-256. */
export function loadKernels(): { module: WebAssembly.Module; sha256: string; bytes: Uint8Array } {
  if (!compiled) {
    const file = kernelsPath();
    if (!existsSync(file)) throw new Error(`${file} is missing: build it with \`npm run build\``);
    const bytes = readFileSync(file);
    compiled = { module: new WebAssembly.Module(bytes), sha256: createHash("sha256").update(bytes).digest("hex"), bytes };
  }
  return compiled;
}
