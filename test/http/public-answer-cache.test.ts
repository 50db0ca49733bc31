/**
 * The response cache of routes that build whole bodies (http/public-answer-cache.ts), on a
 * small app whose route counts its calls: a repeated public GET is answered from memory with
 * the same bytes and headers, never across a change of visible state, never for a request
 * with a token, never an answer marked private; conditional and gzip requests answered as a
 * miss would be; links built from the Host never served to another host.
 */
import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import { COMPRESSIBLE } from '../../src/http/conditional-requests.js';
import { cachePublicAnswers, keepPublicAnswers } from '../../src/http/public-answer-cache.js';
import { ResponseCache } from '../../src/http/response-cache.js';
import { fixedClock } from '../../src/clock.js';
import { dataApp } from '../helpers/data-app.js';

async function appWithCache(cache = new ResponseCache(1024 * 1024, 256 * 1024)) {
  let state = 'state-1';
  let calls = 0;
  const app: FastifyInstance = Fastify();
  keepPublicAnswers(app);
  await app.register(compress, { threshold: 0, encodings: ['gzip'], customTypes: COMPRESSIBLE });
  app.addHook('onSend', (_request, reply, _payload, done) => {
    reply.header('ratelimit-remaining', String(100 - calls));
    done();
  });
  await app.register(async (scope) => {
    cachePublicAnswers(scope, { cache, stateId: () => state, cacheControl: () => `public, max-age=${state === 'state-1' ? 60 : 30}` });
    scope.get<{ Querystring: { private?: string; stream?: string } }>('/answer', async (request, reply) => {
      calls += 1;
      const body = JSON.stringify({ call: calls, state, self: `${request.protocol}://${request.host}/answer`, padding: 'x'.repeat(200) });
      reply.headers({
        etag: `"${state}-${calls}"`,
        'last-modified': new Date(Date.UTC(2024, 0, 1)).toUTCString(),
        'content-language': 'en',
        vary: 'Accept, Accept-Language',
        'cache-control': request.query.private ? 'private, no-store' : 'public, max-age=60',
      });
      return reply.type('application/json').send(body);
    });
    scope.get('/missing', async (_request, reply) => reply.code(404).send({ missing: true }));
    scope.get<{ Querystring: { size: string } }>('/stream', async (request, reply) => {
      calls += 1;
      const size = Number(request.query.size);
      reply.headers({ etag: `"stream-${size}"`, 'last-modified': new Date(Date.UTC(2024, 0, 1)).toUTCString(), 'cache-control': 'public, max-age=60' });
      const chunk = 'y'.repeat(1024);
      return reply.type('text/csv').send(Readable.from((function* () {
        for (let sent = 0; sent < size; sent += chunk.length) yield Buffer.from(chunk.slice(0, Math.min(chunk.length, size - sent)));
      })()));
    });
  });
  t.teardown(() => app.close());
  return { app, calls: () => calls, setState: (s: string) => void (state = s) };
}

t.test('a repeated public GET is answered from memory, bytes and headers as the miss', async (t) => {
  const { app, calls } = await appWithCache();
  const first = await app.inject({ url: '/answer?x=1' });
  const second = await app.inject({ url: '/answer?x=1' });
  t.equal(calls(), 1, 'the route ran once');
  t.equal(second.body, first.body);
  for (const header of ['etag', 'last-modified', 'content-language', 'vary', 'content-type']) t.equal(second.headers[header], first.headers[header], header);
  t.equal(second.headers['cache-control'], 'public, max-age=60');
  t.equal(second.headers['ratelimit-remaining'], '99', "the client's own headers are set afresh, not kept");
  await app.inject({ url: '/answer?x=2' });
  t.equal(calls(), 2, 'another URL is another answer');
  await app.inject({ url: '/answer?x=1', headers: { 'accept-language': 'es' } });
  t.equal(calls(), 3, 'another language is another answer');
});

t.test('conditional and compressed requests are answered as a miss would be', async (t) => {
  const { app, calls } = await appWithCache();
  const first = await app.inject({ url: '/answer', headers: { 'accept-encoding': 'gzip' } });
  t.equal(first.headers['content-encoding'], 'gzip', 'the miss is compressed');
  // The gzip copy is made in the background.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const hit = await app.inject({ url: '/answer', headers: { 'accept-encoding': 'gzip' } });
  t.equal(calls(), 1, 'a gzip client fills and reads the cache');
  t.equal(hit.headers['content-encoding'], 'gzip');
  t.equal(gunzipSync(hit.rawPayload).toString(), gunzipSync(first.rawPayload).toString());
  const notModified = await app.inject({ url: '/answer', headers: { 'if-none-match': String(first.headers.etag) } });
  t.equal(notModified.statusCode, 304);
  t.equal(notModified.headers.etag, first.headers.etag);
  t.equal(calls(), 1);
});

t.test('a new visible state is never answered from an older one', async (t) => {
  const { app, calls, setState } = await appWithCache();
  await app.inject({ url: '/answer' });
  setState('state-2');
  const after = await app.inject({ url: '/answer' });
  t.equal(calls(), 2);
  t.match(after.json(), { state: 'state-2' });
  t.equal(after.headers['cache-control'], 'public, max-age=60', 'the route decided this one');
  const hit = await app.inject({ url: '/answer' });
  t.equal(calls(), 2);
  t.equal(hit.headers['cache-control'], 'public, max-age=30', 'a kept answer gets the lifetime of now');
});

t.test('requests with a token, private answers, errors and other hosts are not shared', async (t) => {
  const { app, calls } = await appWithCache();
  await app.inject({ url: '/answer' });
  const withToken = await app.inject({ url: '/answer', headers: { authorization: 'Bearer abc' } });
  t.equal(calls(), 2, 'a request with a token runs the route');
  t.match(withToken.json(), { call: 2 });
  await app.inject({ url: '/answer?private=1' });
  await app.inject({ url: '/answer?private=1' });
  t.equal(calls(), 4, 'a private answer is never kept');
  const other = await app.inject({ url: '/answer', headers: { host: 'mirror.example.org' } });
  t.equal(calls(), 5, 'links are built from the Host: another host is another answer');
  t.match(other.json(), { self: 'http://mirror.example.org/answer' });
  t.equal((await app.inject({ url: '/missing' })).statusCode, 404);
  t.equal((await app.inject({ url: '/missing' })).statusCode, 404);
  t.equal((await app.inject({ method: 'HEAD', url: '/answer?head=1' })).statusCode, 200);
  t.equal(calls(), 6, 'a HEAD runs the route and is not kept');
});

t.test('a streamed answer is kept as it passes, unless it outgrows an entry', async (t) => {
  const { app, calls } = await appWithCache(new ResponseCache(1024 * 1024, 64 * 1024));
  const first = await app.inject({ url: '/stream?size=10000' });
  const again = await app.inject({ url: '/stream?size=10000' });
  t.equal(calls(), 1, 'kept');
  t.equal(again.body, first.body);
  t.equal(again.body.length, 10000);
  const big = await app.inject({ url: '/stream?size=100000' });
  t.equal(big.body.length, 100000, 'a large stream is sent whole');
  await app.inject({ url: '/stream?size=100000' });
  t.equal(calls(), 3, 'but not kept');
});

t.test('a disabled cache changes nothing', async (t) => {
  const { app, calls } = await appWithCache(new ResponseCache(0, 0));
  await app.inject({ url: '/answer' });
  await app.inject({ url: '/answer' });
  t.equal(calls(), 2);
});

t.test("the people's JSON API: a repeated answer from memory, a release visible at its instant all the same", async (t) => {
  const AT = '2024-06-01T00:00:00.000Z';
  const clock = fixedClock('2024-05-31T23:59:59.000Z');
  const { app } = await dataApp(
    [
      { code: 'R1', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-01-01T00:00:00.000Z', series: [{ key: 'A.AUT.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2019', value: 1 }] }] },
      { code: 'R2', dataflow: 'DF_CTS_HOMICIDE', announcedAt: AT, state: 'scheduled', series: [{ key: 'A.AUT.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2019', value: 2 }] }] },
    ],
    { clock },
  );
  t.teardown(() => app.close());
  const url = '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=AUT';
  const value = (body: string) => (JSON.parse(body) as { rows: { values: { count: { value: number } } }[] }).rows[0]!.values.count.value;

  const first = await app.inject({ url });
  clock.set('2024-05-31T23:59:59.999Z');
  const second = await app.inject({ url });
  t.equal(second.body, first.body, 'the same bytes, asOf included: the answer was kept');
  t.equal(value(second.body), 1);
  const preview = await app.inject({ url, headers: { authorization: 'Bearer not-a-token' } });
  t.equal(preview.statusCode, 401, 'a request with a token is never answered from the cache');

  clock.set(AT);
  const atInstant = await app.inject({ url });
  t.equal(value(atInstant.body), 2, 'at its instant the release is part of the answer');
  t.not(atInstant.headers.etag, first.headers.etag);
});
