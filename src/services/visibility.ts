/**
 * Which releases the public can see at an instant: the release calendar's gate. A release is
 * visible from its announced instant on, once it is scheduled or published; drafts and
 * cancelled releases never are. Every public surface asks here, so embargo is decided in one
 * place. Later releases rank higher: for a (series, period) the highest-ranked visible vintage
 * is the current value.
 */
import type { Release } from '../storage/repositories.js';

export interface VisibleRelease {
  readonly pk: number;
  readonly code: string;
  /** ISO-8601 UTC. */
  readonly announcedAt: string;
  /** 0 = oldest visible release; ranks follow announced instants, then creation order. */
  readonly rank: number;
  readonly dataflows: readonly string[];
}

export function isVisible(release: Release, at: string): boolean {
  return (
    (release.state === 'scheduled' || release.state === 'published') &&
    release.announcedAt !== null &&
    Date.parse(release.announcedAt) <= Date.parse(at)
  );
}

export function visibleReleases(releases: readonly Release[], at: string): VisibleRelease[] {
  return releases
    .filter((r) => isVisible(r, at))
    .sort((a, b) => Date.parse(a.announcedAt!) - Date.parse(b.announcedAt!) || a.pk - b.pk)
    .map((r, rank) => ({ pk: r.pk, code: r.code, announcedAt: r.announcedAt!, rank, dataflows: r.dataflows }));
}
