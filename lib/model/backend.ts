// Backend: which TensorFlow.js backend runs tensor operations here (saving and loading
// models, cross-checks, danfo). Training itself runs on typed arrays (see train.ts).
import type * as tfCore from "@tensorflow/tfjs-core";
import type * as tfLayers from "@tensorflow/tfjs-layers";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Tfjs } from "./model";

export type BackendName = "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  /** "tensorflow" is tfjs-node (native libtensorflow), the fastest where a user installed it. */
  name: BackendName;
  tfjsVersion: string;
  /** Why this one: what was tried before it. */
  reason: string;
}

let tfModule: Tfjs | null = null;
let chosen: Promise<BackendInfo> | null = null;
let announced = false;

/**
 * The TensorFlow.js namespace, loaded once, with its "install tfjs-node" banner silenced: core and
 * layers (which registers the gradients), and the CPU backend registered, as the @tensorflow/tfjs
 * package gives them, without its converter, tfjs-data, WebGL backend and the tensors' chained
 * methods (`x.sum()`; the functions, `tf.sum(x)`, are all here), which digits does not use.
 * Loading the whole package cost every command that reads or writes a model about 0.05 s more.
 */
export function tf(): Tfjs {
  if (!tfModule) {
    const core = require("@tensorflow/tfjs-core") as typeof tfCore;
    require("@tensorflow/tfjs-backend-cpu");
    // Core's names first where both have one, as the @tensorflow/tfjs package does.
    tfModule = { ...(require("@tensorflow/tfjs-layers") as typeof tfLayers), ...core };
    // The banner tells Node users to install tfjs-node; we already chose a backend on
    // purpose (and say which), so it only confuses. PROD mode also drops debug-only checks.
    tfModule.env().set("PROD", true);
  }
  return tfModule;
}

/**
 * Is the package at `@tensorflow/tfjs-node` the real one? danfojs-node's dependency on it is
 * overridden to plain tfjs in package.json, so the name alone proves nothing.
 */
function realTfjsNodeInstalled(): boolean {
  try {
    const manifest = require.resolve("@tensorflow/tfjs-node/package.json");
    return JSON.parse(readFileSync(manifest, "utf8")).name === "@tensorflow/tfjs-node";
  } catch {
    return false;
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  const t = tf();
  try {
    if (name === "tensorflow") {
      if (!realTfjsNodeInstalled()) return "tfjs-node is not installed";
      require("@tensorflow/tfjs-node");
    } else if (name === "wasm") {
      const wasm = require("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(prefix: string): void };
      // Point at the .wasm files shipped in the package so nothing is fetched.
      wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");
    }
    const before = { exception: process.listeners("uncaughtException"), rejection: process.listeners("unhandledRejection") };
    const ok = await t.setBackend(name);
    // Emscripten's module adds handlers that rethrow any uncaught error from inside its
    // one-line minified source, so Node prints that whole line: drop them.
    for (const l of process.listeners("uncaughtException")) if (!before.exception.includes(l)) process.removeListener("uncaughtException", l);
    for (const l of process.listeners("unhandledRejection")) if (!before.rejection.includes(l)) process.removeListener("unhandledRejection", l);
    if (!ok) return `the ${name} backend failed to initialise`;
    return null;
  } catch (error) {
    return `the ${name} backend could not be loaded (${(error as Error).message.split("\n")[0]})`;
  }
}

/**
 * Chooses the backend once per process: tfjs-node where a user installed it, else WASM, else
 * the plain CPU backend. `DIGITS_BACKEND=cpu|wasm|tensorflow` asks for one; it is still
 * subject to what loads. The first call without `quiet` says which one is in use, on stderr.
 */
export async function initBackend(options: { quiet?: boolean } = {}): Promise<BackendInfo> {
  const info = await chooseBackend();
  if (!options.quiet && !announced) {
    announced = true;
    console.error(`TensorFlow.js ${info.tfjsVersion} on the ${info.name} backend (${info.reason})`);
  }
  return info;
}

function chooseBackend(): Promise<BackendInfo> {
  if (!chosen) {
    chosen = (async () => {
      const wanted = process.env.DIGITS_BACKEND as BackendName | undefined;
      const order: BackendName[] = ["tensorflow", "wasm", "cpu"];
      if (wanted && order.includes(wanted)) order.unshift(...order.splice(order.indexOf(wanted), 1));
      const skipped: string[] = [];
      for (const name of order) {
        const problem = await tryBackend(name);
        if (problem === null) {
          const info: BackendInfo = {
            name,
            tfjsVersion: tf().version_core,
            reason: skipped.length ? skipped.join("; ") : wanted === name ? "asked for by DIGITS_BACKEND" : "first choice",
          };
          return info;
        }
        skipped.push(problem);
      }
      throw new Error(`no TensorFlow.js backend could be initialised: ${skipped.join("; ")}`);
    })();
  }
  return chosen;
}
