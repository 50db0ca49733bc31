/**
 * Version ordering and matching. SDMX 2.1 versions are dotted numbers (`1.0`, `2.1.3`); SDMX 3.0
 * adds semantic versions with an optional extension (`1.0.0-draft`), which is not stable and
 * sorts below the same version without extension (semver §11).
 */

interface ParsedVersion {
  readonly parts: readonly number[];
  readonly extension?: string;
}

function parse(version: string): ParsedVersion {
  const dash = version.indexOf('-');
  const core = dash < 0 ? version : version.slice(0, dash);
  const extension = dash < 0 ? undefined : version.slice(dash + 1);
  return { parts: core.split('.').map((p) => Number(p)), extension };
}

export function isStable(version: string): boolean {
  return !version.includes('-');
}

/** Negative when a < b, positive when a > b, 0 when equal. */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  const n = Math.max(pa.parts.length, pb.parts.length);
  for (let i = 0; i < n; i++) {
    const d = (pa.parts[i] ?? 0) - (pb.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa.extension === pb.extension) return 0;
  if (pa.extension === undefined) return 1;
  if (pb.extension === undefined) return -1;
  return pa.extension < pb.extension ? -1 : 1;
}

/**
 * Does `version` match a requested version? Exact match, or a 3.0 wildcard pattern
 * (rest-docs/v2.2.2/querying_versions.md): `*` in a part matches any number; `N+` in a part
 * matches N or higher in that part (the latest of these is chosen by the caller).
 */
export function matchesVersionPattern(version: string, pattern: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('+')) return version === pattern;
  if (!isStable(version)) return false;
  const want = pattern.split('.');
  const have = version.split('.');
  if (want.length !== have.length) return false;
  return want.every((w, i) => {
    const h = have[i] as string;
    if (w === '*') return true;
    if (w.endsWith('+')) return Number(h) >= Number(w.slice(0, -1));
    return w === h;
  });
}

/** True when a pattern selects only the latest of its matches (a `+` part). */
export function isLatestPattern(pattern: string): boolean {
  return pattern.includes('+');
}
