/**
 * How long a shared cache may keep a public answer: a few minutes, but never past the next
 * announced release instant, since from that instant on the answer may change (a release becomes
 * visible, an Actual constraint grows). A cache in front of the service would otherwise keep
 * serving the old figures after the instant. At the instant itself (less than a second left):
 * `no-cache`, i.e. revalidate every time.
 */
import type { Clock } from '../clock.js';

/** The longest a public answer may be kept when no release is due. */
export const PUBLIC_MAX_AGE_SECONDS = 300;

/** `public, max-age=N` with N = min(maxAge, whole seconds until the next instant). */
export function cappedCacheControl(secondsUntilNextInstant: number | null, maxAgeSeconds: number = PUBLIC_MAX_AGE_SECONDS): string {
  const seconds = Math.min(maxAgeSeconds, secondsUntilNextInstant ?? maxAgeSeconds);
  return seconds < 1 ? 'no-cache' : `public, max-age=${Math.floor(seconds)}`;
}

/** Where the next announced instant comes from (the release timeline). */
export interface NextInstantSource {
  /** Epoch ms of the first announced instant after `atMs`, or undefined when none is due. */
  nextInstantAfter(atMs: number): number | undefined;
}

/** The Cache-Control of every public answer at the clock's now. */
export class CacheLifetime {
  constructor(
    private readonly instants: NextInstantSource,
    private readonly clock: Clock,
  ) {}

  /** Whole seconds until the next announced instant, or null when none is due. */
  secondsUntilNextInstant(): number | null {
    const now = this.clock.now().getTime();
    const next = this.instants.nextInstantAfter(now);
    return next === undefined ? null : Math.floor((next - now) / 1000);
  }

  publicCacheControl(maxAgeSeconds: number = PUBLIC_MAX_AGE_SECONDS): string {
    return cappedCacheControl(this.secondsUntilNextInstant(), maxAgeSeconds);
  }
}
