/**
 * The real reference-metadata content (metadata/, issue 15 item 2) on the demo: every demo dataflow
 * has a public methodology and quality report whose mandatory concepts are all there, non-empty in
 * English and in Spanish, and which names its sources; every country note names its source too.
 * Mandatory means what the real MSD says (minOccurs 1, not computed), so a concept made mandatory
 * in sdmx/sources/sims/concepts.csv is checked here at once.
 */
import t from 'tap';
import { DATAFLOW_IDS } from '../../src/cli/structures/common.js';
import { CRIME_METADATA, METADATA_ATTRIBUTE_ANNOTATIONS, type ReportedAttribute } from '../../src/sdmx/metadata/model.js';
import type { MetadataAttribute, MetadataStructure } from '../../src/sdmx/model.js';
import { testApp } from '../helpers/app.js';

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());

const msd = (id: string) => app.metadata.registry.ofClass('MetadataStructure').find((m) => m.id === id) as MetadataStructure;
const walk = (attrs: readonly MetadataAttribute[]): MetadataAttribute[] => attrs.flatMap((a) => [a, ...walk(a.children)]);
const reported = (attrs: readonly ReportedAttribute[]): ReportedAttribute[] => attrs.flatMap((a) => [a, ...reported(a.children)]);
const authoredMandatory = (m: MetadataStructure) =>
  walk(m.reports[0]!.attributes).filter((a) => a.minOccurs > 0 && !a.isPresentational && !a.annotations?.some((x) => x.type === METADATA_ATTRIBUTE_ANNOTATIONS.computed));

t.test('every demo dataflow has a complete report in English and Spanish, with its sources', async (t) => {
  const mandatory = authoredMandatory(msd(CRIME_METADATA.report.msd));
  t.ok(mandatory.length >= 25, `${mandatory.length} mandatory concepts`);
  for (const flow of DATAFLOW_IDS) {
    const { report } = await app.metadata.report(flow);
    if (!t.ok(report, `${flow}: a public report`)) continue;
    const byId = new Map(reported(report!.attributes).map((a) => [a.id, a]));
    for (const m of mandatory) {
      const a = byId.get(m.id);
      const filled = a?.value !== undefined ? a.value.trim() !== '' : !!a?.text?.en?.trim() && !!a?.text?.es?.trim();
      t.ok(filled, `${flow} ${m.id}: ${a?.value ?? 'en and es'}`);
    }
    t.ok(report!.sources.length >= 1 && report!.sources.every((s) => s.title.trim() !== ''), `${flow}: names its sources`);
  }
});

t.test('every country note names its source and says where it comes from', async (t) => {
  const notes = (await app.metadata.sets({ metadataflow: CRIME_METADATA.countryNote.flow, version: 'all' })).filter((s) => s.target.area);
  t.ok(notes.length >= 12, `${notes.length} country notes`);
  for (const note of notes) {
    const source = reported(note.attributes).find((a) => a.id === 'SOURCE_TYPE');
    t.ok(source?.text?.en && source.text.es, `${note.id}: SOURCE_TYPE in en and es`);
    t.ok(note.sources.length >= 1, `${note.id}: names its sources`);
  }
});
