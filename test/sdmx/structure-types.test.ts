/**
 * The structural artefact types beyond codelists, DSDs and flows, as the build produces them:
 * the organisation unit scheme, the data consumer scheme, the UN-CTS reporting taxonomy, the
 * publication process, the DSD and agreement constraints, the SDG attachment constraints and
 * the UN-CTS → ICCS map. Each is written in every structure format and validated against the
 * official schemas (SDMX-ML 2.1, SDMX-ML 3.0.1, SDMX-JSON 1.0 and 2.0.0), read back, and checked
 * for content.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildStructures } from '../../src/cli/structures/index.js';
import { parseCtsCategoryCsv } from '../../src/cli/structures/cts-categories.js';
import { ESTAT_GEO } from '../../src/cli/structures/cts-mapping.js';
import { M49_AREAS } from '../../src/cli/structures/areas.js';
import { writeStructureMl21 } from '../../src/sdmx/ml21/structure-writer.js';
import { readStructureMl21 } from '../../src/sdmx/ml21/structure-reader.js';
import { writeStructureMl30 } from '../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson10 } from '../../src/sdmx/json10/structure-writer.js';
import { writeStructureJson20 } from '../../src/sdmx/json20/structure-writer.js';
import type {
  AttachmentConstraint,
  Codelist,
  ContentConstraint,
  DataConsumerScheme,
  Maintainable,
  OrganisationUnitScheme,
  Process,
  ProcessStep,
  ReportingTaxonomy,
  RepresentationMap,
} from '../../src/sdmx/model.js';
import type { StructureMessage } from '../../src/sdmx/message.js';
import { StructureRegistry } from '../../src/sdmx/structure-query/registry.js';
import { itemReferenceProblems } from '../../src/sdmx/structure-query/integrity.js';
import { DATA, REPO_ROOT, JSON_SCHEMA } from '../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../helpers/validate.js';

const all = buildStructures();
const find = <T extends Maintainable>(cls: T['class'], id: string) => all.find((a) => a.class === cls && a.id === id) as T;
const header: StructureMessage['header'] = { id: 'TEST', test: true, prepared: '2026-01-01T00:00:00Z', sender: { id: 'UNODC' } };
const NEW_IDS = [
  'OU_CJ_INSTITUTIONS',
  'DATA_CONSUMERS',
  'RT_UN_CTS',
  'PROC_PUBLICATION',
  'CR_A_DSD_CTS',
  'CR_A_PA_DF_CTS_PRISONS_UNODC',
  'CR_A_PA_DF_ESTAT_CRIM_OFF_CAT_ESTAT',
  'AC_SDG_16_1_1',
  'AC_SDG_16_3_2',
  'CL_CTS_CATEGORY',
  'RM_CTS_ICCS',
];
const newArtefacts = NEW_IDS.map((id) => all.find((a) => a.id === id)!);

t.test('the structures stay consistent with the new artefacts', async (t) => {
  const registry = new StructureRegistry(all);
  t.same(registry.danglingReferences(), []);
  t.same(itemReferenceProblems(registry), []);
  for (const id of NEW_IDS) t.ok(all.find((a) => a.id === id), `${id} is built`);
  const identities = all.map((a) => `${a.agencyID}:${a.id}(${a.version})`);
  t.equal(new Set(identities).size, identities.length, 'agency, id and version are unique across types');
});

t.test('every new type validates in every format, full and as stubs', async (t) => {
  for (const presentation of ['full', 'stub', 'completestub'] as const) {
    const artefacts = newArtefacts.map((a) => (presentation === 'full' ? a : { ...a, presentation }));
    const msg: StructureMessage = { header, artefacts };
    t.same(validateXml21(writeStructureMl21(msg)), [], `SDMX-ML 2.1 (${presentation})`);
    t.same(validateXml301(writeStructureMl30(msg)), [], `SDMX-ML 3.0.1 (${presentation})`);
    t.same(validateJson(writeStructureJson10(msg), JSON_SCHEMA.structure10), [], `SDMX-JSON 1.0 (${presentation})`);
    t.same(validateJson(writeStructureJson20(msg), JSON_SCHEMA.structure20), [], `SDMX-JSON 2.0.0 (${presentation})`);
  }
});

t.test('SDMX-ML 2.1 reads back every new artefact as written', async (t) => {
  for (const a of newArtefacts) {
    t.same(readStructureMl21(writeStructureMl21({ header, artefacts: [a] })), [a], `${a.class} ${a.id}`);
  }
});

t.test('organisation units: the institutions that produce the figures, in English and Spanish', async (t) => {
  const ou = find<OrganisationUnitScheme>('OrganisationUnitScheme', 'OU_CJ_INSTITUTIONS');
  const ids = ou.items.map((u) => u.id);
  for (const id of ['POLICE', 'PROSECUTION', 'COURTS', 'PRISON_ADMIN', 'NSO']) t.ok(ids.includes(id), id);
  for (const u of ou.items) {
    t.ok(u.name.en && u.name.es, `${u.id} has en and es names`);
    if (u.id !== 'CJ_STAT_SYSTEM') t.equal(u.parentID, 'CJ_STAT_SYSTEM', `${u.id} sits in the statistical system`);
  }
  t.equal(ou.items.find((u) => u.id === 'PROSECUTION')!.name.en, 'Prosecution service');
  t.equal(ou.items.find((u) => u.id === 'PRISON_ADMIN')!.name.en, 'Prison administration');
  t.match(
    ou.items.find((u) => u.id === 'PROSECUTION')!.annotations,
    [{ type: 'UNODC_SOURCE_CODES', title: 'PPR/AG' }],
    'the UNODC source codes of the prosecution service',
  );
  // SDMX-ML 3.0 and SDMX-JSON 2.0 carry the parent as an id, SDMX-JSON 1.0 as a URN.
  const ml30 = writeStructureMl30({ header, artefacts: [ou] });
  t.match(ml30, /<structure:OrganisationUnit [^>]*id="POLICE"[\s\S]*?<structure:Parent>CJ_STAT_SYSTEM<\/structure:Parent>/);
  const json10 = writeStructureJson10({ header, artefacts: [ou] }) as { data: { organisationUnitSchemes: { organisationUnits: { id: string; parent?: string }[] }[] } };
  t.equal(
    json10.data.organisationUnitSchemes[0]!.organisationUnits.find((u) => u.id === 'POLICE')!.parent,
    'urn:sdmx:org.sdmx.infomodel.base.OrganisationUnit=UNODC:OU_CJ_INSTITUTIONS(1.0).CJ_STAT_SYSTEM',
  );
});

t.test('data consumers: UNODC for UN-CTS reporting, Eurostat, the public', async (t) => {
  const dc = find<DataConsumerScheme>('DataConsumerScheme', 'DATA_CONSUMERS');
  t.same(dc.items.map((c) => c.id), ['UNODC', 'ESTAT', 'UNSD', 'PUBLIC']);
  t.equal(dc.isFinal, false, 'SDMX: a data consumer scheme is never final');
  t.match(dc.items[0]!.description!.en, /UN-CTS/);
});

t.test('the UN-CTS reporting taxonomy references every UN-CTS dataflow, each table its flows', async (t) => {
  const rt = find<ReportingTaxonomy>('ReportingTaxonomy', 'RT_UN_CTS');
  const flows = rt.items.flatMap((c) => (c.provisioningMetadata ?? []).map((r) => r.id));
  const cts = all.filter((a) => a.class === 'Dataflow' && a.id.startsWith('DF_CTS_')).map((a) => a.id);
  t.same([...flows].filter((f) => f.startsWith('DF_CTS_')).sort(), [...cts].sort(), 'each DF_CTS_* dataflow once');
  t.same(rt.items.find((c) => c.id === 'OFFENCES')!.provisioningMetadata!.map((r) => r.id), ['DF_CTS_OFFENCES', 'DF_ESTAT_CRIM_OFF_CAT']);
  t.equal(rt.items.find((c) => c.id === 'CONVICTED')!.parentID, 'COURTS');
  for (const c of rt.items.filter((i) => i.parentID === undefined)) t.notOk(c.provisioningMetadata, `${c.id} is a stage`);
  const ml21 = writeStructureMl21({ header, artefacts: [rt] });
  t.match(ml21, /<structure:ReportingCategory id="OFFENCES"[^>]*urn="[^"]*\.POLICE\.OFFENCES"[\s\S]*?<structure:ProvisioningMetadata><Ref agencyID="UNODC" id="DF_CTS_OFFENCES" version="1.0" class="Dataflow" package="datastructure"\/>/);
});

t.test('the publication process: its six steps in order, with the artefacts they use', async (t) => {
  const p = find<Process>('Process', 'PROC_PUBLICATION');
  t.same(p.steps.map((s) => s.id), ['UPLOAD', 'VALIDATE', 'PROTECT', 'SCHEDULE', 'PUBLISH', 'REVISE']);
  const step = (id: string) => p.steps.find((s) => s.id === id) as ProcessStep;
  const refs = (list: ProcessStep['inputs']) => list.map((a) => `${a.ref.class}:${a.ref.id}`);
  t.equal(step('UPLOAD').inputs.length, all.filter((a) => a.class === 'ProvisionAgreement').length, 'upload: every provision agreement');
  t.ok(refs(step('VALIDATE').inputs).includes('DataStructure:DSD_CTS'));
  t.ok(refs(step('VALIDATE').inputs).includes('ContentConstraint:CR_A_DF_CTS_HOMICIDE'));
  t.ok(refs(step('VALIDATE').inputs).includes('ContentConstraint:CR_A_PA_DF_ESTAT_CRIM_PRIS_AGE_ESTAT'));
  t.same(refs(step('PROTECT').inputs).sort(), all.filter((a) => a.id.startsWith('HCL_') && a.id !== 'HCL_ICCS').map((a) => `HierarchicalCodelist:${a.id}`).sort(), 'protect: the additive HCLs');
  t.same(refs(step('PROTECT').outputs), ['Codelist:CL_CONF_STATUS', 'Codelist:CL_OBS_STATUS']);
  t.equal(step('PUBLISH').outputs.length, all.filter((a) => a.class === 'Dataflow').length, 'publish: every dataflow');
  t.same(step('VALIDATE').transitions.map((x) => x.targetStep), ['UPLOAD']);
  t.same(step('REVISE').transitions.map((x) => x.targetStep), ['UPLOAD']);
  const ml30 = writeStructureMl30({ header, artefacts: [p] });
  t.match(ml30, /<structure:ObjectReference>urn:sdmx:org\.sdmx\.infomodel\.codelist\.Hierarchy=UNODC:HCL_SEX\(1\.0\)<\/structure:ObjectReference>/);
});

t.test('the UN-CTS → ICCS map holds every row of the correspondence CSV', async (t) => {
  const csvText = readFileSync(path.join(REPO_ROOT, 'sdmx/sources/iccs/cts-category-to-iccs.csv'), 'utf8');
  t.equal(csvText, readFileSync(path.join(DATA.iccs, 'cts-category-to-iccs.csv'), 'utf8'), 'the vendored CSV is the shared one');
  const rows = parseCtsCategoryCsv(csvText);
  t.equal(rows.length, 45);
  const cl = find<Codelist>('Codelist', 'CL_CTS_CATEGORY');
  const map = find<RepresentationMap>('RepresentationMap', 'RM_CTS_ICCS');
  t.same([map.source.id, map.target.id], ['CL_CTS_CATEGORY', 'CL_ICCS']);
  const iccs = find<Codelist>('Codelist', 'CL_ICCS');
  for (const row of rows) {
    const code = cl.items.find((c) => c.annotations?.some((a) => a.type === 'CTS_CATEGORY' && a.title === row.cts_category) && c.description?.en.includes(row.cts_dimension));
    if (!t.ok(code, `"${row.cts_category}" (${row.cts_dimension}) is a code`)) continue;
    const targets = map.mappings.filter((m) => m.source === code!.id).map((m) => m.target);
    if (row.iccs_code) t.same(targets, [row.iccs_code], `${code!.id} → ${row.iccs_code}`);
    else {
      t.equal(row.match, 'residual');
      t.same(targets, ['07032', '07033', '07034', '07035', '07039'], `${code!.id} → the other corruption groups`);
    }
    t.match(code!.annotations, [{ type: 'ICCS_MATCH', title: row.match }]);
  }
  for (const m of map.mappings) t.ok(iccs.items.some((c) => c.id === m.target), `${m.target} is in CL_ICCS`);
  t.ok(cl.items.some((c) => c.id === 'OFF_0208_CY'), 'the cyber-related variant has its own code');
});

t.test('constraints on the DSD and on the provision agreements', async (t) => {
  const dsd = find<ContentConstraint>('ContentConstraint', 'CR_A_DSD_CTS');
  t.same(dsd.constraintAttachment.map((r) => r.class), ['DataStructure']);
  const flows = all.filter((a): a is ContentConstraint => a.class === 'ContentConstraint' && a.constraintAttachment[0]?.class === 'Dataflow');
  const region = dsd.cubeRegions[0]!;
  t.notOk(region.keyValues.some((kv) => kv.id === 'OFFENCE'), 'OFFENCE open: the offence flows accept any ICCS category');
  for (const f of flows) {
    for (const kv of f.cubeRegions[0]!.keyValues) {
      const union = region.keyValues.find((k) => k.id === kv.id);
      if (union) for (const v of kv.values) t.ok(union.values.includes(v), `${kv.id}=${v} of ${f.id} is allowed by the DSD`);
    }
  }
  const estat = find<ContentConstraint>('ContentConstraint', 'CR_A_PA_DF_ESTAT_CRIM_OFF_CAT_ESTAT');
  t.same([...estat.cubeRegions[0]!.keyValues[0]!.values].sort(), [...new Set(Object.values(ESTAT_GEO))].sort(), 'Eurostat: the European areas of its tables');
  const prisons = find<ContentConstraint>('ContentConstraint', 'CR_A_PA_DF_CTS_PRISONS_UNODC');
  const homicide = find<ContentConstraint>('ContentConstraint', 'CR_A_PA_DF_CTS_HOMICIDE_UNODC');
  t.equal(prisons.cubeRegions[0]!.include, false);
  t.notOk(prisons.cubeRegions[0]!.keyValues[0]!.values.includes('001'), 'the world estimate of the prisons table is allowed');
  t.same([...homicide.cubeRegions[0]!.keyValues[0]!.values].sort(), M49_AREAS.map((a) => a.id).sort(), 'no regional aggregate in the homicide agreement');
});

t.test('attachment constraints: the SDG series keys, written in 2.1 and left out of 3.0', async (t) => {
  const ac = find<AttachmentConstraint>('AttachmentConstraint', 'AC_SDG_16_1_1');
  t.same(ac.dataKeySets[0]!.keys.map((k) => k.keyValues.find((kv) => kv.id === 'SEX')!.value), ['_T', 'F', 'M']);
  const ml21 = writeStructureMl21({ header, artefacts: [ac] });
  t.match(ml21, /<structure:Constraints><structure:AttachmentConstraint id="AC_SDG_16_1_1"[\s\S]*<structure:DataKeySet isIncluded="true"><structure:Key><common:KeyValue id="FREQ"><common:Value>A<\/common:Value>/);
  t.notMatch(writeStructureMl30({ header, artefacts: [ac] }), /AC_SDG/);
  t.notMatch(JSON.stringify(writeStructureJson20({ header, artefacts: [ac] })), /AC_SDG/);
  t.match(JSON.stringify(writeStructureJson10({ header, artefacts: [ac] })), /"attachmentConstraints":\[\{"id":"AC_SDG_16_1_1"/);
});
