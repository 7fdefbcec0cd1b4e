// Charts: functions that return Plotly figures (plain data) from results; they never train or
// display. Imports the stages below them, never notebook/ or report/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./charts";
