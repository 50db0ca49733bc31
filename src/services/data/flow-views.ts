/**
 * The visible state of each dataflow, kept between requests: which releases cover it at an
 * instant, the series they hold (the catalogue, in key order) and their row counts. A view is
 * made once per set of visible releases and found again by the visible state of the release
 * calendar (release-timeline.ts), so a request neither lists releases nor reads the catalogue.
 * Also how a selection finds its series in a view: a fully specified key is looked up, anything
 * else matched against the catalogue.
 */
import { createHash } from 'node:crypto';
import type { DataRepository, StoredSeries } from '../../storage/repositories.js';
import type { VisibleRelease } from '../visibility.js';
import type { ReleaseTimeline, VisibleState } from './release-timeline.js';
import type { Selection } from './selection.js';
import type { DataTarget } from './target.js';

/** The visible state of one dataflow: the releases that cover it and the series they hold. */
export interface FlowView {
  readonly releases: readonly VisibleRelease[];
  /** Series with at least one visible row, in key order, with their row counts. */
  readonly series: readonly StoredSeries[];
  readonly rowCounts: ReadonlyMap<number, number>;
  readonly fingerprint: string;
  readonly lastModified: Date;
  /** The series whose codes, in DSD dimension order, are `codes` (undefined when none is visible). */
  seriesWithCodes(codes: readonly string[]): StoredSeries | undefined;
  /** Every series' key holds its codes in DSD dimension order (keys can then be matched as text). */
  readonly keysInDsdOrder: boolean;
}

/** Views kept whatever the instant (by flow and visible releases), least recently used first out. */
const KEPT_VIEWS = 32;
const MEMO_ENTRIES = 256;

export class FlowViews {
  private readonly views = new Map<string, FlowView>();
  /** `visible state id|flow` → view: a request finds its view without listing releases. */
  private readonly viewsByState = new Map<string, FlowView>();

  constructor(
    private readonly data: DataRepository,
    private readonly timeline: ReleaseTimeline,
  ) {}

  /** Forgets every view (the structures behind them changed). */
  clear(): void {
    this.views.clear();
    this.viewsByState.clear();
  }

  /** The view of a target's dataflow at an instant (epoch ms). */
  view(target: DataTarget, atMs: number): FlowView {
    return this.viewIn(target, this.timeline.at(atMs));
  }

  /** The view of a target's dataflow in a visible state (an instant's, or a release's: `through`). */
  viewIn(target: DataTarget, state: VisibleState): FlowView {
    const stateKey = `${state.id}|${target.flowKey}`;
    const known = this.viewsByState.get(stateKey);
    if (known) return known;
    const view = this.ofReleases(target, state.releases.filter((r) => r.dataflows.includes(target.flowKey)));
    if (this.viewsByState.size >= MEMO_ENTRIES) this.viewsByState.clear();
    this.viewsByState.set(stateKey, view);
    return view;
  }

  /** The view made of exactly these releases (those of a state, or one alone for a permalink). */
  ofReleases(target: DataTarget, releases: readonly VisibleRelease[]): FlowView {
    const key = `${target.flowKey}|${releases.map((r) => r.pk).join(',')}`;
    let view = this.views.get(key);
    if (view) {
      // Refresh its place: the map's insertion order is the eviction order.
      this.views.delete(key);
    } else {
      view = this.loadView(target, releases, key);
    }
    this.views.set(key, view);
    while (this.views.size > KEPT_VIEWS) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  private loadView(target: DataTarget, releases: readonly VisibleRelease[], key: string): FlowView {
    const rowCounts: ReadonlyMap<number, number> = releases.length ? this.data.rowCounts(target.flowKey, releases.map((r) => r.pk)) : new Map();
    // Kept in key order, the order time series are written in; filtered in place (no second
    // array of a large catalogue).
    const series = releases.length ? this.data.seriesOf(target.flowKey) : [];
    let kept = 0;
    for (const s of series) if (rowCounts.has(s.pk)) series[kept++] = s;
    series.length = kept;
    series.sort((a, b) => compareText(a.key, b.key));
    const newest = releases.reduce((t, r) => Math.max(t, Date.parse(r.announcedAt)), 0);
    const dimensionIds = target.dsd.dimensions.map((d) => d.id);
    const inDsdOrder = (s: StoredSeries) => {
      const codes = s.dimensions;
      return dimensionIds.map((id) => codes[id]).join('.') === s.key;
    };
    const keysInDsdOrder = series.every(inDsdOrder);
    let byCodes: Map<string, StoredSeries> | undefined;
    return {
      releases,
      series,
      rowCounts,
      fingerprint: digest([key]),
      lastModified: new Date(newest),
      keysInDsdOrder,
      seriesWithCodes(codes) {
        // Keyed by the codes in DSD order: the stored key itself when it is that (a code never holds a `.`).
        byCodes ??= new Map(
          series.map((s) => {
            const dimensions = s.dimensions;
            return [keysInDsdOrder ? s.key : dimensionIds.map((id) => dimensions[id]).join('.'), s];
          }),
        );
        return byCodes.get(codes.join('.'));
      },
    };
  }
}

/** The series a selection names: looked up when its keys enumerate, else matched one by one. */
export function matchSeries(view: FlowView, selection: Selection): readonly StoredSeries[] {
  if (selection.selectsAll) return view.series;
  const inOrder = view.keysInDsdOrder;
  if (!selection.exactKeys) return view.series.filter((s) => selection.matchesSeries(s, inOrder));
  const found = new Map<number, StoredSeries>();
  for (const codes of selection.exactKeys) {
    const s = view.seriesWithCodes(codes);
    if (s && selection.matchesSeries(s, inOrder)) found.set(s.pk, s);
  }
  // The catalogue's (key) order, as the filter gives.
  return [...found.values()].sort((a, b) => compareText(a.key, b.key));
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function digest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27);
}
