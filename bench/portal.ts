/**
 * The portal's pages as benchmark figures (issue 17: "server render time of a view comparable to
 * the JSON API answer for the same data"; small pages): the home page against the JSON API's
 * dataflow list it shows, and a typical explorer view (four countries, both measures, all years,
 * with its line chart, table, downloads and API panel) against the JSON API's rows of the same
 * selection. Each pair is measured under the same load one after the other on the same server
 * (response cache off, so every request renders), with the bytes of each answer plain and gzipped.
 */
import { gzipSync } from 'node:zlib';
import { fetchBody, measureLoad, type LoadResult, type LoadSettings } from './load.js';
import { startServer } from './processes.js';

export interface PortalPair {
  readonly name: string;
  readonly page: { readonly path: string; readonly result: LoadResult; readonly bytes: number; readonly gzipBytes: number };
  readonly api: { readonly path: string; readonly result: LoadResult; readonly bytes: number; readonly gzipBytes: number };
}

const VIEW = 'REF_AREA=MEX,GTM,HND,SLV&SEX=_T';
const PAIRS = [
  { name: 'home page / dataflow list', page: '/en/', api: '/api/v1/dataflows?lang=en' },
  { name: 'homicide view, 4 countries, all years / their rows', page: `/en/dataflows/DF_CTS_HOMICIDE?${VIEW}`, api: `/api/v1/dataflows/DF_CTS_HOMICIDE/observations?${VIEW}&lang=en` },
  { name: 'homicide default view (every area, page 1) / all its rows', page: '/en/dataflows/DF_CTS_HOMICIDE', api: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?SEX=_T&lang=en&limit=10000' },
] as const;

export async function portalBench(databasePath: string, settings: LoadSettings, log: (line: string) => void): Promise<PortalPair[]> {
  const server = await startServer(databasePath, { RESPONSE_CACHE_MB: '0' });
  const out: PortalPair[] = [];
  try {
    for (const pair of PAIRS) {
      log(`portal: ${pair.name}...`);
      const side = async (path: string) => {
        const body = await fetchBody(`${server.baseUrl}${path}`, {});
        const result = await measureLoad(`${server.baseUrl}${path}`, {}, settings);
        return { path, result, bytes: Buffer.byteLength(body), gzipBytes: gzipSync(body).length };
      };
      const api = await side(pair.api);
      const page = await side(pair.page);
      out.push({ name: pair.name, page, api });
    }
  } finally {
    await server.stop();
  }
  return out;
}

const kb = (n: number) => (n / 1024).toFixed(1);

export function renderPortal(pairs: readonly PortalPair[]): string[] {
  return [
    '## Portal pages against the JSON API answer for the same data',
    '',
    'Same server, response cache off (every request renders), measured one after the other; ratio = page req/s ÷ JSON API req/s (1 = as fast). Bytes as sent without compression, then gzipped.',
    '',
    '| Pair | Page req/s | p50 / p99 ms | JSON req/s | p50 / p99 ms | Ratio | Page KB (gzip) | JSON KB (gzip) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...pairs.map(
      (p) =>
        `| ${p.name} | ${p.page.result.requestsPerSecond.toFixed(0)} | ${p.page.result.p50Ms.toFixed(1)} / ${p.page.result.p99Ms.toFixed(1)} | ${p.api.result.requestsPerSecond.toFixed(0)} | ${p.api.result.p50Ms.toFixed(1)} / ${p.api.result.p99Ms.toFixed(1)} | ${(p.page.result.requestsPerSecond / p.api.result.requestsPerSecond).toFixed(2)} | ${kb(p.page.bytes)} (${kb(p.page.gzipBytes)}) | ${kb(p.api.bytes)} (${kb(p.api.gzipBytes)}) |`,
    ),
    '',
  ];
}
