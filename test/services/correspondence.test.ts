/**
 * Correspondence tables end to end below HTTP: saved as a codelist and a RepresentationMap over
 * the real structures, looked up (mapped, many-to-one, ambiguous, unmapped), replaced and removed
 * whole, refused without a trace when invalid or clashing, and kept by start-up synchronisation
 * across a restart on a database file.
 */
import t, { type Test } from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Codelist, RepresentationMap } from '../../src/sdmx/model.js';
import { parseStructureRequest } from '../../src/sdmx/rest/structure-request.js';
import { StructureService } from '../../src/services/structure-service.js';
import { StructureLoadError } from '../../src/services/structure-files.js';
import { ServiceError } from '../../src/errors.js';
import {
  CorrespondenceService,
  type CorrespondenceDefinition,
  type CorrespondenceProblem,
} from '../../src/services/correspondence/correspondence-service.js';
import type { CorrespondenceRow } from '../../src/services/correspondence/rows.js';
import { StorageConflictError, type Repositories } from '../../src/storage/repositories.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { NATIONAL_POLICE_CSV } from '../fixtures/correspondence/national-police.js';
import { REPO_ROOT } from '../helpers/shared.js';

const { migrationsDir } = loadConfig({});
const SDMX_DIR = path.join(REPO_ROOT, 'sdmx');
const dir = mkdtempSync(path.join(tmpdir(), 'iccs-correspondence-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function open(t: Test, file = ':memory:', structuresDir = SDMX_DIR) {
  const clock = fixedClock('2026-03-01T10:00:00.000Z');
  const repositories = sqliteRepositories(file, migrationsDir);
  t.teardown(() => repositories.close());
  const loaded = StructureService.load(repositories, structuresDir, clock);
  const service = new CorrespondenceService(loaded.service, clock);
  return { clock, repositories, structures: loaded.service, report: loaded.report, service };
}

function policeRows(service: CorrespondenceService): CorrespondenceRow[] {
  const parsed = service.parseCsv(NATIONAL_POLICE_CSV);
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rows;
}

const policeTable = (rows: readonly CorrespondenceRow[]): CorrespondenceDefinition => ({
  agencyId: 'UNODC',
  id: 'MAP_XYZ_POLICE_ICCS',
  version: '1.0',
  name: { en: 'XYZ police offences to ICCS', es: 'Delitos de la policía XYZ a la ICCS' },
  codelistId: 'CL_OFFENCE_XYZ_POLICE',
  rows,
});

const mapQuery = (id = 'MAP_XYZ_POLICE_ICCS') => parseStructureRequest('2.1', ['structureset', 'UNODC', id, '1.0'], {});

function snapshot(repositories: Repositories) {
  return repositories.structures.all().map((s) => [s.source, s.sha256, s.storedAt]);
}

t.test('a table is stored as a codelist and a map, and looked up', async (t) => {
  const { structures, service } = open(t);
  const saved = service.save(policeTable(policeRows(service)), 'alice');
  t.equal(saved.created, true);
  t.same(saved.artefacts.map((r) => `${r.class}=${r.id}`), ['Codelist=CL_OFFENCE_XYZ_POLICE', 'RepresentationMap=MAP_XYZ_POLICE_ICCS']);

  const codelist = structures.registry.get(saved.artefacts[0]) as Codelist;
  t.equal(codelist.items.length, 21, 'one code per national code, KID-01 once');
  t.same(codelist.items[0], { id: 'HOM-01', name: { en: 'Murder', es: 'Asesinato' } });
  t.same(codelist.items.find((c) => c.id === 'MSC-01')?.name, { en: 'Breach of a local by-law' }, 'the unmapped code is listed');
  t.equal(codelist.name.en, 'National offence codes: XYZ police offences to ICCS');
  const map = structures.registry.get(saved.artefacts[1]) as RepresentationMap;
  t.same(map.target, { class: 'Codelist', agencyID: 'UNODC', id: 'CL_ICCS', version: '1.0' }, 'targets CL_ICCS');
  t.equal(map.mappings.length, 21);
  t.equal(map.isFinal, false, 'replaceable');
  t.equal(structures.storedOf(saved.artefacts[1])?.source, 'api:correspondence:alice');

  const lookup = service.lookup('UNODC', 'MAP_XYZ_POLICE_ICCS');
  if (!lookup) throw new Error('no lookup');
  t.equal(lookup.table, 'UNODC:MAP_XYZ_POLICE_ICCS(1.0)');
  t.same(lookup.map('HOM-01'), { kind: 'mapped', iccs: '0101' }, 'mapped');
  t.same(lookup.map('HOM-02'), { kind: 'mapped', iccs: '0101' }, 'many-to-one: another national code, the same ICCS code');
  t.same(lookup.map('ASS-03'), lookup.map('ASS-01'), 'many-to-one at level 4');
  t.same(lookup.map('KID-01'), { kind: 'ambiguous', iccs: ['020221', '020222'] }, 'one national code, two ICCS codes: never picks one');
  t.same(lookup.map('MSC-01'), { kind: 'unmapped', declared: true }, 'listed without ICCS code');
  t.same(lookup.map('NOPE-99'), { kind: 'unmapped', declared: false }, 'not in the table');
  t.same(lookup.map('hom-01'), { kind: 'unmapped', declared: false }, 'codes are case-sensitive');
  const detached = lookup.map;
  t.same(['HOM-01', 'KID-01'].map(detached).map((r) => r.kind), ['mapped', 'ambiguous'], 'map works detached');

  // The structures publish one correspondence of their own (UN-CTS categories → ICCS).
  const [summary] = service.list().filter((m) => m.id !== 'RM_CTS_ICCS');
  t.match(summary, {
    agencyId: 'UNODC',
    id: 'MAP_XYZ_POLICE_ICCS',
    version: '1.0',
    nationalCodes: 21,
    mappings: 21,
    ambiguous: ['KID-01'],
    unmapped: ['MSC-01'],
    updatedAt: '2026-03-01T10:00:00.000Z',
    updatedBy: 'alice',
  });

  const got = service.get('UNODC', 'MAP_XYZ_POLICE_ICCS');
  const key = (r: CorrespondenceRow) => JSON.stringify([r.nationalCode, r.iccsCode ?? '', r.nationalName ?? '', r.otherNames ?? {}]);
  t.same(got?.definition.rows.map(key).sort(), policeRows(service).map(key).sort(), 'get gives back the rows that were saved');
  t.equal(got?.definition.codelistId, 'CL_OFFENCE_XYZ_POLICE');
  t.equal(service.get('UNODC', 'MAP_XYZ_POLICE_ICCS', '2.0'), undefined);
  t.equal(service.lookup('UNODC', 'NO_SUCH_MAP'), undefined);
});

t.test('replacing a table moves Last-Modified and swaps the codelist', async (t) => {
  const { clock, structures, service, repositories } = open(t);
  service.save(policeTable(policeRows(service)), 'alice');
  const first = structures.query(mapQuery());
  t.equal(first.lastModified.toISOString(), '2026-03-01T10:00:00.000Z');

  clock.set('2026-03-02T08:30:00.000Z');
  const same = service.save(policeTable(policeRows(service)), 'alice');
  t.equal(same.created, false);
  t.equal(structures.query(mapQuery()).lastModified.toISOString(), '2026-03-01T10:00:00.000Z', 'unchanged content keeps its instant');

  clock.set('2026-03-03T09:00:00.000Z');
  const rows = policeRows(service).filter((r) => r.nationalCode !== 'KID-01');
  const replaced = service.save({ ...policeTable(rows), codelistId: 'CL_OFFENCE_XYZ_POLICE_V2' }, 'bob');
  t.equal(replaced.created, false);
  t.same(replaced.removed.map((r) => r.id), ['CL_OFFENCE_XYZ_POLICE'], 'the old codelist goes with the old table');
  t.equal(structures.query(mapQuery()).lastModified.toISOString(), '2026-03-03T09:00:00.000Z', 'Last-Modified moved');
  t.not(JSON.stringify(structures.query(mapQuery()).artefacts), JSON.stringify(first.artefacts), 'the answer (hence the ETag) changed');
  t.notOk(structures.registry.get({ class: 'Codelist', agencyID: 'UNODC', id: 'CL_OFFENCE_XYZ_POLICE', version: '1.0' }));
  t.same(service.lookup('UNODC', 'MAP_XYZ_POLICE_ICCS')?.map('KID-01'), { kind: 'unmapped', declared: false }, 'a new lookup sees the new table');
  t.equal(service.list().find((m) => m.id === 'MAP_XYZ_POLICE_ICCS')!.updatedBy, 'bob');
  t.equal(repositories.structures.all().filter((s) => s.source.startsWith('api:')).length, 2, 'storage holds exactly the new pair');
});

t.test('a row on an extra code of CL_OFFENCE makes the map target CL_OFFENCE', async (t) => {
  const { structures, service } = open(t);
  const rows = [...policeRows(service), { nationalCode: 'COR-09', nationalName: 'Other corruption', iccsCode: '0703_OTH' }];
  const saved = service.save(policeTable(rows), 'alice');
  const map = structures.registry.get(saved.artefacts[1]) as RepresentationMap;
  t.equal(map.target.id, 'CL_OFFENCE');
  t.same(structures.registry.danglingReferences(), [], 'every reference resolves');
});

t.test('removing a table removes its map and codelist', async (t) => {
  const { service, repositories } = open(t);
  const before = snapshot(repositories);
  service.save(policeTable(policeRows(service)), 'alice');
  t.equal(service.remove('UNODC', 'MAP_XYZ_POLICE_ICCS', '2.0', 'alice'), false, 'no such version');
  const removed = service.remove('UNODC', 'MAP_XYZ_POLICE_ICCS', '1.0', 'alice');
  t.same(removed && removed.removed.map((r) => r.id), ['MAP_XYZ_POLICE_ICCS', 'CL_OFFENCE_XYZ_POLICE']);
  t.same(snapshot(repositories), before, 'storage is as before the table');
  t.same(service.list().map((m) => m.id), ['RM_CTS_ICCS'], 'only the published UN-CTS → ICCS map is left');
  t.equal(service.lookup('UNODC', 'MAP_XYZ_POLICE_ICCS'), undefined);
});

t.test('invalid or clashing tables are refused and change nothing', async (t) => {
  const { service, repositories, structures } = open(t);
  const rows = policeRows(service);
  service.save({ ...policeTable(rows), id: 'MAP_OTHER', codelistId: 'CL_OTHER' }, 'alice');
  const before = snapshot(repositories);
  const registryBefore = structures.registry;
  const cases: [string, Partial<CorrespondenceDefinition>, 'invalid' | 'conflict', RegExp][] = [
    ['an unknown agency', { agencyId: 'XYZ_POLICE' }, 'invalid', /agencyId: Unknown agency: the agency schemes list UNODC, ESTAT/],
    ['a malformed agency', { agencyId: '1BAD' }, 'invalid', /agencyId: Not a valid SDMX agency id/],
    ['a malformed version', { version: 'v1' }, 'invalid', /version: Expected a version/],
    ['a map id with a space', { id: 'MAP XYZ' }, 'invalid', /id: Not a valid SDMX id/],
    ['the same id for map and codelist', { codelistId: 'MAP_XYZ_POLICE_ICCS' }, 'invalid', /codelistId: The codelist needs an id of its own/],
    ['no English name', { name: { es: 'Tabla' } }, 'invalid', /name: An English text/],
    ['no rows', { rows: [] }, 'invalid', /rows: The table has no rows/],
    ['no mapped row', { rows: [{ nationalCode: 'MSC-01' }] }, 'invalid', /No national code is mapped/],
    ['an unknown ICCS code', { rows: [...rows, { nationalCode: 'X-1', iccsCode: '0199' }] }, 'invalid', /rows\[22\]\.iccsCode: "0199" is not an ICCS code/],
    ['a duplicate pair', { rows: [...rows, rows[0]] }, 'invalid', /rows\[22\]\.iccsCode: The pair HOM-01 → 0101 is given twice \(first on rows\[0\]\)/],
    ['a codelist id of a file artefact', { codelistId: 'CL_ICCS' }, 'conflict', /UNODC:CL_ICCS\(1\.0\) already exists \(Codelist\)/],
    ['a map id of a file artefact', { id: 'CL_SEX' }, 'conflict', /UNODC:CL_SEX\(1\.0\) is already a Codelist/],
    ['the codelist of another table', { codelistId: 'CL_OTHER' }, 'conflict', /UNODC:CL_OTHER\(1\.0\) already exists/],
    ['a map id that is another table\'s codelist', { id: 'CL_OTHER' }, 'conflict', /is already a Codelist/],
  ];
  for (const [what, change, kind, message] of cases) {
    const err = refusalOf(() => service.save({ ...policeTable(rows), ...change }, 'alice'));
    t.ok(err instanceof ServiceError, `${what}: refused`);
    t.equal((err as ServiceError).code, kind === 'invalid' ? 'invalid-correspondence-table' : 'correspondence-conflict', `${what}: ${kind}`);
    t.match(problemsOf(err), message, `${what}: says why`);
    t.match((err as Error).message, /^\d+ problems?; nothing was stored$/, `${what}: counts the problems`);
  }
  t.match(problemsOf(refusalOf(() => service.save(policeTable(rows), '  '))), /actor: Who saves the table must be given/);
  t.same(snapshot(repositories), before, 'storage unchanged');
  t.equal(structures.registry, registryBefore, 'catalogue not rebuilt');
});

/** The problems a refusal lists (its `errors`), as `field: message; ...`. */
function problemsOf(err: unknown): string {
  const errors = (err as ServiceError).details.extensions?.errors as CorrespondenceProblem[];
  return errors.map((p) => `${p.field}: ${p.message}`).join('; ');
}

function refusalOf(save: () => unknown): unknown {
  try {
    save();
  } catch (e) {
    return e;
  }
  return undefined;
}

t.test('storage: API writes cannot touch file artefacts, and fail whole', async (t) => {
  const { repositories, structures } = open(t);
  const before = snapshot(repositories);
  const iccs = structures.registry.get({ class: 'Codelist', agencyID: 'UNODC', id: 'CL_ICCS', version: '1.0' }) as Codelist;
  const mine: Codelist = { ...iccs, id: 'CL_MINE' };
  t.throws(
    () => repositories.structures.applyApiChange({ store: [{ artefact: mine, source: 'api:test' }, { artefact: iccs, source: 'api:test' }], remove: [] }, '2026-01-01T00:00:00.000Z'),
    StorageConflictError,
    'replacing a file artefact',
  );
  t.throws(() => repositories.structures.applyApiChange({ store: [], remove: [iccs] }, '2026-01-01T00:00:00.000Z'), StorageConflictError, 'removing one');
  t.throws(() => repositories.structures.applyApiChange({ store: [{ artefact: mine, source: 'sdmx/x.xml' }], remove: [] }, '2026-01-01T00:00:00.000Z'), StorageConflictError, 'a non-API source');
  t.same(snapshot(repositories), before, 'nothing written');
});

t.test('start-up keeps API artefacts across a restart', async (t) => {
  const file = path.join(dir, 'restart.sqlite');
  {
    const { service, repositories } = open(t, file);
    service.save(policeTable(policeRows(service)), 'alice');
    repositories.close();
  }
  const { service, report, structures } = open(t, file);
  t.match(report, { added: 0, removed: 0, apiArtefacts: 2, apiProblems: [] }, 'synchronise removed nothing');
  t.same(service.lookup('UNODC', 'MAP_XYZ_POLICE_ICCS')?.map('KID-01'), { kind: 'ambiguous', iccs: ['020221', '020222'] });
  t.equal(structures.query(mapQuery()).lastModified.toISOString(), '2026-03-01T10:00:00.000Z', 'and their storage instant');
});

t.test('start-up refuses structure files that clash with an API artefact', async (t) => {
  const file = path.join(dir, 'clash.sqlite');
  const structuresDir = path.join(dir, 'clash-sdmx');
  cpSync(SDMX_DIR, structuresDir, { recursive: true });
  {
    const { service, repositories } = open(t, file, structuresDir);
    service.save(policeTable(policeRows(service)), 'alice');
    repositories.close();
  }
  // A file now defines the national codelist's identity.
  const sex = readFileSync(path.join(structuresDir, 'codelists/UNODC-CL_SEX-1.0.xml'), 'utf8');
  writeFileSync(path.join(structuresDir, 'codelists/UNODC-CL_OFFENCE_XYZ_POLICE-1.0.xml'), sex.replace(/CL_SEX/g, 'CL_OFFENCE_XYZ_POLICE'));
  let err: unknown;
  try {
    open(t, file, structuresDir);
  } catch (e) {
    err = e;
  }
  t.ok(err instanceof StructureLoadError, 'a structure load error');
  t.match((err as Error).message, /UNODC-CL_OFFENCE_XYZ_POLICE-1\.0\.xml defines UNODC:CL_OFFENCE_XYZ_POLICE\(1\.0\), which was created over the API/, 'naming the file and the artefact');
});
