/**
 * Executes data queries against what is visible now (or at `asOf`): resolves the dataflow,
 * picks the matching series from the catalogue, estimates the size from the rows that exist,
 * and streams series to a writer. Everything a response's HTTP validators need (fingerprint,
 * Last-Modified) is known before any observation is read, so 304s and cache hits cost nothing.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { SdmxErrors, SdmxRequestError } from '../../sdmx/errors.js';
import type { Codelist, DataStructure, Text } from '../../sdmx/model.js';
import type { DataDetail, Series } from '../../sdmx/data/model.js';
import type { DataQuery, DataSelection } from '../../sdmx/data/query.js';
import type { Repositories, StoredObservation, StoredSeries } from '../../storage/repositories.js';
import type { StructureService } from '../structure-service.js';
import { visibleReleases, type VisibleRelease } from '../visibility.js';
import { currentObservations, crossSections, flatView, timeSeries, type AssemblyOptions, type SeriesObservations } from './assembly.js';
import { buildSelection, type Selection } from './selection.js';
import { resolveDataTarget, type DataTarget } from './target.js';

/**
 * Rows per page read from storage: enough to amortise a query, few enough that a page's objects
 * die young (larger pages measurably raise peak RSS on large exports; docs/performance.md).
 */
export const PAGE_ROWS = 1000;

export interface DataSetStart {
  readonly action: 'Information' | 'Replace';
  readonly validFromDate?: string;
}

export type DataItem =
  | { readonly kind: 'series'; readonly series: Series }
  | { readonly kind: 'begin'; readonly dataSet: DataSetStart }
  | { readonly kind: 'end' };

/** The visible state of one dataflow: the releases that cover it and the series they hold. */
export interface FlowView {
  readonly releases: readonly VisibleRelease[];
  /** Series with at least one visible row, with their row counts. */
  readonly series: readonly StoredSeries[];
  readonly rowCounts: ReadonlyMap<number, number>;
  readonly fingerprint: string;
  readonly lastModified: Date;
}

export interface PreparedData {
  readonly target: DataTarget;
  readonly dimensionAtObservation: string;
  readonly detail: DataDetail;
  /** Changes exactly when the visible data or the structures behind the answer change. */
  readonly fingerprint: string;
  readonly lastModified: Date;
  /** Observation rows the matching series hold (an upper bound of what the answer carries). */
  estimatedObservations(): number;
  /** Throws the 413 SDMX error when the estimate is above the configured maximum. */
  checkSize(): void;
  codelistOf(componentId: string): Codelist | undefined;
  componentName(componentId: string): Text | undefined;
  /** The message body as items; lazy, so nothing is read until the first pull. */
  items(): Generator<DataItem>;
}

export interface DataServiceOptions {
  /** Above this many observations a query is refused with 413. */
  readonly maxObservations: number;
}

export class DataService {
  private readonly views = new Map<string, FlowView>();

  constructor(
    private readonly repositories: Repositories,
    private readonly structures: StructureService,
    private readonly clock: Clock,
    private readonly options: DataServiceOptions,
  ) {}

  /** Resolves the target and the visible state; throws SdmxRequestError (404, 400, 501). */
  target(q: DataSelection): { target: DataTarget; view: FlowView } {
    const target = resolveDataTarget(this.structures.registry, q);
    const now = this.clock.now().toISOString();
    const at = q.asOf !== undefined && q.asOf < now ? q.asOf : now;
    return { target, view: this.view(target, at) };
  }

  prepare(q: DataQuery): PreparedData {
    const { target, view } = this.target(q);
    const { dsd } = target;
    const timeId = dsd.timeDimension.id;
    const dimensionAtObservation = q.dimensionAtObservation ?? timeId;
    if (dimensionAtObservation !== 'AllDimensions' && dimensionAtObservation !== timeId && !dsd.dimensions.some((d) => d.id === dimensionAtObservation)) {
      throw new SdmxRequestError(
        SdmxErrors.syntax(`dimensionAtObservation: ${dsd.id} has no dimension ${dimensionAtObservation} (use ${timeId}, AllDimensions or one of ${dsd.dimensions.map((d) => d.id).join(', ')})`),
      );
    }
    const selection = buildSelection(dsd, q, target.providers);
    // Matching the catalogue is left until needed: a 304 or a cached answer never pays for it.
    let matched: StoredSeries[] | undefined;
    const matchedSeries = () => (matched ??= view.series.filter((s) => selection.matchesSeries(s)));
    const estimate = () => matchedSeries().reduce((n, s) => n + (view.rowCounts.get(s.pk) ?? 0), 0);
    const structuresModified = this.structures.lastModifiedOf([target.dataflow, dsd]);
    const lastModified = new Date(Math.max(view.lastModified.getTime(), structuresModified.getTime()));
    const fingerprint = digest([view.fingerprint, structuresModified.toISOString()]);
    return {
      target,
      dimensionAtObservation,
      detail: q.detail,
      fingerprint,
      lastModified,
      estimatedObservations: estimate,
      checkSize: () => {
        const n = estimate();
        if (n > this.options.maxObservations) {
          throw new SdmxRequestError(
            SdmxErrors.tooLarge(
              `The query matches ${n} observations, more than the ${this.options.maxObservations} this service returns at once: narrow the key or the period`,
            ),
          );
        }
      },
      codelistOf: (id) => codelistOf(this.structures, dsd, id),
      componentName: (id) => componentName(this.structures, dsd, id),
      items: () => this.items(q, target, view, selection, matchedSeries(), dimensionAtObservation),
    };
  }

  private *items(
    q: DataQuery,
    target: DataTarget,
    view: FlowView,
    selection: Selection,
    matched: readonly StoredSeries[],
    dimensionAtObservation: string,
  ): Generator<DataItem> {
    const { dsd } = target;
    const timeId = dsd.timeDimension.id;
    const crossAt = dimensionAtObservation !== timeId && dimensionAtObservation !== 'AllDimensions' ? dimensionAtObservation : undefined;
    const ordered = orderSeries(matched, crossAt);
    const pages = paginate(ordered, view.rowCounts, crossAt);
    const seriesByPk = new Map(ordered.map((s) => [s.pk, s]));
    const base: Omit<AssemblyOptions, 'rankOf'> = {
      test: selection.observations,
      announcedAtOf: new Map(view.releases.map((r) => [r.pk, r.announcedAt])),
      changedAfter: q.updatedAfter,
      firstN: q.firstNObservations,
      lastN: q.lastNObservations,
      keepAttribute: attributeKeeper(dsd, q),
      keepsAllAttributes: keepsAllAttributes(q),
    };
    const scan = (releasePks: readonly number[], rankOf: ReadonlyMap<number, number>) => {
      const rows = this.repositories.data.scan({
        pages: pages.map((p) => p.map((s) => s.pk)),
        releasePks,
        periodEndFrom: selection.observations.periodEndFrom,
        periodStartTo: selection.observations.periodStartTo,
        withPeriods: !selection.observations.isTrivial,
      });
      const options: AssemblyOptions = { ...base, rankOf };
      if (crossAt) return crossSections(pagesOf(rows, seriesByPk, options), crossAt, timeId);
      const current = currentObservations(rows, seriesByPk, options);
      return dimensionAtObservation === 'AllDimensions' ? flatView(current, timeId) : timeSeries(current);
    };

    if (!q.includeHistory) {
      for (const series of scan(view.releases.map((r) => r.pk), new Map(view.releases.map((r) => [r.pk, r.rank])))) yield { kind: 'series', series };
      return;
    }
    // includeHistory: one Replace data set per release, oldest first, each valid from its
    // announced instant (REST 1.5 4_4_data_queries.md), with the values that release wrote.
    for (const release of view.releases) {
      if (q.updatedAfter !== undefined && release.announcedAt <= q.updatedAfter) continue;
      let open = false;
      for (const series of scan([release.pk], new Map([[release.pk, 0]]))) {
        if (!open) yield { kind: 'begin', dataSet: { action: 'Replace', validFromDate: release.announcedAt } };
        open = true;
        yield { kind: 'series', series };
      }
      if (open) yield { kind: 'end' };
    }
  }

  private view(target: DataTarget, at: string): FlowView {
    const releases = visibleReleases(this.repositories.releases.list(), at).filter((r) => r.dataflows.includes(target.flowKey));
    const key = `${target.flowKey}|${releases.map((r) => r.pk).join(',')}`;
    const cached = this.views.get(key);
    if (cached) {
      // Refresh its place: the map's insertion order is the eviction order.
      this.views.delete(key);
      this.views.set(key, cached);
      return cached;
    }
    const rowCounts = releases.length ? this.repositories.data.rowCounts(target.flowKey, releases.map((r) => r.pk)) : new Map<number, number>();
    const series = releases.length ? this.repositories.data.seriesOf(target.flowKey).filter((s) => rowCounts.has(s.pk)) : [];
    const newest = releases.reduce((t, r) => Math.max(t, Date.parse(r.announcedAt)), 0);
    const view: FlowView = { releases, series, rowCounts, fingerprint: digest([key]), lastModified: new Date(newest) };
    this.views.set(key, view);
    while (this.views.size > 32) this.views.delete(this.views.keys().next().value!);
    return view;
  }
}

function digest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27);
}

function componentOf(dsd: DataStructure, componentId: string) {
  return [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes, dsd.primaryMeasure].find((x) => x.id === componentId);
}

/** The name of the concept a component stands for. */
export function componentName(structures: StructureService, dsd: DataStructure, componentId: string): Text | undefined {
  const concept = componentOf(dsd, componentId)?.conceptIdentity;
  const scheme = concept ? structures.registry.get(concept.scheme) : undefined;
  return scheme?.class === 'ConceptScheme' ? scheme.items.find((c) => c.id === concept!.id)?.name : undefined;
}

export function codelistOf(structures: StructureService, dsd: DataStructure, componentId: string): Codelist | undefined {
  const ref = componentOf(dsd, componentId)?.localRepresentation?.enumeration;
  const cl = ref ? structures.registry.get(ref) : undefined;
  return cl?.class === 'Codelist' ? cl : undefined;
}

/** Which observation attributes a query returns (REST 1.x detail, REST 2.x attributes). */
function attributeKeeper(dsd: DataStructure, q: DataQuery): ((id: string) => boolean) | undefined {
  if (q.detail === 'dataonly' || q.detail === 'serieskeysonly') return undefined;
  const a = q.attributes;
  if (!a || a.kind === 'all' || a.kind === 'dsd') return () => true;
  if (a.kind === 'none') return undefined;
  if (a.kind === 'ids') return (id) => a.ids.includes(id);
  const levelOf = new Map(
    dsd.attributes.map((attr) => [
      attr.id,
      attr.relationship.kind === 'Observation' ? 'obs' : attr.relationship.kind === 'DataSet' ? 'dataset' : 'series',
    ]),
  );
  return (id) => a.levels.includes(levelOf.get(id) as 'obs');
}

function keepsAllAttributes(q: DataQuery): boolean {
  return (q.detail === 'full' || q.detail === 'nodata') && (!q.attributes || q.attributes.kind === 'all' || q.attributes.kind === 'dsd');
}

/** Time series by key; cross-sections grouped by the other dimensions, then by key. */
function orderSeries(series: readonly StoredSeries[], crossAt: string | undefined): StoredSeries[] {
  const sortKey = crossAt ? (s: StoredSeries) => `${groupKey(s, crossAt)}\u0000${s.key}` : (s: StoredSeries) => s.key;
  return series
    .map((s) => [sortKey(s), s] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => s);
}

function groupKey(s: StoredSeries, crossAt: string): string {
  return Object.entries(s.dimensions)
    .filter(([id]) => id !== crossAt)
    .map(([, code]) => code)
    .join('.');
}

/** Consecutive series up to PAGE_ROWS rows a page; cross-section groups never straddle pages. */
function paginate(series: readonly StoredSeries[], rowCounts: ReadonlyMap<number, number>, crossAt: string | undefined): StoredSeries[][] {
  const pages: StoredSeries[][] = [];
  let page: StoredSeries[] = [];
  let rows = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    page.push(s);
    rows += rowCounts.get(s.pk) ?? 0;
    const next = series[i + 1];
    const boundary = !crossAt || !next || groupKey(next, crossAt) !== groupKey(s, crossAt);
    if (rows >= PAGE_ROWS && boundary) {
      pages.push(page);
      page = [];
      rows = 0;
    }
  }
  if (page.length) pages.push(page);
  return pages;
}

/** Current observations page by page, for views that regroup within a page. */
function* pagesOf(
  rows: Iterable<StoredObservation[]>,
  seriesByPk: ReadonlyMap<number, StoredSeries>,
  options: AssemblyOptions,
): Generator<SeriesObservations[]> {
  for (const page of rows) yield [...currentObservations([page], seriesByPk, options)];
}
