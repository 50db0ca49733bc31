/**
 * The JavaScript clients of the SDMX community read our SDMX-JSON 2.0 data, every demo dataflow
 * whole, over HTTP as they would in a browser:
 * - SPC's sdmx-json-parser (`getDatasets`, then its observations, dimensions and flattened
 *   `getData` rows with attribute labels);
 * - the .Stat Suite data explorer's own data preparation (`rules2.sdmx_3_0_DataFormatPatch` and
 *   `rules2.prepareData` of @sis-cc/dotstatsuite-components) on the flat view it queries
 *   (`dimensionAtObservation=AllDimensions`). Its one private import is stubbed
 *   (test/helpers/dotstat-hooks.mjs), and the stub throws if the preparation ever calls it.
 * Each must see every observation we serve in SDMX-CSV for the same query, with the same key,
 * value and attributes, and nothing for an attribute that has no value.
 */
import t from 'tap';
import path from 'node:path';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import parserPackage from 'sdmx-json-parser';
import { testApp } from '../../helpers/app.js';
import { parseCsv } from '../../helpers/csv.js';
import { REPO_ROOT } from '../../helpers/shared.js';
import { readStructureFiles } from '../../../src/services/structure-files.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

register(pathToFileURL(path.join(REPO_ROOT, 'test/helpers/dotstat-hooks.mjs')).href);
const { rules2 } = await import('@sis-cc/dotstatsuite-components');
const { SDMXParser } = parserPackage;

const DIMS = ['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE', 'TIME_PERIOD'];
const ATTRIBUTES = ['OBS_STATUS', 'CONF_STATUS', 'SOURCE_DETAIL', 'COMMENT_OBS'];

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const flows = readStructureFiles(path.join(REPO_ROOT, 'sdmx'))
  .map((a) => a.artefact)
  .filter((a) => a.class === 'Dataflow');

interface Expected {
  value: number | null;
  attributes: Record<string, string>;
}

/** What we serve for the whole flow in SDMX-CSV: key|period → value and attributes. */
async function servedCsv(flow: string): Promise<Map<string, Expected>> {
  const res = await fetch(`${base}/sdmx/3.0/data/dataflow/UNODC/${flow}/1.0/*?format=csv`);
  if (res.status !== 200) throw new Error(`${flow}: SDMX-CSV answered ${res.status}`);
  return new Map(
    parseCsv(await res.text()).map((row) => [
      DIMS.map((d) => row[d]).join('.'),
      {
        value: row.OBS_VALUE === '' ? null : Number(row.OBS_VALUE),
        attributes: Object.fromEntries(ATTRIBUTES.filter((a) => row[a]).map((a) => [a, row[a]!])),
      },
    ]),
  );
}

const sameValue = (a: number | null | undefined, b: number | null) =>
  b === null ? a === null || a === undefined : typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

for (const flow of flows) {
  await t.test(`${flow.id}: SPC's sdmx-json-parser and the .Stat Suite rules read every observation`, async (t) => {
    const expected = await servedCsv(flow.id);
    t.ok(expected.size > 0, `${expected.size} observations served`);

    // sdmx-json-parser fetches the URL itself (it adds format=jsondata unless the URL has it).
    const parser = new SDMXParser();
    await parser.getDatasets(`${base}/sdmx/3.0/data/dataflow/UNODC/${flow.id}/1.0/*?format=jsondata`);
    const dimensions: J[] = parser.getDimensions();
    const observations: Record<string, unknown[]> = parser.getObservations();
    const attributes: J[] = parser.getAttributes();
    t.equal(parser.getName(), flow.name.en, 'the dataflow name');
    t.same(
      dimensions.map((d) => d.id),
      DIMS,
      'every dimension, in key order',
    );
    let wrong = 0;
    const seen = new Set<string>();
    for (const [indexes, observation] of Object.entries(observations)) {
      const key = indexes
        .split(':')
        .map((index, position) => dimensions.find((d) => d.keyPosition === position)!.values[Number(index)].id)
        .join('.');
      seen.add(key);
      const want = expected.get(key);
      if ((!want || !sameValue(observation[0] as number | null, want.value)) && wrong++ < 5) t.fail(`${key}: parser read ${observation[0]}, we serve ${want?.value}`);
    }
    t.equal(seen.size, expected.size, 'sdmx-json-parser: as many observations as we serve');
    t.equal(wrong, 0, 'sdmx-json-parser: every key and value as served');

    // Its flattened rows: labels, and attributes looked up by index (an absent one must stay absent).
    const rows: J[] = parser.getData();
    t.equal(rows.length, expected.size, 'getData: one row per observation');
    const labelOf = (attribute: J, code: string) => attribute.values.find((v: J) => v && (v.id ?? v.value) === code)?.name;
    let wrongAttributes = 0;
    Object.keys(observations).forEach((indexes, i) => {
      const key = indexes
        .split(':')
        .map((index, position) => dimensions.find((d) => d.keyPosition === position)!.values[Number(index)].id)
        .join('.');
      const want = expected.get(key)!.attributes;
      for (const attribute of attributes) {
        const label = want[attribute.id] === undefined ? undefined : labelOf(attribute, want[attribute.id]!);
        if (rows[i]![attribute.id] !== label && wrongAttributes++ < 5) t.fail(`${key} ${attribute.id}: parser shows ${rows[i]![attribute.id]}, we serve ${want[attribute.id]}`);
      }
    });
    t.equal(wrongAttributes, 0, 'getData: every attribute as served, none where there is none');

    // The .Stat Suite data explorer's preparation of its flat query.
    const res = await fetch(`${base}/sdmx/3.0/data/dataflow/UNODC/${flow.id}/1.0/*?dimensionAtObservation=AllDimensions&format=jsondata`);
    t.equal(res.status, 200);
    const json = rules2.sdmx_3_0_DataFormatPatch(await res.json());
    const prepared = rules2.prepareData(json, {
      locale: 'en',
      dataflow: { id: flow.id, name: flow.name.en },
      display: 'label',
      customAttributes: {},
      hierarchies: {},
      defaultCombinations: {},
      dataquery: '',
    });
    const prepObservations = Object.values(prepared.observations as Record<string, J>);
    t.equal(prepObservations.length, expected.size, '.Stat Suite: as many observations as we serve');
    let wrongPrepared = 0;
    for (const o of prepObservations) {
      const key = DIMS.map((d) => o.indexedDimValIds[d]).join('.');
      const want = expected.get(key);
      const attributeCodes = Object.fromEntries(
        Object.entries(o.attributes as Record<string, J>)
          .filter(([, a]) => a.value !== null && a.value !== undefined)
          .map(([id, a]) => [id, a.value.id]),
      );
      if ((!want || !sameValue(o.value, want.value) || JSON.stringify(attributeCodes) !== JSON.stringify(want.attributes)) && wrongPrepared++ < 5) {
        t.fail(`${key}: .Stat Suite prepared ${o.value} ${JSON.stringify(attributeCodes)}, we serve ${want?.value} ${JSON.stringify(want?.attributes)}`);
      }
    }
    t.equal(wrongPrepared, 0, '.Stat Suite: every key, value and attribute as served');
    t.equal(prepared.header.title.label, flow.name.en, '.Stat Suite: the header names the dataflow');
  });
}
