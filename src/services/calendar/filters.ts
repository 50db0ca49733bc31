/**
 * The calendar's query parameters, read into a filter or refused with every fault named:
 * `dataflow` (AGENCY:ID(VERSION) or a bare ID, comma list), `state` (scheduled, published,
 * cancelled, comma list), `from`/`to` (a date or an instant, on the announced instant; a date
 * bound takes its whole UTC day). Shared by the JSON, iCalendar and Atom representations.
 */
import { CALENDAR_STATES, type CalendarState } from './calendar.js';
import { parseBound } from './instants.js';

export interface CalendarFilter {
  readonly dataflows?: readonly string[];
  readonly states?: readonly CalendarState[];
  /** Inclusive bounds on the announced instant, in epoch ms. */
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface CalendarQuery {
  readonly dataflow?: string;
  readonly state?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface QueryFault {
  readonly in: 'querystring';
  readonly pointer: string;
  readonly message: string;
}

const FULL_DATAFLOW = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*:[A-Za-z0-9_@$-]+\(\d+(?:\.\d+){0,2}\)$/;
const BARE_DATAFLOW = /^[A-Za-z0-9_@$-]+$/;

const fault = (name: string, message: string): QueryFault => ({ in: 'querystring', pointer: `#/${name}`, message });

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

export function parseCalendarQuery(query: CalendarQuery): { filter: CalendarFilter } | { faults: QueryFault[] } {
  const faults: QueryFault[] = [];
  let dataflows: string[] | undefined;
  let states: CalendarState[] | undefined;
  let fromMs: number | undefined;
  let toMs: number | undefined;

  if (query.dataflow !== undefined) {
    dataflows = list(query.dataflow);
    const bad = dataflows.filter((d) => !FULL_DATAFLOW.test(d) && !BARE_DATAFLOW.test(d));
    if (bad.length) faults.push(fault('dataflow', `must be AGENCY:ID(VERSION) or a dataflow ID (comma list allowed); not ${bad.map((b) => JSON.stringify(b)).join(', ')}`));
  }
  if (query.state !== undefined) {
    const names = list(query.state);
    const bad = names.filter((s) => !(CALENDAR_STATES as readonly string[]).includes(s));
    if (bad.length) faults.push(fault('state', `must be ${CALENDAR_STATES.join(', ')} or a comma list of them; not ${bad.map((b) => JSON.stringify(b)).join(', ')}`));
    else states = names as CalendarState[];
  }
  for (const name of ['from', 'to'] as const) {
    const text = query[name];
    if (text === undefined) continue;
    const bound = parseBound(text);
    if (!bound) {
      faults.push(fault(name, `must be a date (2026-12-01) or an ISO-8601 instant with a time zone (2026-12-01T08:00:00Z); not ${JSON.stringify(text)}`));
      continue;
    }
    if (name === 'from') fromMs = bound.kind === 'date' ? bound.startMs : bound.ms;
    else toMs = bound.kind === 'date' ? bound.endMs : bound.ms;
  }
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) faults.push(fault('to', 'must not be before from'));
  if (faults.length) return { faults };
  return { filter: { dataflows, states, fromMs, toMs } };
}
