/**
 * The public rate limit: each client address gets `perMinute` requests per one-minute window,
 * the window starting at its first request (so clients do not all reset at once). Every counted
 * response says where the client stands in `RateLimit-*` headers (IETF draft
 * httpapi-ratelimit-headers, the -06 field names); past the limit the answer is 429 with
 * `Retry-After`, in the format of the surface: an SDMX error message under /sdmx/, problem+json
 * elsewhere. /health is exempt, and so are writes by a valid token (the failed-auth throttle
 * covers those). Counters live in memory; time comes from the injected clock.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { ServiceError } from '../errors.js';

export interface RateLimitOptions {
  /** The counters; shared with the cache front (http/cache-front.ts), which counts the requests it answers. Undefined: no limit. */
  readonly limiter: RateLimiter | undefined;
}

const WINDOW_MS = 60_000;
const EXEMPT_ROUTES = new Set(['/health']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface WindowState {
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
  readonly exceeded: boolean;
}

/** Fixed one-minute windows per client. */
export class RequestWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly limit: number) {}

  hit(client: string, now: number): WindowState {
    this.sweep(now);
    let w = this.windows.get(client);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count += 1;
    return {
      remaining: Math.max(0, this.limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)),
      exceeded: w.count > this.limit,
    };
  }

  /** Whether the next request of `client` would be over the limit (counts nothing). */
  wouldExceed(client: string, now: number): boolean {
    const w = this.windows.get(client);
    return w !== undefined && now - w.start < WINDOW_MS && w.count >= this.limit;
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops finished windows once a minute, so memory follows the clients of the last minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = now;
    for (const [client, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(client);
  }
}

function isExempt(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route !== undefined && EXEMPT_ROUTES.has(route)) return true;
  // Only a write carrying a token is looked up; a valid one is not a public request.
  return !READ_METHODS.has(request.method) && request.headers.authorization !== undefined && request.principal !== null;
}

/**
 * The limit of this process: its windows, and the headers that tell a client where it stands.
 * One per app, used by the plugin below and by the cache front, so a client has one count.
 */
export class RateLimiter {
  private readonly windows: RequestWindows;
  private readonly limitHeader: string;
  private readonly policyHeader: string;

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.windows = new RequestWindows(perMinute);
    this.limitHeader = String(perMinute);
    this.policyHeader = `${perMinute};w=${WINDOW_MS / 1000}`;
  }

  /** Counts a request of `client`; `setHeader` receives the RateLimit-* headers of the answer. */
  count(client: string, setHeader: (name: string, value: string) => void): WindowState {
    const state = this.windows.hit(client, this.clock.now().getTime());
    setHeader('RateLimit-Limit', this.limitHeader);
    setHeader('RateLimit-Remaining', String(state.remaining));
    setHeader('RateLimit-Reset', String(state.resetSeconds));
    setHeader('RateLimit-Policy', this.policyHeader);
    return state;
  }

  /** Whether the next request of `client` would be refused (counts nothing). */
  wouldRefuse(client: string): boolean {
    return this.windows.wouldExceed(client, this.clock.now().getTime());
  }
}

/** The limiter of a configuration: none when `perMinute` is 0. */
export function rateLimiterFor(perMinute: number, clock: Clock): RateLimiter | undefined {
  return perMinute > 0 ? new RateLimiter(perMinute, clock) : undefined;
}

async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  const { limiter } = opts;
  if (!limiter) return;
  // A callback hook rather than an async one: it runs for every request, and needs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    if (isExempt(request)) return done();
    const state = limiter.count(request.ip, (name, value) => reply.header(name, value));
    if (!state.exceeded) return done();
    reply.header('Retry-After', String(state.resetSeconds));
    // Each surface's error handler words the refusal in its own format (SDMX error, problem).
    done(new ServiceError('rate-limited', `Rate limit of ${limiter.perMinute} requests per minute exceeded; retry in ${state.resetSeconds} seconds`));
  });
}

export const rateLimit = fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['auth'] });
