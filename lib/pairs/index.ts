// Pairs: which pairs of digits are hard, by cross-validated logistic regression on all 45 pairs,
// with its record. Imports core/, data/, model/ and evaluation/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./pairs";
