// A thread of the train panel's pool (lib/core/pool's runPool, started by the panel's page code as
// a Web Worker; in Node, by its test): the notebook's rows come once, each task is one training run.
// Stopping terminates the thread.
import { serveTasks } from "../../core/pool";
import type { TrainSettings } from "./lab-config";
import { trainForLab, type TrainOutcome, type TrainProgress, type TrainThreadData } from "./train-run";

serveTasks<TrainThreadData, TrainSettings, TrainProgress, TrainOutcome>((settings, data, progress) => trainForLab(settings, data, progress));
