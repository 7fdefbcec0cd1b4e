// The select panel's thread script (dist/lab-select-worker.js): the kernels from its set-up, then
// lib/selection/fold-thread, the very module `digits select` runs its folds on, as a Web Worker.
import "./worker-setup";
import "../../../selection/fold-thread";
