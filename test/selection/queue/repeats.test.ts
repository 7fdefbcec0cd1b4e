// Repeated k-fold through the queue: a worker cuts the folds of each job's repeat (from the seed
// derived for it), so a --repeats 2 run through `digits worker` gives the local run's numbers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { selectCandidates, type SelectionOptions } from "../../../lib/selection/select";
import { skipUnlessRedis } from "../../support/redis";
import { numbers, queueFixture, syntheticDataset } from "./helpers";

describe("repeated k-fold through the queue", skipUnlessRedis(), () => {
  const fx = queueFixture();
  const data = syntheticDataset(300, 7);
  const options: SelectionOptions = { grid: [[8], []], folds: 2, repeats: 2, epochs: 2, seed: 13 };

  test("a --repeats 2 run through a worker equals the local one, comparisons included", async () => {
    const local = await selectCandidates(data, { ...options, threads: 1 });
    const w = fx.worker();
    await w.waitFor(/waiting for fold jobs/);
    const record = await selectCandidates(data, { ...options, queue: { url: fx.redis.url } });
    assert.deepEqual(record.cache, { reused: 0, trained: 8, remote: 8 });
    assert.deepEqual(numbers(record), numbers(local));
    assert.deepEqual(record.comparisons, local.comparisons);
    assert.equal(record.folds.filter((f) => f.repeat === 1).length, 4);
    await w.stop();
  });
});
