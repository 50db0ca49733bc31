/**
 * One load measurement: a short warm-up, then autocannon for a fixed duration with a few
 * connections on one URL (GET, or POST of one body); requests/s and latency percentiles out. Also the one-off check that
 * a URL answers 200 with the expected number of observations, outside any timed loop.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Non-2xx answers plus connection errors and timeouts; anything but 0 makes the figure void. */
  readonly failures: number;
}

export interface LoadSettings {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

function run(url: string, headers: Record<string, string>, seconds: number, connections: number, body: string | undefined): Promise<autocannon.Result> {
  const request = body === undefined ? {} : { method: 'POST' as const, body };
  return autocannon({ url, headers, connections, duration: seconds, timeout: 30, ...request });
}

/**
 * `afterWarmUp` runs between the warm-up and the measured run (to start a measurement of one's
 * own). With `body`, every request is a POST of that body (give its content-type in `headers`).
 */
export async function measureLoad(url: string, headers: Record<string, string>, s: LoadSettings, afterWarmUp?: () => void, body?: string): Promise<LoadResult> {
  if (s.warmupSeconds > 0) await run(url, headers, s.warmupSeconds, s.connections, body);
  afterWarmUp?.();
  const r = await run(url, headers, s.durationSeconds, s.connections, body);
  return {
    requestsPerSecond: r.requests.total / s.durationSeconds,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

/** GET once (with `requestBody`: POST it); the body must come back 200 (no compression asked, as under load). */
export async function fetchBody(url: string, headers: Record<string, string>, requestBody?: string): Promise<string> {
  const method = requestBody === undefined ? 'GET' : 'POST';
  const res = await fetch(url, { method, body: requestBody, headers: { ...headers, 'accept-encoding': 'identity' }, signal: AbortSignal.timeout(120_000) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${url} answered ${res.status}: ${body.slice(0, 500)}`);
  return body;
}

export interface MixedLoadResult extends LoadResult {
  /** The rate asked for (requests/s over all connections). */
  readonly targetRate: number;
  readonly p90Ms: number;
  readonly maxMs: number;
}

/**
 * Several paths at a fixed overall rate (autocannon's `overallRate`): each connection takes the
 * paths in turn. Latency at a rate the server can sustain is what a user feels; a server that
 * falls behind shows it as a rate below the target and a long p99.
 */
export async function measureMixedLoad(baseUrl: string, paths: readonly string[], rate: number, s: LoadSettings): Promise<MixedLoadResult> {
  const requests = paths.map((path) => ({ method: 'GET' as const, path }));
  const run = (seconds: number) => autocannon({ url: baseUrl, requests, connections: s.connections, overallRate: rate, duration: seconds, timeout: 30 });
  await run(s.warmupSeconds);
  const r = await run(s.durationSeconds);
  return {
    targetRate: rate,
    requestsPerSecond: r.requests.total / s.durationSeconds,
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}
