// Model: the network's config, the WebAssembly engine and its memory plan, training, prediction,
// and saving and loading in TensorFlow.js's format. Imports core/ and data/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./backend";
export * from "./engine";
export * from "./gradients";
export * from "./memory";
export * from "./memory-layout";
export * from "./model";
export * from "./persist";
export * from "./train";
