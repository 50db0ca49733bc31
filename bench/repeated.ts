/**
 * The repeated-query row: the server's cached path against a bare Fastify route serving the
 * same bytes (bench/bare-server.ts). Each URL is asked once of the real server (cache on); its
 * answer, headers and body as sent, is handed to the bare server, which answers it from memory
 * with nothing else registered. Both are then loaded the same way: the ratio is what routing,
 * hooks (rate limit, CORS, access), the cache lookup and the validators cost on top of Fastify.
 *
 * Measured in alternating rounds (bare, server, server, bare) after both are warm: on a 2-core
 * machine the load generator and whatever else runs move the figures by a third from one run to
 * the next, and alternation spreads that drift over both sides instead of one.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BareAnswer } from './bare-server.js';
import { measureLoad, type LoadResult, type LoadSettings } from './load.js';
import { cpuTimeMs, startBare, type Child } from './processes.js';

export interface RepeatedQuery {
  readonly name: string;
  readonly path: string;
  readonly accept: string;
}

export interface RepeatedRow {
  readonly query: RepeatedQuery;
  readonly bytes: number;
  readonly server: MeasuredLoad;
  readonly bare: MeasuredLoad;
}

/** A load result with the CPU time the serving process spent per request (µs), steadier than req/s on a shared machine. */
interface MeasuredLoad extends LoadResult {
  readonly cpuMicrosPerRequest: number | undefined;
}

async function measuredLoad(child: Child, path: string, headers: Record<string, string>, settings: LoadSettings): Promise<MeasuredLoad> {
  let before: number | undefined;
  const result = await measureLoad(`${child.baseUrl}${path}`, headers, settings, () => (before = cpuTimeMs(child.pid)));
  const after = cpuTimeMs(child.pid);
  const known = before !== undefined && after !== undefined && result.requests > 0;
  return { ...result, cpuMicrosPerRequest: known ? ((after! - before!) * 1000) / result.requests : undefined };
}

/** Rounds of one side, as one measurement: requests and CPU added up, the worst p99, the median p50. */
function combined(rounds: readonly MeasuredLoad[], seconds: number): MeasuredLoad {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const cpuKnown = rounds.every((r) => r.cpuMicrosPerRequest !== undefined);
  const cpu = rounds.reduce((sum, r) => sum + (r.cpuMicrosPerRequest ?? 0) * r.requests, 0);
  const p50s = rounds.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    requests,
    requestsPerSecond: requests / seconds,
    p50Ms: p50s[Math.floor(p50s.length / 2)]!,
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    cpuMicrosPerRequest: cpuKnown && requests > 0 ? cpu / requests : undefined,
  };
}

/** Bare, server, server, bare: each side measured twice, half the duration each time. */
async function alternating(bare: Child, server: Child, path: string, headers: Record<string, string>, settings: LoadSettings): Promise<{ bare: MeasuredLoad; server: MeasuredLoad }> {
  const round: LoadSettings = { ...settings, durationSeconds: settings.durationSeconds / 2, warmupSeconds: 0 };
  const warm: LoadSettings = { ...settings, durationSeconds: settings.warmupSeconds, warmupSeconds: 0 };
  await measureLoad(`${bare.baseUrl}${path}`, headers, warm);
  await measureLoad(`${server.baseUrl}${path}`, headers, warm);
  const bareRounds = [await measuredLoad(bare, path, headers, round)];
  const serverRounds = [await measuredLoad(server, path, headers, round), await measuredLoad(server, path, headers, round)];
  bareRounds.push(await measuredLoad(bare, path, headers, round));
  return { bare: combined(bareRounds, settings.durationSeconds), server: combined(serverRounds, settings.durationSeconds) };
}

/** Target: the cached path keeps at least this share of the bare route's throughput. */
export const REPEATED_TARGET = 0.9;
/** Connections of this row: enough that the server, not the client, is the limit (the issue measured with 16). */
export const REPEATED_CONNECTIONS = 16;

async function answerOf(server: Child, q: RepeatedQuery): Promise<BareAnswer> {
  // As the load asks: no compression (fetch would ask for gzip and hand back the body decoded,
  // with a Content-Encoding header that no longer describes it).
  const res = await fetch(`${server.baseUrl}${q.path}`, { headers: { accept: q.accept, 'accept-encoding': 'identity' }, signal: AbortSignal.timeout(120_000) });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${q.path} answered ${res.status}`);
  return { url: q.path, headers: Object.fromEntries(res.headers), bodyBase64: body.toString('base64') };
}

export async function repeatedQueries(server: Child, queries: readonly RepeatedQuery[], settings: LoadSettings, tmpDir: string): Promise<RepeatedRow[]> {
  const answers = await Promise.all(queries.map((q) => answerOf(server, q)));
  const file = path.join(tmpDir, 'bare-answers.json');
  writeFileSync(file, JSON.stringify(answers));
  const bare = await startBare(file);
  try {
    const rows: RepeatedRow[] = [];
    for (const [i, q] of queries.entries()) {
      const measured = await alternating(bare, server, q.path, { accept: q.accept }, settings);
      rows.push({ query: q, bytes: Buffer.from(answers[i]!.bodyBase64, 'base64').length, ...measured });
    }
    return rows;
  } finally {
    await bare.stop();
  }
}

export function renderRepeated(rows: readonly RepeatedRow[]): string[] {
  const lines = [
    '## Repeated query: the cached path against a bare Fastify route serving the same bytes',
    '',
    `The same URL asked again and again, ${REPEATED_CONNECTIONS} connections, on the server as deployed (default configuration: response cache on, access log at level info to standard output). BARE = a Fastify app with one route answering the recorded bytes and headers from memory, no logging (bench/bare-server.ts). Both warmed, then measured in alternating rounds (bare, server, server, bare; half the duration each), added up per side.`,
    '',
    "CPU µs/req: the serving process's CPU time over the measured run divided by the requests it answered: what each answer costs, whatever else the machine was doing (on a 2-core machine the load generator takes a core of its own).",
    '',
    '| Query | Body bytes | Server req/s | p50 / p99 ms | CPU µs/req | Bare req/s | p50 / p99 ms | CPU µs/req | Ratio | Target | |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    const ratio = r.server.requestsPerSecond / r.bare.requestsPerSecond;
    // req/s decides PASS/MISS as the issue asks; CPU per request says how far from the framework the path is.
    const failed = r.server.failures + r.bare.failures > 0 ? ' (errors!)' : '';
    lines.push(
      `| ${r.query.name} | ${r.bytes} | ${r.server.requestsPerSecond.toFixed(1)} | ${r.server.p50Ms} / ${r.server.p99Ms} | ${micros(r.server)} | ${r.bare.requestsPerSecond.toFixed(1)} | ${r.bare.p50Ms} / ${r.bare.p99Ms} | ${micros(r.bare)} | ` +
        `${ratio.toFixed(2)}× | ≥ ${REPEATED_TARGET}× | ${ratio >= REPEATED_TARGET ? 'PASS' : 'MISS'}${failed} |`,
    );
  }
  return lines;
}

const micros = (m: MeasuredLoad) => (m.cpuMicrosPerRequest === undefined ? '–' : m.cpuMicrosPerRequest.toFixed(0));
