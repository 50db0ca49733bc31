/**
 * The observations of a dataflow as rows people read (`/api/v1/dataflows/{id}/observations`):
 * one row per series key without its unit of measure and period, the count, the rate per
 * 100 000 and the percentage side by side when the data hold them, each value with its flags in
 * words, its other attributes and the release that wrote it.
 *
 * Values come from the one observation reader (observation-reader.ts) over the data service's
 * views, so visibility, embargo, `asOf`, `release` and the preview role mean exactly what they
 * mean on the SDMX routes and on /api/v1/data. Nothing is read before the HTTP validators are
 * known.
 *
 * Pages are walked with an opaque cursor that pins the state of the data the first page was
 * read in: the last release of the flow's view then (the data service's `viewThrough`, the
 * releases visible at its instant ranked up to it). A release that becomes public between two
 * pages is therefore not part of the walk, which neither skips nor repeats a row; the next walk
 * sees it. A cursor holds no secret (what it pins, anyone may ask with `release=`); it carries a
 * checksum so that a damaged or edited cursor, or one of another query, is refused by name.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Code, Codelist, Dataflow, DataStructure, Maintainable } from '../../sdmx/model.js';
import type { DataSelection, KeyPattern } from '../../sdmx/data/query.js';
import type { DataRepository, ObservationRow, StoredSeries } from '../../storage/repositories.js';
import type { CalendarService } from '../calendar/calendar.js';
import type { StructureService } from '../structure-service.js';
import type { VisibleRelease } from '../visibility.js';
import { ServiceError, invalidParameter } from '../../errors.js';
import { exactName, parseArtefactName, pathNameOf, resolveArtefact, textIn, type Language } from '../catalogue/artefacts.js';
import { hierarchyOf } from '../catalogue/hierarchy.js';
import { didYouMean, nearNames, suggestCodes } from '../catalogue/code-suggestions.js';
import { codelistOf, componentName, type DataService, type FlowView } from './data-service.js';
import { codeAt, compareText, matchSeries } from './flow-views.js';
import { parseAttributes, readSeries, type SeriesRows } from './observation-reader.js';
import { pagesOf } from './pages.js';
import { buildSelection, type Selection } from './selection.js';
import type { DataTarget } from './target.js';
import { CODE, PAGE_PARAMETERS, RESERVED_PARAMETERS, type ObservationsRequest } from './observations-query.js';

/** The unit-of-measure dimension whose values are put side by side in one row. */
export const UNIT_DIMENSION = 'UNIT_MEASURE';
/** Field names of the values in a row, by unit code; other units keep their code. */
export const UNIT_FIELDS: Readonly<Record<string, string>> = { NR: 'count', P_HTHAB: 'rate', PC: 'percentage' };
const FIELD_ORDER = ['count', 'rate', 'percentage'];
/** Attribute codes that say nothing worth a flag: a normal value, freely published. */
const UNFLAGGED: Readonly<Record<string, string>> = { OBS_STATUS: 'A', CONF_STATUS: 'F' };
/** Listed in a problem's `allowed` when there are at most this many. */
const FEW = 40;

export interface Flag {
  readonly attribute: string;
  readonly code: string;
  /** The code's name in the codelist, in the language asked for (else English). */
  readonly meaning: string;
}

export interface Cell {
  readonly value: number | null;
  readonly unit: string;
  /** The SDMX series key of this value (with its unit). */
  readonly seriesKey: string;
  /** No value because disclosure control withheld it (CONF_STATUS other than F). */
  readonly suppressed: boolean;
  readonly flags: readonly Flag[];
  /** The uncoded attributes as stored (e.g. SOURCE_DETAIL, COMMENT_OBS). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly release: string;
}

export interface Row {
  /** The SDMX series key without the unit of measure. */
  readonly key: string;
  readonly period: string;
  /** The series of the first value, for its codes. */
  readonly series: StoredSeries;
  /** Unit code → the stored row and its series. */
  readonly values: ReadonlyMap<string, { readonly row: ObservationRow; readonly series: StoredSeries }>;
}

export interface UnitColumn {
  readonly field: string;
  readonly unit: string;
  readonly name: string | null;
}

export interface ReleaseNote {
  readonly code: string;
  readonly title: string | null;
  readonly note: string | null;
  readonly announcedAt: string;
}

/** Everything the writers need, and the validators, before a row is read. */
export interface ObservationsAnswer {
  readonly request: ObservationsRequest;
  readonly flowKey: string;
  readonly dataflow: Dataflow;
  readonly dsd: DataStructure;
  readonly lang: Language;
  readonly etag: string;
  readonly lastModified: Date;
  /** The instant whose public data the answer is (a cursor page: its first page's). */
  readonly asOf: string;
  /** The releases the answer reads (preview audit: those not yet public). */
  readonly releasesRead: readonly VisibleRelease[];
  /** Dimensions shown per row (all but the unit), in DSD order. */
  readonly dimensions: readonly { readonly id: string; readonly name: string | null; codelist?: Codelist }[];
  /** The value fields of the rows, in order (units the matched series hold). */
  units(): readonly UnitColumn[];
  /** Observation rows the matched series hold: an upper bound of the values read. */
  estimatedObservations(): number;
  /** Throws too-large when the whole answer (no limit) is above the service's maximum. */
  checkSize(): void;
  /** The rows of this page, read as they are pulled; `done()` then tells whether more follow. */
  rows(): Generator<Row>;
  /** After `rows()` is exhausted: the cursor of the next page, or null on the last. */
  nextCursor(): string | null;
  /** The link to the next page, or null. */
  nextLink(): string | null;
  /** Exactly how many rows the answer has (reads them all; for the XLSX size check). */
  countRows(): number;
  cell(row: Row, unit: string): Cell | undefined;
  /** A stored value of a series as a cell (flags in words, suppression, release). */
  cellOf(row: ObservationRow, series: StoredSeries): Cell;
  /**
   * The series walk (GraphQL's series connection; the request's `walk` is `series`): up to
   * `first` matched series in key order after the cursor's, how many match in all, and the
   * cursor after the last one given (null on the last page).
   */
  seriesPage(first: number): SeriesPage;
  /**
   * The values of some of the matched series, in the answer's state and period, one storage read
   * per page of series; with `vintages`, each value's vintages beside it.
   */
  valuesOf(series: readonly StoredSeries[], options?: { readonly vintages?: boolean }): Generator<SeriesRows>;
  /** The release (of those the answer reads) with this storage key. */
  releaseOf(pk: number): VisibleRelease | undefined;
  dimensionLabel(dimension: string, code: string): string | null;
  /** The releases whose values the rows pulled so far hold, oldest first. */
  contributedReleases(): ReleaseNote[];
  /** The name of the maintenance agency (for the citation). */
  readonly agencyName: string;
  /** What the answer should tell about the query (codes without data…), once `returned` rows are written. */
  hints(returned: number): string[];
  /** Hierarchical dimensions whose codes in the rows are on several levels: rows shown with each code's level. */
  levelDimensions(): ReadonlySet<string>;
  /** A code's level in its hierarchy (1 = top, ICCS: section). */
  level(dimension: string, code: string): number;
  /** An attribute's name (its concept's) in the language asked for, else its id. */
  attributeName(id: string): string;
  /** Where the figures come from (release notes, else the dataflow description), without the "Source:" label. */
  sources(): string[];
  /** The licence the structures give the dataflow (an annotation LICENCE, LICENSE or RIGHTS), else null. */
  licence(): { readonly text: string | null; readonly url: string | null } | null;
  /** The path and query that reproduce this answer (no cursor; asOf pinned unless asOf or release is given). */
  permalinkPath(): string;
  /** The selection as an SDMX key (`A.MEX+GTM..`), descendants expanded: the same series over SDMX REST. */
  sdmxKey(): string;
}

export interface SeriesPage {
  readonly series: readonly StoredSeries[];
  /** Matched series in all, whatever the cursor. */
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly endCursor: string | null;
  /** The cursor that continues after each series given, in order. */
  cursorAfter(series: StoredSeries): string | null;
}

export interface ObservationsDependencies {
  readonly data: DataService;
  readonly structures: StructureService;
  readonly storedData: DataRepository;
  readonly calendar: CalendarService;
  readonly clock: Clock;
  readonly apiPrefix: string;
}

interface CursorState {
  readonly v: 1;
  /** Hash of the query it belongs to. */
  readonly q: string;
  /** Code of the last release of the flow's view on the first page. */
  readonly pin: string;
  /** The view's fingerprint, to tell that the pinned state is still the same. */
  readonly f: string;
  /** The instant the first page reflected. */
  readonly at: string;
  /** The last row given: its key without unit and its period. */
  readonly g: string;
  readonly p: string;
}

export class ObservationsApi {
  constructor(private readonly deps: ObservationsDependencies) {}

  private previewTwin: ObservationsApi | undefined;
  /** The same over `DataService.previewing` (the `preview` role): scheduled releases count early. */
  get previewing(): ObservationsApi {
    return (this.previewTwin ??= new ObservationsApi({ ...this.deps, data: this.deps.data.previewing }));
  }

  /** Resolves and checks the request; reads no observation. `rawQuery` builds the next page's link. */
  answer(request: ObservationsRequest, rawQuery: string): ObservationsAnswer {
    const { data, structures } = this.deps;
    const flow = resolveArtefact<Dataflow>(structures.registry, 'Dataflow', parseArtefactName(request.idText, request.agency, request.version), 'dataflow', 'unknown-dataflow');
    const now = this.deps.clock.now();
    if (request.asOf !== undefined && request.cursor === undefined && Date.parse(request.asOf) > now.getTime()) {
      throw invalidParameter(
        'asOf',
        `asOf ${request.asOf} is in the future (it is now ${now.toISOString()}): the data public then are not known yet. Leave asOf out for the data public now, or give an instant in the past`,
      );
    }
    const base: DataSelection = {
      api: '2.1',
      context: 'dataflow',
      flow: { agencyId: flow.agencyID, id: flow.id, version: flow.version },
      filters: [],
      asOf: request.asOf,
    };
    const { target, view: viewNow } = data.target(base);
    const { dsd } = target;
    const lang = request.lang;
    const unitId = dsd.dimensions.some((d) => d.id === UNIT_DIMENSION) ? UNIT_DIMENSION : undefined;
    const facts = flowFacts(structures, target, lang, unitId);
    const codelists = facts.codelists;
    const key = this.keyOf(request, target, codelists, viewNow);
    // A cursor of the row walk is refused by the series walk and the other way round.
    const queryHash = hash([request.walk === 'series' ? 'series' : 'observations', target.flowKey, JSON.stringify(key), request.from ?? '', request.to ?? '', request.asOf ?? '', request.release ?? '']);

    // Which state of the data: pinned by the cursor, right after a release, at asOf, or now.
    let view: FlowView;
    let asOf: string;
    let after: { g: string; p: string } | undefined;
    if (request.cursor !== undefined) {
      const c = decodeCursor(request.cursor);
      if (c.q !== queryHash) throw badCursor('it belongs to another query: keep every parameter of the first page (except limit, lang and format) and add only cursor');
      const pinned = data.viewThrough(target, c.pin);
      if (!pinned || pinned.view.fingerprint !== c.f) throw badCursor('the data it walks are no longer the same; start again without cursor');
      view = pinned.view;
      asOf = c.at;
      after = { g: c.g, p: c.p };
    } else if (request.release !== undefined) {
      const through = data.viewThrough(target, request.release);
      if (!through) throw new ServiceError('not-found', `No public release has the code "${request.release}"`, { code: 'unknown-release', parameter: 'release' });
      if (!through.release.dataflows.includes(target.flowKey)) {
        const covering = viewNow.releases.map((r) => r.code);
        const listed = covering.length ? `the releases that do are ${covering.join(', ')}` : 'no public release covers it yet';
        throw invalidParameter('release', `The release ${request.release} holds no data of ${flow.id}: ${listed}`, covering);
      }
      view = through.view;
      asOf = through.release.announcedAt;
    } else {
      view = viewNow;
      asOf = request.asOf ?? now.toISOString();
    }

    // No dimension filtered: no key at all, so that the selection knows it takes every series.
    const keys = key.every((codes) => codes === undefined) ? undefined : [key];
    const selection = buildSelection(dsd, { ...base, keys, startPeriod: request.from, endPeriod: request.to }, target.providers);
    const structuresModified = facts.structuresModified;
    const etag = `W/"${hash(['observations', target.flowKey, JSON.stringify(request.echo), request.cursor ?? '', view.fingerprint, structuresModified.toISOString()])}"`;
    const lastModified = new Date(Math.max(view.lastModified.getTime(), structuresModified.getTime()));
    return new Answer(this.deps, {
      request,
      rawQuery,
      target,
      view,
      selection,
      key,
      unitId,
      codelists,
      asOf,
      after,
      etag,
      lastModified,
      queryHash,
      pathName: facts.pathName,
      facts,
      codeHints: () => this.codeHints(request, target, codelists, view),
    });
  }

  /**
   * The key the filters name: each parameter a dimension of the DSD (any letter case), each code
   * one of its codelist; `X*` (or any code with descendants=true) adds every code under X. Also
   * the hints about codes that hold no data in this view (an answer is never silently empty).
   */
  private keyOf(request: ObservationsRequest, target: DataTarget, codelists: ReadonlyMap<string, Codelist | undefined>, view: FlowView): KeyPattern {
    const { dsd } = target;
    const ids = dsd.dimensions.map((d) => d.id);
    const key: (string[] | undefined)[] = ids.map(() => undefined);
    for (const [upper, filter] of request.filters) {
      const position = ids.indexOf(upper);
      if (position < 0) {
        const hint = upper === dsd.timeDimension.id ? ' Filter periods with from and to.' : '';
        const near = nearNames(filter.parameter, [...ids, ...RESERVED_PARAMETERS]);
        const guess = near.length ? ` Did you mean ${near.slice(0, 3).join(' or ')}?` : '';
        throw invalidParameter(
          filter.parameter,
          `Unknown parameter ${filter.parameter}: ${target.dataflow.id} has no dimension ${upper}.${hint}${guess} Filter by ${ids.filter((id) => id !== dsd.timeDimension.id).join(', ')}; the other parameters are ${RESERVED_PARAMETERS.join(', ')}`,
          [...ids, ...RESERVED_PARAMETERS],
        );
      }
      const codelist = codelists.get(upper);
      const hierarchy = codelist ? hierarchyOf(codelist, this.deps.structures.registry) : undefined;
      const codes = new Set<string>();
      for (const written of filter.codes) {
        const star = written.endsWith('*');
        const code = star ? written.slice(0, -1) : written;
        if (!codelist && !CODE.test(written)) {
          throw invalidParameter(filter.parameter, `Invalid code "${written}" in ${filter.parameter}: codes are letters, digits, _, @, $ or -, optionally followed by * for the code and everything under it`);
        }
        if (codelist && !codeIn(codelist, code)) {
          const used = codesInView(view, position);
          const suggestions = suggestCodes(codelist, code, request.lang, (id) => used.has(id));
          throw new ServiceError('invalid-input', `"${code}" is not a code of ${upper} (codelist ${exactName(codelist)}).${didYouMean(suggestions)}`, {
            parameter: filter.parameter,
            ...(suggestions.length ? { extensions: { suggestions: suggestions.map((x) => x.id) } } : {}),
            ...withAllowed(this.allowedCodes(upper, codelist, view)),
          });
        }
        for (const c of (star || request.descendants) && hierarchy ? hierarchy.withDescendants(code) : [code]) codes.add(c);
      }
      key[position] = [...codes];
    }
    return key;
  }

  /**
   * What to say about codes asked for that hold no data in the view read: a code whose
   * descendants do (use X*), or one without any (no data for X). Also a view without release.
   */
  private codeHints(request: ObservationsRequest, target: DataTarget, codelists: ReadonlyMap<string, Codelist | undefined>, view: FlowView): Hint[] {
    if (view.releases.length === 0) return [{ kind: 'no-release' }];
    const ids = target.dsd.dimensions.map((d) => d.id);
    const hints: Hint[] = [];
    for (const [upper, filter] of request.filters) {
      const position = ids.indexOf(upper);
      const codelist = codelists.get(upper);
      const hierarchy = codelist ? hierarchyOf(codelist, this.deps.structures.registry) : undefined;
      let used: ReadonlySet<string> | undefined;
      for (const written of filter.codes) {
        const star = written.endsWith('*');
        const code = star ? written.slice(0, -1) : written;
        used ??= codesInView(view, position);
        if (used.has(code)) continue;
        const below = (hierarchy?.withDescendants(code) ?? []).filter((c) => c !== code && used!.has(c)).length;
        if ((star || request.descendants) && below > 0) continue;
        const label = textIn(codeIn(codelist, code)?.name, request.lang);
        hints.push({ kind: below ? 'descendants' : 'no-data', parameter: upper, code, label, below, withDescendants: star || request.descendants });
      }
    }
    return hints;
  }

  /** The codes worth listing for a dimension: its whole codelist when short, else those holding data when few. */
  private allowedCodes(dimension: string, codelist: Codelist, view: FlowView): string[] | undefined {
    if (codelist.items.length <= FEW) return codelist.items.map((c) => c.id);
    const used = new Set<string>();
    for (const s of view.series) {
      used.add(s.dimensions[dimension]!);
      if (used.size > FEW) return undefined;
    }
    return used.size ? [...used].sort() : undefined;
  }
}

function withAllowed(allowed: readonly string[] | undefined): { allowed?: readonly string[] } {
  return allowed ? { allowed } : {};
}

/** What an answer needs of the structures behind a dataflow, in one language: the same for every request until the structures change. */
interface FlowFacts {
  readonly codelists: ReadonlyMap<string, Codelist | undefined>;
  readonly dimensions: readonly { readonly id: string; readonly name: string | null; codelist?: Codelist }[];
  readonly attributeCodelists: ReadonlyMap<string, Codelist | undefined>;
  readonly agencyName: string;
  /** The newest storage instant of the dataflow, its DSD and their codelists (for the validators). */
  readonly structuresModified: Date;
  readonly pathName: string;
}

/** Per registry (a structure change makes a new one), so facts never outlive the structures they describe. */
const factsByRegistry = new WeakMap<object, Map<string, FlowFacts>>();

function flowFacts(structures: StructureService, target: DataTarget, lang: Language, unitId: string | undefined): FlowFacts {
  const registry = structures.registry;
  let known = factsByRegistry.get(registry);
  if (!known) factsByRegistry.set(registry, (known = new Map()));
  const key = `${target.flowKey}|${lang}|${unitId ?? ''}`;
  const found = known.get(key);
  if (found) return found;
  const { dsd, dataflow } = target;
  const codelists = new Map(dsd.dimensions.map((d) => [d.id, codelistOf(structures, dsd, d.id)]));
  const attributeCodelists = new Map(dsd.attributes.map((a) => [a.id, codelistOf(structures, dsd, a.id)]));
  const behind: Maintainable[] = [dataflow, dsd, ...[...codelists.values(), ...attributeCodelists.values()].filter((c): c is Codelist => c !== undefined)];
  const agencies = registry.ofClass('AgencyScheme').flatMap((s) => (s.class === 'AgencyScheme' ? s.items : []));
  const facts: FlowFacts = {
    codelists,
    dimensions: dsd.dimensions
      .filter((d) => d.id !== unitId)
      .map((d) => ({ id: d.id, name: textIn(componentName(structures, dsd, d.id), lang) ?? d.id, codelist: codelists.get(d.id) })),
    attributeCodelists,
    agencyName: textIn(agencies.find((a) => a.id === dataflow.agencyID)?.name, lang) ?? dataflow.agencyID,
    structuresModified: structures.lastModifiedOf(behind),
    pathName: pathNameOf(registry, dataflow),
  };
  known.set(key, facts);
  return facts;
}

/** A code of a codelist by id, from an index made once per codelist (codelists of hundreds of codes were searched item by item, several times a request). */
function codeIn(codelist: Codelist | undefined, id: string): Code | undefined {
  if (!codelist) return undefined;
  let index = codeIndexes.get(codelist);
  if (!index) codeIndexes.set(codelist, (index = new Map(codelist.items.map((c) => [c.id, c]))));
  return index.get(id);
}
const codeIndexes = new WeakMap<Codelist, ReadonlyMap<string, Code>>();

/** A matched series with its row group (its key without the unit) and its unit code. */
interface OrderedSeries {
  readonly series: StoredSeries;
  readonly group: string;
  readonly unit: string;
}

/** Every series of a view in row order, with what answers over all of them share (made when first asked). */
interface WholeView {
  readonly ordered: readonly OrderedSeries[];
  unitCodes?: string[];
  levels?: Set<string>;
}
const wholeViews = new WeakMap<FlowView, Map<string, WholeView>>();

/** Series in row order: by key without unit, then unit; those before the cursor's group left out. */
function inRowOrder(
  matched: readonly StoredSeries[],
  dsd: DataStructure,
  view: FlowView,
  unitId: string | undefined,
  after: { g: string } | undefined,
): OrderedSeries[] {
  const dsdIds = dsd.dimensions.map((d) => d.id);
  const ids = dsdIds.filter((id) => id !== unitId);
  const unitAt = unitId ? dsdIds.indexOf(unitId) : -1;
  // Keys that hold their codes in DSD order give the group and unit as text, without the
  // series' code object (made on each read for catalogue series).
  const groupAndUnit = (s: StoredSeries): [string, string] => {
    if (!view.keysInDsdOrder) {
      const codes = s.dimensions;
      return [ids.map((id) => codes[id]).join('.'), unitId ? codes[unitId]! : ''];
    }
    if (unitAt < 0) return [s.key, ''];
    if (unitAt === dsdIds.length - 1) {
      const dot = s.key.lastIndexOf('.');
      return [s.key.slice(0, dot), s.key.slice(dot + 1)];
    }
    const codes = s.key.split('.');
    const [unit] = codes.splice(unitAt, 1);
    return [codes.join('.'), unit!];
  };
  const out: OrderedSeries[] = [];
  for (const s of matched) {
    const [group, unit] = groupAndUnit(s);
    if (after && compareText(group, after.g) < 0) continue;
    out.push({ series: s, group, unit });
  }
  return out.sort((a, b) => compareText(a.group, b.group) || compareText(a.unit, b.unit));
}

/** The index of the first series whose group is not before `group` (binary search of the row order). */
function firstAtOrAfter(ordered: readonly OrderedSeries[], group: string): number {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareText(ordered[mid]!.group, group) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The codes that hold data in a view at one key position (DSD dimension order). */
function codesInView(view: FlowView, position: number): ReadonlySet<string> {
  // The view reads a position's codes once (FlowView.codesAt); kept here as a set for lookups.
  let byPosition = codesOfViews.get(view);
  if (!byPosition) codesOfViews.set(view, (byPosition = new Map()));
  let used = byPosition.get(position);
  if (!used) byPosition.set(position, (used = new Set(view.codesAt(position))));
  return used;
}
const codesOfViews = new WeakMap<FlowView, Map<number, ReadonlySet<string>>>();

/** Something the answer should say about the query (a code without data…), in words per language. */
export interface Hint {
  readonly kind: 'no-data' | 'descendants' | 'no-release' | 'no-match';
  readonly parameter?: string;
  readonly code?: string;
  readonly label?: string | null;
  /** How many codes under `code` hold data. */
  readonly below?: number;
  /** The code was asked with everything under it (X* or descendants=true). */
  readonly withDescendants?: boolean;
}

/** A hint as the sentence a reader sees. */
export function hintText(h: Hint, lang: Language, flowId: string): string {
  const named = h.code === undefined ? '' : h.label ? `${h.code} (${h.label})` : h.code;
  const es = lang === 'es';
  switch (h.kind) {
    case 'descendants':
      return es
        ? `${h.parameter}=${named} no tiene datos en ${flowId}; ${h.below} códigos bajo ${h.code} sí los tienen: use ${h.parameter}=${h.code}* (o descendants=true).`
        : `${h.parameter}=${named} holds no data in ${flowId}; ${h.below} codes under ${h.code} do: use ${h.parameter}=${h.code}* (or descendants=true).`;
    case 'no-data': {
      const under = h.withDescendants ? (es ? ' ni para ningún código bajo él' : ' or any code under it') : '';
      return es
        ? `No hay datos para ${h.parameter}=${named}${under} en ${flowId}; el detalle /api/v1/dataflows/${flowId} lista los códigos con datos.`
        : `No data for ${h.parameter}=${named}${under} in ${flowId}; the detail /api/v1/dataflows/${flowId} lists the codes that hold data.`;
    }
    case 'no-release':
      return es
        ? `Ninguna publicación de ${flowId} era pública en asOf: no hay datos de ese instante.`
        : `No release of ${flowId} was public at asOf: there are no data of that instant.`;
    case 'no-match':
      return es
        ? `Ninguna fila corresponde a esta combinación de filtros y períodos; el detalle /api/v1/dataflows/${flowId} lista los códigos con datos y el período cubierto.`
        : `No row matches this combination of filters and periods; the detail /api/v1/dataflows/${flowId} lists the codes that hold data and the period covered.`;
  }
}

interface AnswerParts {
  readonly request: ObservationsRequest;
  readonly rawQuery: string;
  readonly target: DataTarget;
  readonly view: FlowView;
  readonly selection: Selection;
  /** The codes per dimension the filters name, descendants expanded (undefined: every code). */
  readonly key: KeyPattern;
  readonly unitId: string | undefined;
  readonly codelists: ReadonlyMap<string, Codelist | undefined>;
  readonly asOf: string;
  readonly after: { g: string; p: string } | undefined;
  readonly etag: string;
  readonly lastModified: Date;
  readonly queryHash: string;
  readonly pathName: string;
  readonly facts: FlowFacts;
  /** The hints about the codes asked for, computed when asked (never for a 304). */
  readonly codeHints: () => Hint[];
}

class Answer implements ObservationsAnswer {
  readonly request: ObservationsRequest;
  readonly flowKey: string;
  readonly dataflow: Dataflow;
  readonly dsd: DataStructure;
  readonly lang: Language;
  readonly etag: string;
  readonly lastModified: Date;
  readonly asOf: string;
  readonly releasesRead: readonly VisibleRelease[];
  readonly dimensions: readonly { readonly id: string; readonly name: string | null; codelist?: Codelist }[];
  readonly agencyName: string;

  private ordered: readonly OrderedSeries[] | undefined;
  /** What a whole-view answer (no filter, no cursor) shares with every other on the same view. */
  private whole: WholeView | undefined;
  private last: Row | undefined;
  private more = false;
  private exhausted = false;
  private readonly contributed = new Set<number>();
  private readonly labels = new Map<string, string | null>();
  private readonly flagWords = new Map<string, string>();
  private readonly attributeCodelists: ReadonlyMap<string, Codelist | undefined>;

  constructor(
    private readonly deps: ObservationsDependencies,
    private readonly parts: AnswerParts,
  ) {
    const { target, view } = parts;
    this.request = parts.request;
    this.flowKey = target.flowKey;
    this.dataflow = target.dataflow;
    this.dsd = target.dsd;
    this.lang = parts.request.lang;
    this.etag = parts.etag;
    this.lastModified = parts.lastModified;
    this.asOf = parts.asOf;
    this.releasesRead = view.releases;
    this.dimensions = parts.facts.dimensions;
    this.attributeCodelists = parts.facts.attributeCodelists;
    this.agencyName = parts.facts.agencyName;
  }

  /** The matched series from the cursor's position on, ordered by key without unit, then unit. */
  private series(): readonly OrderedSeries[] {
    if (this.ordered) return this.ordered;
    const { view, selection, unitId, after } = this.parts;
    if (!selection.selectsAll) return (this.ordered = inRowOrder(matchSeries(view, selection), this.dsd, view, unitId, after));
    // Every series of the view: ordered once per view, not on every page of every request.
    let byUnit = wholeViews.get(view);
    if (!byUnit) wholeViews.set(view, (byUnit = new Map()));
    let whole = byUnit.get(unitId ?? '');
    if (!whole) byUnit.set(unitId ?? '', (whole = { ordered: inRowOrder(view.series, this.dsd, view, unitId, undefined) }));
    const start = after ? firstAtOrAfter(whole.ordered, after.g) : 0;
    if (start === 0) this.whole = whole;
    return (this.ordered = start === 0 ? whole.ordered : whole.ordered.slice(start));
  }

  units(): UnitColumn[] {
    const series = this.series();
    const distinct = () => [...new Set(series.map((s) => s.unit))];
    const unitCodes = this.whole ? (this.whole.unitCodes ??= distinct()) : distinct();
    const fieldOf = (u: string) => (this.parts.unitId ? (UNIT_FIELDS[u] ?? u) : 'value');
    const rank = (f: string) => (FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length);
    const unitList = this.parts.unitId ? codelistOf(this.deps.structures, this.dsd, this.parts.unitId) : undefined;
    return unitCodes
      .map((u) => ({ field: fieldOf(u), unit: u, name: textIn(codeIn(unitList, u)?.name, this.lang) }))
      .sort((a, b) => rank(a.field) - rank(b.field) || compareText(a.field, b.field));
  }

  estimatedObservations(): number {
    const counts = this.parts.view.rowCounts;
    return this.series().reduce((n, s) => n + (counts.get(s.series.pk) ?? 0), 0);
  }

  checkSize(): void {
    if (this.request.limit === undefined) this.deps.data.checkObservationCount(this.estimatedObservations());
  }

  *rows(): Generator<Row> {
    const limit = this.request.limit;
    let n = 0;
    for (const row of this.allRows()) {
      if (limit !== undefined && n === limit) {
        this.more = true;
        return;
      }
      for (const v of row.values.values()) this.contributed.add(v.row[1]);
      this.last = row;
      n += 1;
      yield row;
    }
    this.exhausted = true;
  }

  countRows(): number {
    let n = 0;
    for (const _ of this.allRows()) n += 1;
    return n;
  }

  /** Every row from the cursor's position on: the series' values merged by key without unit and period. */
  private *allRows(): Generator<Row> {
    const ordered = this.series();
    const { view, selection, after } = this.parts;
    // Pages cut as they are read: a page of a whole dataflow reads (and cuts) only what it shows.
    const reads = readSeries(this.deps.storedData, {
      pages: pagesOf(ordered.length, (i) => ordered[i]!.series, view.rowCounts, undefined),
      releases: view.releases,
      test: selection.observations,
    });
    // Series come out in `ordered` order (those without values skipped): found by walking it.
    let at = 0;
    const infoOf = (pk: number) => {
      while (ordered[at]!.series.pk !== pk) at += 1;
      return ordered[at]!;
    };
    let group: string | undefined;
    let byPeriod = new Map<string, Map<string, { row: ObservationRow; series: StoredSeries }>>();
    let first: StoredSeries | undefined;
    const flush = function* (): Generator<Row> {
      if (group === undefined) return;
      const periods = [...byPeriod.keys()].sort(compareText);
      for (const period of periods) {
        if (after && group === after.g && compareText(period, after.p) <= 0) continue;
        yield { key: group, period, series: first!, values: byPeriod.get(period)! };
      }
    };
    for (const { series, rows } of reads) {
      const info = infoOf(series.pk);
      if (info.group !== group) {
        yield* flush();
        group = info.group;
        byPeriod = new Map();
        first = series;
      }
      for (const row of rows) {
        let values = byPeriod.get(row[2]);
        if (!values) byPeriod.set(row[2], (values = new Map()));
        values.set(info.unit, { row, series });
      }
    }
    yield* flush();
  }

  nextCursor(): string | null {
    if (!this.more || !this.last || this.exhausted) return null;
    const pin = this.parts.view.releases[this.parts.view.releases.length - 1];
    if (!pin) return null;
    return encodeCursor({ v: 1, q: this.parts.queryHash, pin: pin.code, f: this.parts.view.fingerprint, at: this.asOf, g: this.last.key, p: this.last.period });
  }

  nextLink(): string | null {
    const cursor = this.nextCursor();
    if (cursor === null) return null;
    const pieces = this.parts.rawQuery.split('&').filter((p) => p !== '' && !p.startsWith('cursor='));
    // A page parameter given again on a cursor page (limit=3 … &limit=50): keep the one that counted, the last.
    const nameOf = (p: string) => decodeURIComponentSafe(p.split('=')[0]!);
    const kept = pieces.filter((p, i) => {
      const name = nameOf(p);
      return !(PAGE_PARAMETERS as readonly string[]).includes(name) || !pieces.slice(i + 1).some((q) => nameOf(q) === name);
    });
    return `${this.deps.apiPrefix}/dataflows/${this.parts.pathName}/observations?${[...kept, `cursor=${cursor}`].join('&')}`;
  }

  cell(row: Row, unit: string): Cell | undefined {
    const v = row.values.get(unit);
    return v ? this.cellOf(v.row, v.series, unit) : undefined;
  }

  cellOf(row: ObservationRow, series: StoredSeries, unit = this.parts.unitId ? (series.dimensions[this.parts.unitId] ?? '') : ''): Cell {
    const [, releasePk, , value, attributesText] = row;
    const { flags, other, conf } = this.attributeFacts(attributesText);
    return {
      value: value === null || !Number.isFinite(value) ? null : value,
      unit,
      seriesKey: series.key,
      suppressed: value === null && conf !== undefined && conf !== 'F',
      flags,
      attributes: other,
      release: this.releaseCode(releasePk),
    };
  }

  private matchedInKeyOrder: readonly StoredSeries[] | undefined;
  seriesPage(first: number): SeriesPage {
    const { view, selection, after } = this.parts;
    // The view's series are in key order; a selection's lookups may not be.
    this.matchedInKeyOrder ??= selection.selectsAll ? view.series : [...matchSeries(view, selection)].sort((a, b) => compareText(a.key, b.key));
    const all = this.matchedInKeyOrder;
    let start = 0;
    if (after) {
      let high = all.length;
      while (start < high) {
        const mid = (start + high) >>> 1;
        if (compareText(all[mid]!.key, after.g) <= 0) start = mid + 1;
        else high = mid;
      }
    }
    const series = all.slice(start, start + first);
    const hasNextPage = start + first < all.length;
    const pin = view.releases[view.releases.length - 1];
    const cursorAfter = (s: StoredSeries) =>
      pin ? encodeCursor({ v: 1, q: this.parts.queryHash, pin: pin.code, f: view.fingerprint, at: this.asOf, g: s.key, p: '' }) : null;
    const last = series[series.length - 1];
    return { series, totalCount: all.length, hasNextPage, hasPreviousPage: start > 0, endCursor: last ? cursorAfter(last) : null, cursorAfter };
  }

  valuesOf(series: readonly StoredSeries[], options: { readonly vintages?: boolean } = {}): Generator<SeriesRows> {
    const { view, selection } = this.parts;
    return readSeries(this.deps.storedData, {
      pages: pagesOf(series.length, (i) => series[i]!, view.rowCounts, undefined),
      releases: view.releases,
      test: selection.observations,
      vintages: options.vintages === true,
    });
  }

  releaseOf(pk: number): VisibleRelease | undefined {
    return this.parts.view.releases.find((r) => r.pk === pk);
  }

  /**
   * The flags (in words) and other attributes of a stored attribute text, worked out once per
   * answer: a few texts recur across thousands of values. The objects are shared by the cells
   * that have them (they are read-only), so writers can also keep what they make of them.
   */
  private attributeFacts(text: string): { flags: readonly Flag[]; other: Readonly<Record<string, string>>; conf: string | undefined } {
    let facts = this.factsByText.get(text);
    if (facts) return facts;
    const attributes = parseAttributes(text);
    const flags: Flag[] = [];
    const other: Record<string, string> = {};
    for (const [id, code] of Object.entries(attributes)) {
      if (this.attributeCodelists.get(id)) {
        if (UNFLAGGED[id] !== code) flags.push({ attribute: id, code, meaning: this.flagMeaning(id, code) });
      } else other[id] = code;
    }
    facts = { flags, other, conf: attributes.CONF_STATUS };
    this.factsByText.set(text, facts);
    return facts;
  }
  private readonly factsByText = new Map<string, { flags: readonly Flag[]; other: Readonly<Record<string, string>>; conf: string | undefined }>();

  private flagMeaning(attribute: string, code: string): string {
    const k = `${attribute}\u0000${code}`;
    let m = this.flagWords.get(k);
    if (m === undefined) {
      const cl = this.attributeCodelists.get(attribute);
      m = textIn(codeIn(cl, code)?.name, this.lang) ?? code;
      this.flagWords.set(k, m);
    }
    return m;
  }

  dimensionLabel(dimension: string, code: string): string | null {
    const k = `${dimension}\u0000${code}`;
    if (this.labels.has(k)) return this.labels.get(k)!;
    const cl = this.parts.codelists.get(dimension);
    const label = textIn(codeIn(cl, code)?.name, this.lang);
    this.labels.set(k, label);
    return label;
  }

  private releaseCodes: Map<number, string> | undefined;
  private releaseCode(pk: number): string {
    this.releaseCodes ??= new Map(this.parts.view.releases.map((r) => [r.pk, r.code]));
    return this.releaseCodes.get(pk) ?? String(pk);
  }

  hints(returned: number): string[] {
    const hints = this.parts.codeHints();
    if (returned === 0 && this.parts.after === undefined && hints.length === 0) hints.push({ kind: 'no-match' });
    return hints.map((h) => hintText(h, this.lang, this.dataflow.id));
  }

  private mixedLevels: Set<string> | undefined;
  levelDimensions(): ReadonlySet<string> {
    if (this.mixedLevels) return this.mixedLevels;
    const series = this.series();
    if (this.whole?.levels) return (this.mixedLevels = this.whole.levels);
    const out = new Set<string>();
    if (this.whole) this.whole.levels = out;
    for (const d of this.dimensions) {
      if (!d.codelist || !hierarchyOf(d.codelist, this.deps.structures.registry).hierarchical) continue;
      const levels = new Set<number>();
      const position = this.dsd.dimensions.findIndex((x) => x.id === d.id);
      for (const s of series) {
        // From the key when it holds the codes in DSD order: a catalogue series makes a new object of its codes at each read.
        const code = this.parts.view.keysInDsdOrder ? codeAt(s.series.key, position) : s.series.dimensions[d.id]!;
        levels.add(this.level(d.id, code));
        if (levels.size > 1) {
          out.add(d.id);
          break;
        }
      }
    }
    return (this.mixedLevels = out);
  }

  level(dimension: string, code: string): number {
    const cl = this.parts.codelists.get(dimension);
    return cl ? hierarchyOf(cl, this.deps.structures.registry).levelOf(code) : 1;
  }

  private attributeNames = new Map<string, string>();
  attributeName(id: string): string {
    let name = this.attributeNames.get(id);
    if (name === undefined) {
      name = textIn(componentName(this.deps.structures, this.dsd, id), this.lang) ?? id;
      this.attributeNames.set(id, name);
    }
    return name;
  }

  sources(): string[] {
    const contributed = this.contributedReleases();
    const releases = contributed.length ? contributed : this.viewReleases();
    const out = new Set<string>();
    for (const r of releases) if (r.note) for (const s of sourceSentences(r.note)) out.add(s);
    if (out.size === 0) {
      for (const lang of [this.lang, 'en']) {
        const description = textIn(this.dataflow.description, lang);
        for (const s of description ? sourceSentences(description) : []) out.add(s);
        if (out.size) break;
      }
    }
    return [...out];
  }

  licence(): { text: string | null; url: string | null } | null {
    const a = this.dataflow.annotations?.find((x) => /^(LICEN[CS]E|RIGHTS)$/i.test(x.type ?? ''));
    if (!a) return null;
    return { text: textIn(a.text, this.lang) ?? a.title ?? null, url: a.url ?? null };
  }

  permalinkPath(): string {
    const kept = this.parts.rawQuery.split('&').filter((p) => p !== '' && !/^cursor=/i.test(p));
    if (this.request.asOf === undefined && this.request.release === undefined) kept.push(`asOf=${encodeURIComponent(this.asOf)}`);
    return `${this.deps.apiPrefix}/dataflows/${this.parts.pathName}/observations${kept.length ? `?${kept.join('&')}` : ''}`;
  }

  sdmxKey(): string {
    return this.parts.key.map((codes) => (codes ?? []).join('+')).join('.');
  }

  private releaseTextsMemo: ReturnType<CalendarService['releaseTexts']> | undefined;
  private releaseTexts(): ReturnType<CalendarService['releaseTexts']> {
    return (this.releaseTextsMemo ??= this.deps.calendar.releaseTexts());
  }

  private viewReleases(): ReleaseNote[] {
    const entries = this.releaseTexts();
    return this.parts.view.releases.map((r) => ({ code: r.code, title: entries.get(r.code)?.title ?? null, note: entries.get(r.code)?.note ?? null, announcedAt: r.announcedAt }));
  }

  contributedReleases(): ReleaseNote[] {
    const entries = this.releaseTexts();
    return this.parts.view.releases
      .filter((r) => this.contributed.has(r.pk))
      .map((r) => ({ code: r.code, title: entries.get(r.code)?.title ?? null, note: entries.get(r.code)?.note ?? null, announcedAt: r.announcedAt }));
  }
}

/**
 * The source named in a text: the sentences after a "Source:" (or "Fuente:") label, the label
 * dropped; a release note that is only a source statement gives that. Nothing when no label.
 */
export function sourceSentences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[.;]\s+)(?:Source|Sources|Fuente|Fuentes)\s*:\s*([^]*?)(?=\.\s+[A-ZÁÉÍÓÚ]|\.?$)/g)) {
    const sentence = m[1]!.trim().replace(/\.$/, '');
    if (sentence) out.push(sentence);
  }
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function badCursor(why: string): ServiceError {
  return invalidParameter('cursor', `Invalid cursor: ${why}`);
}

const CURSOR_SALT = 'iccs-observations-cursor-v1';

function encodeCursor(state: CursorState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${hash([CURSOR_SALT, payload]).slice(0, 16)}`;
}

function decodeCursor(text: string): CursorState {
  const dot = text.lastIndexOf('.');
  const payload = dot < 0 ? '' : text.slice(0, dot);
  if (dot < 0 || text.slice(dot + 1) !== hash([CURSOR_SALT, payload]).slice(0, 16)) {
    throw badCursor('it is not a cursor this service gave (damaged or edited); use the next link of the previous page, or start again without cursor');
  }
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('it cannot be read; start again without cursor');
  }
  const s = state as Partial<CursorState>;
  const texts = [s.q, s.pin, s.f, s.at, s.g, s.p];
  if (s.v !== 1 || texts.some((x) => typeof x !== 'string')) throw badCursor('it cannot be read; start again without cursor');
  return s as CursorState;
}

function hash(parts: readonly string[]): string {
  // The same queries recur request after request: a hash is made once per distinct input.
  const input = parts.join('\u0000');
  let digest = hashes.get(input);
  if (digest === undefined) {
    const h = createHash('sha256');
    for (const p of parts) h.update(p).update('\u0000');
    digest = h.digest('base64url').slice(0, 32);
    if (hashes.size >= HASHES_KEPT) hashes.clear();
    hashes.set(input, digest);
  }
  return digest;
}
const hashes = new Map<string, string>();
const HASHES_KEPT = 1024;
