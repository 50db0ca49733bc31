/**
 * Slows down, then refuses, a client that keeps presenting bad credentials. Tokens cannot be
 * guessed, so this is about noise and misbehaving scripts more than brute force: the first few
 * mistakes cost nothing, then each further response waits a little longer, and past a ceiling
 * the address is refused for a while. Counters are per client address and live in memory
 * (one process serves the database); time comes from the injected clock.
 */
import type { Clock } from '../clock.js';

export interface ThrottleSettings {
  /** Failures within the window that cost nothing. */
  readonly freeFailures: number;
  /** Extra wait per failure beyond the free ones, and its ceiling. */
  readonly delayStepMs: number;
  readonly maxDelayMs: number;
  /** Failures within the window that lock the client out. */
  readonly lockAfter: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
  freeFailures: 5,
  delayStepMs: 250,
  maxDelayMs: 2000,
  lockAfter: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export type ThrottleVerdict = { readonly locked: true; readonly retryAfterSeconds: number } | { readonly locked: false; readonly delayMs: number };

interface ClientRecord {
  /** Instants (ms) of recent failures, oldest first. */
  failures: number[];
  lockedUntil: number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class FailedAuthThrottle {
  private readonly clients = new Map<string, ClientRecord>();
  private lastSweep = 0;
  readonly settings: ThrottleSettings;
  /** How a delay is waited out; tests substitute a recorder. */
  readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly clock: Clock,
    options: { settings?: Partial<ThrottleSettings>; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.settings = { ...DEFAULT_THROTTLE, ...options.settings };
    this.sleep = options.sleep ?? realSleep;
  }

  /** What to do with this client's next authentication attempt. */
  check(client: string): ThrottleVerdict {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const record = this.current(client, now);
    if (!record) return { locked: false, delayMs: 0 };
    if (record.lockedUntil > now) return { locked: true, retryAfterSeconds: Math.ceil((record.lockedUntil - now) / 1000) };
    const excess = record.failures.length - this.settings.freeFailures + 1;
    return { locked: false, delayMs: excess > 0 ? Math.min(excess * this.settings.delayStepMs, this.settings.maxDelayMs) : 0 };
  }

  failed(client: string): void {
    const now = this.clock.now().getTime();
    const record = this.current(client, now) ?? { failures: [], lockedUntil: 0 };
    record.failures.push(now);
    if (record.failures.length > this.settings.lockAfter) record.failures.shift();
    if (record.failures.length >= this.settings.lockAfter) record.lockedUntil = now + this.settings.lockMs;
    this.clients.set(client, record);
  }

  /** A client that authenticates starts afresh; other clients' counters are untouched. */
  succeeded(client: string): void {
    this.clients.delete(client);
  }

  /** The client's record with expired failures dropped; undefined once nothing is left. */
  private current(client: string, now: number): ClientRecord | undefined {
    const record = this.clients.get(client);
    if (!record) return undefined;
    if (record.lockedUntil > now) return record;
    if (record.lockedUntil !== 0) {
      // A lockout served wipes the slate: the client gets its free failures again.
      this.clients.delete(client);
      return undefined;
    }
    const horizon = now - this.settings.windowMs;
    while (record.failures.length && record.failures[0]! <= horizon) record.failures.shift();
    if (record.failures.length === 0) {
      this.clients.delete(client);
      return undefined;
    }
    return record;
  }

  /** Forgets clients with nothing recent, at most once a window, so memory stays bounded. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.settings.windowMs) return;
    this.lastSweep = now;
    for (const client of [...this.clients.keys()]) this.current(client, now);
  }
}
