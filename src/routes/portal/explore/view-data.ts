/**
 * The figures of an explorer view, read through the JSON API's own service (ObservationsApi), so
 * the page shows exactly the rows `/api/v1/dataflows/{id}/observations` gives for the same
 * filters: the same embargo, suppression, flags and releases. Rows are kept in memory up to a cap
 * (the page sorts and pages them, the chart and the map read them); beyond it the page says so and
 * points to the downloads, which stream everything.
 */
import type { Cell, ObservationsAnswer, ObservationsApi, UnitColumn } from '../../../services/data/observations.js';
import { parseObservationsRequest } from '../../../services/data/observations-query.js';
import type { PortalLanguage } from '../i18n.js';
import { apiQueryOf, type ViewState } from './view-state.js';

/** Rows a view keeps for its table, chart and map; a larger selection is cut and says so. */
export const MAX_VIEW_ROWS = 20_000;

export interface ViewRow {
  /** The series key without unit. */
  readonly key: string;
  readonly period: string;
  /** Dimension id → code, for the dimensions shown per row. */
  readonly codes: Readonly<Record<string, string>>;
  /** Value field (count, rate…) → its cell. */
  readonly cells: ReadonlyMap<string, Cell>;
}

export interface ViewDimension {
  readonly id: string;
  readonly name: string;
  /** The codes the rows hold, in the order first met. */
  readonly codes: readonly string[];
}

export interface ViewData {
  readonly answer: ObservationsAnswer;
  readonly units: readonly UnitColumn[];
  readonly rows: readonly ViewRow[];
  /** More rows match than MAX_VIEW_ROWS. */
  readonly truncated: boolean;
  /** Dimensions whose rows hold several codes (the columns of the table, the series of a chart). */
  readonly varying: readonly ViewDimension[];
  /** Dimensions with one code in every row (said once above the table). */
  readonly fixed: readonly ViewDimension[];
  /** The periods the rows hold, oldest first. */
  readonly periods: readonly string[];
  label(dimension: string, code: string): string;
}

/** Reads the view's rows; a refused filter throws the API's own ServiceError (naming the parameter). */
export function readView(observations: ObservationsApi, flowId: string, state: ViewState, lang: PortalLanguage): ViewData {
  const query = `${apiQueryOf(state)}&lang=${lang}&format=csv`;
  const request = parseObservationsRequest(flowId, query, undefined, undefined);
  const answer = observations.answer({ ...request, limit: undefined }, query);
  const units = answer.units();
  const rows: ViewRow[] = [];
  let truncated = false;
  const seen = new Map<string, string[]>(answer.dimensions.map((d) => [d.id, []]));
  const periods = new Set<string>();
  for (const row of answer.rows()) {
    if (rows.length === MAX_VIEW_ROWS) {
      truncated = true;
      break;
    }
    const cells = new Map<string, Cell>();
    for (const u of units) {
      const cell = answer.cell(row, u.unit);
      if (cell) cells.set(u.field, cell);
    }
    const codes: Record<string, string> = {};
    for (const d of answer.dimensions) {
      const code = row.series.dimensions[d.id];
      if (code === undefined) continue;
      codes[d.id] = code;
      const list = seen.get(d.id)!;
      if (!list.includes(code)) list.push(code);
    }
    periods.add(row.period);
    rows.push({ key: row.key, period: row.period, codes, cells });
  }
  const dims = answer.dimensions.map((d) => ({ id: d.id, name: d.name ?? d.id, codes: seen.get(d.id)! }));
  const labels = new Map<string, string>();
  return {
    answer,
    units,
    rows,
    truncated,
    varying: dims.filter((d) => d.codes.length > 1),
    fixed: dims.filter((d) => d.codes.length === 1),
    periods: [...periods].sort(),
    label(dimension, code) {
      const k = `${dimension}\u0000${code}`;
      let text = labels.get(k);
      if (text === undefined) labels.set(k, (text = answer.dimensionLabel(dimension, code) ?? code));
      return text;
    },
  };
}

/** The label of a row's series: its codes of the varying dimensions, by label. */
export function seriesLabel(view: ViewData, row: ViewRow): string {
  return view.varying.map((d) => view.label(d.id, row.codes[d.id] ?? '')).join(' · ') || view.answer.dataflow.id;
}

/** The measure a chart shows: the one asked for, else a rate (comparable across areas), else the first. */
export function chosenMeasure(view: ViewData, asked: string | undefined): UnitColumn | undefined {
  return view.units.find((u) => u.field === asked) ?? view.units.find((u) => u.field === 'rate') ?? view.units[0];
}
