/**
 * The injectable "now". Visibility of releases is a function of the instant, so every place
 * that asks for the time asks the clock; tests substitute a fixed or stepping one.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let t = new Date(iso);
  return { now: () => new Date(t), set: (next: string) => (t = new Date(next)) };
}

/** The UTC date of an instant, made once a day rather than once a request. */
export class UtcDay {
  private endsAt = -Infinity;
  private startsAt = Infinity;
  private text = '';

  of(ms: number): string {
    if (ms < this.startsAt || ms >= this.endsAt) {
      this.startsAt = ms - (ms % 86_400_000);
      this.endsAt = this.startsAt + 86_400_000;
      this.text = new Date(ms).toISOString().slice(0, 10);
    }
    return this.text;
  }
}
