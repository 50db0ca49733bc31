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
import { enumerateKeys, type Selection } from './selection.js';
import type { KeyPattern } from '../../sdmx/data/query.js';
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
  /** The codes the series take at a key position (DSD dimension order), read once per view. */
  codesAt(position: number): readonly string[];
  /** Indexes in `series` (ascending) of the series with `code` at a key position; the index is made once per view and position. */
  seriesWithCodeAt(position: number, code: string): readonly number[];
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
    const codesAt = new Map<number, string[]>();
    const byCodeAt = new Map<number, Map<string, number[]>>();
    const codeOf = (s: StoredSeries, position: number) => (keysInDsdOrder ? codeAt(s.key, position) : s.dimensions[dimensionIds[position]!]!);
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
      codesAt(position) {
        let codes = codesAt.get(position);
        if (!codes) {
          const seen = new Set<string>();
          for (const s of series) seen.add(codeOf(s, position));
          codesAt.set(position, (codes = [...seen]));
        }
        return codes;
      },
      seriesWithCodeAt(position, code) {
        let index = byCodeAt.get(position);
        if (!index) {
          index = new Map();
          for (let i = 0; i < series.length; i++) {
            const c = codeOf(series[i]!, position);
            let list = index.get(c);
            if (!list) index.set(c, (list = []));
            list.push(i);
          }
          byCodeAt.set(position, index);
        }
        return index.get(code) ?? NONE;
      },
    };
  }
}

/**
 * Keys with wildcards made exact with the codes the view holds at those positions, when few
 * combinations follow: a query that names every dimension but one or two (the frequency, the
 * unit) is then looked up rather than matched against every series of the dataflow. Undefined
 * when there are no keys, a key names no code at all, or the combinations are too many.
 */
function keysWithinView(view: FlowView, keys: readonly KeyPattern[] | undefined): string[][] | undefined {
  if (!keys || keys.some((k) => k.every((codes) => codes === undefined))) return undefined;
  let total = 0;
  for (const k of keys) {
    let n = 1;
    for (let i = 0; i < k.length && n <= MAX_LOOKED_UP_KEYS; i++) n *= (k[i] ?? view.codesAt(i)).length;
    total += n;
    if (total > MAX_LOOKED_UP_KEYS) return undefined;
  }
  return enumerateKeys(keys.map((k) => k.map((codes, i) => codes ?? view.codesAt(i))));
}
const MAX_LOOKED_UP_KEYS = 256;
const NONE: readonly number[] = [];

/**
 * The series a key could select, as indexes into the view's series in key order: for each key,
 * those with one of its codes at its most selective position (from the view's index of that
 * position), united over the keys. Undefined when a key names no code, or the candidates would
 * be a large share of the view anyway (the filter then reads it all, as fast).
 */
function candidatesOf(view: FlowView, keys: readonly KeyPattern[] | undefined): number[] | undefined {
  if (!keys) return undefined;
  const lists: (readonly number[])[] = [];
  for (const k of keys) {
    let best: (readonly number[])[] | undefined;
    let bestCount = Infinity;
    for (let position = 0; position < k.length; position++) {
      const codes = k[position];
      if (codes === undefined) continue;
      const found = codes.map((code) => view.seriesWithCodeAt(position, code));
      const count = found.reduce((n, l) => n + l.length, 0);
      if (count < bestCount) [best, bestCount] = [found, count];
    }
    if (!best) return undefined;
    lists.push(...best);
  }
  const total = lists.reduce((n, l) => n + l.length, 0);
  if (total > view.series.length / 4) return undefined;
  if (lists.length === 1) return [...lists[0]!];
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}

/** The code at `position` of a key (codes joined by `.`), reading no other code. */
export function codeAt(key: string, position: number): string {
  let start = 0;
  for (let i = 0; i < position; i++) start = key.indexOf('.', start) + 1;
  const end = key.indexOf('.', start);
  return end < 0 ? key.slice(start) : key.slice(start, end);
}

/** The series a selection names: looked up when its keys enumerate, else matched one by one. */
export function matchSeries(view: FlowView, selection: Selection): readonly StoredSeries[] {
  if (selection.selectsAll) return view.series;
  const inOrder = view.keysInDsdOrder;
  const exactKeys = selection.exactKeys ?? keysWithinView(view, selection.keys);
  if (!exactKeys) {
    const candidates = candidatesOf(view, selection.keys);
    return (candidates ? candidates.map((i) => view.series[i]!) : view.series).filter((s) => selection.matchesSeries(s, inOrder));
  }
  const found = new Map<number, StoredSeries>();
  for (const codes of exactKeys) {
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
