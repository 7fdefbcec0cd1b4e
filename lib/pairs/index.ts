// Pairs: which pairs of digits are hard, by cross-validated logistic regression on all 45 pairs,
// with its record. Imports core/, data/, model/, evaluation/ and selection/ (for the thread count).
//
//   config        the settings, their defaults and description, the 45 pairs
//   images        reading the ten-digit images, and which of them each pair uses
//   score-pair    cross-validating one pair (pure)
//   score-pairs   every pair, in this thread or on the pool of threads (pair-thread)
//   ranking       easiest to hardest, where a pair stands, the sentences
//   record        the record's key, checksum and rule; finding and saving it
//   run           `digits pairs` and notebook 01: reuse a record that passes, else compute and save
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./config";
export * from "./images";
export * from "./ranking";
export * from "./record";
export * from "./run";
export * from "./score-pair";
export * from "./score-pairs";
