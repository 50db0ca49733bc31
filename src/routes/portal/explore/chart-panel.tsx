/**
 * What the explorer draws of a view, and the panel around it: which chart (a line over time when
 * there are few series and several periods, else bars across series for one year; the map when
 * areas vary), which measure (rate before count, so areas compare), which year, and the words that
 * say what the chart shows (its caption; the table is the full alternative). The chart kinds,
 * measures and years are links, so they work without JavaScript and belong to the permalink.
 */
import type { VNode } from 'preact';
import { formatNumber, type PortalLanguage } from '../i18n.js';
import { BarChart, LineChart, MAX_LINES, type ChartFrame, type ChartSeries } from './charts.js';
import { chosenMeasure, seriesLabel, type ViewData } from './view-data.js';
import { viewQuery, type ChartKind, type ViewState } from './view-state.js';
import { EXPLORE_WORDS } from './words.js';

/** Bars drawn at most; the table has the rest. */
export const MAX_BARS = 40;
const AREA = 'REF_AREA';

export interface ChartModel {
  readonly kind: ChartKind;
  readonly kinds: readonly ChartKind[];
  readonly measure: string | undefined;
  readonly year: string | undefined;
  readonly svg: VNode | null;
  /** What the chart shows, in words. */
  readonly summary: readonly string[];
  readonly note: string | null;
  /** For the map: area code → the measure's value in the year. */
  readonly mapValues?: ReadonlyMap<string, number | null>;
}

/** Series of the view: rows grouped by key (without unit), period → value of the measure. */
function seriesOf(view: ViewData, field: string): { label: string; values: Map<string, number | null> }[] {
  const byKey = new Map<string, { label: string; values: Map<string, number | null> }>();
  for (const row of view.rows) {
    const cell = row.cells.get(field);
    if (!cell) continue;
    let s = byKey.get(row.key);
    if (!s) byKey.set(row.key, (s = { label: seriesLabel(view, row), values: new Map() }));
    s.values.set(row.period, cell.suppressed ? null : cell.value);
  }
  return [...byKey.values()];
}

/** `frame`: the heading and source lines of a chart saved as a file (chart.svg, chart.png). */
export function chartModel(view: ViewData, state: ViewState, lang: PortalLanguage, mapAvailable: boolean, frame?: (title: string) => ChartFrame): ChartModel {
  const w = EXPLORE_WORDS[lang];
  const measure = chosenMeasure(view, state.measure);
  const format = (n: number) => formatNumber(n, lang);
  const kinds: ChartKind[] = ['line', 'bar'];
  // A map needs one value per area: only when the areas are all that varies.
  if (mapAvailable && view.varying.length === 1 && view.varying[0]!.id === AREA) kinds.push('map');
  const all = measure ? seriesOf(view, measure.field) : [];
  const periodsWithValues = view.periods.filter((p) => all.some((s) => typeof s.values.get(p) === 'number'));
  const latest = periodsWithValues[periodsWithValues.length - 1];
  const year = state.year && periodsWithValues.includes(state.year) ? state.year : latest;
  const kind: ChartKind = state.chart && kinds.includes(state.chart) ? state.chart : all.length <= MAX_LINES && periodsWithValues.length > 1 ? 'line' : 'bar';
  const base = { kind, kinds, measure: measure?.field, year };
  const measureName = measure?.name ?? measure?.field ?? '';
  if (!measure || !latest || !year) return { ...base, svg: null, summary: [w.noValues], note: null };

  if (kind === 'line') {
    // Too many lines to read: the highest in the latest period, said in the note.
    const ranked = all.length > MAX_LINES ? [...all].sort((a, b) => (b.values.get(latest) ?? -Infinity) - (a.values.get(latest) ?? -Infinity)).slice(0, MAX_LINES) : all;
    const periods = view.periods.filter((p) => periodsWithValues.includes(p));
    const series: ChartSeries[] = ranked;
    const ends = series.map((s) => {
      const known = periods.filter((p) => typeof s.values.get(p) === 'number');
      const a = known[0];
      const b = known[known.length - 1];
      return a && b ? w.lineEnds(s.label, format(s.values.get(a)!), a, format(s.values.get(b)!), b) : `${s.label}: –`;
    });
    const title = `${measureName}, ${periods[0]}–${periods[periods.length - 1]}`;
    return {
      ...base,
      svg: <LineChart id="chart-svg" title={title} frame={frame?.(title)} periods={periods} series={series} format={format} />,
      summary: [w.lineSummary(measureName, periods[0]!, periods[periods.length - 1]!, series.length), ...ends],
      note: all.length > MAX_LINES ? w.tooManyLines(MAX_LINES, all.length, latest) : null,
    };
  }

  const withValue = all.filter((s) => typeof s.values.get(year) === 'number').map((s) => ({ label: s.label, value: s.values.get(year)! }));
  const without = all.filter((s) => s.values.has(year) && typeof s.values.get(year) !== 'number').map((s) => s.label);
  withValue.sort((a, b) => b.value - a.value);
  const high = withValue[0];
  const low = withValue[withValue.length - 1];
  const summary = high && low ? [w.barSummary(measureName, year, withValue.length, `${high.label} ${format(high.value)}`, `${low.label} ${format(low.value)}`)] : [w.noValues];
  if (without.length) summary.push(w.withoutValue(without.join(', ')));
  if (kind === 'map') return { ...base, svg: null, summary, note: null, mapValues: new Map(view.rows.filter((r) => r.period === year).map((r) => [r.codes[AREA]!, r.cells.get(measure.field)?.suppressed ? null : (r.cells.get(measure.field)?.value ?? null)])) };
  const bars = withValue.slice(0, MAX_BARS);
  return {
    ...base,
    svg: bars.length ? <BarChart id="chart-svg" title={`${measureName}, ${year}`} frame={frame?.(`${measureName}, ${year}`)} period={year} bars={bars} format={format} /> : null,
    summary,
    note: withValue.length > MAX_BARS ? w.tooManyBars(MAX_BARS, withValue.length) : null,
  };
}

export function ChartPanel({ lang, view, state, model, path, map }: { lang: PortalLanguage; view: ViewData; state: ViewState; model: ChartModel; path: string; map: VNode | null }) {
  const w = EXPLORE_WORDS[lang];
  const kindName: Record<ChartKind, string> = { line: w.lineChart, bar: w.barChart, map: w.map };
  const link = (change: Partial<ViewState>) => `${path}?${viewQuery(state, { page: 1, ...change })}#chart`;
  const years = view.periods;
  return (
    <section aria-labelledby="chart" class="chart-panel">
      <h2 id="chart" tabIndex={-1}>
        {w.chart}
      </h2>
      <div class="chart-controls">
        <ul class="switch" aria-label={w.chart}>
          {model.kinds.map((k) => (
            <li>{k === model.kind ? <span aria-current="true">{kindName[k]}</span> : <a href={link({ chart: k })}>{kindName[k]}</a>}</li>
          ))}
        </ul>
        {view.units.length > 1 ? (
          <ul class="switch" aria-label={w.measure}>
            {view.units.map((u) => (
              <li>{u.field === model.measure ? <span aria-current="true">{u.name ?? u.field}</span> : <a href={link({ measure: u.field })}>{u.name ?? u.field}</a>}</li>
            ))}
          </ul>
        ) : null}
        {model.kind !== 'line' && years.length > 1 ? (
          <form method="get" action={`${path}#chart`} class="year-form">
            {[...new URLSearchParams(viewQuery(state, { year: undefined, page: 1, chart: model.kind }))].map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
            <label for="chart-year">{w.year}</label>{' '}
            <select id="chart-year" name="year">
              {years.map((y) => (
                <option selected={y === model.year}>{y}</option>
              ))}
            </select>{' '}
            <button type="submit">{w.showYear}</button>
          </form>
        ) : null}
      </div>
      {model.kind === 'map' ? (
        // The map is its own figure with its own summary; what it cannot show is said after it.
        <>
          {map}
          {model.summary.slice(1).map((s) => (
            <p class="note">{s}</p>
          ))}
        </>
      ) : (
        <figure class="chart-figure">
          {model.svg ? <div class="chart-scroll">{model.svg}</div> : null}
          <figcaption>
            {model.summary.map((s) => (
              <p>{s}</p>
            ))}
            {model.note ? <p class="note">{model.note}</p> : null}
          </figcaption>
        </figure>
      )}
      {model.svg && model.kind !== 'map' ? (
        <ul class="links chart-files">
          {(['svg', 'png'] as const).map((type) => (
            <li>
              <a href={`${path}/chart.${type}?${viewQuery(state, { chart: model.kind, measure: model.measure, year: model.year, page: 1 })}`} download>
                {type === 'svg' ? w.downloadSvg : w.downloadPng}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
