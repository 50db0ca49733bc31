/** Reading the audit log over the API: filters, newest first, cursor paging, bad queries. */
import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { fixedClock } from '../../../src/clock.js';

const clock = fixedClock('2026-03-01T12:00:00.000Z');
const app = await testApp({ clock, env: { RATE_LIMIT_PER_MINUTE: '0' } });
t.teardown(() => app.close());
const admin = app.tokens.create({ name: 'auditor', role: 'admin', dataflows: [], createdBy: 'cli' });
const producer = app.tokens.create({ name: 'police', role: 'producer', dataflows: ['UNODC:DF_CTS_OFFENCES(1.0)'], createdBy: 'cli' });
const producerActor = `${producer.info.tokenId}:police`;
const producerPrincipal = app.tokens.authenticate(producer.token).principal;

// A small history, one event per hour.
const history = [
  { actor: producerPrincipal, action: 'upload.create', target: 'UNODC:DF_CTS_OFFENCES(1.0)', outcome: 'success' as const },
  { actor: null, action: 'auth.failed', outcome: 'failure' as const, client: '10.0.0.9' },
  { actor: producerPrincipal, action: 'upload.create', target: 'UNODC:DF_CTS_OFFENCES(1.0)', outcome: 'failure' as const, detail: { errors: 3 } },
  { actor: 'cli' as const, action: 'token.revoke', target: 'tok_123456789abc', outcome: 'success' as const },
  { actor: null, action: 'auth.locked', outcome: 'refused' as const, client: '10.0.0.9' },
];
history.forEach((e, i) => {
  clock.set(new Date(Date.parse('2026-03-01T12:00:00.000Z') + i * 3_600_000).toISOString());
  app.audit.record(e);
});

async function read(query: string) {
  const res = await app.inject({ url: `/api/v1/admin/audit${query}`, headers: { authorization: `Bearer ${admin.token}` } });
  return { status: res.statusCode, body: res.json() };
}

t.test('newest first, with every field', async (t) => {
  const { status, body } = await read('');
  t.equal(status, 200);
  t.same(body.entries.map((e: { action: string }) => e.action), ['auth.locked', 'token.revoke', 'upload.create', 'auth.failed', 'upload.create']);
  t.same(body.entries[2], {
    id: 3,
    at: '2026-03-01T14:00:00.000Z',
    actor: producerActor,
    role: 'producer',
    action: 'upload.create',
    target: 'UNODC:DF_CTS_OFFENCES(1.0)',
    outcome: 'failure',
    client: null,
    detail: { errors: 3 },
  });
  t.equal(body.next, null);
});

t.test('filters', async (t) => {
  const ids = async (q: string) => (await read(q)).body.entries.map((e: { id: number }) => e.id);
  t.same(await ids('?since=2026-03-01T13:00:00Z&until=2026-03-01T15:00:00Z'), [3, 2], 'since inclusive, until exclusive');
  t.same(await ids('?since=2026-03-01T15:30:00%2B01:00'), [5, 4], 'offsets are understood');
  t.same(await ids(`?actor=${producer.info.tokenId}`), [3, 1], 'a token id matches its actor');
  t.same(await ids(`?actor=${encodeURIComponent(producerActor)}`), [3, 1]);
  t.same(await ids('?actor=cli'), [4]);
  t.same(await ids('?actor=tok_'), [], 'a bare prefix is not a token id');
  t.same(await ids('?action=auth.*'), [5, 2]);
  t.same(await ids('?action=auth.failed'), [2]);
  t.same(await ids('?action=auth'), [], 'without * the action is exact');
  t.same(await ids('?outcome=failure'), [3, 2]);
  t.same(await ids('?outcome=success&action=upload.create'), [1]);
});

t.test('paging with a cursor', async (t) => {
  const first = await read('?limit=2');
  t.same(first.body.entries.map((e: { id: number }) => e.id), [5, 4]);
  t.equal(first.body.next, 4);
  const second = await read(`?limit=2&before=${first.body.next}`);
  t.same(second.body.entries.map((e: { id: number }) => e.id), [3, 2]);
  t.equal(second.body.next, 2);
  const last = await read(`?limit=2&before=${second.body.next}`);
  t.same(last.body.entries.map((e: { id: number }) => e.id), [1]);
  t.equal(last.body.next, null);
  t.equal((await read('?limit=5')).body.next, null, 'an exactly full last page has no next');
});

t.test('bad queries are 400 problem documents naming the parameter', async (t) => {
  for (const [query, pointer] of [
    ['?since=yesterday', '#/since'],
    ['?outcome=maybe', '#/outcome'],
    ['?limit=0', '#/limit'],
    ['?limit=1001', '#/limit'],
    ['?before=abc', '#/before'],
    ['?colour=red', '#/colour'],
  ] as const) {
    const res = await app.inject({ url: `/api/v1/admin/audit${query}`, headers: { authorization: `Bearer ${admin.token}` } });
    t.equal(res.statusCode, 400, query);
    t.equal(res.headers['content-type'], 'application/problem+json');
    t.match(res.json(), { status: 400, errors: [{ in: 'querystring', pointer }] }, query);
  }
});
