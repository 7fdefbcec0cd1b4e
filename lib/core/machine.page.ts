// What the reader's machine offers a page: the page twin of machine.ts (the page bundler takes it
// instead). Browsers say little, on purpose: navigator.deviceMemory is rounded and capped at 8 GiB
// (absent outside Chromium), so memory is taken as what it says, or 4 GiB.
const GIB = 1024 ** 3;

export function availableCores(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

export function machineMemoryBytes(): number {
  const said = (navigator as { deviceMemory?: number }).deviceMemory;
  return (typeof said === "number" && said > 0 ? said : 4) * GIB;
}
