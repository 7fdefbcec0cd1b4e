// Charts: functions that return Plotly figures (plain data) from results; they never train or
// display. One module per notebook stage: explore (01), pairs (01's pairs map), selection (02),
// grid (02: parallel coordinates and per-fold points), real-differences (02: which differences are real),
// evaluation (03), digits (grids of digit images, 01 and 03), explain (03: weights, attributions,
// calibration), and figure (what a figure is, and the layout helpers they share). Imports the
// stages below them, never notebook/ or report/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export { CLASS_COLORS, WRONG_COLOR, type Figure, type Trace } from "./figure";
export * from "./explore";
export * from "./pairs";
export * from "./selection";
export * from "./real-differences";
export * from "./grid";
export * from "./evaluation";
export * from "./digits";
export * from "./explain";
