/**
 * The state of an explorer view, all of it in the query string so that every view is a permalink:
 * the filters in the JSON API's own words (a dimension id per parameter with its codes, `from`,
 * `to`, `asOf` or `release`), and what the page shows of them (`measure`, `chart`, `year`, `sort`,
 * `dir`, `page`). A filter form submits repeated names (`REF_AREA=MEX&REF_AREA=GTM`) and empty
 * choices (`from=`): both are read here, and links are always written in the canonical form.
 *
 * A bare dataflow address (no filter at all) opens the default view (defaultFilters): one
 * series per area, so the first view is readable and its chart compares like with like.
 */
import type { DimensionDetail } from '../../../services/catalogue/dataflows.js';

export const CHART_KINDS = ['line', 'bar', 'map'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** Parameters of the page that are not filters of the data. */
const VIEW_PARAMETERS = ['measure', 'chart', 'year', 'sort', 'dir', 'page'] as const;
/** Filter parameters that are not dimensions. */
const PERIOD_PARAMETERS = ['from', 'to', 'asOf', 'release'] as const;
/** The code of a total in our codelists. */
export const TOTAL_CODE = '_T';

export interface ViewState {
  /** Dimension id (upper case) → codes, in the order given. */
  readonly filters: ReadonlyMap<string, readonly string[]>;
  readonly from?: string;
  readonly to?: string;
  readonly asOf?: string;
  readonly release?: string;
  /** A value field of the rows (count, rate, percentage); undefined: the page chooses. */
  readonly measure?: string;
  readonly chart?: ChartKind;
  readonly year?: string;
  readonly sort?: string;
  readonly dir: 'asc' | 'desc';
  readonly page: number;
  /** True when the filters are the defaults of a bare address. */
  readonly defaulted: boolean;
}

/** Reads the page's query (still percent-encoded); unknown view values fall back to the page's choice. */
export function readViewState(rawQuery: string, dimensions: readonly DimensionDetail[]): ViewState {
  const params = new URLSearchParams(rawQuery);
  const filters = new Map<string, string[]>();
  const single = new Map<string, string>();
  for (const [name, value] of params) {
    const trimmed = value.trim();
    if (trimmed === '') continue;
    if ((VIEW_PARAMETERS as readonly string[]).includes(name) || (PERIOD_PARAMETERS as readonly string[]).includes(name)) {
      single.set(name, trimmed);
      continue;
    }
    if (name === 'lang') continue;
    const id = name.toUpperCase();
    const codes = filters.get(id) ?? [];
    for (const code of trimmed.split(',').map((c) => c.trim())) if (code !== '' && !codes.includes(code)) codes.push(code);
    filters.set(id, codes);
  }
  const hasFilter = filters.size > 0 || PERIOD_PARAMETERS.some((p) => single.has(p));
  const defaulted = !hasFilter;
  if (defaulted) for (const [id, codes] of defaultFilters(dimensions)) filters.set(id, codes);
  const chart = single.get('chart');
  const page = Number(single.get('page') ?? '1');
  return {
    filters,
    from: single.get('from'),
    to: single.get('to'),
    asOf: single.get('asOf'),
    release: single.get('release'),
    measure: single.get('measure'),
    chart: (CHART_KINDS as readonly string[]).includes(chart ?? '') ? (chart as ChartKind) : undefined,
    year: single.get('year'),
    sort: single.get('sort'),
    dir: single.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    defaulted,
  };
}

/** Dimensions a default view leaves open: the areas (compared with each other) and the units (side by side in a row). */
const OPEN_BY_DEFAULT = ['REF_AREA', 'UNIT_MEASURE'];

/**
 * The default view's filters: every other dimension with several codes is set to its total, or,
 * without a total, to its code with the most values (e.g. one ICCS category), so that a chart never
 * ranks unlike things (an assault rate beside a rape rate) against each other.
 */
export function defaultFilters(dimensions: readonly DimensionDetail[]): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const d of dimensions) {
    if (d.codes.length < 2 || OPEN_BY_DEFAULT.includes(d.id)) continue;
    const total = d.codes.find((c) => c.id === TOTAL_CODE);
    filters.set(d.id, [(total ?? [...d.codes].sort((a, b) => b.observations - a.observations)[0]!).id]);
  }
  return filters;
}

/** The filters as the JSON API's query (`REF_AREA=MEX,GTM&from=2010`), in a stable order. */
export function apiQueryOf(state: ViewState): string {
  const parts: string[] = [];
  for (const id of [...state.filters.keys()].sort()) parts.push(`${id}=${state.filters.get(id)!.map(encodeURIComponent).join(',')}`);
  for (const p of PERIOD_PARAMETERS) {
    const v = state[p];
    if (v !== undefined) parts.push(`${p}=${encodeURIComponent(v)}`);
  }
  return parts.join('&');
}

/** The canonical query of a view (filters first, then what the page shows), with some values changed. */
export function viewQuery(state: ViewState, change: Partial<Omit<ViewState, 'filters' | 'defaulted'>> = {}): string {
  const next = { ...state, ...change };
  const parts = [apiQueryOf(next)];
  for (const p of ['measure', 'chart', 'year', 'sort'] as const) {
    const v = next[p];
    if (v !== undefined) parts.push(`${p}=${encodeURIComponent(v)}`);
  }
  if (next.dir === 'desc') parts.push('dir=desc');
  if (next.page > 1) parts.push(`page=${next.page}`);
  return parts.filter((p) => p !== '').join('&');
}
