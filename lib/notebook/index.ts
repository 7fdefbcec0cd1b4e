// Notebook: what the notebooks call: display (the only kernel-aware module), tables, findings
// computed from results, parameters from the environment, escaping, and the drawing pad.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./display";
export * from "./findings";
export * from "./params";
export * from "./tables";
