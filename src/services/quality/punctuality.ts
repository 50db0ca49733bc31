/**
 * Punctuality (ESS QPI TP3, "Punctuality – delivery and publication"; SIMS 2.0 S.14.2): how the
 * releases of a dataflow kept the dates the public release calendar announced. Read from the
 * calendar itself (calendar.ts computes each published release's delay against its first
 * announced instant), as it stood at the instant asked: a postponement or cancellation recorded
 * after that instant is not yet known then.
 *
 * - A release is *due* once its first announced instant has passed. Releases not yet due
 *   contribute nothing (embargo: nothing about them but their calendar entry is public).
 * - A due release is *on time* when it became public no later than first announced (the server
 *   publishes exactly at the announced instant, so only a postponement makes one late; one
 *   brought forward is on time), *late* when it became public after that, *overdue* when it is
 *   still not public (postponed past the instant), *cancelled* when it was cancelled by then.
 * - Share on time = on time / due. Mean and maximum delay are over the published releases, of
 *   their lateness (delay, 0 when brought forward): an overdue release's delay is not known yet,
 *   a cancelled one has none; both count against the share.
 * - Scoped to a reference area, only the published releases that published cells for it count:
 *   an overdue or cancelled release shows no data, so nothing ties it to an area.
 */
import type { CalendarEntry } from '../calendar/calendar.js';
import { days, maxDays, meanDays, percent, type Days, type Percent } from './measures.js';

export type PunctualityStatus = 'on-time' | 'late' | 'overdue' | 'cancelled';

export interface ReleasePunctuality {
  readonly release: string;
  readonly status: PunctualityStatus;
  /** The instant the release was first announced for. */
  readonly firstAnnouncedAt: string;
  /** When it became public; null unless published by the instant. */
  readonly publishedAt: string | null;
  /**
   * Published: publication − first announced instant (negative when brought forward).
   * Overdue: how late it is so far (instant − first announced). Cancelled: null.
   */
  readonly delay: Days | null;
  /** Postponements recorded by the instant. */
  readonly postponements: number;
}

export interface PunctualityIndicator {
  /** Releases whose first announced instant has passed: published + overdue + cancelled. */
  readonly due: number;
  readonly published: number;
  readonly onTime: number;
  readonly late: number;
  readonly overdue: number;
  readonly cancelled: number;
  /** onTime / due. */
  readonly onTimeShare: Percent | null;
  /** Mean lateness of the published releases (a release on time counts 0). */
  readonly meanDelay: Days | null;
  /** Largest lateness of a published release. */
  readonly maxDelay: Days | null;
  /** The due releases, in calendar order. */
  readonly releases: readonly ReleasePunctuality[];
}

/**
 * Punctuality over calendar entries computed at `at` (the calendar's view with its clock at that
 * instant). With `onlyPublished`, only the published releases it names count (an area's).
 */
export function punctualityOf(entries: readonly CalendarEntry[], at: string, onlyPublished?: ReadonlySet<string>): PunctualityIndicator {
  const now = Date.parse(at);
  const releases: ReleasePunctuality[] = [];
  /** Lateness of each published release, in milliseconds (0 when on time). */
  const lateness: number[] = [];
  for (const entry of entries) {
    const first = Date.parse(entry.firstAnnouncedAt);
    const postponements = entry.postponements.filter((p) => Date.parse(p.at) <= now).length;
    if (entry.state === 'published') {
      if (onlyPublished && !onlyPublished.has(entry.code)) continue;
      // Published by `at`: every postponement of a visible release came before its instant.
      const delayMs = entry.punctuality!.delaySeconds * 1000;
      lateness.push(Math.max(0, delayMs));
      releases.push({
        release: entry.code,
        status: entry.punctuality!.onTime ? 'on-time' : 'late',
        firstAnnouncedAt: entry.firstAnnouncedAt,
        publishedAt: entry.publishedAt,
        delay: days(delayMs),
        postponements,
      });
      continue;
    }
    if (first > now || onlyPublished) continue;
    const cancelled = entry.cancellation !== null && Date.parse(entry.cancellation.at) <= now;
    releases.push({
      release: entry.code,
      status: cancelled ? 'cancelled' : 'overdue',
      firstAnnouncedAt: entry.firstAnnouncedAt,
      publishedAt: null,
      delay: cancelled ? null : days(now - first),
      postponements,
    });
  }
  const count = (status: PunctualityStatus) => releases.filter((r) => r.status === status).length;
  const onTime = count('on-time');
  return {
    due: releases.length,
    published: lateness.length,
    onTime,
    late: count('late'),
    overdue: count('overdue'),
    cancelled: count('cancelled'),
    onTimeShare: percent(onTime, releases.length),
    meanDelay: meanDays(lateness),
    maxDelay: maxDays(lateness),
    releases,
  };
}
