// Node runs WebAssembly, but @types/node 20 does not declare it: TypeScript declares it in the DOM
// lib, which the Node program (tsconfig.json) leaves out. What engine.ts uses, as in lib.dom.d.ts.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
