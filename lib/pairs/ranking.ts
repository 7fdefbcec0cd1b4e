// Reading a pairs map: the pairs ranked from the easiest to the hardest, where one pair stands,
// and the sentences that say so (and the line of progress while a map is computed).
import { InputError } from "../core/errors";
import { clock, percentBar, type BarOptions } from "../core/format";
import { pairLabel, type Pair } from "../core/pair";
import { ascending } from "./config";
import type { PairResult } from "./score-pair";
import type { PairsProgress } from "./score-pairs";

/** What ranking needs of a pair's result. */
export type RankedPair = Pick<PairResult, "digits" | "accuracy" | "logLoss">;

/** Easiest first: higher accuracy, then lower log loss, then digit order. */
export function rankPairs<T extends RankedPair>(pairs: readonly T[]): T[] {
  return [...pairs].sort((x, y) => y.accuracy - x.accuracy || x.logLoss - y.logLoss || x.digits[0] - y.digits[0] || x.digits[1] - y.digits[1]);
}

/** Where a pair stands among the results (order of its digits ignored). */
interface PairStanding<T> {
  /** 1 = the easiest. */
  rank: number;
  of: number;
  result: T;
  easiest: T;
  hardest: T;
}

function pairRank<T extends RankedPair>(pairs: readonly T[], pair: Pair): PairStanding<T> {
  const ranked = rankPairs(pairs);
  const [a, b] = ascending(pair);
  const index = ranked.findIndex((r) => r.digits[0] === a && r.digits[1] === b);
  if (index < 0) throw new InputError(`pair ${pairLabel(pair)} is not among the ${pairs.length} pairs of the results`);
  return { rank: index + 1, of: ranked.length, result: ranked[index], easiest: ranked[0], hardest: ranked[ranked.length - 1] };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/**
 * A sentence saying where `pair` ranks, computed from the results, e.g. "0 vs 1 is the easiest of
 * the 45 pairs (99.88% cross-validated accuracy); the hardest is 3 vs 5 (95.86%)." The pair is
 * named in the order given (the positive digit second).
 */
export function pairRankSentence(pairs: readonly RankedPair[], pair: Pair): string {
  const { rank, of, result, easiest, hardest } = pairRank(pairs, pair);
  const name = pairLabel(pair);
  const own = `${pct(result.accuracy)} cross-validated accuracy`;
  if (of === 1) return `${name} is the only pair in the results (${own}).`;
  if (rank === 1) return `${name} is the easiest of the ${of} pairs (${own}); the hardest is ${pairLabel(hardest.digits)} (${pct(hardest.accuracy)}).`;
  if (rank === of) return `${name} is the hardest of the ${of} pairs (${own}); the easiest is ${pairLabel(easiest.digits)} (${pct(easiest.accuracy)}).`;
  const fromHard = of - rank + 1;
  const where = fromHard < rank ? `the ${ordinal(fromHard)} hardest` : `the ${ordinal(rank)} easiest`;
  return (
    `${name} is ${where} of the ${of} pairs (${own}); ` +
    `the easiest is ${pairLabel(easiest.digits)} (${pct(easiest.accuracy)}), the hardest ${pairLabel(hardest.digits)} (${pct(hardest.accuracy)}).`
  );
}

/** One line of progress: bar, pairs done, the latest pair, elapsed and remaining time (none once all are done). */
export function pairsProgressText(p: PairsProgress, options: BarOptions = {}): string {
  const remaining = p.remainingSeconds === null || p.pairsDone === p.pairsTotal ? "" : `, about ${clock(p.remainingSeconds)} left`;
  return `${percentBar(p.fraction, options)}  pairs done ${p.pairsDone}/${p.pairsTotal} (latest ${pairLabel(p.pair)}), ${clock(p.elapsedSeconds)} elapsed${remaining}`;
}
