/**
 * Constraints beyond the per-dataflow Allowed ones (flows.ts):
 * - `CR_A_DSD_CTS`: what DSD_CTS allows across all its dataflows, the union of their Allowed
 *   constraints (a component stays constrained only if every flow constrains it);
 * - `CR_A_<agreement>`: what each provision agreement covers, by reference area: Eurostat's
 *   agreements cover the European countries and UK jurisdictions of its tables (the `geo` codes
 *   the loader maps, cts-mapping.ts); UNODC's cover countries and areas, not regional aggregates,
 *   except the world estimate of the unsentenced share in DF_CTS_PRISONS (the only aggregate the
 *   UNODC files hold);
 * - `AC_SDG_16_1_1` and `AC_SDG_16_3_2` (SDMX 2.1 AttachmentConstraints): the series keys of
 *   DF_CTS_HOMICIDE and DF_CTS_PRISONS that UNODC reports as SDG indicators, to which the SDG
 *   reference metadata attach. REF_AREA is left out of the keys: every area's series qualifies.
 */
import type { AttachmentConstraint, Codelist, ContentConstraint, CubeRegion, KeyValueSet, ProvisionAgreement } from '../../sdmx/model.js';
import { M49_AREAS } from './areas.js';
import { AGENCY, DSD, VERSION, ref } from './common.js';
import { ESTAT_GEO } from './cts-mapping.js';

/** Smallest single region containing every flow's included region. */
function unionRegion(constraints: readonly ContentConstraint[], order: (id: string) => Codelist | undefined): CubeRegion {
  const regions = constraints.flatMap((c) => c.cubeRegions.filter((r) => r.include));
  const ids = regions[0]?.keyValues.map((kv) => kv.id) ?? [];
  const keyValues: KeyValueSet[] = [];
  for (const id of ids) {
    const sets = regions.map((r) => r.keyValues.find((kv) => kv.id === id));
    if (sets.some((s) => s === undefined)) continue; // some flow leaves it open
    const values = new Set(sets.flatMap((s) => s!.values));
    const cl = order(id);
    keyValues.push({ id, values: cl ? cl.items.map((c) => c.id).filter((v) => values.has(v)) : [...values].sort() });
  }
  return { include: true, keyValues };
}

export function buildDsdConstraint(flowConstraints: readonly ContentConstraint[], order: (id: string) => Codelist | undefined): ContentConstraint {
  return {
    class: 'ContentConstraint',
    agencyID: AGENCY,
    id: 'CR_A_DSD_CTS',
    version: VERSION,
    isFinal: true,
    name: { en: 'Allowed content of DSD_CTS', es: 'Contenido permitido de DSD_CTS' },
    description: {
      en:
        'The codes any dataflow of DSD_CTS may hold: the union of the Allowed constraints of its dataflows (annual ' +
        'frequency only; OFFENCE is open because the police-recorded offence flows accept any ICCS category).',
    },
    constraintType: 'Allowed',
    constraintAttachment: [DSD],
    cubeRegions: [unionRegion(flowConstraints, order)],
  };
}

export function buildAgreementConstraint(pa: ProvisionAgreement, area: Codelist): ContentConstraint {
  const provider = pa.dataProvider.id;
  const flow = pa.structureUsage.id;
  const head = {
    class: 'ContentConstraint' as const,
    agencyID: AGENCY,
    id: `CR_A_${pa.id}`,
    version: VERSION,
    isFinal: true,
    name: { en: `Areas covered by ${pa.id}` },
    constraintType: 'Allowed' as const,
    constraintAttachment: [ref('ProvisionAgreement', pa.id)],
  };
  if (provider === 'ESTAT') {
    const covered = new Set(Object.values(ESTAT_GEO));
    return {
      ...head,
      description: { en: `Eurostat provides ${flow} for the European countries and UK jurisdictions of its tables.` },
      cubeRegions: [{ include: true, keyValues: [{ id: 'REF_AREA', values: area.items.map((c) => c.id).filter((c) => covered.has(c)) }] }],
    };
  }
  const world = flow === 'DF_CTS_PRISONS';
  const aggregates = M49_AREAS.map((a) => a.id).filter((id) => !(world && id === '001'));
  return {
    ...head,
    description: {
      en: world
        ? `UNODC provides ${flow} for countries and areas, and the world estimate of the unsentenced share; no other regional aggregate.`
        : `UNODC provides ${flow} for countries and areas (national and sub-national figures), not for regional aggregates.`,
    },
    cubeRegions: [{ include: false, keyValues: [{ id: 'REF_AREA', values: area.items.map((c) => c.id).filter((c) => aggregates.includes(c)) }] }],
  };
}

const sdgKey = (sex: string, indicator: string, offence: string, unit: string) => ({
  keyValues: [
    { id: 'FREQ', value: 'A' },
    { id: 'INDICATOR', value: indicator },
    { id: 'OFFENCE', value: offence },
    { id: 'SEX', value: sex },
    { id: 'AGE', value: '_T' },
    { id: 'DISAGGREGATION', value: '_T' },
    { id: 'UNIT_MEASURE', value: unit },
  ],
});

export function buildSdgAttachmentConstraints(): AttachmentConstraint[] {
  const base = { class: 'AttachmentConstraint' as const, agencyID: AGENCY, version: VERSION, isFinal: true };
  return [
    {
      ...base,
      id: 'AC_SDG_16_1_1',
      name: { en: 'Series of SDG indicator 16.1.1', es: 'Series del indicador ODS 16.1.1' },
      description: {
        en:
          'SDG indicator 16.1.1, number of victims of intentional homicide per 100 000 population, by sex: the series ' +
          'of DF_CTS_HOMICIDE to which the SDG reference metadata attach (any reference area).',
      },
      constraintAttachment: [ref('Dataflow', 'DF_CTS_HOMICIDE')],
      dataKeySets: [{ isIncluded: true, keys: ['_T', 'F', 'M'].map((sex) => sdgKey(sex, 'VIC_HOM', '0101', 'P_HTHAB')) }],
    },
    {
      ...base,
      id: 'AC_SDG_16_3_2',
      name: { en: 'Series of SDG indicator 16.3.2', es: 'Series del indicador ODS 16.3.2' },
      description: {
        en:
          'SDG indicator 16.3.2, unsentenced detainees as a proportion of the overall prison population: the series of ' +
          'DF_CTS_PRISONS to which the SDG reference metadata attach (any reference area).',
      },
      constraintAttachment: [ref('Dataflow', 'DF_CTS_PRISONS')],
      dataKeySets: [{ isIncluded: true, keys: [sdgKey('_T', 'PRIS_UNSENT', '_T', 'PC')] }],
    },
  ];
}
