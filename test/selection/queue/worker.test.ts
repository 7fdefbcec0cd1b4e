// lib/selection/queue/worker (digits worker): --concurrency is capped at what the machine's cores
// and memory allow, its threads run on the one pool and train the numbers of a local run, and a
// queue worker started through npx stops when npx is told to stop, instead of going on as an orphan.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Queue } from "bullmq";
import { concurrencyLimit } from "../../../lib/selection/queue/worker";
import { QUEUE_NAME, QUEUE_PREFIX } from "../../../lib/selection/queue/redis";
import { type ExperimentRecord } from "../../../lib/selection/record";
import { selectCandidates, type SelectionOptions } from "../../../lib/selection/select";
import { processAlive } from "../../../lib/core/processes";
import { skipUnlessRedis } from "../../support/redis";
import { numbers, nodeProcessesWith, queueFixture, syntheticDataset, waitUntil } from "./helpers";

const GiB = 2 ** 30;

describe("how many threads a queue worker runs", () => {
  test("no more than the cores: 99 on 2 cores is 2, and says why", () => {
    assert.deepEqual(concurrencyLimit(99, { cores: 2, memoryBytes: 24 * GiB }), { threads: 2, reason: "--concurrency 99: capped at 2, because this machine has 2 cores" });
  });

  test("no more than the memory holds at 512 MiB a thread", () => {
    assert.deepEqual(concurrencyLimit(8, { cores: 16, memoryBytes: 1.5 * GiB }), {
      threads: 3,
      reason: "--concurrency 8: capped at 3, because this machine's 1.5 GiB of memory holds 3 training threads (512 MiB each)",
    });
    // always one, however little memory
    assert.equal(concurrencyLimit(4, { cores: 4, memoryBytes: 0.25 * GiB }).threads, 1);
  });

  test("what the machine allows is taken as asked, without a word", () => {
    assert.deepEqual(concurrencyLimit(2, { cores: 2, memoryBytes: 24 * GiB }), { threads: 2, reason: null });
    assert.deepEqual(concurrencyLimit(1, { cores: 1, memoryBytes: 0.25 * GiB }), { threads: 1, reason: null });
  });
});

describe("queue worker processes", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const data = syntheticDataset(300, 7);
  const small: SelectionOptions = { grid: [[8], []], folds: 2, epochs: 2, seed: 13 };
  let local: ExperimentRecord;

  before(async () => {
    local = await selectCandidates(data, { ...small, threads: 1 });
  });

  test("--concurrency 99 is capped with one line saying why; its threads train the local run's numbers and stop gracefully", async () => {
    const w = fx.worker({ args: ["--concurrency", "99"] });
    await w.waitFor(/--concurrency 99: capped at \d+, because /);
    const threads = Number(/capped at (\d+)/.exec(w.output)![1]);
    assert.ok(threads >= 1 && threads < 99);
    await w.waitForCount(/waiting for fold jobs/g, threads);
    const record = await selectCandidates(data, { ...small, queue: { url: fx.redis.url } });
    assert.deepEqual(numbers(record), numbers(local));
    if (threads > 1) assert.ok(record.queue!.workers.every((name) => /:\d+\/\d+$/.test(name)), record.queue!.workers.join(", "));
    await w.stop();
    assert.equal(w.child.exitCode, 0, w.output);
    assert.equal(w.count(/stopping after the fold in progress/g), threads);
    assert.match(w.output, /worker stopped: trained 4 folds, refused 0, failed 0/);
  });

  for (const signal of ["SIGTERM", "SIGHUP", "SIGKILL"] as const) {
    test(`${signal} to \`npx digits worker\` stops the worker itself: no digits worker process is left, none takes jobs`, async () => {
      const w = fx.worker({ npx: true });
      await w.waitFor(/:\d+: waiting for fold jobs/);
      // The queue worker is node under npm's shell; its name is host:pid.
      const pid = Number(/:(\d+): waiting for fold jobs/.exec(w.output)![1]);
      assert.notEqual(pid, w.child.pid, "npx is not the worker itself");
      try {
        // SIGHUP and SIGKILL end npx without a word to its shell, which stays alive (handed to init).
        w.child.kill(signal);
        // Before the fix the worker went on as an orphan.
        await waitUntil(() => !processAlive(pid), `the worker (pid ${pid}) has stopped`);
        assert.match(w.output, /is gone \(pid \d+, npm or its shell\): stopping after the fold in progress/);
        assert.deepEqual(nodeProcessesWith(`worker --queue ${fx.redis.url}`), []);
        const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: fx.redis.port }, prefix: QUEUE_PREFIX });
        try {
          // Its connections close with it; none is left to take a job.
          await waitUntil(async () => (await queue.getWorkers()).length === 0, "no worker is connected to the queue");
          assert.deepEqual(await queue.getWorkers(), []);
        } finally {
          await queue.close();
        }
      } finally {
        if (processAlive(pid)) process.kill(pid, "SIGKILL");
      }
    });
  }
});
