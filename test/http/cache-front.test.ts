/**
 * The cache front (src/http/cache-front.ts) on a listening server, over real HTTP: a repeated
 * public GET is answered before Fastify with exactly what the Fastify path sends (status, every
 * header but the per-moment ones, the bytes), its access line as Fastify's; 304 and gzip as a miss
 * would answer; nothing from the front for a token, another method, a coding only the plugin
 * makes, another host, or a client the rate limit is about to refuse; never across a release
 * instant. Which path answered is read from the access line: the front's request ids are
 * `cached-…`, Fastify's `req-…`.
 */
import t from 'tap';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { BatchedLogOutput } from '../../src/log-output.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { writeFixtureReleases, type FixtureRelease } from '../helpers/data-app.js';
import { AUT, HOMICIDE_RELEASES } from '../fixtures/data-releases.js';

const T = '2026-12-01T08:00:00.000Z';
const BEFORE_T = '2026-12-01T07:59:59.999Z';
const PUBLIC = HOMICIDE_RELEASES.filter((r) => r.state === undefined || r.state === 'published');
const SCHEDULED: FixtureRelease = {
  code: 'SCHEDULED-AT-T',
  dataflow: 'DF_CTS_HOMICIDE',
  announcedAt: T,
  state: 'scheduled',
  series: [{ key: AUT, observations: [{ period: '2019', value: 77001 }] }],
};
const CSV = 'application/vnd.sdmx.data+csv;version=1.0.0';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** An app on a loopback port, its access lines gathered. */
async function listeningApp(env: NodeJS.ProcessEnv = {}) {
  const clock = fixedClock(BEFORE_T);
  const config = loadConfig({ DATABASE_URL: ':memory:', DEMO_DATA: 'off', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info', ...env });
  const repositories = sqliteRepositories(config.databasePath, config.migrationsDir);
  writeFixtureReleases(repositories, [...PUBLIC, SCHEDULED]);
  const lines: Record<string, unknown>[] = [];
  const output = new BatchedLogOutput({ out: { write: (text: string) => lines.push(...text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)) } });
  const app: FastifyInstance = await buildApp({ config, clock, repositories, logger: { level: config.logLevel, stream: output } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // node:http rather than fetch: the bytes as sent (fetch decodes gzip) and a Host of our choice.
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  /** The access lines written since the last call. */
  let read = 0;
  const accessLines = () => {
    output.flush();
    const fresh = lines.slice(read).filter((l) => l.msg === 'request completed');
    read = lines.length;
    return fresh;
  };
  return { app, clock, get, accessLines, base, repositories };
}

/** Headers that belong to one response (Node's, and the client's place in its rate window). */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'ratelimit-remaining', 'ratelimit-reset']);
const lasting = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)));

const answeredBy = (line: Record<string, unknown> | undefined) => (String(line?.reqId).startsWith('cached-') ? 'front' : 'fastify');

const PATHS: readonly { path: string; headers?: Record<string, string> }[] = [
  { path: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.AUT+FRA.VIC_HOM.0101._T._T._T.NR', headers: { accept: CSV } },
  { path: '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/A.AUT.*.*.*.*.*.*', headers: { accept: 'application/vnd.sdmx.data+json;version=2.0.0' } },
  { path: '/sdmx/2.1/availableconstraint/UNODC,DF_CTS_HOMICIDE,1.0' },
  { path: '/sdmx/2.1/codelist/UNODC/CL_SEX' },
  { path: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=AUT', headers: { 'accept-language': 'es' } },
  { path: '/api/v1/codelists/CL_SEX?agency=UNODC' },
  { path: `/graphql?query=${encodeURIComponent('{ dataflow(id: "DF_CTS_HOMICIDE") { code seriesCount period { first last } } }')}` },
];

t.test('a repeated public GET is answered by the front with what the Fastify path sends', async (t) => {
  const { app, get, accessLines, base } = await listeningApp({ RATE_LIMIT_PER_MINUTE: '100' });
  for (const { path, headers = {} } of PATHS) {
    const miss = await get(path, headers);
    const hit = await get(path, headers);
    const [missLine, hitLine] = accessLines();
    t.equal(miss.status, 200, `${path}: 200`);
    t.equal(answeredBy(missLine), 'fastify', `${path}: the first request is routed`);
    t.equal(answeredBy(hitLine), 'front', `${path}: the repeat is answered by the front`);
    t.same(lasting(hit.headers), lasting(miss.headers), `${path}: the same headers`);
    t.ok(hit.body.equals(miss.body), `${path}: the same bytes`);
    t.equal(Number(hit.headers['ratelimit-remaining']), Number(miss.headers['ratelimit-remaining']) - 1, `${path}: counted by the same rate limit`);
    // The Fastify path's own cache hit (inject never reaches the server): the same answer again.
    const injected = await app.inject({ url: path, headers: { ...headers, host: new URL(base).host } });
    accessLines();
    t.same(lasting(injected.headers as Record<string, string>), { ...lasting(hit.headers), 'content-length': hit.headers['content-length'] }, `${path}: as the Fastify path's hit`);
    t.same(Object.keys(hitLine!), Object.keys(missLine!), `${path}: the access line has the fields of Fastify's, in its order`);
    t.match(hitLine, { level: 30, method: 'GET', url: path, host: missLine!.host, remoteAddress: missLine!.remoteAddress, statusCode: 200 });
  }
});

t.test('conditional and compressed repeats are answered as a miss would be', async (t) => {
  const { get, accessLines } = await listeningApp();
  const { path, headers = {} } = PATHS[0]!;
  const miss = await get(path, headers);
  accessLines();
  const notModified = await get(path, { ...headers, 'if-none-match': miss.headers.etag! });
  t.equal(notModified.status, 304);
  t.equal(notModified.body.length, 0);
  t.equal(notModified.headers.etag, miss.headers.etag);
  t.equal(notModified.headers['cache-control'], miss.headers['cache-control']);
  t.equal(notModified.headers['access-control-allow-origin'], '*');
  t.notOk(notModified.headers['content-type'], 'a 304 has no Content-Type');
  t.match(accessLines()[0], { statusCode: 304, reqId: /^cached-/ });

  // The gzip copy is made in the background after the miss: ask until the front has it (up to
  // 5 s: the compression runs in the thread pool, later on a busy machine).
  let gzipped: Answer | undefined;
  for (let i = 0; i < 250 && !gzipped; i++) {
    const answer = await get(path, { ...headers, 'accept-encoding': 'gzip' });
    if (answeredBy(accessLines()[0]) === 'front') gzipped = answer;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.ok(gzipped, 'the front sends the gzip copy once it exists');
  t.equal(gzipped!.headers['content-encoding'], 'gzip');
  t.ok(gunzipSync(gzipped!.body).equals(miss.body), 'the gzip copy is the body');
  t.equal(gzipped!.headers['content-length'], String(gzipped!.body.length));

  const brotli = await get(path, { ...headers, 'accept-encoding': 'br' });
  t.equal(brotli.headers['content-encoding'], 'br', 'brotli is made by the compression plugin');
  t.equal(answeredBy(accessLines()[0]), 'fastify', 'so the front steps aside');
  const identity = await get(path, { ...headers, 'accept-encoding': 'identity', 'x-no-compression': '1' });
  t.ok(identity.body.equals(miss.body));
  t.equal(answeredBy(accessLines()[0]), 'front');
});

t.test('the front never answers a token, another method or another host', async (t) => {
  const { app, get, accessLines } = await listeningApp();
  const path = PATHS[0]!.path;
  const headers = PATHS[0]!.headers!;
  const publicAnswer = await get(path, headers);
  const preview = app.tokens.create({ name: 'preview client', role: 'preview', dataflows: [], createdBy: 'cli' }).token;
  accessLines();
  const previewed = await get(path, { ...headers, authorization: `Bearer ${preview}` });
  t.equal(answeredBy(accessLines()[0]), 'fastify', 'a request with a token is routed');
  t.match(previewed.body.toString(), /77001/, 'the preview sees the scheduled release');
  t.notMatch(publicAnswer.body.toString(), /77001/);
  t.match(previewed.headers['cache-control'], /private/);
  const head = await get(path, headers, 'HEAD');
  t.equal(head.status, 200);
  t.equal(answeredBy(accessLines()[0]), 'fastify', 'HEAD is routed');

  const people = '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=FRA';
  const onA = await get(people, { host: 'a.example' });
  const onB = await get(people, { host: 'b.example' });
  t.match(onA.body.toString(), /http:\/\/a\.example\//);
  t.match(onB.body.toString(), /http:\/\/b\.example\//, "another host gets its own links, not the first host's");
  t.notMatch(onB.body.toString(), /a\.example/);
});

t.test('behind a trusted proxy: the forwarded host and client, as Fastify reads them', async (t) => {
  const { get, accessLines } = await listeningApp({ TRUST_PROXY: 'on' });
  const people = '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=FRA';
  const forwarded = (host: string, client: string) => ({ 'x-forwarded-host': host, 'x-forwarded-proto': 'https', 'x-forwarded-for': client });
  await get(people, forwarded('data.example.org', '203.0.113.7'));
  const hit = await get(people, forwarded('data.example.org', '203.0.113.8'));
  const other = await get(people, forwarded('mirror.example.org', '203.0.113.8'));
  const [missLine, hitLine, otherLine] = accessLines();
  t.equal(answeredBy(hitLine), 'front');
  t.match(hit.body.toString(), /https:\/\/data\.example\.org\//);
  t.match(hitLine, { host: 'data.example.org', remoteAddress: '203.0.113.8' }, 'the client address from X-Forwarded-For');
  t.match(missLine, { host: 'data.example.org', remoteAddress: '203.0.113.7' });
  t.equal(answeredBy(otherLine), 'fastify', 'another forwarded host is another answer');
  t.match(other.body.toString(), /https:\/\/mirror\.example\.org\//);
});

t.test('a client at its limit is refused by Fastify, in the surface format', async (t) => {
  const { get, accessLines } = await listeningApp({ RATE_LIMIT_PER_MINUTE: '3' });
  const { path, headers = {} } = PATHS[0]!;
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) remaining.push((await get(path, headers)).headers['ratelimit-remaining']!);
  t.same(remaining, ['2', '1', '0'], 'one count, whichever path answers');
  const refused = await get(path, headers);
  t.equal(refused.status, 429);
  t.ok(refused.headers['retry-after']);
  t.match(refused.body.toString(), /<(?:\w+:)?Error/, 'an SDMX error message');
  t.same(accessLines().map(answeredBy), ['fastify', 'front', 'front', 'fastify']);
});

t.test('a kept answer never outlives a release instant', async (t) => {
  const { clock, get, accessLines } = await listeningApp();
  const { path, headers = {} } = PATHS[0]!;
  const before = await get(path, headers);
  await get(path, headers);
  t.equal(answeredBy(accessLines()[1]), 'front', 'at T − 1 ms the repeat comes from the front');
  t.notMatch(before.body.toString(), /77001/);
  clock.set(T);
  const at = await get(path, headers);
  t.equal(answeredBy(accessLines()[0]), 'fastify', 'at T the kept answer is stale');
  t.match(at.body.toString(), /77001/, 'the release is there at its instant');
  const again = await get(path, headers);
  t.equal(answeredBy(accessLines()[0]), 'front');
  t.ok(again.body.equals(at.body), 'and kept for the new state');
});
