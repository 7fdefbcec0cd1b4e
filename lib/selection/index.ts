// Selection: k-fold cross-validation over a grid of candidates, the one-SE rule, the schedulers
// that run fold jobs (this thread, threads, a Redis queue in queue/), the fold cache and the check
// a cached result passes, the store of experiment records (experiments.ts), comparing them,
// pruning the cache, and one run that ties a CSV, the selection and the store together
// (run-experiment.ts). Imports core/, data/, model/ and evaluation/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./compare";
export * from "./compare-table";
export * from "./comparisons";
export * from "./config";
export * from "./experiments";
export * from "./fold-cache";
export * from "./fold-check";
export * from "./fold-run";
export * from "./latest-winner";
export * from "./network-choice";
export * from "./lease";
export * from "./notes";
export * from "./one-se";
export * from "./progress";
export * from "./prune";
export * from "./record";
export * from "./run-experiment";
export * from "./scheduler";
export * from "./select";
