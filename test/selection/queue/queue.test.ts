// lib/queue and lib/queue-worker: a selection's folds run by `digits worker` processes through
// BullMQ on a private loopback Redis (test/support/redis) give the numbers of a local run, also
// when a worker is killed mid-fold; a worker with other kernels trains nothing; an unreachable or
// lost Redis and a job that fails for good stop the run with a message saying what and where.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import IORedis from "ioredis";
import { datasetFingerprint, type Dataset } from "../../../lib/data/dataset";
import { InputError } from "../../../lib/core/errors";
import { FoldCache } from "../../../lib/selection/fold-cache";
import { createRng } from "../../../lib/core/random";
import { dataKey, decodeDataset, decodeResult, displayUrl, encodeDataset, encodeResult, parseRedisUrl } from "../../../lib/selection/queue/coordinator";
import { selectArchitecture, type SelectionOptions } from "../../../lib/selection/select";
import { type ExperimentRecord, type FoldResult } from "../../../lib/selection/record";
import { freePort, skipUnlessRedis, startRedis, type TestRedis } from "../../support/redis";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CLI = path.join(ROOT, "cli", "digits.ts");
const TSX = pathToFileURL(require.resolve("tsx")).href;

/** Two classes of 28×28 "images": a few bright pixels, mostly in the top or the bottom part. */
function syntheticDataset(rows: number, seed: number): Dataset {
  const cols = 784;
  const rng = createRng(seed);
  const features = new Float32Array(rows * cols);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = r % 2;
    labels[r] = label;
    for (let k = 0; k < 40; k++) {
      const pixel = Math.floor(rng.next() * 470) + (label === 1 ? 314 : 0);
      features[r * cols + pixel] = Math.floor(rng.next() * 256) / 255;
    }
  }
  return { features, labels, rows, cols };
}

/** What must not depend on where the folds ran: everything but timings and ids. */
function numbers(record: ExperimentRecord) {
  return {
    config: record.config,
    data: record.data,
    folds: record.folds.map(({ seconds: _s, ...fold }: FoldResult) => fold),
    summary: record.summary.map(({ meanSeconds: _m, sdSeconds: _s, ...row }) => row),
    winner: record.winner,
  };
}

describe("what crosses the network (pure)", () => {
  test("a redis URL becomes connection options; its password never shows", () => {
    assert.deepEqual(parseRedisUrl("redis://:s3cret@10.0.0.5:6390/2"), { host: "10.0.0.5", port: 6390, db: 2, password: "s3cret" });
    assert.deepEqual(parseRedisUrl("redis://localhost"), { host: "localhost", port: 6379, db: 0 });
    assert.equal(displayUrl("redis://:s3cret@10.0.0.5:6390"), "redis://:***@10.0.0.5:6390");
    assert.throws(() => parseRedisUrl("http://10.0.0.5:6390"), (e: unknown) => e instanceof InputError && /expected a redis:\/\//.test(e.message));
    assert.throws(() => parseRedisUrl("10.0.0.5:6390"), InputError);
  });

  test("a dataset of pixels / 255 travels as one byte per pixel and comes back bit for bit", () => {
    const data = syntheticDataset(50, 3);
    const bytes = encodeDataset(data);
    // 50 × 784 bytes of mostly zeros compress far below their 39,200 bytes
    assert.ok(bytes.length < 10_000, `${bytes.length} bytes`);
    const back = decodeDataset(bytes, datasetFingerprint(data));
    assert.deepEqual(back, data);
  });

  test("other feature values travel as float32, and a fingerprint that does not match is refused", () => {
    const data: Dataset = { features: new Float32Array([0.1, 0.2, 0.3, 0.4]), labels: new Uint8Array([0, 1]), rows: 2, cols: 2 };
    assert.deepEqual(decodeDataset(encodeDataset(data), datasetFingerprint(data)), data);
    assert.throws(() => decodeDataset(encodeDataset(data), "0000000000000000"), /has fingerprint .*damaged/);
  });

  test("results keep NaN and infinities (plain JSON would make them null)", () => {
    const value = { result: { auc: NaN, logLoss: Infinity, accuracy: 0.5 } as unknown as FoldResult, worker: "h:1" };
    const back = decodeResult(encodeResult(value));
    assert.ok(Number.isNaN(back.result.auc));
    assert.equal(back.result.logLoss, Infinity);
    assert.equal(back.result.accuracy, 0.5);
  });
});

describe("Redis missing at start", () => {
  test("digits select --queue and digits worker exit 2 naming the URL and how to start a Redis", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const args of [["select", "--queue", url, "--epochs", "1"], ["worker", "--queue", url]]) {
      const run = spawnSync(process.execPath, ["--import", TSX, CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
      assert.equal(run.status, 2, `${args[0]}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`cannot reach Redis at ${url.replace(/\./g, "\\.")} \\(connect ECONNREFUSED`));
      assert.match(run.stderr, /redis-server --port \d+/);
    }
  });
});

/** A `digits worker` process and the lines it wrote to stderr. */
class TestWorker {
  readonly child: ChildProcess;
  private text = "";
  private readonly waiting: { pattern: RegExp; resolve: () => void }[] = [];

  constructor(url: string, env: Record<string, string> = {}) {
    // A short lock: a killed worker's fold goes to another within seconds, not 30.
    this.child = spawn(process.execPath, ["--import", TSX, CLI, "worker", "--queue", url], {
      cwd: ROOT,
      env: { ...process.env, DIGITS_WORKER_LOCK_MS: "4000", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child.stderr!.on("data", (chunk: Buffer) => {
      this.text += chunk.toString();
      for (const w of [...this.waiting]) if (w.pattern.test(this.text)) w.resolve();
    });
  }

  get output(): string {
    return this.text;
  }

  /** Resolves when the output matches (the test's own timeout bounds the wait). */
  waitFor(pattern: RegExp): Promise<void> {
    if (pattern.test(this.text)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ pattern, resolve }));
  }

  /** SIGTERM, then the exit: the worker finishes its fold and prints its counts. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}

describe("selection through the queue", skipUnlessRedis(), () => {
  let redis: TestRedis;
  let client: IORedis;
  const workers: TestWorker[] = [];
  const data = syntheticDataset(300, 7);
  const small: SelectionOptions = { grid: [[8], []], folds: 2, epochs: 2, seed: 13 };
  let local: ExperimentRecord;
  const worker = (env?: Record<string, string>) => {
    const w = new TestWorker(redis.url, env);
    workers.push(w);
    return w;
  };

  before(async () => {
    redis = await startRedis();
    client = new IORedis(redis.url);
    local = await selectArchitecture(data, { ...small, workers: 1 });
  });
  beforeEach(async () => {
    // Each test starts from an empty Redis: no finished job of an earlier test is reused.
    await client.flushall();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => (w.child.kill("SIGKILL"), new Promise((r) => (w.child.exitCode === null && w.child.signalCode === null ? w.child.once("exit", r) : r(null))))));
  });
  after(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  test("a small grid through 2 worker processes gives the local run's numbers", async () => {
    const a = worker();
    const b = worker();
    await Promise.all([a.waitFor(/waiting for fold jobs/), b.waitFor(/waiting for fold jobs/)]);
    const record = await selectArchitecture(data, { ...small, queue: { url: redis.url } });
    assert.deepEqual(numbers(record), numbers(local));
    assert.equal(record.queue?.remote, 4);
    assert.deepEqual(record.cache, { reused: 0, trained: 4, remote: 4 });
    assert.equal(record.queue?.url, redis.url);
    // the data crossed once, under its fingerprint
    assert.equal(await client.exists(dataKey(record.data.fingerprint)), 1);
    await Promise.all([a.stop(), b.stop()]);
    const trained = [a, b].map((w) => Number(/trained (\d+) fold/.exec(w.output)?.[1]));
    assert.equal(trained[0] + trained[1], 4, a.output + b.output);
  });

  test("a worker killed with SIGKILL mid-fold: its fold is retried by another and the record is complete and identical", async () => {
    // Folds long enough (40 epochs of a wider net) that the kill lands while one is training.
    const longer: SelectionOptions = { grid: [[64, 32]], folds: 2, epochs: 40, seed: 13 };
    const reference = await selectArchitecture(data, { ...longer, workers: 1 });
    const a = worker();
    await a.waitFor(/waiting for fold jobs/);
    const run = selectArchitecture(data, { ...longer, queue: { url: redis.url } });
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
    const reference = await selectArchitecture(data, { ...longer, workers: 1 });
    const a = worker();
    await a.waitFor(/waiting for fold jobs/);
    const run = selectArchitecture(data, { ...longer, queue: { url: redis.url } });
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
    const other = worker({ DIGITS_WORKER_KERNELS: "0".repeat(64) });
    await other.waitFor(/waiting for fold jobs/);
    const logged: string[] = [];
    const run = selectArchitecture(data, { ...small, queue: { url: redis.url, log: (line) => logged.push(line) } });
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
      const first = await selectArchitecture(data, { ...small, cache, queue: { url: redis.url } });
      assert.deepEqual(first.cache, { reused: 0, trained: 4, remote: 4 });
      assert.equal(first.queue?.remote, 4);
      await a.stop();
      const again = await selectArchitecture(data, { ...small, cache, queue: { url: redis.url } });
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
    const run = selectArchitecture(data, { ...small, queue: { url: redis.url, log: (line) => /^queued/.test(line) && queued() } });
    const failure = assert.rejects(run, (e: unknown) => e instanceof InputError && /^fold [12]\/2 of candidate (8|logistic) failed on a worker: the training data [0-9a-f]{16} is not in Redis/.test(e.message));
    await isQueued;
    // Deleting the data makes every job fail on the worker, for good (no retry can bring it back).
    await client.del(dataKey(local.data.fingerprint));
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
      const run = selectArchitecture(data, { grid: [[]], folds: 2, epochs: 1, queue: { url: redis.url, lostAfterSeconds: 1, log: (line) => /^queued/.test(line) && queued() } });
      const failure = assert.rejects(run, (e: unknown) => e instanceof InputError && /^lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ mid-run .*0 of 2 folds had finished.*rerun the same command/.test(e.message));
      await isQueued;
      await redis.stop();
      await failure;
    } finally {
      await redis.stop();
    }
  });
});
