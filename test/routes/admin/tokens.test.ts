/**
 * The token endpoints of the admin API: each role against each endpoint, creation with its
 * validation (400 problem documents naming the field), revocation, an audit entry for every
 * write whatever its outcome, and no secret anywhere but the creation response.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../../helpers/app.js';
import { fixedClock } from '../../../src/clock.js';

const T0 = '2026-03-01T12:00:00.000Z';
const OFFENCES = 'UNODC:DF_CTS_OFFENCES(1.0)';

const dir = mkdtempSync(path.join(tmpdir(), 'admin-tokens-'));
const databaseFile = path.join(dir, 'admin.sqlite');
const clock = fixedClock(T0);
const app = await testApp({ clock, env: { DATABASE_URL: databaseFile, RATE_LIMIT_PER_MINUTE: '0', MAX_JSON_BODY_KB: '4' } });
t.teardown(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const issue = (role: 'producer' | 'publisher' | 'admin') =>
  app.tokens.create({ name: `${role}-seed`, role, dataflows: role === 'producer' ? [OFFENCES] : [], createdBy: 'cli' });
const seeds = { producer: issue('producer'), publisher: issue('publisher'), admin: issue('admin') };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function request(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: unknown) {
  return app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
}

t.test('each role against each admin endpoint', async (t) => {
  const victim = app.tokens.create({ name: 'victim', role: 'publisher', dataflows: [], createdBy: 'cli' }).info.tokenId;
  const endpoints: [method: 'GET' | 'POST' | 'DELETE', url: string, route: string, payload?: unknown][] = [
    ['POST', '/api/v1/admin/tokens', '/api/v1/admin/tokens', { name: 'made', role: 'publisher' }],
    ['GET', '/api/v1/admin/tokens', '/api/v1/admin/tokens'],
    ['GET', `/api/v1/admin/tokens/${victim}`, '/api/v1/admin/tokens/:tokenId'],
    ['GET', '/api/v1/admin/audit', '/api/v1/admin/audit'],
    ['DELETE', `/api/v1/admin/tokens/${victim}`, '/api/v1/admin/tokens/:tokenId'],
  ];
  for (const [method, url, route, payload] of endpoints) {
    const anonymous = await request(app, method, url, undefined, payload);
    t.equal(anonymous.statusCode, 401, `${method} ${url} without a token`);
    t.equal(anonymous.headers['content-type'], 'application/problem+json');
    t.match(app.audit.list({ limit: 1 })[0], { action: 'auth.failed', outcome: 'failure', target: `${method} ${route}` });
    for (const role of ['producer', 'publisher'] as const) {
      const refused = await request(app, method, url, seeds[role].token, payload);
      t.equal(refused.statusCode, 403, `${method} ${url} as ${role}`);
      t.match(app.audit.list({ limit: 1 })[0], { action: 'auth.forbidden', outcome: 'refused', role, target: `${method} ${route}` });
    }
    const allowed = await request(app, method, url, seeds.admin.token, payload);
    t.equal(allowed.statusCode, { POST: 201, GET: 200, DELETE: 204 }[method], `${method} ${url} as admin`);
    t.equal(allowed.headers['cache-control'], 'no-store');
  }
  t.equal(app.tokens.get(victim)?.status, 'revoked', 'only the admin request had an effect');
});

t.test('creating a token: shown once, stored hashed, usable at once, audited', async (t) => {
  const res = await request(app, 'POST', '/api/v1/admin/tokens', seeds.admin.token, { name: 'police upload', role: 'producer', dataflows: [OFFENCES], expiresAt: '2026-04-01T00:00:00+02:00' });
  t.equal(res.statusCode, 201);
  const body = res.json();
  t.match(body, { tokenId: /^tok_[0-9a-f]{12}$/, token: /^iccs_[A-Za-z0-9_-]{43}$/, name: 'police upload', role: 'producer', dataflows: [OFFENCES], createdAt: T0, expiresAt: '2026-03-31T22:00:00.000Z' });
  t.equal(res.headers.location, `/api/v1/admin/tokens/${body.tokenId}`);
  t.match(app.tokens.authenticate(body.token), { principal: { tokenId: body.tokenId, role: 'producer', dataflows: [OFFENCES] } });
  t.equal((await request(app, 'GET', '/api/v1/admin/tokens', body.token)).statusCode, 403, 'the new token authenticates (as a producer)');

  const listed = await request(app, 'GET', '/api/v1/admin/tokens', seeds.admin.token);
  const one = await request(app, 'GET', res.headers.location as string, seeds.admin.token);
  t.match(one.json(), { tokenId: body.tokenId, status: 'active', createdBy: `${seeds.admin.info.tokenId}:admin-seed`, revokedAt: null });
  for (const text of [listed.body, one.body]) {
    t.notOk(text.includes(body.token), 'no secret in listings');
    t.notOk(/secretHash|secret_hash/.test(text), 'nor its hash');
  }
  t.match(listed.json().tokens.find((x: { tokenId: string }) => x.tokenId === body.tokenId), { name: 'police upload', dataflows: [OFFENCES] });

  t.match(app.audit.list({ action: 'token.create', limit: 1 })[0], {
    actor: `${seeds.admin.info.tokenId}:admin-seed`,
    role: 'admin',
    target: body.tokenId,
    outcome: 'success',
    detail: { name: 'police upload', role: 'producer', dataflows: [OFFENCES], expiresAt: '2026-03-31T22:00:00.000Z' },
  });

  const db = new Database(databaseFile, { readonly: true });
  t.teardown(() => db.close());
  for (const table of ['api_tokens', 'audit_events']) {
    const dump = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
    t.notOk(dump.includes(body.token.slice(5)), `the secret is not in ${table}`);
  }

  clock.set('2026-03-31T22:00:00.000Z');
  t.teardown(() => clock.set(T0));
  const expired = await request(app, 'GET', '/api/v1/admin/tokens', body.token);
  t.equal(expired.statusCode, 401, 'it expires by the clock');
  t.match(expired.json(), { detail: /expired/ });
});

t.test('bad creation requests are 400 problem documents naming the field, and audited', async (t) => {
  const cases: [payload: unknown, pointer: string, detail: RegExp][] = [
    [{ role: 'admin' }, '#/name', /name/],
    [{ name: 'x', role: 'superuser' }, '#/role', /role.*allowed values/],
    [{ name: 'x', role: 'admin', expiresIn: '30d' }, '#/expiresIn', /expiresIn is not an allowed property/],
    [{ name: 'x', role: 'admin', expiresAt: 'next week' }, '#/expiresAt', /expiresAt must match format "date-time"/],
    [{ name: 'x', role: 'admin', expiresAt: '2026-02-01T00:00:00Z' }, '#/expiresAt', /not in the future/],
    [{ name: 'x', role: 'producer' }, '#/dataflows', /at least one dataflow/],
    [{ name: 'x', role: 'producer', dataflows: ['UNODC:DF_NOPE(1.0)'] }, '#/dataflows', /unknown dataflow "UNODC:DF_NOPE\(1.0\)"/],
    [{ name: 'x', role: 'producer', dataflows: [OFFENCES, OFFENCES] }, '#/dataflows', /duplicate/],
    [{ name: 'x', role: 'publisher', dataflows: [OFFENCES] }, '#/dataflows', /only producer/],
    [{ name: 42, role: 'admin' }, '#/name', /name must be string/],
    [{ name: '   ', role: 'admin' }, '#/name', /printable/],
  ];
  for (const [payload, pointer, detail] of cases) {
    const before = app.tokens.list().length;
    const res = await request(app, 'POST', '/api/v1/admin/tokens', seeds.admin.token, payload);
    const label = JSON.stringify(payload);
    t.equal(res.statusCode, 400, label);
    t.equal(res.headers['content-type'], 'application/problem+json', label);
    t.match(res.json(), { status: 400, title: 'Bad Request', detail, errors: [{ pointer }] }, label);
    t.equal(app.tokens.list().length, before, `${label} created nothing`);
    t.match(app.audit.list({ limit: 1 })[0], { action: 'token.create', outcome: 'failure', actor: `${seeds.admin.info.tokenId}:admin-seed`, detail: { status: 400 } }, `${label} is audited`);
  }

  const notJson = await app.inject({ method: 'POST', url: '/api/v1/admin/tokens', headers: { ...bearer(seeds.admin.token), 'content-type': 'application/json' }, payload: '{"name":' });
  t.equal(notJson.statusCode, 400);
  t.equal(notJson.headers['content-type'], 'application/problem+json');
  t.match(app.audit.list({ limit: 1 })[0], { action: 'token.create', outcome: 'failure', detail: { status: 400 } }, 'a body that is not JSON is audited');

  const tooBig = await request(app, 'POST', '/api/v1/admin/tokens', seeds.admin.token, { name: 'x'.repeat(5000), role: 'admin' });
  t.equal(tooBig.statusCode, 413, 'MAX_JSON_BODY_KB applies');
  t.equal(tooBig.headers['content-type'], 'application/problem+json');
  t.match(tooBig.json(), { status: 413, title: 'Content Too Large' });
  t.match(app.audit.list({ limit: 1 })[0], { action: 'token.create', outcome: 'failure', detail: { status: 413 } });

  const unauthenticatedJunk = await app.inject({ method: 'POST', url: '/api/v1/admin/tokens', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
  t.equal(unauthenticatedJunk.statusCode, 401, 'a stranger gets 401 before the body is even parsed');
});

t.test('revoking a token', async (t) => {
  const { token, info } = app.tokens.create({ name: 'leaving', role: 'admin', dataflows: [], createdBy: 'cli' });
  t.equal((await request(app, 'GET', '/api/v1/admin/tokens', token)).statusCode, 200);
  const res = await request(app, 'DELETE', `/api/v1/admin/tokens/${info.tokenId}`, seeds.admin.token);
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  const after = await request(app, 'GET', '/api/v1/admin/tokens', token);
  t.equal(after.statusCode, 401, 'a revoked token fails at once');
  t.match(after.json(), { detail: /revoked/ });
  t.match(app.audit.list({ action: 'token.revoke', limit: 1 })[0], { target: info.tokenId, outcome: 'success', detail: { name: 'leaving', alreadyRevoked: false } });

  t.equal((await request(app, 'DELETE', `/api/v1/admin/tokens/${info.tokenId}`, seeds.admin.token)).statusCode, 204, 'revoking again is harmless');
  t.match(app.audit.list({ action: 'token.revoke', limit: 1 })[0], { outcome: 'success', detail: { alreadyRevoked: true } });

  const unknown = await request(app, 'DELETE', '/api/v1/admin/tokens/tok_000000000000', seeds.admin.token);
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { status: 404, detail: /tok_000000000000/ });
  t.match(app.audit.list({ action: 'token.revoke', limit: 1 })[0], { target: 'tok_000000000000', outcome: 'failure' });

  const malformed = await request(app, 'DELETE', '/api/v1/admin/tokens/nonsense', seeds.admin.token);
  t.equal(malformed.statusCode, 400);
  t.match(malformed.json(), { errors: [{ in: 'params', pointer: '#/tokenId' }] });
  t.match(app.audit.list({ action: 'token.revoke', limit: 1 })[0], { target: 'nonsense', outcome: 'failure', detail: { status: 400 } });
});
