// The first thing a lab thread's script does: take the training kernels' bytes from its set-up
// (panel.ts provideEngine), before the pool's first task asks the engine for them.
import { onThreadSetup } from "../../../core/threads";
import { provideKernels } from "../../../model/kernels";

onThreadSetup((setup) => {
  const { bytes, sha256 } = setup as { bytes: Uint8Array; sha256: string };
  provideKernels(bytes, sha256);
});
