/**
 * The public release calendar, without a token: `GET /api/v1/calendar` (JSON),
 * `/api/v1/calendar.ics` (iCalendar) and `/api/v1/calendar.atom` (Atom), with the same filters.
 * Each answer is computed from the clock per request, carries a weak ETag of its body, and may
 * be cached only briefly and never past the next announced instant, when a scheduled release
 * turns published and its disclosure-control metadata appears.
 */
import { originOf } from '../../http/request-address.js';
import { API_PREFIX } from './prefix.js';
import { cappedCacheControl } from '../../http/cache-lifetime.js';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_BASE, problemResponses, sendProblem } from '../../http/problem.js';
import { MEDIA } from '../../sdmx/media-types.js';
import { calendarAtom, ATOM_MEDIA_TYPE } from '../../services/calendar/atom.js';
import type { CalendarService, CalendarView } from '../../services/calendar/calendar.js';
import { parseCalendarQuery, type CalendarQuery } from '../../services/calendar/filters.js';
import { calendarIcs, ICS_MEDIA_TYPE } from '../../services/calendar/ics.js';

export interface CalendarRoutesOptions {
  readonly calendar: CalendarService;
}

/** Relative to the API prefix (links in feeds add it). */
export const CALENDAR_PATH = '/calendar';
/** Long enough to spare the server, short enough that a postponement shows within a minute. */
export const CALENDAR_MAX_AGE_SECONDS = 60;

const QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dataflow: { type: 'string', description: 'AGENCY:ID(VERSION) or a bare dataflow ID; a comma list matches any' },
    state: { type: 'string', description: 'scheduled, published or cancelled; a comma list matches any' },
    from: { type: 'string', description: 'Releases announced at or after this date (whole UTC day) or instant' },
    to: { type: 'string', description: 'Releases announced at or before this date (whole UTC day) or instant' },
  },
} as const;

const instant = { type: 'string', format: 'date-time' } as const;
const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;

const calendarEntrySchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    title: { type: 'string' },
    note: { type: ['string', 'null'] },
    dataflows: { type: 'array', items: { type: 'string', description: 'AGENCY:ID(VERSION)' } },
    state: { type: 'string', enum: ['scheduled', 'published', 'cancelled'] },
    announcedAt: { ...instant, description: 'The instant announced now (after any postponement)' },
    firstAnnouncedAt: { ...instant, description: 'The instant first announced' },
    publishedAt: { ...nullableInstant, description: 'When it became public (its announced instant)' },
    revises: { type: ['string', 'null'], description: 'Code of the release this one corrects' },
    postponements: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: instant, from: nullableInstant, to: instant, reason: { type: ['string', 'null'] } },
        required: ['at', 'from', 'to', 'reason'],
      },
    },
    cancellation: { type: ['object', 'null'], properties: { at: instant, reason: { type: ['string', 'null'] } } },
    punctuality: {
      type: ['object', 'null'],
      description: 'Published releases only',
      properties: {
        announced: instant,
        actual: instant,
        delaySeconds: { type: 'integer', description: 'actual − announced' },
        onTime: { type: 'boolean' },
      },
    },
    updatedAt: { ...instant, description: 'The last public change (an event or the publication)' },
    disclosureControl: {
      type: 'array',
      description: 'Present only once the release is public (embargo): per dataflow, how it was protected',
      items: {
        type: 'object',
        properties: { dataflow: { type: 'string' }, method: { type: 'string' }, rules: {}, summary: {} },
        required: ['dataflow', 'method', 'rules', 'summary'],
      },
    },
  },
  required: ['code', 'title', 'note', 'dataflows', 'state', 'announcedAt', 'firstAnnouncedAt', 'publishedAt', 'revises', 'postponements', 'cancellation', 'punctuality', 'updatedAt'],
} as const;

const calendarJsonSchema = {
  type: 'object',
  description: 'Releases ordered by announced instant',
  properties: { releases: { type: 'array', items: calendarEntrySchema } },
  required: ['releases'],
} as const;

const problems = problemResponses;

const JSON_SCHEMA = {
  summary: 'The release calendar: every announced release, its postponements, cancellation and punctuality',
  description:
    'Public. A scheduled release whose instant has come is published (visibility is by instant); its disclosure-control method, rules and summary appear from that instant on. Cached for at most a minute and never past the next announced instant.',
  tags: ['calendar'],
  querystring: QUERY_SCHEMA,
  response: { 200: calendarJsonSchema, 304: { type: 'null', description: 'Not modified' }, ...problems(400, 429) },
} as const;

const ICS_SCHEMA = {
  summary: 'The release calendar as iCalendar (RFC 5545), for subscription',
  description: 'One VEVENT per announced release; UID from the release code; SEQUENCE counts postponements (and a cancellation).',
  tags: ['calendar'],
  querystring: QUERY_SCHEMA,
  response: { 200: { description: 'iCalendar', content: { 'text/calendar': { schema: { type: 'string' } } } }, 304: { type: 'null', description: 'Not modified' }, ...problems(400, 429) },
} as const;

const ATOM_SCHEMA = {
  summary: 'The release calendar as an Atom 1.0 feed',
  tags: ['calendar'],
  querystring: QUERY_SCHEMA,
  response: { 200: { description: 'Atom feed', content: { 'application/atom+xml': { schema: { type: 'string' } } } }, 304: { type: 'null', description: 'Not modified' }, ...problems(400, 429) },
} as const;

/** `public, max-age=N` with N never reaching past the next announced instant. */
export function cacheControlOf(secondsUntilNextInstant: number | null): string {
  return cappedCacheControl(secondsUntilNextInstant, CALENDAR_MAX_AGE_SECONDS);
}

function etagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function notModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((t) => opaque(t) === opaque(etag));
}

export async function calendarRoutes(app: FastifyInstance, opts: CalendarRoutesOptions): Promise<void> {
  /** Parses the filters, computes the calendar and answers it with the caching headers. */
  function answer(request: FastifyRequest<{ Querystring: CalendarQuery }>, reply: FastifyReply, mediaType: string, render: (view: CalendarView) => string) {
    const parsed = parseCalendarQuery(request.query);
    if ('faults' in parsed) {
      return sendProblem(reply, {
        type: `${PROBLEM_BASE}invalid-request`,
        title: 'Bad Request',
        status: 400,
        detail: parsed.faults.map((f) => `query parameter ${f.pointer.slice(2)} ${f.message}`).join('; '),
        errors: parsed.faults,
      });
    }
    const view = opts.calendar.view(parsed.filter);
    const body = render(view);
    const etag = etagOf(body);
    reply.header('Cache-Control', cacheControlOf(view.secondsUntilNextInstant));
    reply.header('ETag', etag);
    if (notModified(request, etag)) return reply.code(304).send();
    return reply.header('Content-Type', mediaType).send(Buffer.from(body));
  }

  app.get<{ Querystring: CalendarQuery }>(CALENDAR_PATH, { schema: JSON_SCHEMA }, async (request, reply) =>
    answer(request, reply, MEDIA.json, (view) => JSON.stringify({ releases: view.items.map((i) => i.entry) })),
  );

  app.get<{ Querystring: CalendarQuery }>(`${CALENDAR_PATH}.ics`, { schema: ICS_SCHEMA }, async (request, reply) =>
    answer(request, reply, ICS_MEDIA_TYPE, (view) => calendarIcs(view.items)),
  );

  app.get<{ Querystring: CalendarQuery }>(`${CALENDAR_PATH}.atom`, { schema: ATOM_SCHEMA }, async (request, reply) =>
    answer(request, reply, ATOM_MEDIA_TYPE, (view) => {
      const origin = originOf(request);
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return calendarAtom(view.items, { self: `${origin}${request.url}`, json: `${origin}${API_PREFIX}${CALENDAR_PATH}${query}`, ics: `${origin}${API_PREFIX}${CALENDAR_PATH}.ics${query}` }, view.at);
    }),
  );
}
