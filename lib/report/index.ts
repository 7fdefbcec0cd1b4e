// Report: executing the notebooks through Jupyter, and exporting them to HTML and PDF.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./ipynb";
export * from "./jupyter";
export * from "./outputs";
export * from "./page";
export * from "./page-parts";
export * from "./page-style";
export * from "./pdf";
export * from "./report";
export * from "./run-info";
export * from "./runner";
