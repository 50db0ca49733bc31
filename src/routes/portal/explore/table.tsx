/**
 * The explorer's table: one row per series and period as the JSON API gives them, a column per
 * dimension that varies, the period, each measure (count, rate…) with its flags in words, and the
 * release each value comes from. Sorting and paging are links (they work without JavaScript and
 * are part of the permalink); the sorted column says so to screen readers (aria-sort).
 */
import type { Cell, UnitColumn } from '../../../services/data/observations.js';
import { formatNumber, type PortalLanguage } from '../i18n.js';
import type { ViewData, ViewRow } from './view-data.js';
import { viewQuery, type ViewState } from './view-state.js';
import { EXPLORE_WORDS } from './words.js';

export const ROWS_PER_PAGE = 50;

/** The rows in the order the view asks: by a dimension's label, the period or a measure (no value last). */
export function sortedRows(view: ViewData, state: ViewState): readonly ViewRow[] {
  const column = state.sort;
  const sign = state.dir === 'desc' ? -1 : 1;
  const unit = view.units.find((u) => u.field === column);
  const dim = view.varying.find((d) => d.id === column);
  const collator = new Intl.Collator(view.answer.lang);
  const byLabels = (a: ViewRow, b: ViewRow) => {
    for (const d of view.varying) {
      const c = collator.compare(view.label(d.id, a.codes[d.id] ?? ''), view.label(d.id, b.codes[d.id] ?? ''));
      if (c) return c;
    }
    return a.period.localeCompare(b.period);
  };
  // Unsorted: by the labels of the varying dimensions, then period (the order people look things up in).
  if (!unit && !dim && column !== 'period') return [...view.rows].sort(byLabels);
  return [...view.rows].sort((a, b) => {
    if (unit) {
      const x = a.cells.get(unit.field)?.value ?? null;
      const y = b.cells.get(unit.field)?.value ?? null;
      if (x === null || y === null) return x === y ? byLabels(a, b) : x === null ? 1 : -1;
      return sign * (x - y) || byLabels(a, b);
    }
    if (dim) return sign * collator.compare(view.label(dim.id, a.codes[dim.id] ?? ''), view.label(dim.id, b.codes[dim.id] ?? '')) || byLabels(a, b);
    return sign * a.period.localeCompare(b.period) || byLabels(a, b);
  });
}

/** A value as the table writes it: the number, or why there is none. */
export function cellText(cell: Cell | undefined, lang: PortalLanguage): string {
  if (!cell) return '';
  if (cell.suppressed) return EXPLORE_WORDS[lang].suppressed;
  return cell.value === null ? '–' : formatNumber(cell.value, lang);
}

function notesOf(row: ViewRow, units: readonly UnitColumn[], lang: PortalLanguage): string {
  const w = EXPLORE_WORDS[lang];
  const parts: string[] = [];
  for (const u of units) {
    const cell = row.cells.get(u.field);
    if (!cell) continue;
    // A suppressed value already says so in its own cell (with the reason in the table's note).
    const words = cell.suppressed ? [] : cell.flags.map((f) => f.meaning);
    if (words.length) parts.push(units.length > 1 ? `${u.name ?? u.field}: ${words.join('; ')}` : words.join('; '));
  }
  return parts.join(' · ');
}

function releasesOf(row: ViewRow): string {
  return [...new Set([...row.cells.values()].map((c) => c.release))].join(', ');
}

export function ViewTable({ lang, view, state, path }: { lang: PortalLanguage; view: ViewData; state: ViewState; path: string }) {
  const w = EXPLORE_WORDS[lang];
  const rows = sortedRows(view, state);
  const pages = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE));
  const page = Math.min(state.page, pages);
  const first = (page - 1) * ROWS_PER_PAGE;
  const shown = rows.slice(first, first + ROWS_PER_PAGE);
  const header = (id: string, label: string, numeric = false) => {
    const active = state.sort === id;
    const dir = active && state.dir === 'asc' ? 'desc' : 'asc';
    return (
      <th scope="col" class={numeric ? 'number' : undefined} aria-sort={active ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        <a href={`${path}?${viewQuery(state, { sort: id, dir, page: 1 })}#table`} aria-label={w.sortBy(label)}>
          {label}
          {active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}
        </a>
      </th>
    );
  };
  return (
    <section aria-labelledby="table" class="view-table">
      <h2 id="table" tabIndex={-1}>
        {w.table}
      </h2>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="table-caption">
        <table class="data-table">
          <caption id="table-caption">{rows.length ? w.tableCaption(formatNumber(first + 1, lang), formatNumber(first + shown.length, lang), formatNumber(rows.length, lang)) : w.noValues}</caption>
          <thead>
            <tr>
              {view.varying.map((d) => header(d.id, d.name))}
              {header('period', w.period)}
              {view.units.map((u) => header(u.field, u.name ?? u.field, true))}
              <th scope="col">{w.notes}</th>
              <th scope="col">{w.release}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr data-key={row.key}>
                {view.varying.map((d, i) =>
                  i === 0 ? (
                    <th scope="row">{view.label(d.id, row.codes[d.id] ?? '')}</th>
                  ) : (
                    <td>{view.label(d.id, row.codes[d.id] ?? '')}</td>
                  ),
                )}
                {view.varying.length ? <td>{row.period}</td> : <th scope="row">{row.period}</th>}
                {view.units.map((u) => {
                  const cell = row.cells.get(u.field);
                  return (
                    <td class="number" data-field={u.field} data-value={cell && cell.value !== null ? String(cell.value) : undefined}>
                      {cellText(cell, lang)}
                    </td>
                  );
                })}
                <td class="notes">{notesOf(row, view.units, lang)}</td>
                <td class="release">{releasesOf(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.some((r) => [...r.cells.values()].some((c) => c.suppressed)) ? <p class="note">{w.suppressedNote}</p> : null}
      {pages > 1 ? (
        <nav aria-label={w.pages} class="pager">
          {page > 1 ? <a href={`${path}?${viewQuery(state, { page: page - 1 })}#table`}>{w.previous}</a> : null}
          <span>
            {page} / {pages}
          </span>
          {page < pages ? <a href={`${path}?${viewQuery(state, { page: page + 1 })}#table`}>{w.next}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}
