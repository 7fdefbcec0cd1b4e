// The events of lanes merged for one reporter (scripts/lanes.ts): a lane's top-level test reaches
// the reporter whole, never with another lane's events inside it, and the lanes' summaries become one.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { LaneMerger, type TestEvent } from "../scripts/lanes";

const event = (type: string, nesting: number | undefined, name: string): TestEvent => ({ type, data: { nesting, name, file: `${name[0]}.test.ts` } });
const summary = (lines: string[]): TestEvent[] => lines.map((message) => ({ type: "test:diagnostic", data: { nesting: 0, message } }));

/** A top-level test with one subtest, as run() reports them. */
const topLevel = (name: string): TestEvent[] => [event("test:start", 0, name), event("test:start", 1, `${name}.1`), event("test:pass", 1, `${name}.1`), event("test:pass", 0, name)];

describe("merging the lanes' events", () => {
  test("gives each top-level test's events together, in its lane's order, when it ends", () => {
    const merger = new LaneMerger(2);
    const [a, b] = [topLevel("a"), topLevel("b")];
    const given: TestEvent[] = [];
    // Interleaved, as two lanes' streams would arrive.
    for (let i = 0; i < a.length; i++) {
      given.push(...merger.push(0, a[i]));
      given.push(...merger.push(1, b[i]));
    }
    given.push(...merger.end(0), ...merger.end(1));
    assert.deepEqual(given, [...a, ...b]);
  });

  test("holds output and failures inside a test until it ends; events outside any test go straight through", () => {
    const merger = new LaneMerger(2);
    const outside = event("test:enqueue", 0, "x");
    assert.deepEqual(merger.push(0, outside), [outside]);
    const start = event("test:start", 0, "f");
    const stdout = event("test:stdout", undefined, "f-out");
    const failed = event("test:fail", 0, "f");
    assert.deepEqual(merger.push(0, start), []);
    assert.deepEqual(merger.push(0, stdout), []);
    assert.deepEqual(merger.push(1, outside), [outside], "another lane is not held by this one");
    assert.deepEqual(merger.push(0, failed), [start, stdout, failed]);
  });

  test("gives one summary, once every lane has ended: counts added up, the duration the longest lane's", () => {
    const merger = new LaneMerger(2);
    assert.deepEqual(merger.push(0, summary(["tests 5"])[0]), []);
    merger.push(0, summary(["pass 4"])[0]);
    merger.push(0, summary(["duration_ms 900.5"])[0]);
    assert.deepEqual(merger.end(0), []);
    for (const diagnostic of summary(["tests 3", "pass 3", "duration_ms 1200.25"])) merger.push(1, diagnostic);
    assert.deepEqual(merger.end(1), summary(["tests 8", "pass 7", "duration_ms 1200.25"]));
  });

  test("passes a test's own diagnostic through with its test, not into the summary", () => {
    const merger = new LaneMerger(1);
    const own: TestEvent = { type: "test:diagnostic", data: { nesting: 1, message: "tests 5", file: "a.test.ts" } };
    merger.push(0, event("test:start", 0, "a"));
    merger.push(0, own);
    assert.deepEqual(merger.push(0, event("test:pass", 0, "a")), [event("test:start", 0, "a"), own, event("test:pass", 0, "a")]);
    assert.deepEqual(merger.end(0), []);
  });

  test("gives one test:summary (Node 22.10 and later), once every lane has ended: counts added up, success only if every lane's", () => {
    const merger = new LaneMerger(2);
    const run = (success: boolean, passed: number, failed: number, duration_ms: number): TestEvent => ({ type: "test:summary", data: { success, counts: { passed, failed }, duration_ms } });
    const own: TestEvent = { type: "test:summary", data: { success: true, counts: { passed: 1, failed: 0 }, duration_ms: 5, file: "a.test.ts" } };
    assert.deepEqual(merger.push(0, own), [own], "a file's own summary goes through");
    assert.deepEqual(merger.push(0, run(true, 5, 0, 900)), []);
    assert.deepEqual(merger.end(0), []);
    merger.push(1, run(false, 2, 1, 1200));
    assert.deepEqual(merger.end(1), [run(false, 7, 1, 1200)]);
  });
});
