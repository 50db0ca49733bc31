/**
 * The publisher's metadata-set API (/api/v1/metadata-sets) over HTTP, on a real database, the
 * real structures and metadata files, and an injected clock: roles; a created version listed as
 * embargoed and absent from the public metadata service until its release instant (± 1 ms);
 * content refused with 422 naming each field and nothing stored; 409 for a taken version, a
 * public or cancelled release, a file-owned or public version; PUT replacing a version before
 * its instant; an audit entry for every write and every refusal.
 *
 * Each test builds its own app: an app over a small data set (test/helpers/data-app.ts)
 * with the real metadata files (metadata/, loaded at start-up; their releases do not exist here,
 * so every file version is stored and invisible), releases of every kind for DF_CTS_HOMICIDE and
 * one of another dataflow, tokens of every role, and bodies made from the real homicide report
 * and Kazakhstan note.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { fixedClock } from '../../../../src/clock.js';
import { PROJECT_ROOT } from '../../../../src/project-root.js';
import type { Repositories } from '../../../../src/storage/repositories.js';
import { dataApp } from '../../../helpers/data-app.js';

const T0 = '2026-11-21T12:00:00.000Z';
/** The announced instant of NEXT, the embargoed homicide release. */
const NEXT_AT = '2026-12-01T08:00:00.000Z';
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const PRISONS = 'UNODC:DF_CTS_PRISONS(1.0)';
const PROBLEMS = 'https://iccs-sdmx.org/problems/';
const AUT = 'A.AUT.VIC_HOM.0101._T._T._T.NR';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

interface Fixture {
  readonly app: FastifyInstance;
  readonly repositories: Repositories;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly tokens: Readonly<Record<'publisher' | 'producer' | 'admin' | 'preview', { token: string; info: { tokenId: string; name: string } }>>;
  call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token?: string | null): Promise<LightMyRequestResponse>;
  /** Stored metadata set rows (every source). */
  rows(): number;
}

/**
 * Releases: PUB-2020 (published, public), NEXT (scheduled for NEXT_AT), DRAFT (draft),
 * CANCELLED (cancelled), all of DF_CTS_HOMICIDE; PRISONS-NEXT (scheduled, DF_CTS_PRISONS).
 */
async function metadataFixture(t: Test): Promise<Fixture> {
  const clock = fixedClock(T0);
  const { app, repositories } = await dataApp(
    [
      { code: 'PUB-2020', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-06-01T08:00:00.000Z', series: [{ key: AUT, observations: [{ period: '2019', value: 65 }] }] },
      { code: 'NEXT', dataflow: 'DF_CTS_HOMICIDE', announcedAt: NEXT_AT, state: 'scheduled', series: [{ key: AUT, observations: [{ period: '2020', value: 70 }] }] },
    ],
    { clock },
  );
  t.teardown(() => app.close());
  const draft = (code: string, dataflow: string) => repositories.releases.createDraft({ code, title: code, dataflows: [dataflow] }, T0);
  draft('DRAFT', HOMICIDE);
  const cancelled = draft('CANCELLED', HOMICIDE);
  repositories.releases.cancel(cancelled.pk, 'test', { at: T0 });
  const prisons = draft('PRISONS-NEXT', PRISONS);
  repositories.releases.schedule(prisons.pk, NEXT_AT, { at: T0 });

  const token = (role: 'publisher' | 'producer' | 'admin' | 'preview') =>
    app.tokens.create({ name: `${role} of the metadata tests`, role, dataflows: role === 'producer' ? [HOMICIDE] : [], createdBy: 'cli' });
  const tokens = { publisher: token('publisher'), producer: token('producer'), admin: token('admin'), preview: token('preview') };

  return {
    app,
    repositories,
    clock,
    tokens,
    call: (method, url, payload, as = tokens.publisher.token) =>
      app.inject({
        method,
        url,
        headers: as === null ? {} : { authorization: `Bearer ${as}` },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    rows: () => repositories.metadataSets.find().length,
  };
}

const authored = (file: string) => parse(readFileSync(path.join(PROJECT_ROOT, 'metadata', file), 'utf8')) as Json;

/** The real homicide report as a request body, as another version and release. */
function reportBody(version: string, release: string): Json {
  return { dataflow: 'DF_CTS_HOMICIDE', ...authored('DF_CTS_HOMICIDE/report-1.0.0.yaml'), version, release };
}

/** The real Kazakhstan note as a request body, as another version and release. */
function noteBody(version: string, release: string): Json {
  return { dataflow: 'DF_CTS_HOMICIDE', area: 'KAZ', ...authored('DF_CTS_HOMICIDE/areas/KAZ-1.0.0.yaml'), version, release };
}

/** A problem+json refusal with its status and catalogue code; returns the document. */
function isProblem(t: Test, res: LightMyRequestResponse, status: number, code: string, detail?: RegExp): Json {
  t.equal(res.statusCode, status, `${code}: ${status}`);
  t.equal(res.headers['content-type'], 'application/problem+json', `${code}: problem+json`);
  const body = res.json() as Json;
  t.match(body, { type: `${PROBLEMS}${code}`, status, ...(detail ? { detail } : {}) }, `${code}: the problem document`);
  return body;
}

const f = await metadataFixture(t);
const { app, call, rows, tokens, clock, repositories } = f;
const BASE = '/api/v1/metadata-sets';
const publisherActor = `${tokens.publisher.info.tokenId}:${tokens.publisher.info.name}`;
const lastAudit = () => app.audit.list({ action: 'metadata.*', limit: 1 })[0]!;
const auditCount = () => app.audit.list({ action: 'metadata.*', limit: 1000 }).length;

/** A write refused: its problem, nothing stored, and the audit entry it left (returned with the problem). */
async function refused(
  t: Test,
  method: 'POST' | 'PUT',
  url: string,
  body: unknown,
  status: number,
  code: string,
  detail?: RegExp,
): Promise<{ problem: Json; audit: ReturnType<typeof lastAudit> }> {
  const before = rows();
  const stored = repositories.metadataSets.find().map((r) => `${r.setID} ${r.version} ${r.sha256}`);
  const audits = auditCount();
  const problem = isProblem(t, await call(method, url, body), status, code, detail);
  t.equal(rows(), before, `${code}: no row added`);
  t.same(
    repositories.metadataSets.find().map((r) => `${r.setID} ${r.version} ${r.sha256}`),
    stored,
    `${code}: no row changed`,
  );
  t.equal(auditCount(), audits + 1, `${code}: one audit entry`);
  const audit = lastAudit();
  t.match(audit, { action: method === 'POST' ? 'metadata.create' : 'metadata.update', actor: publisherActor, outcome: status === 409 ? 'refused' : 'failure' }, `${code}: audited`);
  return { problem, audit };
}

t.test('roles: no token 401, producer, preview and admin 403 on every route; each refusal audited, nothing stored', async (t) => {
  const before = rows();
  const endpoints: [method: 'GET' | 'POST' | 'PUT', url: string, route: string, payload?: unknown][] = [
    ['POST', BASE, BASE, reportBody('9.0.0', 'NEXT')],
    ['GET', BASE, BASE],
    ['GET', `${BASE}/MS_DF_CTS_HOMICIDE/1.0.0`, `${BASE}/:set/:version`],
    ['PUT', `${BASE}/MS_DF_CTS_HOMICIDE/9.0.0`, `${BASE}/:set/:version`, reportBody('9.0.0', 'NEXT')],
  ];
  for (const [method, url, route, payload] of endpoints) {
    const anonymous = await call(method, url, payload, null);
    t.equal(anonymous.statusCode, 401, `${method} ${url} without a token`);
    t.equal(anonymous.headers['content-type'], 'application/problem+json');
    t.match(app.audit.list({ limit: 1 })[0], { action: 'auth.failed', outcome: 'failure', target: `${method} ${route}` });
    for (const role of ['producer', 'preview', 'admin'] as const) {
      const res = await call(method, url, payload, tokens[role].token);
      t.equal(res.statusCode, 403, `${method} ${url} as ${role}`);
      t.match(res.json(), { type: `${PROBLEMS}forbidden` });
      t.match(app.audit.list({ limit: 1 })[0], { action: 'auth.forbidden', outcome: 'refused', role, target: `${method} ${route}` });
    }
  }
  t.equal(rows(), before, 'nothing was stored by a refused request');
  const listed = await call('GET', BASE);
  t.equal(listed.statusCode, 200, 'a publisher may');
  t.equal(listed.headers['cache-control'], 'no-store', 'never cached: drafts are confidential');
});

t.test('the list holds every stored version with its state, the file versions included', async (t) => {
  const { metadataSets } = (await call('GET', BASE)).json() as Json;
  t.equal(metadataSets.length, rows(), 'every stored row');
  const report = metadataSets.find((s: Json) => s.id === 'MS_DF_CTS_HOMICIDE' && s.version === '1.0.0');
  t.match(report, {
    kind: 'report',
    dataflow: HOMICIDE,
    area: null,
    release: 'GSH-2019',
    releaseState: null,
    announcedAt: null,
    state: 'draft',
    editable: false,
    source: 'file:metadata/DF_CTS_HOMICIDE/report-1.0.0.yaml',
    href: `${BASE}/MS_DF_CTS_HOMICIDE/1.0.0`,
  });
  const note = metadataSets.find((s: Json) => s.id === 'MS_DF_CTS_HOMICIDE_KAZ');
  t.match(note, { kind: 'countryNote', area: 'KAZ', source: 'file:metadata/DF_CTS_HOMICIDE/areas/KAZ-1.0.0.yaml' });
  const file = (await call('GET', `${BASE}/MS_DF_CTS_HOMICIDE/1.0.0`)).json() as Json;
  t.match(file.content, { dataflow: HOMICIDE, set: 'MS_DF_CTS_HOMICIDE', version: '1.0.0', release: 'GSH-2019', attributes: { CNT_UNIT: 'VICTIM' } }, 'a file version reads in its authored form');
  isProblem(t, await call('GET', `${BASE}/MS_DF_CTS_HOMICIDE/7.7.7`), 404, 'not-found');
});

t.test('create: 201 with the stored version, listed as embargoed, readable with its content, audited', async (t) => {
  const before = rows();
  const body = reportBody('1.1.0', 'NEXT');
  const res = await call('POST', BASE, body);
  t.equal(res.statusCode, 201);
  t.equal(res.headers.location, `${BASE}/MS_DF_CTS_HOMICIDE/1.1.0`);
  t.equal(res.headers['cache-control'], 'no-store');
  const created = res.json() as Json;
  t.match(created, {
    id: 'MS_DF_CTS_HOMICIDE',
    agencyID: 'UNODC',
    version: '1.1.0',
    kind: 'report',
    dataflow: HOMICIDE,
    area: null,
    release: 'NEXT',
    releaseState: 'scheduled',
    announcedAt: NEXT_AT,
    state: 'embargoed',
    editable: true,
    source: `api:${tokens.publisher.info.tokenId}`,
    createdAt: T0,
  });
  t.equal(rows(), before + 1, 'one row stored');
  t.same(created.content.name, body.name, 'the content as sent (trimmed)');
  t.same(Object.keys(created.content.attributes).sort(), Object.keys(body.attributes).sort(), 'every attribute kept');
  t.equal(created.content.dataflow, HOMICIDE, 'the dataflow in full');

  const listed = ((await call('GET', BASE)).json() as Json).metadataSets.find((s: Json) => s.id === 'MS_DF_CTS_HOMICIDE' && s.version === '1.1.0');
  t.match(listed, { state: 'embargoed', release: 'NEXT', source: `api:${tokens.publisher.info.tokenId}` });
  const read = (await call('GET', `${BASE}/MS_DF_CTS_HOMICIDE/1.1.0`)).json() as Json;
  t.same(read, created, 'GET answers what POST did');

  t.match(lastAudit(), {
    action: 'metadata.create',
    target: HOMICIDE,
    outcome: 'success',
    actor: publisherActor,
    detail: { set: 'MS_DF_CTS_HOMICIDE', version: '1.1.0', release: 'NEXT', sha256: created.sha256 },
  });
  t.notMatch(JSON.stringify(lastAudit()), tokens.publisher.token, 'the secret is never audited');

  const note = await call('POST', BASE, noteBody('1.1.0', 'DRAFT'));
  t.equal(note.statusCode, 201, 'a country note');
  t.match(note.json(), { id: 'MS_DF_CTS_HOMICIDE_KAZ', kind: 'countryNote', area: 'KAZ', state: 'draft', releaseState: 'draft', announcedAt: null });
  t.match(lastAudit(), { action: 'metadata.create', target: `${HOMICIDE}:KAZ`, outcome: 'success' });
});

t.test('invisible on the public metadata service before its release instant', async (t) => {
  const visible = await app.metadata.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: 'all' });
  t.same(visible, [], 'no version of the report is public yet');
  const asked = await app.metadata.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: '1.1.0', at: NEXT_AT });
  t.same(asked, [], 'asking at the future instant is asking now');
  t.equal((await app.metadata.report('DF_CTS_HOMICIDE')).report, null, 'the JSON answer has no report either');
});

t.test('422: content breaking the MSD, each field named by pointer and path; nothing stored', async (t) => {
  const body = reportBody('1.2.0', 'NEXT');
  body.name = { en: 'Homicide report', es: '   ' };
  body.attributes = { ...body.attributes, CNT_UNIT: 'PERSONS', NO_SUCH_ATTRIBUTE: { en: 'x', es: 'x' } };
  delete body.attributes.STAT_CONC_DEF;
  body.sources = [{ title: 'A source', url: 'not a url' }];
  const { problem, audit } = await refused(t, 'POST', BASE, body, 422, 'invalid-metadata-set', /^The metadata set has \d+ problems: /);
  const byField = new Map((problem.errors as Json[]).map((e) => [e.field, e]));
  for (const [field, pointer] of [
    ['name.es', '#/name/es'],
    ['attributes.CNT_UNIT', '#/attributes/CNT_UNIT'],
    ['attributes.NO_SUCH_ATTRIBUTE', '#/attributes/NO_SUCH_ATTRIBUTE'],
    ['attributes.STAT_CONC_DEF', '#/attributes/STAT_CONC_DEF'],
    ['sources[0].url', '#/sources/0/url'],
  ] as const) {
    t.match(byField.get(field), { in: 'body', pointer, message: /\S/ }, `${field} named`);
  }
  t.match(byField.get('attributes.CNT_UNIT')?.message, /"PERSONS" is not a code of UNODC:CL_COUNTING_UNIT/);
  t.match(byField.get('attributes.STAT_CONC_DEF')?.message, /mandatory/);
  t.match(audit, { target: HOMICIDE, detail: { set: 'MS_DF_CTS_HOMICIDE', version: '1.2.0', release: 'NEXT', status: 422, type: 'invalid-metadata-set', problems: byField.size } });
  t.ok((audit.detail.fields as string[]).includes('attributes.CNT_UNIT'), 'the audit names the fields');

  const computed = reportBody('1.2.0', 'NEXT');
  computed.attributes.PUNCTUALITY = { en: 'always on time', es: 'siempre puntual' };
  const c = await refused(t, 'POST', BASE, computed, 422, 'invalid-metadata-set');
  t.match(c.problem.errors, [{ field: 'attributes.PUNCTUALITY', message: /computed by the server/ }], 'a computed concept is never written');

  const wrongSet = { ...reportBody('1.2.0', 'NEXT'), set: 'MS_DF_CTS_PRISONS' };
  const w = await refused(t, 'POST', BASE, wrongSet, 422, 'invalid-metadata-set');
  t.match(w.problem.errors, [{ field: 'set', pointer: '#/set', message: /expected MS_DF_CTS_HOMICIDE/ }]);

  const badVersion = await refused(t, 'POST', BASE, reportBody('1.2', 'NEXT'), 422, 'invalid-metadata-set');
  t.match(badVersion.problem.errors, [{ field: 'version', message: /semantic version/ }]);

  const area = await refused(t, 'POST', BASE, { ...noteBody('1.2.0', 'NEXT'), area: 'ATLANTIS', set: 'MS_DF_CTS_HOMICIDE_ATLANTIS' }, 422, 'invalid-metadata-set');
  t.match(area.problem.errors, [{ field: 'area', pointer: '#/area', message: /unknown area "ATLANTIS"/ }]);
  t.match(area.audit, { target: `${HOMICIDE}:ATLANTIS` });

  const flow = await refused(t, 'POST', BASE, { ...reportBody('1.2.0', 'NEXT'), dataflow: 'DF_NO_SUCH_FLOW', set: 'MS_DF_NO_SUCH_FLOW' }, 422, 'invalid-metadata-set');
  t.match(flow.problem.errors, [{ field: 'dataflow', message: /unknown dataflow/ }]);
});

t.test('422: a release that does not exist or does not publish the dataflow names `release`', async (t) => {
  const unknown = await refused(t, 'POST', BASE, reportBody('1.2.0', 'NO-SUCH-RELEASE'), 422, 'invalid-metadata-set');
  t.match(unknown.problem.errors, [{ field: 'release', pointer: '#/release', message: /no release has the code "NO-SUCH-RELEASE"/ }]);
  const other = await refused(t, 'POST', BASE, reportBody('1.2.0', 'PRISONS-NEXT'), 422, 'invalid-metadata-set');
  t.match(other.problem.errors, [{ field: 'release', message: /publishes UNODC:DF_CTS_PRISONS\(1\.0\), not UNODC:DF_CTS_HOMICIDE\(1\.0\)/ }]);
});

t.test('400: a body of the wrong shape, every field at fault named; audited', async (t) => {
  const body = { ...reportBody('1.2.0', 'NEXT'), extra: true, sources: 'UNODC' };
  delete (body as Json).name;
  const { problem, audit } = await refused(t, 'POST', BASE, body, 400, 'invalid-request');
  const pointers = (problem.errors as Json[]).map((e) => e.pointer).sort();
  t.same(pointers, ['#/extra', '#/name', '#/sources'], 'each field by JSON pointer');
  t.match(audit, { target: HOMICIDE, detail: { set: 'MS_DF_CTS_HOMICIDE', version: '1.2.0', release: 'NEXT', status: 400 } });
  const notJson = await call('POST', BASE, 'set: MS_DF_CTS_HOMICIDE');
  t.equal(notJson.statusCode, 415, 'JSON only');
  t.match(lastAudit(), { action: 'metadata.create', outcome: 'failure', detail: { status: 415 } });
});

t.test('409: a taken version (over the API or from a file), a public or cancelled release', async (t) => {
  const taken = await refused(t, 'POST', BASE, reportBody('1.1.0', 'DRAFT'), 409, 'metadata-set-exists', /MS_DF_CTS_HOMICIDE version 1\.1\.0 already exists, written over the API/);
  t.match(taken.audit, { target: HOMICIDE, detail: { set: 'MS_DF_CTS_HOMICIDE', version: '1.1.0', status: 409, type: 'metadata-set-exists' } });
  t.match(taken.problem.detail, /PUT \/api\/v1\/metadata-sets\/MS_DF_CTS_HOMICIDE\/1\.1\.0/, 'says how to change it');
  await refused(t, 'POST', BASE, reportBody('1.0.0', 'NEXT'), 409, 'metadata-set-exists', /from the file metadata\/DF_CTS_HOMICIDE\/report-1\.0\.0\.yaml: publish a new version instead \(e\.g\. 1\.0\.1\)/);
  const pub = await refused(t, 'POST', BASE, reportBody('1.2.0', 'PUB-2020'), 409, 'metadata-release-closed', /release PUB-2020 is already public \(since 2020-06-01T08:00:00\.000Z\): content attached to it would appear without announcement/);
  t.match(pub.audit, { detail: { release: 'PUB-2020', type: 'metadata-release-closed' } });
  await refused(t, 'POST', BASE, reportBody('1.2.0', 'CANCELLED'), 409, 'metadata-release-closed', /release CANCELLED is cancelled/);
});

t.test('PUT: replaces a version before its instant; the URL and body must agree; file versions are the files\'', async (t) => {
  const url = `${BASE}/MS_DF_CTS_HOMICIDE/1.1.0`;
  const before = (await call('GET', url)).json() as Json;
  const rowsBefore = rows();
  const body = { ...before.content, release: 'DRAFT', name: { en: 'Homicide: report (revised)', es: 'Homicidio: informe (revisado)' } };
  clock.set('2026-11-22T09:00:00.000Z');
  const res = await call('PUT', url, body);
  t.equal(res.statusCode, 200);
  const replaced = res.json() as Json;
  t.match(replaced, { version: '1.1.0', release: 'DRAFT', state: 'draft', releaseState: 'draft', createdAt: '2026-11-22T09:00:00.000Z' });
  t.same(replaced.content.name, body.name, 'the new content');
  t.not(replaced.sha256, before.sha256);
  t.equal(rows(), rowsBefore, 'replaced, not added');
  t.match(lastAudit(), { action: 'metadata.update', target: HOMICIDE, outcome: 'success', detail: { set: 'MS_DF_CTS_HOMICIDE', version: '1.1.0', release: 'DRAFT', sha256: replaced.sha256 } });

  // Back to NEXT with the GET's content unchanged otherwise: a round trip.
  const again = await call('PUT', url, { ...replaced.content, release: 'NEXT' });
  t.equal(again.statusCode, 200);
  t.match(again.json(), { release: 'NEXT', state: 'embargoed' });

  const mismatch = await refused(t, 'PUT', url, reportBody('1.3.0', 'NEXT'), 422, 'invalid-metadata-set');
  t.match(mismatch.problem.errors, [{ field: 'version', message: /not the version the URL names \(1\.1\.0\)/ }]);
  await refused(t, 'PUT', `${BASE}/MS_DF_CTS_HOMICIDE/1.9.0`, reportBody('1.9.0', 'NEXT'), 404, 'not-found');
  const file = await refused(t, 'PUT', `${BASE}/MS_DF_CTS_HOMICIDE/1.0.0`, reportBody('1.0.0', 'NEXT'), 409, 'metadata-set-file-owned', /comes from the file metadata\/DF_CTS_HOMICIDE\/report-1\.0\.0\.yaml: files own their versions/);
  t.match(file.audit, { target: HOMICIDE, detail: { set: 'MS_DF_CTS_HOMICIDE', version: '1.0.0', type: 'metadata-set-file-owned' } });
  await refused(t, 'PUT', url, { ...replaced.content, release: 'PUB-2020' }, 409, 'metadata-release-closed');
  clock.set(T0);
});

t.test('visible exactly at its release instant; a public version is never rewritten', async (t) => {
  const atInstant = async (iso: string) => {
    clock.set(iso);
    return (await app.metadata.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: 'all' })).map((s) => [s.version, s.validFrom]);
  };
  const justBefore = new Date(Date.parse(NEXT_AT) - 1).toISOString();
  t.same(await atInstant(justBefore), [], '1 ms before: absent');
  const listedBefore = ((await call('GET', BASE)).json() as Json).metadataSets.find((s: Json) => s.id === 'MS_DF_CTS_HOMICIDE' && s.version === '1.1.0');
  t.match(listedBefore, { state: 'embargoed', editable: true });
  t.same(await atInstant(NEXT_AT), [['1.1.0', NEXT_AT]], 'at the instant: public, valid from it');
  const [set] = await app.metadata.sets({ setId: 'MS_DF_CTS_HOMICIDE' });
  t.same(set!.name, { en: 'Homicide: report (revised)', es: 'Homicidio: informe (revisado)' }, 'the last content written before the instant');
  const listed = ((await call('GET', BASE)).json() as Json).metadataSets.find((s: Json) => s.id === 'MS_DF_CTS_HOMICIDE' && s.version === '1.1.0');
  t.match(listed, { state: 'public', editable: false });

  const url = `${BASE}/MS_DF_CTS_HOMICIDE/1.1.0`;
  const { content } = (await call('GET', url)).json() as Json;
  const r = await refused(t, 'PUT', url, { ...content, release: 'DRAFT' }, 409, 'metadata-set-public', /is public since 2026-12-01T08:00:00\.000Z \(release NEXT\): a public version is never rewritten; publish a new version \(e\.g\. 1\.1\.1\)/);
  t.match(r.audit, { detail: { type: 'metadata-set-public', status: 409 } });
  await refused(t, 'POST', BASE, reportBody('1.2.0', 'NEXT'), 409, 'metadata-release-closed', /release NEXT is already public/);
  await refused(t, 'POST', BASE, reportBody('1.1.0', 'DRAFT'), 409, 'metadata-set-exists', /publish a new version instead \(e\.g\. 1\.1\.1\)/);
  const next = await call('POST', BASE, reportBody('1.1.1', 'DRAFT'));
  t.equal(next.statusCode, 201, 'a new version may be written for a later release');
  t.same((await app.metadata.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: 'all' })).map((s) => s.version), ['1.1.0'], 'and stays invisible');
});
