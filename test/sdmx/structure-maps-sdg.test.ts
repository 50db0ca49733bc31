/**
 * The SDG maps as the build produces them (src/cli/structures/sdg-maps.ts): the republished
 * IAEG-SDGs structures, the representation maps into their codelists, the StructureMap from
 * DF_CTS_HOMICIDE to the SDG DSD and the four item scheme maps. Each validates against the
 * official schemas in every format that can express it (the StructureMap has no SDMX 2.1 form);
 * the content is checked against the codelists on both sides; and the integrity checks that keep
 * the maps honest are shown to catch a broken map.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildStructures, readStructureSources, SOURCES_DIR } from '../../src/cli/structures/index.js';
import { buildSdmx30OnlyStructures } from '../../src/cli/structures/sdmx30-only.js';
import { PROVENANCE_ANNOTATION, SDG_SOURCE_FILE } from '../../src/cli/structures/sdg.js';
import { writeStructureMl30 } from '../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson20 } from '../../src/sdmx/json20/structure-writer.js';
import { writeStructureMl21 } from '../../src/sdmx/ml21/structure-writer.js';
import { writeStructureJson10 } from '../../src/sdmx/json10/structure-writer.js';
import { readStructureMl21 } from '../../src/sdmx/ml21/structure-reader.js';
import type { Codelist, ItemSchemeMap, Maintainable, RepresentationMap, StructureMap } from '../../src/sdmx/model.js';
import type { StructureMessage } from '../../src/sdmx/message.js';
import { StructureRegistry } from '../../src/sdmx/structure-query/registry.js';
import { itemReferenceProblems } from '../../src/sdmx/structure-query/integrity.js';
import { JSON_SCHEMA } from '../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../helpers/validate.js';

const base = buildStructures();
const only30 = buildSdmx30OnlyStructures(base);
const all = [...base, ...only30];
const header: StructureMessage['header'] = { id: 'TEST', test: true, prepared: '2026-01-01T00:00:00Z', sender: { id: 'UNODC' } };
const byId = <T extends Maintainable>(id: string, agencyID = 'UNODC') => all.find((a) => a.id === id && a.agencyID === agencyID) as T;
const structureMap = byId<StructureMap>('SM_HOMICIDE_SDG');
const itemMaps = all.filter((a): a is ItemSchemeMap => ['ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap'].includes(a.class));
const sdgRepresentationMaps = all.filter((a): a is RepresentationMap => a.class === 'RepresentationMap' && a.id.endsWith('_SDG') || a.id === 'RM_AREA_REPORTING_TYPE');

t.test('the SDG structures are the IAEG-SDGs message as published, their agency in ours', async (t) => {
  const source = readStructureMl21(readFileSync(path.join(SOURCES_DIR, SDG_SOURCE_FILE), 'utf8'));
  const republished = source.filter((a) => a.class !== 'AgencyScheme');
  t.equal(republished.length, 22, 'DSD, concept scheme, 20 codelists');
  for (const a of republished) {
    const { annotations, ...rest } = byId(a.id, a.agencyID);
    const { annotations: original, ...sourceRest } = a;
    t.same(rest, sourceRest, `${a.agencyID}:${a.id}(${a.version}) unchanged`);
    t.same(annotations, [...(original ?? []), PROVENANCE_ANNOTATION], 'but for a provenance note');
  }
  const agencies = all.find((a) => a.class === 'AgencyScheme')!;
  t.match(agencies, { items: [{ id: 'UNODC' }, { id: 'ESTAT' }, { id: 'IAEG-SDGs', name: { en: 'Inter-agency and Expert Group on SDG Indicators (IAEG-SDGs)' } }] });
  t.same(readStructureSources().sdg.artefacts.length, 22);
});

t.test('the structures stay consistent with the maps', async (t) => {
  const registry = new StructureRegistry(all);
  t.same(registry.danglingReferences(), []);
  t.same(itemReferenceProblems(registry), []);
});

t.test('every map validates in every format that can express it, full and as stubs', async (t) => {
  t.equal(itemMaps.length, 4);
  t.equal(sdgRepresentationMaps.length, 8);
  for (const presentation of ['full', 'stub', 'completestub'] as const) {
    const maps = [structureMap, ...itemMaps, ...sdgRepresentationMaps].map((a): Maintainable => (presentation === 'full' ? a : { ...a, presentation }));
    const msg: StructureMessage = { header, artefacts: maps };
    const xml30 = writeStructureMl30(msg);
    t.same(validateXml301(xml30), [], `SDMX-ML 3.0.1 (${presentation})`);
    for (const cls of ['StructureMap', 'ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap']) {
      t.equal(xml30.match(new RegExp(`<structure:${cls} `, 'g'))?.length, 1, `one ${cls} (${presentation})`);
    }
    const json20 = writeStructureJson20(msg) as { data: Record<string, unknown[]> };
    t.same(validateJson(json20, JSON_SCHEMA.structure20), [], `SDMX-JSON 2.0.0 (${presentation})`);
    t.same(Object.keys(json20.data).sort(), ['categorySchemeMaps', 'conceptSchemeMaps', 'organisationSchemeMaps', 'reportingTaxonomyMaps', 'representationMaps', 'structureMaps']);
    const xml21 = writeStructureMl21(msg);
    t.same(validateXml21(xml21), [], `SDMX-ML 2.1 (${presentation})`);
    t.equal(xml21.match(/<structure:StructureSet /g)?.length, 12, `a StructureSet per map but the StructureMap (${presentation})`);
    t.notMatch(xml21, /SM_HOMICIDE_SDG/);
    const json10 = writeStructureJson10(msg) as { data: { structureSets: unknown[] } };
    t.same(validateJson(json10, JSON_SCHEMA.structure10), [], `SDMX-JSON 1.0 (${presentation})`);
    t.equal(json10.data.structureSets.length, 12);
  }
  // With what they join, in one message, as a `references=all` answer.
  const joined = all.filter((a) => ['Codelist', 'ConceptScheme', 'CategoryScheme', 'ReportingTaxonomy', 'DataStructure', 'Dataflow', 'DataProviderScheme', 'DataConsumerScheme'].includes(a.class));
  t.same(validateXml301(writeStructureMl30({ header, artefacts: [structureMap, ...itemMaps, ...sdgRepresentationMaps, ...joined] })), [], 'with what they join');
});

t.test('the SDMX-ML 2.1 item scheme maps: one map of the set id, item references in pairs', async (t) => {
  const xml = writeStructureMl21({ header, artefacts: [byId('CATM_THEMES_SDG'), byId('RTM_UN_CTS_SDG'), byId('OSM_PROVIDERS_CONSUMERS')] });
  t.match(xml, /<structure:CategorySchemeMap id="CATM_THEMES_SDG" urn="urn:sdmx:org\.sdmx\.infomodel\.mapping\.CategorySchemeMap=UNODC:CATM_THEMES_SDG\(1\.0\)\.CATM_THEMES_SDG">/);
  t.match(xml, /<structure:CategoryMap><structure:Source><Ref id="HOMICIDE"\/><\/structure:Source><structure:Target><Ref id="SDG_16_1"\/><\/structure:Target><\/structure:CategoryMap>/);
  t.match(xml, /<structure:ReportingCategoryMap><structure:Source><Ref id="POLICE\.HOMICIDE"\/>/);
  t.match(xml, /<structure:OrganisationMap><structure:Source><Ref id="UNODC"\/><\/structure:Source><structure:Target><Ref id="UNODC"\/>/);
  const json = writeStructureJson10({ header, artefacts: [byId('RTM_UN_CTS_SDG')] }) as { data: { structureSets: { reportingTaxonomyMaps: { reportingCategoryMaps: unknown[] }[] }[] } };
  t.same(json.data.structureSets[0]!.reportingTaxonomyMaps[0]!.reportingCategoryMaps[0], {
    source: 'urn:sdmx:org.sdmx.infomodel.categoryscheme.ReportingCategory=UNODC:RT_UN_CTS(1.0).POLICE.HOMICIDE',
    target: 'urn:sdmx:org.sdmx.infomodel.categoryscheme.ReportingCategory=UNODC:RT_SDG(1.0).SDG_16_1_1',
  });
});

t.test('the 2.1 reader reads the item scheme maps and representation maps back from their StructureSets', async (t) => {
  const maps = [...itemMaps, ...sdgRepresentationMaps];
  const back = readStructureMl21(writeStructureMl21({ header, artefacts: maps }));
  for (const m of maps) t.same(back.find((b) => b.id === m.id), m, `${m.class} ${m.id} reads back equal`);
  t.throws(() => readStructureMl21(writeStructureMl21({ header, artefacts: [structureMap] }).replace('<message:Structures>', '<message:Structures><structure:StructureSets><structure:StructureSet id="X" agencyID="UNODC" version="1.0"><common:Name xml:lang="en">x</common:Name></structure:StructureSet></structure:StructureSets>')), /expected one map/);
});

const codes = (id: string, agencyID: string) => new Map(byId<Codelist>(id, agencyID).items.map((c) => [c.id, c.name.en]));
const pairs = (id: string) => new Map(byId<RepresentationMap>(id).mappings.map((m) => [m.source, m.target]));

t.test('areas go to the SDG codes by M49 code: the same place on both sides', async (t) => {
  const area = pairs('RM_AREA_SDG');
  const sdgArea = codes('CL_AREA', 'IAEG-SDGs');
  const ours = codes('CL_AREA', 'UNODC');
  t.equal(area.get('MEX'), '484');
  t.equal(sdgArea.get('484'), 'Mexico');
  t.equal(area.get('AFG'), '4', 'no leading zeros on the SDG side');
  t.equal(area.get('001'), '1');
  t.equal(sdgArea.get('1'), 'World');
  t.equal(sdgArea.get(area.get('419')!), 'Latin America and the Caribbean');
  t.match(sdgArea.get(area.get('XKX')!), /^Kosovo/);
  for (const sub of ['GBR_E_W', 'GBR_S', 'GBR_NI', 'IRQ_C', 'IRQ_KRI']) t.notOk(area.has(sub), `${sub} (sub-national) is not mapped`);
  t.equal(area.size, ours.size - 5, 'every other area is');
  // Names agree on the first word for countries (ISO short names and M49 names differ in style).
  const firstWord = (s: string | undefined) => (s ?? '').replace(/^(The|the) /, '').split(/[ ,(]/)[0];
  const disagree = [...area].filter(([s, g]) => /^[A-Z]{3}$/.test(s) && firstWord(ours.get(s)) !== firstWord(sdgArea.get(g)));
  t.ok(disagree.length < 25, `few first-word differences (${disagree.length}: style, e.g. ${disagree.slice(0, 3).map(([s, g]) => `${ours.get(s)} / ${sdgArea.get(g)}`).join('; ')})`);
  const reporting = pairs('RM_AREA_REPORTING_TYPE');
  t.same([reporting.get('001'), reporting.get('419'), reporting.get('MEX'), reporting.get('830')], ['G', 'R', 'N', 'N']);
  t.same([...reporting.keys()].sort(), [...area.keys()].sort(), 'a reporting type for every mapped area');
});

t.test('the homicide units become the SDG 16.1.1 series, and the other maps join like meanings', async (t) => {
  const series = pairs('RM_HOMICIDE_SERIES_SDG');
  const sdgSeries = codes('CL_SERIES', 'IAEG-SDGs');
  t.same(Object.fromEntries(series), { NR: 'VC_IHR_PSRCN', P_HTHAB: 'VC_IHR_PSRC' });
  t.match(sdgSeries.get('VC_IHR_PSRC'), /intentional homicide per 100,000 population \[16\.1\.1\]/);
  t.match(sdgSeries.get('VC_IHR_PSRCN'), /^Number of victims of intentional homicide \[16\.1\.1\]/);
  t.same(Object.fromEntries(pairs('RM_UNIT_SDG')), { NR: 'NUMBER', P_HTHAB: 'PER_100000_POP', PC: 'PT' });
  t.same(Object.fromEntries(pairs('RM_SEX_SDG')), { _T: '_T', F: 'F', M: 'M' });
  const age = pairs('RM_AGE_SDG');
  const sdgAge = codes('CL_AGE', 'IAEG-SDGs');
  t.equal(age.get('Y_LT18'), 'Y0T17');
  t.equal(sdgAge.get('Y0T17'), 'under 18 years old');
  t.notOk(age.has('Y30T44'), 'a band the SDG codelist lacks');
  const ourAges = codes('CL_AGE', 'UNODC');
  for (const [s, g] of age) if (s !== 'Y_LT18' && s !== '_T' && s !== '_U') t.match(ourAges.get(s), /\d/, `${s} → ${g} (${sdgAge.get(g)})`);
  t.equal(pairs('RM_OBS_STATUS_SDG').size, codes('CL_OBS_STATUS', 'UNODC').size, 'every status is an SDMX status');
});

t.test('SM_HOMICIDE_SDG covers every SDG dimension and mandatory attribute', async (t) => {
  const sdg = all.find((a) => a.class === 'DataStructure' && a.id === 'SDG')!;
  if (sdg.class !== 'DataStructure') throw new Error('no SDG DSD');
  const targets = new Set([...structureMap.componentMaps.flatMap((c) => c.target), ...structureMap.fixedValueMaps.map((f) => f.target)]);
  for (const d of [...sdg.dimensions, sdg.timeDimension]) t.ok(targets.has(d.id), `dimension ${d.id} gets a value`);
  for (const a of sdg.attributes.filter((x) => x.assignmentStatus === 'Mandatory')) t.ok(targets.has(a.id), `mandatory attribute ${a.id} gets a value`);
  t.ok(targets.has('OBS_VALUE'));
  t.same(structureMap.fixedValueMaps.find((f) => f.target === 'UNIT_MULT'), { target: 'UNIT_MULT', value: '0' });
});

t.test('the integrity checks catch a broken map', async (t) => {
  const problemsWith = (changed: Maintainable) => itemReferenceProblems(new StructureRegistry(all.map((a) => (a.id === changed.id && a.class === changed.class ? changed : a))));
  t.match(problemsWith({ ...structureMap, componentMaps: [...structureMap.componentMaps, { source: ['NOPE'], target: ['SEX'] }] }), [/source component NOPE is not in .*DSD_CTS/]);
  t.match(problemsWith({ ...structureMap, fixedValueMaps: [{ target: 'ACTIVITY', value: 'XX' }] }), [/fixed value ACTIVITY=XX is not in .*CL_ACTIVITY/]);
  const sexMap = structureMap.componentMaps.find((c) => c.target[0] === 'SEX')!;
  t.match(problemsWith({ ...structureMap, componentMaps: [{ ...sexMap, target: ['AGE'] }] }), [/RM_SEX_SDG.* does not map to the codelist of AGE/]);
  const rtm = byId<ItemSchemeMap>('RTM_UN_CTS_SDG');
  t.match(problemsWith({ ...rtm, mappings: [{ source: 'HOMICIDE', target: 'SDG_16_1_1' }] }), [/source item HOMICIDE is not in .*RT_UN_CTS/], 'a nested item needs its path');
  t.match(problemsWith({ ...rtm, target: { class: 'CategoryScheme', agencyID: 'UNODC', id: 'CAT_SDG', version: '1.0' } }), [/is not a ReportingTaxonomy/]);
});
