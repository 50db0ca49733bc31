/**
 * The publisher's release workflow over HTTP, on a real database and an injected clock: who may
 * call what; creating drafts and corrections; a producer's upload into a draft, listed with the
 * release; scheduling refused while disclosure control has not passed and allowed after; every
 * transition and every refusal (with the audit entry each one leaves); and what the public
 * calendar then shows, without actors.
 */
import t, { type Test } from 'tap';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import swagger from '@fastify/swagger';
import { calendarRoutes } from '../../../src/routes/api/calendar.js';
import { releaseRoutes } from '../../../src/routes/api/releases.js';
import { API_PREFIX } from '../../../src/routes/api/prefix.js';
import { problemSchema } from '../../../src/http/problem.js';
import type { CalendarService } from '../../../src/services/calendar/calendar.js';
import type { ReleaseViews } from '../../../src/services/calendar/release-views.js';
import type { ReleaseWorkflow } from '../../../src/services/calendar/workflow.js';
import { dataApp } from '../../helpers/data-app.js';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import type { ProtectionRun } from '../../../src/storage/repositories.js';

const T0 = '2026-11-21T12:00:00.000Z';
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const AUT = 'A.AUT.VIC_HOM.0101._T._T._T.NR';
const FRA = 'A.FRA.VIC_HOM.0101._T._T._T.NR';

const clock = fixedClock(T0);
const { app, repositories } = await dataApp(
  [
    { code: 'PUB-2020', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-06-01T08:00:00.000Z', series: [{ key: AUT, observations: [{ period: '2018', value: 73 }, { period: '2019', value: 65 }] }] },
    { code: 'STAGED', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2026-12-01T08:00:00.000Z', state: 'draft', series: [{ key: FRA, observations: [{ period: '2020', value: 990 }] }] },
  ],
  { clock },
);
t.teardown(() => app.close());

const tokenOf = (role: 'producer' | 'publisher' | 'admin', name: string) =>
  app.tokens.create({ name, role, dataflows: role === 'producer' ? [HOMICIDE] : [], createdBy: 'cli' });
const publisher = tokenOf('publisher', 'Jane Q. Publisher');
const producer = tokenOf('producer', 'police upload');
const admin = tokenOf('admin', 'ops');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function call(method: 'GET' | 'POST', url: string, payload?: unknown, token: string | null = publisher.token): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const lastAudit = () => app.audit.list({ action: 'release.*', limit: 1 })[0]!;
const PROBLEMS = 'https://iccs-sdmx.org/problems/';

/** A problem+json refusal: its status, type (catalogue code), title and detail, pinned. */
function isProblem(t: Test, res: LightMyRequestResponse, status: number, code: string, title: string, detail: string | RegExp): Json {
  t.equal(res.statusCode, status, `${code}: ${status}`);
  t.equal(res.headers['content-type'], 'application/problem+json', `${code}: problem+json`);
  const body = res.json() as Json;
  t.match(body, { type: `${PROBLEMS}${code}`, title, status, detail }, `${code}: the problem document`);
  return body;
}

function passingRun(code: string): ProtectionRun {
  return {
    releasePk: repositories.releases.byCode(code)!.pk,
    dataflow: HOMICIDE,
    ranAt: clock.now().toISOString(),
    ranBy: `${publisher.info.tokenId}:${publisher.info.name}`,
    method: 'threshold',
    rules: { threshold: 3 },
    summary: { cells: 1, primary: 0, audit: { failed: 0 } },
    audit: [],
    passed: true,
  };
}

t.test('roles: anonymous 401, producer and admin 403, publisher allowed; each refusal audited', async (t) => {
  const endpoints: [method: 'GET' | 'POST', url: string, route: string, payload?: unknown][] = [
    ['POST', '/api/v1/releases', '/api/v1/releases', { code: 'ROLE-TEST', title: 'Role test', dataflows: [HOMICIDE] }],
    ['GET', '/api/v1/releases', '/api/v1/releases'],
    ['GET', '/api/v1/releases/STAGED', '/api/v1/releases/:code'],
    ['GET', '/api/v1/releases/STAGED/uploads', '/api/v1/releases/:code/uploads'],
    ['POST', '/api/v1/releases/ROLE-TEST/schedule', '/api/v1/releases/:code/schedule', { announcedAt: '2027-01-01T08:00:00Z' }],
    ['POST', '/api/v1/releases/ROLE-TEST/postpone', '/api/v1/releases/:code/postpone', { announcedAt: '2027-01-02T08:00:00Z', reason: 'r' }],
    ['POST', '/api/v1/releases/ROLE-TEST/cancel', '/api/v1/releases/:code/cancel', { reason: 'role test over' }],
  ];
  for (const [method, url, route, payload] of endpoints) {
    const anonymous = await call(method, url, payload, null);
    t.equal(anonymous.statusCode, 401, `${method} ${url} anonymous`);
    t.equal(anonymous.headers['content-type'], 'application/problem+json');
    t.match(app.audit.list({ limit: 1 })[0], { action: 'auth.failed', outcome: 'failure', target: `${method} ${route}` });
    for (const [role, token] of [['producer', producer.token], ['admin', admin.token]] as const) {
      const refused = await call(method, url, payload, token);
      t.equal(refused.statusCode, 403, `${method} ${url} as ${role}`);
      t.match(app.audit.list({ limit: 1 })[0], { action: 'auth.forbidden', outcome: 'refused', role, target: `${method} ${route}` });
    }
  }
  t.equal(repositories.releases.byCode('ROLE-TEST'), undefined, 'nothing was created by a refused request');
  const created = await call('POST', '/api/v1/releases', { code: 'ROLE-TEST', title: 'Role test', dataflows: [HOMICIDE] });
  t.equal(created.statusCode, 201, 'a publisher may');
  t.equal(created.headers['cache-control'], 'no-store');
  t.equal((await call('GET', '/api/v1/releases')).statusCode, 200);
  t.equal((await call('POST', '/api/v1/releases/ROLE-TEST/cancel', { reason: 'role test over' })).statusCode, 200);
});

t.test('create: a draft, a correction, and each refusal', async (t) => {
  const res = await call('POST', '/api/v1/releases', { code: '2026-CTS-01', title: '  Homicide 2026  ', dataflows: [HOMICIDE], note: 'First release of 2026.' });
  t.equal(res.statusCode, 201);
  t.equal(res.headers.location, '/api/v1/releases/2026-CTS-01');
  const body = res.json() as Json;
  t.match(body, { code: '2026-CTS-01', title: 'Homicide 2026', state: 'draft', calendarState: null, visible: false, note: 'First release of 2026.', dataflows: [HOMICIDE], announcedAt: null, revises: null, uploads: 0 });
  t.same(body.publishability, { ok: false, problems: ['the release holds no data (upload data to it first)'], warnings: [] });
  t.same(body.events.map((e: Json) => e.kind), ['created']);
  t.match(lastAudit(), { action: 'release.create', target: '2026-CTS-01', outcome: 'success', actor: `${publisher.info.tokenId}:Jane Q. Publisher`, detail: { dataflows: [HOMICIDE] } });

  const duplicate = await call('POST', '/api/v1/releases', { code: '2026-CTS-01', title: 'Again', dataflows: [HOMICIDE] });
  isProblem(t, duplicate, 409, 'release-exists', 'Conflict', 'A release with the code 2026-CTS-01 already exists');
  t.match(lastAudit(), { action: 'release.create', target: '2026-CTS-01', outcome: 'refused', detail: { status: 409 } });

  const unknownFlow = await call('POST', '/api/v1/releases', { code: 'X-1', title: 'X', dataflows: [HOMICIDE, 'UNODC:DF_NOPE(1.0)'] });
  t.same(isProblem(t, unknownFlow, 400, 'invalid-request', 'Bad Request', 'body field dataflows.1 is not a stored dataflow: UNODC:DF_NOPE(1.0)').errors, [
    { in: 'body', pointer: '#/dataflows/1', message: 'is not a stored dataflow: UNODC:DF_NOPE(1.0)' },
  ]);
  t.match(lastAudit(), { action: 'release.create', target: 'X-1', outcome: 'failure', detail: { status: 400 } });

  const schemaFailures: [unknown, string][] = [
    [{ code: 'has space', title: 'X', dataflows: [HOMICIDE] }, '#/code'],
    [{ code: 'X-2', title: 'X', dataflows: [] }, '#/dataflows'],
    [{ code: 'X-2', title: 'X', dataflows: [HOMICIDE], colour: 'blue' }, '#/colour'],
    [{ code: 'X-2', dataflows: [HOMICIDE] }, '#/title'],
  ];
  for (const [payload, pointer] of schemaFailures) {
    const refused = await call('POST', '/api/v1/releases', payload);
    t.equal(refused.statusCode, 400, JSON.stringify(payload));
    t.match(refused.json(), { type: 'https://iccs-sdmx.org/problems/invalid-request', errors: [{ pointer }] });
    t.match(lastAudit(), { action: 'release.create', outcome: 'failure', detail: { status: 400 } }, 'a body failing the schema is audited too');
  }
  const blank = await call('POST', '/api/v1/releases', { code: 'X-3', title: '   ', dataflows: [HOMICIDE] });
  t.match(blank.json(), { status: 400, errors: [{ pointer: '#/title' }] });

  const reviseUnknown = await call('POST', '/api/v1/releases', { code: 'FIX-0', title: 'Fix', dataflows: [HOMICIDE], revises: 'NOPE' });
  t.match(reviseUnknown.json(), { status: 400, errors: [{ pointer: '#/revises' }] });
  const reviseDraft = await call('POST', '/api/v1/releases', { code: 'FIX-1', title: 'Fix', dataflows: [HOMICIDE], revises: 'STAGED' });
  isProblem(t, reviseDraft, 409, 'release-state', 'Conflict', 'Release STAGED is draft: only a published release can be corrected');
  t.match(lastAudit(), { action: 'release.create', target: 'FIX-1', outcome: 'refused' });

  const correction = await call('POST', '/api/v1/releases', { code: 'PUB-2020-C1', title: 'Correction of PUB-2020', dataflows: [HOMICIDE], revises: 'PUB-2020' });
  t.equal(correction.statusCode, 201);
  t.equal((correction.json() as Json).revises, 'PUB-2020');
  t.equal(repositories.releases.byCode('PUB-2020-C1')!.revisesPk, repositories.releases.byCode('PUB-2020')!.pk);
});

t.test('a producer uploads into the draft; the publisher sees it', async (t) => {
  const exported = await app.inject({ url: '/sdmx/2.1/data/DF_CTS_HOMICIDE?format=csv' });
  t.equal(exported.statusCode, 200);
  const upload = await app.inject({
    method: 'POST',
    url: `/api/v1/uploads?dataflow=${encodeURIComponent(HOMICIDE)}&release=2026-CTS-01`,
    headers: { authorization: `Bearer ${producer.token}`, 'content-type': MEDIA.dataCsv10 },
    payload: exported.body,
  });
  t.equal(upload.statusCode, 201, upload.body);
  const uploadId = (upload.json() as Json).uploadId;

  const uploads = await call('GET', '/api/v1/releases/2026-CTS-01/uploads');
  t.equal(uploads.statusCode, 200);
  const listed = uploads.json() as Json;
  t.equal(listed.release, '2026-CTS-01');
  t.match(listed.uploads, [{ uploadId, dataflow: HOMICIDE, format: 'sdmx-csv-1.0', observations: 2, series: 1, uploadedBy: producer.info.tokenId }]);
  isProblem(t, await call('GET', '/api/v1/releases/NOPE/uploads'), 404, 'not-found', 'Not Found', 'No release NOPE');

  const list = (await call('GET', '/api/v1/releases')).json() as Json;
  const draft = list.releases.find((r: Json) => r.code === '2026-CTS-01');
  t.equal(draft.uploads, 1);
  t.same(draft.publishability.problems, [`${HOMICIDE}: disclosure control has not run on the data as it is now (run protection first)`]);
  t.equal(draft.publishability.ok, false);
  t.same(
    list.releases.map((r: Json) => [r.code, r.state, r.calendarState]),
    [
      ['PUB-2020', 'published', 'published'],
      ['STAGED', 'draft', null],
      ['ROLE-TEST', 'cancelled', null],
      ['2026-CTS-01', 'draft', null],
      ['PUB-2020-C1', 'draft', null],
    ],
    'every release, drafts included',
  );
  t.equal(list.releases.find((r: Json) => r.code === 'PUB-2020').publishability, null, 'publishability is a draft matter');
});

t.test('schedule: refused until disclosure control passed, then scheduled', async (t) => {
  const refused = await call('POST', '/api/v1/releases/2026-CTS-01/schedule', { announcedAt: '2026-12-01T08:00:00Z' });
  const notRun = `${HOMICIDE}: disclosure control has not run on the data as it is now (run protection first)`;
  t.same(isProblem(t, refused, 409, 'release-not-publishable', 'Conflict', notRun).problems, [notRun]);
  t.match(lastAudit(), { action: 'release.schedule', target: '2026-CTS-01', outcome: 'refused', detail: { status: 409, type: 'release-not-publishable', reason: notRun, problems: [notRun] } });

  repositories.protection.store({ ...passingRun('2026-CTS-01'), passed: false, summary: { audit: { failed: 2 } } }, []);
  const failing = await call('POST', '/api/v1/releases/2026-CTS-01/schedule', { announcedAt: '2026-12-01T08:00:00Z' });
  t.equal(failing.statusCode, 409, 'a run that failed its audit blocks too');
  t.match(failing.json(), { problems: [/audit failed \(2 protected cells/] });

  const empty = await call('POST', '/api/v1/releases/PUB-2020-C1/schedule', { announcedAt: '2026-12-01T08:00:00Z' });
  t.equal(empty.statusCode, 409);
  t.match(empty.json(), { problems: ['the release holds no data (upload data to it first)'] });

  repositories.protection.store(passingRun('2026-CTS-01'), []);
  for (const [announcedAt, why] of [
    ['2026-12-01T08:00:00.500Z', 'a fraction of a second'],
    ['2026-12-01T09:00:00+01:00', 'an offset'],
    ['2026-12-01', 'a date'],
    ['2026-02-30T08:00:00Z', 'no such day'],
    ['2026-11-21T12:00:00Z', 'now is not the future'],
    ['2026-11-20T08:00:00Z', 'the past'],
  ]) {
    const bad = await call('POST', '/api/v1/releases/2026-CTS-01/schedule', { announcedAt });
    t.match(isProblem(t, bad, 400, 'invalid-request', 'Bad Request', /^body field announcedAt must be /), { errors: [{ in: 'body', pointer: '#/announcedAt' }] }, why);
    t.match(lastAudit(), { action: 'release.schedule', target: '2026-CTS-01', outcome: 'failure', detail: { status: 400, requested: announcedAt } });
  }
  t.equal((await call('POST', '/api/v1/releases/2026-CTS-01/schedule', {})).statusCode, 400, 'announcedAt is required');
  isProblem(t, await call('POST', '/api/v1/releases/NOPE/schedule', { announcedAt: '2026-12-01T08:00:00Z' }), 404, 'not-found', 'Not Found', 'No release NOPE');
  t.match(lastAudit(), { action: 'release.schedule', target: 'NOPE', outcome: 'failure', detail: { status: 404, type: 'not-found', reason: 'No release NOPE' } });

  const ok = await call('POST', '/api/v1/releases/2026-CTS-01/schedule', { announcedAt: '2026-12-01T08:00:00Z' });
  t.equal(ok.statusCode, 200, ok.body);
  const scheduled = ok.json() as Json;
  t.match(scheduled, { state: 'scheduled', calendarState: 'scheduled', visible: false, announcedAt: '2026-12-01T08:00:00.000Z', firstAnnouncedAt: '2026-12-01T08:00:00.000Z', publishability: null });
  t.match(scheduled.events.at(-1), { kind: 'scheduled', at: T0, announcedAt: '2026-12-01T08:00:00.000Z', actor: `${publisher.info.tokenId}:Jane Q. Publisher` });
  t.match(scheduled.protection, [{ dataflow: HOMICIDE, method: 'threshold', passed: true, summary: { cells: 1 } }]);
  t.match(lastAudit(), { action: 'release.schedule', target: '2026-CTS-01', outcome: 'success', detail: { announcedAt: '2026-12-01T08:00:00.000Z', previousState: 'draft' } });

  const again = await call('POST', '/api/v1/releases/2026-CTS-01/schedule', { announcedAt: '2026-12-02T08:00:00Z' });
  isProblem(t, again, 409, 'release-state', 'Conflict', 'Release 2026-CTS-01 is scheduled: only a draft can be scheduled (postpone it to move its instant)');

  const millis = await call('POST', '/api/v1/releases/STAGED/schedule', { announcedAt: '2026-12-03T08:00:00.000Z' });
  t.equal(millis.statusCode, 409, 'STAGED has data and no run');
  repositories.protection.store(passingRun('STAGED'), []);
  const stagedOk = await call('POST', '/api/v1/releases/STAGED/schedule', { announcedAt: '2026-12-03T08:00:00.000Z' });
  t.equal(stagedOk.statusCode, 200, '.000Z is accepted');
  t.equal((stagedOk.json() as Json).announcedAt, '2026-12-03T08:00:00.000Z');
});

t.test('postpone: only a scheduled release not yet public, to another future instant, with a reason', async (t) => {
  const path = '/api/v1/releases/2026-CTS-01/postpone';
  for (const [payload, pointer] of [
    [{ announcedAt: '2026-12-01T08:00:00Z', reason: 'same' }, '#/announcedAt'],
    [{ announcedAt: '2026-11-01T08:00:00Z', reason: 'past' }, '#/announcedAt'],
    [{ announcedAt: '2026-12-05T08:00:00Z', reason: '   ' }, '#/reason'],
    [{ announcedAt: '2026-12-05T08:00:00Z' }, '#/reason'],
  ] as const) {
    const bad = await call('POST', path, payload);
    t.equal(bad.statusCode, 400, JSON.stringify(payload));
    t.match(bad.json(), { errors: [{ pointer }] });
    t.match(lastAudit(), { action: 'release.postpone', target: '2026-CTS-01', outcome: 'failure' });
  }
  const draft = await call('POST', '/api/v1/releases/PUB-2020-C1/postpone', { announcedAt: '2026-12-05T08:00:00Z', reason: 'x' });
  isProblem(t, draft, 409, 'release-state', 'Conflict', 'Release PUB-2020-C1 is draft: only a scheduled release can be postponed');
  t.match(lastAudit(), { action: 'release.postpone', target: 'PUB-2020-C1', outcome: 'refused' });

  clock.set('2026-11-22T09:00:00.000Z');
  const ok = await call('POST', path, { announcedAt: '2026-12-04T08:00:00Z', reason: 'Late data from one country' });
  t.equal(ok.statusCode, 200, ok.body);
  const body = ok.json() as Json;
  t.match(body, { state: 'scheduled', announcedAt: '2026-12-04T08:00:00.000Z', firstAnnouncedAt: '2026-12-01T08:00:00.000Z' });
  t.match(body.events.at(-1), {
    kind: 'postponed',
    at: '2026-11-22T09:00:00.000Z',
    previousAnnouncedAt: '2026-12-01T08:00:00.000Z',
    announcedAt: '2026-12-04T08:00:00.000Z',
    reason: 'Late data from one country',
    actor: `${publisher.info.tokenId}:Jane Q. Publisher`,
  });
  t.match(lastAudit(), { action: 'release.postpone', outcome: 'success', detail: { previousAnnouncedAt: '2026-12-01T08:00:00.000Z', announcedAt: '2026-12-04T08:00:00.000Z', reason: 'Late data from one country' } });

  clock.set('2026-12-04T08:00:00.000Z');
  const visible = await call('POST', path, { announcedAt: '2026-12-10T08:00:00Z', reason: 'too late' });
  isProblem(t, visible, 409, 'release-state', 'Conflict', 'Release 2026-CTS-01 has been public since 2026-12-04T08:00:00.000Z: it can no longer be postponed');
  t.match(lastAudit(), { action: 'release.postpone', target: '2026-CTS-01', outcome: 'refused' });
  const detail = (await call('GET', '/api/v1/releases/2026-CTS-01')).json() as Json;
  t.match(detail, { state: 'scheduled', calendarState: 'published', visible: true, announcedAt: '2026-12-04T08:00:00.000Z' });
});

t.test('cancel: a draft or a scheduled release not yet public, never a public one', async (t) => {
  clock.set('2026-12-02T08:00:00.000Z');
  const blank = await call('POST', '/api/v1/releases/STAGED/cancel', { reason: ' ' });
  t.same(isProblem(t, blank, 400, 'invalid-request', 'Bad Request', 'body field reason must say why the release is cancelled').errors, [
    { in: 'body', pointer: '#/reason', message: 'must say why the release is cancelled' },
  ]);
  t.match(lastAudit(), { action: 'release.cancel', target: 'STAGED', outcome: 'failure' });

  const scheduled = await call('POST', '/api/v1/releases/STAGED/cancel', { reason: 'Superseded by 2026-CTS-01' });
  t.equal(scheduled.statusCode, 200);
  t.match(scheduled.json(), { state: 'cancelled', calendarState: 'cancelled', events: [{ kind: 'created' }, { kind: 'scheduled' }, { kind: 'cancelled', reason: 'Superseded by 2026-CTS-01' }] });
  t.match(lastAudit(), { action: 'release.cancel', target: 'STAGED', outcome: 'success', detail: { previousState: 'scheduled' } });

  const draft = await call('POST', '/api/v1/releases/PUB-2020-C1/cancel', { reason: 'Not needed after all' });
  t.equal(draft.statusCode, 200);
  t.equal((draft.json() as Json).state, 'cancelled');

  clock.set('2026-12-04T08:00:00.000Z');
  for (const [code, why] of [
    ['STAGED', 'already cancelled'],
    ['PUB-2020', 'published'],
    ['2026-CTS-01', 'scheduled and public since its instant'],
  ]) {
    const refused = await call('POST', `/api/v1/releases/${code}/cancel`, { reason: 'try' });
    t.match(isProblem(t, refused, 409, 'release-state', 'Conflict', new RegExp(`^Release ${code} `)), {}, why);
    t.match(lastAudit(), { action: 'release.cancel', target: code, outcome: 'refused' });
  }
  isProblem(t, await call('POST', '/api/v1/releases/NOPE/cancel', { reason: 'x' }), 404, 'not-found', 'Not Found', 'No release NOPE');
});

t.test('the public calendar after the workflow: no drafts, no actors', async (t) => {
  const res = await app.inject({ url: '/api/v1/calendar' });
  const entries = (res.json() as { releases: Json[] }).releases;
  t.same(
    entries.map((e) => [e.code, e.state]),
    [
      ['PUB-2020', 'published'],
      ['STAGED', 'cancelled'],
      ['2026-CTS-01', 'published'],
    ],
    'the published, the postponed-then-published and the cancelled; never a draft or a cancelled draft',
  );
  const late = entries.find((e) => e.code === '2026-CTS-01')!;
  t.same(late.punctuality, { announced: '2026-12-01T08:00:00.000Z', actual: '2026-12-04T08:00:00.000Z', delaySeconds: 3 * 86_400, onTime: false });
  t.same(late.disclosureControl, [{ dataflow: HOMICIDE, method: 'threshold', rules: { threshold: 3 }, summary: { cells: 1, primary: 0, audit: { failed: 0 } } }]);
  t.notOk(res.body.includes('Jane') || res.body.includes(publisher.info.tokenId), 'no actor on the public calendar');
  const detail = (await call('GET', '/api/v1/releases/2026-CTS-01')).json() as Json;
  t.ok(detail.events.every((e: Json) => e.kind === 'created' || e.actor === `${publisher.info.tokenId}:Jane Q. Publisher`), 'while the publisher sees who did what');
  isProblem(t, await call('GET', '/api/v1/releases/NOPE'), 404, 'not-found', 'Not Found', 'No release NOPE');
});

t.test('the routes are documented by @fastify/swagger from their schemas', async (t) => {
  const documented = Fastify();
  await documented.register(swagger, { openapi: { info: { title: 'releases', version: '1' } } });
  // The route plugins as the app registers them (in a scope under the API prefix, with the
  // Problem schema); no request is made, so no service is needed.
  await documented.register(
    async (api) => {
      api.addSchema(problemSchema);
      await api.register(calendarRoutes, { calendar: {} as CalendarService });
      await api.register(releaseRoutes, { workflow: {} as ReleaseWorkflow, views: {} as ReleaseViews });
    },
    { prefix: API_PREFIX },
  );
  await documented.ready();
  t.teardown(() => documented.close());
  const paths = (documented.swagger() as unknown as { paths: Record<string, Record<string, Json>> }).paths;
  t.same(Object.keys(paths).sort(), [
    '/api/v1/calendar',
    '/api/v1/calendar.atom',
    '/api/v1/calendar.ics',
    '/api/v1/releases',
    '/api/v1/releases/{code}',
    '/api/v1/releases/{code}/cancel',
    '/api/v1/releases/{code}/postpone',
    '/api/v1/releases/{code}/schedule',
    '/api/v1/releases/{code}/uploads',
  ]);
  t.same(paths['/api/v1/releases/{code}/schedule']!.post!.requestBody.content['application/json'].schema.required, ['announcedAt']);
  t.ok(paths['/api/v1/releases/{code}/schedule']!.post!.responses['409'], 'the refusal is documented');
  t.ok(paths['/api/v1/calendar.ics']!.get!.responses['200'].content['text/calendar'], 'the iCalendar media type');
  t.same(
    paths['/api/v1/calendar']!.get!.parameters.map((p: Json) => p.name).sort(),
    ['dataflow', 'from', 'state', 'to'],
  );
});
