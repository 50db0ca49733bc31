/**
 * The metadata set repository over real SQLite with the real migrations: file versions
 * synchronise in one transaction, identical bodies keep their instant, a changed body replaces
 * the stored one only when the caller's rule allows it (and otherwise nothing is written),
 * files never touch API versions, and the filters read what they say.
 */
import t from 'tap';
import { loadConfig } from '../../src/config.js';
import { MetadataVersionConflictError, StorageConflictError, type MetadataSetToStore } from '../../src/storage/repositories.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { migrationsDir } = loadConfig({});
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-02-01T00:00:00.000Z';

function item(setID: string, version: string, body: string, overrides: Partial<MetadataSetToStore> = {}): MetadataSetToStore {
  return {
    agencyID: 'UNODC',
    setID,
    version,
    metadataflow: 'Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)',
    dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    area: null,
    releaseCode: 'R1',
    source: `file:metadata/DF_CTS_HOMICIDE/report-${version}.yaml`,
    body,
    ...overrides,
  };
}

const note = (version: string, body: string) =>
  item('MS_DF_CTS_HOMICIDE_KAZ', version, body, {
    metadataflow: 'Metadataflow=UNODC:MDF_CRIME_COUNTRY_NOTE(1.0)',
    area: 'KAZ',
    source: `file:metadata/DF_CTS_HOMICIDE/areas/KAZ-${version}.yaml`,
  });

t.test('file versions synchronise: added, unchanged, replaced when allowed, removed when allowed', async (t) => {
  const repos = sqliteRepositories(':memory:', migrationsDir);
  t.teardown(() => repos.close());
  const first = repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":1}'), note('1.0.0', '{"n":1}')], T0, () => true);
  t.same(first, { added: 2, replaced: 0, unchanged: 0, removed: 0, kept: [] });
  const stored = repos.metadataSets.find();
  t.equal(stored.length, 2);
  t.match(stored[0], { setID: 'MS_DF_CTS_HOMICIDE', version: '1.0.0', area: null, releaseCode: 'R1', createdAt: T0, sha256: /^[0-9a-f]{64}$/ });

  const again = repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":1}'), note('1.0.0', '{"n":1}')], T1, () => false);
  t.same(again, { added: 0, replaced: 0, unchanged: 2, removed: 0, kept: [] }, 'identical bodies are left alone, whatever the rule');
  t.equal(repos.metadataSets.find({ setID: 'MS_DF_CTS_HOMICIDE' })[0]!.createdAt, T0, 'and keep their instant');

  const changed = repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":2}'), note('1.0.0', '{"n":1}')], T1, () => true);
  t.same(changed, { added: 0, replaced: 1, unchanged: 1, removed: 0, kept: [] });
  const replaced = repos.metadataSets.find({ setID: 'MS_DF_CTS_HOMICIDE' })[0]!;
  t.equal(replaced.body, '{"a":2}');
  t.equal(replaced.createdAt, T1, 'a new body gets a new instant');
  t.equal(replaced.pk, stored[0]!.pk, 'in the same row');

  const removed = repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":2}')], T1, (s) => s.area !== 'KAZ');
  t.equal(removed.removed, 0);
  t.same(
    removed.kept.map((k) => k.setID),
    ['MS_DF_CTS_HOMICIDE_KAZ'],
    'a version whose file is gone but which may not change is kept and reported',
  );
  const gone = repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":2}')], T1, () => true);
  t.equal(gone.removed, 1, 'and deleted when it may still change');
  t.same(
    repos.metadataSets.find().map((s) => s.setID),
    ['MS_DF_CTS_HOMICIDE'],
  );
});

t.test('a changed body that may not change is refused and nothing is written', async (t) => {
  const repos = sqliteRepositories(':memory:', migrationsDir);
  t.teardown(() => repos.close());
  repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":1}')], T0, () => true);
  const err = t.throws(() =>
    repos.metadataSets.synchroniseFiles([item('MS_DF_CTS_HOMICIDE', '1.1.0', '{"b":1}'), item('MS_DF_CTS_HOMICIDE', '1.0.0', '{"a":2}')], T1, () => false),
  );
  t.type(err, MetadataVersionConflictError);
  t.match((err as MetadataVersionConflictError).item, { version: '1.0.0', source: 'file:metadata/DF_CTS_HOMICIDE/report-1.0.0.yaml' });
  t.same(
    repos.metadataSets.find().map((s) => [s.version, s.body]),
    [['1.0.0', '{"a":1}']],
    'the transaction wrote nothing, not even the new version',
  );
});

t.test('files never touch API versions', async (t) => {
  // The publisher API does not exist yet: its row is written straight into the file, as it will be.
  const dir = mkdtempSync(path.join(tmpdir(), 'iccs-metadata-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'db.sqlite');
  const repos = sqliteRepositories(file, migrationsDir);
  t.teardown(() => repos.close());
  const raw = new Database(file);
  raw
    .prepare(
      `INSERT INTO metadata_sets (set_id, agency_id, version, metadataflow, dataflow, area, release_code, source, body, sha256, created_at)
       VALUES ('MS_DF_CTS_PRISONS', 'UNODC', '1.0.0', 'Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)', 'UNODC:DF_CTS_PRISONS(1.0)', NULL, 'R1', 'api:tok_1', '{}', 'x', ?)`,
    )
    .run(T0);
  raw.close();

  const api = item('MS_DF_CTS_PRISONS', '1.0.0', '{"p":1}', { dataflow: 'UNODC:DF_CTS_PRISONS(1.0)', source: 'api:tok_1' });
  t.throws(() => repos.metadataSets.synchroniseFiles([api], T0, () => true), StorageConflictError, 'a file item needs a file: source');
  const clash = item('MS_DF_CTS_PRISONS', '1.0.0', '{"p":1}', { dataflow: 'UNODC:DF_CTS_PRISONS(1.0)', source: 'file:metadata/DF_CTS_PRISONS/report-1.0.0.yaml' });
  t.throws(() => repos.metadataSets.synchroniseFiles([clash], T0, () => true), StorageConflictError, 'a file may not define an API version');
  const report = repos.metadataSets.synchroniseFiles([], T1, () => true);
  t.same(report, { added: 0, replaced: 0, unchanged: 0, removed: 0, kept: [] }, 'nor remove one');
  t.same(
    repos.metadataSets.find().map((s) => s.source),
    ['api:tok_1'],
  );
});

t.test('filters', async (t) => {
  const repos = sqliteRepositories(':memory:', migrationsDir);
  t.teardown(() => repos.close());
  repos.metadataSets.synchroniseFiles(
    [
      item('MS_DF_CTS_HOMICIDE', '1.0.0', '{}'),
      item('MS_DF_CTS_HOMICIDE', '1.1.0', '{}'),
      note('1.0.0', '{}'),
      item('MS_DF_CTS_PRISONS', '1.0.0', '{}', { dataflow: 'UNODC:DF_CTS_PRISONS(1.0)', source: 'file:metadata/DF_CTS_PRISONS/report-1.0.0.yaml' }),
    ],
    T0,
    () => true,
  );
  const ids = (filter: Parameters<typeof repos.metadataSets.find>[0]) => repos.metadataSets.find(filter).map((s) => `${s.setID}@${s.version}`);
  t.same(ids({ dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)' }), ['MS_DF_CTS_HOMICIDE@1.0.0', 'MS_DF_CTS_HOMICIDE@1.1.0', 'MS_DF_CTS_HOMICIDE_KAZ@1.0.0']);
  t.same(ids({ dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)', area: null }), ['MS_DF_CTS_HOMICIDE@1.0.0', 'MS_DF_CTS_HOMICIDE@1.1.0'], 'area null: dataflow reports only');
  t.same(ids({ area: 'KAZ' }), ['MS_DF_CTS_HOMICIDE_KAZ@1.0.0']);
  t.same(ids({ metadataflow: 'Metadataflow=UNODC:MDF_CRIME_COUNTRY_NOTE(1.0)' }), ['MS_DF_CTS_HOMICIDE_KAZ@1.0.0']);
  t.same(ids({ setID: 'MS_DF_CTS_HOMICIDE', version: '1.1.0' }), ['MS_DF_CTS_HOMICIDE@1.1.0']);
  t.same(ids({ agencyID: 'ESTAT' }), []);
});
