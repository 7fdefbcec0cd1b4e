// The threads of the one pool (./pool), in a page: Web Workers. The page twin of threads.ts, taken
// by the page bundler in its place (moduleSuffixes ".page"); it exports the same functions.
//
// A page opened from disk (file://) can start a Worker only from a blob URL, and it is not
// cross-origin isolated, so it has no SharedArrayBuffer: each thread is given its own copy of the
// shared data, in its first message. The bundled source of each thread module is handed over by
// the page code (provideThreadSource) before the pool starts a thread on it.
import type { PoolThread, ThreadSide } from "./thread-port";

const sources = new Map<string, string>();

/** The bundled script of the thread module `module` ("selection/fold-thread"), for startThread. */
export function provideThreadSource(module: string, source: string): void {
  sources.set(module, source);
}

export function canShareMemory(): boolean {
  return false;
}

export function startThread(module: string, shared: unknown): PoolThread {
  const source = sources.get(module);
  if (source === undefined) throw new Error(`no script was provided for the thread module ${module} (provideThreadSource)`);
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url);
  // The worker has fetched its script once it runs; the URL is not needed after that.
  worker.addEventListener("message", () => URL.revokeObjectURL(url), { once: true });
  worker.postMessage({ shared });
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
        ready((data as { shared: unknown }).shared);
      });
    },
    post: (message) => postMessage(message),
  };
}
