// Evaluation: metrics with scikit-learn's semantics, a model scored on named sets, calibration,
// and attributions (which pixels push the logit).
// Imports core/, data/ and model/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./attributions";
export * from "./calibration";
export * from "./evaluate";
export * from "./metrics";
export * from "./student-t";
