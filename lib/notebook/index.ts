// Notebook: what the notebooks call: display (the only kernel-aware module), the Plotly and table
// HTML it sends, progress lines, tables and findings computed from results, what the network sees
// (explain), the sentences naming where results came from (sources), parameters from the
// environment, escaping, and the drawing pad.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./display";
export * from "./escape";
export * from "./explain";
export * from "./findings";
export * from "./params";
export * from "./plotly";
export * from "./progress";
export * from "./real-differences";
export * from "./sources";
export * from "./table-html";
export * from "./tables";
