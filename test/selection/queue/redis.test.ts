// lib/selection/queue/redis: a --queue URL is checked where it enters, an InputError (exit 2) for
// anything unusable, and never shown with its password.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import IORedis from "ioredis";
import { InputError } from "../../../lib/core/errors";
import { displayUrl, parseRedisUrl, workerCommand } from "../../../lib/selection/queue/redis";
import { runDigits } from "../../support/cli";
import { selectCandidates } from "../../../lib/selection/select";
import { skipUnlessRedis } from "../../support/redis";
import { smallCsv, tempDir } from "../../support/selection-data";
import { numbers, queueFixture, syntheticDataset, TestCli, TestWorker } from "./helpers";

const refuses = (url: string, pattern: RegExp) =>
  assert.throws(
    () => parseRedisUrl(url),
    (e: unknown) => e instanceof InputError && pattern.test(e.message),
  );

describe("Redis URLs", () => {
  test("a redis URL becomes connection options; its password never shows", () => {
    assert.deepEqual(parseRedisUrl("redis://:s3cret@10.0.0.5:6390/2"), { host: "10.0.0.5", port: 6390, db: 2, password: "s3cret" });
    assert.deepEqual(parseRedisUrl("redis://localhost"), { host: "localhost", port: 6379, db: 0 });
    assert.deepEqual(parseRedisUrl("redis://:p%40ss%25@[::1]:6390"), { host: "::1", port: 6390, db: 0, password: "p@ss%" });
    assert.equal(displayUrl("redis://:s3cret@10.0.0.5:6390"), "redis://:***@10.0.0.5:6390");
    assert.equal(displayUrl("redis://app:s3cret@10.0.0.5:6390/2"), "redis://app:***@10.0.0.5:6390/2");
    refuses("http://10.0.0.5:6390", /expected a redis:\/\//);
    refuses("10.0.0.5:6390", /not a URL/);
  });

  test("the hints' worker command takes the URL as it is, or with a password, --queue env, whose URL the hint cannot print", () => {
    assert.equal(workerCommand("redis://127.0.0.1:6390/2"), "digits worker --queue redis://127.0.0.1:6390/2");
    assert.equal(workerCommand("redis://app@127.0.0.1:6390"), "digits worker --queue redis://app@127.0.0.1:6390");
    const withPassword = workerCommand("redis://app:s3cret@10.0.0.5:6390/2");
    assert.equal(withPassword, "DIGITS_QUEUE_URL=redis://app:PASSWORD@10.0.0.5:6390/2 digits worker --queue env");
    assert.doesNotMatch(withPassword, /s3cret/);
  });

  test("a bad percent escape in the password is an InputError that does not print the password", () => {
    refuses("redis://:wr%ZZong@127.0.0.1:6390", /^--queue "redis:\/\/:\*\*\*@127\.0\.0\.1:6390": the password has a bad percent escape; write a % in it as %25/);
    assert.throws(() => parseRedisUrl("redis://:wr%ZZong@127.0.0.1:6390"), (e: unknown) => !String((e as Error).message).includes("wr%ZZong"));
  });

  test("a string that is not a URL is refused without printing the password in it", () => {
    for (const url of [":s3cret@10.0.0.5:6390", "redis://:s3cret@", "redis:s3cret@10.0.0.5"]) {
      assert.throws(
        () => parseRedisUrl(url),
        (e: unknown) => e instanceof InputError && !e.message.includes("s3cret") && e.message.includes("***@"),
        url,
      );
    }
  });

  test("a URL without a host is refused as it was written (no redis:/)", () => {
    refuses("redis://", /^--queue "redis:\/\/": no host; expected redis:\/\/HOST:PORT/);
    assert.equal(displayUrl("redis://"), "redis://");
    assert.equal(displayUrl("redis://127.0.0.1:6390/"), "redis://127.0.0.1:6390");
  });

  test("digits worker and digits select exit 2 on a bad percent escape, without the password", () => {
    const url = "redis://:wr%ZZong@127.0.0.1:1";
    for (const args of [["worker", "--queue", url], ["select", "--queue", url, "--epochs", "1"]]) {
      const run = runDigits(args);
      assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
      assert.match(run.stderr, /bad percent escape/);
      assert.doesNotMatch(run.stderr, /wr%ZZong/);
    }
  });
});

describe("the database a --queue URL names", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const digits = (...args: string[]) => runDigits(args, { timeout: 60_000 });

  test("one the server does not have (/99 of 16) is exit 2 for select and worker, before anything is uploaded", async () => {
    const url = `${fx.redis.url}/99`;
    const runs = {
      select: digits("select", "--data", smallCsv(200), "--layers", "none", "--folds", "2", "--epochs", "1", "--queue", url, "--wait-timeout", "5"),
      worker: digits("worker", "--queue", url),
    };
    for (const [name, run] of Object.entries(runs)) {
      assert.equal(run.code, 2, `${name}: ${run.stderr}`);
      assert.match(run.stderr, /^digits: Redis at redis:\/\/127\.0\.0\.1:\d+\/99 has no database 99 \(ERR DB index is out of range; it has 16, numbered 0 to 15\): name one it has/m, name);
      assert.doesNotMatch(run.stderr, /uploaded|queued/, name);
    }
    assert.equal(await fx.client.dbsize(), 0, "nothing went to database 0");
  });

  test("one it has (/3) holds the run's keys, and a worker on /3 trains its folds", async () => {
    const url = `${fx.redis.url}/3`;
    const worker = new TestWorker(url);
    const db3 = new IORedis({ ...parseRedisUrl(url) });
    try {
      await worker.waitFor(/waiting for fold jobs/);
      const data = syntheticDataset(200, 5);
      const options = { grid: [[]], folds: 2, epochs: 1, seed: 13 };
      const record = await selectCandidates(data, { ...options, queue: { url } });
      assert.equal(record.queue?.remote, 2);
      assert.deepEqual(numbers(record), numbers(await selectCandidates(data, { ...options, threads: 1 })));
      assert.ok((await db3.keys("binary-digits:*")).length > 0, "the keys are in database 3");
      assert.deepEqual(await fx.client.keys("binary-digits:*"), [], "and none in database 0");
    } finally {
      db3.disconnect();
      await worker.kill();
    }
  });
});

describe("a queue URL with a password, given in DIGITS_QUEUE_URL (--queue env)", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const PASSWORD = `pw-${process.pid}-${Date.now()}`;
  /** The command lines of every process on the machine (ps), where any local user could read a password. */
  const commandLines = () => spawnSync("ps", ["-eo", "args="], { encoding: "utf8" }).stdout;

  test("select and worker take the URL from it; the password is never printed nor on a command line of theirs", async () => {
    await fx.client.config("SET", "requirepass", PASSWORD);
    const env = { DIGITS_QUEUE_URL: fx.redis.url.replace("redis://", `redis://:${PASSWORD}@`) };
    const worker = new TestWorker("env", { env });
    const csv = smallCsv(200);
    try {
      await worker.waitFor(/waiting for fold jobs/);
      assert.ok(!commandLines().includes(PASSWORD), "no command line holds the password");
      const select = new TestCli(["select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--queue", "env", "--records", tempDir("digits-queue-env-")], { env });
      const exited = new Promise<number | null>((resolve) => select.child.once("exit", resolve));
      await select.waitFor(/queued \d+ fold jobs on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
      assert.ok(!commandLines().includes(PASSWORD), "no command line holds the password while the selection runs");
      assert.equal(await exited, 0, select.output);
      for (const [name, output] of [["select", select.output], ["worker", worker.output]]) assert.ok(!output.includes(PASSWORD), `${name} printed the password:\n${output}`);
      assert.match(worker.output, /finished fold 2\/2 of candidate logistic/);
    } finally {
      await worker.kill();
    }
  });

  test("--queue env without DIGITS_QUEUE_URL is exit 2 naming the variable", () => {
    const env = { ...process.env, DIGITS_QUEUE_URL: "" };
    for (const args of [["worker", "--queue", "env"], ["select", "--queue", "env", "--epochs", "1"]]) {
      const run = runDigits(args, { env, timeout: 60_000 });
      assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
      assert.match(run.stderr, /^digits: --queue env: DIGITS_QUEUE_URL is not set; set it to the queue's URL/);
    }
  });
});
