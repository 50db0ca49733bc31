/**
 * The one embargo rule for metadata set versions, shared by start-up (a public version may no
 * longer change) and the service (only public versions are served): a version is public at an
 * instant exactly when its release is (visibility.ts). A release code that names no release
 * makes nothing public. A version stored without release (none is, today: the files require
 * one) would be public from when it was stored.
 */
import type { Release, StoredMetadataSet } from '../../storage/repositories.js';
import { isVisible } from '../visibility.js';

export function isPublicVersion(stored: Pick<StoredMetadataSet, 'releaseCode'>, releases: ReadonlyMap<string, Release>, at: string): boolean {
  if (stored.releaseCode === null) return true;
  const release = releases.get(stored.releaseCode);
  return release !== undefined && isVisible(release, at);
}

/** When a public version became public: its release's instant (or when it was stored, without release). */
export function publicSince(stored: Pick<StoredMetadataSet, 'releaseCode' | 'createdAt'>, releases: ReadonlyMap<string, Release>): string {
  return stored.releaseCode === null ? stored.createdAt : releases.get(stored.releaseCode)!.announcedAt!;
}
