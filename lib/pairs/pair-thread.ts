// A thread of the pairs map (started by scorePairs through lib/core/pool): the ten-digit images
// arrive once, in shared memory; each task is one pair, scored by scorePair with every fold
// reported, so a thread computes exactly what the main thread would.
import { serveTasks } from "../core/pool";
import { scorePair, type PairFold, type PairResult } from "./score-pair";
import type { PairsThreadShared, PairTask } from "./score-pairs";

serveTasks<PairsThreadShared, PairTask, PairFold, PairResult>((task, shared, progress) => scorePair(shared.images, task.pair, shared.config, progress));
