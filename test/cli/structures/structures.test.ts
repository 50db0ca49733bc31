/**
 * The built structure set as a whole: identities, references, and the data-model constraints
 * of the SDMX conformance kit (conformance-kit.md §5 and §6.10).
 */
import t from 'tap';
import {
  childRefs,
  isItemScheme,
  refKey,
  refOf,
  type Categorisation,
  type Codelist,
  type ConceptScheme,
  type ContentConstraint,
  type DataStructure,
  type HierarchicalCode,
  type ItemRef,
  type Maintainable,
  type MaintainableRef,
} from '../../../src/sdmx/model.js';
import { buildStructures } from '../../../src/cli/structures/index.js';
import { DATAFLOW_IDS, DIMENSION_IDS } from '../../../src/cli/structures/common.js';

const all = buildStructures();
const find = <T extends Maintainable>(cls: T['class'], id: string) => all.find((a) => a.class === cls && a.id === id) as T;
const resolve = (r: MaintainableRef) => all.find((a) => refKey(refOf(a)) === refKey(r));
const itemExists = (r: ItemRef) => {
  const s = resolve(r.scheme);
  return !!s && isItemScheme(s) && s.items.some((i) => i.id === r.id);
};

// SDMX 2.1 SDMXCommonReferences.xsd: IDType and NCNameIDType (concepts, components).
const ID_TYPE = /^[A-Za-z0-9_@$-]+$/;
const NCNAME_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

t.test('(agency, id, version) is unique across all artefact classes', async (t) => {
  const seen = new Map<string, string>();
  for (const a of all) {
    const key = `${a.agencyID}:${a.id}(${a.version})`;
    t.notOk(seen.has(key), `${key} is a ${a.class} and a ${seen.get(key)}`);
    seen.set(key, a.class);
  }
  t.ok(all.length >= 45);
});

/** The SDG structures we republish (sdg.ts) keep their agencies and versions. */
const ours = all.filter((a) => a.agencyID === 'UNODC' || a.class === 'AgencyScheme');
const republished = all.filter((a) => !ours.includes(a));

t.test('agencies, versions, names and descriptions', async (t) => {
  t.equal(republished.length, 22, 'the SDG DSD, its concept scheme and 20 codelists');
  for (const a of republished) {
    t.ok(['IAEG-SDGs', 'SDMX'].includes(a.agencyID), `${refKey(refOf(a))}: maintained by the IAEG-SDGs or SDMX`);
    t.ok(a.annotations?.some((n) => n.type === 'PROVENANCE'), `${refKey(refOf(a))} says where it comes from (and is a complete stub)`);
  }
  for (const a of ours) {
    const k = refKey(refOf(a));
    t.equal(a.version, '1.0', `${k} version`);
    t.equal(a.agencyID, a.class === 'AgencyScheme' ? 'SDMX' : 'UNODC', `${k} agency`);
    t.ok(a.name.en, `${k} has an English name`);
    t.ok(a.description?.en, `${k} has an English description (complete stubs)`);
    t.equal(a.isFinal, a.class !== 'AgencyScheme' && a.class !== 'DataProviderScheme' && a.class !== 'DataConsumerScheme', `${k} isFinal`);
  }
  const agencies = find('AgencyScheme', 'AGENCIES');
  t.same(
    agencies.class === 'AgencyScheme' && agencies.items.map((i) => [i.id, i.name.en, i.name.es]),
    [
      ['UNODC', 'United Nations Office on Drugs and Crime', 'Oficina de las Naciones Unidas contra la Droga y el Delito'],
      ['ESTAT', 'Eurostat', 'Eurostat'],
      ['IAEG-SDGs', 'Inter-agency and Expert Group on SDG Indicators (IAEG-SDGs)', undefined],
    ],
  );
  const providers = find('DataProviderScheme', 'DATA_PROVIDERS');
  t.same(providers.class === 'DataProviderScheme' && providers.items.map((i) => i.id), ['UNODC', 'ESTAT']);
});

t.test('every id is an SDMX IDType; items are unique and parents exist without cycles', async (t) => {
  for (const a of all) {
    t.match(a.id, ID_TYPE, a.id);
    if (!isItemScheme(a)) continue;
    const items = a.items as readonly { id: string; parentID?: string }[];
    const ids = new Set(items.map((i) => i.id));
    t.equal(ids.size, items.length, `${a.id}: unique item ids`);
    for (const i of items) {
      t.match(i.id, a.class === 'ConceptScheme' ? NCNAME_ID : ID_TYPE, `${a.id}.${i.id}`);
      if (i.parentID) t.ok(ids.has(i.parentID), `${a.id}.${i.id}: parent ${i.parentID} exists`);
      let hops = 0;
      for (let p = i.parentID; p && hops <= items.length; p = items.find((x) => x.id === p)?.parentID) hops++;
      t.ok(hops <= items.length, `${a.id}.${i.id}: no parent cycle`);
    }
  }
});

t.test('every reference among the built artefacts resolves inside the set', async (t) => {
  let checked = 0;
  for (const a of all) {
    for (const r of childRefs(a)) {
      t.ok(resolve(r), `${a.id} → ${refKey(r)}`);
      checked++;
    }
  }
  t.ok(checked >= 70, `${checked} references checked`);
  // Item-level references.
  const dsd = find<DataStructure>('DataStructure', 'DSD_CTS');
  for (const c of [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes, dsd.primaryMeasure]) {
    t.ok(itemExists(c.conceptIdentity), `concept ${c.conceptIdentity.id}`);
  }
  for (const a of all) {
    if (a.class === 'Categorisation') t.ok(itemExists(a.target), `${a.id} → category ${a.target.id}`);
    if (a.class === 'ProvisionAgreement') t.ok(itemExists(a.dataProvider), `${a.id} → provider ${a.dataProvider.id}`);
    if (a.class === 'HierarchicalCodelist') {
      const included = new Set(a.includedCodelists.map((ic) => refKey(ic.ref)));
      for (const h of a.hierarchies) {
        const walk = (nodes: readonly HierarchicalCode[]) => {
          for (const n of nodes) {
            if (!itemExists(n.code)) t.fail(`${a.id}.${h.id}: code ${n.code.id}`);
            if (!included.has(refKey(n.code.scheme))) t.fail(`${a.id}.${h.id}: code ${n.code.id} of a codelist not included`);
            if (n.levelID && !h.levels?.some((l) => l.id === n.levelID)) t.fail(`${a.id}.${h.id}: level ${n.levelID}`);
            walk(n.children);
          }
        };
        walk(h.hierarchicalCodes);
      }
    }
  }
});

t.test('DSD_CTS: dimensions, time, measure, attributes', async (t) => {
  const dsd = find<DataStructure>('DataStructure', 'DSD_CTS');
  const cs = find<ConceptScheme>('ConceptScheme', 'CS_CRIME_JUSTICE');
  t.same(
    dsd.dimensions.map((d) => [d.id, d.position]),
    DIMENSION_IDS.map((id, i) => [id, i + 1]),
  );
  for (const d of dsd.dimensions) {
    t.equal(d.conceptIdentity.id, d.id, `${d.id}: dimension id = concept id`);
    t.equal(d.conceptIdentity.scheme.id, 'CS_CRIME_JUSTICE', `${d.id}: concept in CS_CRIME_JUSTICE`);
    t.ok(cs.items.some((c) => c.id === d.id), `${d.id} concept exists`);
    const cl = d.localRepresentation?.enumeration;
    t.ok(cl, `${d.id} has an explicit Enumeration`);
    const codelist = cl && (resolve(cl) as Codelist | undefined);
    t.ok(codelist && codelist.items.length >= 2, `${d.id}: codelist with ≥ 2 codes`);
    const core = cs.items.find((c) => c.id === d.id)?.coreRepresentation?.enumeration;
    t.same(core, cl, `${d.id}: concept core representation = local representation`);
  }
  t.equal(dsd.timeDimension.id, 'TIME_PERIOD');
  t.equal(dsd.timeDimension.position, 9);
  t.equal(dsd.timeDimension.localRepresentation?.textFormat?.textType, 'ObservationalTimePeriod');
  t.equal(dsd.primaryMeasure.id, 'OBS_VALUE');
  t.equal(dsd.primaryMeasure.localRepresentation?.textFormat?.textType, 'Double');
  t.same(
    dsd.attributes.map((a) => [a.id, a.assignmentStatus, a.relationship.kind, a.localRepresentation]),
    [
      ['OBS_STATUS', 'Mandatory', 'Observation', { enumeration: { class: 'Codelist', agencyID: 'UNODC', id: 'CL_OBS_STATUS', version: '1.0' } }],
      ['CONF_STATUS', 'Conditional', 'Observation', { enumeration: { class: 'Codelist', agencyID: 'UNODC', id: 'CL_CONF_STATUS', version: '1.0' } }],
      ['SOURCE_DETAIL', 'Conditional', 'Observation', { textFormat: { textType: 'String' } }],
      ['COMMENT_OBS', 'Conditional', 'Observation', { textFormat: { textType: 'String', maxLength: 1050 } }],
    ],
  );
  t.same(
    cs.items.map((c) => c.id),
    [
      'FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE',
      'TIME_PERIOD', 'OBS_VALUE', 'OBS_STATUS', 'CONF_STATUS', 'SOURCE_DETAIL', 'COMMENT_OBS',
    ],
  );
});

t.test('every codelist has at least two codes', async (t) => {
  const codelists = all.filter((a): a is Codelist => a.class === 'Codelist');
  // 12 for the data, 3 for the reference metadata (CL_COUNTING_UNIT, CL_COUNTING_STAGE, CL_YES_NO_UNK).
  t.equal(codelists.filter((c) => c.agencyID === 'UNODC').length, 15);
  for (const cl of codelists) t.ok(cl.items.length >= 2, `${cl.id}: ${cl.items.length} codes`);
});

const themeOf = (flowId: string) =>
  all.find((a): a is Categorisation => a.class === 'Categorisation' && a.source.id === flowId)?.target.id;

t.test('dataflows: all on DSD_CTS, each with a categorisation, provision agreement(s) and an Allowed constraint', async (t) => {
  const flows = all.filter((a) => a.class === 'Dataflow');
  t.same(flows.map((f) => f.id), DATAFLOW_IDS);
  t.same(
    flows.filter((f) => f.id.startsWith('DF_ESTAT_')).map((f) => [f.id, f.name.en, themeOf(f.id)]),
    [
      ['DF_ESTAT_CRIM_OFF_CAT', 'Offences recorded by the police, by ICCS category (Eurostat)', 'OFFENCES'],
      ['DF_ESTAT_CRIM_PRIS_AGE', 'Prisoners by age and sex (Eurostat)', 'PRISONS'],
    ],
  );
  const themes = find('CategoryScheme', 'CAT_THEMES');
  t.ok(themes.class === 'CategoryScheme' && themes.items.every((c) => !c.parentID), 'CAT_THEMES is flat');
  t.same(themes.class === 'CategoryScheme' && themes.items.map((c) => c.id), [
    'HOMICIDE', 'OFFENCES', 'VICTIMS', 'POLICE', 'PROSECUTION', 'COURTS', 'PRISONS',
  ]);
  const dsd = find<DataStructure>('DataStructure', 'DSD_CTS');
  for (const f of flows) {
    if (f.class !== 'Dataflow') continue;
    t.same(f.structure, refOf(dsd), `${f.id} uses DSD_CTS`);
    t.ok(f.name.es, `${f.id} has a Spanish name`);
    const cats = all.filter((a) => a.class === 'Categorisation' && a.source.id === f.id && a.target.scheme.id === 'CAT_THEMES');
    t.same(cats.map((c) => c.id), [`CAT_${f.id}`], 'one theme (and for the SDG flows a target of CAT_SDG)');
    const pas = all.filter((a) => a.class === 'ProvisionAgreement' && a.structureUsage.id === f.id).map((a) => a.id);
    // Eurostat's figures differ from UNODC's for the same keys: each provider has flows of its own.
    const provider = f.id.startsWith('DF_ESTAT_') ? 'ESTAT' : 'UNODC';
    t.same(pas, [`PA_${f.id}_${provider}`], `${f.id} provision agreements`);
    const crs = all.filter(
      (a): a is ContentConstraint =>
        a.class === 'ContentConstraint' && a.constraintAttachment.some((r) => refKey(r) === refKey(refOf(f))),
    );
    t.same(crs.map((c) => [c.id, c.constraintType]), [[`CR_A_${f.id}`, 'Allowed']]);
    const cr = crs[0];
    const ids = cr.cubeRegions[0].keyValues.map((kv) => kv.id);
    t.ok(ids.includes('INDICATOR') && ids.includes('UNIT_MEASURE') && ids.includes('FREQ'), `${cr.id} restricts INDICATOR, UNIT_MEASURE, FREQ`);
    for (const kv of cr.cubeRegions[0].keyValues) {
      const dim = dsd.dimensions.find((d) => d.id === kv.id);
      t.ok(dim, `${cr.id}: ${kv.id} is a dimension (TCK §2.4)`);
      const cl = dim && (resolve(dim.localRepresentation!.enumeration!) as Codelist);
      t.ok(kv.values.length > 0, `${cr.id}.${kv.id} has values`);
      for (const v of kv.values) t.ok(cl?.items.some((c) => c.id === v), `${cr.id}.${kv.id}=${v} is a code`);
    }
    t.same(cr.cubeRegions[0].keyValues.find((kv) => kv.id === 'FREQ')?.values, ['A'], 'annual only');
  }
});

t.test('CL_AREA: countries, UNODC areas, M49 regions', async (t) => {
  const area = find<Codelist>('Codelist', 'CL_AREA');
  const byId = new Map(area.items.map((c) => [c.id, c]));
  const iso = area.items.filter((c) => /^[A-Z]{3}$/.test(c.id) && c.id !== 'XKX');
  t.equal(iso.length, 249, '249 ISO 3166-1 countries');
  for (const c of area.items) t.ok(c.name.en && c.name.es, `${c.id} has en and es names`);
  t.equal(byId.get('001')?.parentID, undefined);
  for (const [id, parent] of [
    ['002', '001'], ['202', '002'], ['419', '019'], ['053', '009'], ['GBR_E_W', 'GBR'], ['GBR_S', 'GBR'],
    ['GBR_NI', 'GBR'], ['IRQ_C', 'IRQ'], ['IRQ_KRI', 'IRQ'], ['FRA', '155'], ['BRA', '419'], ['NGA', '202'],
    ['XKX', '039'], ['GBR', '154'], ['830', '154'],
  ]) {
    t.equal(byId.get(id)?.parentID, parent, `${id} → ${parent}`);
  }
  t.same(byId.get('202')?.name, { en: 'Sub-Saharan Africa', es: 'África subsahariana' });
  t.same(byId.get('GBR_E_W')?.name.en, 'United Kingdom (England and Wales)');
  // Every country-level parent is a subregion (parent of a parent is a region, then the world).
  for (const c of area.items) {
    if (!c.parentID || c.parentID === 'GBR' || c.parentID === 'IRQ') continue;
    const chain: string[] = [];
    for (let p: string | undefined = c.parentID; p; p = byId.get(p)?.parentID) chain.push(p);
    t.equal(chain[chain.length - 1], c.id === '001' ? undefined : '001', `${c.id} reaches the world`);
  }
});
