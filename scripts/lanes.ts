// The test files of a run in lanes that run side by side, and their events merged for one reporter.
// The cores' lane runs as many files at a time as there are cores. The files that need Redis spend
// their time waiting on Redis, on queue workers and on BullMQ's timers (about 15 core-seconds in 80 s
// of one file at a time, on the idle 2-core machine): in the cores' lane they held a core idle for
// about 30 s of each run; in a lane of their own they wait beside the others.

/** One event of node:test's run() stream, as its reporters read it. */
export interface TestEvent {
  type: string;
  data: { nesting?: number; name?: string; message?: string; file?: string; success?: boolean; counts?: Record<string, number>; duration_ms?: number };
}

/** The counts each run() stream gives once, at its end, as `NAME VALUE` diagnostics. */
const SUMMARY = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\d+(?:\.\d+)?)$/;

const isSummary = (event: TestEvent) => event.type === "test:diagnostic" && event.data.nesting === 0 && event.data.file === undefined && SUMMARY.test(event.data.message ?? "");

/** Node 22.10 and later also end a run with a test:summary event of its counts (no file); the spec reporter lists the failures on it. */
const isRunSummary = (event: TestEvent) => event.type === "test:summary" && event.data.file === undefined;

/**
 * Merges the events of several lanes into one stream for one reporter. Each lane's stream is in
 * order (a test's start, its subtests, its end), but two lanes would interleave: the events of a
 * top-level test are held until it ends and then given together, so that the reporter never sees
 * another lane's test inside it. The lanes' summaries are held back and given once, added up
 * (the duration is the longest lane's), when every lane has ended: their diagnostics, and on Node
 * 22.10 and later their test:summary events (success only if every lane's is).
 */
export class LaneMerger {
  private readonly held: TestEvent[][];
  private readonly open: boolean[];
  private readonly totals = new Map<string, number>();
  private readonly runSummaries: TestEvent[] = [];
  private ended = 0;

  constructor(private readonly lanes: number) {
    this.held = Array.from({ length: lanes }, () => []);
    this.open = Array.from({ length: lanes }, () => false);
  }

  /** An event of lane `lane`: the events that can be given now, in order. */
  push(lane: number, event: TestEvent): TestEvent[] {
    if (isSummary(event)) {
      const [, name, value] = SUMMARY.exec(event.data.message!)!;
      const before = this.totals.get(name) ?? 0;
      this.totals.set(name, name === "duration_ms" ? Math.max(before, Number(value)) : before + Number(value));
      return [];
    }
    if (isRunSummary(event)) {
      this.runSummaries.push(event);
      return [];
    }
    const topLevel = event.data.nesting === 0;
    if (topLevel && event.type === "test:start") this.open[lane] = true;
    if (!this.open[lane]) return [event];
    this.held[lane].push(event);
    if (!topLevel || (event.type !== "test:pass" && event.type !== "test:fail")) return [];
    this.open[lane] = false;
    return this.held[lane].splice(0);
  }

  /** Lane `lane` has ended: what it still held, and the added-up summary once every lane has. */
  end(lane: number): TestEvent[] {
    this.ended++;
    const rest = this.held[lane].splice(0);
    if (this.ended < this.lanes) return rest;
    const summary = [...this.totals].map(([name, value]): TestEvent => ({ type: "test:diagnostic", data: { nesting: 0, message: `${name} ${value}` } }));
    return [...rest, ...summary, ...addedUp(this.runSummaries)];
  }
}

/** The lanes' test:summary events as one: counts added up, success only if every lane's, the longest duration. */
function addedUp(summaries: readonly TestEvent[]): TestEvent[] {
  if (summaries.length === 0) return [];
  const counts: Record<string, number> = {};
  for (const { data } of summaries) for (const [name, value] of Object.entries(data.counts ?? {})) counts[name] = (counts[name] ?? 0) + value;
  const data = {
    ...summaries[0].data,
    success: summaries.every((s) => s.data.success === true),
    counts,
    duration_ms: Math.max(...summaries.map((s) => s.data.duration_ms ?? 0)),
  };
  return [{ type: "test:summary", data }];
}
