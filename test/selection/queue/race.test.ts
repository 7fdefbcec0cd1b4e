// A race (--race) through the queue: the coordinator queues one round at a time, so a worker killed
// mid-round loses nothing (its fold goes to another), no fold of a stopped candidate is trained
// after its stop, and the record is the local race's.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { selectCandidates, type SelectionOptions } from "../../../lib/selection/select";
import { skipUnlessRedis } from "../../support/redis";
import { numbers, queueFixture, syntheticDataset } from "./helpers";

describe("a race through the queue", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const data = syntheticDataset(300, 7);
  // 2 folds × 3 repeats (6 rounds of 4 jobs); folds of 64-32 long enough (20 epochs) for a kill to
  // land while one trains; "logistic lr 0.00001" barely learns and is stopped after 3 rounds.
  const options: SelectionOptions = { grid: [[64, 32], []], learningRates: [0.001, 0.00001], folds: 2, repeats: 3, epochs: 20, seed: 13, race: { minFolds: 3 } };

  test("a worker killed with SIGKILL mid-round: the record equals the local race's, and stopped candidates' later folds are never trained", async () => {
    const local = await selectCandidates(data, { ...options, threads: 1 });
    const stopped = local.summary.filter((s) => s.stopped).map((s) => s.architecture);
    assert.ok(stopped.length > 0, "the grid should make the race stop a candidate");
    const a = fx.worker();
    await a.waitFor(/waiting for fold jobs/);
    const run = selectCandidates(data, { ...options, queue: { url: fx.redis.url } });
    // The fifth fold started is in round 2: the kill lands mid-race, while a fold trains.
    await a.waitForCount(/: training fold/, 5);
    a.child.kill("SIGKILL");
    const b = fx.worker();
    const record = await run;
    assert.deepEqual(numbers(record), numbers(local));
    assert.deepEqual(record.comparisons, local.comparisons);
    assert.deepEqual(record.cache, { reused: 0, trained: local.cache.trained, remote: local.cache.trained });
    assert.ok(local.cache.trained < 24, `the race trained ${local.cache.trained} of 24 folds`);
    assert.ok((record.queue?.retried ?? 0) >= 1, "the killed worker's fold was taken back and run again");
    for (const name of stopped) {
      const finished = (a.output + b.output).split("\n").filter((line) => line.includes(`: finished fold`) && line.includes(`of candidate ${name}:`));
      assert.ok(finished.length <= local.summary.find((s) => s.architecture === name)!.stopped!.afterFolds, `${name}: ${finished.join("; ")}`);
    }
    await b.stop();
  });
});
