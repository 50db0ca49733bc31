/**
 * Hierarchy annotations (the ADDITIVITY declaration of src/sdmx/additivity.ts) in every structure
 * format: SDMX-ML 2.1 writes them and the 2.1 reader reads them back into
 * `Hierarchy.annotations`; SDMX-ML 3.0 and SDMX-JSON 2.0 put them on the 3.0 Hierarchy artefact
 * (with the HCL's own when the HCL has a single hierarchy), under the same ids in both formats;
 * SDMX-JSON 1.0 on each hierarchy. Full messages and complete stubs carry them, stubs do not, and
 * every message validates against its official schema.
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { writeStructureMl21 } from '../../src/sdmx/ml21/structure-writer.js';
import { readStructureMl21 } from '../../src/sdmx/ml21/structure-reader.js';
import { writeStructureMl30 } from '../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson10 } from '../../src/sdmx/json10/structure-writer.js';
import { writeStructureJson20 } from '../../src/sdmx/json20/structure-writer.js';
import { ADDITIVITY_ANNOTATION, EXACT_SUM, PARTS_AT_MOST_WHOLE, declaredRelations } from '../../src/sdmx/additivity.js';
import type { Annotation, HierarchicalCode, HierarchicalCodelist, Maintainable, Presentation } from '../../src/sdmx/model.js';
import type { StructureMessage } from '../../src/sdmx/message.js';
import { clOffence, sampleHeader } from '../fixtures/sample-structures.js';
import { validateJson, validateXml21, validateXml30, validateXml301 } from '../helpers/validate.js';
import { JSON_SCHEMA } from '../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CL = { class: 'Codelist', agencyID: 'TEST', id: 'CL_OFFENCE', version: '1.0' } as const;
const code = (id: string, children: HierarchicalCode[] = []): HierarchicalCode => ({ id, code: { class: 'Code', scheme: CL, id }, children });

const exact: Annotation = {
  type: ADDITIVITY_ANNOTATION,
  title: EXACT_SUM,
  text: { en: 'Each figure equals the sum of the figures directly below it.', es: 'Cada cifra es la suma de las de abajo.' },
};
const parts: Annotation = {
  type: ADDITIVITY_ANNOTATION,
  title: PARTS_AT_MOST_WHOLE,
  text: { en: 'The figures below are parts of the figure above; they need not add up to it.' },
};
const hclNote: Annotation = { type: 'NOTE', text: { en: 'An annotation of the HCL itself.' } };

/** One hierarchy, annotated, in an HCL that has an annotation of its own. */
const single: HierarchicalCodelist = {
  class: 'HierarchicalCodelist',
  agencyID: 'TEST',
  id: 'HCL_SUMS',
  version: '1.0',
  isFinal: true,
  name: { en: 'Sums' },
  description: { en: 'What adds up' },
  annotations: [hclNote],
  includedCodelists: [{ alias: 'OFF', ref: CL }],
  hierarchies: [
    {
      id: 'SUMS_TREE',
      name: { en: 'Sums tree', es: 'Árbol de sumas' },
      description: { en: '01 = 0101 + 0102' },
      annotations: [exact],
      hierarchicalCodes: [code('01', [code('0101'), code('0102')])],
    },
  ],
};

/** Two hierarchies of different kinds, in an HCL without annotations of its own. */
const { annotations: _hclAnnotations, ...singleWithoutAnnotations } = single;
const multi: HierarchicalCodelist = {
  ...singleWithoutAnnotations,
  id: 'HCL_KINDS',
  hierarchies: [
    { ...single.hierarchies[0], id: 'KINDS_EXACT' },
    {
      id: 'KINDS_PARTS',
      name: { en: 'Parts', es: 'Partes' },
      description: { en: '0101 is part of 01' },
      annotations: [parts],
      hierarchicalCodes: [code('01', [code('0101')])],
    },
  ],
};

const msg = (p: Presentation = 'full'): StructureMessage => ({
  header: sampleHeader,
  artefacts: [clOffence, ...[single, multi].map((a) => (p === 'full' ? a : ({ ...a, presentation: p }) as Maintainable))],
});

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ['Hierarchy', 'Annotation', 'AnnotationText', 'HierarchicalCodelist'].includes(name),
});

/** Annotations of an SDMX-ML element as (type, title, en text) triples. */
const mlAnnotations = (el: J) =>
  ((el.Annotations?.Annotation ?? []) as J[]).map((a) => [
    a.AnnotationType,
    a.AnnotationTitle,
    (a.AnnotationText as J[]).find((x) => x['@lang'] === 'en')?.['#text'],
  ]);
/** Annotations of an SDMX-JSON object as the same triples. */
const jsonAnnotations = (o: J) => ((o.annotations ?? []) as J[]).map((a) => [a.type, a.title, a.texts?.en ?? a.text]);
const triple = (a: Annotation) => [a.type, a.title, a.text?.en];

t.test('SDMX-ML 2.1: each Hierarchy carries its annotations and the reader reads them back', async (t) => {
  const out = writeStructureMl21(msg());
  t.same(validateXml21(out), []);
  const hcls = xml.parse(out).Structure.Structures.HierarchicalCodelists.HierarchicalCodelist as J[];
  t.same(
    hcls.flatMap((h) => (h.Hierarchy as J[]).map((hy) => [hy['@id'], mlAnnotations(hy)])),
    [
      ['SUMS_TREE', [triple(exact)]],
      ['KINDS_EXACT', [triple(exact)]],
      ['KINDS_PARTS', [triple(parts)]],
    ],
  );
  const back = readStructureMl21(out).filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist');
  t.same(back, [single, multi], 'the HCLs round-trip, hierarchy annotations (with Spanish text) included');
  t.same(
    declaredRelations(back, CL).map((r) => [r.hierarchy, r.parent, r.children, r.exact]),
    [
      ['HCL_SUMS.SUMS_TREE', '01', ['0101', '0102'], true],
      ['HCL_KINDS.KINDS_EXACT', '01', ['0101', '0102'], true],
      ['HCL_KINDS.KINDS_PARTS', '01', ['0101'], false],
    ],
    'what is read back declares the relations',
  );
  // 2.1 stubs carry no hierarchies at all; complete stubs keep the HCL's own annotations.
  const complete = xml.parse(writeStructureMl21(msg('completestub'))).Structure.Structures.HierarchicalCodelists.HierarchicalCodelist as J[];
  t.same(complete.map((h) => [h['@id'], h.Hierarchy, mlAnnotations(h)]), [
    ['HCL_SUMS', undefined, [triple(hclNote)]],
    ['HCL_KINDS', undefined, []],
  ]);
});

const hierarchies30 = (out: string) => (xml.parse(out).Structure.Structures.Hierarchies.Hierarchy as J[]).map((h) => [h['@id'], mlAnnotations(h)]);
const EXPECTED_30 = [
  ['HCL_SUMS', [triple(hclNote), triple(exact)]],
  ['KINDS_EXACT', [triple(exact)]],
  ['KINDS_PARTS', [triple(parts)]],
];

t.test('SDMX-ML 3.0: the Hierarchy artefacts carry the annotations, in full and complete stubs', async (t) => {
  for (const p of ['full', 'completestub'] as const) {
    const out = writeStructureMl30(msg(p));
    t.same(validateXml30(out), [], `${p}: valid against the 3.0.0 XSD (erratum fixed)`);
    t.same(validateXml301(out), [], `${p}: valid against the official 3.0.1 XSD`);
    t.same(hierarchies30(out), EXPECTED_30, `${p}: single hierarchy = HCL's and hierarchy's annotations; several = each its own`);
  }
  const stub = writeStructureMl30(msg('stub'));
  t.same(validateXml301(stub), []);
  t.same(hierarchies30(stub), EXPECTED_30.map(([id]) => [id, []]), 'stubs: no annotations');
});

t.test('SDMX-JSON 2.0: same Hierarchy ids and annotations as SDMX-ML 3.0', async (t) => {
  for (const p of ['full', 'completestub'] as const) {
    const doc = writeStructureJson20(msg(p)) as J;
    t.same(validateJson(doc, JSON_SCHEMA.structure20), [], p);
    t.same((doc.data.hierarchies as J[]).map((h) => [h.id, jsonAnnotations(h)]), EXPECTED_30, p);
    t.same(
      (doc.data.hierarchies as J[]).map((h) => h.links?.[0].urn).filter(Boolean),
      p === 'full' ? EXPECTED_30.map(([id]) => `urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=TEST:${id}(1.0)`) : [],
    );
  }
  const stub = writeStructureJson20(msg('stub')) as J;
  t.same(validateJson(stub, JSON_SCHEMA.structure20), []);
  t.same((stub.data.hierarchies as J[]).map((h) => [h.id, 'annotations' in h]), EXPECTED_30.map(([id]) => [id, false]));
});

t.test('SDMX-JSON 1.0: each hierarchy of the HCL carries its annotations', async (t) => {
  const doc = writeStructureJson10(msg()) as J;
  t.same(validateJson(doc, JSON_SCHEMA.structure10), []);
  const hcls = doc.data.hierarchicalCodelists as J[];
  t.same(
    hcls.map((h) => [h.id, jsonAnnotations(h), (h.hierarchies as J[]).map((hy) => [hy.id, jsonAnnotations(hy)])]),
    [
      ['HCL_SUMS', [triple(hclNote)], [['SUMS_TREE', [triple(exact)]]]],
      ['HCL_KINDS', [], [['KINDS_EXACT', [triple(exact)]], ['KINDS_PARTS', [triple(parts)]]]],
    ],
  );
  t.same(hcls[0].hierarchies[0].annotations[0].texts, exact.text, 'both languages');
});
