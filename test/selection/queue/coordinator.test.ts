// lib/selection/queue/coordinator (digits select --queue): what comes back from Redis proves itself
// before it is used, --no-cache reuses nothing from Redis either, finished jobs expire, and a
// coordinator with no worker says so and, with a wait timeout, stops.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { Queue } from "bullmq";
import type IORedis from "ioredis";
import { InputError } from "../../../lib/core/errors";
import { FoldCache } from "../../../lib/selection/fold-cache";
import { decodeResult, encodeResult } from "../../../lib/selection/queue/jobs";
import { jobKey, QUEUE_NAME, QUEUE_PREFIX } from "../../../lib/selection/queue/redis";
import { type ExperimentRecord, type FoldResult } from "../../../lib/selection/record";
import { selectCandidates, type SelectionOptions } from "../../../lib/selection/select";
import { processAlive } from "../../../lib/core/processes";
import { skipUnlessRedis } from "../../support/redis";
import { runDigits } from "../../support/cli";
import { numbers, nodeProcessesWith, queueFixture, syntheticDataset, TestCli, waitUntil, writeCsv } from "./helpers";

/** Changes a finished job's result in Redis the way someone editing it by hand would: its checksum stays. */
async function editResult(client: IORedis, key: string, edit: (result: FoldResult) => void): Promise<void> {
  const raw = await client.hget(jobKey(key), "returnvalue");
  assert.ok(raw, `job ${key} has a result`);
  const stored = decodeResult(JSON.parse(raw) as string);
  edit(stored.result);
  await client.hset(jobKey(key), "returnvalue", JSON.stringify(encodeResult(stored)));
}

/** The result the fold cache holds for a key, as stored. */
function cachedResult(cache: FoldCache, key: string): FoldResult {
  return (JSON.parse(fs.readFileSync(cache.file(key), "utf8")) as { result: FoldResult }).result;
}

const FINISHED = /finished fold/g;

describe("results from Redis, reuse and expiry", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const data = syntheticDataset(300, 7);
  const small: SelectionOptions = { grid: [[8], []], folds: 2, epochs: 2, seed: 13 };
  let local: ExperimentRecord;
  const temps: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-queue-"));
    temps.push(dir);
    return dir;
  };

  before(async () => {
    local = await selectCandidates(data, { ...small, threads: 1 });
  });
  after(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a rerun within the result TTL takes the results finished in Redis, checked, without training", async () => {
    const w = fx.worker();
    await w.waitFor(/waiting for fold jobs/);
    await selectCandidates(data, { ...small, queue: { url: fx.redis.url } });
    await w.stop();
    // No worker now: every fold must come from Redis.
    const again = await selectCandidates(data, { ...small, queue: { url: fx.redis.url } });
    assert.deepEqual(numbers(again), numbers(local));
    assert.deepEqual({ remote: again.queue?.remote, reused: again.queue?.reused, dropped: again.queue?.dropped }, { remote: 4, reused: 4, dropped: 0 });
  });

  test("a result edited in Redis is dropped with one warning naming it, trained again, and never reaches the local cache", async () => {
    const w = fx.worker();
    await w.waitFor(/waiting for fold jobs/);
    const first = await selectCandidates(data, { ...small, queue: { url: fx.redis.url } });
    const key = first.folds[0].key!;
    await editResult(fx.client, key, (r) => (r.accuracy = 0.123));

    const warnings: string[] = [];
    const cache = new FoldCache(tempDir());
    const again = await selectCandidates(data, { ...small, cache, queue: { url: fx.redis.url, warn: (m) => warnings.push(m) } });
    assert.deepEqual(warnings, ["the result of fold 1/2 of candidate 8 in Redis does not match its checksum (it was changed after the worker stored it): dropped, training that fold again"]);
    assert.deepEqual(numbers(again), numbers(local));
    assert.equal(cachedResult(cache, key).accuracy, local.folds[0].accuracy);
    assert.deepEqual({ remote: again.queue?.remote, reused: again.queue?.reused, dropped: again.queue?.dropped }, { remote: 4, reused: 3, dropped: 1 });
    // 4 folds for the first run, and the dropped one again
    await w.waitForCount(FINISHED, 5);
    assert.equal(w.count(FINISHED), 5);
  });

  test("--no-cache (reuse: false) trains every fold anew, also those finished in Redis, and a correct cache entry stays correct", async () => {
    const w = fx.worker();
    await w.waitFor(/waiting for fold jobs/);
    const cache = new FoldCache(tempDir());
    const first = await selectCandidates(data, { ...small, cache, queue: { url: fx.redis.url } });
    const key = first.folds[0].key!;
    await editResult(fx.client, key, (r) => (r.accuracy = 0.123));

    const again = await selectCandidates(data, { ...small, cache, reuse: false, queue: { url: fx.redis.url } });
    assert.deepEqual(numbers(again), numbers(local));
    assert.deepEqual(again.cache, { reused: 0, trained: 4, remote: 4 });
    assert.equal(again.queue?.reused, 0);
    assert.equal(cachedResult(cache, key).accuracy, local.folds[0].accuracy);
    // every fold trained twice: once per run
    await w.waitForCount(FINISHED, 8);
    assert.equal(w.count(FINISHED), 8);
  });

  test("finished jobs expire after the result TTL, and a rerun after that trains their folds again", async () => {
    const w = fx.worker({ env: { DIGITS_QUEUE_RESULT_TTL_SECONDS: "2" } });
    await w.waitFor(/waiting for fold jobs/);
    const queue = { url: fx.redis.url, resultTtlSeconds: 2 };
    const first = await selectCandidates(data, { ...small, queue });
    const keys = first.folds.map((f) => jobKey(f.key!));
    for (const key of keys) {
      const ttl = await fx.client.pttl(key);
      assert.ok(ttl > 0 && ttl <= 2000, `${key}: TTL ${ttl} ms`);
    }
    // Gone once the TTL has passed.
    await waitUntil(async () => (await fx.client.exists(...keys)) === 0, "the finished jobs have expired");

    const again = await selectCandidates(data, { ...small, queue });
    assert.deepEqual(numbers(again), numbers(local));
    assert.equal(again.queue?.reused, 0);
    await w.waitForCount(FINISHED, 8);
  });

  test("with no worker: a line says how many folds wait, and the wait timeout ends the run with an InputError", async () => {
    const logged: string[] = [];
    const run = selectCandidates(data, { ...small, queue: { url: fx.redis.url, log: (line) => logged.push(line), noticeMs: 200, waitTimeoutSeconds: 1 } });
    await assert.rejects(
      run,
      (e: unknown) =>
        e instanceof InputError &&
        /^no worker took any of the 4 of 4 folds waiting on redis:\/\/127\.0\.0\.1:\d+ for 1 s \(--wait-timeout\); start `digits worker --queue redis:\/\/127\.0\.0\.1:\d+`/.test(e.message),
    );
    assert.ok(
      logged.some((line) => /^still waiting: 4 of 4 folds are queued on redis:\/\/127\.0\.0\.1:\d+ and no worker has taken one for \d+ s; start `digits worker/.test(line)),
      logged.join("\n"),
    );
    // The run's jobs were taken back: a worker started later finds nothing of it.
    const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: fx.redis.port }, prefix: QUEUE_PREFIX });
    try {
      const counts = await queue.getJobCounts("waiting", "delayed", "prioritized", "active");
      assert.ok(Object.values(counts).every((n) => n === 0), JSON.stringify(counts));
    } finally {
      await queue.close();
    }
  });

  test("digits select --queue --wait-timeout 1 with no worker exits 2, after saying the folds wait", () => {
    const dir = tempDir();
    const csv = path.join(dir, "train.csv");
    writeCsv(syntheticDataset(100, 5), csv);
    const args = ["select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--queue", fx.redis.url, "--wait-timeout", "1", "--records", path.join(dir, "records")];
    const run = runDigits(args, { env: { DIGITS_QUEUE_NOTICE_MS: "300" } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /still waiting: 2 of 2 folds are queued on redis:\/\/127\.0\.0\.1:\d+ and no worker has taken one/);
    assert.match(run.stderr, /no worker took any of the 2 of 2 folds waiting on redis:\/\/127\.0\.0\.1:\d+ for 1 s \(--wait-timeout\)/);
  });

  test("--wait-timeout is checked before any work: a positive number, and only with --queue", () => {
    for (const [args, message] of [
      [["--wait-timeout", "0", "--queue", fx.redis.url], /--wait-timeout "0": expected a positive number/],
      [["--wait-timeout", "5"], /--wait-timeout needs --queue/],
    ] as const) {
      const run = runDigits(["select", ...args]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
  });

  test("SIGTERM to `npx digits select --queue` stops the coordinator itself, which takes its jobs back", async () => {
    const dir = tempDir();
    const csv = path.join(dir, "train.csv");
    writeCsv(syntheticDataset(100, 5), csv);
    const args = ["select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--queue", fx.redis.url, "--records", path.join(dir, "records")];
    const npx = new TestCli(args, { npx: true });
    await npx.waitFor(/queued 2 fold jobs/);
    // The coordinator is node under npm's shell.
    const [pid] = nodeProcessesWith(`select --data ${csv}`).filter((p) => p !== npx.child.pid);
    assert.ok(pid, "the coordinator's node process");
    try {
      npx.child.kill("SIGTERM");
      // Before the fix the coordinator waited on as an orphan.
      await waitUntil(() => !processAlive(pid), `the coordinator (pid ${pid}) has stopped`);
      assert.match(npx.output, /npm, which started this run, is gone: model selection cancelled/);
      const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: fx.redis.port }, prefix: QUEUE_PREFIX });
      try {
        const counts = await queue.getJobCounts("waiting", "delayed", "prioritized", "active");
        assert.ok(Object.values(counts).every((n) => n === 0), JSON.stringify(counts));
      } finally {
        await queue.close();
      }
    } finally {
      if (processAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });
});
