// Data: MNIST's IDX files and CSVs read into a Dataset (checked at the boundary), the default
// files, a DataFrame view, stratified splits and folds, and the numbers of the exploratory
// analysis. Imports core/ only.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./csv";
export * from "./dataset";
export * from "./default-files";
export * from "./explore";
export * from "./fingerprint";
export * from "./frame";
export * from "./idx";
export * from "./split";
