/**
 * SDMX-JSON 2.0.0 data message writer (SDMX 3.0; schema sdmx-json-data-schema.json 2.0.0, field
 * guide data-message-field-guide.md 2.0.0), streaming: see ../json10/data-stream.ts for the
 * index dictionaries, presentation levels and detail (3.0 `attributes`/`measures` are mapped to
 * a 2.1 `detail` by the caller).
 *
 * The message is `{"data":{"dataSets":[…],"structures":[…]},"meta":{…}}`, data sets first (as in
 * 1.0). Where 2.0.0 differs from 1.0:
 * - one `structures` entry, which names its data sets (`dataSets: [0, 1, …]`) and links
 *   (required by the guide, "structure") to the dataflow, the DSD and the provision agreement by
 *   SDMX 3.0 URN; every data set points back with `structure: 0`;
 * - `measures.observation` lists the primary measure, without `values` (uncoded), so values are
 *   written inline as the first observation element (guide, "observations"). Without
 *   observations (serieskeysonly, nodata: 3.0 `measures=none`) `measures` is empty;
 * - every attribute lists its values in `values` and is referenced by index, free text too (the
 *   guide allows writing uncoded observation values inline, but SPC's sdmx-json-parser and the
 *   .Stat Suite's data rules look every attribute value up in `values`). Below the data set
 *   level the list starts with the empty value `{ "value": "" }` and indices count from 1: the
 *   empty value is what an absent value (null in the data set) stands for, which matters to
 *   clients that read a missing index as 0 (sdmx-json-parser does: `observation[i + 1] || 0`),
 *   and no index refers to it. A data set attribute has its one value (guide, "component"), or
 *   the empty value alone when it met none. (A null entry, which the schema also allows, makes
 *   the .Stat Suite's rules throw; an empty list is invalid: `values` needs one entry.)
 * - an uncoded value (a time period, free text) is `{ id, name }` like the guide's samples, or
 *   `{ value, name }` when it is not a valid id (ids must match ^[A-Za-z0-9_@$-]+$); a time period
 *   also has `start` and `end`.
 */
import { refOf, type DataAttribute, type Dimension, type TimeDimension } from '../model.js';
import { dataWriter, type DataMessageContext, type DataWriter } from '../data/model.js';
import { urn30 } from '../urn30.js';
import { clean, Localiser, meta } from '../json10/common.js';
import { attributeDimensions, dataSetHead, DataSetStream, defaultDataSetHead, isDefaultDataSet, type AttributeSlot, type DimensionSlot } from '../json10/data-stream.js';
import { structureSection } from '../json10/data-structure-cache.js';
import { ValueDescriber, VALUE_ID } from '../json10/data-values.js';
import { structureLinks } from '../json10/data-writer.js';

type Json = Record<string, unknown>;

/** The value an absent attribute stands for (module comment). */
const ABSENT = Object.freeze({ value: '' });

export const DATA_SCHEMA_URL_20 =
  'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json';

export function jsonData20Writer(ctx: DataMessageContext): DataWriter {
  const loc = new Localiser(ctx.header.languages ?? []);
  const stream = new DataSetStream(ctx, { absentFirst: true });
  const flowLink = { rel: 'dataflow', urn: urn30(refOf(ctx.dataflow)) };
  return dataWriter({
    head: () => '{"data":{"dataSets":[',
    openDataSet: (info, index) => {
      const head = () => ({ structure: 0, ...dataSetHead(info, [flowLink]) });
      return (index > 0 ? ',' : '') + stream.open(isDefaultDataSet(info) ? defaultDataSetHead(ctx.dataflow, '2.0.0', head) : head());
    },
    series: (s) => stream.series(s),
    closeDataSet: () => stream.close(),
    tail: (count) => {
      const structure = structureSection(ctx, `2.0.0/${count}`, stream.layout, loc, (l) =>
        JSON.stringify(structure20(ctx, l, new ValueDescriber(ctx, l), stream, count)),
      );
      // meta last: contentLanguages lists the languages met in the structure's names.
      return `],"structures":[${structure}]},"meta":${JSON.stringify(meta(ctx.header, DATA_SCHEMA_URL_20, loc))}}`;
    },
  });
}

function structure20(ctx: DataMessageContext, loc: Localiser, describe: ValueDescriber, stream: DataSetStream, dataSets: number): Json {
  const l = stream.layout;
  const dims = new Map<string, Dimension | TimeDimension>([...ctx.dsd.dimensions, ctx.dsd.timeDimension].map((d) => [d.id, d]));
  const dimensions = (slots: readonly DimensionSlot[]): Json[] =>
    slots
      .filter((s) => s.values.values.length > 0)
      .map((s) => {
        const d = dims.get(s.id) as Dimension;
        const coded = describe.isCoded(d);
        return {
          ...describe.component(d),
          keyPosition: s.keyPosition,
          values: s.values.values.map((v) => (coded ? describe.value(s.id, v) : describe.uncoded20(s.id, v))),
        };
      });
  const attribute = (s: AttributeSlot, level: 'dataSet' | 'series' | 'observation'): Json => {
    const coded = describe.isCoded(s.attr);
    const values = s.values.values.map((v) => (coded ? describe.value(s.attr.id, v) : describe.uncoded20(s.attr.id, v)));
    return clean({
      ...describe.component(s.attr),
      isMandatory: s.attr.assignmentStatus === 'Mandatory',
      relationship: relationship20(ctx, s.attr),
      // See the module comment: always a list, and below the data set level it starts with the empty value.
      values: level === 'dataSet' && values.length > 0 ? values : [ABSENT, ...values],
    });
  };
  const pm = ctx.dsd.primaryMeasure;
  const name = loc.pair(ctx.dataflow.name);
  return clean({
    dataSets: Array.from({ length: dataSets }, (_, i) => i),
    links: structureLinks(ctx, urn30),
    name: name.one,
    names: name.all,
    dimensions: {
      dataSet: [],
      series: dimensions(l.seriesDimensions),
      observation: dimensions(l.observationDimensions),
    },
    measures: l.withObservations ? { observation: [describe.component(pm)] } : {},
    attributes: {
      dataSet: l.dataSetAttributes.map((a) => attribute(a, 'dataSet')),
      series: l.seriesAttributes.map((a) => attribute(a, 'series')),
      observation: l.observationAttributes.map((a) => attribute(a, 'observation')),
    },
  });
}

function relationship20(ctx: DataMessageContext, a: DataAttribute): Json {
  const dims = attributeDimensions(ctx.dsd, a);
  if (a.relationship.kind === 'Observation') return { observation: {} };
  // dimensions: minItems 1; an attribute depending on no dimension varies per dataflow only.
  if (a.relationship.kind === 'DataSet' || !dims || dims.length === 0) return { dataflow: {} };
  return { dimensions: [...dims] };
}
