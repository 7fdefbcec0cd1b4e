// A thread of lib/core/pool for test/core/pool.test.ts: each task names what the thread does, so
// the test sees the pool handle results, progress, errors, a thread that exits and an abort.
import { serveTasks } from "../../lib/core/pool";
import { InputError } from "../../lib/core/errors";

export type PoolTestTask =
  /** Reports 1…n as progress, then n². */
  | { kind: "square"; n: number }
  | { kind: "input-error"; message: string }
  | { kind: "exit"; code: number }
  /** Writes `value` into shared.nested[0].cells[at] and returns what the cell holds then. */
  | { kind: "write-shared"; at: number; value: number }
  /** Never finishes by itself: resolves "stopped" once the pool asks the thread to stop. */
  | { kind: "until-stopped" };

/** What the test's threads are given: an offset, and maybe an array in shared memory to write into. */
export interface PoolTestShared {
  offset: number;
  nested?: { cells: Float32Array }[];
}

serveTasks<PoolTestShared, PoolTestTask, number, number | string>((task, shared, progress, signal) => {
  switch (task.kind) {
    case "square":
      for (let i = 1; i <= task.n; i++) progress(i);
      return task.n * task.n + shared.offset;
    case "input-error":
      throw new InputError(task.message);
    case "exit":
      process.exit(task.code);
    case "write-shared":
      shared.nested![0].cells[task.at] = task.value;
      return shared.nested![0].cells[task.at];
    case "until-stopped":
      return new Promise<string>((resolve) => signal.addEventListener("abort", () => resolve("stopped"), { once: true }));
  }
});
