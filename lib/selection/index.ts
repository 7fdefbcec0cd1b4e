// Selection: k-fold cross-validation over a grid of candidates, the one-SE rule, the statistical
// tests of every candidate against the best (candidate-tests.ts), the schedulers that run fold
// jobs (this thread, threads, a Redis queue in queue/), the fold cache and the check a cached
// result passes, the store of experiment records (experiments.ts), records side by side
// (record-diff.ts, record-diff-table.ts), pruning the cache, which network to train and where
// (network-choice.ts), and one run that ties a CSV, the selection and the store together
// (run-experiment.ts). Imports core/, data/, model/ and evaluation/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./candidate-tests";
export * from "./config";
export * from "./experiments";
export * from "./fold-cache";
export * from "./fold-check";
export * from "./fold-run";
export * from "./latest-winner";
export * from "./lease";
export * from "./network-choice";
export * from "./notes";
export * from "./one-se";
export * from "./progress";
export * from "./prune";
export * from "./record";
export * from "./record-diff";
export * from "./record-diff-table";
export * from "./run-experiment";
export * from "./scheduler";
export * from "./select";
