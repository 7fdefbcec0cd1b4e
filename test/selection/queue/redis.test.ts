// lib/selection/queue/redis: a --queue URL is checked where it enters, an InputError (exit 2) for
// anything unusable, and never shown with its password.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../../lib/core/errors";
import { displayUrl, parseRedisUrl } from "../../../lib/selection/queue/redis";
import { runDigits } from "../../support/cli";

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
