/**
 * The loader against the real metadata structures built from sdmx/sources/sims/concepts.csv
 * (not the hand-made fixture): a report holding exactly the mandatory attributes the real MSD
 * declares loads, and what concepts.csv marks computed, presentational or coded is read as
 * such from the built structures (annotations, isPresentational, enumerations).
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsvRecords } from '../../../src/cli/structures/csv.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { StructureRegistry } from '../../../src/sdmx/structure-query/registry.js';
import { MetadataLoadError, readMetadataFiles } from '../../../src/services/metadata/metadata-files.js';
import { isComputed, isMandatory, reportStructureOf, valueKindOf, walkAttributes, type MetadataSetKind } from '../../../src/services/metadata/report-structure.js';
import { readStructureFiles } from '../../../src/services/structure-files.js';

const registry = new StructureRegistry(readStructureFiles(path.join(PROJECT_ROOT, 'sdmx')).map((s) => s.artefact));

/** concepts.csv: id → its flags in each MSD (P, M, O, -), computed, representation. */
function conceptTable(): Map<string, { report: string; note: string; computed: boolean; representation: string }> {
  const text = readFileSync(path.join(PROJECT_ROOT, 'sdmx', 'sources', 'sims', 'concepts.csv'), 'utf8');
  const rows = parseCsvRecords(text, ['id', 'report', 'country_note', 'computed', 'representation'] as const);
  return new Map(rows.map((r) => [r.id, { report: r.report, note: r.country_note, computed: r.computed === 'yes', representation: r.representation }]));
}

t.test('the real MSDs read as concepts.csv says', async (t) => {
  const table = conceptTable();
  for (const kind of ['report', 'countryNote'] as MetadataSetKind[]) {
    const structure = reportStructureOf(registry, kind);
    if (typeof structure === 'string') {
      t.fail(structure);
      continue;
    }
    const column = kind === 'report' ? 'report' : 'note';
    for (const a of walkAttributes(structure.attributes)) {
      const row = table.get(a.id);
      t.ok(row, `${a.id} is in concepts.csv`);
      if (!row) continue;
      t.equal(isComputed(a), row.computed, `${kind} ${a.id}: computed as the table says`);
      t.equal(a.isPresentational, row[column] === 'P', `${kind} ${a.id}: presentational as the table says`);
      t.equal(isMandatory(a), row[column] === 'M' && !row.computed, `${kind} ${a.id}: mandatory as the table says`);
      if (row.representation.startsWith('CL_')) t.equal(valueKindOf(a), 'code', `${kind} ${a.id}: coded`);
    }
    const expected = [...table.entries()].filter(([, r]) => r[column] !== '-').map(([id]) => id);
    t.same([...structure.byId.keys()].sort(), expected.sort(), `${kind}: every concept of its column, and no other`);
  }
});

t.test('a report with exactly the mandatory attributes of the real MSD loads; one fewer does not', async (t) => {
  const structure = reportStructureOf(registry, 'report');
  if (typeof structure === 'string') throw new Error(structure);
  const root = mkdtempSync(path.join(tmpdir(), 'iccs-metadata-real-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'metadata');
  mkdirSync(path.join(dir, 'DF_CTS_PRISONS'), { recursive: true });
  const mandatory = [...structure.byId.values()].filter(isMandatory);
  const lines = mandatory.map((a) => {
    if (valueKindOf(a) !== 'code') return `  ${a.id}:\n    en: Text of ${a.id}.\n    es: Texto de ${a.id}.`;
    const codelist = registry.get(a.localRepresentation!.enumeration!);
    return `  ${a.id}: ${codelist?.class === 'Codelist' ? codelist.items[0]!.id : '?'}`;
  });
  const file = (attributes: readonly string[]) =>
    ['set: MS_DF_CTS_PRISONS', 'version: 1.0.0', 'release: UNCTS-2023', 'name: {en: Persons held, es: Personas detenidas}', 'sources:', '  - title: A source', 'attributes:', ...attributes, ''].join('\n');
  writeFileSync(path.join(dir, 'DF_CTS_PRISONS', 'report-1.0.0.yaml'), file(lines));
  const [loaded] = readMetadataFiles(dir, registry);
  t.equal(loaded?.set.id, 'MS_DF_CTS_PRISONS');
  t.ok(mandatory.length > 20, `${mandatory.length} mandatory attributes`);

  writeFileSync(path.join(dir, 'DF_CTS_PRISONS', 'report-1.0.0.yaml'), file(lines.slice(1)));
  t.throws(() => readMetadataFiles(dir, registry), MetadataLoadError);
  t.throws(() => readMetadataFiles(dir, registry), new RegExp(`attributes\\.${mandatory[0]!.id}: ${mandatory[0]!.id} is mandatory in MSD_CRIME_REPORT and missing`));
});
