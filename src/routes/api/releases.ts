/**
 * The publisher's release workflow under /api/v1/releases (role publisher only): create a draft
 * or a correction, list and read releases with their uploads, events and disclosure-control
 * runs, and schedule, postpone or cancel. Every write and every refusal is audited; errors are
 * problem documents. Nothing here may be cached (drafts are confidential).
 */
import { API_PREFIX } from './prefix.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onErrorAsyncHookHandler } from 'fastify';
import { publisherScope } from './publisher-scope.js';
import { actorOf } from '../../auth/principal.js';
import { ServiceError } from '../../errors.js';
import { problemResponses } from '../../http/problem.js';
import { httpStatusOf, sendServiceProblem, validationProblem } from '../../http/problem-errors.js';
import type { ReleaseViews } from '../../services/calendar/release-views.js';
import { RELEASE_CODE_PATTERN, type NewReleaseRequest, type Outcome, type ReleaseWorkflow } from '../../services/calendar/workflow.js';
import { RELEASE_EVENT_KINDS, RELEASE_STATES } from '../../storage/schema.js';
import { storedProtectionSummarySchema } from './schemas/publisher-schemas.js';

export interface ReleaseRoutesOptions {
  readonly workflow: ReleaseWorkflow;
  readonly views: ReleaseViews;
}

/** Relative to the API prefix (Location headers add it). */
export const RELEASES_PATH = '/releases';

type Action = 'create' | 'schedule' | 'postpone' | 'cancel';

const instant = { type: 'string', format: 'date-time' } as const;
const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const dataflowRef = { type: 'string', description: 'A dataflow as AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)' } as const;
const announcedAtField = {
  type: 'string',
  description: 'ISO-8601 UTC instant to the second, in the future: 2026-12-01T08:00:00Z (.000Z accepted)',
  examples: ['2026-12-01T08:00:00Z'],
} as const;
const reasonField = { type: 'string', minLength: 1, maxLength: 2000, description: 'Why; shown on the public calendar' } as const;

const problems = problemResponses;

const publishabilitySchema = {
  type: ['object', 'null'],
  description: 'Drafts only: whether it may be scheduled, what blocks it, and what to know before scheduling it',
  properties: { ok: { type: 'boolean' }, problems: { type: 'array', items: { type: 'string' } }, warnings: { type: 'array', items: { type: 'string' } } },
  required: ['ok', 'problems', 'warnings'],
} as const;

const summaryProperties = {
  code: { type: 'string' },
  title: { type: 'string' },
  note: nullableString,
  dataflows: { type: 'array', items: dataflowRef },
  state: { type: 'string', enum: [...RELEASE_STATES] },
  calendarState: { type: ['string', 'null'], enum: ['scheduled', 'published', 'cancelled', null], description: 'As the public calendar shows it now' },
  visible: { type: 'boolean', description: 'Public now: it can no longer be postponed or cancelled' },
  createdAt: instant,
  announcedAt: nullableInstant,
  firstAnnouncedAt: nullableInstant,
  publishedAt: nullableInstant,
  revises: nullableString,
  uploads: { type: 'integer', description: 'Number of staged uploads' },
  publishability: publishabilitySchema,
} as const;
const summaryRequired = Object.keys(summaryProperties);

const releaseSummarySchema = { type: 'object', properties: summaryProperties, required: summaryRequired } as const;

const DETAIL = 'The release: its events with actors, its disclosure-control runs and its publishability';

const releaseDetailSchema = {
  type: 'object',
  properties: {
    ...summaryProperties,
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: instant,
          kind: { type: 'string', enum: [...RELEASE_EVENT_KINDS] },
          announcedAt: nullableInstant,
          previousAnnouncedAt: nullableInstant,
          reason: nullableString,
          actor: { ...nullableString, description: 'Token id and name (never public)' },
        },
        required: ['at', 'kind', 'announcedAt', 'previousAnnouncedAt', 'reason', 'actor'],
      },
    },
    protection: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          dataflow: dataflowRef,
          ranAt: instant,
          ranBy: { ...nullableString, description: 'Token id and name of who ran it' },
          method: { type: 'string', description: 'The method, in words' },
          summary: storedProtectionSummarySchema,
          passed: { type: 'boolean' },
        },
        required: ['dataflow', 'ranAt', 'ranBy', 'method', 'summary', 'passed'],
      },
    },
  },
  required: [...summaryRequired, 'events', 'protection'],
} as const;

const uploadSchema = {
  type: 'object',
  properties: {
    uploadId: { type: 'string' },
    dataflow: dataflowRef,
    provider: { type: 'string' },
    format: { type: 'string' },
    mapping: { type: 'string' },
    sha256: { type: 'string' },
    bytes: { type: 'integer' },
    series: { type: 'integer' },
    observations: { type: 'integer' },
    uploadedBy: { type: 'string', description: 'Token id of the uploader' },
    uploadedAt: instant,
  },
  required: ['uploadId', 'dataflow', 'provider', 'format', 'sha256', 'bytes', 'series', 'observations', 'uploadedBy', 'uploadedAt'],
} as const;

const codeParams = { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } as const;

const createSchema = {
  summary: 'Create a draft release (or a correction of a published one)',
  tags: ['releases'],
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'title', 'dataflows'],
    properties: {
      code: { type: 'string', pattern: RELEASE_CODE_PATTERN, description: 'Stable public identifier, e.g. 2026-CTS-01' },
      title: { type: 'string', minLength: 1, maxLength: 300 },
      dataflows: { type: 'array', items: dataflowRef, minItems: 1, maxItems: 100, uniqueItems: true },
      note: { type: 'string', maxLength: 4000 },
      revises: { type: 'string', minLength: 1, description: 'Code of the published release this draft corrects' },
    },
  },
  response: { 201: { ...releaseDetailSchema, description: 'Created: the draft release; Location names it' }, ...problems(400, 401, 403, 409, 429) },
} as const;

const listSchema = {
  summary: 'All releases, drafts included, with upload counts and publishability',
  tags: ['releases'],
  response: {
    200: { type: 'object', description: 'Every release, drafts included', properties: { releases: { type: 'array', items: releaseSummarySchema } }, required: ['releases'] },
    ...problems(401, 403, 429),
  },
} as const;

const detailSchema = {
  summary: 'One release: events with actors, disclosure-control runs, publishability',
  tags: ['releases'],
  params: codeParams,
  response: { 200: { ...releaseDetailSchema, description: DETAIL }, ...problems(401, 403, 404, 429) },
} as const;

const uploadsSchema = {
  summary: 'The staged uploads of a release',
  tags: ['releases'],
  params: codeParams,
  response: {
    200: {
      type: 'object',
      description: 'The staged uploads of the release, oldest first',
      properties: { release: { type: 'string', description: 'The release code' }, uploads: { type: 'array', items: uploadSchema } },
      required: ['release', 'uploads'],
    },
    ...problems(401, 403, 404, 429),
  },
} as const;

const moveResponse = { 200: { ...releaseDetailSchema, description: `Done. ${DETAIL}, as it is now` }, ...problems(400, 401, 403, 404, 409, 429) };

const scheduleSchema = {
  summary: 'Schedule a draft for an announced instant',
  description: 'Refused (409, with `problems`) while the release holds no data or a dataflow lacks a passing, current disclosure-control run.',
  tags: ['releases'],
  params: codeParams,
  body: { type: 'object', additionalProperties: false, required: ['announcedAt'], properties: { announcedAt: announcedAtField } },
  response: moveResponse,
} as const;

const postponeSchema = {
  summary: 'Move a scheduled release that is not yet public to another instant',
  tags: ['releases'],
  params: codeParams,
  body: { type: 'object', additionalProperties: false, required: ['announcedAt', 'reason'], properties: { announcedAt: announcedAtField, reason: reasonField } },
  response: moveResponse,
} as const;

const cancelSchema = {
  summary: 'Cancel a draft, or a scheduled release that is not yet public',
  tags: ['releases'],
  params: codeParams,
  body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: reasonField } },
  response: moveResponse,
} as const;

/** Audits a write that failed before its handler (a body that is not JSON or fails the schema). */
function auditFailures(action: Action): onErrorAsyncHookHandler {
  return async function auditFailure(request, _reply, error: FastifyError) {
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    const status = error.validation ? 400 : clientError ? error.statusCode! : 500;
    request.server.audit.record({
      actor: request.principal,
      action: `release.${action}`,
      target: targetOf(request),
      outcome: 'failure',
      client: request.ip,
      detail: { status, error: error.validation ? validationProblem(error).detail : clientError ? error.message : 'internal error' },
    });
  };
}

function targetOf(request: FastifyRequest): string | undefined {
  const params = request.params as { code?: string } | undefined;
  if (params?.code) return params.code;
  const body = request.body as { code?: unknown } | undefined;
  return typeof body?.code === 'string' ? body.code : undefined;
}

export async function releaseRoutes(app: FastifyInstance, opts: ReleaseRoutesOptions): Promise<void> {
  const { workflow, views } = opts;
  publisherScope(app);

  /** Audits the outcome of a write and answers it: the release's detail, or the refusal. */
  function answer(request: FastifyRequest, reply: FastifyReply, action: Action, code: string, outcome: Outcome, detail: Record<string, unknown>) {
    const principal = request.principal!;
    if (!outcome.ok) {
      const { refusal } = outcome;
      const problems = refusal.details.extensions?.problems;
      request.server.audit.record({
        actor: principal,
        action: `release.${action}`,
        target: code,
        outcome: refusal.kind === 'conflict' ? 'refused' : 'failure',
        client: request.ip,
        detail: { ...detail, status: httpStatusOf(refusal.kind), type: refusal.code, reason: refusal.message, ...(problems ? { problems } : {}) },
      });
      return sendServiceProblem(reply, refusal);
    }
    const { release } = outcome;
    request.server.audit.record({
      actor: principal,
      action: `release.${action}`,
      target: release.code,
      outcome: 'success',
      client: request.ip,
      detail: { ...detail, state: release.state, announcedAt: release.announcedAt, ...(outcome.before ? { previousState: outcome.before.state, previousAnnouncedAt: outcome.before.announcedAt } : {}) },
    });
    if (action === 'create') reply.code(201).header('Location', `${API_PREFIX}${RELEASES_PATH}/${encodeURIComponent(release.code)}`);
    return reply.send(views.detail(release.code));
  }

  const notFound = (reply: FastifyReply, code: string) => sendServiceProblem(reply, new ServiceError('not-found', `No release ${code}`));

  app.post<{ Body: NewReleaseRequest }>(RELEASES_PATH, { schema: createSchema, onError: auditFailures('create') }, async (request, reply) => {
    const body = request.body;
    const outcome = workflow.create(body);
    return answer(request, reply, 'create', body.code, outcome, { title: body.title, dataflows: body.dataflows, ...(body.revises ? { revises: body.revises } : {}) });
  });

  app.get(RELEASES_PATH, { schema: listSchema }, async () => ({ releases: views.list() }));

  app.get<{ Params: { code: string } }>(`${RELEASES_PATH}/:code`, { schema: detailSchema }, async (request, reply) => {
    return views.detail(request.params.code) ?? notFound(reply, request.params.code);
  });

  app.get<{ Params: { code: string } }>(`${RELEASES_PATH}/:code/uploads`, { schema: uploadsSchema }, async (request, reply) => {
    const uploads = views.uploads(request.params.code);
    return uploads ? { release: request.params.code, uploads } : notFound(reply, request.params.code);
  });

  app.post<{ Params: { code: string }; Body: { announcedAt: string } }>(
    `${RELEASES_PATH}/:code/schedule`,
    { schema: scheduleSchema, onError: auditFailures('schedule') },
    async (request, reply) => {
      const { code } = request.params;
      const outcome = workflow.schedule(code, request.body.announcedAt, actorOf(request.principal!));
      return answer(request, reply, 'schedule', code, outcome, { requested: request.body.announcedAt });
    },
  );

  app.post<{ Params: { code: string }; Body: { announcedAt: string; reason: string } }>(
    `${RELEASES_PATH}/:code/postpone`,
    { schema: postponeSchema, onError: auditFailures('postpone') },
    async (request, reply) => {
      const { code } = request.params;
      const outcome = workflow.postpone(code, request.body.announcedAt, request.body.reason, actorOf(request.principal!));
      return answer(request, reply, 'postpone', code, outcome, { requested: request.body.announcedAt, reason: request.body.reason });
    },
  );

  app.post<{ Params: { code: string }; Body: { reason: string } }>(
    `${RELEASES_PATH}/:code/cancel`,
    { schema: cancelSchema, onError: auditFailures('cancel') },
    async (request, reply) => {
      const { code } = request.params;
      const outcome = workflow.cancel(code, request.body.reason, actorOf(request.principal!));
      return answer(request, reply, 'cancel', code, outcome, { reason: request.body.reason });
    },
  );
}
