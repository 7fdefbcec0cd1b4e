// What passes between the one pool (./pool) and a thread, whatever a thread is: the pool's handle on
// a thread and the thread's side of it. ./threads (worker_threads) and ./threads.page (Web Workers)
// each give both.

/** One thread as the pool drives it. */
export interface PoolThread {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  /** A thread that ends by itself (process.exit, a crash); never called after terminate. */
  onExit(listener: (code: number) => void): void;
  terminate(): Promise<void>;
}

/** The thread's side: the pool's shared data, the messages it posts, and a way to answer. */
export interface ThreadSide {
  /** Calls `ready` with the pool's shared data, then `onMessage` with every message after it. */
  listen(ready: (shared: unknown) => void, onMessage: (message: unknown) => void): void;
  post(message: unknown): void;
}
