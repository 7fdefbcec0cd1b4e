// Core: what every stage uses and nothing else imports from: errors, atomic files, the seeded
// random generator, number formats, the pair of digits, the project's paths and versions, and the
// one pool of threads. It imports no other folder of lib/.
//
// This index is for the notebooks and the CLI; modules inside lib/ import each other's files directly.
export * from "./errors";
export * from "./executables";
export * from "./files";
export * from "./format";
export * from "./pair";
export * from "./pool";
export * from "./project";
export * from "./random";
export * from "./settle";
