/**
 * A correspondence table (national codelist + RepresentationMap to CL_ICCS) in the four structure
 * formats: each validates against its official schema (SDMX-ML 3.0 against the unpatched XSD:
 * national codes have no parents, so the Code/Parent erratum does not arise), in full and stub
 * presentations, and carries every code pair, including both pairs of a 1→2 mapping.
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { writeStructureMl21 } from '../../src/sdmx/ml21/structure-writer.js';
import { writeStructureMl30 } from '../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson10 } from '../../src/sdmx/json10/structure-writer.js';
import { writeStructureJson20 } from '../../src/sdmx/json20/structure-writer.js';
import type { Codelist, Maintainable, Presentation, RepresentationMap } from '../../src/sdmx/model.js';
import { childRefs, urnOf } from '../../src/sdmx/model.js';
import { urn30 } from '../../src/sdmx/urn30.js';
import { sampleHeader } from '../fixtures/sample-structures.js';
import { validateJson, validateXml21, validateXml30Official } from '../helpers/validate.js';
import { JSON_SCHEMA } from '../helpers/shared.js';

// National codes are illustrative (see test/fixtures/correspondence/national-police.ts); the ICCS codes are real.
const national: Codelist = {
  class: 'Codelist',
  agencyID: 'UNODC',
  id: 'CL_OFFENCE_XYZ_POLICE',
  version: '1.0',
  isFinal: false,
  name: { en: 'National offence codes: XYZ police', es: 'Códigos nacionales de delito: policía XYZ' },
  items: [
    { id: 'HOM-01', name: { en: 'Murder', es: 'Asesinato' } },
    { id: 'HOM-02', name: { en: 'Killing on provocation' } },
    { id: 'KID-01', name: { en: 'Kidnapping & false imprisonment' } },
    { id: 'MSC-01', name: { en: 'Breach of a local by-law' } },
  ],
};
const map: RepresentationMap = {
  class: 'RepresentationMap',
  agencyID: 'UNODC',
  id: 'MAP_XYZ_POLICE_ICCS',
  version: '1.0',
  isFinal: false,
  name: { en: 'XYZ police offences to ICCS' },
  description: { en: 'Illustrative table' },
  annotations: [{ type: 'NOTE', text: { en: 'for tests' } }],
  source: { class: 'Codelist', agencyID: 'UNODC', id: 'CL_OFFENCE_XYZ_POLICE', version: '1.0' },
  target: { class: 'Codelist', agencyID: 'UNODC', id: 'CL_ICCS', version: '1.0' },
  mappings: [
    { source: 'HOM-01', target: '0101' },
    { source: 'HOM-02', target: '0101' },
    { source: 'KID-01', target: '020221' },
    { source: 'KID-01', target: '020222' },
  ],
};
const PAIRS = map.mappings.map((m) => `${m.source}>${m.target}`);

const msg = (...artefacts: Maintainable[]) => ({ header: sampleHeader, artefacts });
const as = (p: Presentation): RepresentationMap => ({ ...map, presentation: p });
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, isArray: (n) => ['CodeMap', 'RepresentationMapping', 'StructureSet', 'RepresentationMap', 'Codelist'].includes(n) });

t.test('the map references its source and target codelists', async (t) => {
  t.same(childRefs(map), [map.source, map.target]);
  t.equal(urnOf(map), 'urn:sdmx:org.sdmx.infomodel.mapping.StructureSet=UNODC:MAP_XYZ_POLICE_ICCS(1.0)', 'a StructureSet in 2.1');
  t.equal(urn30(map), 'urn:sdmx:org.sdmx.infomodel.structuremapping.RepresentationMap=UNODC:MAP_XYZ_POLICE_ICCS(1.0)', 'a RepresentationMap in 3.0');
});

t.test('SDMX-ML 2.1: a StructureSet holding one CodelistMap', async (t) => {
  for (const p of ['full', 'stub', 'completestub'] as const) {
    const out = writeStructureMl21(msg(national, as(p)));
    t.same(validateXml21(out), [], `${p} validates`);
  }
  const doc = xml.parse(writeStructureMl21(msg(national, map)));
  const structures = doc.Structure.Structures;
  t.ok(structures.Codelists, 'the national codelist is written beside it');
  const set = structures.StructureSets.StructureSet[0];
  t.equal(set['@id'], 'MAP_XYZ_POLICE_ICCS');
  t.equal(set['@urn'], urnOf(map));
  t.equal(set['@isFinal'], 'false');
  const clm = set.CodelistMap;
  t.equal(clm['@id'], 'MAP_XYZ_POLICE_ICCS');
  t.same(clm.Source.Ref, { '@agencyID': 'UNODC', '@id': 'CL_OFFENCE_XYZ_POLICE', '@version': '1.0', '@class': 'Codelist', '@package': 'codelist' });
  t.equal(clm.Target.Ref['@id'], 'CL_ICCS');
  t.same(clm.CodeMap.map((c: any) => `${c.Source.Ref['@id']}>${c.Target.Ref['@id']}`), PAIRS, 'one CodeMap per pair, 1→2 included');
  const stub = xml.parse(writeStructureMl21(msg(as('stub')))).Structure.Structures.StructureSets.StructureSet[0];
  t.notOk(stub.CodelistMap, 'a stub has no map content');
});

t.test('SDMX-ML 3.0: a RepresentationMap', async (t) => {
  for (const p of ['full', 'stub', 'completestub'] as const) {
    const out = writeStructureMl30(msg(national, as(p)));
    t.same(validateXml30Official(out), [], `${p} validates`);
  }
  const rm = xml.parse(writeStructureMl30(msg(map))).Structure.Structures.RepresentationMaps.RepresentationMap[0];
  t.equal(rm['@urn'], urn30(map));
  t.equal(rm.SourceCodelist, 'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=UNODC:CL_OFFENCE_XYZ_POLICE(1.0)');
  t.equal(rm.TargetCodelist, 'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=UNODC:CL_ICCS(1.0)');
  t.same(rm.RepresentationMapping.map((m: any) => `${m.SourceValue}>${m.TargetValue}`), PAIRS);
  const stub = xml.parse(writeStructureMl30(msg(as('stub')))).Structure.Structures.RepresentationMaps.RepresentationMap[0];
  t.ok(stub.SourceCodelist && stub.TargetCodelist, 'a stub keeps the codelists the XSD requires');
  t.notOk(stub.RepresentationMapping, 'but no mappings');
});

t.test('SDMX-JSON 1.0: a structureSets entry with one codelistMap', async (t) => {
  for (const p of ['full', 'stub', 'completestub'] as const) {
    t.same(validateJson(writeStructureJson10(msg(national, as(p))), JSON_SCHEMA.structure10), [], `${p} validates`);
  }
  const data = (writeStructureJson10(msg(map)) as any).data;
  const set = data.structureSets[0];
  t.equal(set.links[0].urn, urnOf(map));
  t.equal(set.isFinal, false);
  const clm = set.codelistMaps[0];
  t.equal(clm.source, urnOf(map.source));
  t.equal(clm.target, urnOf(map.target));
  t.same(
    clm.codeMaps.map((c: any) => `${c.source.split('.').pop()}>${c.target.split('.').pop()}`),
    PAIRS,
  );
  t.equal(clm.codeMaps[2].target, 'urn:sdmx:org.sdmx.infomodel.codelist.Code=UNODC:CL_ICCS(1.0).020221', 'codes by URN');
});

t.test('SDMX-JSON 2.0: a representationMaps entry', async (t) => {
  for (const p of ['full', 'stub', 'completestub'] as const) {
    t.same(validateJson(writeStructureJson20(msg(national, as(p))), JSON_SCHEMA.structure20), [], `${p} validates`);
  }
  const rm = (writeStructureJson20(msg(map)) as any).data.representationMaps[0];
  t.same(rm.source, [{ codelist: urn30(map.source) }]);
  t.same(rm.target, [{ codelist: urn30(map.target) }]);
  t.same(rm.representationMappings.map((m: any) => `${m.sourceValues[0].value}>${m.targetValues[0]}`), PAIRS);
  t.notOk('isFinal' in rm, 'no isFinal in 3.0');
});

t.test('a map without pairs still validates everywhere', async (t) => {
  const empty: RepresentationMap = { ...map, mappings: [] };
  t.same(validateXml21(writeStructureMl21(msg(empty))), []);
  t.same(validateXml30Official(writeStructureMl30(msg(empty))), []);
  t.same(validateJson(writeStructureJson10(msg(empty)), JSON_SCHEMA.structure10), []);
  t.same(validateJson(writeStructureJson20(msg(empty)), JSON_SCHEMA.structure20), []);
});
