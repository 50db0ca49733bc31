/**
 * The SQLite repositories over a real database file with the real migrations: structures
 * synchronise in one transaction and keep their storage instant while unchanged; releases
 * start as drafts with their dataflows; the file survives a reopen.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { loadConfig } from '../../src/config.js';
import { clFreq, clArea, sampleArtefacts } from '../fixtures/sample-structures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iccs-db-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'nested', 'test.sqlite');
const { migrationsDir } = loadConfig({});

t.test('structures synchronise exactly', async (t) => {
  const repos = sqliteRepositories(file, migrationsDir);
  const first = repos.structures.synchronise(sampleArtefacts.map((artefact) => ({ artefact, source: 'sample.xml' })), '2026-01-01T00:00:00.000Z');
  t.same(first, { added: sampleArtefacts.length, changed: 0, removed: 0, unchanged: 0 });
  t.same(
    repos.structures.all().map((s) => s.artefact),
    sampleArtefacts,
    'artefacts come back deep-equal, in insertion order',
  );

  const renamed = { ...clFreq, name: { en: 'Frequency (renamed)' } };
  const next = sampleArtefacts.filter((a) => a !== clArea).map((a) => (a === clFreq ? renamed : a));
  const second = repos.structures.synchronise(next.map((artefact) => ({ artefact, source: 'sample.xml' })), '2026-02-01T00:00:00.000Z');
  t.same(second, { added: 0, changed: 1, removed: 1, unchanged: sampleArtefacts.length - 2 });
  const stored = repos.structures.all();
  t.equal(stored.find((s) => s.artefact.id === 'CL_FREQ')?.storedAt, '2026-02-01T00:00:00.000Z', 'a changed artefact gets a new instant');
  t.equal(stored.find((s) => s.artefact.id === 'CL_OFFENCE')?.storedAt, '2026-01-01T00:00:00.000Z', 'an unchanged one keeps its instant');
  t.notOk(stored.some((s) => s.artefact.id === 'CL_AREA'), 'a removed artefact is gone');
  repos.close();

  const reopened = sqliteRepositories(file, migrationsDir);
  t.equal(reopened.structures.all().length, sampleArtefacts.length - 1, 'the file keeps what was written');
  reopened.close();
});

t.test('(agency, id, version) is unique across classes', async (t) => {
  const repos = sqliteRepositories(':memory:', migrationsDir);
  const clash = { ...clArea, class: 'ConceptScheme' as const, id: 'CL_FREQ', items: [] };
  t.throws(() =>
    repos.structures.synchronise(
      [clFreq, clash].map((artefact) => ({ artefact, source: 'x.xml' })),
      '2026-01-01T00:00:00.000Z',
    ),
  );
  t.same(repos.structures.all(), [], 'the failed synchronisation left nothing behind');
  repos.close();
});

t.test('releases', async (t) => {
  const repos = sqliteRepositories(':memory:', migrationsDir);
  const r = repos.releases.createDraft({ code: '2026-CTS-01', title: 'UN-CTS 2026', dataflows: ['UNODC:DF_CTS_HOMICIDE(1.0)'] }, '2026-03-01T00:00:00.000Z');
  t.equal(r.state, 'draft');
  t.equal(r.announcedAt, null);
  t.same(repos.releases.byCode('2026-CTS-01')?.dataflows, ['UNODC:DF_CTS_HOMICIDE(1.0)']);
  const rev = repos.releases.createDraft({ code: '2026-CTS-02', title: 'Revision', dataflows: [], revisesPk: r.pk }, '2026-04-01T00:00:00.000Z');
  t.equal(rev.revisesPk, r.pk);
  t.throws(() => repos.releases.createDraft({ code: '2026-CTS-01', title: 'dup', dataflows: [] }, '2026-04-01T00:00:00.000Z'), 'codes are unique');
  t.same(repos.releases.list().map((x) => x.code), ['2026-CTS-01', '2026-CTS-02']);
  t.equal(repos.releases.byCode('nope'), undefined);
  repos.close();
});
