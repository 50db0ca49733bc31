/**
 * Executes data queries against what is visible now (or at `asOf`): resolves the dataflow,
 * picks the matching series from the catalogue, estimates the size from the rows that exist,
 * and streams series to a writer: the current values come from observation-reader.ts, in
 * storage pages cut by pages.ts, and become series in assembly.ts. Everything a response's HTTP
 * validators need (fingerprint, Last-Modified) is known before any observation is read, so 304s
 * and cache hits cost nothing.
 *
 * What does not change between requests is kept: resolved targets (structures are loaded once),
 * the visible state per release-list state and instant prefix (release-timeline.ts), each flow's
 * catalogue per set of visible releases. A fully specified key is looked up in the catalogue
 * rather than matched against every series.
 */
import type { Clock } from '../../clock.js';
import type { Codelist, DataStructure, Text } from '../../sdmx/model.js';
import type { DataDetail, Series } from '../../sdmx/data/model.js';
import type { DataQuery, DataSelection } from '../../sdmx/data/query.js';
import type { Repositories, StoredSeries } from '../../storage/repositories.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import type { StructureService } from '../structure-service.js';
import type { VisibleRelease } from '../visibility.js';
import { crossSections, flatView, observationsOf, timeSeries, type AssemblyOptions, type SeriesObservations } from './assembly.js';
import { digest, FlowViews, matchSeries, type FlowView } from './flow-views.js';
import { readPages, readSeries, type ObservationRead, type SeriesRows } from './observation-reader.js';
import { orderSeries, paginate } from './pages.js';
import { ReleaseTimeline } from './release-timeline.js';
import { buildSelection, type Selection } from './selection.js';
import { resolveDataTarget, type DataTarget } from './target.js';
import { ServiceError } from '../../errors.js';

export { PAGE_ROWS } from './pages.js';
export type { FlowView } from './flow-views.js';

export interface DataSetStart {
  readonly action: 'Information' | 'Replace';
  readonly validFromDate?: string;
}

export type DataItem =
  | { readonly kind: 'series'; readonly series: Series }
  | { readonly kind: 'begin'; readonly dataSet: DataSetStart }
  | { readonly kind: 'end' };

/** A resolved target with what the structures say about it, kept while they are loaded. */
interface ResolvedTarget {
  readonly target: DataTarget;
  readonly structuresModified: Date;
  codelistOf(componentId: string): Codelist | undefined;
  componentName(componentId: string): Text | undefined;
}

/** Bounds of the memo maps: past this many entries a map starts over (they are cheap to refill). */
const MEMO_ENTRIES = 256;

export interface PreparedData {
  readonly target: DataTarget;
  readonly dimensionAtObservation: string;
  readonly detail: DataDetail;
  /** Changes exactly when the visible data or the structures behind the answer change. */
  readonly fingerprint: string;
  readonly lastModified: Date;
  /** Observation rows the matching series hold (an upper bound of what the answer carries). */
  estimatedObservations(): number;
  /** Throws a too-large ServiceError when the estimate is above the configured maximum. */
  checkSize(): void;
  codelistOf(componentId: string): Codelist | undefined;
  componentName(componentId: string): Text | undefined;
  /** The message body as items; lazy, so nothing is read until the first pull. */
  items(): Generator<DataItem>;
}

export interface DataServiceOptions {
  /** Above this many observations a query is refused with 413. */
  readonly maxObservations: number;
  /**
   * Sees every scheduled or published release whatever its instant (the `preview` role); drafts
   * and cancelled releases still never. Set only on the twin `previewing` makes.
   */
  readonly seesEmbargoed?: boolean;
}

export class DataService {
  private readonly timeline: ReleaseTimeline;
  private readonly views: FlowViews;
  private readonly targets = new Map<string, ResolvedTarget>();
  private readonly fingerprints = new Map<string, string>();
  /** Per query object (callers that parse a URL once pass the same object again). */
  private prepared = new WeakMap<DataQuery, { view: FlowView; prepared: PreparedData }>();
  private resolvedFor = new WeakMap<DataSelection, ResolvedTarget>();
  /** The structure catalogue the memos above were made with, and how many there have been. */
  private registry: StructureRegistry;
  private registryGeneration = 0;

  constructor(
    private readonly repositories: Repositories,
    private readonly structures: StructureService,
    private readonly clock: Clock,
    private readonly options: DataServiceOptions,
  ) {
    this.timeline = new ReleaseTimeline(() => repositories.releases.list());
    this.views = new FlowViews(repositories.data, this.timeline);
    this.registry = structures.registry;
  }

  /**
   * Names what answers depend on besides the request: it changes exactly when a release
   * becomes visible (its announced instant passes), when the stored release list changes, and
   * when the structure catalogue is rebuilt. Cached answers are checked against it before any
   * parsing.
   */
  visibleStateId(): string {
    this.checkStructures();
    return `${this.timeline.at(this.visibleAt()).id}:${this.registryGeneration}`;
  }

  /** The instant visibility is judged at: now, or after every announced instant for a preview. */
  private visibleAt(): number {
    return this.options.seesEmbargoed ? Number.POSITIVE_INFINITY : this.clock.now().getTime();
  }

  private previewTwin: DataService | undefined;
  /**
   * The data as the `preview` role sees them: scheduled releases before their instant too. A
   * service of its own, so nothing it prepares or memoises is ever shared with public answers.
   */
  get previewing(): DataService {
    return (this.previewTwin ??= new DataService(this.repositories, this.structures, this.clock, { ...this.options, seesEmbargoed: true }));
  }

  /** Codes of the releases behind the answer to `q` that the public cannot see yet (a preview's only). */
  embargoedReleasesIn(q: DataSelection): string[] {
    const now = this.clock.now().getTime();
    return this.target(q).view.releases.filter((r) => Date.parse(r.announcedAt) > now).map((r) => r.code);
  }

  /** Structures changed over the API (the catalogue is rebuilt): everything derived from them goes. */
  private checkStructures(): void {
    if (this.structures.registry === this.registry) return;
    this.registry = this.structures.registry;
    this.registryGeneration += 1;
    this.targets.clear();
    this.fingerprints.clear();
    this.prepared = new WeakMap();
    this.resolvedFor = new WeakMap();
    this.views.clear();
  }

  /** Resolves the target and the visible state; throws a ServiceError (not found, invalid input, not implemented). */
  target(q: DataSelection): { target: DataTarget; view: FlowView } {
    const { target } = this.resolve(q);
    return { target, view: this.viewAt(target, q) };
  }

  /**
   * The view right after release `code` was published: the releases visible at its instant,
   * ranked up to and including it (release-timeline.ts `through`), with the release itself.
   * Undefined unless it is visible now: unknown, draft, cancelled and embargoed alike.
   */
  viewThrough(target: DataTarget, code: string): { view: FlowView; release: VisibleRelease } | undefined {
    const state = this.timeline.through(code, this.visibleAt());
    if (!state) return undefined;
    return { view: this.views.viewIn(target, state), release: state.releases[state.releases.length - 1]! };
  }

  /** The rows of one visible release alone, its own series and counts (permalinks). */
  releaseOnlyView(target: DataTarget, release: VisibleRelease): FlowView {
    return this.views.ofReleases(target, release.dataflows.includes(target.flowKey) ? [release] : []);
  }

  /** Throws a too-large ServiceError when `n` observations are more than the configured maximum. */
  checkObservationCount(n: number): void {
    if (n > this.options.maxObservations) {
      throw new ServiceError(
        'too-large',
        `The query matches ${n} observations, more than the ${this.options.maxObservations} this service returns at once: narrow the key or the period`,
      );
    }
  }

  prepare(q: DataQuery): PreparedData {
    const resolved = this.resolve(q);
    const { target } = resolved;
    const view = this.viewAt(target, q);
    // A query object asked again against the same view gets the same answer, matching included.
    const known = this.prepared.get(q);
    if (known?.view === view) return known.prepared;
    const prepared = this.prepareFresh(q, resolved, view);
    this.prepared.set(q, { view, prepared });
    return prepared;
  }

  /**
   * `prepare` over a view the caller chose, e.g. `releaseOnlyView` (what one release alone wrote);
   * `asOf` is then meaningless and ignored. Not memoised: the caller keeps what it needs.
   */
  prepareOver(q: DataQuery, view: FlowView): PreparedData {
    return this.prepareFresh(q, this.resolve(q), view);
  }

  private prepareFresh(q: DataQuery, resolved: ResolvedTarget, view: FlowView): PreparedData {
    const { target } = resolved;
    const { dsd } = target;
    const timeId = dsd.timeDimension.id;
    const dimensionAtObservation = q.dimensionAtObservation ?? timeId;
    if (dimensionAtObservation !== 'AllDimensions' && dimensionAtObservation !== timeId && !dsd.dimensions.some((d) => d.id === dimensionAtObservation)) {
      throw new ServiceError(
        'invalid-input',
        `dimensionAtObservation: ${dsd.id} has no dimension ${dimensionAtObservation} (use ${timeId}, AllDimensions or one of ${dsd.dimensions.map((d) => d.id).join(', ')})`,
        { parameter: 'dimensionAtObservation' },
      );
    }
    const selection = buildSelection(dsd, q, target.providers);
    // Matching the catalogue is left until needed: a 304 or a cached answer never pays for it.
    let matched: readonly StoredSeries[] | undefined;
    const matchedSeries = () => (matched ??= matchSeries(view, selection));
    const estimate = () => matchedSeries().reduce((n, s) => n + (view.rowCounts.get(s.pk) ?? 0), 0);
    const { structuresModified } = resolved;
    const lastModified = new Date(Math.max(view.lastModified.getTime(), structuresModified.getTime()));
    return {
      target,
      dimensionAtObservation,
      detail: q.detail,
      fingerprint: this.fingerprintOf(view, structuresModified),
      lastModified,
      estimatedObservations: estimate,
      checkSize: () => this.checkObservationCount(estimate()),
      codelistOf: resolved.codelistOf,
      componentName: resolved.componentName,
      items: () => this.items(q, target, view, selection, matchedSeries(), dimensionAtObservation),
    };
  }

  /** The target and its structure facts, kept while the structure catalogue stays the same. */
  private resolve(q: DataSelection): ResolvedTarget {
    this.checkStructures();
    const known = this.resolvedFor.get(q);
    if (known) return known;
    const key = JSON.stringify([q.context, q.flow.agencyId, q.flow.id, q.flow.version, q.providers ?? null]);
    let resolved = this.targets.get(key);
    if (!resolved) {
      const target = resolveDataTarget(this.structures.registry, q);
      const { dsd } = target;
      const codelists = new Map<string, Codelist | undefined>();
      const names = new Map<string, Text | undefined>();
      resolved = {
        target,
        structuresModified: this.structures.lastModifiedOf([target.dataflow, dsd]),
        codelistOf: (id) => (codelists.has(id) ? codelists.get(id) : remember(codelists, id, codelistOf(this.structures, dsd, id))),
        componentName: (id) => (names.has(id) ? names.get(id) : remember(names, id, componentName(this.structures, dsd, id))),
      };
      if (this.targets.size >= MEMO_ENTRIES) this.targets.clear();
      this.targets.set(key, resolved);
    }
    this.resolvedFor.set(q, resolved);
    return resolved;
  }

  private fingerprintOf(view: FlowView, structuresModified: Date): string {
    const key = `${view.fingerprint}\n${structuresModified.toISOString()}`;
    let fingerprint = this.fingerprints.get(key);
    if (fingerprint === undefined) {
      fingerprint = digest([view.fingerprint, structuresModified.toISOString()]);
      if (this.fingerprints.size >= MEMO_ENTRIES) this.fingerprints.clear();
      this.fingerprints.set(key, fingerprint);
    }
    return fingerprint;
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
    const pages = paginate(orderSeries(matched, crossAt), view.rowCounts, crossAt);
    const assembly: AssemblyOptions = { keepAttribute: attributeKeeper(dsd, q), keepsAllAttributes: keepsAllAttributes(q) };
    const data = this.repositories.data;
    const read = (releases: readonly VisibleRelease[]) => {
      const r: ObservationRead = {
        pages,
        releases,
        test: selection.observations,
        changedAfter: q.updatedAfter,
        firstN: q.firstNObservations,
        lastN: q.lastNObservations,
      };
      if (crossAt) return crossSections(pagesOf(readPages(data, r), assembly), crossAt, timeId);
      const current = observationsOf(readSeries(data, r), assembly);
      return dimensionAtObservation === 'AllDimensions' ? flatView(current, timeId) : timeSeries(current);
    };

    if (!q.includeHistory) {
      for (const series of read(view.releases)) yield { kind: 'series', series };
      return;
    }
    // includeHistory: one Replace data set per release, oldest first, each valid from its
    // announced instant (REST 1.5 4_4_data_queries.md), with the values that release wrote.
    for (const release of view.releases) {
      if (q.updatedAfter !== undefined && release.announcedAt <= q.updatedAfter) continue;
      let open = false;
      for (const series of read([release])) {
        if (!open) yield { kind: 'begin', dataSet: { action: 'Replace', validFromDate: release.announcedAt } };
        open = true;
        yield { kind: 'series', series };
      }
      if (open) yield { kind: 'end' };
    }
  }

  /** The view now, or at `asOf` when that is earlier (a later asOf is now: nothing later is known). */
  private viewAt(target: DataTarget, q: DataSelection): FlowView {
    const now = this.visibleAt();
    const asOf = q.asOf === undefined ? Number.NaN : Date.parse(q.asOf);
    return this.views.view(target, asOf < now ? asOf : now);
  }
}


function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  map.set(key, value);
  return value;
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

/** Observations page by page, for views that regroup within a page. */
function* pagesOf(pages: Iterable<SeriesRows[]>, options: AssemblyOptions): Generator<SeriesObservations[]> {
  for (const page of pages) yield [...observationsOf(page, options)];
}
