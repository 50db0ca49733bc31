/**
 * The home page's headline figures: one per dataflow filed under a Sustainable Development Goal
 * target (the CAT_SDG categorisation, e.g. intentional homicide for 16.1), read from its public
 * data like any explorer view. The headline series is the dataflow's default view (explore/
 * view-state.ts: totals, else the code with the most values); the measure is the rate where there
 * is one;
 * the year is the latest one reported by at least half as many areas as the best-covered year (so
 * that a year with a few early reporters does not stand for the world). It says how many areas
 * reported and the highest and lowest, and links to the map of that year.
 *
 * Kept per dataflow state and language: the figures change only when a release changes the
 * dataflow's counts, and the home page is asked for often.
 */
import type { DataflowDetail } from '../../services/catalogue/dataflows.js';
import type { ObservationsApi } from '../../services/data/observations.js';
import { readView, chosenMeasure } from './explore/view-data.js';
import { defaultFilters, viewQuery, type ViewState } from './explore/view-state.js';
import type { PortalLanguage } from './i18n.js';

const SDG_SCHEME = 'CAT_SDG';
const AREA = 'REF_AREA';

export interface Headline {
  readonly flowId: string;
  readonly flowName: string;
  /** The SDG target's name. */
  readonly target: string;
  readonly measure: string;
  readonly year: string;
  readonly areas: number;
  readonly highest: { readonly name: string; readonly value: number };
  readonly lowest: { readonly name: string; readonly value: number };
  /** The map of that year in the explorer. */
  readonly href: string;
}

/** Whether the dataflow is filed under an SDG target (its headline is shown then). */
export function sdgTargetOf(flow: Pick<DataflowDetail, 'categories'>): string | null {
  const target = flow.categories.find((c) => c.scheme.includes(`:${SDG_SCHEME}(`));
  return target ? (target.name ?? target.id) : null;
}

const memo = new Map<string, Headline | null>();
const MEMO_ENTRIES = 64;

export function headlineOf(observations: ObservationsApi, flow: DataflowDetail, lang: PortalLanguage): Headline | null {
  const target = sdgTargetOf(flow);
  if (!target || !flow.dimensions.some((d) => d.id === AREA)) return null;
  const key = [flow.agency, flow.id, flow.version, flow.observations, flow.series, flow.lastRelease?.code ?? '', lang].join('|');
  if (memo.has(key)) return memo.get(key)!;
  const headline = computeHeadline(observations, flow, lang, target);
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(key, headline);
  return headline;
}

function computeHeadline(observations: ObservationsApi, flow: DataflowDetail, lang: PortalLanguage, target: string): Headline | null {
  const filters = defaultFilters(flow.dimensions);
  const state: ViewState = { filters, dir: 'asc', page: 1, defaulted: false };
  const view = readView(observations, flow.id, state, lang);
  const measure = chosenMeasure(view, undefined);
  if (!measure) return null;
  const byYear = new Map<string, { name: string; value: number }[]>();
  for (const row of view.rows) {
    const cell = row.cells.get(measure.field);
    if (!cell || cell.suppressed || cell.value === null) continue;
    const list = byYear.get(row.period) ?? [];
    list.push({ name: view.label(AREA, row.codes[AREA] ?? ''), value: cell.value });
    byYear.set(row.period, list);
  }
  const most = Math.max(0, ...[...byYear.values()].map((l) => l.length));
  const year = [...byYear.keys()].sort().reverse().find((y) => byYear.get(y)!.length * 2 >= most);
  if (!year) return null;
  const values = [...byYear.get(year)!].sort((a, b) => b.value - a.value);
  const query = viewQuery({ ...state, measure: measure.field, chart: 'map', year });
  return {
    flowId: flow.id,
    flowName: flow.name ?? flow.id,
    target,
    measure: measure.name ?? measure.field,
    year,
    areas: values.length,
    highest: values[0]!,
    lowest: values[values.length - 1]!,
    href: `/${lang}/dataflows/${flow.id}?${query}`,
  };
}
