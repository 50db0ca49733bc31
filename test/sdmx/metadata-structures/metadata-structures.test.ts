/**
 * The reference-metadata structures (issue 15 item 1): the SIMS concept scheme, the counting-rule
 * codelists, the two MSDs and their metadataflows, built from sdmx/sources/sims/. Each is written
 * in the four structure formats and checked against the official schemas, read back from
 * SDMX-ML 2.1 unchanged, and served by both REST APIs. Eurostat's ESMS MSD (a real SDMX-ML 2.1
 * sample) reads and round-trips too, so the reader is not shaped to our own files only.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildStructures } from '../../../src/cli/structures/index.js';
import { CRIME_METADATA, METADATA_ATTRIBUTE_ANNOTATIONS } from '../../../src/sdmx/metadata/model.js';
import { writeStructureMl21 } from '../../../src/sdmx/ml21/structure-writer.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { writeStructureMl30 } from '../../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson10 } from '../../../src/sdmx/json10/structure-writer.js';
import { writeStructureJson20 } from '../../../src/sdmx/json20/structure-writer.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { StructureRegistry } from '../../../src/sdmx/structure-query/registry.js';
import type { ConceptScheme, Maintainable, MetadataAttribute, MetadataStructure, Metadataflow } from '../../../src/sdmx/model.js';
import { sampleHeader } from '../../fixtures/sample-structures.js';
import { testApp } from '../../helpers/app.js';
import { JSON_SCHEMA, SDMX_SAMPLES } from '../../helpers/shared.js';
import { validateJson, validateXml21, validateXml30, validateXml301 } from '../../helpers/validate.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const all = buildStructures();
const registry = new StructureRegistry(all);
const META = new Set(['MetadataStructure', 'Metadataflow']);
const metadataArtefacts = registry.artefacts.filter((a) => META.has(a.class) || ['CS_SIMS_CRIME', 'CL_COUNTING_UNIT', 'CL_COUNTING_STAGE', 'CL_YES_NO_UNK'].includes(a.id));
const msd = (id: string) => registry.artefacts.find((a): a is MetadataStructure => a.class === 'MetadataStructure' && a.id === id)!;
const flow = (id: string) => registry.artefacts.find((a): a is Metadataflow => a.class === 'Metadataflow' && a.id === id)!;
const walk = (attrs: readonly MetadataAttribute[]): MetadataAttribute[] => attrs.flatMap((a) => [a, ...walk(a.children)]);
const msg = (artefacts: readonly Maintainable[]) => ({ header: sampleHeader, artefacts });
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, isArray: () => false });

t.test('what is built: two MSDs, two metadataflows, the SIMS concepts and three codelists', async (t) => {
  t.same(metadataArtefacts.map((a) => `${a.class}:${a.id}`).sort(), [
    'Codelist:CL_COUNTING_STAGE',
    'Codelist:CL_COUNTING_UNIT',
    'Codelist:CL_YES_NO_UNK',
    'ConceptScheme:CS_SIMS_CRIME',
    'MetadataStructure:MSD_CRIME_COUNTRY_NOTE',
    'MetadataStructure:MSD_CRIME_REPORT',
    'Metadataflow:MDF_CRIME_COUNTRY_NOTE',
    'Metadataflow:MDF_CRIME_REPORT',
  ]);
  const report = msd(CRIME_METADATA.report.msd);
  t.same(report.targets.map((x) => x.id), [CRIME_METADATA.report.target]);
  t.same(report.reports.map((r) => [r.id, r.targets]), [[CRIME_METADATA.report.report, [CRIME_METADATA.report.target]]]);
  const attributes = walk(report.reports[0].attributes);
  const byId = new Map(attributes.map((a) => [a.id, a]));
  // SIMS S.14.2 punctuality: computed, optional, nested under the presentational S.14.
  const punctuality = byId.get('PUNCTUALITY')!;
  t.equal(punctuality.minOccurs, 0);
  t.ok(punctuality.annotations?.some((a) => a.type === METADATA_ATTRIBUTE_ANNOTATIONS.computed));
  t.same(byId.get('TIMELINESS_PUNCT')!.children.map((c) => c.id), ['TIMELINESS', 'PUNCTUALITY']);
  t.equal(byId.get('TIMELINESS_PUNCT')!.isPresentational, true);
  // A mandatory authored concept, and a presentational group made mandatory by its children.
  t.equal(byId.get('DATA_DESCR')!.minOccurs, 1);
  t.equal(byId.get('STAT_PRES')!.minOccurs, 1);
  t.same(byId.get('CNT_UNIT')!.localRepresentation, { enumeration: { class: 'Codelist', agencyID: 'UNODC', id: 'CL_COUNTING_UNIT', version: '1.0' } });
  t.ok(byId.get('COMPAR_GEO')!.annotations?.some((a) => a.type === METADATA_ATTRIBUTE_ANNOTATIONS.headline), 'headline note');
  for (const a of attributes) t.equal(a.conceptIdentity.scheme.id, 'CS_SIMS_CRIME', `${a.id}: a SIMS concept`);

  const note = msd(CRIME_METADATA.countryNote.msd);
  t.same(
    note.targets[0].components.map((c) => [c.id, c.objectType, c.localRepresentation?.enumeration?.id]),
    [
      ['DATAFLOW', 'Dataflow', undefined],
      ['REF_AREA', 'Code', 'CL_AREA'],
    ],
  );
  const noteIds = walk(note.reports[0].attributes).map((a) => a.id);
  t.ok(noteIds.includes('SERIES_BREAKS') && noteIds.includes('CNT_STAGE') && !noteIds.includes('CONTACT_EMAIL'));
  t.equal(walk(note.reports[0].attributes).find((a) => a.id === 'SOURCE_TYPE')!.minOccurs, 1, 'a country note names its source');
});

t.test('every concept has an English and a Spanish name; SIMS concepts carry their SIMS code', async (t) => {
  const cs = metadataArtefacts.find((a): a is ConceptScheme => a.id === 'CS_SIMS_CRIME')!;
  t.ok(cs.items.length >= 60);
  for (const c of cs.items) {
    t.ok(c.name.en && c.name.es && c.name.en !== c.name.es || c.id === 'CONF', `${c.id}: en and es`);
    const sims = c.annotations?.find((a) => a.type === METADATA_ATTRIBUTE_ANNOTATIONS.simsCode)?.title;
    const extension = c.annotations?.some((a) => a.type === METADATA_ATTRIBUTE_ANNOTATIONS.extension);
    t.ok(sims ? /^S\.\d+(\.\d+)*$/.test(sims) : extension, `${c.id}: ${sims ?? 'extension'}`);
  }
  t.equal(cs.items.find((c) => c.id === 'PUNCTUALITY')!.annotations![0].title, 'S.14.2');
  t.equal(cs.items.find((c) => c.id === 'CONTACT_ORGANISATION')!.parentID, 'CONTACT');
});

t.test('the metadataflows get their SDMX 3.0 targets from their MSDs', async (t) => {
  t.same(flow(CRIME_METADATA.report.flow).targets, ['urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=*:*(*)']);
  t.same(flow(CRIME_METADATA.countryNote.flow).targets, [
    'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=*:*(*)',
    'urn:sdmx:org.sdmx.infomodel.codelist.Code=UNODC:CL_AREA(1.0).*',
  ]);
  // The built artefacts themselves have none (SDMX-ML 2.1 files cannot hold them).
  t.same((all.find((a) => a.id === CRIME_METADATA.report.flow) as Metadataflow).targets, []);
});

t.test('SDMX-ML 2.1: valid, and reads back unchanged', async (t) => {
  const out = writeStructureMl21(msg(metadataArtefacts));
  t.same(validateXml21(out), []);
  // The writer groups artefacts by container, so compare them by identity.
  const key = (a: Maintainable) => `${a.class}:${a.id}`;
  const byKey = (list: readonly Maintainable[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  const built = all.filter((a) => metadataArtefacts.some((m) => m.class === a.class && m.id === a.id));
  t.same(byKey(readStructureMl21(out)), byKey(built));
  const doc = xml.parse(out) as J;
  const report = doc.Structure.Structures.MetadataStructures.MetadataStructure[0] ?? doc.Structure.Structures.MetadataStructures.MetadataStructure;
  t.ok(report, 'MetadataStructures container');
  t.match(out, /<structure:ReportStructure id="CRIME_REPORT" urn="urn:sdmx:org\.sdmx\.infomodel\.metadatastructure\.ReportStructure=UNODC:MSD_CRIME_REPORT\(1\.0\)\.CRIME_REPORT">/);
  t.match(out, /<structure:IdentifiableObjectTarget id="REF_AREA" [^>]*objectType="Code">\s*<structure:LocalRepresentation>\s*<structure:Enumeration>\s*<Ref agencyID="UNODC" id="CL_AREA"/);
  t.match(out, /<structure:MetadataTarget>\s*<Ref id="DATAFLOW_TARGET"\/>\s*<\/structure:MetadataTarget>\s*<\/structure:ReportStructure>/);
});

t.test('SDMX-ML 3.0: valid against 3.0.1 (and 3.0.0); one attribute list; targets on the metadataflow', async (t) => {
  const out = writeStructureMl30(msg(metadataArtefacts));
  t.same(validateXml301(out), []);
  t.same(validateXml30(out), []);
  t.notMatch(out, /MetadataTarget|ReportStructure/, 'no 2.1 targets or report structures in 3.0');
  t.match(out, /<structure:MetadataAttributeList id="MetadataAttributeDescriptor">/);
  t.match(out, /<structure:Target>urn:sdmx:org\.sdmx\.infomodel\.codelist\.Code=UNODC:CL_AREA\(1\.0\)\.\*<\/structure:Target>/);
  t.match(out, /MetadataAttribute=UNODC:MSD_CRIME_REPORT\(1\.0\)\.TIMELINESS_PUNCT\.PUNCTUALITY"/, 'attribute URNs are paths from the top, as the IAEG-SDGs MSD writes them');
  // Stubs of a metadataflow keep the targets the XSD requires.
  const stubs = writeStructureMl30(msg(metadataArtefacts.map((a) => ({ ...a, presentation: 'stub' as const }))));
  t.same(validateXml301(stubs), []);
  t.match(stubs, /<structure:Metadataflow [^>]*>\s*(<common:Name[^>]*>[^<]*<\/common:Name>\s*)+<structure:Target>/);
});

t.test('SDMX-JSON 1.0 and 2.0: valid against the official schemas', async (t) => {
  const j10 = writeStructureJson10(msg(metadataArtefacts)) as J;
  t.same(validateJson(j10, JSON_SCHEMA.structure10), []);
  t.equal(j10.data.metadataStructures.length, 2);
  t.same(j10.data.metadataStructures[1].metadataStructureComponents.reportStructures[0].metadataTargets, [
    'urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataTarget=UNODC:MSD_CRIME_COUNTRY_NOTE(1.0).DATAFLOW_AREA_TARGET',
  ]);
  const j20 = writeStructureJson20(msg(metadataArtefacts)) as J;
  t.same(validateJson(j20, JSON_SCHEMA.structure20), []);
  t.equal(j20.data.metadataStructures[0].metadataStructureComponents.metadataAttributeList.id, 'MetadataAttributeDescriptor');
  t.same(j20.data.metadataflows.find((f: J) => f.id === 'MDF_CRIME_COUNTRY_NOTE').targets, flow(CRIME_METADATA.countryNote.flow).targets);
});

t.test("Eurostat's ESMS MSD (SDMX-ML 2.1 sample) reads and round-trips", async (t) => {
  const text = readFileSync(path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data/ESTAT/esms-structure.xml'), 'utf8');
  // Its DSD is an external reference, which a structure store cannot load; the rest is complete.
  const withoutDsd = text.replace(/<structure:DataStructures>[\s\S]*<\/structure:DataStructures>/, '');
  const read = readStructureMl21(withoutDsd);
  const esms = read.find((a): a is MetadataStructure => a.class === 'MetadataStructure')!;
  t.same(esms.targets.map((x) => [x.id, x.components.map((c) => `${c.kind}:${c.id}`).sort()]), [
    ['CATEGORY_TARGET', ['IdentifiableObject:CATEGORY', 'IdentifiableObject:DATA_PROVIDER', 'ReportPeriod:REPORT_PERIOD_TARGET']],
    ['DATAFLOW_TARGET', ['IdentifiableObject:DATA_FLOW', 'IdentifiableObject:DATA_PROVIDER', 'ReportPeriod:REPORT_PERIOD_TARGET']],
  ]);
  const report = esms.reports[0];
  t.same(report.targets, ['CATEGORY_TARGET', 'DATAFLOW_TARGET']);
  const contact = report.attributes.find((a) => a.id === 'CONTACT')!;
  t.equal(contact.isPresentational, true);
  t.equal(contact.children.find((c) => c.id === 'NAME')!.minOccurs, 0);
  t.equal(contact.children.find((c) => c.id === 'ADDRESS')!.children.find((c) => c.id === 'STREET')!.maxOccurs, 3);
  const again = writeStructureMl21(msg(read));
  t.same(validateXml21(again), []);
  t.same(readStructureMl21(again), read);
});

t.test('REST: both APIs serve the MSDs and metadataflows', async (t) => {
  const app = await testApp({ env: { DEMO_DATA: 'off' } });
  t.teardown(() => app.close());
  const get = (url: string, accept: string) => app.inject({ url, headers: { accept } });

  const ml21 = await get('/sdmx/2.1/metadatastructure/UNODC/MSD_CRIME_REPORT/latest?references=children', MEDIA.structureMl21);
  t.equal(ml21.statusCode, 200);
  t.same(validateXml21(ml21.body), []);
  t.match(ml21.body, /<structure:ConceptScheme [^>]*id="CS_SIMS_CRIME"/, 'children: the concept scheme');
  t.match(ml21.body, /<structure:Codelist [^>]*id="CL_COUNTING_UNIT"/, 'children: the codelists');

  const parents = await get('/sdmx/2.1/metadatastructure/UNODC/MSD_CRIME_COUNTRY_NOTE/1.0?references=parents&detail=allstubs', MEDIA.structureMl21);
  t.equal(parents.statusCode, 200);
  t.match(parents.body, /<structure:Metadataflow [^>]*id="MDF_CRIME_COUNTRY_NOTE"/, 'parents: its metadataflow');
  const areaParents = await get('/sdmx/2.1/codelist/UNODC/CL_AREA/1.0?references=metadatastructure&detail=allstubs', MEDIA.structureMl21);
  t.match(areaParents.body, /id="MSD_CRIME_COUNTRY_NOTE"/, 'CL_AREA is referenced by the country-note target');

  const flows21 = await get('/sdmx/2.1/metadataflow/UNODC/all/latest', MEDIA.structureMl21);
  t.equal(flows21.statusCode, 200);
  t.same(validateXml21(flows21.body), []);

  const ml30 = await get('/sdmx/3.0/structure/metadatastructure/UNODC/MSD_CRIME_REPORT/~', MEDIA.structureMl30);
  t.equal(ml30.statusCode, 200);
  t.same(validateXml301(ml30.body), []);
  const json20 = await get('/sdmx/3.0/structure/metadataflow/*/*/~?detail=allcompletestubs', MEDIA.structureJson20);
  t.equal(json20.statusCode, 200);
  t.same(validateJson(json20.json(), JSON_SCHEMA.structure20), []);
  t.equal((json20.json() as J).data.metadataflows.length, 2);
  const json10 = await get('/sdmx/2.1/metadatastructure/UNODC/all/latest', MEDIA.structureJson10);
  t.equal(json10.statusCode, 200);
  t.same(validateJson(json10.json(), JSON_SCHEMA.structure10), []);

  const spanish = await app.inject({ url: '/sdmx/3.0/structure/metadatastructure/UNODC/MSD_CRIME_REPORT/~', headers: { accept: MEDIA.structureJson20, 'accept-language': 'es' } });
  t.equal(spanish.statusCode, 200);
  t.match(JSON.stringify(spanish.json()), /Informe metodológico y de calidad/);
});
