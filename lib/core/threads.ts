// The threads of the one pool (./pool), in Node: a worker_threads Worker running one of lib/'s own
// modules, and that module's side of the conversation. The pool's scheduling does not care what a
// thread is; this file and its page twin, threads.page.ts (Web Workers), are all that differ. The
// page bundler takes the twin (moduleSuffixes ".page"), so ./pool is one code base for both.
import { Worker, parentPort, workerData } from "node:worker_threads";
import type { PoolThread, ThreadSide } from "./thread-port";
import { threadEntry } from "./thread-entry";

/** Whether typed arrays can live in memory every thread reads (a SharedArrayBuffer). */
export function canShareMemory(): boolean {
  return true;
}

// Typed arrays over shared memory cross to a thread as their bare buffer and are rebuilt there:
// Deno clones such a view slowly (34 s for the pairs map's 47 MB, against 0.15 s for the buffer).
const VIEWS = { Float32Array, Float64Array, Uint8Array, Uint32Array, Int32Array } as const;
const VIEW = "binary-digits shared view";
type PackedView = { [VIEW]: keyof typeof VIEWS; buffer: SharedArrayBuffer; byteOffset: number; length: number };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** `value` with every typed array over a SharedArrayBuffer replaced by its buffer and shape. */
function packShared(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer && value.constructor.name in VIEWS) {
    const view = value as unknown as Float32Array;
    return { [VIEW]: view.constructor.name, buffer: view.buffer, byteOffset: view.byteOffset, length: view.length } as PackedView;
  }
  if (Array.isArray(value)) return value.map(packShared);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, packShared(v)]));
  return value;
}

/** The inverse of packShared: the same views, over the same memory. */
function unpackShared(value: unknown): unknown {
  if (isPlainObject(value) && typeof value[VIEW] === "string") {
    const { [VIEW]: name, buffer, byteOffset, length } = value as PackedView;
    return new VIEWS[name](buffer, byteOffset, length);
  }
  if (Array.isArray(value)) return value.map(unpackShared);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpackShared(v)]));
  return value;
}

/** Starts a thread on lib/`module` (e.g. "selection/fold-thread"), given `shared` once, as its workerData. */
export function startThread(module: string, shared: unknown): PoolThread {
  const { entry, eval: isEval } = threadEntry(module);
  const worker = new Worker(entry, { eval: isEval, workerData: packShared(shared) });
  let terminated = false;
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on("message", listener),
    onError: (listener) => worker.on("error", listener),
    onExit: (listener) => worker.on("exit", (code) => terminated || listener(code)),
    terminate: async () => {
      terminated = true;
      await worker.terminate();
    },
  };
}

/** This thread's side, when it was started by startThread. */
export function threadSide(): ThreadSide {
  const port = parentPort;
  if (!port) throw new Error(`${process.argv[1] ?? "this module"} is a thread of lib/core/pool's runPool, not a program`);
  return {
    listen(ready, onMessage) {
      ready(unpackShared(workerData));
      port.on("message", onMessage);
    },
    post: (message) => port.postMessage(message),
  };
}
