/**
 * SDMX-JSON 1.0 data message writer (SDMX 2.1; schema sdmx-json-data-schema.json 1.0, field
 * guide data-message-field-guide.md 1.0), streaming: see data-stream.ts for the index
 * dictionaries, presentation levels and detail.
 *
 * The message is `{"data":{"dataSets":[…],"structure":{…}},"meta":{…}}`: the data sets come
 * first, `structure` (the value lists, in index order) and `meta` (whose `contentLanguages` lists
 * the languages met in value names) after it. Choices:
 * - each data set states its action (`Information` by default) and, as the schema requires
 *   `links`, links to its dataflow by URN (data-stream.ts: several data sets, their own members); `structure.links` names the dataflow, the DSD and the provision agreement (when the
 *   query named a provider), which the guide recommends ("structure", "link");
 * - `structure.name` is the dataflow's name;
 * - every component lists `values` (required, possibly empty) and every dimension its
 *   `keyPosition` (required by the schema even at observation level);
 * - attribute relationships (guide, "attribute relationship"): DataSet → `none`, Observation →
 *   `primaryMeasure`, Dimensions and Group → `dimensions` (groups resolved);
 * - a free-text attribute value is `{ "name": text }`, with `id` too when the text is a valid id
 *   (ids must match ^[A-Za-z0-9_@$-]+$), as in the guide's TITLE example.
 */
import { refOf, urnOf, type DataAttribute, type Dimension, type TimeDimension } from '../model.js';
import { dataWriter, type DataMessageContext, type DataWriter } from '../data/model.js';
import { clean, Localiser, meta } from './common.js';
import { attributeDimensions, dataSetHead, DataSetStream, defaultDataSetHead, isDefaultDataSet, type AttributeSlot, type DimensionSlot } from './data-stream.js';
import { structureSection } from './data-structure-cache.js';
import { ValueDescriber, VALUE_ID } from './data-values.js';

type Json = Record<string, unknown>;

export const DATA_SCHEMA_URL_10 =
  'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/1.0/sdmx-json-data-schema.json';

export function jsonData10Writer(ctx: DataMessageContext): DataWriter {
  const loc = new Localiser(ctx.header.languages ?? []);
  const stream = new DataSetStream(ctx);
  const flowLink = { rel: 'dataflow', urn: urnOf(refOf(ctx.dataflow)) };
  return dataWriter({
    head: () => '{"data":{"dataSets":[',
    openDataSet: (info, index) =>
      (index > 0 ? ',' : '') +
      stream.open(isDefaultDataSet(info) ? defaultDataSetHead(ctx.dataflow, '1.0', () => dataSetHead(info, [flowLink])) : dataSetHead(info, [flowLink])),
    series: (s) => stream.series(s),
    closeDataSet: () => stream.close(),
    tail: () => {
      const structure = structureSection(ctx, '1.0', stream.layout, loc, (l) => JSON.stringify(structure10(ctx, l, stream)));
      // meta last: contentLanguages lists the languages met in the structure's names.
      return `],"structure":${structure}},"meta":${JSON.stringify(meta(ctx.header, DATA_SCHEMA_URL_10, loc))}}`;
    },
  });
}

function structure10(ctx: DataMessageContext, loc: Localiser, stream: DataSetStream): Json {
  const l = stream.layout;
  const describe = new ValueDescriber(ctx, loc);
  const dims = new Map<string, Dimension | TimeDimension>([...ctx.dsd.dimensions, ctx.dsd.timeDimension].map((d) => [d.id, d]));
  const dimension = (s: DimensionSlot): Json => ({
    ...describe.component(dims.get(s.id) as Dimension),
    keyPosition: s.keyPosition,
    values: s.values.values.map((v) => describe.value(s.id, v)),
  });
  const attribute = (s: AttributeSlot): Json => {
    const coded = describe.isCoded(s.attr);
    return {
      ...describe.component(s.attr),
      relationship: relationship10(ctx, s.attr),
      values: s.values.values.map((v) => (coded ? describe.value(s.attr.id, v) : clean({ id: VALUE_ID.test(v) ? v : undefined, name: v }))),
    };
  };
  const name = loc.pair(ctx.dataflow.name);
  return clean({
    links: structureLinks(ctx),
    name: name.one,
    names: name.all,
    dimensions: {
      dataSet: [],
      series: l.seriesDimensions.map(dimension),
      observation: l.observationDimensions.map(dimension),
    },
    attributes: {
      dataSet: l.dataSetAttributes.map(attribute),
      series: l.seriesAttributes.map(attribute),
      observation: l.observationAttributes.map(attribute),
    },
  });
}

function relationship10(ctx: DataMessageContext, a: DataAttribute): Json {
  switch (a.relationship.kind) {
    case 'DataSet':
      return { none: {} };
    case 'Observation':
      return { primaryMeasure: ctx.dsd.primaryMeasure.id };
    default:
      return { dimensions: [...(attributeDimensions(ctx.dsd, a) ?? [])] };
  }
}

/** Links to the dataflow, its DSD and the provision agreement, by URN. */
export function structureLinks(ctx: DataMessageContext, urn: typeof urnOf = urnOf): Json[] {
  const links: Json[] = [
    { rel: 'dataflow', urn: urn(refOf(ctx.dataflow)) },
    { rel: 'datastructure', urn: urn(refOf(ctx.dsd)) },
  ];
  if (ctx.provisionAgreement) links.push({ rel: 'provisionagreement', urn: urn(ctx.provisionAgreement) });
  return links;
}
