/**
 * Timeliness (ESS QPI TP1 "Time lag – first results" and TP2 "Time lag – final results"; SIMS
 * 2.0 S.14.1): how long after the end of its reference period a figure became public.
 *
 * Per visible release that holds data in the scope: its latest reference period (the one
 * ending last among the cells it wrote that hold data, cells.ts) and the lag from the end of
 * that period (the first instant after it: 1 January of the next year for a year) to the
 * release's announced instant, when it became public. The release gives *first results* for
 * that period when no earlier visible release held data for it in the scope; otherwise it
 * revises or completes a period already published (a TP2-like lag). The summary is over the
 * first-results releases: the TP1 figures. Releases not yet visible contribute nothing.
 */
import { periodRange } from '../../sdmx/time-period.js';
import type { VisibleRelease } from '../visibility.js';
import { days, maxDays, meanDays, minDays, type Days } from './measures.js';

/** The reference periods each release wrote data for, in one scope. */
export class TimelinessCounter {
  /** Release rank → periods it holds data for. */
  readonly periods = new Map<number, Set<string>>();
  /** Period → rank of the first release that held data for it. */
  private readonly firstRank = new Map<string, number>();

  /** A vintage holding data, written by the release of rank `rank`. */
  row(rank: number, period: string): void {
    let set = this.periods.get(rank);
    if (!set) this.periods.set(rank, (set = new Set()));
    set.add(period);
    const first = this.firstRank.get(period);
    if (first === undefined || rank < first) this.firstRank.set(period, rank);
  }

  firstRankOf(period: string): number | undefined {
    return this.firstRank.get(period);
  }
}

export interface ReleaseTimeliness {
  readonly release: string;
  readonly publishedAt: string;
  /** The latest reference period it published data for. */
  readonly latestPeriod: string;
  /** Reference periods it published data for. */
  readonly periods: number;
  /** publishedAt − end of latestPeriod. */
  readonly lag: Days;
  /** No earlier visible release held data for latestPeriod in the scope. */
  readonly firstResults: boolean;
}

export interface TimelinessIndicator {
  /** The visible releases holding data in the scope, oldest first. */
  readonly releases: readonly ReleaseTimeliness[];
  /** Over the releases giving first results (TP1). */
  readonly firstResults: {
    readonly releases: number;
    readonly meanLag: Days | null;
    readonly minLag: Days | null;
    readonly maxLag: Days | null;
  };
}

/** The instant a period ends: the first instant after it (epoch ms); undefined for text that is no period. */
function endOf(period: string): number | undefined {
  const range = periodRange(period);
  return range ? Date.parse(range.end) + 1 : undefined;
}

export function timelinessOf(counter: TimelinessCounter, releases: readonly VisibleRelease[]): TimelinessIndicator {
  const out: ReleaseTimeliness[] = [];
  for (const release of releases) {
    const periods = counter.periods.get(release.rank);
    if (!periods) continue;
    let latest: { period: string; end: number } | undefined;
    for (const period of periods) {
      const end = endOf(period);
      if (end === undefined) continue;
      if (!latest || end > latest.end || (end === latest.end && period > latest.period)) latest = { period, end };
    }
    if (!latest) continue;
    out.push({
      release: release.code,
      publishedAt: release.announcedAt,
      latestPeriod: latest.period,
      periods: periods.size,
      lag: days(Date.parse(release.announcedAt) - latest.end),
      firstResults: counter.firstRankOf(latest.period) === release.rank,
    });
  }
  const first = out.filter((r) => r.firstResults).map((r) => Date.parse(r.publishedAt) - endOf(r.latestPeriod)!);
  return {
    releases: out,
    firstResults: { releases: first.length, meanLag: meanDays(first), minLag: minDays(first), maxLag: maxDays(first) },
  };
}
