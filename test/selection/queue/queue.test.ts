// digits select --queue and digits worker end to end: a selection's folds run by `digits worker`
// processes through BullMQ on a private loopback Redis (test/support/redis) give the numbers of a
// local run, also when a worker is killed mid-fold; a worker with other kernels trains nothing; an
// unreachable or lost Redis and a job that fails for good stop the run with a message saying what
// and where.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { InputError } from "../../../lib/core/errors";
import { FoldCache } from "../../../lib/selection/fold-cache";
import { dataKey } from "../../../lib/selection/queue/redis";
import { selectCandidates, type SelectionOptions } from "../../../lib/selection/select";
import { type ExperimentRecord } from "../../../lib/selection/record";
import { freePort, skipUnlessRedis, startRedis } from "../../support/redis";
import { runDigits } from "../../support/cli";
import { numbers, queueFixture, syntheticDataset, type CliStart } from "./helpers";

describe("Redis missing at start", () => {
  test("digits select --queue and digits worker exit 2 naming the URL and how to start a Redis", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const args of [["select", "--queue", url, "--epochs", "1"], ["worker", "--queue", url]]) {
      const run = runDigits(args);
      assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`cannot reach Redis at ${url.replace(/\./g, "\\.")} \\(connect ECONNREFUSED`));
      assert.match(run.stderr, /redis-server --port \d+/);
    }
  });
});

describe("selection through the queue", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const worker = (start?: CliStart) => fx.worker(start);
  const data = syntheticDataset(300, 7);
  const small: SelectionOptions = { grid: [[8], []], folds: 2, epochs: 2, seed: 13 };
  let local: ExperimentRecord;

  before(async () => {
    local = await selectCandidates(data, { ...small, threads: 1 });
  });

  test("a small grid through 2 worker processes gives the local run's numbers", async () => {
    const a = worker();
    const b = worker();
    await Promise.all([a.waitFor(/waiting for fold jobs/), b.waitFor(/waiting for fold jobs/)]);
    const record = await selectCandidates(data, { ...small, queue: { url: fx.redis.url } });
    assert.deepEqual(numbers(record), numbers(local));
    assert.equal(record.queue?.remote, 4);
    assert.deepEqual(record.cache, { reused: 0, trained: 4, remote: 4 });
    assert.equal(record.queue?.url, fx.redis.url);
    // the data crossed once, under its fingerprint
    assert.equal(await fx.client.exists(dataKey(record.data.fingerprint)), 1);
    await Promise.all([a.stop(), b.stop()]);
    const trained = [a, b].map((w) => Number(/trained (\d+) fold/.exec(w.output)?.[1]));
    assert.equal(trained[0] + trained[1], 4, a.output + b.output);
  });

  test("a worker killed with SIGKILL mid-fold: its fold is retried by another and the record is complete and identical", async () => {
    // Folds long enough (40 epochs of a wider net) that the kill lands while one is training.
    const longer: SelectionOptions = { grid: [[64, 32]], folds: 2, epochs: 40, seed: 13 };
    const reference = await selectCandidates(data, { ...longer, threads: 1 });
    const a = worker();
    await a.waitFor(/waiting for fold jobs/);
    const run = selectCandidates(data, { ...longer, queue: { url: fx.redis.url } });
    await a.waitFor(/training fold/);
    a.child.kill("SIGKILL");
    const b = worker();
    const record = await run;
    assert.deepEqual(numbers(record), numbers(reference));
    assert.equal(record.folds.length, 2);
    assert.ok((record.queue?.retried ?? 0) >= 1, "the killed worker's fold was taken back and run again");
    assert.doesNotMatch(a.output, /finished fold/);
    await b.stop();
  });

  test("SIGTERM stops a worker after the fold in progress, whose result still arrives", async () => {
    const longer: SelectionOptions = { grid: [[64, 32]], folds: 2, epochs: 40, seed: 13 };
    const reference = await selectCandidates(data, { ...longer, threads: 1 });
    const a = worker();
    await a.waitFor(/waiting for fold jobs/);
    const run = selectCandidates(data, { ...longer, queue: { url: fx.redis.url } });
    await a.waitFor(/training fold/);
    await a.stop();
    assert.equal(a.child.exitCode, 0, a.output);
    assert.match(a.output, /stopping after the fold in progress[\s\S]*finished fold [12]\/2[\s\S]*worker stopped: trained 1 fold,/);
    const b = worker();
    const record = await run;
    assert.deepEqual(numbers(record), numbers(reference));
    assert.equal(record.queue?.retried, 0);
    await b.stop();
    assert.match(b.output, /worker stopped: trained 1 fold,/);
  });

  test("a worker with other kernels refuses the jobs and trains none; a worker with ours runs them", async () => {
    const other = worker({ env: { DIGITS_WORKER_KERNELS: "0".repeat(64) } });
    await other.waitFor(/waiting for fold jobs/);
    const logged: string[] = [];
    const run = selectCandidates(data, { ...small, queue: { url: fx.redis.url, log: (line) => logged.push(line) } });
    await other.waitFor(/refused fold \d\/2 of candidate/);
    const ours = worker();
    const record = await run;
    assert.deepEqual(numbers(record), numbers(local));
    await other.stop();
    assert.match(other.output, /it was queued for kernels sha256 [0-9a-f]{12}…, this worker has 000000000000…/);
    assert.match(other.output, /worker stopped: trained 0 folds, refused [1-9]/);
    assert.doesNotMatch(other.output, /training fold/);
    assert.ok(logged.some((line) => /refuses our folds: its training kernels \(sha256 000000000000…\) differ from ours/.test(line)), logged.join("\n"));
    await ours.stop();
  });

  test("folds from the queue are kept in the local fold cache: a rerun trains nothing and needs no worker", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-queue-cache-"));
    try {
      const cache = new FoldCache(dir);
      const a = worker();
      await a.waitFor(/waiting for fold jobs/);
      const first = await selectCandidates(data, { ...small, cache, queue: { url: fx.redis.url } });
      assert.deepEqual(first.cache, { reused: 0, trained: 4, remote: 4 });
      assert.equal(first.queue?.remote, 4);
      await a.stop();
      const again = await selectCandidates(data, { ...small, cache, queue: { url: fx.redis.url } });
      assert.deepEqual(again.cache, { reused: 4, trained: 0, remote: 0 });
      assert.equal(again.queue?.remote, 0);
      assert.deepEqual(numbers(again), numbers(local));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a job that fails for good fails the run, naming its candidate and fold", async () => {
    let queued!: () => void;
    const isQueued = new Promise<void>((resolve) => (queued = resolve));
    const run = selectCandidates(data, { ...small, queue: { url: fx.redis.url, log: (line) => /^queued/.test(line) && queued() } });
    const failure = assert.rejects(run, (e: unknown) => e instanceof InputError && /^fold [12]\/2 of candidate (8|logistic) failed on a worker: the training data [0-9a-f]{16} is not in Redis/.test(e.message));
    await isQueued;
    // Deleting the data makes every job fail on the worker, for good (no retry can bring it back).
    await fx.client.del(dataKey(local.data.fingerprint));
    worker();
    await failure;
  });
});

describe("Redis lost mid-run", skipUnlessRedis(), () => {
  test("the coordinator stops with a message naming the URL and how to resume", async () => {
    const redis = await startRedis();
    try {
      let queued!: () => void;
      const isQueued = new Promise<void>((resolve) => (queued = resolve));
      const data = syntheticDataset(100, 5);
      const run = selectCandidates(data, { grid: [[]], folds: 2, epochs: 1, queue: { url: redis.url, lostAfterSeconds: 1, log: (line) => /^queued/.test(line) && queued() } });
      const failure = assert.rejects(run, (e: unknown) => e instanceof InputError && /^lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ mid-run .*0 of 2 folds had finished.*rerun the same command/.test(e.message));
      await isQueued;
      await redis.stop();
      await failure;
    } finally {
      await redis.stop();
    }
  });
});
