/**
 * The explorer's filter form: a plain GET form (it works without JavaScript) whose fields are the
 * JSON API's parameters, one per dimension that has several codes with data, the period and the
 * state of the data (latest, or right after a past release). Hierarchies (ICCS, areas with their
 * regions) are listed depth first and indented, so the tree reads in the list.
 */
import type { CalendarEntry } from '../../../services/calendar/calendar.js';
import type { DataflowDetail, DimensionDetail, TreeNode } from '../../../services/catalogue/dataflows.js';
import { formatDate, type PortalLanguage } from '../i18n.js';
import type { ViewState } from './view-state.js';
import { EXPLORE_WORDS } from './words.js';

/** A dimension with at most this many codes is a group of checkboxes; more, a multiple list. */
const CHECKBOXES_UP_TO = 8;

interface Option {
  readonly id: string;
  readonly label: string;
  readonly depth: number;
  /** An ancestor listed only to place codes with data. */
  readonly disabled: boolean;
}

function optionsOf(d: DimensionDetail, lang: PortalLanguage): Option[] {
  const name = (n: { id: string; name: string | null; names: Record<string, string> }) => n.names[lang] ?? n.name ?? n.id;
  if (!d.tree) return d.codes.map((c) => ({ id: c.id, label: name(c), depth: 0, disabled: false }));
  const out: Option[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number) => {
    for (const n of nodes) {
      out.push({ id: n.id, label: name(n), depth, disabled: !n.holdsData });
      walk(n.children, depth + 1);
    }
  };
  walk(d.tree, 0);
  return out;
}

export function Filters({ lang, flow, state, releases, action }: { lang: PortalLanguage; flow: DataflowDetail; state: ViewState; releases: readonly CalendarEntry[]; action: string }) {
  const w = EXPLORE_WORDS[lang];
  const choosable = flow.dimensions.filter((d) => d.codes.length > 1);
  const years = yearsOf(flow);
  const published = releases.filter((r) => r.state === 'published');
  return (
    <form method="get" action={action} class="filters" aria-labelledby="filters-title">
      <h2 id="filters-title">{w.filters}</h2>
      <p class="help">{w.filtersHelp}</p>
      <div class="filter-grid">
        {choosable.map((d) => {
          const chosen = new Set(state.filters.get(d.id) ?? []);
          const options = optionsOf(d, lang);
          // A code with everything under it (OFFENCE=02*, as the ICCS pages link) is kept as a choice of its own,
          // so that submitting the form again keeps it.
          for (const code of chosen) {
            if (!code.endsWith('*')) continue;
            const base = options.find((o) => o.id === code.slice(0, -1));
            options.unshift({ id: code, label: w.withDescendants(base?.label ?? code.slice(0, -1)), depth: 0, disabled: false });
          }
          const label = d.names[lang] ?? d.name ?? d.id;
          if (options.length <= CHECKBOXES_UP_TO) {
            return (
              <fieldset class="filter">
                <legend>{label}</legend>
                {options.map((o) => (
                  <label class="check">
                    <input type="checkbox" name={d.id} value={o.id} checked={chosen.has(o.id)} disabled={o.disabled} /> {o.label}
                  </label>
                ))}
              </fieldset>
            );
          }
          return (
            <div class="filter">
              <label for={`f-${d.id}`}>{label}</label>
              <select id={`f-${d.id}`} name={d.id} multiple size={8} aria-describedby="filters-hint" data-narrow-label={w.narrow(label)} data-narrow-shown={w.narrowShown}>
                {options.map((o) => (
                  <option value={o.id} selected={chosen.has(o.id)} disabled={o.disabled}>
                    {'\u00a0\u00a0'.repeat(o.depth) + o.label}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
        <fieldset class="filter">
          <legend>{w.period}</legend>
          {years ? (
            <>
              <label class="stacked">
                {w.fromYear}
                <select name="from">
                  <option value="">{w.anyPeriod}</option>
                  {years.map((y) => (
                    <option selected={state.from === y}>{y}</option>
                  ))}
                </select>
              </label>
              <label class="stacked">
                {w.toYear}
                <select name="to">
                  <option value="">{w.anyPeriod}</option>
                  {years.map((y) => (
                    <option selected={state.to === y}>{y}</option>
                  ))}
                </select>
              </label>
            </>
          ) : (
            <>
              <label class="stacked">
                {w.fromYear} <input name="from" value={state.from ?? ''} size={10} />
              </label>
              <label class="stacked">
                {w.toYear} <input name="to" value={state.to ?? ''} size={10} />
              </label>
            </>
          )}
        </fieldset>
        {published.length ? (
          <div class="filter">
            <label for="f-release">{w.dataState}</label>
            <select id="f-release" name="release">
              <option value="">{w.latestData}</option>
              {published.map((r) => (
                <option value={r.code} selected={state.release === r.code}>
                  {w.afterRelease(r.title, formatDate(r.announcedAt, lang))}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <p id="filters-hint" class="help">
        {w.listHint}
      </p>
      {state.measure ? <input type="hidden" name="measure" value={state.measure} /> : null}
      {state.chart ? <input type="hidden" name="chart" value={state.chart} /> : null}
      <p class="actions">
        <button type="submit">{w.apply}</button> <a href={`${action}`}>{w.reset}</a>
      </p>
    </form>
  );
}

/** The years of an annual dataflow's period covered, else null (periods are typed in). */
function yearsOf(flow: DataflowDetail): string[] | null {
  const freq = flow.dimensions.find((d) => d.id === 'FREQ');
  const annual = !freq || freq.codes.every((c) => c.id === 'A');
  const first = Number(flow.timeDimension.first?.slice(0, 4));
  const last = Number(flow.timeDimension.last?.slice(0, 4));
  if (!annual || !Number.isInteger(first) || !Number.isInteger(last) || last < first) return null;
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
}
