/**
 * `/graphql` as HTTP: persisted queries (Apollo's automatic persisted queries: an unknown hash,
 * registering a query with its hash, running it by hash with GET, a hash that is not the query's,
 * the documented examples known by hash from the start); GET answers with a weak ETag,
 * Last-Modified and a public Cache-Control whose max-age never passes the next release instant,
 * 304 on If-None-Match, a repeat answered from the response cache; answers with errors, POST
 * answers and preview answers kept out of shared caches; a preview token that sees the held-back
 * release in `series` before its instant, audited as `preview.read`; GET and POST giving the same
 * data; GRAPHQL=off leaving nothing at /graphql and /graphiql.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { GRAPHQL_EXAMPLES } from '../../../src/routes/graphql/examples.js';
import { PUBLIC_MAX_AGE_SECONDS } from '../../../src/http/cache-lifetime.js';
import { testApp } from '../../helpers/app.js';
import { demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

type Json = any;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const byHash = (hash: string, variables?: Record<string, unknown>) =>
  `/graphql?extensions=${encodeURIComponent(JSON.stringify(persisted(hash)))}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ''}`;
const byQuery = (query: string, variables?: Record<string, unknown>) =>
  `/graphql?query=${encodeURIComponent(query)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ''}`;
const post = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}, extensions?: object) =>
  app.inject({ method: 'POST', url: '/graphql', payload: { query, variables, extensions }, headers });

const body = (res: LightMyRequestResponse): Json => JSON.parse(res.body);
const maxAge = (res: LightMyRequestResponse): number => Number(/^public, max-age=(\d+)$/.exec(String(res.headers['cache-control']))?.[1] ?? NaN);

/** A public GET answer: 200, JSON, validators, a public Cache-Control. */
function assertCacheable(t: Test, res: LightMyRequestResponse, what: string): void {
  t.equal(res.statusCode, 200, `${what}: 200 (${res.body.slice(0, 200)})`);
  t.match(res.headers['content-type'], /^application\/json/);
  t.match(res.headers.etag, /^W\/"[A-Za-z0-9_-]+"$/, `${what}: a weak ETag`);
  t.ok(Date.parse(String(res.headers['last-modified'])) <= clock.now().getTime(), `${what}: Last-Modified ${res.headers['last-modified']}, not in the future`);
  const age = maxAge(res);
  t.ok(age > 0 && age <= PUBLIC_MAX_AGE_SECONDS, `${what}: ${res.headers['cache-control']}`);
  t.match(res.headers.vary, /accept-language/, `${what}: varies with Accept-Language`);
}

// First, on a fresh app: nothing registered yet, the examples known all the same.
t.test('the documented examples run by hash with GET from the start', async (t) => {
  t.ok(GRAPHQL_EXAMPLES.length >= 1, `${GRAPHQL_EXAMPLES.length} examples`);
  for (const example of GRAPHQL_EXAMPLES) {
    const variables = example.variables as Record<string, unknown> | undefined;
    const res = await app.inject({ url: byHash(sha256(example.query), variables) });
    assertCacheable(t, res, `${example.name} by hash`);
    const answer = body(res);
    t.equal(answer.errors, undefined, `${example.name}: no errors`);
    const direct = body(await post(example.query, variables));
    t.same(answer.data, direct.data, `${example.name}: the data of the query sent in full`);
    t.ok(Object.keys(answer.data).length > 0, `${example.name}: data`);
  }
  const dataflows = GRAPHQL_EXAMPLES.find((e) => e.name === 'dataflows');
  if (dataflows) {
    const answer = body(await app.inject({ url: byHash(sha256(dataflows.query)) }));
    t.equal(answer.data.dataflows.length, 10, 'the first example: the ten dataflows');
    t.equal(answer.data.dataflows.find((f: Json) => f.code === 'DF_CTS_OFFENCES').nextRelease.code, HELD_BACK.code);
  }
});

t.test('persisted queries: unknown hash, registration, GET by hash, mismatch', async (t) => {
  const QUERY = 'query Victims($area: String!) { series(dataflow: "DF_CTS_VICTIMS", first: 3, filter: { dimensions: [{ dimension: "REF_AREA", codes: [$area] }] }) { totalCount nodes { key } } }';
  const hash = sha256(QUERY);

  for (const [method, res] of [
    ['GET', await app.inject({ url: byHash(hash, { area: 'MEX' }) })],
    ['POST', await post(undefined as never, { area: 'MEX' }, {}, persisted(hash))],
  ] as const) {
    t.equal(res.statusCode, 200, `${method}, an unknown hash: 200, as clients of the protocol expect`);
    t.match(res.headers['content-type'], /^application\/json/);
    t.same(body(res).errors, [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }], 'PersistedQueryNotFound: the message clients recognise');
    t.equal(res.headers['cache-control'], 'no-cache', 'not kept: the hash may be known a moment later');
    t.equal(res.headers.etag, undefined);
  }

  // A query that does not run is not registered.
  const BROKEN = '{ dataflows { colour } }';
  t.equal((await post(BROKEN, undefined, {}, persisted(sha256(BROKEN)))).statusCode, 400, 'a query that fails validation');
  t.equal(body(await app.inject({ url: byHash(sha256(BROKEN)) })).errors[0].extensions.code, 'PERSISTED_QUERY_NOT_FOUND', 'is not registered');

  // The hash with a query that is not its own.
  const mismatch = await post('{ dataflows { code } }', undefined, {}, persisted(hash));
  t.equal(mismatch.statusCode, 400);
  t.equal(body(mismatch).errors[0].extensions.code, 'PERSISTED_QUERY_MISMATCH');
  t.equal(body(await app.inject({ url: byHash(hash, { area: 'MEX' }) })).errors[0].extensions.code, 'PERSISTED_QUERY_NOT_FOUND', 'a mismatch registers nothing');

  // The query with its hash: run, and registered.
  const registered = await post(QUERY, { area: 'MEX' }, {}, persisted(hash));
  t.equal(registered.statusCode, 200);
  t.equal(registered.headers['cache-control'], 'no-store', 'a POST answer is not stored');
  const data = body(registered).data;
  t.equal(data.series.totalCount, 32, 'Mexico: 32 victim series');

  const get = await app.inject({ url: byHash(hash, { area: 'MEX' }) });
  assertCacheable(t, get, 'GET by hash');
  t.same(body(get).data, data, 'GET with only the hash runs the registered query');
  t.ok(byHash(hash, { area: 'MEX' }).length < 250, 'a short URL');
  const other = body(await app.inject({ url: byHash(hash, { area: 'GTM' }) })).data;
  t.not(other.series.nodes[0]?.key, data.series.nodes[0].key, 'the same hash with other variables: other series');
  t.ok(other.series.nodes.every((n: Json) => n.key.startsWith('A.GTM.')), 'those of GTM');

  // The query and its hash by GET register it too.
  const BY_GET = '{ release(code: "UNCTS-2023") { code state } }';
  const first = await app.inject({ url: `${byQuery(BY_GET)}&extensions=${encodeURIComponent(JSON.stringify(persisted(sha256(BY_GET))))}` });
  t.same(body(first).data, { release: { code: 'UNCTS-2023', state: 'PUBLISHED' } });
  t.same(body(await app.inject({ url: byHash(sha256(BY_GET)) })).data, { release: { code: 'UNCTS-2023', state: 'PUBLISHED' } }, 'then by hash alone');

  for (const bad of [{ version: 2, sha256Hash: hash }, { version: 1, sha256Hash: hash.toUpperCase() }, { version: 1 }]) {
    const res = await app.inject({ url: `/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: bad }))}` });
    t.equal(res.statusCode, 400, `${JSON.stringify(bad)}: 400`);
    t.equal(body(res).errors[0].extensions.code, 'BAD_REQUEST');
  }
});

t.test('GET: validators, 304, the response cache, and the same data as POST', async (t) => {
  const QUERY = '{ dataflow(id: "DF_CTS_HOMICIDE") { code seriesCount lastRelease { code } } series(dataflow: "DF_CTS_HOMICIDE", first: 2) { asOf nodes { key } } }';
  const url = byQuery(QUERY);
  const first = await app.inject({ url });
  assertCacheable(t, first, 'GET');
  t.equal(first.headers['last-modified'], 'Tue, 02 Jul 2024 00:00:00 GMT', 'Last-Modified: the newest release public now (UNCTS-2024)');
  t.equal(maxAge(first), PUBLIC_MAX_AGE_SECONDS, 'a week before the next release: the full max-age');
  const posted = await post(QUERY);
  t.equal(posted.body, first.body, 'POST with the same query: the same answer');
  t.equal(posted.headers['cache-control'], 'no-store', 'POST: not stored');
  t.equal(posted.headers.etag, undefined, 'POST: no ETag');
  t.equal(posted.headers['last-modified'], undefined);

  const notModified = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
  t.equal(notModified.statusCode, 304, '304 on If-None-Match');
  t.equal(notModified.body, '');
  t.equal(notModified.headers.etag, first.headers.etag);
  t.equal((await app.inject({ url, headers: { 'if-none-match': 'W/"something-else"' } })).statusCode, 200, 'another ETag: the answer');
  t.equal((await app.inject({ url, headers: { 'if-modified-since': String(first.headers['last-modified']) } })).statusCode, 304, '304 on If-Modified-Since');

  // HEAD: the headers of GET without the body.
  const head = await app.inject({ method: 'HEAD', url });
  t.equal(head.statusCode, 200, 'HEAD: 200');
  t.equal(head.body, '', 'HEAD: no body');
  // HEAD sends the headers GET would send (RFC 9110), validators included.
  t.equal(head.headers.etag, first.headers.etag, 'HEAD: the ETag of GET');
  t.equal(head.headers['cache-control'], first.headers['cache-control'], 'HEAD: the Cache-Control of GET');

  // Ten seconds later the data public are the same: the repeat is the kept answer, made at the
  // instant it was made (its asOf), where a new execution says the new instant.
  t.teardown(() => clock.set(LOADED_AT));
  clock.set(shifted(LOADED_AT, 10_000));
  const repeat = await app.inject({ url });
  assertCacheable(t, repeat, 'the repeat');
  t.equal(repeat.body, first.body, 'the same body');
  t.equal(repeat.headers.etag, first.headers.etag, 'the same ETag');
  t.equal(body(repeat).data.series.asOf, LOADED_AT, 'the kept answer (asOf when it was made)');
  t.equal(body(await post(QUERY)).data.series.asOf, shifted(LOADED_AT, 10_000), 'a POST runs again: asOf now');
  t.equal((await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304, 'the kept answer answers If-None-Match too');

  // Another language is another answer, kept apart.
  const es = await app.inject({ url: byQuery('{ dataflow(id: "DF_CTS_HOMICIDE") { name } }'), headers: { 'accept-language': 'es' } });
  const en = await app.inject({ url: byQuery('{ dataflow(id: "DF_CTS_HOMICIDE") { name } }') });
  t.same([body(es).data.dataflow.name, body(en).data.dataflow.name], ['Víctimas de homicidio intencional', 'Victims of intentional homicide'], 'Accept-Language is part of what is kept');
  t.not(es.headers.etag, en.headers.etag);

  // GET with variables: the same data as POST with them.
  const withVariables = 'query($id: ID!, $n: Int) { series(dataflow: $id, first: $n) { totalCount nodes { key } } }';
  const getVars = await app.inject({ url: byQuery(withVariables, { id: 'DF_CTS_COURTS', n: 3 }) });
  assertCacheable(t, getVars, 'GET with variables');
  t.same(body(getVars).data, body(await post(withVariables, { id: 'DF_CTS_COURTS', n: 3 })).data, 'GET and POST, the same data');
  t.same([body(getVars).data.series.totalCount, body(getVars).data.series.nodes.length], [287, 3]);
});

t.test('answers with errors and refusals are not cacheable', async (t) => {
  const notFound = await app.inject({ url: byQuery('{ dataflow(id: "DF_NOPE") { code } }') });
  t.equal(notFound.statusCode, 200);
  t.equal(body(notFound).errors[0].extensions.code, 'NOT_FOUND');
  t.equal(notFound.headers['cache-control'], 'no-cache', 'an answer with errors: no-cache');
  t.equal(notFound.headers.etag, undefined, 'no ETag');
  t.equal(notFound.headers['last-modified'], undefined, 'no Last-Modified');
  const partial = await app.inject({ url: byQuery('{ releases { code } release(code: "NOPE") { code } }') });
  t.equal(body(partial).data.releases.length, 7, 'the rest of the answer is there');
  t.equal(partial.headers['cache-control'], 'no-cache', 'but partial: not cacheable');
  const refused = await app.inject({ url: byQuery('{ dataflows { colour } }') });
  t.equal(refused.statusCode, 400);
  t.equal(refused.headers['cache-control'], 'no-cache');
  t.equal(refused.headers.etag, undefined);
});

t.test('max-age never passes the next release instant; at the instant the answer changes', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const url = byQuery('{ dataflow(id: "DF_CTS_OFFENCES") { seriesCount lastRelease { code } nextRelease { code announcedAt } } }');
  clock.set(shifted(HELD_BACK_AT, -60_000));
  const minute = await app.inject({ url });
  assertCacheable(t, minute, 'a minute before');
  t.ok(maxAge(minute) <= 60, `a minute before the release: ${minute.headers['cache-control']}`);
  t.equal(body(minute).data.dataflow.nextRelease.code, HELD_BACK.code);

  clock.set(shifted(HELD_BACK_AT, -7_000));
  const seconds = await app.inject({ url });
  t.equal(seconds.headers.etag, minute.headers.etag, 'seven seconds before: the same answer (the kept one)');
  t.ok(maxAge(seconds) > 0 && maxAge(seconds) <= 7, `seven seconds before: ${seconds.headers['cache-control']}, recomputed for the kept answer too`);
  const other = await app.inject({ url: byQuery('{ releases(state: [SCHEDULED]) { code announcedAt } }') });
  t.ok(maxAge(other) <= 7, `any query, seven seconds before: ${other.headers['cache-control']}`);

  clock.set(shifted(HELD_BACK_AT, -1));
  t.equal((await app.inject({ url })).headers['cache-control'], 'no-cache', 'a millisecond before: no shared cache may keep it');

  clock.set(HELD_BACK_AT);
  const after = await app.inject({ url });
  assertCacheable(t, after, 'at the instant');
  t.not(after.headers.etag, minute.headers.etag, 'at the instant: another answer');
  t.same(body(after).data.dataflow.lastRelease, { code: HELD_BACK.code }, 'the release is public');
  t.equal(body(after).data.dataflow.nextRelease, null, 'nothing more announced');
  t.ok(body(after).data.dataflow.seriesCount > body(minute).data.dataflow.seriesCount, 'its series count');
  t.equal(Date.parse(String(after.headers['last-modified'])), Date.parse(HELD_BACK_AT), 'Last-Modified: the release’s instant');
  t.equal(maxAge(after), PUBLIC_MAX_AGE_SECONDS, 'nothing announced after it: the full max-age');
});

t.test('a preview token sees the held-back release in series before its instant, privately, audited', async (t) => {
  const tokens = (app as unknown as { tokens: { create(r: object): { token: string } } }).tokens;
  const token = tokens.create({ name: 'press office', role: 'preview', dataflows: [], createdBy: 'test' }).token;
  const bearer = { authorization: `Bearer ${token}` };
  const previewReads = () => app.audit.list({ action: 'preview.read', limit: 1000 });
  const QUERY = 'query($area: String!) { series(dataflow: "DF_CTS_OFFENCES", first: 500, filter: { dimensions: [{ dimension: "REF_AREA", codes: [$area] }] }) { totalCount nodes { id key observations { period value release { code } } } } }';
  const url = byQuery(QUERY, { area: 'MEX' });
  const releasesOf = (data: Json): Set<string> => new Set(data.series.nodes.flatMap((n: Json) => n.observations.map((o: Json) => o.release.code)));

  const publicFirst = await app.inject({ url }); // fills the response cache for this URL
  assertCacheable(t, publicFirst, 'the public answer');
  const pub = body(publicFirst).data;
  t.notOk(releasesOf(pub).has(HELD_BACK.code), 'the public: nothing of the held-back release');
  t.notMatch(publicFirst.body, new RegExp(HELD_BACK.code));

  const before = previewReads().length;
  const seen = await app.inject({ url, headers: bearer });
  t.equal(seen.statusCode, 200);
  t.equal(seen.headers['cache-control'], 'private, no-store', 'private, never stored');
  t.equal(seen.headers.etag, undefined, 'no ETag a shared cache could match');
  const preview = body(seen).data;
  t.ok(releasesOf(preview).has(HELD_BACK.code), `the preview sees ${HELD_BACK.code} before ${HELD_BACK_AT}, though the public answer is kept for this URL`);
  t.ok(preview.series.totalCount > pub.series.totalCount, `more series (${pub.series.totalCount} → ${preview.series.totalCount})`);
  const publicKeys = new Set(pub.series.nodes.map((n: Json) => n.key));
  t.ok(pub.series.nodes.every((n: Json) => preview.series.nodes.some((m: Json) => m.key === n.key)), 'every public series among them');

  t.equal(previewReads().length, before + 1, 'audited');
  const entry = previewReads()[0]!;
  t.match(entry, { action: 'preview.read', role: 'preview', outcome: 'success', target: 'UNODC:DF_CTS_OFFENCES(1.0)' }, 'who, what, which dataflow');
  t.match(entry.actor, /^tok_/, 'the token');
  t.same(entry.detail.embargoedReleases, [HELD_BACK.code], 'the releases it saw before the public');
  t.equal(entry.detail.status, 200);
  t.equal(entry.detail.path, url, 'the path');

  const posted = await post(QUERY, { area: 'MEX' }, bearer);
  t.equal(posted.headers['cache-control'], 'private, no-store', 'POST: private too');
  t.same(body(posted).data, preview, 'POST and GET: the same preview');
  t.equal(previewReads().length, before + 2, 'audited too');

  const after = await app.inject({ url });
  t.equal(after.body, publicFirst.body, 'the public after the preview: still the public answer');

  // A series only the held-back release holds: its global id is found by the preview, not by the public.
  const only = preview.series.nodes.find((n: Json) => !publicKeys.has(n.key));
  t.ok(only, `a series of the held-back release only (${only?.key})`);
  const NODE = 'query($id: ID!) { node(id: $id) { id ... on Series { key observations { release { code } } } } }';
  const previewNode = body(await post(NODE, { id: only.id }, bearer));
  t.same([previewNode.data.node?.key, previewNode.data.node?.observations[0].release.code], [only.key, HELD_BACK.code], 'node(id:) with the preview token: the series');
  const publicNode = body(await post(NODE, { id: only.id }));
  t.same(publicNode.data, { node: null }, 'node(id:) for the public: null');
  t.equal(publicNode.errors[0].extensions.code, 'NOT_FOUND', 'NOT_FOUND, like an id that never was');

  // A refused preview request is audited too, as a failure.
  const bad = await app.inject({ url: byQuery('{ series(dataflow: "DF_CTS_OFFENCES") { colour } }'), headers: bearer });
  t.equal(bad.statusCode, 400);
  t.equal(bad.headers['cache-control'], 'no-cache');
  t.match(previewReads()[0], { outcome: 'failure', detail: { status: 400 } }, 'a failed preview read: audited as a failure');

  // Other dataflows, and the whole calendar, are as public for the preview as for anyone.
  const held = body(await post(`{ release(code: "${HELD_BACK.code}") { state publishedAt } }`, undefined, bearer)).data;
  t.same(held.release, { state: 'SCHEDULED', publishedAt: null }, 'the release is still scheduled');
});

t.test('GRAPHQL=off: nothing at /graphql and /graphiql', async (t) => {
  const off = await testApp({ env: { GRAPHQL: 'off' } });
  t.teardown(() => off.close());
  for (const [method, url] of [
    ['POST', '/graphql'],
    ['GET', byQuery('{ dataflows { code } }')],
    ['GET', '/graphiql'],
  ] as const) {
    const res = await off.inject({ method, url, payload: method === 'POST' ? { query: '{ dataflows { code } }' } : undefined });
    t.equal(res.statusCode, 404, `${method} ${url.slice(0, 30)}: 404`);
    t.notMatch(res.body, /"data"/);
  }
  const on = await app.inject({ url: '/graphiql' });
  t.equal(on.statusCode, 200, 'on (the default): GraphiQL is there');
});
