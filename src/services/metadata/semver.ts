/**
 * Metadata set versions are SDMX 3.0 semantic versions without pre-release or build parts
 * (MAJOR.MINOR.PATCH): a version becomes public with its release, so there is no draft
 * version to mark. Ordered numerically, so 1.10.0 is newer than 1.9.0.
 */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const isSemver = (version: string) => SEMVER.test(version);

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareSemver(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
