// Selection: k-fold cross-validation over a grid of candidates, the one-SE rule, the schedulers
// that run fold jobs (this thread, threads, a Redis queue in queue/), the fold cache and the store
// of experiment records. Imports core/, data/, model/ and evaluation/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./config";
export * from "./experiments";
export * from "./fold-cache";
export * from "./fold-run";
export * from "./latest-winner";
export * from "./one-se";
export * from "./record";
export * from "./scheduler";
export * from "./select";
