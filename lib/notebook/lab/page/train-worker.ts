// The train panel's thread script (dist/lab-train-worker.js): the kernels from its set-up, then
// lib/notebook/lab/train-thread, as a Web Worker started from a blob URL.
import "./worker-setup";
import "../train-thread";
