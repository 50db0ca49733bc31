/**
 * Every resolver of the schema (schema.ts), by type: the catalogue, the series, the calendar
 * and the metadata modules, the global `node(id:)` lookup and the two scalars.
 */
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { ServiceError } from '../../../errors.js';
import type { Codelist, Dataflow } from '../../../sdmx/model.js';
import type { CalendarEntry } from '../../../services/calendar/calendar.js';
import { codelistNamed, dataflowNamed, fromGlobalId, type GraphqlContext } from '../context.js';
import { catalogueResolvers } from './catalogue.js';
import { calendarResolvers, releaseNamed } from './calendar.js';
import { metadataResolvers } from './metadata.js';
import { seriesConnection, seriesResolvers } from './series.js';

/** ISO-8601: a date, or a date-time with a zone (Z or ±hh:mm). */
const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function instant(value: unknown): string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`Expected an ISO-8601 date or date-time with a zone (2026-12-06 or 2026-12-06T12:00:00Z), got ${JSON.stringify(value)}`);
  }
  return value;
}

function jsonLiteral(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(jsonLiteral);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, jsonLiteral(f.value)]));
    default:
      return undefined;
  }
}

/** A Series node by its key within its dataflow: the series connection over that one key. */
function seriesNode(ctx: GraphqlContext, key: string) {
  const slash = key.lastIndexOf('/');
  const flow = dataflowNamed(ctx, key.slice(0, slash));
  const codes = key.slice(slash + 1).split('.');
  const dsd = ctx.services.structures.registry.get(flow.structure);
  if (dsd?.class !== 'DataStructure' || codes.length !== dsd.dimensions.length) throw new ServiceError('not-found', 'No such series', { parameter: 'id' });
  const connection = seriesConnection(ctx, flow, { first: 1, filter: { dimensions: dsd.dimensions.map((d, i) => ({ dimension: d.id, codes: [codes[i]!] })) } });
  const series = connection.page.series[0];
  if (!series) throw new ServiceError('not-found', 'No such series holds public data', { parameter: 'id' });
  return { connection, series };
}

export const resolvers = {
  DateTime: {
    serialize: (value: unknown) => value,
    parseValue: instant,
    parseLiteral: (node: ValueNode) => instant(node.kind === Kind.STRING ? node.value : undefined),
  },
  JSON: {
    serialize: (value: unknown) => value,
    parseValue: (value: unknown) => value,
    parseLiteral: jsonLiteral,
  },
  Node: {
    resolveType: (obj: object) => {
      if ('connection' in obj) return 'Series';
      if ('class' in obj) return (obj as Dataflow | Codelist).class;
      return 'Release';
    },
  },
  Query: {
    ...catalogueResolvers.Query,
    ...seriesResolvers.Query,
    ...calendarResolvers.Query,
    ...metadataResolvers.Query,
    node: (_: unknown, args: { id: string }, ctx: GraphqlContext): object => {
      const global = fromGlobalId(args.id);
      if (!global) throw new ServiceError('not-found', `${args.id} is not a global id of this service`, { parameter: 'id' });
      switch (global.type) {
        case 'Dataflow':
          return dataflowNamed(ctx, global.key);
        case 'Codelist':
          return codelistNamed(ctx, global.key);
        case 'Release':
          return releaseNamed(ctx, global.key) as CalendarEntry;
        case 'Series':
          return seriesNode(ctx, global.key);
      }
    },
  },
  Dataflow: { ...catalogueResolvers.Dataflow, ...seriesResolvers.Dataflow, ...metadataResolvers.Dataflow },
  Category: catalogueResolvers.Category,
  Dimension: catalogueResolvers.Dimension,
  DimensionCode: catalogueResolvers.DimensionCode,
  Attribute: catalogueResolvers.Attribute,
  Codelist: catalogueResolvers.Codelist,
  Level: catalogueResolvers.Level,
  Code: catalogueResolvers.Code,
  SeriesConnection: seriesResolvers.SeriesConnection,
  Series: seriesResolvers.Series,
  DimensionValue: seriesResolvers.DimensionValue,
  Observation: seriesResolvers.Observation,
  Vintage: seriesResolvers.Vintage,
  Flag: seriesResolvers.Flag,
  AttributeValue: seriesResolvers.AttributeValue,
  Release: calendarResolvers.Release,
  MetadataReport: metadataResolvers.MetadataReport,
  MetadataSet: metadataResolvers.MetadataSet,
  ReportedAttribute: metadataResolvers.ReportedAttribute,
};
