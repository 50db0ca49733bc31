/**
 * Resolvers of the release calendar: Query.releases, release, calendar and the Release type.
 * Everything is the public calendar computed at the request instant (services/calendar/):
 * drafts never show, a scheduled release shows as announced, its disclosure-control summary
 * only once it is published. The calendar is computed once per request (RequestMemo).
 */
import { ServiceError } from '../../../errors.js';
import type { Dataflow } from '../../../sdmx/model.js';
import type { CalendarEntry } from '../../../services/calendar/calendar.js';
import { parseCalendarQuery } from '../../../services/calendar/filters.js';
import { globalId, type GraphqlContext } from '../context.js';

interface CalendarArgs {
  readonly state?: readonly string[] | null;
  readonly dataflow?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
}

/** The calendar's entries the arguments select, in announced order (the calendar service's filter). */
function entries(ctx: GraphqlContext, args: CalendarArgs): CalendarEntry[] {
  const parsed = parseCalendarQuery({
    ...(args.dataflow != null ? { dataflow: args.dataflow } : {}),
    ...(args.state != null ? { state: args.state.map((s) => s.toLowerCase()).join(',') } : {}),
    ...(args.from != null ? { from: args.from } : {}),
    ...(args.to != null ? { to: args.to } : {}),
  });
  if ('faults' in parsed) {
    const first = parsed.faults[0]!;
    const name = first.pointer.replace('#/', '');
    throw new ServiceError('invalid-input', `Invalid ${name}: ${parsed.faults.map((f) => f.message).join('; ')}`, { parameter: name });
  }
  return ctx.services.calendar.view(parsed.filter).items.map((i) => i.entry);
}

export const calendarResolvers = {
  Query: {
    releases: (_: unknown, args: CalendarArgs, ctx: GraphqlContext) => entries(ctx, { state: args.state, dataflow: args.dataflow }),
    calendar: (_: unknown, args: CalendarArgs, ctx: GraphqlContext) => entries(ctx, args),
    release: (_: unknown, args: { code: string }, ctx: GraphqlContext) => releaseNamed(ctx, args.code),
  },
  Release: {
    id: (e: CalendarEntry) => globalId('Release', e.code),
    state: (e: CalendarEntry) => e.state.toUpperCase(),
    dataflows: (e: CalendarEntry, _: unknown, ctx: GraphqlContext): Dataflow[] => {
      const out: Dataflow[] = [];
      for (const ref of e.dataflows) {
        try {
          out.push(ctx.services.dataflows.resolve(ref));
        } catch {
          // A release may name a dataflow whose structures were withdrawn: it is left out, not an error.
        }
      }
      return out;
    },
    revises: (e: CalendarEntry, _: unknown, ctx: GraphqlContext) => (e.revises ? (ctx.memo.releases().get(e.revises) ?? null) : null),
    disclosureControl: (e: CalendarEntry) => e.disclosureControl ?? null,
  },
};

/** A release of the public calendar by code; a draft or unknown code is the same NOT_FOUND (never tells a draft exists). */
export function releaseNamed(ctx: GraphqlContext, code: string): CalendarEntry {
  const entry = ctx.memo.releases().get(code);
  if (!entry) throw new ServiceError('not-found', `No release on the public calendar has the code "${code}"`, { code: 'unknown-release', parameter: 'code' });
  return entry;
}
