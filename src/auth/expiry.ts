/**
 * Token lifetimes as people type them: a duration from now (`30d`, `12h`, `90m`, `2w`) or an
 * ISO-8601 instant. A lifetime that is already over is refused rather than creating a token
 * that can never work.
 */
export class ExpiryError extends Error {
  override name = 'ExpiryError';
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^([1-9][0-9]{0,5})([mhdw])$/;
/** A date with a time and an explicit zone, so nobody gets a local-time surprise. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The expiry instant (ISO-8601 UTC) for `input`, relative to `now`. */
export function parseExpiry(input: string, now: Date): string {
  const duration = DURATION.exec(input);
  if (duration) return new Date(now.getTime() + Number(duration[1]) * UNIT_MS[duration[2]!]!).toISOString();
  const at = INSTANT.test(input) ? Date.parse(input) : NaN;
  if (Number.isNaN(at)) {
    throw new ExpiryError(`expiry must be a duration such as 30d, 12h, 90m or 2w, or an ISO-8601 instant with a time zone, got "${input}"`);
  }
  return checkFuture(new Date(at), now);
}

/** Normalises an instant to ISO-8601 UTC and refuses one that is not in the future. */
export function checkFuture(at: Date, now: Date): string {
  if (at.getTime() <= now.getTime()) throw new ExpiryError(`expiry ${at.toISOString()} is not in the future`);
  return at.toISOString();
}
