// lib/selection/queue/idle: while no worker trains any of a coordinator's folds, a notice every
// noticeMs and, with a wait timeout, the end; a worker seen at work starts both clocks again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IdleWatch } from "../../../lib/selection/queue/idle";

describe("waiting for workers", () => {
  test("a notice every 30 s of waiting, none in between", () => {
    const watch = new IdleWatch(30_000, Infinity, 0);
    assert.equal(watch.due(29_999), null);
    assert.deepEqual(watch.due(30_000), { kind: "notice", idleMs: 30_000 });
    watch.noticed();
    assert.equal(watch.due(59_999), null);
    assert.deepEqual(watch.due(60_500), { kind: "notice", idleMs: 60_500 });
  });

  test("a worker at work starts the clock again", () => {
    const watch = new IdleWatch(30_000, Infinity, 0);
    watch.noticed();
    watch.active(50_000);
    assert.equal(watch.due(79_999), null);
    assert.deepEqual(watch.due(80_000), { kind: "notice", idleMs: 30_000 });
  });

  test("the wait timeout ends the wait, before a notice due at the same time", () => {
    const watch = new IdleWatch(30_000, 60_000, 0);
    watch.noticed();
    assert.deepEqual(watch.due(60_000), { kind: "timeout", idleMs: 60_000 });
  });

  test("it is asked often enough for the shortest deadline, at most once a second", () => {
    assert.equal(new IdleWatch(30_000, Infinity, 0).tickMs, 1000);
    assert.equal(new IdleWatch(200, Infinity, 0).tickMs, 200);
    assert.equal(new IdleWatch(30_000, 500, 0).tickMs, 500);
  });
});
