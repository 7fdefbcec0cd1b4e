// The plotly.js modules page/plotly.ts bundles: plotly.js ships JavaScript without types, and the
// bundle needs only the core's register (and its version, read by the charts' scripts).
declare module "plotly.js/lib/core" {
  const Plotly: { version: string; register(modules: readonly unknown[]): void };
  export default Plotly;
}

declare module "plotly.js/lib/*" {
  const module: unknown;
  export default module;
}
