/**
 * The mixed-load row: what a public portal's traffic looks like, at a fixed rate on the real
 * server with its caches on (as deployed): data in SDMX and in the people's JSON API for several
 * countries, availability (SDMX 2.1 and 3.0, a whole dataflow's included), the release calendar,
 * structures, the dataflow catalogue and the ICCS tree. Reported as p50/p90/p99 latency and the
 * rate reached against a p99 target; no baseline (no bare server answers this mix).
 */
import { request } from 'node:http';
import type { LoadSettings, MixedLoadResult } from './load.js';
import { measureMixedLoad } from './load.js';

const AREAS = ['MEX', 'GTM', 'SLV', 'HND', 'COL', 'BRA', 'FRA', 'DEU', 'ESP', 'SWE'] as const;

/** One round of the mix: each connection walks it in order. */
export const MIXED_PATHS: readonly string[] = AREAS.flatMap((area) => [
  `/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.${area}.VIC_HOM.0101._T._T._T.NR`,
  `/sdmx/2.1/data/UNODC,DF_CTS_PRISONS,1.0/A.${area}......?format=csvfile`,
  `/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/A.${area}.*.*.*.*.*.*`,
  `/sdmx/2.1/availableconstraint/UNODC,DF_CTS_PRISONS,1.0/A.${area}....../all?mode=available`,
  `/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=${area}&from=2010`,
  `/api/v1/dataflows/DF_CTS_OFFENCES/observations?REF_AREA=${area}&OFFENCE=02*&format=csv`,
]).concat([
  // The whole-dataflow constraint that once held everything behind it for most of a second.
  '/sdmx/2.1/availableconstraint/UNODC,DF_CTS_PRISONS,1.0',
  '/api/v1/calendar',
  '/sdmx/2.1/dataflow/all/all/latest',
  '/sdmx/2.1/codelist/UNODC/CL_ICCS/latest',
  '/sdmx/3.0/structure/datastructure/UNODC/DSD_CTS/~?references=children',
  '/api/v1/dataflows',
  '/api/v1/dataflows/DF_CTS_HOMICIDE',
  '/api/v1/codelists/CL_ICCS?view=tree',
]);

export interface MixedLoadRow {
  readonly paths: number;
  readonly result: MixedLoadResult;
}

/**
 * Connections of the mixed load: many clients, each asking now and then, as a portal's public
 * is. With 4 connections each would have to send 50 requests/s back to back, and autocannon
 * then reports its own pacing as latency (p90 above 100 ms where a probe of the same mix with
 * fetch saw no request above 30 ms).
 */
export const MIXED_CONNECTIONS = 16;

export async function mixedLoad(baseUrl: string, rate: number, settings: LoadSettings): Promise<MixedLoadRow> {
  // Every path is asked once before the timed run, as autocannon asks it (no Accept, no
  // Accept-Encoding: fetch would send both, and its answers would be kept under other keys): the
  // row measures the steady state, and a broken path fails here rather than as a count.
  for (const path of MIXED_PATHS) {
    const status = await plainGet(baseUrl, path);
    if (status !== 200) throw new Error(`mixed load: GET ${path} answered ${status}`);
  }
  return { paths: MIXED_PATHS.length, result: await measureMixedLoad(baseUrl, MIXED_PATHS, rate, { ...settings, connections: MIXED_CONNECTIONS }) };
}

/** GET with no header but Host, as autocannon sends it; the status once the body is read. */
function plainGet(baseUrl: string, path: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, timeout: 120_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Target: no request waits long for another at this rate. */
export const MIXED_P99_TARGET_MS = 50;

export function renderMixedLoad(row: MixedLoadRow, rate: number): string[] {
  const r = row.result;
  const failed = r.failures > 0 ? ` (${r.failures} failed!)` : '';
  const ok = r.p99Ms < MIXED_P99_TARGET_MS && r.failures === 0;
  return [
    `## Mixed load at a fixed rate (cache on, as deployed)`,
    '',
    `${row.paths} paths in turn (bench/mixed.ts): SDMX data (JSON, CSV) and the people's JSON API (JSON, CSV) for 10 countries, availability (2.1 and 3.0, the whole prisons dataflow included), the release calendar, structures, the dataflow catalogue and the ICCS tree; ${rate} requests/s asked over ${MIXED_CONNECTIONS} connections, on the server as deployed (default configuration, access log at level info).`,
    '',
    '| Rate asked | Rate reached | Requests | p50 ms | p90 ms | p99 ms | max ms | Target | |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    `| ${rate} | ${r.requestsPerSecond.toFixed(1)} | ${r.requests}${failed} | ${r.p50Ms} | ${r.p90Ms} | ${r.p99Ms} | ${r.maxMs} | p99 < ${MIXED_P99_TARGET_MS} ms | ${ok ? 'PASS' : 'MISS'} |`,
  ];
}
