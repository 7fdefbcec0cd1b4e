// A race's bookkeeping while its folds come in (./race decides; this keeps the order). Folds
// arrive in any order, from the cache or trained, and on threads ahead of their round; the rounds
// are decided strictly in order, each once every running candidate's fold of it is in. So the
// decisions, and the record, are those of a race run round by round, whatever the threads did:
// a fold trained for a candidate that the race stopped before the fold's round stays out of the
// record (the fold cache keeps it, as it keeps every fold trained).
// Pure and platform-neutral: no I/O, no clock.
import type { RaceSettings } from "./config";
import type { FoldJob } from "./fold-run";
import { raceRounds, raceStops, type RacePlan } from "./race";
import type { FoldResult, RaceStop } from "./record";

/** What a race tells as it decides. */
export interface RaceEvents {
  /** A round was decided; `reused` of its recorded folds came from the cache. */
  round(reused: number): void;
  /**
   * `candidate` was stopped: `later` of its jobs will not be recorded nor counted as done (those
   * trained ahead of the stop stay counted, foldsDone); `untrained` are those neither cached nor in
   * yet (some may be training on a thread: they finish, but are not recorded).
   */
  stop(candidate: string, stop: RaceStop, later: number, untrained: readonly FoldJob[]): void;
}

export class RaceTrack {
  readonly stops = new Map<string, RaceStop>();
  /** The folds of the decided rounds, of the candidates running in each: the record's. */
  readonly results: FoldResult[] = [];
  /** Of `results`, how many came from the cache and how many were trained in this run. */
  reused = 0;
  trained = 0;
  private readonly rounds: FoldJob[][];
  private readonly arrived = new Map<number, FoldResult>();
  private trainedIn = 0;
  private decided = 0;
  /** Folds trained ahead of the round that stopped their candidate, in before the stop. */
  private doneBeforeStops = 0;

  constructor(
    private readonly plan: RacePlan & { jobs: readonly FoldJob[] },
    readonly settings: RaceSettings,
    private readonly cached: ReadonlyMap<number, FoldResult>,
    private readonly events: RaceEvents,
  ) {
    this.rounds = raceRounds(plan.jobs, plan.config.folds);
    for (const [id, result] of cached) this.arrived.set(id, result);
  }

  /** Decides every round the cache completes; call once, before any fold trains. */
  start(): void {
    this.advance();
  }

  /** True once the race stopped the job's candidate: the job need not train. */
  stopped(job: FoldJob): boolean {
    return this.stops.has(job.candidate.name);
  }

  /** The jobs of round `round` to train: those of running candidates that the cache lacks. */
  toTrain(round: number): FoldJob[] {
    return (this.rounds[round] ?? []).filter((job) => !this.stopped(job) && !this.cached.has(job.id));
  }

  /** Every job left to train, by round (what threads run ahead of the decisions). */
  allToTrain(): FoldJob[] {
    return this.rounds.flatMap((_, round) => this.toTrain(round));
  }

  /** A fold trained in this run; decides the rounds it completes. False when its candidate was stopped before it came. */
  arrive(job: FoldJob, result: FoldResult): boolean {
    this.trainedIn++;
    this.arrived.set(job.id, result);
    if (this.stopped(job)) return false;
    this.advance();
    return true;
  }

  /**
   * What a progress bar counts as done, which never steps back: the folds recorded, those in for
   * running candidates ahead of their round, and those a stop left out that were in before it.
   */
  foldsDone(): number {
    let ahead = 0;
    for (const round of this.rounds.slice(this.decided)) ahead += round.filter((job) => !this.stopped(job) && !this.cached.has(job.id) && this.arrived.has(job.id)).length;
    return this.results.length + ahead + this.doneBeforeStops;
  }

  /** Folds trained in this run that the record leaves out: ahead of the round that stopped their candidate. */
  pastStops(): number {
    return this.trainedIn - this.trained;
  }

  /** How many rounds the race has (repeats × folds). */
  get roundCount(): number {
    return this.rounds.length;
  }

  private advance(): void {
    while (this.decided < this.rounds.length) {
      const round = this.rounds[this.decided].filter((job) => !this.stopped(job));
      if (!round.every((job) => this.arrived.has(job.id))) return;
      const reused = round.filter((job) => this.cached.has(job.id)).length;
      this.results.push(...round.map((job) => this.arrived.get(job.id)!));
      this.reused += reused;
      this.trained += round.length - reused;
      this.decided++;
      this.events.round(reused);
      for (const [name, stop] of raceStops(this.plan, this.settings, this.results, this.stops, this.decided)) {
        this.stops.set(name, stop);
        const later = this.rounds.slice(this.decided).flat().filter((job) => job.candidate.name === name);
        const done = later.filter((job) => this.arrived.has(job.id) && !this.cached.has(job.id)).length;
        this.doneBeforeStops += done;
        this.events.stop(name, stop, later.length - done, later.filter((job) => !this.arrived.has(job.id)));
      }
    }
  }
}
