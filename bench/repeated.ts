/**
 * The repeated-query row: the server's cached path against a bare Fastify route serving the
 * same bytes (bench/bare-server.ts). Each URL is asked once of the real server (cache on); its
 * answer, headers and body as sent, is handed to the bare server, which answers it from memory
 * with nothing else registered. Both are then loaded the same way: the ratio is what routing,
 * hooks (rate limit, CORS, access), the cache lookup and the validators cost on top of Fastify.
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

/** Target: the cached path keeps at least this share of the bare route's throughput. */
export const REPEATED_TARGET = 0.9;
/** Connections of this row: enough that the server, not the client, is the limit (the issue measured with 16). */
export const REPEATED_CONNECTIONS = 16;

async function answerOf(server: Child, q: RepeatedQuery): Promise<BareAnswer> {
  // As the load asks: no compression.
  const res = await fetch(`${server.baseUrl}${q.path}`, { headers: { accept: q.accept }, signal: AbortSignal.timeout(120_000) });
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
      const headers = { accept: q.accept };
      const bareResult = await measuredLoad(bare, q.path, headers, settings);
      rows.push({ query: q, bytes: Buffer.from(answers[i]!.bodyBase64, 'base64').length, bare: bareResult, server: await measuredLoad(server, q.path, headers, settings) });
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
    `The same URL asked again and again, ${REPEATED_CONNECTIONS} connections, on the server as deployed (default configuration: response cache on, access log at level info to standard output). BARE = a Fastify app with one route answering the recorded bytes and headers from memory, no logging (bench/bare-server.ts).`,
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
