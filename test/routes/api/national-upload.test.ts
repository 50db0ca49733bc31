/**
 * A police file with national offence codes, end to end: a publisher defines the
 * correspondence table over the API (and it is served as an SDMX structure), a producer uploads
 * a plain CSV mapped through it, national codes that share an ICCS code add up, and once the
 * draft is published the SDMX API serves the ICCS figures. Codes that are unmapped, ambiguous
 * or declared without ICCS counterpart are reported, never guessed; parts that cannot be
 * added up are refused. Also the roles and the audit of the table endpoints.
 */
import t from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { dataApp } from '../../helpers/data-app.js';
import { NATIONAL_POLICE_CSV } from '../../fixtures/correspondence/national-police.js';

const NOW = '2026-11-21T12:00:00.000Z';
const FLOW = 'UNODC:DF_CTS_OFFENCES(1.0)';
const TABLE = 'UNODC/MAP_XYZ_POLICE_ICCS/1.0';
const MAPPING = 'UNODC:MAP_XYZ_POLICE_ICCS(1.0)';
const { app, repositories } = await dataApp([], { clock: fixedClock(NOW) });
t.teardown(() => app.close());

const issue = (role: 'producer' | 'publisher' | 'admin', dataflows: string[] = []) => app.tokens.create({ name: role, role, dataflows, createdBy: 'cli' }).token;
const publisher = issue('publisher');
const producer = issue('producer', [FLOW]);
const admin = issue('admin');
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const PROBLEMS = 'https://iccs-sdmx.org/problems/';

const putTable = (token: string | undefined, body = NATIONAL_POLICE_CSV) =>
  app.inject({
    method: 'PUT',
    url: `/api/v1/correspondence-tables/${TABLE}?name=${encodeURIComponent('XYZ police offences to ICCS')}&codelistId=CL_OFFENCE_XYZ_POLICE`,
    headers: { ...(token ? auth(token) : {}), 'content-type': 'text/csv' },
    payload: body,
  });

const HEADER = 'REF_AREA,TIME_PERIOD,NATIONAL_OFFENCE,FREQ,INDICATOR,SEX,AGE,DISAGGREGATION,UNIT_MEASURE,OBS_VALUE,OBS_STATUS';
const row = (code: string, value: number | string, status = 'A', year = '2023') => `AUT,${year},${code},A,OFF,_T,_T,_T,NR,${value},${status}`;
const uploadNational = (lines: string[], query = '') =>
  app.inject({
    method: 'POST',
    url: `/api/v1/uploads?dataflow=${encodeURIComponent(FLOW)}&mapping=${encodeURIComponent(MAPPING)}${query}`,
    headers: { ...auth(producer), 'content-type': 'text/csv' },
    payload: `${[HEADER, ...lines].join('\n')}\n`,
  });

t.test('only publishers manage correspondence tables', async (t) => {
  t.equal((await putTable(undefined)).statusCode, 401, 'anonymous');
  t.equal((await putTable(producer)).statusCode, 403, 'producer');
  t.equal((await putTable(admin)).statusCode, 403, 'admin');
  const created = await putTable(publisher);
  t.equal(created.statusCode, 201, created.body.slice(0, 300));
  t.match(created.json(), { agencyId: 'UNODC', id: 'MAP_XYZ_POLICE_ICCS', nationalCodes: 21, ambiguous: ['KID-01'], unmapped: ['MSC-01'] });
  t.equal((await putTable(publisher)).statusCode, 200, 'replacing the same table');
  const audit = app.audit.list({ action: 'correspondence.save', limit: 10 });
  t.same(audit.map((e) => e.outcome), ['success', 'success']);
  t.ok(app.audit.list({ action: 'auth.forbidden', limit: 10 }).some((e) => e.target?.startsWith('PUT /api/v1/correspondence-tables')));

  const broken = await putTable(publisher, 'NATIONAL_CODE,ICCS_CODE\nX-1,9999\n');
  t.equal(broken.statusCode, 422);
  t.same(broken.json(), {
    type: `${PROBLEMS}invalid-correspondence-table`,
    title: 'Unprocessable Content',
    status: 422,
    detail: '1 problem in the CSV; nothing was stored',
    errors: [{ line: 2, column: 'ICCS_CODE', value: '9999', message: '"9999" is not an ICCS code (not in CL_ICCS nor among the extra codes of CL_OFFENCE)' }],
  });
  t.match(app.audit.list({ action: 'correspondence.save', limit: 1 })[0], { outcome: 'failure', detail: { reason: '1 problem in the CSV; nothing was stored' } });
  const unnamed = await app.inject({ method: 'PUT', url: `/api/v1/correspondence-tables/${TABLE}`, headers: { ...auth(publisher), 'content-type': 'text/csv' }, payload: NATIONAL_POLICE_CSV });
  t.same(unnamed.json(), {
    type: `${PROBLEMS}invalid-request`,
    title: 'Bad Request',
    status: 400,
    detail: 'A CSV table needs ?name=...&codelistId=... (the table name and the id of its national codelist)',
  });
  const invalid = await app.inject({
    method: 'PUT',
    url: '/api/v1/correspondence-tables/UNODC/MAP_TINY/1',
    headers: auth(publisher),
    payload: { name: 'Tiny table', codelistId: 'CL_TINY', rows: [{ nationalCode: 'A1', iccsCode: '0101' }] },
  });
  t.same(invalid.json(), {
    type: `${PROBLEMS}invalid-correspondence-table`,
    title: 'Unprocessable Content',
    status: 422,
    detail: '1 problem; nothing was stored',
    errors: [{ field: 'version', value: '1', message: 'Expected a version such as 1.0 or 1.0.0' }],
  });
  const clash = await app.inject({
    method: 'PUT',
    url: '/api/v1/correspondence-tables/UNODC/MAP_TINY/1.0',
    headers: auth(publisher),
    payload: { name: 'Tiny table', codelistId: 'CL_ICCS', rows: [{ nationalCode: 'A1', iccsCode: '0101' }] },
  });
  t.same(clash.json(), {
    type: `${PROBLEMS}correspondence-conflict`,
    title: 'Conflict',
    status: 409,
    detail: '1 problem; nothing was stored',
    errors: [{ field: 'codelistId', value: 'CL_ICCS', message: "UNODC:CL_ICCS(1.0) already exists (Codelist) and is not this table's codelist" }],
  });
  t.match(app.audit.list({ action: 'correspondence.save', limit: 1 })[0], { target: 'UNODC:MAP_TINY(1.0)', outcome: 'refused', detail: { problems: 1 } });
  const json = await app.inject({
    method: 'PUT',
    url: '/api/v1/correspondence-tables/UNODC/MAP_TINY/1.0',
    headers: auth(publisher),
    payload: { name: 'Tiny table', codelistId: 'CL_TINY', rows: [{ nationalCode: 'A1', nationalName: 'Murder', iccsCode: '0101' }] },
  });
  t.equal(json.statusCode, 201, 'a table as JSON');
  const badJson = await app.inject({ method: 'PUT', url: '/api/v1/correspondence-tables/UNODC/MAP_TINY/1.0', headers: auth(publisher), payload: { name: 'x', rows: 3 } });
  t.equal(badJson.statusCode, 400);
  t.equal(badJson.headers['content-type'], 'application/problem+json');
  t.match(badJson.json(), { type: `${PROBLEMS}invalid-request`, title: 'Bad Request', status: 400, errors: [{ in: 'body', pointer: '#/codelistId' }, { in: 'body', pointer: '#/rows' }] });
});

t.test('the table is public, as JSON and as SDMX structures', async (t) => {
  const listed = await app.inject({ url: '/api/v1/correspondence-tables' });
  t.equal(listed.statusCode, 200);
  t.ok(listed.json().tables.some((x: { id: string }) => x.id === 'MAP_XYZ_POLICE_ICCS'));
  const one = await app.inject({ url: `/api/v1/correspondence-tables/${TABLE}` });
  t.ok(one.json().rows.some((r: { nationalCode: string; iccsCode?: string }) => r.nationalCode === 'HOM-02' && r.iccsCode === '0101'));
  const sdmx21 = await app.inject({ url: `/sdmx/2.1/structureset/${TABLE}?references=children`, headers: { accept: MEDIA.structureMl21 } });
  t.equal(sdmx21.statusCode, 200);
  t.match(sdmx21.body, /CodelistMap/);
  t.match(sdmx21.body, /CL_OFFENCE_XYZ_POLICE/);
  const sdmx30 = await app.inject({ url: `/sdmx/3.0/structure/representationmap/${TABLE}`, headers: { accept: MEDIA.structureMl30 } });
  t.equal(sdmx30.statusCode, 200);
  t.match(sdmx30.body, /RepresentationMap/);
});

t.test('a police CSV with national codes is mapped, aggregated, staged, then published', async (t) => {
  const res = await uploadNational([row('HOM-01', 10), row('HOM-02', 3), row('ASS-01', 120), row('ASS-03', 7), row('ROB-01', 55), row('HOM-01', 12, 'A', '2022')]);
  t.equal(res.statusCode, 201, res.body.slice(0, 500));
  const upload = res.json();
  t.match(upload, { format: 'csv-national', mapping: MAPPING, series: 3, observations: 4 });

  const before = await app.inject({ url: '/sdmx/2.1/data/DF_CTS_OFFENCES?format=csv' });
  t.equal(before.statusCode, 404, 'staged data is not public');

  const release = repositories.releases.byCode(upload.release.code)!;
  repositories.releases.schedule(release.pk, '2026-11-21T11:00:00.000Z');
  repositories.releases.markPublished(release.pk, '2026-11-21T11:00:00.000Z');
  const served = await app.inject({ url: '/sdmx/2.1/data/DF_CTS_OFFENCES/A.AUT.OFF.._T._T._T.NR?format=csv' });
  t.equal(served.statusCode, 200);
  const values = Object.fromEntries(
    served.body
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .map((c) => [`${c[4]} ${c[9]}`, Number(c[10])]),
  );
  t.same(values, { '0101 2022': 12, '0101 2023': 13, '020111 2023': 127, '0401 2023': 55 }, 'HOM-01+HOM-02 and ASS-01+ASS-03 added up');
});

t.test('national codes that cannot be mapped are reported, never guessed', async (t) => {
  const res = await uploadNational([row('HOM-01', 1), row('XYZ-99', 2), row('KID-01', 3), row('MSC-01', 4), row('HOM-01', 5)]);
  t.equal(res.statusCode, 422);
  const problem = res.json();
  t.same(problem.errorsByRule, { 'unmapped-national-code': 2, 'ambiguous-national-code': 1, 'duplicate-observation': 1 });
  t.match(problem.errors, [
    { at: 'line 3', rule: 'unmapped-national-code', value: 'XYZ-99' },
    { at: 'line 4', rule: 'ambiguous-national-code', value: 'KID-01', message: /020221, 020222/ },
    { at: 'line 5', rule: 'unmapped-national-code', value: 'MSC-01', message: /no ICCS counterpart/ },
    { at: 'line 6', rule: 'duplicate-observation' },
  ]);
});

t.test('parts that cannot be added up are refused', async (t) => {
  const res = await uploadNational([row('HOM-01', 10, 'A', '2021'), row('HOM-02', 3, 'E', '2021')]);
  t.equal(res.statusCode, 422);
  t.match(res.json().errors, [{ rule: 'aggregation-conflict', message: /HOM-01, HOM-02|HOM-02, HOM-01/ }]);
});

t.test('a table is removed by a publisher only', async (t) => {
  const url = '/api/v1/correspondence-tables/UNODC/MAP_TINY/1.0';
  // Asked twice before the removal: the SDMX answer is then kept in the response cache.
  const sdmx = '/sdmx/3.0/structure/representationmap/UNODC/MAP_TINY/1.0';
  t.equal((await app.inject({ url: sdmx })).statusCode, 200);
  t.equal((await app.inject({ url: sdmx })).statusCode, 200);
  t.equal((await app.inject({ method: 'DELETE', url, headers: auth(producer) })).statusCode, 403);
  t.equal((await app.inject({ method: 'DELETE', url, headers: auth(publisher) })).statusCode, 204);
  t.equal((await app.inject({ url: sdmx })).statusCode, 404, 'a kept structure answer never outlives the structure');
  const gone = await app.inject({ method: 'DELETE', url, headers: auth(publisher) });
  t.same(gone.json(), { type: `${PROBLEMS}not-found`, title: 'Not Found', status: 404, detail: 'No correspondence table UNODC:MAP_TINY(1.0)' });
  t.match(app.audit.list({ action: 'correspondence.remove', limit: 1 })[0], { target: 'UNODC:MAP_TINY(1.0)', outcome: 'failure', detail: { reason: 'not found' } });
  const read = await app.inject({ url });
  t.equal(read.headers['content-type'], 'application/problem+json');
  t.same(read.json(), { type: `${PROBLEMS}not-found`, title: 'Not Found', status: 404, detail: 'No correspondence table UNODC:MAP_TINY(1.0)' });
  const mapped = await uploadNational([row('HOM-01', 1)], '').then(() => app.inject({
    method: 'POST',
    url: `/api/v1/uploads?dataflow=${encodeURIComponent(FLOW)}&mapping=${encodeURIComponent('UNODC:MAP_TINY(1.0)')}`,
    headers: { ...auth(producer), 'content-type': 'text/csv' },
    payload: `${HEADER}\n${row('A1', 1)}\n`,
  }));
  t.equal(mapped.statusCode, 404, 'uploads cannot use a removed table');
  t.same(mapped.json(), { type: 'https://iccs-sdmx.org/problems/upload-refused', title: 'Not Found', status: 404, detail: 'There is no correspondence table UNODC:MAP_TINY(1.0)' });
});
