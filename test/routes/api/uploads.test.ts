/**
 * POST /api/v1/uploads end to end, on the real demo data: our own exports of the Eurostat
 * dataflow (every SDMX format) are uploaded back as staged data; the real Eurostat SDMX-CSV,
 * as published with Eurostat's own DSD, is refused with the reasons; one broken line per rule
 * is found with its line number; a refused upload leaves every table as it was; the same bytes
 * twice store once; roles are enforced and every attempt is audited.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { testApp } from '../../helpers/app.js';
import { DATA } from '../../helpers/shared.js';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';

const FLOW = 'UNODC:DF_ESTAT_CRIM_OFF_CAT(1.0)';
const FLOW_PATH = '/sdmx/2.1/data/DF_ESTAT_CRIM_OFF_CAT';
const dir = mkdtempSync(path.join(tmpdir(), 'uploads-'));
const databaseFile = path.join(dir, 'uploads.sqlite');
const app = await testApp({ clock: fixedClock('2026-11-21T12:00:00.000Z'), env: { DATABASE_URL: databaseFile, DEMO_DATA: 'on' } });
t.teardown(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (role: 'producer' | 'publisher' | 'admin', dataflows: string[] = []) =>
  app.tokens.create({ name: `${role}-test`, role, dataflows, createdBy: 'cli' }).token;
const producer = token('producer', [FLOW]);
const otherProducer = token('producer', ['UNODC:DF_CTS_HOMICIDE(1.0)']);

function upload(body: string | Buffer, opts: { token?: string; query?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/uploads?${opts.query ?? `dataflow=${encodeURIComponent(FLOW)}`}`,
    headers: {
      ...(opts.token === '' ? {} : { authorization: `Bearer ${opts.token ?? producer}` }),
      'content-type': opts.contentType ?? MEDIA.dataCsv10,
      ...opts.headers,
    },
    payload: body,
  });
}

/** Every table but the audit log, hashed row by row: "exactly as before" made checkable. */
function databaseFingerprint(): string {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_events', 'api_tokens') ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) {
      hash.update(name);
      const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as unknown[]).map((_, i) => i + 1).join(', ');
      // The audit log and token use grow with every request, refused or not: left out, with their counters.
      const where = name === 'sqlite_sequence' ? " WHERE name NOT IN ('audit_events', 'api_tokens')" : '';
      for (const row of db.prepare(`SELECT * FROM "${name}"${where} ORDER BY ${columns}`).raw().iterate()) hash.update(JSON.stringify(row));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

const PROBLEMS = 'https://iccs-sdmx.org/problems/';
/** The answer is a problem document with this status, type (catalogue code), the status's reason phrase as title, and detail. */
function isProblem(t: Test, res: { statusCode: number; headers: Record<string, unknown>; json: () => any }, status: number, code: string, title: string, detail: string | RegExp, what = code) { // eslint-disable-line @typescript-eslint/no-explicit-any
  t.equal(res.statusCode, status, `${what}: ${status}`);
  t.equal(res.headers['content-type'], 'application/problem+json', `${what}: problem+json`);
  t.match(res.json(), { type: `${PROBLEMS}${code}`, title, status, detail }, `${what}: type, title, detail`);
}

const exportCsv = (await app.inject({ url: `${FLOW_PATH}?format=csv` })).body;
const exportRows = exportCsv.trim().split('\n').length - 1;
t.ok(exportRows > 10_000, `the public Eurostat dataflow has ${exportRows} observations`);

t.test('our own export in every SDMX format uploads back whole', async (t) => {
  const formats: [string, string][] = [
    [MEDIA.dataCsv10, MEDIA.dataCsv10],
    [MEDIA.dataCsv20, MEDIA.dataCsv20],
    [MEDIA.genericDataMl21, MEDIA.genericDataMl21],
    [MEDIA.structureSpecificDataMl21, MEDIA.structureSpecificDataMl21],
    [MEDIA.dataMl30, MEDIA.dataMl30],
    [MEDIA.dataJson10, MEDIA.dataJson10],
    [MEDIA.dataJson20, MEDIA.dataJson20],
  ];
  const publicBefore = (await app.inject({ url: `${FLOW_PATH}?format=csv` })).body;
  for (const [accept, contentType] of formats) {
    const exported = await app.inject({ url: FLOW_PATH, headers: { accept } });
    t.equal(exported.statusCode, 200, `export as ${accept}`);
    const res = await upload(exported.rawPayload, { contentType });
    t.equal(res.statusCode, 201, `${contentType}: ${res.statusCode === 201 ? 'stored' : res.body.slice(0, 400)}`);
    const body = res.json();
    t.match(body, { dataflow: FLOW, provider: 'UNODC:ESTAT', observations: exportRows, release: { state: 'draft' } }, contentType);
    t.equal(res.headers.location, `/api/v1/uploads/${body.uploadId}`);
    const fetched = await app.inject({ url: res.headers.location as string, headers: { authorization: `Bearer ${producer}` } });
    t.equal(fetched.json().observations, exportRows);
  }
  t.equal((await app.inject({ url: `${FLOW_PATH}?format=csv` })).body, publicBefore, 'staged uploads change nothing public');
});

t.test('the same bytes twice are stored once', async (t) => {
  const belgium = (await app.inject({ url: `${FLOW_PATH}/A.BEL......?format=csv` })).body;
  const first = await upload(belgium);
  t.equal(first.statusCode, 201);
  const release = first.json().release.code;
  const again = await upload(belgium, { query: `dataflow=${encodeURIComponent(FLOW)}&release=${release}` });
  t.equal(again.statusCode, 200);
  t.match(again.json(), { uploadId: first.json().uploadId, replayed: true, observations: first.json().observations });
  const gzipped = await upload(gzipSync(belgium), { query: `dataflow=${encodeURIComponent(FLOW)}&release=${release}`, headers: { 'content-encoding': 'gzip' } });
  t.equal(gzipped.statusCode, 200, 'gzip-encoded, the same content');
  t.equal(gzipped.json().uploadId, first.json().uploadId);
});

t.test('the real Eurostat SDMX-CSV, with Eurostat\'s own DSD, is refused with its reasons', async (t) => {
  const before = databaseFingerprint();
  const file = readFileSync(path.join(DATA.eurostat, 'estat_crim_off_cat_sdmx-csv.csv'));
  const res = await upload(file);
  isProblem(t, res, 422, 'invalid-upload', 'Unprocessable Content', /^\d+ problems found in \d+ records; nothing was stored$/);
  const problem = res.json();
  t.same(Object.keys(problem), ['type', 'title', 'status', 'detail', 'format', 'totalErrors', 'errorsByRule', 'truncated', 'errors'], 'the members, in order');
  t.equal(problem.format, 'sdmx-csv-1.0');
  t.match(problem.errors[0], { at: 'line 2', rule: 'wrong-structure', value: 'ESTAT:CRIM_OFF_CAT(1.0)' });
  const rules = new Set(problem.errors.map((e: { rule: string }) => e.rule));
  for (const rule of ['wrong-structure', 'unknown-component', 'missing-dimension']) t.ok(rules.has(rule), rule);
  t.ok(problem.errors.some((e: { component?: string }) => e.component === 'geo'), 'names the unknown column geo');
  t.ok(problem.totalErrors > problem.errors.length, 'counts more than it lists');
  t.equal(problem.truncated, true);
  t.equal(databaseFingerprint(), before, 'the database is exactly as before');
});

/** Our export with one line changed; `line` is the 1-based line in the file. */
function breakLine(line: number, change: (cells: string[], header: string[]) => void): string {
  const lines = exportCsv.trim().split('\n');
  const header = lines[0]!.split(',');
  const cells = lines[line - 1]!.split(',');
  change(cells, header);
  lines[line - 1] = cells.join(',');
  return `${lines.join('\n')}\n`;
}
const set = (id: string, value: string) => (cells: string[], header: string[]) => {
  cells[header.indexOf(id)] = value;
};

t.test('each rule, on one broken line of a real export', async (t) => {
  const header = exportCsv.split('\n')[0]!;
  t.match(header, /^DATAFLOW,FREQ,REF_AREA,INDICATOR,OFFENCE,SEX,AGE,DISAGGREGATION,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE/);
  const cases: [rule: string, body: string, line: string, component?: string][] = [
    ['unknown-code', breakLine(7, set('REF_AREA', 'XXX')), 'line 7', 'REF_AREA'],
    ['not-allowed', breakLine(8, set('INDICATOR', 'VIC_HOM')), 'line 8', 'INDICATOR'],
    ['malformed-period', breakLine(9, set('TIME_PERIOD', '20x9')), 'line 9', 'TIME_PERIOD'],
    ['period-frequency', breakLine(10, set('TIME_PERIOD', '2015-Q3')), 'line 10', 'TIME_PERIOD'],
    ['microdata', breakLine(11, set('TIME_PERIOD', '2015-06-30')), 'line 11', 'TIME_PERIOD'],
    ['not-numeric', breakLine(12, set('OBS_VALUE', 'twelve')), 'line 12', 'OBS_VALUE'],
    ['not-a-count', breakLine(13, set('OBS_VALUE', '-12')), 'line 13', 'OBS_VALUE'],
    ['missing-mandatory-attribute', breakLine(14, set('OBS_STATUS', '')), 'line 14', 'OBS_STATUS'],
    ['missing-dimension', breakLine(15, set('SEX', '')), 'line 15', 'SEX'],
    ['missing-value', breakLine(16, set('OBS_VALUE', '')), 'line 16', 'OBS_VALUE'],
    ['wrong-structure', breakLine(17, set('DATAFLOW', 'UNODC:DF_CTS_HOMICIDE(1.0)')), 'line 17'],
    [
      'duplicate-observation',
      (() => {
        const lines = exportCsv.trim().split('\n');
        return `${[...lines, lines[4]].join('\n')}\n`;
      })(),
      `line ${exportRows + 2}`,
    ],
    [
      'unknown-component',
      `${exportCsv
        .trim()
        .split('\n')
        .map((l, i) => (i === 0 ? l.replace('DATAFLOW,', 'DATAFLOW,REMARK,') : l.replace(',', ',checked,')))
        .join('\n')}\n`,
      'line 2',
      'REMARK',
    ],
  ];
  const before = databaseFingerprint();
  for (const [rule, body, at, component] of cases) {
    const res = await upload(body);
    t.equal(res.statusCode, 422, rule);
    const problem = res.json();
    t.same(Object.keys(problem.errorsByRule), [rule], `${rule}: the only rule broken`);
    t.match(problem.errors[0], { rule, at, ...(component ? { component } : {}) }, `${rule}: located`);
  }
  t.equal(databaseFingerprint(), before, 'no refused upload left anything behind');
});

t.test('files that cannot be read, formats, sizes', async (t) => {
  const before = databaseFingerprint();
  const xml = await upload('<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><unclosed>', { contentType: MEDIA.genericDataMl21 });
  isProblem(t, xml, 400, 'unreadable-upload', 'Bad Request', '1 problem found in 0 records; nothing was stored');
  t.match(xml.json(), { format: 'sdmx-ml-2.1-generic', totalErrors: 1, errorsByRule: { unreadable: 1 }, truncated: false, errors: [{ rule: 'unreadable' }] });
  const empty = await upload('DATAFLOW,FREQ\n');
  isProblem(t, empty, 422, 'invalid-upload', 'Unprocessable Content', '1 problem found in 0 records; nothing was stored');
  t.match(empty.json(), { totalErrors: 1, errorsByRule: { 'empty-upload': 1 }, truncated: false, errors: [{ rule: 'empty-upload' }] });
  const pdf = await upload('%PDF-1.7 binary', { contentType: 'application/pdf' });
  isProblem(t, pdf, 415, 'upload-refused', 'Unsupported Media Type', 'Content-Type application/pdf is not a data format we read (SDMX-ML, SDMX-JSON, SDMX-CSV or CSV)');
  const national = await upload('NATIONAL_OFFENCE,REF_AREA\n1.1,AUT\n', { contentType: 'text/csv' });
  isProblem(t, national, 400, 'upload-refused', 'Bad Request', /^The file is a plain CSV: name the correspondence table .* with \?mapping=AGENCY:ID\(VERSION\), or send SDMX-CSV$/, 'a plain CSV needs a correspondence table');
  const badGzip = await upload('not gzip', { headers: { 'content-encoding': 'gzip' } });
  isProblem(t, badGzip, 400, 'upload-refused', 'Bad Request', 'Content-Encoding says gzip, but the body is not valid gzip');
  t.match(app.audit.list({ action: 'upload.create', limit: 1 })[0], { outcome: 'refused', detail: { status: 400, reason: 'Content-Encoding says gzip, but the body is not valid gzip' } }, 'audited');
  t.equal(databaseFingerprint(), before);
});

t.test('query parameters are checked', async (t) => {
  const cases: [query: string, status: number, title: string, detail: string | RegExp][] = [
    ['', 400, 'Bad Request', 'Name the dataflow the file belongs to: ?dataflow=AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)'],
    ['dataflow=DF_ESTAT_CRIM_OFF_CAT', 400, 'Bad Request', '"DF_ESTAT_CRIM_OFF_CAT" is not AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)'],
    ['dataflow=UNODC:DF_NOPE(1.0)', 404, 'Not Found', 'There is no dataflow UNODC:DF_NOPE(1.0)'],
    [`dataflow=${encodeURIComponent(FLOW)}&provider=UNODC:UNODC`, 409, 'Conflict', `Provider UNODC:UNODC has no provision agreement for ${FLOW}; providers: UNODC:ESTAT`],
    [`dataflow=${encodeURIComponent(FLOW)}&provider=nonsense`, 400, 'Bad Request', '"nonsense" is not AGENCY:ID, e.g. UNODC:UNODC'],
    [`dataflow=${encodeURIComponent(FLOW)}&release=NO-SUCH-RELEASE`, 404, 'Not Found', 'There is no release NO-SUCH-RELEASE'],
    [`dataflow=${encodeURIComponent(FLOW)}&release=UNCTS-2024`, 409, 'Conflict', 'Release UNCTS-2024 is published; data can only be added to a draft release'],
    [`dataflow=${encodeURIComponent(FLOW)}&mapping=bad`, 400, 'Bad Request', '"bad" is not AGENCY:ID(VERSION)'],
    [`dataflow=${encodeURIComponent(FLOW)}&mapping=${encodeURIComponent('UNODC:MAP_NOPE(1.0)')}`, 404, 'Not Found', 'There is no correspondence table UNODC:MAP_NOPE(1.0)'],
  ];
  for (const [query, status, title, detail] of cases) {
    const res = await upload(exportCsv, { query });
    isProblem(t, res, status, 'upload-refused', title, detail, `?${query}`);
    t.match(app.audit.list({ action: 'upload.create', limit: 1 })[0], { outcome: 'refused', detail: { status, reason: detail } }, `?${query}: audited`);
  }
  const granted = await upload(exportCsv, { token: otherProducer });
  isProblem(t, granted, 403, 'upload-refused', 'Forbidden', /^Token tok_[0-9a-f]+ may not upload to UNODC:DF_ESTAT_CRIM_OFF_CAT\(1\.0\)$/, 'a dataflow not granted');
});

t.test('roles: only a producer granted the dataflow may upload; every attempt is audited', async (t) => {
  const cases: [who: string, bearer: string, status: number][] = [
    ['no token', '', 401],
    ['unknown token', 'iccs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 401],
    ['publisher', token('publisher'), 403],
    ['admin', token('admin'), 403],
    ['producer of another dataflow', otherProducer, 403],
  ];
  for (const [who, bearer, status] of cases) {
    const res = await upload(exportCsv, { token: bearer });
    t.equal(res.statusCode, status, who);
    t.equal(res.headers['content-type'], 'application/problem+json', who);
  }
  const revoked = app.tokens.create({ name: 'revoked', role: 'producer', dataflows: [FLOW], createdBy: 'cli' });
  app.tokens.revoke(revoked.info.tokenId);
  t.equal((await upload(exportCsv, { token: revoked.token })).statusCode, 401, 'revoked token');

  const audit = app.audit.list({ action: 'upload.create', limit: 200 });
  t.ok(audit.some((e) => e.outcome === 'success'), 'stored uploads audited');
  t.ok(audit.some((e) => e.outcome === 'failure'), 'invalid uploads audited');
  t.ok(audit.some((e) => e.outcome === 'refused'), 'refused uploads audited');
  t.ok(app.audit.list({ action: 'auth.forbidden', limit: 50 }).some((e) => e.target === 'POST /api/v1/uploads'), 'wrong role audited');
  const another = await app.inject({ url: `/api/v1/uploads/${String(audit.find((e) => e.outcome === 'success')!.detail.uploadId)}`, headers: { authorization: `Bearer ${otherProducer}` } });
  isProblem(t, another, 404, 'not-found', 'Not Found', /^No upload upl_[0-9a-f]+ that this token may see$/, 'another producer cannot see the upload');
});
