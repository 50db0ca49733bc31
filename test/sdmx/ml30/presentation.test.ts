/**
 * REST `detail` presentations in SDMX-ML 3.0: stubs and complete stubs of every class validate
 * against the official 3.0 XSD and carry exactly what they should. Two classes keep content the
 * XSD makes mandatory: ProvisionAgreement (Dataflow, DataProvider) and Hierarchy
 * (HierarchicalCode).
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { writeStructureMl30 } from '../../../src/sdmx/ml30/structure-writer.js';
import type { Maintainable, Presentation } from '../../../src/sdmx/model.js';
import { sampleArtefacts, sampleHeader } from '../../fixtures/sample-structures.js';
import { validateXml30Official } from '../../helpers/validate.js';

type N = any;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, _jpath, _leaf, isAttribute) => !isAttribute,
});

/** The single artefact element written for `a` in the given presentation. */
function writeOne(a: Maintainable, presentation: Presentation): { xml: string; artefact: N } {
  const xml = writeStructureMl30({ header: sampleHeader, artefacts: [{ ...a, presentation } as Maintainable] });
  const structures = parser.parse(xml)['message:Structure'][0]['message:Structures'][0];
  const containers = Object.keys(structures).filter((k) => k.startsWith('structure:'));
  const container = structures[containers[0]!][0];
  const tag = Object.keys(container).filter((k) => k.startsWith('structure:'));
  return { xml, artefact: container[tag[0]!][0] };
}

/** Child elements other than Name/Description/Annotations. */
const contentKeys = (n: N): string[] =>
  Object.keys(n).filter((k) => !k.startsWith('@') && !['common:Name', 'common:Description', 'common:Annotations'].includes(k));

/** What the XSD forces a stub to keep, per class. */
const REQUIRED: Partial<Record<Maintainable['class'], string[]>> = {
  ProvisionAgreement: ['structure:Dataflow', 'structure:DataProvider'],
  HierarchicalCodelist: ['structure:Level', 'structure:HierarchicalCode'],
};

for (const a of sampleArtefacts) {
  const label = `${a.class} ${a.id}`;

  t.test(`stub of ${label}`, async (t) => {
    const { xml, artefact } = writeOne(a, 'stub');
    const errors = validateXml30Official(xml);
    t.same(errors, [], errors.join('\n'));
    t.equal(artefact['@agencyID'], a.agencyID);
    t.ok(artefact['@urn'], 'has a URN');
    t.ok(artefact['common:Name']?.length >= 1, 'has a Name');
    t.notOk(artefact['common:Description'], 'no Description');
    t.notOk(artefact['common:Annotations'], 'no Annotations');
    t.notOk('@isPartial' in artefact, 'no isPartial');
    t.same(contentKeys(artefact), REQUIRED[a.class] ?? [], 'no content beyond what the XSD requires');
  });

  t.test(`complete stub of ${label}`, async (t) => {
    const { xml, artefact } = writeOne(a, 'completestub');
    const errors = validateXml30Official(xml);
    t.same(errors, [], errors.join('\n'));
    t.ok(artefact['common:Name']?.length >= 1, 'has a Name');
    t.equal(Boolean(artefact['common:Description']), Boolean(a.description), 'Description as in the model');
    t.equal(Boolean(artefact['common:Annotations']), Boolean(a.annotations?.length), 'Annotations as in the model');
    t.same(contentKeys(artefact), REQUIRED[a.class] ?? [], 'no content beyond what the XSD requires');
  });

  t.test(`full ${label} has content`, async (t) => {
    const { artefact } = writeOne(a, 'full');
    t.ok(contentKeys(artefact).length > 0, `content: ${contentKeys(artefact).join(', ')}`);
  });
}

t.test('the sample has annotations on at least one artefact (complete stubs are exercised)', async (t) => {
  const { artefact } = writeOne(sampleArtefacts.find((a) => a.annotations?.length)!, 'completestub');
  t.ok(artefact['common:Annotations']);
});

t.test('a partial codelist written as a stub drops items and the partial flag', async (t) => {
  const cl = sampleArtefacts.find((a) => a.class === 'Codelist')!;
  const { xml, artefact } = writeOne({ ...cl, isPartial: true } as Maintainable, 'stub');
  t.same(validateXml30Official(xml), []);
  t.notOk(artefact['structure:Code']);
  t.notOk('@isPartial' in artefact);
});
