/**
 * The VTL artefacts as the build produces them (src/cli/structures/vtl.ts): written in SDMX-ML 2.1
 * and 3.0 they validate against the official XSDs, in SDMX-JSON 2.0 against the official JSON
 * schema (full, partial and as stubs); the committed 2.1 files read back equal to the model; and
 * their content says what the structures say: the rulesets exactly the ADDITIVITY relations, every
 * code in its dimension's codelist, every alias, ruleset and operator an expression uses defined in
 * the schemes its scheme references, the SDG transformations exactly the keys of the attachment
 * constraints, the datapoint rules exactly the upload checks.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildStructures, SDMX_DIR } from '../../src/cli/structures/index.js';
import { structureFileOf } from '../../src/cli/structures/files.js';
import { dataflowAlias } from '../../src/cli/structures/vtl.js';
import { declaredRelations } from '../../src/sdmx/additivity.js';
import {
  isVtlScheme,
  refKey,
  sameRef,
  type AttachmentConstraint,
  type Codelist,
  type DataStructure,
  type HierarchicalCodelist,
  type Maintainable,
  type MaintainableRef,
  type RulesetScheme,
  type TransformationScheme,
  type UserDefinedOperatorScheme,
  type VtlMappingScheme,
  type VtlScheme,
} from '../../src/sdmx/model.js';
import type { StructureMessage } from '../../src/sdmx/message.js';
import { writeStructureMl21 } from '../../src/sdmx/ml21/structure-writer.js';
import { readStructureMl21 } from '../../src/sdmx/ml21/structure-reader.js';
import { writeStructureMl30 } from '../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson20 } from '../../src/sdmx/json20/structure-writer.js';
import { writeStructureJson10 } from '../../src/sdmx/json10/structure-writer.js';
import { StructureRegistry } from '../../src/sdmx/structure-query/registry.js';
import { itemReferenceProblems } from '../../src/sdmx/structure-query/integrity.js';
import { parseHierarchicalRuleset, unquote, vtlName, vtlTokens } from '../../src/sdmx/vtl.js';
import { COUNT_UNITS, MISSING_STATUSES } from '../../src/upload/validation/dsd-checker.js';
import { JSON_SCHEMA } from '../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../helpers/validate.js';

const all = buildStructures();
const vtl = all.filter(isVtlScheme);
const registry = new StructureRegistry(all);
const byId = <T extends Maintainable>(id: string) => all.find((a) => a.id === id) as T;
const ts = byId<TransformationScheme>('TS_CTS');
const rs = byId<RulesetScheme>('RS_CTS');
const udo = byId<UserDefinedOperatorScheme>('UDO_CTS');
const vms = byId<VtlMappingScheme>('VMS_CTS');
const dsd = byId<DataStructure>('DSD_CTS');
const header: StructureMessage['header'] = { id: 'TEST', test: true, prepared: '2026-01-01T00:00:00Z', sender: { id: 'UNODC' } };

t.test('the six VTL schemes exist, UNODC 1.0 final, named and described in English and Spanish', async (t) => {
  t.same(vtl.map((a) => `${a.class}:${a.id}`).sort(), [
    'CustomTypeScheme:CT_CTS',
    'NamePersonalisationScheme:NP_CTS',
    'RulesetScheme:RS_CTS',
    'TransformationScheme:TS_CTS',
    'UserDefinedOperatorScheme:UDO_CTS',
    'VtlMappingScheme:VMS_CTS',
  ]);
  for (const a of vtl) {
    t.equal(a.agencyID, 'UNODC');
    t.equal(a.version, '1.0');
    t.ok(a.isFinal);
    t.ok(a.name.en && a.name.es && a.description?.en && a.description?.es, `${a.id} en/es`);
    t.ok(a.items.length > 0, `${a.id} has items`);
    for (const i of a.items) t.ok(i.name.en && i.name.es && i.description?.en && i.description?.es, `${a.id}.${i.id} en/es`);
    if (a.class !== 'VtlMappingScheme') t.equal(a.vtlVersion, '2.0');
  }
  t.same(registry.danglingReferences(), [], 'every reference resolves');
  t.same(itemReferenceProblems(registry), []);
});

const variants = (a: VtlScheme): Maintainable[] => [
  a,
  { ...a, items: a.items.slice(0, 1), isPartial: true } as unknown as Maintainable,
  { ...a, presentation: 'stub' },
  { ...a, presentation: 'completestub' },
];

t.test('SDMX-ML 2.1 and 3.0.1 validate against the official XSDs, full, partial and as stubs', async (t) => {
  for (const a of vtl) {
    for (const v of variants(a)) {
      const what = `${a.id} ${v.presentation ?? 'full'}${'isPartial' in v && v.isPartial ? ' partial' : ''}`;
      const msg: StructureMessage = { header, artefacts: [v] };
      const xml21 = writeStructureMl21(msg);
      t.same(validateXml21(xml21), [], `2.1 ${what}`);
      t.match(xml21, `<structure:${a.class} `);
      const xml30 = writeStructureMl30(msg);
      t.same(validateXml301(xml30), [], `3.0.1 ${what}`);
      t.match(xml30, `<structure:${a.class} `);
    }
  }
  // All at once, with what they reference (a references=descendants answer).
  const msg: StructureMessage = { header, artefacts: all };
  t.same(validateXml21(writeStructureMl21(msg)), [], 'every structure in one 2.1 message');
});

t.test('SDMX-JSON 2.0.0 validates against the official schema; SDMX-JSON 1.0 has no VTL classes', async (t) => {
  for (const a of vtl) {
    for (const v of variants(a)) {
      const json = writeStructureJson20({ header, artefacts: [v] }) as { data: Record<string, unknown[]> };
      t.same(validateJson(json, JSON_SCHEMA.structure20), [], `${a.id} ${v.presentation ?? 'full'}`);
      t.equal(Object.values(json.data).flat().length, 1);
    }
  }
  const json = writeStructureJson20({ header, artefacts: vtl }) as { data: Record<string, { id: string; vtlVersion?: string }[]> };
  t.same(Object.keys(json.data).sort(), ['customTypeSchemes', 'namePersonalisationSchemes', 'rulesetSchemes', 'transformationSchemes', 'userDefinedOperatorSchemes', 'vtlMappingSchemes']);
  t.equal(json.data.rulesetSchemes![0]!.vtlVersion, '2.0');
  const json10 = writeStructureJson10({ header, artefacts: vtl }) as { data: object };
  t.same(json10.data, {}, 'SDMX-JSON 1.0 writes none of them');
});

t.test('the committed SDMX-ML 2.1 files read back equal to the model', async (t) => {
  for (const a of vtl) {
    const file = structureFileOf(a);
    t.match(file, /^(transformation|ruleset|userdefinedoperator|customtype|namepersonalisation|vtlmapping)schemes\/UNODC-[A-Z_]+-1\.0\.xml$/);
    const back = readStructureMl21(readFileSync(path.join(SDMX_DIR, file), 'utf8'));
    t.same(back, [a], `${a.id} round-trips`);
  }
  // A partial scheme reads back partial.
  const partial = { ...rs, items: rs.items.slice(0, 2), isPartial: true } as RulesetScheme;
  t.same(readStructureMl21(writeStructureMl21({ header, artefacts: [partial] })), [partial]);
});

t.test('the reader refuses what the model cannot hold', async (t) => {
  const xml = writeStructureMl21({ header, artefacts: [vms] });
  t.throws(() => readStructureMl21(xml.replace(/<structure:Dataflow>/, '<structure:GenericDataflow/><structure:X>').replace(/<\/structure:Dataflow>/, '</structure:X>')));
  t.throws(() => readStructureMl21(writeStructureMl21({ header, artefacts: [rs] }).replace(' vtlVersion="2.0"', '')), /vtlVersion/);
  t.throws(() => readStructureMl21(writeStructureMl21({ header, artefacts: [ts] }).replace('isPersistent="true"', 'isPersistent="maybe"')), /isPersistent/);
});

// ---------------------------------------------------------------------------------------------
// Content

const hcls = all.filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist');
const codelistOf = (dim: string) => registry.get(dsd.dimensions.find((d) => d.id === dim)!.localRepresentation!.enumeration!) as Codelist;

t.test('the hierarchical rulesets say exactly what the ADDITIVITY hierarchies say', async (t) => {
  const hierarchical = rs.items.filter((r) => r.rulesetType === 'hierarchical');
  const expected = new Map<string, string[]>();
  for (const d of dsd.dimensions) {
    const cl = d.localRepresentation?.enumeration;
    if (!cl) continue;
    for (const r of declaredRelations(hcls, cl)) {
      const key = `HR_${r.hierarchy.split('.')[1]}`;
      expected.set(key, [...(expected.get(key) ?? []), `${d.id}|${r.parent}${r.exact ? '=' : '>='}${r.children.join('+')}`]);
    }
  }
  t.same(hierarchical.map((r) => r.id).sort(), [...expected.keys()].sort(), 'one ruleset per additive hierarchy');
  t.equal(expected.size, 13);
  for (const r of hierarchical) {
    t.equal(r.rulesetScope, 'variable');
    const parsed = parseHierarchicalRuleset(r.definition);
    t.equal(parsed.name, r.id, 'the VTL name is the item id');
    const said = parsed.rules.map((rule) => `${parsed.variable}|${rule.parent}${rule.operator}${rule.children.join('+')}`);
    t.same(said, expected.get(r.id), `${r.id} says exactly the declared relations`);
    t.equal(new Set(parsed.rules.map((x) => x.name)).size, parsed.rules.length, 'rule names unique');
    const codes = new Set(codelistOf(parsed.variable).items.map((c) => c.id));
    for (const rule of parsed.rules) {
      t.ok(rule.errorCode.length > 0);
      t.equal(rule.errorLevel, 1);
      for (const c of [rule.parent, ...rule.children]) t.ok(codes.has(c), `${r.id}: ${c} is in the codelist of ${parsed.variable}`);
    }
    // Non-regular names are quoted, regular ones not.
    for (const tok of vtlTokens(r.definition)) if (tok.startsWith("'")) t.not(vtlName(unquote(tok)), unquote(tok));
  }
  t.match(rs.items.find((r) => r.id === 'HR_SEX_TOTAL')!.definition, "R__T : '_T' = F + M errorcode");
  t.match(rs.items.find((r) => r.id === 'HR_OFFENCE_ICCS_SUMS')!.definition, "'01' = '0101' + '0102'");
  t.match(rs.items.find((r) => r.id === 'HR_DISAGG_CYBER')!.definition, "'_T' >= CY");
});

t.test('a changed relation is caught: the parser and the comparison can fail', async (t) => {
  const sex = rs.items.find((r) => r.id === 'HR_SEX_TOTAL')!.definition;
  t.throws(() => parseHierarchicalRuleset(sex.replace('end hierarchical ruleset', '')));
  t.throws(() => parseHierarchicalRuleset(sex.replace(' = ', ' =+ ')));
  t.not(parseHierarchicalRuleset(sex.replace('F + M', 'F')).rules[0]!.children.length, 2);
  t.equal(vtlName('_T'), "'_T'");
  t.equal(vtlName('0101'), "'0101'");
  t.equal(vtlName('in'), "'in'");
  t.equal(vtlName('PRIS_HELD'), 'PRIS_HELD');
});

t.test('the datapoint ruleset is exactly the value checks uploads are refused for', async (t) => {
  const dp = rs.items.filter((r) => r.rulesetType === 'datapoint');
  t.equal(dp.length, 1);
  const d = dp[0]!.definition;
  t.match(d, /^define datapoint ruleset DPR_CTS_VALUES \( variable UNIT_MEASURE, OBS_VALUE, OBS_STATUS \) is\n/);
  t.match(d, `when UNIT_MEASURE in { ${[...COUNT_UNITS].map((u) => `"${u}"`).join(', ')} } then OBS_VALUE >= 0 errorcode "not-a-count" errorlevel 2`);
  t.match(d, `when isnull ( OBS_VALUE ) then OBS_STATUS in { ${[...MISSING_STATUSES].map((u) => `"${u}"`).join(', ')} } errorcode "missing-value" errorlevel 2`);
  t.match(d, /\nend datapoint ruleset$/);
});

/** Names an expression uses: dataset aliases, rulesets, operators and components. */
function namesIn(expression: string): { datasets: Set<string>; calls: Set<string>; names: Set<string> } {
  const tokens = vtlTokens(expression);
  const calls = new Set<string>();
  const names = new Set<string>();
  const datasets = new Set<string>();
  tokens.forEach((tok, i) => {
    if (/^[A-Za-z_]/.test(tok) || tok.startsWith("'")) {
      if (tokens[i + 1] === '(') calls.add(tok);
      else names.add(unquote(tok));
      if (tokens[i - 1] === '(' && tokens[i - 2] !== undefined && /^[a-z_]+$/.test(tokens[i - 2]!)) datasets.add(unquote(tok));
    }
  });
  return { datasets, calls, names };
}

const VTL_OPERATORS = new Set(['check_hierarchy', 'check_datapoint', 'isnull']);
const VTL_WORDS = new Set(['filter', 'and', 'in', 'sub', 'keep', 'calc', 'identifier', 'rule', 'non_null', 'dataset', 'invalid']);

t.test('every alias, ruleset and operator an expression uses is defined in the schemes referenced', async (t) => {
  t.ok(ts.vtlMappingScheme && sameRef(ts.vtlMappingScheme, { class: 'VtlMappingScheme', agencyID: 'UNODC', id: 'VMS_CTS', version: '1.0' }));
  const referenced = (r: MaintainableRef | undefined) => (r ? (registry.get(r) as VtlScheme) : undefined);
  t.same(ts.rulesetSchemes.map(refKey), ['RulesetScheme=UNODC:RS_CTS(1.0)']);
  t.same(ts.userDefinedOperatorSchemes.map(refKey), ['UserDefinedOperatorScheme=UNODC:UDO_CTS(1.0)']);
  t.equal(referenced(ts.customTypeScheme)?.id, 'CT_CTS');
  t.equal(referenced(ts.namePersonalisationScheme)?.id, 'NP_CTS');
  t.equal(rs.vtlMappingScheme && referenced(rs.vtlMappingScheme)?.id, 'VMS_CTS');
  const aliases = new Set((referenced(ts.vtlMappingScheme) as VtlMappingScheme).items.map((m) => m.alias));
  const rulesets = new Set(ts.rulesetSchemes.flatMap((r) => (registry.get(r) as RulesetScheme).items.map((x) => x.id)));
  const operators = new Set(
    ts.userDefinedOperatorSchemes.flatMap((r) => (registry.get(r) as UserDefinedOperatorScheme).items.map((o) => /define operator (\w+)/.exec(o.definition)![1]!)),
  );
  const components = new Set([...dsd.dimensions.map((d) => d.id), dsd.timeDimension.id, dsd.primaryMeasure.id, ...dsd.attributes.map((a) => a.id)]);
  const usedOperators = new Set<string>();
  for (const tr of ts.items) {
    const { calls, names } = namesIn(tr.expression);
    for (const c of calls) {
      if (VTL_OPERATORS.has(c)) continue;
      t.ok(operators.has(c), `${tr.id}: operator ${c} is defined in UDO_CTS`);
      usedOperators.add(c);
    }
    for (const n of names) {
      if (VTL_WORDS.has(n)) continue;
      t.ok(aliases.has(n) || rulesets.has(n) || components.has(n), `${tr.id}: ${n} is an alias of VMS_CTS, a ruleset of RS_CTS or a DSD_CTS component`);
    }
    t.equal(tr.id, tr.result, 'the item is named after its result');
  }
  t.same([...usedOperators], [...operators], 'every operator of UDO_CTS is used, nothing unused');
  // Rulesets: the variables they are defined on are mapped concepts of VMS_CTS.
  const concepts = new Set(vms.items.filter((m) => m.concept).map((m) => m.alias));
  for (const r of rs.items) {
    const signature = /\( variable (?:rule )?([^)]+) \)/.exec(r.definition)![1]!;
    for (const v of signature.split(',').map((s) => s.trim())) t.ok(concepts.has(v), `${r.id}: variable ${v} is mapped in VMS_CTS`);
  }
  t.equal(udo.rulesetSchemes.length, 0, 'the operator uses no ruleset');
});

t.test('VMS_CTS: one mapping per dataflow we publish, alias = the id without DF_', async (t) => {
  const flows = all.filter((a) => a.class === 'Dataflow');
  const mapped = vms.items.filter((m) => m.dataflow);
  t.same(mapped.map((m) => m.dataflow!.id).sort(), flows.map((f) => f.id).sort());
  for (const m of mapped) t.equal(m.alias, dataflowAlias(m.dataflow!.id));
  t.equal(mapped.find((m) => m.dataflow!.id === 'DF_CTS_HOMICIDE')!.alias, 'CTS_HOMICIDE');
  t.equal(new Set(vms.items.map((m) => m.alias)).size, vms.items.length, 'aliases unique');
});

t.test('the SDG transformations select exactly the keys of the attachment constraints', async (t) => {
  const ac = (id: string) => byId<AttachmentConstraint>(id);
  const keysOf = (c: AttachmentConstraint) =>
    c.dataKeySets.flatMap((s) => s.keys).map((k) => Object.fromEntries(k.keyValues.map((kv) => [kv.id, kv.value])) as Record<string, string>);
  // 16.1.1: the filter, evaluated on every combination of the flow's allowed codes, keeps exactly the keys.
  const t1611 = ts.items.find((x) => x.id === 'SDG_16_1_1')!;
  t.ok(t1611.isPersistent);
  const conditions = [...t1611.expression.matchAll(/(\w+) (?:= "([^"]+)"|in \{ ([^}]+) \})/g)].map((m) => [m[1]!, m[2] ? [m[2]] : m[3]!.split(', ').map((s) => s.slice(1, -1))] as const);
  const keys1611 = keysOf(ac('AC_SDG_16_1_1'));
  const flowOf = (c: AttachmentConstraint) => dataflowAlias(c.constraintAttachment[0]!.id);
  t.match(t1611.expression, new RegExp(`^${flowOf(ac('AC_SDG_16_1_1'))} \\[ filter `));
  const filterAccepts = (key: Record<string, string>) => conditions.every(([id, values]) => values.includes(key[id]!));
  for (const k of keys1611) t.ok(filterAccepts(k), `keeps ${JSON.stringify(k)}`);
  const dims = Object.keys(keys1611[0]!);
  t.same(conditions.map(([id]) => id).sort(), [...dims].sort(), 'conditions on exactly the key components');
  const combos = conditions.reduce((n, [, v]) => n * v.length, 1);
  t.equal(combos, keys1611.length, 'and nothing else');
  t.match(t1611.expression, 'INDICATOR = "VIC_HOM"');
  t.match(t1611.expression, 'UNIT_MEASURE = "P_HTHAB"');
  // 16.3.2: the result's identifiers are exactly the one key; computed from counts of its part and whole.
  const t1632 = ts.items.find((x) => x.id === 'SDG_16_3_2')!;
  t.ok(t1632.isPersistent);
  const [key1632] = keysOf(ac('AC_SDG_16_3_2'));
  const calc = Object.fromEntries([...t1632.expression.matchAll(/identifier (\w+) := "([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  t.same(calc, key1632);
  t.same(key1632, { FREQ: 'A', INDICATOR: 'PRIS_UNSENT', OFFENCE: '_T', SEX: '_T', AGE: '_T', DISAGGREGATION: '_T', UNIT_MEASURE: 'PC' });
  t.match(t1632.expression, /^share_pc \( CTS_PRISONS \[ sub INDICATOR = "PRIS_UNSENT", .*UNIT_MEASURE = "NR" \] \[ keep OBS_VALUE \], CTS_PRISONS \[ sub INDICATOR = "PRIS_HELD", /);
  const indicatorCl = dsd.dimensions.find((d) => d.id === 'INDICATOR')!.localRepresentation!.enumeration!;
  const held = declaredRelations(hcls, indicatorCl).find((r) => r.children.includes('PRIS_UNSENT'));
  t.equal(held?.parent, 'PRIS_HELD', 'the whole is the parent of PRIS_UNSENT in the additive hierarchy');
  // Each sub names every key component except REF_AREA (and TIME_PERIOD), so the two operands match on area and year.
  for (const m of t1632.expression.matchAll(/\[ sub ([^\]]+) \]/g)) {
    t.same(m[1]!.split(', ').map((c) => c.split(' = ')[0]).sort(), Object.keys(key1632).sort());
  }
});

t.test('the hierarchy checks go where the allowed content holds related codes; the value checks everywhere', async (t) => {
  const checks = ts.items.filter((x) => x.expression.startsWith('check_hierarchy'));
  for (const c of checks) {
    t.notOk(c.isPersistent);
    t.match(c.expression, /^check_hierarchy \( [A-Z_]+, HR_[A-Z0-9_]+ rule [A-Z_]+ non_null dataset invalid \)$/);
  }
  const ids = new Set(checks.map((c) => c.id));
  t.ok(ids.has('CHK_INDICATOR_PRISON_POPULATION_CTS_PRISONS'));
  t.notOk(ids.has('CHK_INDICATOR_PRISON_POPULATION_CTS_HOMICIDE'), 'the homicide flow allows only VIC_HOM');
  t.ok(ids.has('CHK_DISAGG_CYBER_CTS_OFFENCES'));
  t.notOk(ids.has('CHK_DISAGG_RELATIONSHIP_CTS_VICTIMS'), 'the victims flow allows the relationship parts but not their total');
  t.ok(ids.has('CHK_OFFENCE_ICCS_SUMS_CTS_OFFENCES'));
  const flows = all.filter((a) => a.class === 'Dataflow' && sameRef(a.structure, { class: 'DataStructure', agencyID: 'UNODC', id: 'DSD_CTS', version: '1.0' }));
  const valueChecks = ts.items.filter((x) => x.expression.startsWith('check_datapoint'));
  t.same(valueChecks.map((x) => x.expression.split(' ')[2]!.replace(',', '')).sort(), flows.map((f) => dataflowAlias(f.id)).sort());
});

t.test('custom types and name personalisations', async (t) => {
  const ct = byId<VtlScheme>('CT_CTS');
  t.same(
    ct.class === 'CustomTypeScheme' && ct.items.map((c) => [c.vtlScalarType, c.dataType]),
    [
      ['number', 'Double'],
      ['string', 'String'],
      ['time_period', 'ObservationalTimePeriod'],
    ],
  );
  t.equal(dsd.primaryMeasure.localRepresentation?.textFormat?.textType, 'Double', 'OBS_VALUE is a Double, as the number type says');
  const np = byId<VtlScheme>('NP_CTS');
  t.same(np.class === 'NamePersonalisationScheme' && np.items.map((p) => [p.vtlArtefact, p.vtlDefaultName, p.personalisedName]), [['variable', 'num_var', 'OBS_VALUE']]);
});
