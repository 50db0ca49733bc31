/**
 * The public rate limit: RateLimit-* headers on counted responses, 429 with Retry-After past
 * the limit in the format of the surface (an SDMX error message that validates against the
 * official schemas, or problem+json), windows per client that reset by the clock, /health and
 * writes by a valid token exempt, and off when set to 0.
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { testApp } from '../helpers/app.js';
import { validateJson, validateXml21, validateXml30 } from '../helpers/validate.js';
import { JSON_SCHEMA } from '../helpers/shared.js';
import { fixedClock } from '../../src/clock.js';
import { RequestWindows } from '../../src/plugins/rate-limit.js';

const T0 = '2026-03-01T12:00:00.000Z';
const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true });

async function limitedApp(perMinute: number) {
  const clock = fixedClock(T0);
  const app = await testApp({ clock, env: { RATE_LIMIT_PER_MINUTE: String(perMinute) } });
  return { app, clock };
}

t.test('headers count down, then 429 in SDMX-ML 2.1 with Retry-After', async (t) => {
  const { app, clock } = await limitedApp(3);
  t.teardown(() => app.close());
  const url = '/sdmx/2.1/codelist/UNODC/CL_SEX';
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ url, remoteAddress: '192.0.2.1' });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-limit'], '3');
    t.equal(res.headers['ratelimit-policy'], '3;w=60');
    t.equal(res.headers['ratelimit-reset'], '60');
    remaining.push(String(res.headers['ratelimit-remaining']));
  }
  t.same(remaining, ['2', '1', '0']);
  clock.set('2026-03-01T12:00:20.000Z');
  const refused = await app.inject({ url, remoteAddress: '192.0.2.1' });
  t.equal(refused.statusCode, 429);
  t.equal(refused.headers['retry-after'], '40');
  t.equal(refused.headers['ratelimit-remaining'], '0');
  t.equal(refused.headers['ratelimit-reset'], '40');
  t.equal(refused.headers['content-type'], 'application/xml');
  t.same(validateXml21(refused.body), [], 'a valid SDMX-ML 2.1 error message');
  const doc = parser.parse(refused.body);
  t.equal(doc.Error.ErrorMessage['@_code'], '1429');
  t.match(doc.Error.ErrorMessage.Text['#text'], /Rate limit of 3 requests per minute exceeded; retry in 40 seconds/);

  t.equal((await app.inject({ url, remoteAddress: '192.0.2.2' })).statusCode, 200, 'another client has its own window');

  clock.set('2026-03-01T12:01:00.000Z');
  const again = await app.inject({ url, remoteAddress: '192.0.2.1' });
  t.equal(again.statusCode, 200, 'the window resets after a minute');
  t.equal(again.headers['ratelimit-remaining'], '2');
});

t.test('429 in each SDMX family and as problem+json elsewhere', async (t) => {
  const { app } = await limitedApp(1);
  t.teardown(() => app.close());
  const cases = [
    { url: '/sdmx/3.0/structure/codelist/UNODC/CL_SEX', headers: {}, check: 'json20' },
    { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE', headers: { accept: 'application/vnd.sdmx.data+json;version=1.0.0' }, check: 'json10' },
    { url: '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE', headers: { accept: 'application/vnd.sdmx.data+xml;version=3.0.0' }, check: 'xml30' },
    { url: '/api/v1/anything', headers: {}, check: 'problem' },
  ] as const;
  for (const [i, c] of cases.entries()) {
    const remoteAddress = `198.51.100.${i + 1}`;
    await app.inject({ url: c.url, headers: c.headers, remoteAddress });
    const res = await app.inject({ url: c.url, headers: c.headers, remoteAddress });
    t.equal(res.statusCode, 429, c.url);
    t.equal(res.headers['retry-after'], '60', c.url);
    if (c.check === 'problem') {
      t.equal(res.headers['content-type'], 'application/problem+json');
      t.match(res.json(), { type: /rate-limited$/, title: 'Too Many Requests', status: 429, detail: /1 requests per minute/ });
    } else if (c.check === 'xml30') {
      t.equal(res.headers['content-type'], 'application/xml');
      t.same(validateXml30(res.body), [], 'a valid SDMX-ML 3.0 error message');
      t.equal(parser.parse(res.body).Error.ErrorMessage['@_code'], '1429');
    } else {
      t.equal(res.headers['content-type'], 'application/json', c.url);
      const body = res.json();
      t.same(validateJson(body, c.check === 'json20' ? JSON_SCHEMA.structure20 : JSON_SCHEMA.structure10), [], `valid SDMX-JSON error (${c.check})`);
      t.equal(body.errors[0].code, 1429);
    }
  }
});

t.test('exempt: /health, and writes by a valid token; counted: reads by a token, writes by a bad one', async (t) => {
  const { app } = await limitedApp(1);
  t.teardown(() => app.close());
  const admin = app.tokens.create({ name: 'ops', role: 'admin', dataflows: [], createdBy: 'cli' });
  const bearer = { authorization: `Bearer ${admin.token}` };
  for (let i = 0; i < 3; i++) {
    const health = await app.inject({ url: '/health' });
    t.equal(health.statusCode, 200);
    t.equal(health.headers['ratelimit-limit'], undefined, '/health carries no rate limit');
  }
  t.equal((await app.inject({ url: '/api/v1/admin/tokens', headers: bearer })).statusCode, 200, 'first read');
  t.equal((await app.inject({ url: '/api/v1/admin/tokens', headers: bearer })).statusCode, 429, 'reads count, token or not');
  for (let i = 0; i < 3; i++) {
    const write = await app.inject({ method: 'POST', url: '/api/v1/admin/tokens', headers: bearer, payload: { name: `w${i}`, role: 'publisher' } });
    t.equal(write.statusCode, 201, 'a write by a valid token is not limited');
    t.equal(write.headers['ratelimit-limit'], undefined);
  }
  const junk = await app.inject({ method: 'POST', url: '/api/v1/admin/tokens', headers: { authorization: `Bearer iccs_${'C'.repeat(43)}` }, payload: {} });
  t.equal(junk.statusCode, 429, 'a write with a bad token is a public request');
});

t.test('0 turns the limit off', async (t) => {
  const { app } = await limitedApp(0);
  t.teardown(() => app.close());
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ url: '/sdmx/2.1/codelist/UNODC/CL_SEX' });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-limit'], undefined);
  }
});

t.test('finished windows are forgotten', async (t) => {
  const windows = new RequestWindows(10);
  const start = Date.parse(T0);
  for (let i = 0; i < 100; i++) windows.hit(`10.1.0.${i}`, start);
  t.equal(windows.size, 100);
  t.match(windows.hit('10.1.0.1', start + 59_999), { remaining: 8, resetSeconds: 1, exceeded: false });
  windows.hit('10.2.0.1', start + 60_000);
  t.equal(windows.size, 1, 'only the client of the current minute is kept');
});
