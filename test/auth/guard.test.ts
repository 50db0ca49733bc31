/**
 * The auth guard in a real app: 401/403 with problem details and WWW-Authenticate, an audit
 * entry for every failed or refused attempt, the throttle's delay really awaited (through an
 * injected sleep) and its lockout lifted by moving the clock. Also: no secret in the logs.
 */
import t from 'tap';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../../src/clock.js';
import { requireRole } from '../../src/auth/plugin.js';

const T0 = '2026-03-01T12:00:00.000Z';

async function guardedApp(options: { logLines?: string[] } = {}) {
  const clock = fixedClock(T0);
  const sleeps: number[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      options.logLines?.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({
    config: loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'off', RATE_LIMIT_PER_MINUTE: '0' }),
    clock,
    sleep: async (ms) => void sleeps.push(ms),
    logger: options.logLines ? { level: 'info', stream } : false,
  });
  app.post('/test/producer', { onRequest: requireRole('producer') }, async (request) => ({ who: request.principal?.name }));
  app.post('/test/publisher-or-admin', { onRequest: requireRole('publisher', 'admin') }, async (request) => {
    request.log.info({ headers: request.headers }, 'headers of a guarded request');
    return { who: request.principal?.name };
  });
  const issue = (role: 'producer' | 'publisher' | 'admin', expiresAt?: string) =>
    app.tokens.create({ name: `${role}-token`, role, dataflows: role === 'producer' ? ['UNODC:DF_CTS_OFFENCES(1.0)'] : [], expiresAt, createdBy: 'cli' });
  return { app, clock, sleeps, issue };
}

function call(app: FastifyInstance, url: string, token?: string, remoteAddress = '10.0.0.1') {
  return app.inject({ method: 'POST', url, remoteAddress, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

t.test('401 for a missing, unknown, expired or revoked token; 403 for another role', async (t) => {
  const { app, clock, issue } = await guardedApp();
  t.teardown(() => app.close());
  const producer = issue('producer');
  const publisher = issue('publisher');
  const expiring = issue('producer', '2026-03-01T13:00:00.000Z');
  const revoked = issue('producer');
  app.tokens.revoke(revoked.info.tokenId);
  clock.set('2026-03-01T13:00:00.000Z');

  const ok = await call(app, '/test/producer', producer.token);
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { who: 'producer-token' });
  t.same((await call(app, '/test/publisher-or-admin', publisher.token)).json(), { who: 'publisher-token' });

  const missing = await call(app, '/test/producer');
  t.equal(missing.statusCode, 401);
  t.equal(missing.headers['content-type'], 'application/problem+json');
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="iccs"', 'no error code without credentials (RFC 6750 §3.1)');
  t.match(missing.json(), { status: 401, title: 'Unauthorized', detail: /needs a token/ });

  const cases: [string, string, RegExp][] = [
    ['unknown', `iccs_${'A'.repeat(43)}`, /not known/],
    ['malformed', 'not-a-token', /does not hold a bearer token/],
    ['expired', expiring.token, /expired/],
    ['revoked', revoked.token, /revoked/],
  ];
  for (const [reason, token, detail] of cases) {
    const res = await call(app, '/test/producer', token);
    t.equal(res.statusCode, 401, reason);
    t.equal(res.headers['www-authenticate'], 'Bearer realm="iccs", error="invalid_token"', reason);
    t.match(res.json(), { status: 401, detail }, reason);
  }
  const basic = await app.inject({ method: 'POST', url: '/test/producer', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
  t.equal(basic.statusCode, 401, 'another scheme is not accepted');

  const forbidden = await call(app, '/test/producer', publisher.token);
  t.equal(forbidden.statusCode, 403);
  t.equal(forbidden.headers['content-type'], 'application/problem+json');
  t.match(forbidden.json(), { status: 403, detail: /role producer.*role publisher/ });

  const audit = app.audit.list({ limit: 100 }).reverse();
  t.same(
    audit.map((e) => [e.action, e.outcome, e.detail.reason ?? null]),
    [
      ['auth.failed', 'failure', 'missing'],
      ['auth.failed', 'failure', 'unknown'],
      ['auth.failed', 'failure', 'malformed'],
      ['auth.failed', 'failure', 'expired'],
      ['auth.failed', 'failure', 'revoked'],
      ['auth.failed', 'failure', 'malformed'],
      ['auth.forbidden', 'refused', null],
    ],
    'every failed or refused attempt is audited, successes are not',
  );
  t.match(audit[0], { actor: null, target: 'POST /test/producer', client: '10.0.0.1', at: '2026-03-01T13:00:00.000Z' });
  t.match(audit[6], { actor: `${publisher.info.tokenId}:publisher-token`, role: 'publisher', target: 'POST /test/producer', detail: { required: ['producer'] } });
  t.notOk(JSON.stringify(audit).includes(expiring.token), 'no secret in the audit log');
});

t.test('repeated failures are delayed, then locked out for 15 minutes', async (t) => {
  const { app, clock, sleeps, issue } = await guardedApp();
  t.teardown(() => app.close());
  const producer = issue('producer');
  const wrong = `iccs_${'B'.repeat(43)}`;
  for (let i = 0; i < 5; i++) t.equal((await call(app, '/test/producer', wrong)).statusCode, 401);
  t.same(sleeps, [], 'five failures cost nothing');
  t.equal((await call(app, '/test/producer', wrong)).statusCode, 401);
  t.same(sleeps, [250], 'the sixth answer waited');
  t.equal((await call(app, '/test/producer', undefined)).statusCode, 401);
  t.same(sleeps, [250, 500], 'once throttled, every answer waits; a missing token is not counted');
  for (let i = 0; i < 14; i++) await call(app, '/test/producer', wrong);
  t.same(sleeps.slice(-3), [2000, 2000, 2000], 'the delay is capped');

  const locked = await call(app, '/test/producer', producer.token);
  t.equal(locked.statusCode, 429, 'after 20 failures even a valid token is refused');
  t.equal(locked.headers['retry-after'], '900');
  t.equal(locked.headers['content-type'], 'application/problem+json');
  t.match(locked.json(), { status: 429, title: 'Too Many Requests', detail: /900 seconds/ });
  const lockEntry = app.audit.list({ limit: 1 })[0];
  t.match(lockEntry, { action: 'auth.locked', outcome: 'refused', client: '10.0.0.1', target: 'POST /test/producer', detail: { retryAfterSeconds: 900 } });

  const other = await call(app, '/test/producer', producer.token, '10.0.0.2');
  t.equal(other.statusCode, 200, 'another client is not affected');
  t.equal((await call(app, '/test/producer', producer.token)).statusCode, 429, "and its success does not reset this client's counter");

  clock.set('2026-03-01T12:14:59.000Z');
  const still = await call(app, '/test/producer', producer.token);
  t.equal(still.statusCode, 429);
  t.equal(still.headers['retry-after'], '1');
  clock.set('2026-03-01T12:15:00.000Z');
  const sleepsBefore = sleeps.length;
  t.equal((await call(app, '/test/producer', producer.token)).statusCode, 200, 'the lockout ends after 15 minutes');
  t.equal(sleeps.length, sleepsBefore, 'without a delay');
  t.equal(app.audit.list({ action: 'auth.locked', limit: 100 }).length, 3, 'each refusal while locked is audited');
});

t.test('a success clears its own client and the delay really is awaited', async (t) => {
  const { app, sleeps, issue } = await guardedApp();
  t.teardown(() => app.close());
  const producer = issue('producer');
  for (let i = 0; i < 6; i++) await call(app, '/test/producer', 'junk');
  t.same(sleeps, [250]);
  t.equal((await call(app, '/test/producer', producer.token)).statusCode, 200);
  t.same(sleeps, [250, 500], 'the successful answer was delayed too');
  await call(app, '/test/producer', 'junk');
  t.same(sleeps, [250, 500], 'after a success the client starts afresh');
});

t.test('the public routes never look at tokens', async (t) => {
  const { app } = await guardedApp();
  t.teardown(() => app.close());
  let lookups = 0;
  const authenticate = app.tokens.authenticate.bind(app.tokens);
  app.tokens.authenticate = (secret) => {
    lookups += 1;
    return authenticate(secret);
  };
  for (const url of ['/health', '/sdmx/2.1/codelist/UNODC/CL_SEX', '/sdmx/3.0/structure/dataflow']) {
    const res = await app.inject({ url, headers: { authorization: 'Bearer junk' } });
    t.equal(res.statusCode, 200, url);
  }
  t.equal(lookups, 0, 'no token look-up');
  t.equal(app.audit.list({ limit: 10 }).length, 0, 'nothing audited, no failure counted');
  t.equal((await call(app, '/test/producer', 'junk')).statusCode, 401);
  t.equal(lookups, 1, 'a guarded route looks the token up once');
});

t.test('bearer tokens are redacted from the logs', async (t) => {
  const logLines: string[] = [];
  const { app, issue } = await guardedApp({ logLines });
  t.teardown(() => app.close());
  const { token } = issue('publisher');
  t.equal((await call(app, '/test/publisher-or-admin', token)).statusCode, 200);
  const logged = logLines.join('');
  t.match(logged, /headers of a guarded request/, 'the headers were logged');
  t.match(logged, /"authorization":"\[redacted\]"/);
  t.notOk(logged.includes(token.slice(5)), 'but not the token');
});
