/**
 * The upload endpoint: `POST /api/v1/uploads?dataflow=AGENCY:ID(VERSION)` for producers, and
 * `GET /api/v1/uploads/{uploadId}` for the uploader and publishers. The body is never parsed by
 * Fastify: it streams straight into the upload service (gunzipped when sent gzip-encoded).
 * Every attempt is audited with its outcome.
 */
import { API_PREFIX } from './prefix.js';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../../auth/plugin.js';
import { ServiceError } from '../../errors.js';
import { problemResponses } from '../../http/problem.js';
import { httpStatusOf, sendServiceProblem } from '../../http/problem-errors.js';
import { replayedUploadSchema, uploadSummarySchema } from './schemas/publisher-schemas.js';
import type { StoredUpload } from '../../storage/repositories.js';
import { uploadRefused, type UploadOutcome, type UploadService } from '../../services/upload/upload-service.js';

export interface UploadRoutesOptions {
  readonly uploads: UploadService;
}

interface UploadQuery {
  dataflow?: string;
  release?: string;
  provider?: string;
  mapping?: string;
  nationalColumn?: string;
}

const QUERY_SCHEMA = {
  type: 'object',
  properties: {
    dataflow: { type: 'string', description: 'The dataflow, AGENCY:ID(VERSION)' },
    release: { type: 'string', description: 'Code of a draft release to add to; a new draft is created when absent' },
    provider: { type: 'string', description: 'Data provider AGENCY:ID, when several supply the dataflow' },
    mapping: { type: 'string', description: 'Correspondence table AGENCY:ID(VERSION) for plain CSV with national offence codes' },
    nationalColumn: { type: 'string', description: 'Column of national offence codes (default NATIONAL_OFFENCE)' },
  },
  additionalProperties: false,
} as const;

const POST_SCHEMA = {
  querystring: QUERY_SCHEMA,
  tags: ['uploads'],
  summary: 'Upload a data file as staged data of a draft release',
  description:
    'The body is the file (SDMX-CSV, SDMX-ML, SDMX-JSON, or plain CSV with national offence codes and `mapping`), optionally ' +
    'gzip-encoded; its format is detected from its content. It is checked whole against the DSD: a file that cannot be read ' +
    'is refused with 400 (unreadable-upload), one that breaks the DSD with 422 (invalid-upload), every problem listed; nothing ' +
    'is stored then. The same bytes sent again to the same draft answer 200 with the first upload.',
  response: {
    200: replayedUploadSchema,
    201: { ...uploadSummarySchema, description: 'Stored as staged data of the draft release; Location names the upload' },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429),
  },
} as const;
const GET_SCHEMA = {
  params: { type: 'object', properties: { uploadId: { type: 'string' } }, required: ['uploadId'] },
  tags: ['uploads'],
  summary: 'An upload and the draft release it went into',
  description: 'Producers see their own uploads, publishers every upload.',
  response: { 200: uploadSummarySchema, ...problemResponses(401, 403, 404, 429) },
} as const;

function summary(upload: StoredUpload) {
  return {
    uploadId: upload.uploadId,
    release: { code: upload.releaseCode, state: upload.releaseState },
    dataflow: upload.dataflow,
    provider: upload.provider,
    format: upload.format,
    ...(upload.mapping ? { mapping: upload.mapping } : {}),
    sha256: upload.sha256,
    bytes: upload.bytes,
    series: upload.series,
    observations: upload.observations,
    uploadedAt: upload.uploadedAt,
  };
}

function bodyOf(request: FastifyRequest): AsyncIterable<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  return encoding === 'gzip' ? request.raw.pipe(createGunzip()) : request.raw;
}

function answer(reply: FastifyReply, outcome: UploadOutcome): FastifyReply {
  switch (outcome.kind) {
    case 'stored':
      return reply.code(201).header('Location', `${API_PREFIX}/uploads/${outcome.upload.uploadId}`).send(summary(outcome.upload));
    case 'already-stored':
      // The same bytes again: nothing new is stored, the first upload answers (idempotent).
      return reply.code(200).header('Location', `${API_PREFIX}/uploads/${outcome.upload.uploadId}`).send({ ...summary(outcome.upload), replayed: true });
    case 'invalid':
    case 'refused':
      return sendServiceProblem(reply, outcome.error);
  }
}

export async function uploadRoutes(app: FastifyInstance, opts: UploadRoutesOptions): Promise<void> {
  // Leave the body unread: the handler streams request.raw itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.post<{ Querystring: UploadQuery }>(
    '/uploads',
    {
      onRequest: requireRole('producer'),
      schema: POST_SCHEMA,
    },
    async (request, reply) => {
      const principal = request.principal!;
      const q = request.query;
      let outcome: UploadOutcome;
      try {
        outcome = await opts.uploads.upload({
          body: bodyOf(request),
          contentType: request.headers['content-type'],
          dataflow: q.dataflow,
          release: q.release,
          provider: q.provider,
          mapping: q.mapping,
          nationalColumn: q.nationalColumn,
          principal,
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'Z_DATA_ERROR') {
          outcome = uploadRefused('invalid-input', 'Content-Encoding says gzip, but the body is not valid gzip');
        } else {
          request.server.audit.record({ actor: principal, action: 'upload.create', target: q.dataflow, outcome: 'failure', client: request.ip, detail: { error: 'internal' } });
          throw err;
        }
      }
      request.server.audit.record({
        actor: principal,
        action: 'upload.create',
        target: q.dataflow,
        outcome: outcome.kind === 'stored' || outcome.kind === 'already-stored' ? 'success' : outcome.kind === 'invalid' ? 'failure' : 'refused',
        client: request.ip,
        detail:
          outcome.kind === 'stored' || outcome.kind === 'already-stored'
            ? { uploadId: outcome.upload.uploadId, release: outcome.upload.releaseCode, observations: outcome.upload.observations, bytes: outcome.upload.bytes, replayed: outcome.kind === 'already-stored' }
            : outcome.kind === 'invalid'
              ? { format: outcome.format, problems: outcome.problems.total, byRule: outcome.problems.byRule(), bytes: outcome.bytes }
              : { status: httpStatusOf(outcome.error.kind), reason: outcome.error.message },
      });
      return answer(reply, outcome);
    },
  );

  app.get<{ Params: { uploadId: string } }>(
    '/uploads/:uploadId',
    { onRequest: requireRole('producer', 'publisher'), schema: GET_SCHEMA },
    async (request, reply) => {
      const upload = opts.uploads.get(request.params.uploadId, request.principal!);
      if (!upload) return sendServiceProblem(reply, new ServiceError('not-found', `No upload ${request.params.uploadId} that this token may see`));
      return reply.send(summary(upload));
    },
  );
}
