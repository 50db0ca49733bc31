/**
 * The release calendar as every data request reads it: which releases are visible at an
 * instant, without filtering and sorting the release list per request.
 *
 * Ranks follow announced instants (visibility.ts), so the releases visible at any instant are a
 * prefix of the releases that can ever be visible, in rank order: an instant maps to a prefix
 * length by binary search over their instants. An embargoed release therefore becomes part of
 * the answer exactly at its instant, as `visibleReleases` decides, and nothing is precomputed
 * that depends on the clock. The ranked order is rebuilt only when the stored list changes.
 */
import type { Release } from '../../storage/repositories.js';
import { visibleReleases, type VisibleRelease } from '../visibility.js';

/** Later than any instant a Date can hold: every release that can ever be visible is. */
const END_OF_TIME = '+275760-09-13T00:00:00.000Z';

export interface VisibleState {
  /** The visible releases, ranked (the same list as `visibleReleases(list, at)`). */
  readonly releases: readonly VisibleRelease[];
  /**
   * Names this state: equal for two instants exactly when the same releases are visible at both
   * and the stored release list has not changed in between.
   */
  readonly id: string;
}

export class ReleaseTimeline {
  /** What the state was built from, copied (a release object could change in place). */
  private source: readonly ReleaseFacts[] | undefined;
  private generation = 0;
  private instants: number[] = [];
  /** prefixes[n] = the first n ranked releases, as one shared state object. */
  private prefixes: VisibleState[] = [];

  constructor(private readonly list: () => readonly Release[]) {}

  /** What is visible at `at` (epoch ms; NaN makes nothing visible, like Date.parse of junk). */
  at(atMs: number): VisibleState {
    this.refresh();
    let lo = 0;
    let hi = this.instants.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.instants[mid]! <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return this.prefixes[lo]!;
  }

  /** The first announced instant after `atMs` (epoch ms), when a release becomes visible; undefined when none is due. */
  nextInstantAfter(atMs: number): number | undefined {
    this.refresh();
    return this.instants.find((t) => t > atMs);
  }

  /**
   * The state release `code` left when it was published: the releases visible at its instant,
   * ranked up to and including it (one announced for the same instant but ranked after it is
   * not part of it). Undefined unless it is visible at `atMs`: unknown, draft, cancelled and
   * embargoed releases alike, so that none of them can be told apart.
   */
  through(code: string, atMs: number): VisibleState | undefined {
    const rank = this.at(atMs).releases.findIndex((r) => r.code === code);
    return rank < 0 ? undefined : this.prefixes[rank + 1];
  }

  private refresh(): void {
    const list = this.list();
    if (this.source && sameReleases(this.source, list)) return;
    this.source = list.map(factsOf);
    this.generation += 1;
    const ranked = visibleReleases(list, END_OF_TIME);
    this.instants = ranked.map((r) => Date.parse(r.announcedAt));
    this.prefixes = Array.from({ length: ranked.length + 1 }, (_, n) => ({ releases: ranked.slice(0, n), id: `${this.generation}:${n}` }));
  }
}

type ReleaseFacts = Pick<Release, 'pk' | 'code' | 'state' | 'announcedAt' | 'dataflows'>;

function factsOf(r: Release): ReleaseFacts {
  return { pk: r.pk, code: r.code, state: r.state, announcedAt: r.announcedAt, dataflows: [...r.dataflows] };
}

/** Same visibility-relevant content, release by release. */
function sameReleases(a: readonly ReleaseFacts[], b: readonly Release[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.pk !== y.pk || x.state !== y.state || x.announcedAt !== y.announcedAt || x.code !== y.code) return false;
    if (x.dataflows.length !== y.dataflows.length || x.dataflows.some((f, j) => f !== y.dataflows[j])) return false;
  }
  return true;
}
