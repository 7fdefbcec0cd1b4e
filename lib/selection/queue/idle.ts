// When a coordinator has waited long enough with no worker training any of its folds: a notice
// every noticeMs of such a wait, and the end of the run after timeoutMs (--wait-timeout). Pure:
// the coordinator says when a worker was seen at work (an epoch, a result, a job under way) and
// asks what is due; times are given, not read, so the rule is tested without waiting.

export type IdleDue = { kind: "notice" | "timeout"; idleMs: number } | null;

export class IdleWatch {
  private lastActive: number;
  /** Notices given since the last activity. */
  private notices = 0;

  constructor(
    readonly noticeMs: number,
    /** Infinity: wait as long as it takes. */
    readonly timeoutMs: number,
    now: number,
  ) {
    this.lastActive = now;
  }

  /** How often to ask what is due: often enough for both deadlines, at most once a second. */
  get tickMs(): number {
    return Math.min(1000, this.noticeMs, this.timeoutMs);
  }

  /** A worker was seen training one of our folds: both clocks start again. */
  active(now: number): void {
    this.lastActive = now;
    this.notices = 0;
  }

  /** What is due at `now` (the caller first checks that no job of its own is under way). */
  due(now: number): IdleDue {
    const idleMs = now - this.lastActive;
    if (idleMs >= this.timeoutMs) return { kind: "timeout", idleMs };
    if (idleMs >= (this.notices + 1) * this.noticeMs) return { kind: "notice", idleMs };
    return null;
  }

  /** The notice due was given: the next is due noticeMs later. */
  noticed(): void {
    this.notices++;
  }
}
