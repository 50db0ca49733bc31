/**
 * The three reference-metadata message writers (SDMX-ML 2.1 GenericMetadata, SDMX-ML 3.0
 * GenericMetadata, SDMX-JSON 2.0.0 metadata) on hand-built metadata sets: a dataflow report with
 * nested attributes, English and Spanish text, a coded and a numeric value, and a country note
 * with two targets. Every message is validated against the official schemas (the vendored XSD
 * sets and SDMX-JSON metadata schema, test/fixtures/sdmx-standards), then read back to check
 * ids, texts per language, URNs, nesting and validity dates. One file for the three formats so
 * they share the fixtures (a fixtures module of its own would be run by tap as an empty test).
 */
import t from 'tap';
import path from 'node:path';
import { writeGenericMetadataMl21, METADATA_DETAILS_ML21 } from '../../../src/sdmx/ml21/generic-metadata-writer.js';
import {
  METADATA_DETAILS_ML30,
  metadataSetUrn30,
  writeMetadataMl30,
  type MetadataMessage,
} from '../../../src/sdmx/ml30/metadata-writer.js';
import { filterLanguages, METADATA_DETAILS_JSON20, writeMetadataJson20 } from '../../../src/sdmx/json20/metadata-writer.js';
import { CRIME_METADATA, type MetadataSet, type ReportedAttribute } from '../../../src/sdmx/metadata/model.js';
import type { MaintainableRef } from '../../../src/sdmx/model.js';
import type { Header } from '../../../src/sdmx/message.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { attr, kid, kids, parseXml, text, type XNode } from '../../../src/sdmx/ml21/xml-tree.js';
import { validateJson, validateXml21, validateXml30Official, validateXml301 } from '../../helpers/validate.js';
import { SDMX_STANDARDS } from '../../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METADATA_SCHEMA_20 = path.join(SDMX_STANDARDS, 'json-schema/2.0.0/sdmx-json-metadata-schema.json');

// ---------------------------------------------------------------------------------------------
// Fixtures

const header: Header = {
  id: 'MD000001',
  test: false,
  prepared: '2026-11-21T05:30:01Z',
  sender: { id: 'UNODC', name: { en: 'United Nations Office on Drugs and Crime', es: 'Oficina de las Naciones Unidas contra la Droga y el Delito' } },
};

const ref = (cls: MaintainableRef['class'], id: string, version = '1.0'): MaintainableRef => ({ class: cls, agencyID: 'UNODC', id, version });
const homicide = ref('Dataflow', 'DF_CTS_HOMICIDE');
const clArea = ref('Codelist', 'CL_AREA');
const reportFlow = ref('Metadataflow', CRIME_METADATA.report.flow);
const reportMsd = ref('MetadataStructure', CRIME_METADATA.report.msd);
const noteFlow = ref('Metadataflow', CRIME_METADATA.countryNote.flow);
const noteMsd = ref('MetadataStructure', CRIME_METADATA.countryNote.msd);

/** Paragraphs separated by a blank line (design doc §1.2), with characters XML must escape. */
const DESCR_EN = 'Victims of intentional homicide (ICCS 0101) counted by the police.\n\nRates use population < 1 & > 0 "as published".';
const DESCR_ES = 'Víctimas de homicidio intencional (ICCS 0101) registradas por la policía.\n\nTasas por cada 100 000 habitantes.';

const leaf = (id: string, body: Omit<ReportedAttribute, 'id' | 'children'>): ReportedAttribute => ({ id, ...body, children: [] });

const report: MetadataSet = {
  agencyID: 'UNODC',
  id: 'MS_DF_CTS_HOMICIDE',
  version: '1.0.0',
  name: { en: 'Homicide statistics: methodology', es: 'Estadísticas de homicidio: metodología' },
  metadataflow: reportFlow,
  structure: reportMsd,
  reportID: CRIME_METADATA.report.report,
  targetID: CRIME_METADATA.report.target,
  target: { dataflow: homicide },
  provider: { scheme: ref('DataProviderScheme', 'DATA_PROVIDERS'), id: 'UNODC' },
  validFrom: '2026-03-01T09:00:00Z',
  release: 'GSH-2019',
  attributes: [
    {
      id: 'CONTACT',
      children: [
        leaf('CONTACT_ORGANISATION', { text: { en: 'UNODC, Research and Trend Analysis Branch', es: 'UNODC, Subdivisión de Investigación y Análisis de Tendencias' } }),
        leaf('CONTACT_EMAIL', { value: 'crime-stats@example.org' }),
      ],
    },
    {
      id: 'STAT_PRES',
      children: [leaf('DATA_DESCR', { text: { en: DESCR_EN, es: DESCR_ES } }), leaf('CNT_UNIT', { value: 'VICTIM' })],
    },
    {
      id: 'PUNCTUALITY',
      text: { en: '87.5 % of releases were published on the announced day.', es: 'El 87,5 % de las publicaciones salió el día anunciado.' },
      children: [leaf('PUNCT_ON_TIME_PCT', { value: '87.5' }), leaf('PUNCT_MEAN_DELAY_D', { value: '-0.25' })],
    },
  ],
};

const countryNote: MetadataSet = {
  agencyID: 'UNODC',
  id: 'MS_DF_CTS_HOMICIDE_KAZ',
  version: '1.1.0',
  name: { en: 'Homicide statistics: note on Kazakhstan', es: 'Estadísticas de homicidio: nota sobre Kazajstán' },
  metadataflow: noteFlow,
  structure: noteMsd,
  reportID: CRIME_METADATA.countryNote.report,
  targetID: CRIME_METADATA.countryNote.target,
  target: { dataflow: homicide, area: { class: 'Code', scheme: clArea, id: 'KAZ' } },
  attributes: [leaf('COMPAR_TIME', { text: { en: 'Break in series: counting rules changed.', es: 'Ruptura de serie: cambiaron las reglas de recuento.' } })],
};

const FLOW_URN = 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_CTS_HOMICIDE(1.0)';
const KAZ_URN = 'urn:sdmx:org.sdmx.infomodel.codelist.Code=UNODC:CL_AREA(1.0).KAZ';
const REPORT_FLOW_URN = 'urn:sdmx:org.sdmx.infomodel.metadatastructure.Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)';
const NOTE_FLOW_URN = 'urn:sdmx:org.sdmx.infomodel.metadatastructure.Metadataflow=UNODC:MDF_CRIME_COUNTRY_NOTE(1.0)';

const both: MetadataMessage = { header, sets: [report, countryNote] };

/** The model's attribute tree as `id`, `id/child`… paths with what each carries. */
function modelTree(attributes: readonly ReportedAttribute[], prefix = ''): string[] {
  return attributes.flatMap((a) => {
    const p = prefix + a.id;
    const langs = Object.keys(a.text ?? {}).sort().join('+');
    return [`${p} value=${a.value ?? '-'} text=${langs || '-'}`, ...modelTree(a.children, p + '/')];
  });
}

/** Local names of the children of the first element whose start tag begins with `start`, in document order (runs of one name once). */
const childOrder = (xml: string, start: string): string[] => {
  const open = xml.indexOf(`<${start}`);
  const names: string[] = [];
  let depth = 0;
  for (const m of xml.slice(xml.indexOf('>', open) + 1).matchAll(/<(\/?)(?:[A-Za-z]+:)?([A-Za-z]+)[^>]*?(\/?)>/g)) {
    if (m[1]) {
      if (--depth < 0) break; // the element's own end tag
    } else {
      if (depth === 0 && names[names.length - 1] !== m[2]) names.push(m[2]);
      if (!m[3]) depth++;
    }
  }
  return names;
};

// ---------------------------------------------------------------------------------------------
// Media types

t.test('the three metadata media types are the exact strings of the REST 2.0 openapi', async (t) => {
  t.equal(MEDIA.metadataJson20, 'application/vnd.sdmx.metadata+json;version=2.0.0');
  t.equal(MEDIA.metadataMl30, 'application/vnd.sdmx.metadata+xml;version=3.0.0');
  t.equal(MEDIA.genericMetadataMl21, 'application/vnd.sdmx.genericmetadata+xml;version=2.1');
});

t.test('which detail each writer can express', async (t) => {
  t.same(METADATA_DETAILS_ML21, ['full'], '2.1 has no stub form (Report and a non-empty AttributeSet are required)');
  t.same(METADATA_DETAILS_ML30, ['full', 'allstubs']);
  t.same(METADATA_DETAILS_JSON20, ['full'], 'the JSON schema requires targets and attributes');
  t.throws(() => writeGenericMetadataMl21({ ...both, detail: 'allstubs' }), /detail=allstubs/);
  t.throws(() => writeMetadataJson20({ ...both, detail: 'allstubs' }), /detail=allstubs/);
  t.doesNotThrow(() => writeMetadataMl30({ ...both, detail: 'allstubs' }));
});

// ---------------------------------------------------------------------------------------------
// SDMX-ML 2.1

function attributeTree21(set: XNode | undefined, prefix = ''): string[] {
  return kids(set, 'ReportedAttribute').flatMap((a) => {
    const p = prefix + attr(a, 'id');
    const langs = kids(a, 'Text')
      .map((x) => attr(x, 'lang'))
      .sort()
      .join('+');
    return [`${p} value=${attr(a, 'value') ?? '-'} text=${langs || '-'}`, ...attributeTree21(kid(a, 'AttributeSet'), p + '/')];
  });
}

t.test('SDMX-ML 2.1 GenericMetadata', async (t) => {
  const xml = writeGenericMetadataMl21(both);

  t.test('validates against the official 2.1 XSDs, one set or two; the validator is not vacuous', async (t) => {
    t.same(validateXml21(xml), []);
    t.same(validateXml21(writeGenericMetadataMl21({ header, sets: [countryNote] })), []);
    t.same(validateXml21(writeGenericMetadataMl21({ header: { ...header, sender: { id: 'UNODC' } }, sets: [report] })), [], 'a sender without names');
    t.ok(validateXml21(xml.replace(' structureRef="MDF_CRIME_REPORT"', '')).length > 0, 'structureRef is required');
    t.ok(validateXml21(xml.replace('<metadata:Target id="DATAFLOW_TARGET">', '<metadata:Target>')).length > 0);
  });

  t.test('header: one Structure per metadataflow, a StructureUsage Ref to it', async (t) => {
    const root = parseXml(xml);
    t.equal(root.name, 'GenericMetadata');
    const h = kid(root.node, 'Header');
    t.equal(text(kid(h, 'ID')), 'MD000001');
    t.equal(text(kid(h, 'Test')), 'false');
    t.equal(text(kid(h, 'Prepared')), '2026-11-21T05:30:01Z');
    t.equal(attr(kid(h, 'Sender'), 'id'), 'UNODC');
    t.same(kids(kid(h, 'Sender'), 'Name').map((n) => attr(n, 'lang')), ['en', 'es']);
    const structures = kids(h, 'Structure');
    t.same(
      structures.map((s) => attr(s, 'structureID')),
      ['MDF_CRIME_REPORT', 'MDF_CRIME_COUNTRY_NOTE'],
    );
    const r = kid(kid(structures[0], 'StructureUsage'), 'Ref');
    t.same(
      { agencyID: attr(r, 'agencyID'), id: attr(r, 'id'), version: attr(r, 'version'), class: attr(r, 'class'), package: attr(r, 'package') },
      { agencyID: 'UNODC', id: 'MDF_CRIME_REPORT', version: '1.0', class: 'Metadataflow', package: 'metadatastructure' },
    );
  });

  t.test('sets: structureRef, setID, validFromDate, names, provider, report, target, reference values', async (t) => {
    const [a, b] = kids(parseXml(xml).node, 'MetadataSet');
    t.equal(attr(a, 'structureRef'), 'MDF_CRIME_REPORT');
    t.equal(attr(a, 'setID'), 'MS_DF_CTS_HOMICIDE');
    t.equal(attr(a, 'validFromDate'), '2026-03-01T09:00:00Z');
    t.same(
      kids(a, 'Name').map((n) => [attr(n, 'lang'), text(n)]),
      [
        ['en', 'Homicide statistics: methodology'],
        ['es', 'Estadísticas de homicidio: metodología'],
      ],
    );
    const p = kid(kid(a, 'DataProvider'), 'Ref');
    t.same([attr(p, 'agencyID'), attr(p, 'maintainableParentID'), attr(p, 'maintainableParentVersion'), attr(p, 'id'), attr(p, 'class')], [
      'UNODC',
      'DATA_PROVIDERS',
      '1.0',
      'UNODC',
      'DataProvider',
    ]);
    const ra = kid(a, 'Report');
    t.equal(attr(ra, 'id'), 'CRIME_REPORT');
    t.equal(attr(kid(ra, 'Target'), 'id'), 'DATAFLOW_TARGET');
    const refs = (r: XNode | undefined) => kids(kid(r, 'Target'), 'ReferenceValue').map((v) => [attr(v, 'id'), text(kid(kid(v, 'ObjectReference'), 'URN'))]);
    t.same(refs(ra), [['DATAFLOW', FLOW_URN]]);

    t.equal(attr(b, 'structureRef'), 'MDF_CRIME_COUNTRY_NOTE');
    t.equal(attr(b, 'setID'), 'MS_DF_CTS_HOMICIDE_KAZ');
    t.equal(attr(b, 'validFromDate'), undefined, 'no validFrom, no validFromDate');
    t.equal(kid(b, 'DataProvider'), undefined);
    const rb = kid(b, 'Report');
    t.equal(attr(rb, 'id'), 'COUNTRY_NOTE');
    t.equal(attr(kid(rb, 'Target'), 'id'), 'DATAFLOW_AREA_TARGET');
    t.same(refs(rb), [
      ['DATAFLOW', FLOW_URN],
      ['REF_AREA', KAZ_URN],
    ]);
  });

  t.test('attributes: nesting, value, Text per language (exact text), never StructuredText', async (t) => {
    const [a, b] = kids(parseXml(xml).node, 'MetadataSet');
    t.same(attributeTree21(kid(kid(a, 'Report'), 'AttributeSet')), modelTree(report.attributes));
    t.same(attributeTree21(kid(kid(b, 'Report'), 'AttributeSet')), modelTree(countryNote.attributes));
    const statPres = kids(kid(kid(a, 'Report'), 'AttributeSet'), 'ReportedAttribute')[1];
    const descr = kids(kid(statPres, 'AttributeSet'), 'ReportedAttribute')[0];
    t.same(
      kids(descr, 'Text').map((x) => [attr(x, 'lang'), text(x)]),
      [
        ['en', DESCR_EN],
        ['es', DESCR_ES],
      ],
      'paragraph breaks and escaped characters come back unchanged',
    );
    t.notMatch(xml, /StructuredText/);
  });

  t.test('element order is that of ESTAT/esms.xml (Name, DataProvider, Report; Target, AttributeSet; Text, AttributeSet)', async (t) => {
    t.same(childOrder(xml, 'message:MetadataSet'), ['Name', 'DataProvider', 'Report']);
    t.same(childOrder(xml, 'metadata:Report'), ['Target', 'AttributeSet']);
    t.same(childOrder(xml, 'metadata:ReportedAttribute id="PUNCTUALITY"'), ['Text', 'AttributeSet']);
    t.same(childOrder(xml, 'message:Header'), ['ID', 'Test', 'Prepared', 'Sender', 'Structure']);
  });

  t.test('two metadataflows with the same id get distinct structure ids', async (t) => {
    const other = { ...countryNote, metadataflow: { ...reportFlow, agencyID: 'ESTAT' } };
    const doc = writeGenericMetadataMl21({ header, sets: [report, other] });
    t.same(validateXml21(doc), []);
    const h = kid(parseXml(doc).node, 'Header');
    t.same(
      kids(h, 'Structure').map((s) => attr(s, 'structureID')),
      ['MDF_CRIME_REPORT', 'MDF_CRIME_REPORT_2'],
    );
    t.same(
      kids(parseXml(doc).node, 'MetadataSet').map((s) => attr(s, 'structureRef')),
      ['MDF_CRIME_REPORT', 'MDF_CRIME_REPORT_2'],
    );
  });

  t.test('no set, or a set without attributes, cannot be written', async (t) => {
    t.throws(() => writeGenericMetadataMl21({ header, sets: [] }), /at least one metadata set/);
    t.throws(() => writeGenericMetadataMl21({ header, sets: [{ ...report, attributes: [] }] }), /has no attributes/);
  });
});

// ---------------------------------------------------------------------------------------------
// SDMX-ML 3.0

function attributeTree30(parent: XNode | undefined, prefix = ''): string[] {
  return kids(parent, 'Attribute').flatMap((a) => {
    const p = prefix + attr(a, 'id');
    const langs = kids(a, 'Text')
      .map((x) => attr(x, 'lang'))
      .sort()
      .join('+');
    const value = kid(a, 'Value');
    return [`${p} value=${value ? text(value) : '-'} text=${langs || '-'}`, ...attributeTree30(a, p + '/')];
  });
}

t.test('SDMX-ML 3.0 GenericMetadata', async (t) => {
  const xml = writeMetadataMl30(both);
  const stubs = writeMetadataMl30({ ...both, detail: 'allstubs' });

  t.test('validates against the official 3.0.1 and 3.0.0 XSDs, full and allstubs; the validator is not vacuous', async (t) => {
    t.same(validateXml301(xml), []);
    t.same(validateXml30Official(xml), []);
    t.same(validateXml301(stubs), []);
    t.same(validateXml30Official(stubs), []);
    t.ok(validateXml301(xml.replace('<common:Name xml:lang="en">Homicide statistics: methodology</common:Name>', '')).length === 0, 'one Name is enough');
    t.ok(validateXml301(xml.replace(/<common:Name [^>]*>[^<]*<\/common:Name>\n/g, '')).length > 0, 'Name is required');
    t.ok(validateXml301(xml.replace('urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataSet=', 'urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataSets=')).length > 0, 'the set URN pattern is checked');
  });

  t.test('header: one Structure per metadataflow, its URN as StructureUsage', async (t) => {
    const h = kid(parseXml(xml).node, 'Header');
    t.same(childOrder(xml, 'message:Header'), ['ID', 'Test', 'Prepared', 'Sender', 'Structure']);
    t.same(
      kids(h, 'Structure').map((s) => [attr(s, 'structureID'), text(kid(s, 'StructureUsage'))]),
      [
        ['MDF_CRIME_REPORT', REPORT_FLOW_URN],
        ['MDF_CRIME_COUNTRY_NOTE', NOTE_FLOW_URN],
      ],
    );
  });

  t.test('sets: maintainable identity, validFrom, names, metadataflow, targets', async (t) => {
    const [a, b] = kids(parseXml(xml).node, 'MetadataSet');
    t.same(
      { urn: attr(a, 'urn'), agencyID: attr(a, 'agencyID'), id: attr(a, 'id'), version: attr(a, 'version'), validFrom: attr(a, 'validFrom') },
      {
        urn: 'urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataSet=UNODC:MS_DF_CTS_HOMICIDE(1.0.0)',
        agencyID: 'UNODC',
        id: 'MS_DF_CTS_HOMICIDE',
        version: '1.0.0',
        validFrom: '2026-03-01T09:00:00Z',
      },
    );
    t.equal(attr(a, 'urn'), metadataSetUrn30(report));
    t.same(
      kids(a, 'Name').map((n) => [attr(n, 'lang'), text(n)]),
      [
        ['en', 'Homicide statistics: methodology'],
        ['es', 'Estadísticas de homicidio: metodología'],
      ],
    );
    t.equal(text(kid(a, 'Metadataflow')), REPORT_FLOW_URN);
    t.same(kids(a, 'Target').map(text), [FLOW_URN]);
    t.same(childOrder(xml, 'message:MetadataSet'), ['Name', 'Metadataflow', 'Target', 'Attribute']);

    t.equal(attr(b, 'version'), '1.1.0');
    t.equal(attr(b, 'validFrom'), undefined);
    t.equal(text(kid(b, 'Metadataflow')), NOTE_FLOW_URN);
    t.same(kids(b, 'Target').map(text), [FLOW_URN, KAZ_URN], 'a country note targets the dataflow and the area code');
  });

  t.test('attributes: nesting, Value, Text per language, never StructuredText', async (t) => {
    const [a, b] = kids(parseXml(xml).node, 'MetadataSet');
    t.same(attributeTree30(a), modelTree(report.attributes));
    t.same(attributeTree30(b), modelTree(countryNote.attributes));
    const descr = kids(kids(a, 'Attribute')[1], 'Attribute')[0];
    t.same(
      kids(descr, 'Text').map((x) => [attr(x, 'lang'), text(x)]),
      [
        ['en', DESCR_EN],
        ['es', DESCR_ES],
      ],
    );
    t.same(childOrder(xml, 'metadata:Attribute id="PUNCTUALITY"'), ['Text', 'Attribute']);
    t.notMatch(xml, /StructuredText/);
  });

  t.test('text wins over a value on the same attribute (the XSD allows one)', async (t) => {
    const odd = { ...countryNote, attributes: [leaf('COMPAR_TIME', { text: { en: 'Break.' }, value: 'X' })] };
    const doc = writeMetadataMl30({ header, sets: [odd] });
    t.same(validateXml301(doc), []);
    t.notMatch(doc, /<metadata:Value>/);
    // 2.1 can carry both: value attribute and Text.
    const doc21 = writeGenericMetadataMl21({ header, sets: [odd] });
    t.same(validateXml21(doc21), []);
    t.match(doc21, /<metadata:ReportedAttribute id="COMPAR_TIME" value="X"><common:Text xml:lang="en">Break.<\/common:Text>/);
  });

  t.test('allstubs: identification and names only', async (t) => {
    const [a, b] = kids(parseXml(stubs).node, 'MetadataSet');
    t.equal(attr(a, 'urn'), metadataSetUrn30(report));
    t.same([attr(a, 'agencyID'), attr(a, 'id'), attr(a, 'version')], ['UNODC', 'MS_DF_CTS_HOMICIDE', '1.0.0']);
    t.equal(attr(a, 'validFrom'), undefined);
    t.same(kids(a, 'Name').map((n) => attr(n, 'lang')), ['en', 'es']);
    for (const s of [a, b]) for (const k of ['Metadataflow', 'Target', 'Attribute']) t.equal(kid(s, k), undefined, `no ${k}`);
    t.equal(kids(kid(parseXml(stubs).node, 'Header'), 'Structure').length, 2, 'the header still names the metadataflows');
  });

  t.test('a set without names gets its id as English name (Name is required)', async (t) => {
    const doc = writeMetadataMl30({ header, sets: [{ ...countryNote, name: {} }] });
    t.same(validateXml301(doc), []);
    t.same(kids(kid(parseXml(doc).node, 'MetadataSet'), 'Name').map((n) => [attr(n, 'lang'), text(n)]), [['en', 'MS_DF_CTS_HOMICIDE_KAZ']]);
  });

  t.test('no set, or a full set without attributes, cannot be written; a stub without attributes can', async (t) => {
    t.throws(() => writeMetadataMl30({ header, sets: [] }), /at least one metadata set/);
    t.throws(() => writeMetadataMl30({ header, sets: [{ ...report, attributes: [] }] }), /has no attributes/);
    t.same(validateXml301(writeMetadataMl30({ header, sets: [{ ...report, attributes: [] }], detail: 'allstubs' })), []);
  });
});

// ---------------------------------------------------------------------------------------------
// SDMX-JSON 2.0

function attributeTreeJson(attributes: readonly J[] | undefined, prefix = ''): string[] {
  return (attributes ?? []).flatMap((a) => {
    const p = prefix + a.id;
    const isText = a.value !== null && typeof a.value === 'object';
    const langs = isText ? Object.keys(a.value).sort().join('+') : '';
    return [`${p} value=${isText || a.value === undefined ? '-' : a.value} text=${langs || '-'}`, ...attributeTreeJson(a.attributes, p + '/')];
  });
}

t.test('SDMX-JSON 2.0 metadata message', async (t) => {
  const doc = writeMetadataJson20(both) as J;
  const valid = (d: unknown) => validateJson(d, METADATA_SCHEMA_20);

  t.test('validates against the SDMX-JSON 2.0.0 metadata schema; the validator is not vacuous', async (t) => {
    t.same(valid(doc), []);
    t.same(valid(JSON.parse(JSON.stringify(doc))), [], 'also once serialised');
    const broken = structuredClone(doc);
    delete broken.data.metadataSets[0].attributes;
    broken.data.metadataSets[1].metadataflow = FLOW_URN;
    t.ok(valid(broken).length >= 2);
  });

  t.test('meta: as the other SDMX-JSON 2.0 writers write it', async (t) => {
    t.same(doc.meta, {
      schema: 'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/metadata-message/tools/schemas/2.0.0/sdmx-json-metadata-schema.json',
      id: 'MD000001',
      test: false,
      prepared: '2026-11-21T05:30:01Z',
      contentLanguages: ['en', 'es'],
      sender: { id: 'UNODC', name: header.sender.name!.en, names: header.sender.name },
    });
  });

  t.test('sets: identity, names, metadataflow, validFrom, MSD link, targets', async (t) => {
    const [a, b] = doc.data.metadataSets;
    t.same(
      { ...a, attributes: undefined },
      {
        id: 'MS_DF_CTS_HOMICIDE',
        agencyID: 'UNODC',
        version: '1.0.0',
        name: 'Homicide statistics: methodology',
        names: report.name,
        metadataflow: REPORT_FLOW_URN,
        validFrom: '2026-03-01T09:00:00Z',
        links: [{ rel: 'metadatastructure', urn: 'urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataStructure=UNODC:MSD_CRIME_REPORT(1.0)' }],
        targets: [FLOW_URN],
        attributes: undefined,
      },
    );
    t.equal(b.metadataflow, NOTE_FLOW_URN);
    t.same(b.targets, [FLOW_URN, KAZ_URN]);
    t.notOk('validFrom' in b);
  });

  t.test('attributes: nesting, values as strings, text as a localised object', async (t) => {
    const [a, b] = doc.data.metadataSets;
    t.same(attributeTreeJson(a.attributes), modelTree(report.attributes));
    t.same(attributeTreeJson(b.attributes), modelTree(countryNote.attributes));
    t.same(a.attributes[1].attributes[0], { id: 'DATA_DESCR', value: { en: DESCR_EN, es: DESCR_ES } });
    t.same(a.attributes[2].attributes[0], { id: 'PUNCT_ON_TIME_PCT', value: '87.5' });
    t.same(a.attributes[0], {
      id: 'CONTACT',
      attributes: [
        { id: 'CONTACT_ORGANISATION', value: report.attributes[0].children[0].text },
        { id: 'CONTACT_EMAIL', value: 'crime-stats@example.org' },
      ],
    });
  });

  t.test('the requested languages filter text values (RFC 4647 filtering, best match when none matches)', async (t) => {
    const es = writeMetadataJson20({ header: { ...header, languages: ['es'] }, sets: [report] }) as J;
    t.same(valid(es), []);
    t.same(es.data.metadataSets[0].attributes[1].attributes[0].value, { es: DESCR_ES });
    t.equal(es.data.metadataSets[0].name, 'Estadísticas de homicidio: metodología');
    t.same(es.meta.contentLanguages, ['es', 'en'], 'names keep every language, as in the structure writers');
    const fr = writeMetadataJson20({ header: { ...header, languages: ['fr'] }, sets: [report] }) as J;
    t.same(fr.data.metadataSets[0].attributes[1].attributes[0].value, { en: DESCR_EN }, 'no French: English');
    t.same(filterLanguages({ en: 'a', 'en-GB': 'b', es: 'c' }, ['en']), { en: 'a', 'en-GB': 'b' });
    t.same(filterLanguages({ en: 'a', es: 'c' }, ['*']), { en: 'a', es: 'c' });
    t.same(filterLanguages({ en: 'a', es: 'c' }, ['fr', 'es']), { es: 'c' });
    t.same(filterLanguages({ es: 'c' }, ['fr']), { es: 'c' }, 'the only language when nothing matches and no English');
  });

  t.test('no set is an empty, valid message; a set without attributes throws', async (t) => {
    const empty = writeMetadataJson20({ header, sets: [] }) as J;
    t.same(empty.data, { metadataSets: [] });
    t.same(valid(empty), []);
    t.throws(() => writeMetadataJson20({ header, sets: [{ ...report, attributes: [] }] }), /has no attributes/);
  });
});

// ---------------------------------------------------------------------------------------------
// The three formats agree

t.test('the three formats carry the same sets, targets and attribute trees', async (t) => {
  const sets21 = kids(parseXml(writeGenericMetadataMl21(both)).node, 'MetadataSet');
  const sets30 = kids(parseXml(writeMetadataMl30(both)).node, 'MetadataSet');
  const setsJson = (writeMetadataJson20(both) as J).data.metadataSets as J[];
  t.same(
    sets21.map((s) => attr(s, 'setID')),
    sets30.map((s) => attr(s, 'id')),
  );
  t.same(
    setsJson.map((s) => s.id),
    sets30.map((s) => attr(s, 'id')),
  );
  for (let i = 0; i < 2; i++) {
    const urns21 = kids(kid(kid(sets21[i], 'Report'), 'Target'), 'ReferenceValue').map((v) => text(kid(kid(v, 'ObjectReference'), 'URN')));
    t.same(kids(sets30[i], 'Target').map(text), urns21, 'the same target URNs in 2.1 and 3.0');
    t.same(setsJson[i].targets, urns21, 'and in JSON');
    t.same(attributeTree21(kid(kid(sets21[i], 'Report'), 'AttributeSet')), attributeTree30(sets30[i]));
    t.same(attributeTreeJson(setsJson[i].attributes), attributeTree30(sets30[i]));
  }
});
