import t from 'tap';
import { StructureRegistry } from '../../../src/sdmx/structure-query/registry.js';
import { StructureResolver } from '../../../src/sdmx/structure-query/resolve.js';
import type { StructureQuery } from '../../../src/sdmx/structure-query/query.js';
import type { Codelist, HierarchicalCodelist, Maintainable } from '../../../src/sdmx/model.js';
import { parseStructureRequest } from '../../../src/sdmx/rest/structure-request.js';
import { sampleArtefacts, clFreq, hcl } from '../../fixtures/sample-structures.js';

const clFreq11: Codelist = { ...clFreq, version: '1.1', items: [...clFreq.items, { id: 'Q', name: { en: 'Quarterly' } }] };
const clFreqDraft: Codelist = { ...clFreq, version: '2.0.0-draft', isFinal: false };
const resolver = new StructureResolver(new StructureRegistry([...sampleArtefacts, clFreq11]));

const ids = (as: readonly Maintainable[]) => as.map((a) => `${a.class}:${a.id}(${a.version})`).sort();
const run = (path: string, params: Record<string, string> = {}, api: '2.1' | '3.0' = '2.1') =>
  resolver.resolve(parseStructureRequest(api, path.split('/'), params));

t.test('references, exactly the specified sets', async (t) => {
  const df = 'dataflow/TEST/DF_TEST/1.0';
  const cases: [string, Record<string, string>, string[]][] = [
    [df, {}, ['Dataflow:DF_TEST(1.0)']],
    [df, { references: 'none' }, ['Dataflow:DF_TEST(1.0)']],
    [df, { references: 'children' }, ['DataStructure:DSD_TEST(1.0)', 'Dataflow:DF_TEST(1.0)']],
    [
      df,
      { references: 'parents' },
      ['Categorisation:CAT_DF_TEST_CRIME(1.0)', 'ContentConstraint:CR_A_DF_TEST(1.0)', 'Dataflow:DF_TEST(1.0)', 'ProvisionAgreement:PA_DF_TEST_P1(1.0)'],
    ],
    [
      df,
      { references: 'parentsandsiblings' },
      [
        'Categorisation:CAT_DF_TEST_CRIME(1.0)',
        'CategoryScheme:CAT_THEMES(1.0)',
        'ContentConstraint:CR_A_DF_TEST(1.0)',
        'DataProviderScheme:DATA_PROVIDERS(1.0)',
        'Dataflow:DF_TEST(1.0)',
        'ProvisionAgreement:PA_DF_TEST_P1(1.0)',
      ],
    ],
    [
      df,
      { references: 'descendants' },
      [
        'Codelist:CL_AREA(1.0)',
        'Codelist:CL_FREQ(1.0)',
        'Codelist:CL_OBS_STATUS(1.0)',
        'Codelist:CL_OFFENCE(1.0)',
        'ConceptScheme:CS_TEST(1.0)',
        'DataStructure:DSD_TEST(1.0)',
        'Dataflow:DF_TEST(1.0)',
      ],
    ],
    [df, { references: 'datastructure' }, ['DataStructure:DSD_TEST(1.0)', 'Dataflow:DF_TEST(1.0)']],
    [df, { references: 'provisionagreement' }, ['Dataflow:DF_TEST(1.0)', 'ProvisionAgreement:PA_DF_TEST_P1(1.0)']],
    [df, { references: 'codelist' }, ['Dataflow:DF_TEST(1.0)']],
    [df, { references: 'metadataflow' }, ['Dataflow:DF_TEST(1.0)']],
    [
      'codelist/TEST/CL_OFFENCE/1.0',
      { references: 'parents' },
      ['Codelist:CL_OFFENCE(1.0)', 'DataStructure:DSD_TEST(1.0)', 'HierarchicalCodelist:HCL_OFFENCE(1.0)'],
    ],
    ['codelist/TEST/CL_FREQ/1.0', { references: 'conceptscheme' }, ['Codelist:CL_FREQ(1.0)', 'ConceptScheme:CS_TEST(1.0)']],
    [
      'datastructure/TEST/DSD_TEST/1.0',
      { references: 'children' },
      ['Codelist:CL_AREA(1.0)', 'Codelist:CL_FREQ(1.0)', 'Codelist:CL_OBS_STATUS(1.0)', 'Codelist:CL_OFFENCE(1.0)', 'ConceptScheme:CS_TEST(1.0)', 'DataStructure:DSD_TEST(1.0)'],
    ],
    ['contentconstraint/TEST/CR_A_DF_TEST/1.0', { references: 'datastructure' }, ['ContentConstraint:CR_A_DF_TEST(1.0)']],
  ];
  for (const [path, params, expected] of cases) {
    t.same(ids(run(path, params)), expected, `${path}?${new URLSearchParams(params)}`);
  }
  const all = ids(run(df, { references: 'all' }));
  const union = [...new Set([...ids(run(df, { references: 'descendants' })), ...ids(run(df, { references: 'parentsandsiblings' }))])].sort();
  t.same(all, union, 'all = descendants ∪ parentsandsiblings');
});

t.test('versions: latest, all, explicit, 3.0 operators', async (t) => {
  t.same(ids(run('codelist/TEST/CL_FREQ')), ['Codelist:CL_FREQ(1.1)'], 'latest by default');
  t.same(ids(run('codelist/TEST/CL_FREQ/latest')), ['Codelist:CL_FREQ(1.1)']);
  t.same(ids(run('codelist/TEST/CL_FREQ/all')), ['Codelist:CL_FREQ(1.0)', 'Codelist:CL_FREQ(1.1)']);
  t.same(ids(run('codelist/TEST/CL_FREQ/1.0+1.1')), ['Codelist:CL_FREQ(1.0)', 'Codelist:CL_FREQ(1.1)']);
  t.same(ids(run('codelist/TEST/CL_FREQ/1.0')), ['Codelist:CL_FREQ(1.0)']);
  t.same(ids(run('codelist/TEST/CL_FREQ/9.9')), []);
  t.same(ids(run('codelist/*/CL_FREQ/*', {}, '3.0')), ['Codelist:CL_FREQ(1.0)', 'Codelist:CL_FREQ(1.1)']);
  t.same(ids(run('codelist/*/CL_FREQ/1.0,1.1', {}, '3.0')), ['Codelist:CL_FREQ(1.0)', 'Codelist:CL_FREQ(1.1)']);
  const withDraft = new StructureResolver(new StructureRegistry([clFreq, clFreqDraft]));
  const q = (v: string) => ids(withDraft.resolve(parseStructureRequest('3.0', ['codelist', 'TEST', 'CL_FREQ', v], {})));
  t.same(q('~'), ['Codelist:CL_FREQ(2.0.0-draft)'], '~ is the latest, stable or not');
  t.same(q('+'), ['Codelist:CL_FREQ(1.0)'], '+ is the latest stable');
});

t.test('item queries', async (t) => {
  const [cl] = run('codelist/TEST/CL_OFFENCE/1.0/0101+0103') as Codelist[];
  t.same(cl?.items.map((i) => i.id), ['0101', '0103'], 'exactly the items, in scheme order');
  t.equal(cl?.isPartial, true);
  t.same(run('codelist/TEST/CL_OFFENCE/1.0/NOPE'), [], 'no item matches: nothing');
  const [cs] = run('categoryscheme/TEST/CAT_THEMES/1.0/COURTS') as any[];
  t.same(cs.items.map((i: { id: string }) => i.id), ['JUSTICE', 'COURTS'], 'a nested category keeps its ancestors');
  const crime = run('categoryscheme/TEST/CAT_THEMES/1.0/CRIME', { references: 'parentsandsiblings' });
  t.same(ids(crime), ['Categorisation:CAT_DF_TEST_CRIME(1.0)', 'CategoryScheme:CAT_THEMES(1.0)', 'Dataflow:DF_TEST(1.0)']);
  const justice = run('categoryscheme/TEST/CAT_THEMES/1.0/JUSTICE', { references: 'parentsandsiblings' });
  t.same(ids(justice), ['CategoryScheme:CAT_THEMES(1.0)'], 'only categorisations of the remaining categories (TCK S9)');
  t.throws(() => run('dataflow/TEST/DF_TEST/1.0/X'), /has no items/);
});

t.test('detail', async (t) => {
  const pres = (as: readonly Maintainable[]) => Object.fromEntries(as.map((a) => [a.id, a.presentation ?? 'full']));
  t.same(pres(run('dataflow/TEST/DF_TEST/1.0', { references: 'children', detail: 'allstubs' })), { DF_TEST: 'stub', DSD_TEST: 'stub' });
  t.same(pres(run('dataflow/TEST/DF_TEST/1.0', { references: 'children', detail: 'referencestubs' })), { DF_TEST: 'full', DSD_TEST: 'stub' });
  t.same(pres(run('dataflow/TEST/DF_TEST/1.0', { references: 'children', detail: 'allcompletestubs' })), { DF_TEST: 'completestub', DSD_TEST: 'completestub' });
  t.same(pres(run('dataflow/TEST/DF_TEST/1.0', { references: 'children', detail: 'referencecompletestubs' })), { DF_TEST: 'full', DSD_TEST: 'completestub' });

  const partial = run('dataflow/TEST/DF_TEST/1.0', { references: 'descendants', detail: 'referencepartial' });
  const byId = new Map(partial.map((a) => [a.id, a]));
  const codes = (id: string) => (byId.get(id) as Codelist).items.map((i) => i.id);
  t.same(codes('CL_OFFENCE'), ['01', '0101', '0103'], 'allowed codes plus their ancestors');
  t.equal((byId.get('CL_OFFENCE') as Codelist).isPartial, true);
  t.same(codes('CL_FREQ'), ['A']);
  t.equal((byId.get('CL_AREA') as Codelist).isPartial, undefined, 'an unconstrained codelist stays whole');
  t.equal((byId.get('CS_TEST') as any).isPartial, undefined, 'every concept is used by the DSD');
  const dsdPartial = run('datastructure/TEST/DSD_TEST/1.0', { references: 'children', detail: 'referencepartial' });
  t.equal((dsdPartial.find((a) => a.id === 'CL_OFFENCE') as Codelist).isPartial, undefined, 'constraints on flows do not cut a DSD query');
});

t.test('resource classes', async (t) => {
  t.same(ids(run('organisationscheme')), ['AgencyScheme:AGENCIES(1.0)', 'DataProviderScheme:DATA_PROVIDERS(1.0)']);
  t.same(ids(run('allowedconstraint')), ['ContentConstraint:CR_A_DF_TEST(1.0)']);
  t.same(ids(run('actualconstraint')), []);
  t.equal(run('structure/TEST/all/1.0').length, 13, 'structure covers every class');
  t.same(ids(run('hierarchy/TEST/HCL_OFFENCE', {}, '3.0')), ['HierarchicalCodelist:HCL_OFFENCE(1.0)']);
});

t.test('hierarchies of an HCL with several: items on both APIs; on 3.0 also the Hierarchy ids 3.0 publishes', async (t) => {
  const [tree] = hcl.hierarchies;
  const two: HierarchicalCodelist = { ...hcl, id: 'HCL_TWO', hierarchies: [tree, { ...tree, id: 'FLAT', levels: undefined }] };
  const withTwo = new StructureResolver(new StructureRegistry([...sampleArtefacts, two]));
  const go = (path: string, api: '2.1' | '3.0', params: Record<string, string> = {}) =>
    withTwo.resolve(parseStructureRequest(api, path.split('/'), params)) as HierarchicalCodelist[];
  const shape = (as: HierarchicalCodelist[]) => as.map((a) => [a.id, a.hierarchies.map((h) => h.id), a.isPartial ?? false]);

  t.same(shape(go('hierarchicalcodelist/TEST/HCL_TWO/1.0', '2.1')), [['HCL_TWO', ['TREE', 'FLAT'], false]], 'whole');
  t.same(shape(go('hierarchicalcodelist/TEST/HCL_TWO/1.0/FLAT', '2.1')), [['HCL_TWO', ['FLAT'], true]], '2.1 item query');
  t.same(shape(go('hierarchy/TEST/HCL_TWO/1.0/FLAT', '3.0')), [['HCL_TWO', ['FLAT'], true]], '3.0 item query');
  t.same(shape(go('hierarchicalcodelist/TEST/HCL_TWO/1.0/TREE+FLAT', '2.1')), [['HCL_TWO', ['TREE', 'FLAT'], false]], 'every hierarchy asked for: not partial');

  t.same(shape(go('hierarchy/TEST/FLAT/1.0', '3.0')), [['HCL_TWO', ['FLAT'], true]], '3.0: the Hierarchy FLAT is addressable by its id');
  t.same(shape(go('*/TEST/FLAT,TREE/~', '3.0')), [['HCL_TWO', ['TREE', 'FLAT'], true]], '3.0: several at once, any resource');
  t.same(
    ids(go('hierarchy/TEST/FLAT/1.0', '3.0', { references: 'children' })),
    ['Codelist:CL_OFFENCE(1.0)', 'HierarchicalCodelist:HCL_TWO(1.0)'],
    '3.0: references of the Hierarchy are the HCL\'s',
  );
  t.same(go('hierarchicalcodelist/TEST/FLAT/1.0', '2.1'), [], '2.1 has HCLs only, no Hierarchy artefacts');
  t.same(go('hierarchy/TEST/TREE/1.0', '3.0').length, 1, 'TREE is a hierarchy of HCL_TWO');
  t.same(
    withTwo.resolve(parseStructureRequest('3.0', ['hierarchy', 'TEST', 'TREE', '1.0'], {})).map((a) => a.id),
    ['HCL_TWO'],
    "a single-hierarchy HCL's hierarchy (HCL_OFFENCE.TREE is published as HCL_OFFENCE) is not addressable by the hierarchy id",
  );
  t.same(shape(go('hierarchy/TEST/FLAT/1.0/TREE', '3.0')), [], 'an item query outside the selected hierarchy: nothing');
});

t.test('query objects are independent of the API version', async (t) => {
  const a: StructureQuery = parseStructureRequest('2.1', ['codelist', 'A+B', 'all', 'latest'], {});
  const b: StructureQuery = parseStructureRequest('3.0', ['codelist', 'A,B', '*', '~'], {});
  t.same(a, b);
});
