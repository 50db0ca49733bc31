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
import type { Codelist, Dataflow, DataStructure, Maintainable } from '../../sdmx/model.js';
import type { DataSelection, KeyPattern } from '../../sdmx/data/query.js';
import type { DataRepository, ObservationRow, StoredSeries } from '../../storage/repositories.js';
import type { CalendarService } from '../calendar/calendar.js';
import type { StructureService } from '../structure-service.js';
import type { VisibleRelease } from '../visibility.js';
import { ServiceError, invalidParameter } from '../../errors.js';
import { exactName, parseArtefactName, pathNameOf, resolveArtefact, textIn, type Language } from '../catalogue/artefacts.js';
import { hierarchyOf } from '../catalogue/hierarchy.js';
import { codelistOf, componentName, type DataService, type FlowView } from './data-service.js';
import { compareText, matchSeries } from './flow-views.js';
import { parseAttributes, readSeries } from './observation-reader.js';
import { paginate } from './pages.js';
import { buildSelection, type Selection } from './selection.js';
import type { DataTarget } from './target.js';
import { RESERVED_PARAMETERS, type ObservationsRequest } from './observations-query.js';

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
  dimensionLabel(dimension: string, code: string): string | null;
  /** The releases whose values the rows pulled so far hold, oldest first. */
  contributedReleases(): ReleaseNote[];
  /** The name of the maintenance agency (for the citation). */
  readonly agencyName: string;
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
    const codelists = new Map(dsd.dimensions.map((d) => [d.id, codelistOf(structures, dsd, d.id)]));
    const key = this.keyOf(request, target, codelists, viewNow);
    const queryHash = hash(['observations', target.flowKey, JSON.stringify(key), request.from ?? '', request.to ?? '', request.asOf ?? '', request.release ?? '']);

    // Which state of the data: pinned by the cursor, right after a release, at asOf, or now.
    const now = this.deps.clock.now();
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
      if (!through) throw new ServiceError('not-found', 'No public release has this code', { code: 'unknown-release' });
      view = through.view;
      asOf = through.release.announcedAt;
    } else {
      view = viewNow;
      asOf = request.asOf !== undefined && Date.parse(request.asOf) < now.getTime() ? request.asOf : now.toISOString();
    }

    const selection = buildSelection(dsd, { ...base, keys: [key], startPeriod: request.from, endPeriod: request.to }, target.providers);
    const structuresBehind: Maintainable[] = [target.dataflow, dsd, ...[...codelists.values()].filter((c): c is Codelist => c !== undefined)];
    for (const a of dsd.attributes) {
      const cl = codelistOf(structures, dsd, a.id);
      if (cl) structuresBehind.push(cl);
    }
    const structuresModified = structures.lastModifiedOf(structuresBehind);
    const etag = `W/"${hash(['observations', target.flowKey, JSON.stringify(request.echo), request.cursor ?? '', view.fingerprint, structuresModified.toISOString()])}"`;
    const lastModified = new Date(Math.max(view.lastModified.getTime(), structuresModified.getTime()));
    return new Answer(this.deps, {
      request,
      rawQuery,
      target,
      view,
      selection,
      unitId,
      codelists,
      asOf,
      after,
      etag,
      lastModified,
      queryHash,
      pathName: pathNameOf(structures.registry, flow),
    });
  }

  /**
   * The key the filters name: each parameter a dimension of the DSD (any letter case), each code
   * one of its codelist; `X*` (or any code with descendants=true) adds every code under X.
   */
  private keyOf(request: ObservationsRequest, target: DataTarget, codelists: ReadonlyMap<string, Codelist | undefined>, view: FlowView): KeyPattern {
    const { dsd } = target;
    const ids = dsd.dimensions.map((d) => d.id);
    const key: (string[] | undefined)[] = ids.map(() => undefined);
    for (const [upper, filter] of request.filters) {
      const position = ids.indexOf(upper);
      if (position < 0) {
        const hint = upper === dsd.timeDimension.id ? ': filter periods with from and to' : '';
        throw invalidParameter(filter.parameter, `Unknown parameter "${filter.parameter}": ${dsd.id} has no dimension ${upper}${hint}. Filter by ${ids.join(', ')}, or use ${RESERVED_PARAMETERS.join(', ')}`, [
          ...ids,
          ...RESERVED_PARAMETERS,
        ]);
      }
      const codelist = codelists.get(upper);
      const codes = new Set<string>();
      for (const written of filter.codes) {
        const withDescendants = written.endsWith('*') || request.descendants;
        const code = written.endsWith('*') ? written.slice(0, -1) : written;
        if (codelist && !codelist.items.some((c) => c.id === code)) {
          throw invalidParameter(filter.parameter, `"${code}" is not a code of ${upper} (codelist ${exactName(codelist)})`, this.allowedCodes(upper, codelist, view));
        }
        if (withDescendants && codelist) for (const c of hierarchyOf(codelist, this.deps.structures.registry).withDescendants(code)) codes.add(c);
        else codes.add(code);
      }
      key[position] = [...codes];
    }
    return key;
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

interface AnswerParts {
  readonly request: ObservationsRequest;
  readonly rawQuery: string;
  readonly target: DataTarget;
  readonly view: FlowView;
  readonly selection: Selection;
  readonly unitId: string | undefined;
  readonly codelists: ReadonlyMap<string, Codelist | undefined>;
  readonly asOf: string;
  readonly after: { g: string; p: string } | undefined;
  readonly etag: string;
  readonly lastModified: Date;
  readonly queryHash: string;
  readonly pathName: string;
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

  private ordered: { series: StoredSeries; group: string; unit: string }[] | undefined;
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
    this.dimensions = this.dsd.dimensions
      .filter((d) => d.id !== parts.unitId)
      .map((d) => ({ id: d.id, name: textIn(componentName(deps.structures, this.dsd, d.id), this.lang) ?? d.id, codelist: parts.codelists.get(d.id) }));
    this.attributeCodelists = new Map(this.dsd.attributes.map((a) => [a.id, codelistOf(deps.structures, this.dsd, a.id)]));
    const agencies = deps.structures.registry.ofClass('AgencyScheme').flatMap((s) => (s.class === 'AgencyScheme' ? s.items : []));
    this.agencyName = textIn(agencies.find((a) => a.id === this.dataflow.agencyID)?.name, this.lang) ?? this.dataflow.agencyID;
  }

  /** The matched series from the cursor's position on, ordered by key without unit, then unit. */
  private series(): { series: StoredSeries; group: string; unit: string }[] {
    if (this.ordered) return this.ordered;
    const { view, selection, unitId, after } = this.parts;
    const ids = this.dsd.dimensions.map((d) => d.id).filter((id) => id !== unitId);
    const out: { series: StoredSeries; group: string; unit: string }[] = [];
    for (const s of matchSeries(view, selection)) {
      const codes = s.dimensions;
      const group = ids.map((id) => codes[id]).join('.');
      if (after && compareText(group, after.g) < 0) continue;
      out.push({ series: s, group, unit: unitId ? codes[unitId]! : '' });
    }
    out.sort((a, b) => compareText(a.group, b.group) || compareText(a.unit, b.unit));
    return (this.ordered = out);
  }

  units(): UnitColumn[] {
    const unitCodes = [...new Set(this.series().map((s) => s.unit))];
    const fieldOf = (u: string) => (this.parts.unitId ? (UNIT_FIELDS[u] ?? u) : 'value');
    const rank = (f: string) => (FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length);
    const unitList = this.parts.unitId ? codelistOf(this.deps.structures, this.dsd, this.parts.unitId) : undefined;
    return unitCodes
      .map((u) => ({ field: fieldOf(u), unit: u, name: textIn(unitList?.items.find((c) => c.id === u)?.name, this.lang) }))
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
    const groupOf = new Map(ordered.map((s) => [s.series.pk, s]));
    const reads = readSeries(this.deps.storedData, {
      pages: paginate(
        ordered.map((s) => s.series),
        view.rowCounts,
        undefined,
      ),
      releases: view.releases,
      test: selection.observations,
    });
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
      const info = groupOf.get(series.pk)!;
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
    const kept = this.parts.rawQuery.split('&').filter((p) => p !== '' && !p.startsWith('cursor='));
    return `${this.deps.apiPrefix}/dataflows/${this.parts.pathName}/observations?${[...kept, `cursor=${cursor}`].join('&')}`;
  }

  cell(row: Row, unit: string): Cell | undefined {
    const v = row.values.get(unit);
    if (!v) return undefined;
    const [, releasePk, , value, attributesText] = v.row;
    const attributes = parseAttributes(attributesText);
    const flags: Flag[] = [];
    const other: Record<string, string> = {};
    for (const [id, code] of Object.entries(attributes)) {
      if (this.attributeCodelists.get(id)) {
        if (UNFLAGGED[id] !== code) flags.push({ attribute: id, code, meaning: this.flagMeaning(id, code) });
      } else other[id] = code;
    }
    const conf = attributes.CONF_STATUS;
    return {
      value: value === null || !Number.isFinite(value) ? null : value,
      unit,
      seriesKey: v.series.key,
      suppressed: value === null && conf !== undefined && conf !== 'F',
      flags,
      attributes: other,
      release: this.releaseCode(releasePk),
    };
  }

  private flagMeaning(attribute: string, code: string): string {
    const k = `${attribute}\u0000${code}`;
    let m = this.flagWords.get(k);
    if (m === undefined) {
      const cl = this.attributeCodelists.get(attribute);
      m = textIn(cl?.items.find((c) => c.id === code)?.name, this.lang) ?? code;
      this.flagWords.set(k, m);
    }
    return m;
  }

  dimensionLabel(dimension: string, code: string): string | null {
    const k = `${dimension}\u0000${code}`;
    if (this.labels.has(k)) return this.labels.get(k)!;
    const cl = this.parts.codelists.get(dimension);
    const label = textIn(cl?.items.find((c) => c.id === code)?.name, this.lang);
    this.labels.set(k, label);
    return label;
  }

  private releaseCodes: Map<number, string> | undefined;
  private releaseCode(pk: number): string {
    this.releaseCodes ??= new Map(this.parts.view.releases.map((r) => [r.pk, r.code]));
    return this.releaseCodes.get(pk) ?? String(pk);
  }

  contributedReleases(): ReleaseNote[] {
    const entries = new Map(this.deps.calendar.view().items.map((i) => [i.entry.code, i.entry]));
    return this.parts.view.releases
      .filter((r) => this.contributed.has(r.pk))
      .map((r) => ({ code: r.code, title: entries.get(r.code)?.title ?? null, note: entries.get(r.code)?.note ?? null, announcedAt: r.announcedAt }));
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
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url').slice(0, 32);
}
