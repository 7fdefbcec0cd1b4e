// lib/core/pool: the one pool of threads, driven with a small thread module (test/support/pool-thread)
// that squares numbers, throws, exits or waits to be stopped, as each task says.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { packShared, runPool, shareArray, unpackShared, type PoolRun } from "../../lib/core/pool";
import type { PoolTestTask } from "../support/pool-thread";

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
  test("carries typed arrays over shared memory as their buffer, rebuilt as the same views of the same memory", () => {
    const pixels = shareArray(new Uint8Array([1, 2, 3, 4]));
    const features = new Float32Array(new SharedArrayBuffer(16), 4, 2);
    const plain = new Uint32Array([5, 6]);
    const packed = packShared({ pixels, nested: [{ features }], plain, rows: 2 }) as Record<string, unknown>;
    assert.ok(!ArrayBuffer.isView(packed.pixels), "a shared view is sent as its buffer");
    assert.equal(packed.plain, plain, "an unshared array is left for the structured clone");
    const back = unpackShared(structuredClone(packed)) as { pixels: Uint8Array; nested: { features: Float32Array }[]; plain: Uint32Array; rows: number };
    assert.ok(back.pixels instanceof Uint8Array && back.nested[0].features instanceof Float32Array);
    assert.deepEqual([back.nested[0].features.byteOffset, back.nested[0].features.length, back.rows], [4, 2, 2]);
    back.pixels[0] = 9;
    assert.equal(pixels[0], 9, "the same memory, not a copy");
  });
});
