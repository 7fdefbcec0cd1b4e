// Letting the rest of the program run between steps of long work (an epoch, a fold), so that
// progress shows and an abort gets through: in Node and Deno a macrotask (setImmediate); in a page,
// which has none, a zero timeout.

/** Resolves after the event loop has had a turn. */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
