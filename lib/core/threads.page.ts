// The threads of the one pool (./pool), in a page: Web Workers. The page twin of threads.ts, taken
// by the page bundler in its place (moduleSuffixes ".page"); it exports the same functions.
//
// A page opened from disk (file://) can start a Worker only from a blob URL, and it is not
// cross-origin isolated, so it has no SharedArrayBuffer: each thread is given its own copy of the
// shared data, in its first message. The page code hands over the bundled script of each thread
// module (provideThreadSource) before the pool starts a thread on it, with what that script needs
// before its first task (its set-up: the training kernels' bytes, say), which the script takes
// with onThreadSetup.
import type { PoolThread, ThreadSide } from "./thread-port";

const sources = new Map<string, { source: string; setup: unknown }>();

/**
 * The bundled script of the thread module `module` ("selection/fold-thread"), for startThread, and
 * the set-up each of its threads is given before the pool's shared data (see onThreadSetup).
 */
export function provideThreadSource(module: string, source: string, setup: unknown = null): void {
  sources.set(module, { source, setup });
}

let setupHandler: ((setup: unknown) => void) | null = null;

/** In a page's thread: what to do with its set-up (provideThreadSource) before the first task. */
export function onThreadSetup(handler: (setup: unknown) => void): void {
  setupHandler = handler;
}

export function canShareMemory(): boolean {
  return false;
}

export function startThread(module: string, shared: unknown): PoolThread {
  const given = sources.get(module);
  if (given === undefined) throw new Error(`no script was provided for the thread module ${module} (provideThreadSource)`);
  const url = URL.createObjectURL(new Blob([given.source], { type: "text/javascript" }));
  const worker = new Worker(url);
  // The worker has fetched its script once it runs; the URL is not needed after that.
  worker.addEventListener("message", () => URL.revokeObjectURL(url), { once: true });
  worker.postMessage({ setup: given.setup, shared });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener("message", (event) => listener(event.data)),
    onError: (listener) =>
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        listener(new Error(event.message || `the thread ${module} failed to start`));
      }),
    // A Web Worker does not end by itself in a way the page is told of.
    onExit: () => undefined,
    terminate: async () => worker.terminate(),
  };
}

export function threadSide(): ThreadSide {
  let started = false;
  return {
    listen(ready, onMessage) {
      addEventListener("message", (event) => {
        const data = (event as MessageEvent).data;
        if (started) return onMessage(data);
        started = true;
        const { setup, shared } = data as { setup: unknown; shared: unknown };
        setupHandler?.(setup);
        ready(shared);
      });
    },
    post: (message) => postMessage(message),
  };
}
