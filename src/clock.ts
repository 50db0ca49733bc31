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
