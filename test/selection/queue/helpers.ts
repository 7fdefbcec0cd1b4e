// Shared by the queue tests: a small synthetic dataset, what of a record must not depend on where
// its folds ran, and `digits worker` processes whose stderr a test can wait on.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { after, afterEach, before, beforeEach } from "node:test";
import IORedis from "ioredis";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Dataset } from "../../../lib/data/dataset";
import { createRng } from "../../../lib/core/random";
import { type ExperimentRecord, type FoldResult } from "../../../lib/selection/record";
import { startDigits } from "../../support/cli";
import { killWithTests } from "../../support/children";
import { startRedis, type TestRedis } from "../../support/redis";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Two classes of 28×28 "images": a few bright pixels, mostly in the top or the bottom part. */
export function syntheticDataset(rows: number, seed: number): Dataset {
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

/** The dataset as a training CSV (label,pixel0,…,pixel783), for the CLI. */
export function writeCsv(dataset: Dataset, file: string): void {
  const lines = [["label", ...Array.from({ length: dataset.cols }, (_, i) => `pixel${i}`)].join(",")];
  for (let r = 0; r < dataset.rows; r++) {
    const pixels = Array.from(dataset.features.subarray(r * dataset.cols, (r + 1) * dataset.cols), (v) => Math.round(v * 255));
    lines.push([dataset.labels[r], ...pixels].join(","));
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
}

/** The node processes whose command line holds `text` (ps on Linux and macOS). */
export function nodeProcessesWith(text: string): number[] {
  const ps = spawnSync("ps", ["-eo", "pid=,comm=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2] === "node" && m[3].includes(text))
    .map((m) => Number(m[1]));
}

/** A wait between two looks at something that changes outside the test (no assertion on time). */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a test waits for something outside it (a process, Redis) before it fails saying what: no assertion on time. */
const WAIT_LIMIT_MS = 180_000;

/**
 * Resolves once `done()` holds, looking every 200 ms; rejects, naming `what`, after WAIT_LIMIT_MS,
 * so that a wait that can never end fails the test instead of hanging the run.
 */
export async function waitUntil(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > WAIT_LIMIT_MS) throw new Error(`gave up after ${WAIT_LIMIT_MS / 1000} s waiting until ${what}`);
    await pause(200);
  }
}

/** What must not depend on where the folds ran: everything but timings and ids. */
export function numbers(record: ExperimentRecord) {
  return {
    config: record.config,
    data: record.data,
    folds: record.folds.map(({ seconds: _s, ...fold }: FoldResult) => fold),
    summary: record.summary.map(({ meanSeconds: _m, sdSeconds: _s, ...row }) => row),
    winner: record.winner,
  };
}

/** How to start a `digits` command: extra flags and environment, or through npx as the README shows. */
export interface CliStart {
  env?: Record<string, string>;
  args?: string[];
  npx?: boolean;
}

/** A `digits` process and the lines it wrote to stderr. */
export class TestCli {
  readonly child: ChildProcess;
  private text = "";
  private readonly waiting: { pattern: RegExp; resolve: () => void }[] = [];

  constructor(args: string[], start: CliStart = {}) {
    this.child = start.npx
      ? // npx runs the built bin (dist/) through npm's shell; no prompt, and no `prepare` build of its own.
        spawn("npx", ["digits", ...args], { cwd: ROOT, env: { ...process.env, ...start.env, npm_config_yes: "true", npm_config_ignore_scripts: "true" }, stdio: ["ignore", "ignore", "pipe"] })
      : startDigits(args, { env: start.env, stdio: ["ignore", "ignore", "pipe"] });
    killWithTests(this.child);
    this.child.stderr!.on("data", (chunk: Buffer) => {
      this.text += chunk.toString();
      for (const w of [...this.waiting]) if (w.pattern.test(this.text)) w.resolve();
    });
  }

  get output(): string {
    return this.text;
  }

  /** How many times the output matches (pattern must be /g). */
  count(pattern: RegExp): number {
    return this.text.match(pattern)?.length ?? 0;
  }

  /** Resolves when the output matches; rejects with the output so far after WAIT_LIMIT_MS, or when the process ends first. */
  waitFor(pattern: RegExp): Promise<void> {
    if (pattern.test(this.text)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.child.removeListener("close", ended);
        this.waiting.splice(this.waiting.indexOf(entry), 1);
      };
      const fail = (why: string) => {
        settle();
        reject(new Error(`${why} before its output matched ${pattern}; its output so far:\n${this.text}`));
      };
      const timer = setTimeout(() => fail(`gave up after ${WAIT_LIMIT_MS / 1000} s`), WAIT_LIMIT_MS);
      const ended = (code: number | null, signal: string | null) => fail(`the process ended (${signal ?? `exit code ${code}`})`);
      const entry = {
        pattern,
        resolve: () => {
          settle();
          resolve();
        },
      };
      this.waiting.push(entry);
      this.child.once("close", ended);
    });
  }

  /** Resolves once the output matches `pattern` (/g) `n` times. */
  waitForCount(pattern: RegExp, n: number): Promise<void> {
    const counted = new RegExp(`(?:[\\s\\S]*?${pattern.source}){${n}}`);
    return this.waitFor(counted);
  }

  /** SIGTERM, then the exit (a worker finishes its fold and prints its counts). */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGKILL, for clean-up after a test. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }
}

/** A `digits worker` on the queue at `url`. */
export class TestWorker extends TestCli {
  constructor(url: string, start: CliStart = {}) {
    // A short lock: a killed worker's fold goes to another within seconds, not 30.
    super(["worker", "--queue", url, ...(start.args ?? [])], { ...start, env: { DIGITS_WORKER_LOCK_MS: "4000", ...start.env } });
  }
}

export interface QueueFixture {
  redis: TestRedis;
  /** A client of the test's own, to look into Redis and change it. */
  client: IORedis;
  /** Starts a `digits worker` on this Redis, killed after the test. */
  worker(start?: CliStart): TestWorker;
}

/**
 * Inside a describe: a private Redis for its tests, emptied before each (no finished job of an
 * earlier test is reused), and the workers a test started killed after it.
 */
export function queueFixture(): QueueFixture {
  const workers: TestWorker[] = [];
  const fixture = {
    worker(start?: CliStart) {
      const w = new TestWorker(fixture.redis.url, start);
      workers.push(w);
      return w;
    },
  } as QueueFixture;
  before(async () => {
    fixture.redis = await startRedis();
    fixture.client = new IORedis(fixture.redis.url);
  });
  beforeEach(async () => {
    await fixture.client.flushall();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });
  after(async () => {
    fixture.client?.disconnect();
    await fixture.redis?.stop();
  });
  return fixture;
}
