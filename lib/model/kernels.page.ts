// The WebAssembly training kernels in a page: the page twin of kernels.ts (the page bundler takes it
// instead). The page carries the bytes of dist/kernels.wasm and their SHA-256, computed when the
// page was written, and hands them over (provideKernels) before anything trains.
let compiled: { module: WebAssembly.Module; sha256: string; bytes: Uint8Array } | null = null;

/** Gives the page's copy of dist/kernels.wasm, with the SHA-256 its writer computed. */
export function provideKernels(bytes: Uint8Array, sha256: string): void {
  compiled = { module: new WebAssembly.Module(bytes), sha256, bytes };
}

export function loadKernels(): { module: WebAssembly.Module; sha256: string; bytes: Uint8Array } {
  if (!compiled) throw new Error("the page has not provided the training kernels (provideKernels) before training");
  return compiled;
}
