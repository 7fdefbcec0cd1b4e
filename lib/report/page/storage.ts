// The reader's choices (theme, code shown or hidden), kept in sessionStorage while the tab is open.
// A page opened from disk may have no storage (a browser setting, a sandboxed frame): the choice
// then lasts until the page is closed, and nothing throws.

/** Keeps `value` under `key`, or does nothing where storage is refused. */
export function remember(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // no storage: the choice is not kept, which is all that is lost
  }
}

/** The value kept under `key`, or null (none kept, or no storage). */
export function recall(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}
