// Progress on stderr, as select and pairs show it: on a terminal one line redrawn in place (at
// most every 100 ms, unless a report must be shown), elsewhere (a log, CI) whole lines for the
// reports worth a line; done() clears a drawn line so the results start on a clean one.
import { clock, visible } from "../lib/core/format";
import { err, errDrawn, errTerminalWidth } from "./common";

/** What a command shows of its progress reports. */
export interface ProgressView<P> {
  /** The line drawn in place on a terminal; `remaining` is "1:05" or "?". */
  line(p: P, remaining: string): string;
  /** True for a report that may be skipped when the last draw was under 100 ms ago. */
  skippable(p: P): boolean;
  /** The line logged for this report when stderr is not a terminal, or null for none. */
  logged(p: P, remaining: string): string | null;
}

export function progressOnStderr<P extends { remainingSeconds: number | null }>(quiet: boolean, view: ProgressView<P>): { onProgress: (p: P) => void; note: (line: string) => void; done: () => void } {
  const width = errTerminalWidth();
  const tty = width !== null;
  let lastDraw = 0;
  let drawn = false;
  return {
    onProgress(p) {
      if (quiet) return;
      const remaining = p.remainingSeconds === null ? "?" : clock(p.remainingSeconds);
      if (!tty) {
        const line = view.logged(p, remaining);
        if (line !== null) err(line);
        return;
      }
      const now = Date.now();
      if (now - lastDraw < 100 && view.skippable(p)) return;
      lastDraw = now;
      errDrawn(`\r\x1b[2K${visible(view.line(p, remaining)).slice(0, (width ?? 100) - 1)}`);
      drawn = true;
    },
    /** A line of its own between progress lines (a drawn bar is cleared first and drawn again by the next progress). */
    note(line) {
      if (quiet) return;
      if (drawn) errDrawn("\r\x1b[2K");
      drawn = false;
      err(line);
    },
    done() {
      if (drawn) errDrawn("\r\x1b[2K");
    },
  };
}
