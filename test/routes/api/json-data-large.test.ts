/**
 * A large answer of the JSON data API streams: a generated release of 200,000 observations is
 * read over a loopback socket, the reply is a stream (not one buffer), every observation
 * arrives, and the retained heap stays flat while it is sent (measured after forced
 * collections, when one can be forced). The permalink of the same release streams the same way.
 */
import t from 'tap';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fixedClock } from '../../../src/clock.js';
import type { SeriesToWrite } from '../../../src/storage/repositories.js';
import { periodRange } from '../../../src/sdmx/time-period.js';
import { dataApp } from '../../helpers/data-app.js';
import { TEST_NOW } from '../../fixtures/data-releases.js';

const SERIES = 2000;
const PERIODS = 100;
const OBSERVATIONS = SERIES * PERIODS;
const MB = 1024 * 1024;
/** Retained heap growth allowed while the answer is sent: well under the body's size. */
const HEAP_LIMIT = 8 * MB;
const FLOW = 'UNODC:DF_CTS_HOMICIDE(1.0)';

/** A forced garbage collection, so the heap measured is what sending keeps, not litter. */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function* generatedSeries(): Generator<SeriesToWrite> {
  for (let s = 0; s < SERIES; s++) {
    yield {
      dataflow: FLOW,
      provider: 'UNODC:UNODC',
      dimensions: { FREQ: 'A', REF_AREA: `R${String(s).padStart(4, '0')}`, INDICATOR: 'VIC_HOM', OFFENCE: '0101', SEX: '_T', AGE: '_T', DISAGGREGATION: '_T', UNIT_MEASURE: 'NR' },
      observations: Array.from({ length: PERIODS }, (_, i) => {
        const period = String(1900 + i);
        const range = periodRange(period)!;
        return { timePeriod: period, periodStart: range.start, periodEnd: range.end, value: s * 1000 + i, attributes: { OBS_STATUS: 'A' } };
      }),
    };
  }
}

const clock = fixedClock(TEST_NOW);
const { app, repositories } = await dataApp([], { clock });
t.teardown(() => app.close());
const release = repositories.releases.createDraft({ code: 'BIG', title: 'BIG', dataflows: [FLOW] }, TEST_NOW);
repositories.releases.addData(release.pk, generatedSeries());
repositories.releases.schedule(release.pk, '2025-01-01T00:00:00.000Z');
repositories.releases.markPublished(release.pk, '2025-01-01T00:00:00.000Z');

/** What each reply's payload was when handed to Fastify (before compression: none is asked for). */
const payloads: { url: string; stream: boolean }[] = [];
app.addHook('onSend', async (req, _reply, payload) => {
  payloads.push({ url: req.url, stream: payload instanceof Readable });
  return payload;
});
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as AddressInfo).port;

interface Streamed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
  observations: number;
  head: string;
  tail: string;
  heapGrowth?: number;
}

/** Heap and buffer memory: a body built whole would show as either. */
function retained(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Reads a reply chunk by chunk without keeping it, counting observations across chunk seams. */
function stream(path: string, gc: (() => void) | undefined): Promise<Streamed> {
  gc?.();
  const baseline = retained();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      const out: Streamed = { status: res.statusCode ?? 0, headers: res.headers, bytes: 0, observations: 0, head: '', tail: '' };
      let seam = '';
      let chunks = 0;
      let peak = 0;
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        out.bytes += chunk.length;
        if (out.head.length < 4096) out.head += chunk.slice(0, 4096 - out.head.length);
        const text = seam + chunk;
        out.observations += text.split('{"period":').length - 1;
        // One short of the pattern: a match is never counted twice.
        seam = text.slice(-9);
        out.tail = text.slice(-200);
        chunks += 1;
        if (gc && chunks % 32 === 0) {
          gc();
          peak = Math.max(peak, retained() - baseline);
        }
      });
      res.on('end', () => resolve({ ...out, heapGrowth: gc ? peak : undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('200,000 observations stream with a flat heap', async (t) => {
  const gc = collector();
  const started = Date.now();
  const res = await stream('/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0', gc);
  t.equal(res.status, 200);
  t.equal(res.headers['content-length'], undefined, 'no length announced: the body is streamed');
  t.equal(res.headers['transfer-encoding'], 'chunked');
  t.same(payloads.at(-1), { url: '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0', stream: true }, 'the reply payload is a stream');
  t.equal(res.observations, OBSERVATIONS, 'every observation arrives');
  t.ok(res.bytes > 15 * MB, `a large body (${(res.bytes / MB).toFixed(1)} MB)`);
  t.match(res.head, /^\{"dataflow":\{"agency":"UNODC","id":"DF_CTS_HOMICIDE","version":"1.0"/);
  t.match(res.head, /"paging":\{"offset":0,"limit":null,"matchedSeries":2000,"next":null\}/);
  t.match(res.tail, /\{"period":"1999","value":1999099,"attributes":\{"OBS_STATUS":"A"\},"release":"BIG"\}\]\}\],"releases":\["BIG"\]\}$/, 'the document closes, the last series last');
  if (res.heapGrowth === undefined) t.comment('no forced collection available: heap not measured');
  else t.ok(res.heapGrowth < HEAP_LIMIT, `retained memory grew by ${(res.heapGrowth / MB).toFixed(1)} MB while sending ${(res.bytes / MB).toFixed(1)} MB`);
  t.comment(`${OBSERVATIONS} observations in ${Date.now() - started} ms`);

  const link = await stream('/api/v1/releases/BIG/data/UNODC/DF_CTS_HOMICIDE/1.0', gc);
  t.equal(link.status, 200);
  t.equal(link.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(link.observations, OBSERVATIONS, 'the permalink carries the whole release');
  t.equal(payloads.at(-1)?.stream, true, 'streamed too');
  if (link.heapGrowth !== undefined) t.ok(link.heapGrowth < HEAP_LIMIT, `permalink: retained memory grew by ${(link.heapGrowth / MB).toFixed(1)} MB`);

  const small = await app.inject({ url: '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0?limit=1&offset=1' });
  t.equal(payloads.at(-1)?.stream, false, 'a small answer is one buffer');
  t.equal(Number(small.headers['content-length']), small.rawPayload.length);
  const doc = JSON.parse(small.body) as { series: { key: string; observations: { value: number }[] }[] };
  t.same(doc.series.map((s) => s.key), ['A.R0001.VIC_HOM.0101._T._T._T.NR']);
  t.same(doc.series[0]!.observations.map((o) => o.value), Array.from({ length: PERIODS }, (_, i) => 1000 + i));
});
