/**
 * Resolvers of the series connection and what hangs under it: Query.series (and
 * Dataflow.series), SeriesConnection, Series, DimensionValue, Observation, Vintage, Flag,
 * AttributeValue.
 *
 * The query goes through the JSON API's observations service (services/data/observations.ts):
 * the same parsing of periods, codes with descendants, asOf and release, the same views of the
 * data service, so embargo, preview, disclosure control and history mean exactly what they mean
 * on the SDMX and JSON routes. A page of series is read from storage once (one read per storage
 * page of ~1000 rows, however many series and fields the query names): the first
 * `observations` field resolved reads the values of every series of the page (with their
 * vintages when any `history` is asked), the others find them in the connection.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Kind } from 'graphql';
import { ServiceError } from '../../../errors.js';
import { notYetPublic } from '../../../auth/preview-access.js';
import type { Dataflow, DataStructure } from '../../../sdmx/model.js';
import { exactName } from '../../../services/catalogue/artefacts.js';
import { codelistOf, componentName } from '../../../services/data/data-service.js';
import type { Cell, Flag, ObservationsAnswer, SeriesPage } from '../../../services/data/observations.js';
import { parseObservationsRequest } from '../../../services/data/observations-query.js';
import type { SeriesRows } from '../../../services/data/observation-reader.js';
import type { CalendarEntry } from '../../../services/calendar/calendar.js';
import type { ObservationRow, StoredSeries } from '../../../storage/repositories.js';
import { checkDeadline, dataflowNamed, globalId, label, type GraphqlContext } from '../context.js';
import { codeLabel, dsdOf } from './catalogue.js';
import { LIMITS } from '../limits.js';

type LangArgs = { readonly lang?: string | null };

/** The most series a page holds, and codes a dimension filter lists (limits.ts). */
export const MAX_SERIES_PAGE = LIMITS.maxSeriesPage;
export const MAX_FILTER_CODES = LIMITS.maxFilterCodes;

export interface SeriesArgs {
  readonly filter?: {
    readonly dimensions?: readonly { readonly dimension: string; readonly codes: readonly string[]; readonly descendants?: boolean | null }[] | null;
    readonly from?: string | null;
    readonly to?: string | null;
  } | null;
  readonly first?: number | null;
  readonly after?: string | null;
  readonly asOf?: string | null;
  readonly release?: string | null;
}

/** Request parameters of the observations service → GraphQL arguments, for errors. */
const ARGUMENT_OF: Readonly<Record<string, string>> = { from: 'filter.from', to: 'filter.to', cursor: 'after', limit: 'first', asOf: 'asOf', release: 'release' };

/** One page of series of one query, with the values read for it (once per mode). */
export class SeriesConnection {
  private current: Map<number, SeriesRows> | undefined;
  private withVintages: Map<number, SeriesRows> | undefined;

  constructor(
    readonly answer: ObservationsAnswer,
    readonly page: SeriesPage,
    readonly dsd: DataStructure,
  ) {}

  /** The values of a series of the page; the first call reads the whole page. */
  valuesOf(series: StoredSeries, vintages: boolean, ctx: GraphqlContext): SeriesRows | undefined {
    if (this.withVintages) return this.withVintages.get(series.pk);
    if (!vintages && this.current) return this.current.get(series.pk);
    const read = new Map<number, SeriesRows>();
    for (const s of this.answer.valuesOf(this.page.series, { vintages })) {
      checkDeadline(ctx);
      read.set(s.series.pk, s);
    }
    if (vintages) this.withVintages = read;
    else this.current = read;
    return read.get(series.pk);
  }
}

interface SeriesParent {
  readonly connection: SeriesConnection;
  readonly series: StoredSeries;
}

interface ObservationParent {
  readonly connection: SeriesConnection;
  readonly series: StoredSeries;
  readonly row: ObservationRow;
  readonly vintages: readonly ObservationRow[] | undefined;
}

/** The series of a dataflow that match the arguments, a page of them. */
export function seriesConnection(ctx: GraphqlContext, flow: Dataflow, args: SeriesArgs): SeriesConnection {
  checkDeadline(ctx);
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 1 || first > MAX_SERIES_PAGE) {
    throw new ServiceError('invalid-input', `first must be from 1 to ${MAX_SERIES_PAGE} (series per page), not ${first}: page with after`, { parameter: 'first' });
  }
  const dsd = dsdOf(ctx, flow);
  const pieces: string[] = [];
  const ids = dsd.dimensions.map((d) => d.id);
  for (const f of args.filter?.dimensions ?? []) {
    const upper = f.dimension.toUpperCase();
    if (!ids.includes(upper)) {
      const hint = upper === dsd.timeDimension.id ? ' Filter periods with filter.from and filter.to.' : '';
      throw new ServiceError('invalid-input', `${flow.id} has no dimension ${f.dimension}.${hint} Its dimensions are ${ids.join(', ')}`, { parameter: 'filter.dimensions', allowed: ids });
    }
    if (f.codes.length === 0 || f.codes.length > MAX_FILTER_CODES) {
      throw new ServiceError('invalid-input', `The filter on ${upper} lists ${f.codes.length} codes: give 1 to ${MAX_FILTER_CODES} (a code followed by * takes every code under it)`, { parameter: 'filter.dimensions' });
    }
    const codes = f.codes.map((c) => c.trim());
    const bad = codes.find((c) => c === '' || c.includes(','));
    if (bad !== undefined) throw new ServiceError('invalid-input', `Invalid code "${bad}" in the filter on ${upper}: one code per list item`, { parameter: 'filter.dimensions' });
    const written = f.descendants ? codes.map((c) => (c.endsWith('*') ? c : `${c}*`)) : codes;
    pieces.push(`${encodeURIComponent(upper)}=${written.map(encodeURIComponent).join(',')}`);
  }
  const param = (name: string, value: string | null | undefined) => {
    if (value !== undefined && value !== null) pieces.push(`${name}=${encodeURIComponent(value)}`);
  };
  param('from', args.filter?.from);
  param('to', args.filter?.to);
  param('asOf', args.asOf);
  param('release', args.release);
  param('cursor', args.after);
  param('lang', ctx.lang);
  pieces.push(`limit=${first}`, 'format=json');
  const rawQuery = pieces.join('&');
  try {
    const request = { ...parseObservationsRequest(exactName(flow), rawQuery, undefined, undefined), walk: 'series' as const };
    const api = ctx.preview ? ctx.services.observations.previewing : ctx.services.observations;
    const answer = api.answer(request, rawQuery);
    if (ctx.preview) {
      ctx.preview.dataflow = answer.flowKey;
      ctx.preview.embargoedReleases = [...new Set([...ctx.preview.embargoedReleases, ...notYetPublic(answer.releasesRead, ctx.services.clock.now())])];
    }
    return new SeriesConnection(answer, answer.seriesPage(first), dsd);
  } catch (err) {
    throw inArguments(err);
  }
}

/** A refusal of the observations service, naming the GraphQL argument rather than the URL parameter. */
function inArguments(err: unknown): unknown {
  if (!(err instanceof ServiceError) || err.details.parameter === undefined) return err;
  const parameter = ARGUMENT_OF[err.details.parameter] ?? 'filter.dimensions';
  const message =
    err.details.parameter !== 'cursor'
      ? err.message
      : err.message
          .replace('Invalid cursor', 'Invalid after')
          .replace('keep every parameter of the first page (except limit, lang and format) and add only cursor', 'ask with the dataflow, filter, asOf and release of the first page, adding only after')
          .replace(/without cursor/g, 'without after');
  return new ServiceError(err.kind, message, { ...err.details, parameter });
}

/** Whether the selection of the field being resolved asks for `name`, in fragments too. */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return walk(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}

function releaseEntry(ctx: GraphqlContext, connection: SeriesConnection, releasePk: number): CalendarEntry {
  const release = connection.answer.releaseOf(releasePk);
  const entry = release ? ctx.memo.releases().get(release.code) : undefined;
  if (entry) return entry;
  // A release read is always on the calendar; should one not be, it is still named truthfully.
  const code = release?.code ?? String(releasePk);
  const at = release?.announcedAt ?? new Date(0).toISOString();
  return { code, title: code, note: null, dataflows: release?.dataflows ?? [], state: 'published', announcedAt: at, firstAnnouncedAt: at, publishedAt: at, revises: null, postponements: [], cancellation: null, punctuality: null, updatedAt: at };
}

function flagMeaning(ctx: GraphqlContext, dsd: DataStructure, flag: Flag, args: LangArgs): string {
  const codelist = codelistOf(ctx.services.structures, dsd, flag.attribute);
  return codeLabel(ctx, codelist, flag.code, args) ?? flag.meaning;
}

export const seriesResolvers = {
  Query: {
    series: (_: unknown, args: SeriesArgs & { dataflow: string }, ctx: GraphqlContext) => seriesConnection(ctx, dataflowNamed(ctx, args.dataflow), args),
  },
  Dataflow: {
    series: (flow: Dataflow, args: SeriesArgs, ctx: GraphqlContext) => seriesConnection(ctx, flow, args),
  },
  SeriesConnection: {
    totalCount: (c: SeriesConnection) => c.page.totalCount,
    edges: (c: SeriesConnection) => c.page.series.map((series) => ({ cursor: c.page.cursorAfter(series) ?? '', node: { connection: c, series } })),
    nodes: (c: SeriesConnection): SeriesParent[] => c.page.series.map((series) => ({ connection: c, series })),
    pageInfo: (c: SeriesConnection) => {
      const first = c.page.series[0];
      return {
        hasNextPage: c.page.hasNextPage,
        hasPreviousPage: c.page.hasPreviousPage,
        startCursor: first ? c.page.cursorAfter(first) : null,
        endCursor: c.page.endCursor,
      };
    },
    asOf: (c: SeriesConnection) => c.answer.asOf,
    dataflow: (c: SeriesConnection) => c.answer.dataflow,
    hints: (c: SeriesConnection) => c.answer.hints(c.page.series.length),
  },
  Series: {
    id: (p: SeriesParent) => globalId('Series', `${p.connection.answer.flowKey}/${p.series.key}`),
    key: (p: SeriesParent) => p.series.key,
    dataflow: (p: SeriesParent) => p.connection.answer.dataflow,
    dimensions: (p: SeriesParent) => {
      const codes = p.series.dimensions;
      return p.connection.dsd.dimensions.map((d) => ({ dimension: d.id, code: codes[d.id]!, connection: p.connection }));
    },
    dimension: (p: SeriesParent, args: { code: string }) => {
      const d = p.connection.dsd.dimensions.find((x) => x.id.toUpperCase() === args.code.toUpperCase());
      if (!d) {
        const ids = p.connection.dsd.dimensions.map((x) => x.id);
        throw new ServiceError('not-found', `The series has no dimension ${args.code}: its dimensions are ${ids.join(', ')}`, { parameter: 'code', allowed: ids });
      }
      return { dimension: d.id, code: p.series.dimensions[d.id]!, connection: p.connection };
    },
    observations: (p: SeriesParent, args: { last?: number | null }, ctx: GraphqlContext, info: GraphQLResolveInfo): ObservationParent[] => {
      if (args.last !== undefined && args.last !== null && args.last < 1) throw new ServiceError('invalid-input', `last must be 1 or more, not ${args.last}`, { parameter: 'last' });
      const values = p.connection.valuesOf(p.series, selects(info, 'history'), ctx);
      if (!values) return [];
      const start = args.last ? Math.max(0, values.rows.length - args.last) : 0;
      const out: ObservationParent[] = [];
      for (let i = start; i < values.rows.length; i += 1) out.push({ connection: p.connection, series: p.series, row: values.rows[i]!, vintages: values.vintages?.[i] });
      return out;
    },
  },
  DimensionValue: {
    dimensionName: (v: { dimension: string; connection: SeriesConnection }, args: LangArgs, ctx: GraphqlContext) =>
      label(componentName(ctx.services.structures, v.connection.dsd, v.dimension), args, ctx) ?? v.dimension,
    name: (v: { dimension: string; code: string; connection: SeriesConnection }, args: LangArgs, ctx: GraphqlContext) =>
      codeLabel(ctx, codelistOf(ctx.services.structures, v.connection.dsd, v.dimension), v.code, args),
    level: (v: { dimension: string; code: string; connection: SeriesConnection }) => v.connection.answer.level(v.dimension, v.code),
  },
  Observation: {
    period: (o: ObservationParent) => o.row[2],
    // The number alone needs no cell (flags, attributes): most queries ask only for it.
    value: (o: ObservationParent) => {
      const value = o.row[3];
      return value === null || !Number.isFinite(value) ? null : value;
    },
    suppressed: (o: ObservationParent) => cellOf(o).suppressed,
    flags: (o: ObservationParent) => cellOf(o).flags.map((flag) => ({ flag, dsd: o.connection.dsd })),
    attributes: (o: ObservationParent) => Object.entries(cellOf(o).attributes).map(([attribute, value]) => ({ attribute, value, dsd: o.connection.dsd })),
    release: (o: ObservationParent, _: unknown, ctx: GraphqlContext) => releaseEntry(ctx, o.connection, o.row[1]),
    history: (o: ObservationParent) => (o.vintages ?? [o.row]).map((row) => ({ connection: o.connection, series: o.series, row })),
  },
  Vintage: {
    release: (v: { connection: SeriesConnection; row: ObservationRow }, _: unknown, ctx: GraphqlContext) => releaseEntry(ctx, v.connection, v.row[1]),
    value: (v: ObservationParent) => (v.row[5] === 1 ? null : cellOf(v).value),
    suppressed: (v: ObservationParent) => v.row[5] !== 1 && cellOf(v).suppressed,
    withdrawn: (v: ObservationParent) => v.row[5] === 1,
    flags: (v: ObservationParent) => cellOf(v).flags.map((flag) => ({ flag, dsd: v.connection.dsd })),
  },
  Flag: {
    attribute: (f: { flag: Flag }) => f.flag.attribute,
    code: (f: { flag: Flag }) => f.flag.code,
    meaning: (f: { flag: Flag; dsd: DataStructure }, args: LangArgs, ctx: GraphqlContext) => flagMeaning(ctx, f.dsd, f.flag, args),
  },
  AttributeValue: {
    name: (a: { attribute: string; dsd: DataStructure }, args: LangArgs, ctx: GraphqlContext) => label(componentName(ctx.services.structures, a.dsd, a.attribute), args, ctx) ?? a.attribute,
  },
};

const cells = new WeakMap<ObservationRow, Cell>();
/** The stored row as a cell (flags, suppression), made once per row and request. */
function cellOf(o: { connection: SeriesConnection; series: StoredSeries; row: ObservationRow }): Cell {
  let cell = cells.get(o.row);
  if (!cell) cells.set(o.row, (cell = o.connection.answer.cellOf(o.row, o.series)));
  return cell;
}

