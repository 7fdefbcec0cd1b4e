// Evaluation: metrics with scikit-learn's semantics, and a model scored on named sets.
// Imports core/, data/ and model/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./evaluate";
export * from "./metrics";
export * from "./student-t";
