// lib/core/pool: the one pool of threads, driven with a small thread module (test/support/pool-thread)
// that squares numbers, throws, exits or waits to be stopped, as each task says.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { runPool, shareArray, type PoolRun } from "../../lib/core/pool";
import type { PoolTestShared, PoolTestTask } from "../support/pool-thread";

// Relative to lib/, as runPool takes a module.
const MODULE = "../test/support/pool-thread";

type Run = PoolRun<PoolTestTask, number, number | string>;

function pool(tasks: PoolTestTask[], more: Partial<Run> = {}): Promise<void> {
  return runPool({ module: MODULE, shared: { offset: 0 }, tasks, threads: 2, name: "a test thread", onResult: () => undefined, ...more });
}

describe("runPool", () => {
  test("gives every task's result and progress, with the shared data every thread was given", async () => {
    const results = new Map<number, number | string>();
    const progress = new Map<number, number[]>();
    const tasks: PoolTestTask[] = [2, 3, 4, 5].map((n) => ({ kind: "square", n }));
    await pool(tasks, {
      shared: { offset: 100 },
      onResult: (task, result) => results.set((task as { n: number }).n, result),
      onProgress: (task, p) => progress.set((task as { n: number }).n, [...(progress.get((task as { n: number }).n) ?? []), p]),
    });
    assert.deepEqual(Object.fromEntries(results), { 2: 104, 3: 109, 4: 116, 5: 125 });
    assert.deepEqual(progress.get(3), [1, 2, 3], "a task's progress arrives in order, before its result");
  });

  test("no tasks resolve at once, starting no thread", async () => {
    await pool([]);
  });

  test("a task that skip passes over when its turn comes never starts, whether skip said so from the start or after a result", async () => {
    const started: number[] = [];
    const passed = new Set<number>([3]);
    const tasks: PoolTestTask[] = [2, 3, 4, 5, 6, 7].map((n) => ({ kind: "square", n }));
    await pool(tasks, {
      threads: 1,
      onProgress: (task, p) => p === 1 && started.push((task as { n: number }).n),
      // The result of 4 makes 6 pass over too, as a race's decision stops a candidate's later folds.
      onResult: (task) => (task as { n: number }).n === 4 && passed.add(6),
      skip: (task) => passed.has((task as { n: number }).n),
    });
    assert.deepEqual(started, [2, 4, 5, 7]);
  });

  test("a run whose last tasks are all passed over resolves, on every thread", async () => {
    const results: number[] = [];
    const tasks: PoolTestTask[] = [2, 3, 4, 5].map((n) => ({ kind: "square", n }));
    await pool(tasks, { threads: 2, onResult: (_task, r) => results.push(r as number), skip: (task) => (task as { n: number }).n > 2 });
    assert.deepEqual(results, [4]);
    await pool(tasks, { threads: 2, skip: () => true });
  });

  test("an InputError in a thread rejects the run with an InputError, message and stack kept", async () => {
    await assert.rejects(pool([{ kind: "square", n: 1 }, { kind: "input-error", message: "row 3 is bad" }], { threads: 1 }), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal((error as Error).message, "row 3 is bad");
      assert.match((error as Error).stack ?? "", /pool-thread/);
      return true;
    });
  });

  test("a thread that exits ends the run with its name and exit code", async () => {
    await assert.rejects(pool([{ kind: "exit", code: 3 }]), (error: Error) => !(error instanceof InputError) && error.message === "a test thread stopped unexpectedly (exit code 3)");
  });

  test("a throw in onProgress ends the run with that error", async () => {
    const failure = new Error("display broke");
    await assert.rejects(
      pool([{ kind: "square", n: 3 }], {
        onProgress: () => {
          throw failure;
        },
      }),
      (error: unknown) => error === failure,
    );
  });

  test('an abort with "terminate" stops the threads at once and rejects with cancelled()', async () => {
    const controller = new AbortController();
    const results: unknown[] = [];
    const run = pool([{ kind: "until-stopped" }, { kind: "until-stopped" }, { kind: "square", n: 2 }], {
      signal: controller.signal,
      cancelled: () => new Error("the test cancelled it"),
      onResult: (_task, result) => results.push(result),
    });
    controller.abort();
    await assert.rejects(run, /the test cancelled it/);
    assert.deepEqual(results, []);
  });

  test('an abort with "finish" lets the tasks under way report, starts no other, and resolves', async () => {
    const controller = new AbortController();
    const results: unknown[] = [];
    // Thread 1 takes the task that waits to be stopped, thread 2 squares 1; its result aborts the
    // run while the first task is under way and two more wait.
    const tasks: PoolTestTask[] = [{ kind: "until-stopped" }, { kind: "square", n: 1 }, { kind: "square", n: 3 }, { kind: "square", n: 4 }];
    await pool(tasks, {
      signal: controller.signal,
      onAbort: "finish",
      onResult: (task, result) => {
        results.push(result);
        if (task.kind === "square") controller.abort();
      },
    });
    assert.deepEqual(results, [1, "stopped"], "the task under way reported; the waiting ones never started");
  });

  test("an already aborted signal rejects without starting a thread", async () => {
    const controller = new AbortController();
    controller.abort(new Error("too late"));
    await assert.rejects(pool([{ kind: "exit", code: 1 }], { signal: controller.signal }), /too late/);
  });

  test("refuses to start with no thread, which would never finish", () => {
    assert.throws(() => pool([{ kind: "square", n: 2 }], { threads: 0 }), /whole number ≥ 1 of threads, got 0/);
  });
});

describe("shareArray", () => {
  test("copies an array into shared memory, and returns one already there as it is", () => {
    const plain = new Float32Array([1, 2, 3]);
    const shared = shareArray(plain);
    assert.ok(shared.buffer instanceof SharedArrayBuffer);
    assert.deepEqual([...shared], [1, 2, 3]);
    assert.equal(shareArray(shared), shared);
    assert.ok(shareArray(new Uint8Array([7])) instanceof Uint8Array);
  });
});

describe("what a thread is given", () => {
  test("typed arrays in shared memory, however deep in the shared data, are the same memory in every thread", async () => {
    const cells = shareArray(new Float32Array(4));
    const shared: PoolTestShared = { offset: 0, nested: [{ cells }] };
    const seen: (number | string)[] = [];
    await pool(
      [0, 1, 2, 3].map((at) => ({ kind: "write-shared", at, value: at + 0.5 })),
      { shared, onResult: (_task, result) => seen.push(result) },
    );
    assert.deepEqual([...cells], [0.5, 1.5, 2.5, 3.5], "each thread's write is seen here: the same memory, not a copy");
    assert.deepEqual(seen.sort(), [0.5, 1.5, 2.5, 3.5]);
  });
});
