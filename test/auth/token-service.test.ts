/**
 * Tokens: the format, hashing (the database never holds a secret), expiry and revocation by
 * the injected clock, and lastUsedAt written at most once a minute.
 */
import t from 'tap';
import path from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { openSqlite } from '../../src/storage/sqlite/database.js';
import { SqliteTokenRepository } from '../../src/storage/sqlite/token-repository.js';
import { TokenService } from '../../src/auth/token-service.js';
import { hashSecret } from '../../src/auth/token-secret.js';
import { ExpiryError, parseExpiry } from '../../src/auth/expiry.js';
import { mayUploadTo } from '../../src/auth/dataflow-grants.js';
import { tokenRuleViolations } from '../../src/auth/token-rules.js';

function setUp() {
  const { db, sqlite } = openSqlite(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const repositories = { close: () => sqlite.close() };
  return { repositories, clock, tokens: new TokenService(new SqliteTokenRepository(db), clock), sqlite };
}

t.test('a new token has the documented shape and only its hash is stored', async (t) => {
  const { tokens, sqlite, repositories } = setUp();
  t.teardown(() => repositories.close());
  const { token, info } = tokens.create({ name: 'police', role: 'producer', dataflows: ['UNODC:DF_CTS_OFFENCES(1.0)'], createdBy: 'cli' });
  t.match(token, /^iccs_[A-Za-z0-9_-]{43}$/);
  t.match(info.tokenId, /^tok_[0-9a-f]{12}$/);
  t.equal(Buffer.from(token.slice(5), 'base64url').length, 32, '32 random bytes');
  const rows = sqlite.prepare('SELECT * FROM api_tokens').all() as Record<string, unknown>[];
  t.equal(rows.length, 1);
  const everything = JSON.stringify(rows);
  t.notOk(everything.includes(token), 'the secret is nowhere in the table');
  t.notOk(everything.includes(token.slice(5)), 'not even without its prefix');
  t.equal(rows[0]!.secret_hash, hashSecret(token), 'the SHA-256 of the secret is');
  t.not(tokens.create({ name: 'x', role: 'admin', dataflows: [], createdBy: 'cli' }).token, token, 'tokens differ');
});

t.test('authentication finds the token by hash and refuses the rest with a reason', async (t) => {
  const { tokens, repositories } = setUp();
  t.teardown(() => repositories.close());
  const { token, info } = tokens.create({ name: 'courts', role: 'producer', dataflows: ['UNODC:DF_CTS_COURTS(1.0)'], createdBy: 'cli' });
  t.same(tokens.authenticate(token), { principal: { tokenId: info.tokenId, name: 'courts', role: 'producer', dataflows: ['UNODC:DF_CTS_COURTS(1.0)'] } });
  t.same(tokens.authenticate(undefined), { principal: null, failure: 'missing' });
  t.same(tokens.authenticate(''), { principal: null, failure: 'malformed' });
  t.same(tokens.authenticate('Basic abc'), { principal: null, failure: 'malformed' });
  t.same(tokens.authenticate(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), { principal: null, failure: 'unknown' });
});

t.test('other roles never carry dataflow grants', async (t) => {
  const { tokens, repositories } = setUp();
  t.teardown(() => repositories.close());
  const { info } = tokens.create({ name: 'pub', role: 'publisher', dataflows: ['UNODC:DF_CTS_COURTS(1.0)'], createdBy: 'cli' });
  t.same(info.dataflows, []);
});

t.test('a token expires at its instant, by the clock', async (t) => {
  const { tokens, clock, repositories } = setUp();
  t.teardown(() => repositories.close());
  const expiresAt = parseExpiry('30d', clock.now());
  t.equal(expiresAt, '2026-03-31T12:00:00.000Z');
  const { token, info } = tokens.create({ name: 'temp', role: 'admin', dataflows: [], expiresAt, createdBy: 'cli' });
  clock.set('2026-03-31T11:59:59.999Z');
  t.ok(tokens.authenticate(token).principal, 'valid until the last millisecond');
  t.equal(tokens.get(info.tokenId)?.status, 'active');
  clock.set('2026-03-31T12:00:00.000Z');
  t.same(tokens.authenticate(token), { principal: null, failure: 'expired' });
  t.equal(tokens.get(info.tokenId)?.status, 'expired');
});

t.test('a revoked token stops at once and keeps its first revocation instant', async (t) => {
  const { tokens, clock, repositories } = setUp();
  t.teardown(() => repositories.close());
  const { token, info } = tokens.create({ name: 'gone', role: 'publisher', dataflows: [], createdBy: 'cli' });
  t.ok(tokens.authenticate(token).principal);
  t.equal(tokens.revoke(info.tokenId)?.revokedAt, '2026-03-01T12:00:00.000Z');
  t.same(tokens.authenticate(token), { principal: null, failure: 'revoked' });
  clock.set('2026-03-02T00:00:00.000Z');
  t.equal(tokens.revoke(info.tokenId)?.revokedAt, '2026-03-01T12:00:00.000Z');
  t.equal(tokens.revoke('tok_000000000000'), undefined);
});

t.test('lastUsedAt is written at most once a minute', async (t) => {
  const { tokens, clock, repositories } = setUp();
  t.teardown(() => repositories.close());
  const { token, info } = tokens.create({ name: 'busy', role: 'admin', dataflows: [], createdBy: 'cli' });
  t.equal(tokens.get(info.tokenId)?.lastUsedAt, null);
  tokens.authenticate(token);
  t.equal(tokens.get(info.tokenId)?.lastUsedAt, '2026-03-01T12:00:00.000Z');
  clock.set('2026-03-01T12:00:59.000Z');
  tokens.authenticate(token);
  t.equal(tokens.get(info.tokenId)?.lastUsedAt, '2026-03-01T12:00:00.000Z', 'not rewritten within the minute');
  clock.set('2026-03-01T12:01:00.000Z');
  tokens.authenticate(token);
  t.equal(tokens.get(info.tokenId)?.lastUsedAt, '2026-03-01T12:01:00.000Z');
});

t.test('expiry input', async (t) => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  t.equal(parseExpiry('12h', now), '2026-03-02T00:00:00.000Z');
  t.equal(parseExpiry('90m', now), '2026-03-01T13:30:00.000Z');
  t.equal(parseExpiry('2w', now), '2026-03-15T12:00:00.000Z');
  t.equal(parseExpiry('2026-06-01T00:00:00+02:00', now), '2026-05-31T22:00:00.000Z');
  for (const bad of ['30', '0d', 'd', '30y', '2026-06-01', '2026-06-01T00:00:00', 'tomorrow']) {
    t.throws(() => parseExpiry(bad, now), ExpiryError, bad);
  }
  t.throws(() => parseExpiry('2026-03-01T12:00:00Z', now), /not in the future/);
});

t.test('producer grants name a dataflow exactly', async (t) => {
  const producer = { tokenId: 'tok_1', name: 'p', role: 'producer' as const, dataflows: ['UNODC:DF_CTS_OFFENCES(1.0)'] };
  t.ok(mayUploadTo(producer, 'UNODC:DF_CTS_OFFENCES(1.0)'));
  t.notOk(mayUploadTo(producer, 'UNODC:DF_CTS_OFFENCES(1.1)'));
  t.notOk(mayUploadTo(producer, 'UNODC:DF_CTS_COURTS(1.0)'));
  t.notOk(mayUploadTo({ ...producer, role: 'admin' }, 'UNODC:DF_CTS_OFFENCES(1.0)'), 'an admin is not a producer');
  t.notOk(mayUploadTo(null, 'UNODC:DF_CTS_OFFENCES(1.0)'));
});

t.test('token rules', async (t) => {
  const known = new Set(['UNODC:DF_CTS_OFFENCES(1.0)']);
  t.same(tokenRuleViolations({ name: 'p', role: 'producer', dataflows: ['UNODC:DF_CTS_OFFENCES(1.0)'] }, known), []);
  t.match(tokenRuleViolations({ name: 'p', role: 'producer', dataflows: [] }, known), [{ field: 'dataflows', message: /at least one/ }]);
  t.match(tokenRuleViolations({ name: 'p', role: 'producer', dataflows: ['DF_CTS_OFFENCES'] }, known), [{ field: 'dataflows', message: /unknown dataflow "DF_CTS_OFFENCES"/ }]);
  t.match(tokenRuleViolations({ name: 'a', role: 'admin', dataflows: ['UNODC:DF_CTS_OFFENCES(1.0)'] }, known), [{ field: 'dataflows', message: /only producer/ }]);
  t.match(tokenRuleViolations({ name: '  ', role: 'admin', dataflows: [] }, known), [{ field: 'name' }]);
});
