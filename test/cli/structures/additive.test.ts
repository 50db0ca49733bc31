/**
 * The additive hierarchical codelists (src/cli/structures/additive.ts) as they are published:
 * the SDMX-ML 2.1 files the build writes are read back, and the relations that
 * `declaredRelations` (src/sdmx/additivity.ts) finds in them for each codelist are compared with
 * the UN-CTS relations, written out here or derived independently from the ICCS source table and
 * CL_AREA's parent links. Every HCL, hierarchy and annotation is named and explained in English
 * and Spanish, hierarchy ids are unique, and each HCL validates in every structure format.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { buildStructures } from '../../../src/cli/structures/index.js';
import { renderStructureFiles, structureFileOf } from '../../../src/cli/structures/files.js';
import {
  ADDITIVITY_TEXT,
  AdditiveHierarchyError,
  additiveHierarchy,
  buildOffenceHierarchy,
} from '../../../src/cli/structures/additive.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { writeStructureMl30 } from '../../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson10 } from '../../../src/sdmx/json10/structure-writer.js';
import { writeStructureJson20 } from '../../../src/sdmx/json20/structure-writer.js';
import { hierarchies30 } from '../../../src/sdmx/hierarchies30.js';
import {
  ADDITIVITY_ANNOTATION,
  EXACT_SUM,
  PARTS_AT_MOST_WHOLE,
  additivityOf,
  declaredRelations,
  type DeclaredRelation,
} from '../../../src/sdmx/additivity.js';
import type { Codelist, HierarchicalCode, HierarchicalCodelist, MaintainableRef } from '../../../src/sdmx/model.js';
import { parseCsvRecords } from '../../../src/cli/structures/csv.js';
import { validateJson, validateXml21, validateXml30, validateXml301 } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';

const artefacts = buildStructures();
const files = renderStructureFiles(artefacts);
const built = artefacts.filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist');
/** The HCLs as published: each one's SDMX-ML 2.1 file, read back. */
const published = built.map((h) => {
  const back = readStructureMl21(files.get(structureFileOf(h))!);
  if (back.length !== 1 || back[0].class !== 'HierarchicalCodelist') throw new Error(`${h.id}: not one HCL`);
  return back[0];
});
const codelist = (id: string) => artefacts.find((a) => a.class === 'Codelist' && a.id === id) as Codelist;
const CL = (id: string): MaintainableRef => ({ class: 'Codelist', agencyID: 'UNODC', id, version: '1.0' });

const NEW_HCLS = ['HCL_AREA', 'HCL_CJ_INDICATOR', 'HCL_OFFENCE', 'HCL_SEX', 'HCL_AGE', 'HCL_DISAGGREGATION'];

/** Relations as readable lines: `hierarchy: parent = a + b` (exact) or `parent ⊇ a + b`. */
const lines = (rels: readonly DeclaredRelation[]) => rels.map((r) => `${r.hierarchy}: ${r.parent} ${r.exact ? '=' : '⊇'} ${r.children.join(' + ')}`);
const relationsOf = (codelistId: string) => declaredRelations(published, CL(codelistId));

t.test('the HCLs published: HCL_ICCS and one additive HCL per codelist, maintained by UNODC, 1.0, final', async (t) => {
  t.same(built.map((h) => h.id), ['HCL_ICCS', ...NEW_HCLS]);
  t.same(published, built, 'every HCL reads back from its file exactly as built (hierarchy annotations included)');
  for (const h of published) {
    t.same([h.agencyID, h.version, h.isFinal], ['UNODC', '1.0', true], h.id);
    t.equal(h.includedCodelists.length, 1, `${h.id}: one codelist`);
  }
  t.same(relationsOf('CL_ICCS'), [], 'HCL_ICCS, a classification tree, declares no sums');
});

t.test('CL_SEX, CL_AGE and CL_CJ_INDICATOR: the UN-CTS totals, exact', async (t) => {
  t.same(lines(relationsOf('CL_SEX')), ['HCL_SEX.SEX_TOTAL: _T = F + M']);
  t.same(lines(relationsOf('CL_AGE')), [
    'HCL_AGE.AGE_TOTAL: _T = Y_LT18 + Y_GE18 + _U',
    'HCL_AGE.AGE_TOTAL: Y_LT18 = Y0T9 + Y10T14 + Y15T17',
    'HCL_AGE.AGE_TOTAL: Y_GE18 = Y18T19 + Y20T24 + Y25T29 + Y30T44 + Y45T59 + Y_GE60',
  ]);
  t.same(lines(relationsOf('CL_CJ_INDICATOR')), ['HCL_CJ_INDICATOR.INDICATOR_PRISON_POPULATION: PRIS_HELD = PRIS_SENT + PRIS_UNSENT']);
});

t.test('CL_DISAGGREGATION: one hierarchy per UN-CTS breakdown; under 6 months and cyber are parts, not sums', async (t) => {
  t.same(lines(relationsOf('CL_DISAGGREGATION')), [
    'HCL_DISAGGREGATION.DISAGG_CITIZENSHIP: _T = CIT_NAT + CIT_FOR',
    'HCL_DISAGGREGATION.DISAGG_LEGAL_REPRESENTATION: _T = LEG_WITH + LEG_NONE',
    'HCL_DISAGGREGATION.DISAGG_LEGAL_REPRESENTATION: LEG_WITH = LEG_PAID_FREE + LEG_PAID_SELF',
    'HCL_DISAGGREGATION.DISAGG_ENTRY_STATUS: _T = STA_SENT + STA_UNSENT',
    'HCL_DISAGGREGATION.DISAGG_DETENTION_LENGTH: _T = DET_LT12M + DET_GT12M',
    'HCL_DISAGGREGATION.DISAGG_DETENTION_UNDER_6M: DET_LT12M ⊇ DET_LT6M',
    'HCL_DISAGGREGATION.DISAGG_CAUSE_OF_DEATH: _T = DEATH_NAT + DEATH_EXT',
    'HCL_DISAGGREGATION.DISAGG_CAUSE_OF_DEATH: DEATH_EXT = DEATH_EXT_HOM + DEATH_EXT_SUI + DEATH_EXT_ACC',
    'HCL_DISAGGREGATION.DISAGG_RELATIONSHIP: _T = REL_FAM + REL_KNOWN + REL_UNKNOWN + REL_NK',
    'HCL_DISAGGREGATION.DISAGG_CYBER: _T ⊇ CY',
  ]);
  const used = new Set(relationsOf('CL_DISAGGREGATION').flatMap((r) => [r.parent, ...r.children]));
  t.same(
    codelist('CL_DISAGGREGATION').items.map((c) => c.id).filter((id) => !used.has(id)),
    [],
    'every disaggregation code is in some relation',
  );
});

t.test('CL_OFFENCE: _T = the 11 sections, the ICCS tree, 0703 = 07031 + 0703_OTH, 0703_OTH = the other groups of 0703', async (t) => {
  // The ICCS tree from the source table vendored in sdmx/sources, read with the generic CSV reader.
  const iccs = parseCsvRecords(readFileSync(path.join(PROJECT_ROOT, 'sdmx/sources/iccs/iccs-codelist.csv'), 'utf8'), ['code', 'parent', 'level'] as const);
  const childrenOf = new Map<string, string[]>();
  for (const r of iccs) childrenOf.set(r.parent, [...(childrenOf.get(r.parent) ?? []), r.code]);
  const sections = childrenOf.get('')!;
  t.equal(sections.length, 11);
  const otherCorruption = childrenOf.get('0703')!.filter((c) => c !== '07031');
  t.same(otherCorruption, ['07032', '07033', '07034', '07035', '07039'], 'the ICCS groups of 0703 other than bribery');

  const expected = new Map<string, string[]>([['_T', sections]]);
  for (const [parent, children] of childrenOf) if (parent !== '') expected.set(parent, children);
  expected.set('0703', ['07031', '0703_OTH']);
  expected.set('0703_OTH', otherCorruption);

  const rels = relationsOf('CL_OFFENCE');
  t.ok(rels.every((r) => r.exact && r.hierarchy === 'HCL_OFFENCE.OFFENCE_ICCS_SUMS'), 'all exact, all from OFFENCE_ICCS_SUMS');
  const got = new Map(rels.map((r) => [r.parent, [...r.children]]));
  t.equal(got.size, rels.length, 'one relation per parent');
  t.same(Object.fromEntries(got), Object.fromEntries(expected), 'the relations equal the ICCS tree with the UN-CTS corruption residual');
  t.same(got.get('_T'), ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']);
  t.same(got.get('0703'), ['07031', '0703_OTH']);
  t.same(got.get('0703_OTH'), ['07032', '07033', '07034', '07035', '07039']);
  t.notOk(rels.some((r) => r.parent === '_Z' || r.children.includes('_Z')), '_Z is in no relation');
  const everyCode = new Set(rels.flatMap((r) => [r.parent, ...r.children]));
  t.same(
    codelist('CL_OFFENCE').items.map((c) => c.id).filter((id) => !everyCode.has(id)),
    ['_Z'],
    'every other CL_OFFENCE code is placed',
  );
});

t.test('CL_AREA: the tree of CL_AREA parent links, parts that need not add up', async (t) => {
  const area = codelist('CL_AREA');
  const rels = relationsOf('CL_AREA');
  t.ok(rels.length > 0 && rels.every((r) => !r.exact && r.hierarchy === 'HCL_AREA.AREA_M49'), 'all parts-at-most-whole, from AREA_M49');
  const expected = new Map<string, string[]>();
  for (const c of area.items) if (c.parentID) expected.set(c.parentID, [...(expected.get(c.parentID) ?? []), c.id]);
  t.same(Object.fromEntries(rels.map((r) => [r.parent, [...r.children]])), Object.fromEntries(expected));
  const byParent = new Map(rels.map((r) => [r.parent, r.children]));
  t.same(byParent.get('001'), ['002', '019', '142', '150', '009'], 'world ⊇ the five regions');
  t.same(byParent.get('GBR'), ['GBR_E_W', 'GBR_S', 'GBR_NI'], 'sub-national areas under their country');
  t.ok(byParent.get('155')?.includes('FRA'), 'countries under their subregion');
  // Only nodes that have children or sit under a node: unplaced countries are left out.
  const hcl = published.find((h) => h.id === 'HCL_AREA')!;
  t.same(hcl.hierarchies[0].hierarchicalCodes.map((hc) => hc.id), ['001'], 'one root: the world');
  const placed = new Set(rels.flatMap((r) => [r.parent, ...r.children]));
  const unplaced = area.items.filter((c) => !placed.has(c.id));
  t.ok(unplaced.every((c) => !c.parentID && !expected.has(c.id)), `left out: ${unplaced.map((c) => c.id).join(', ') || 'none'}`);
  t.match(hcl.description?.en, /regional and world figures are estimates .*not sums of the published country figures/);
});

t.test('each hierarchy declares its kind with an ADDITIVITY annotation explained in English and Spanish', async (t) => {
  const kinds: Record<string, string> = {};
  for (const h of published.filter((p) => p.id !== 'HCL_ICCS')) {
    for (const hy of h.hierarchies) {
      const anns = (hy.annotations ?? []).filter((a) => a.type === ADDITIVITY_ANNOTATION);
      t.equal(anns.length, 1, `${hy.id}: one ADDITIVITY annotation`);
      const kind = additivityOf(hy);
      t.ok(kind, `${hy.id}: EXACT_SUM or PARTS_AT_MOST_WHOLE`);
      if (!kind) continue;
      kinds[hy.id] = kind;
      t.same(anns[0].text, ADDITIVITY_TEXT[kind], `${hy.id}: the reader is told what it means`);
    }
  }
  t.same(kinds, {
    AREA_M49: PARTS_AT_MOST_WHOLE,
    INDICATOR_PRISON_POPULATION: EXACT_SUM,
    OFFENCE_ICCS_SUMS: EXACT_SUM,
    SEX_TOTAL: EXACT_SUM,
    AGE_TOTAL: EXACT_SUM,
    DISAGG_CITIZENSHIP: EXACT_SUM,
    DISAGG_LEGAL_REPRESENTATION: EXACT_SUM,
    DISAGG_ENTRY_STATUS: EXACT_SUM,
    DISAGG_DETENTION_LENGTH: EXACT_SUM,
    DISAGG_DETENTION_UNDER_6M: PARTS_AT_MOST_WHOLE,
    DISAGG_CAUSE_OF_DEATH: EXACT_SUM,
    DISAGG_RELATIONSHIP: EXACT_SUM,
    DISAGG_CYBER: PARTS_AT_MOST_WHOLE,
  });
  t.same(ADDITIVITY_TEXT[EXACT_SUM].en, 'Each figure equals the sum of the figures directly below it.');
  t.same(ADDITIVITY_TEXT[PARTS_AT_MOST_WHOLE].en, 'The figures below are parts of the figure above; they need not add up to it.');
  t.ok(ADDITIVITY_TEXT[EXACT_SUM].es && ADDITIVITY_TEXT[PARTS_AT_MOST_WHOLE].es);
});

t.test('names and descriptions: English and Spanish names, an English description saying what adds up', async (t) => {
  for (const h of published.filter((p) => NEW_HCLS.includes(p.id))) {
    t.ok(h.name.en && h.name.es, `${h.id}: en and es names`);
    t.ok((h.description?.en ?? '').length > 150, `${h.id}: an English description that explains`);
    if (h.id !== 'HCL_AREA') t.match(h.description?.en, /often do not add up exactly/, `${h.id}: says real figures often do not add up`);
    for (const hy of h.hierarchies) {
      t.ok(hy.name.en && hy.name.es, `${hy.id}: en and es names`);
      t.ok(hy.description?.en, `${hy.id}: an English description`);
      t.same(hy.levels, undefined, `${hy.id}: not levelled`);
    }
  }
  const sex = published.find((h) => h.id === 'HCL_SEX')!;
  t.match(sex.description?.en, /unknown sex/);
  const disagg = published.find((h) => h.id === 'HCL_DISAGGREGATION')!;
  t.match(disagg.description?.en, /citizenship/);
});

t.test('ids: hierarchy ids unique across HCLs, 3.0 Hierarchy artefacts unique, codes once per hierarchy', async (t) => {
  const hierarchyIds = published.flatMap((h) => h.hierarchies.map((hy) => hy.id));
  t.equal(new Set(hierarchyIds).size, hierarchyIds.length, 'hierarchy ids');
  const ids30 = published.flatMap((h) => hierarchies30(h).map((x) => x.identity.id));
  t.equal(new Set(ids30).size, ids30.length, 'SDMX 3.0 Hierarchy ids');
  t.same(
    published.find((h) => h.id === 'HCL_DISAGGREGATION') && hierarchies30(published.find((h) => h.id === 'HCL_DISAGGREGATION')!).map((x) => x.identity.id),
    ['DISAGG_CITIZENSHIP', 'DISAGG_LEGAL_REPRESENTATION', 'DISAGG_ENTRY_STATUS', 'DISAGG_DETENTION_LENGTH', 'DISAGG_DETENTION_UNDER_6M', 'DISAGG_CAUSE_OF_DEATH', 'DISAGG_RELATIONSHIP', 'DISAGG_CYBER'],
  );
  for (const h of published) {
    for (const hy of h.hierarchies) {
      const seen: string[] = [];
      const walk = (codes: readonly HierarchicalCode[]) =>
        codes.forEach((hc) => {
          t.equal(hc.id, hc.code.id, `${hy.id}.${hc.id}: id = code id`);
          seen.push(hc.id);
          walk(hc.children);
        });
      walk(hy.hierarchicalCodes);
      t.equal(new Set(seen).size, seen.length, `${hy.id}: each hierarchical code id once in the whole hierarchy`);
    }
  }
});

t.test('each new HCL validates: SDMX-ML 2.1, SDMX-ML 3.0 (3.0.1 and 3.0.0), SDMX-JSON 1.0 and 2.0', async (t) => {
  for (const h of built.filter((b) => NEW_HCLS.includes(b.id))) {
    t.same(validateXml21(files.get(structureFileOf(h))!), [], `${h.id} 2.1`);
    const msg = { header: { id: 'TEST', test: true, prepared: '2026-01-01T00:00:00Z', sender: { id: 'UNODC' } }, artefacts: [h] };
    const ml30 = writeStructureMl30(msg);
    t.same(validateXml301(ml30), [], `${h.id} 3.0.1`);
    t.same(validateXml30(ml30), [], `${h.id} 3.0.0 (Code/Parent erratum fixed)`);
    t.match(ml30, /<common:AnnotationType>ADDITIVITY<\/common:AnnotationType>/, `${h.id} 3.0 carries ADDITIVITY`);
    t.same(validateJson(writeStructureJson10(msg), JSON_SCHEMA.structure10), [], `${h.id} JSON 1.0`);
    t.same(validateJson(writeStructureJson20(msg), JSON_SCHEMA.structure20), [], `${h.id} JSON 2.0`);
  }
});

t.test('the builder refuses trees that would declare false relations', async (t) => {
  const sex = codelist('CL_SEX');
  const spec = { id: 'X', name: { en: 'X' }, description: { en: 'X' }, kind: EXACT_SUM } as const;
  t.throws(() => additiveHierarchy(sex, { ...spec, tree: [['_T', ['F', 'X']]] }), AdditiveHierarchyError, 'unknown code');
  t.throws(() => additiveHierarchy(sex, { ...spec, tree: [['_T', ['F', 'F']]] }), AdditiveHierarchyError, 'a code twice');
  t.throws(() => additiveHierarchy(sex, { ...spec, tree: [['_T', ['F']], ['_T', ['M']]] }), AdditiveHierarchyError, 'a parent twice');
  t.throws(() => additiveHierarchy(sex, { ...spec, tree: [['F', ['M']], ['M', ['F']]] }), AdditiveHierarchyError, 'a cycle');
  t.throws(() => additiveHierarchy(sex, { ...spec, tree: [['_T', []]] }), AdditiveHierarchyError, 'no children');
  const offence = codelist('CL_OFFENCE');
  const withoutResidual = { ...offence, items: offence.items.filter((c) => c.id !== '0703_OTH') };
  t.throws(() => buildOffenceHierarchy(withoutResidual), AdditiveHierarchyError, 'CL_OFFENCE without 0703_OTH');
});
