/**
 * The authored metadata files: the good fixture loads into nested MetadataSets in the MSD's
 * order with both languages; each kind of bad file stops loading with a message naming the
 * file, the line and the field; and the start-up synchronisation keeps unchanged versions as
 * stored, refuses a changed public version ("bump the version"), lets an embargoed one change,
 * and stores a set whose release does not exist yet.
 */
import t, { type Test } from 'tap';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { MetadataLoadError, readMetadataFiles } from '../../../src/services/metadata/metadata-files.js';
import { synchroniseMetadataFiles } from '../../../src/services/metadata/metadata-start-up.js';
import { sqliteRepositories } from '../../../src/storage/sqlite/index.js';
import { registryWithFixtures } from '../../fixtures/metadata/structures.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'metadata', 'files');
const REPORT = 'DF_CTS_HOMICIDE/report-1.0.0.yaml';
const NOTE = 'DF_CTS_HOMICIDE/areas/KAZ-1.0.0.yaml';
const registry = registryWithFixtures();

/** A copy of the fixture in a folder named `metadata`, so messages read `metadata/...`. */
function copy(t: Test): string {
  const root = mkdtempSync(path.join(tmpdir(), 'iccs-metadata-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'metadata');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string): string {
  const full = path.join(dir, file);
  const text = change(readFileSync(full, 'utf8'));
  writeFileSync(full, text);
  return text;
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

function loadError(t: Test, dir: string): string {
  try {
    readMetadataFiles(dir, registry);
  } catch (err) {
    t.type(err, MetadataLoadError);
    return (err as Error).message;
  }
  t.fail('the files loaded');
  return '';
}

t.test('the fixture loads: nesting from the MSD, both languages, README ignored', async (t) => {
  const files = readMetadataFiles(FIXTURE, registry);
  t.same(
    files.map((f) => f.file),
    [`files/${NOTE}`, `files/${REPORT}`],
    'in path order',
  );
  const report = files[1]!.set;
  t.match(report, {
    agencyID: 'UNODC',
    id: 'MS_DF_CTS_HOMICIDE',
    version: '1.0.0',
    release: 'Q-R1',
    metadataflow: { class: 'Metadataflow', id: 'MDF_CRIME_REPORT' },
    structure: { class: 'MetadataStructure', id: 'MSD_CRIME_REPORT' },
    reportID: 'CRIME_REPORT',
    targetID: 'DATAFLOW_TARGET',
    target: { dataflow: { class: 'Dataflow', agencyID: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' } },
    name: { en: /methodology/, es: /metodología/ },
    sources: [{ title: /Global Study on Homicide/, url: /^https:/, licence: /acknowledgement/ }],
  });
  t.notOk('validFrom' in report, 'validFrom is its release instant, never authored');
  t.notOk('area' in report.target);
  const tree = (attributes: typeof report.attributes): unknown => attributes.map((a) => (a.children.length ? { [a.id]: tree(a.children) } : a.id));
  t.same(tree(report.attributes), [
    { CONTACT: ['CONTACT_ORGANISATION', 'CONTACT_EMAIL'] },
    { STAT_PRES: ['DATA_DESCR', 'STAT_UNIT'] },
    { CONF: ['CONF_DATA_TR'] },
    { COHERENCE_COMPAR: ['COMPAR_TIME'] },
    { STAT_PROCESS: ['SOURCE_TYPE', { COUNTING_RULES: ['CNT_UNIT'] }] },
    'COMMENT_DSET',
  ], 'presentational groups rebuilt from the MSD, in its order, not the file order');
  const dataDescr = report.attributes[1]!.children[0]!;
  t.equal(dataDescr.text?.en, 'Victims of intentional homicide (ICCS 0101) per country and year.\n\nCounts and rates per 100,000 population.', 'paragraphs kept, ends trimmed');
  t.match(dataDescr.text?.es, /^Víctimas de homicidio intencional/);
  t.same(report.attributes[4]!.children[1]!.children[0], { id: 'CNT_UNIT', value: 'VICTIM', children: [] });

  const note = files[0]!.set;
  t.match(note, {
    id: 'MS_DF_CTS_HOMICIDE_KAZ',
    metadataflow: { id: 'MDF_CRIME_COUNTRY_NOTE' },
    structure: { id: 'MSD_CRIME_COUNTRY_NOTE' },
    reportID: 'COUNTRY_NOTE',
    targetID: 'DATAFLOW_AREA_TARGET',
    target: { area: { class: 'Code', scheme: { id: 'CL_AREA' }, id: 'KAZ' } },
    name: { es: /Kazajistán/ },
  });
  t.same(tree(note.attributes), [{ COHERENCE_COMPAR: [{ COMPAR_TIME: ['SERIES_BREAKS'] }] }, { STAT_PROCESS: ['SOURCE_TYPE', { COUNTING_RULES: ['CNT_PRINCIPAL'] }] }], 'a non-presentational parent without content is kept for its child');
  t.notOk(note.attributes[0]!.children[0]!.text, 'COMPAR_TIME itself carries nothing');
});

t.test('a missing folder holds no metadata', async (t) => {
  t.same(readMetadataFiles(path.join(tmpdir(), 'no-such-metadata-folder'), registry), []);
});

interface BadCase {
  readonly name: string;
  readonly file?: string;
  /** Edits the file; returns the line expected in the message (found in the edited text). */
  readonly change?: (text: string) => string;
  /** Or changes the folder itself; returns the file the message names. */
  readonly arrange?: (dir: string) => string;
  readonly needle?: string;
  readonly line?: number;
  readonly field: string;
  readonly message: RegExp;
}

const BAD: readonly BadCase[] = [
  {
    name: 'unparsable YAML',
    change: (s) => s.replace('release: Q-R1', 'release: Q-R1: x'),
    needle: 'release:',
    field: '(yaml)',
    message: /not valid YAML/,
  },
  { name: 'a duplicate key', change: (s) => s.replace('release: Q-R1', 'release: Q-R1\nrelease: Q-R2'), needle: 'release: Q-R2', field: '(yaml)', message: /unique/ },
  { name: 'an unknown key', change: (s) => s.replace('release: Q-R1', 'release: Q-R1\ntitle: Homicide'), needle: 'title: Homicide', field: 'title', message: /unknown key "title"/ },
  { name: 'an unknown key in a source', change: (s) => s.replace('    licence:', '    path: x\n    licence:'), needle: '    path: x', field: 'sources[0].path', message: /unknown key "path"/ },
  {
    name: 'an attribute not in the MSD',
    change: (s) => s.replace('  CNT_UNIT: VICTIM', '  CNT_UNIT: VICTIM\n  COUNTING_UNIT: VICTIM'),
    needle: 'COUNTING_UNIT: VICTIM',
    field: 'attributes.COUNTING_UNIT',
    message: /unknown attribute "COUNTING_UNIT": MSD_CRIME_REPORT/,
  },
  {
    name: 'a presentational group authored',
    change: (s) => s.replace('  CNT_UNIT: VICTIM', '  CNT_UNIT: VICTIM\n  CONTACT:\n    en: a\n    es: b'),
    needle: '  CONTACT:',
    field: 'attributes.CONTACT',
    message: /presentational group.*CONTACT_ORGANISATION, CONTACT_EMAIL/,
  },
  {
    name: 'a computed attribute authored',
    change: (s) => s.replace('  CNT_UNIT: VICTIM', '  CNT_UNIT: VICTIM\n  PUNCTUALITY:\n    en: always\n    es: siempre'),
    needle: 'PUNCTUALITY:',
    field: 'attributes.PUNCTUALITY',
    message: /computed by the server/,
  },
  {
    name: 'a computed child authored',
    change: (s) => s.replace('  CNT_UNIT: VICTIM', '  CNT_UNIT: VICTIM\n  SUPPRESSED_PCT: 3.5'),
    needle: 'SUPPRESSED_PCT',
    field: 'attributes.SUPPRESSED_PCT',
    message: /computed by the server/,
  },
  {
    name: 'a mandatory attribute missing',
    change: (s) => s.replace('  STAT_UNIT:\n    en: The victim.\n    es: La víctima.\n', ''),
    needle: 'attributes:',
    field: 'attributes.STAT_UNIT',
    message: /STAT_UNIT is mandatory in MSD_CRIME_REPORT and missing/,
  },
  { name: 'a mandatory attribute empty in Spanish', change: (s) => s.replace('es: La víctima.', 'es: "  "'), needle: 'es: "  "', field: 'attributes.STAT_UNIT.es', message: /Spanish text \(es\) is empty/ },
  { name: 'a mandatory attribute empty in English', change: (s) => s.replace('en: The victim.', 'en: ""'), needle: 'en: ""', field: 'attributes.STAT_UNIT.en', message: /English text \(en\) is empty/ },
  { name: 'a text without es', change: (s) => s.replace('    es: Cifras del ejemplo.\n', ''), needle: 'COMMENT_DSET:', field: 'attributes.COMMENT_DSET.es', message: /Spanish text \(es\) is missing/ },
  { name: 'a text that is not bilingual', change: (s) => s.replace('  COMMENT_DSET:\n    en: Figures of the fixture.\n    es: Cifras del ejemplo.', '  COMMENT_DSET: Figures.'), needle: 'COMMENT_DSET:', field: 'attributes.COMMENT_DSET', message: /expected a text in en and es/ },
  { name: 'a name without es', change: (s) => s.replace('  es: Víctimas de homicidio intencional – metodología\n', ''), needle: 'name:', field: 'name.es', message: /missing/ },
  { name: 'a code not in its codelist', change: (s) => s.replace('CNT_UNIT: VICTIM', 'CNT_UNIT: VICTIMS'), needle: 'CNT_UNIT', field: 'attributes.CNT_UNIT', message: /"VICTIMS" is not a code of UNODC:CL_COUNTING_UNIT\(1\.0\)/ },
  {
    name: 'an unknown dataflow',
    arrange: (dir) => {
      renameSync(path.join(dir, 'DF_CTS_HOMICIDE'), path.join(dir, 'DF_CTS_HOMICIDES'));
      return 'DF_CTS_HOMICIDES/report-1.0.0.yaml';
    },
    line: 1,
    field: 'dataflow',
    message: /unknown dataflow "DF_CTS_HOMICIDES": the structures define no dataflow UNODC:DF_CTS_HOMICIDES\(1\.0\)/,
  },
  {
    name: 'an unknown area',
    arrange: (dir) => {
      renameSync(path.join(dir, NOTE), path.join(dir, 'DF_CTS_HOMICIDE/areas/KZX-1.0.0.yaml'));
      return 'DF_CTS_HOMICIDE/areas/KZX-1.0.0.yaml';
    },
    line: 1,
    field: 'area',
    message: /unknown area "KZX": not a code of UNODC:CL_AREA\(1\.0\)/,
  },
  { name: 'a set id not matching the path', change: (s) => s.replace('set: MS_DF_CTS_HOMICIDE', 'set: MS_DF_CTS_PRISONS'), needle: 'set:', field: 'set', message: /does not match where it is: expected MS_DF_CTS_HOMICIDE/ },
  {
    name: 'a note set id without its area',
    file: NOTE,
    change: (s) => s.replace('set: MS_DF_CTS_HOMICIDE_KAZ', 'set: MS_DF_CTS_HOMICIDE'),
    needle: 'set:',
    field: 'set',
    message: /expected MS_DF_CTS_HOMICIDE_KAZ/,
  },
  {
    name: 'a version that is not semver',
    arrange: (dir) => {
      edit(dir, REPORT, (s) => s.replace('version: 1.0.0', 'version: 1.0'));
      renameSync(path.join(dir, REPORT), path.join(dir, 'DF_CTS_HOMICIDE/report-1.0.yaml'));
      return 'DF_CTS_HOMICIDE/report-1.0.yaml';
    },
    needle: 'version:',
    field: 'version',
    message: /number 1 is not a semantic version MAJOR\.MINOR\.PATCH/,
  },
  { name: 'a version not matching the file name', change: (s) => s.replace('version: 1.0.0', 'version: 1.0.1'), needle: 'version:', field: 'version', message: /1\.0\.1 does not match the file name, which says 1\.0\.0/ },
  {
    name: 'two files with the same set and version',
    arrange: (dir) => {
      cpSync(path.join(dir, REPORT), path.join(dir, 'DF_CTS_HOMICIDE/report-1.0.0.yml'));
      return 'DF_CTS_HOMICIDE/report-1.0.0.yml';
    },
    needle: 'set:',
    field: 'set',
    message: /MS_DF_CTS_HOMICIDE version 1\.0\.0 is already defined in metadata\/DF_CTS_HOMICIDE\/report-1\.0\.0\.yaml/,
  },
  {
    name: 'no sources',
    change: (s) => s.replace(/sources:\n(    .*\n|  - .*\n)+/, ''),
    line: 1,
    field: 'sources',
    message: /no sources/,
  },
  { name: 'an empty list of sources', change: (s) => s.replace(/sources:\n(    .*\n|  - .*\n)+/, 'sources: []\n'), needle: 'sources:', field: 'sources', message: /at least one source/ },
  { name: 'a source without title', change: (s) => s.replace('  - title: UNODC, Global Study on Homicide 2019, data tables\n    url:', '  - url:'), needle: '  - url:', field: 'sources[0].title', message: /title is missing/ },
  { name: 'a release missing', change: (s) => s.replace('release: Q-R1\n', ''), line: 1, field: 'release', message: /release is missing/ },
  {
    name: 'a YAML file out of place',
    arrange: (dir) => {
      writeFileSync(path.join(dir, 'DF_CTS_HOMICIDE/notes.yaml'), 'a: 1\n');
      return 'DF_CTS_HOMICIDE/notes.yaml';
    },
    line: 1,
    field: '(file name)',
    message: /expected <DATAFLOW_ID>\/report-<version>\.yaml or <DATAFLOW_ID>\/areas\/<AREA>-<version>\.yaml/,
  },
];

t.test('each bad file stops loading, naming file, line and field', async (t) => {
  for (const c of BAD) {
    await t.test(c.name, async (t) => {
      const dir = copy(t);
      let file = c.file ?? REPORT;
      let line = c.line;
      if (c.arrange) file = c.arrange(dir);
      if (c.change) edit(dir, file, c.change);
      if (c.needle !== undefined) line = lineOf(readFileSync(path.join(dir, file), 'utf8'), c.needle);
      const message = loadError(t, dir);
      const prefix = `metadata/${file}:${line}: ${c.field}: `;
      const hit = message.split('\n').find((l) => l.trim().startsWith(prefix));
      t.ok(hit, `the message has a line starting ${prefix}`, { message });
      t.match(hit ?? '', c.message);
    });
  }
});

t.test('problems of several files are listed together', async (t) => {
  const dir = copy(t);
  edit(dir, REPORT, (s) => s.replace('CNT_UNIT: VICTIM', 'CNT_UNIT: VICTIMS'));
  edit(dir, NOTE, (s) => s.replace('CNT_PRINCIPAL: UNKNOWN', 'CNT_PRINCIPAL: MAYBE'));
  const message = loadError(t, dir);
  t.match(message, /has 2 problems/);
  t.match(message, /report-1\.0\.0\.yaml:\d+: attributes\.CNT_UNIT/);
  t.match(message, /KAZ-1\.0\.0\.yaml:\d+: attributes\.CNT_PRINCIPAL/);
});

t.test('start-up synchronisation', async (t) => {
  const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  t.teardown(() => repositories.close());
  const dir = copy(t);
  const sync = (now: string) => synchroniseMetadataFiles({ dir, registry, repositories, now });
  const T0 = '2026-01-01T00:00:00.000Z';

  const first = sync(T0);
  t.match(first, { files: 2, added: 2, replaced: 0, unchanged: 0, removed: 0, keptWithoutFile: [] });
  t.same(
    first.unknownReleases,
    [
      { file: `metadata/${NOTE}`, release: 'Q-R1' },
      { file: `metadata/${REPORT}`, release: 'Q-R1' },
    ],
    'a release that does not exist yet is reported, and the sets stored anyway',
  );
  const stored = repositories.metadataSets.find();
  t.match(stored, [
    { setID: 'MS_DF_CTS_HOMICIDE', version: '1.0.0', dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)', area: null, releaseCode: 'Q-R1', metadataflow: 'Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)', source: `file:metadata/${REPORT}`, createdAt: T0 },
    { setID: 'MS_DF_CTS_HOMICIDE_KAZ', area: 'KAZ', metadataflow: 'Metadataflow=UNODC:MDF_CRIME_COUNTRY_NOTE(1.0)', source: `file:metadata/${NOTE}` },
  ]);
  t.notOk(JSON.parse(stored[0]!.body).validFrom, 'the body has no validFrom');

  // Comments and key order are not content: the stored rows stay as they are.
  edit(dir, REPORT, (s) => `# reordered\n${s.replace('  CNT_UNIT: VICTIM\n', '').replace('attributes:\n', 'attributes:\n  CNT_UNIT: VICTIM\n')}`);
  const again = sync('2026-01-02T00:00:00.000Z');
  t.match(again, { added: 0, replaced: 0, unchanged: 2 });
  t.same(repositories.metadataSets.find().map((s) => [s.createdAt, s.sha256]), stored.map((s) => [s.createdAt, s.sha256]), 'unchanged files keep their stored row');

  // The release exists but is not public yet: the version may still change.
  const release = repositories.releases.createDraft({ code: 'Q-R1', title: 'R1', dataflows: ['UNODC:DF_CTS_HOMICIDE(1.0)'] }, T0);
  edit(dir, REPORT, (s) => s.replace('es: La víctima.', 'es: La víctima del homicidio.'));
  const embargoed = sync('2026-01-03T00:00:00.000Z');
  t.match(embargoed, { replaced: 1, unchanged: 1, unknownReleases: [] });
  t.equal(repositories.metadataSets.find({ setID: 'MS_DF_CTS_HOMICIDE' })[0]!.createdAt, '2026-01-03T00:00:00.000Z');

  repositories.releases.schedule(release.pk, '2026-02-01T00:00:00.000Z');
  edit(dir, REPORT, (s) => s.replace('es: La víctima del homicidio.', 'es: La víctima de homicidio.'));
  t.match(sync('2026-01-31T23:59:59.999Z'), { replaced: 1 }, 'scheduled but not yet public: still editable');

  edit(dir, REPORT, (s) => s.replace('es: La víctima de homicidio.', 'es: La víctima.'));
  const before = repositories.metadataSets.find();
  t.throws(() => sync('2026-02-01T00:00:00.000Z'), {
    name: 'MetadataLoadError',
    message: /^metadata\/DF_CTS_HOMICIDE\/report-1\.0\.0\.yaml: MS_DF_CTS_HOMICIDE version 1\.0\.0 is already public \(release Q-R1, public since 2026-02-01T00:00:00\.000Z\).*bump the version/,
  });
  t.same(repositories.metadataSets.find(), before, 'nothing was written');

  // A new version is the way: the public one stays as it was.
  cpSync(path.join(dir, REPORT), path.join(dir, 'DF_CTS_HOMICIDE/report-1.0.1.yaml'));
  edit(dir, 'DF_CTS_HOMICIDE/report-1.0.1.yaml', (s) => s.replace('version: 1.0.0', 'version: 1.0.1'));
  edit(dir, REPORT, (s) => s.replace('es: La víctima.', 'es: La víctima de homicidio.'));
  t.match(sync('2026-02-02T00:00:00.000Z'), { added: 1, unchanged: 2 });

  // A public version whose file is removed is kept; an embargoed one is removed.
  unlinkSync(path.join(dir, REPORT));
  const removedPublic = sync('2026-02-03T00:00:00.000Z');
  t.match(removedPublic, { removed: 0, keptWithoutFile: [`MS_DF_CTS_HOMICIDE 1.0.0 (file:metadata/${REPORT})`] });
  edit(dir, 'DF_CTS_HOMICIDE/report-1.0.1.yaml', (s) => s.replace('release: Q-R1', 'release: Q-LATER'));
  t.throws(() => sync('2026-02-03T00:00:00.000Z'), /MS_DF_CTS_HOMICIDE version 1\.0\.1 is already public/, 'a public version cannot be moved to another release either');
});
