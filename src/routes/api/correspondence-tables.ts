/**
 * Correspondence tables (national offence code → ICCS) over the JSON API. Publishers create,
 * replace and remove them; anyone may read them, as they are public SDMX structures too
 * (`/sdmx/2.1/structureset/...`, `/sdmx/3.0/structure/representationmap/...`). A table is sent
 * as CSV (NATIONAL_CODE, NATIONAL_NAME, ICCS_CODE) or as JSON rows. Every write is audited.
 */
import { API_PREFIX } from './prefix.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../auth/principal.js';
import { requireRole } from '../../auth/plugin.js';
import { ServiceError } from '../../errors.js';
import { problemResponses } from '../../http/problem.js';
import { sendServiceProblem } from '../../http/problem-errors.js';
import { correspondenceSummarySchema, correspondenceTableSchema } from './schemas/publisher-schemas.js';
import type { CorrespondenceService, CorrespondenceSummary } from '../../services/correspondence/correspondence-service.js';
import type { CorrespondenceRow } from '../../services/correspondence/rows.js';

export interface CorrespondenceRoutesOptions {
  readonly correspondence: CorrespondenceService;
  /** Largest CSV table accepted (bytes). */
  readonly maxTableBytes: number;
}

/** Route paths are relative to the API prefix; links in bodies are absolute. */
const BASE = '/correspondence-tables';

interface TableParams {
  agencyId: string;
  id: string;
  version: string;
}

interface TableQuery {
  name?: string;
  codelistId?: string;
  description?: string;
}

interface JsonTable {
  name: string;
  codelistId: string;
  description?: string;
  rows: CorrespondenceRow[];
}

const PARAMS = {
  type: 'object',
  properties: { agencyId: { type: 'string' }, id: { type: 'string' }, version: { type: 'string' } },
  required: ['agencyId', 'id', 'version'],
} as const;

const PUT_SCHEMA = {
  params: PARAMS,
  querystring: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'English name of the table (CSV bodies)' },
      codelistId: { type: 'string', description: 'Id of the national codelist, e.g. CL_OFFENCE_XYZ_POLICE (CSV bodies)' },
      description: { type: 'string' },
    },
  },
  body: {
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1 },
            codelistId: { type: 'string', minLength: 1 },
            description: { type: 'string' },
            rows: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  nationalCode: { type: 'string' },
                  nationalName: { type: 'string' },
                  otherNames: { type: 'object', additionalProperties: { type: 'string' } },
                  iccsCode: { type: 'string' },
                },
                required: ['nationalCode'],
                additionalProperties: false,
              },
            },
          },
          required: ['name', 'codelistId', 'rows'],
          additionalProperties: false,
        },
      },
      'text/csv': { schema: { type: 'string' } },
      'text/plain': { schema: { type: 'string' } },
    },
  },
  tags: ['correspondence'],
  summary: 'Create or replace a correspondence table (publisher)',
  description:
    'The table is sent as CSV (NATIONAL_CODE, NATIONAL_NAME, ICCS_CODE; name and codelistId in the query) or as JSON rows. ' +
    'It is checked whole: a table breaking a rule is refused with 422 (invalid-correspondence-table), one clashing with ' +
    'stored structures with 409 (correspondence-conflict), every problem listed in `errors`; nothing is stored then.',
  response: {
    200: { ...correspondenceSummarySchema, description: 'Replaced; Location names the table' },
    201: { ...correspondenceSummarySchema, description: 'Created; Location names the table' },
    ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
  },
} as const;

const READ_SCHEMA = {
  params: PARAMS,
  tags: ['correspondence'],
  summary: 'A correspondence table with its rows',
  response: { 200: correspondenceTableSchema, ...problemResponses(404, 429) },
} as const;
const LIST_SCHEMA = {
  querystring: { type: 'object', properties: {} },
  tags: ['correspondence'],
  summary: 'All correspondence tables',
  response: {
    200: {
      type: 'object',
      description: 'Every correspondence table, without rows',
      properties: { tables: { type: 'array', items: correspondenceSummarySchema } },
      required: ['tables'],
      additionalProperties: false,
    },
    ...problemResponses(429),
  },
} as const;
const DELETE_SCHEMA = {
  params: PARAMS,
  tags: ['correspondence'],
  summary: 'Delete a correspondence table (publisher)',
  description: 'Removes the table and its national codelist when nothing else uses it; refused (409) when the stored structures still need them.',
  response: { 204: { type: 'null', description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 429) },
} as const;

function links(s: Pick<CorrespondenceSummary, 'agencyId' | 'id' | 'version'>) {
  return {
    self: `${API_PREFIX}${BASE}/${s.agencyId}/${s.id}/${s.version}`,
    sdmx21: `/sdmx/2.1/structureset/${s.agencyId}/${s.id}/${s.version}?references=children`,
    sdmx30: `/sdmx/3.0/structure/representationmap/${s.agencyId}/${s.id}/${s.version}?references=children`,
  };
}

/** How many problems a refused table had (its `errors`), for the audit. */
function problemCount(err: ServiceError): number {
  const errors = err.details.extensions?.errors;
  return Array.isArray(errors) ? errors.length : 0;
}

const notFound = (table: string) => new ServiceError('not-found', `No correspondence table ${table}`);

export async function correspondenceRoutes(app: FastifyInstance, opts: CorrespondenceRoutesOptions): Promise<void> {
  const service = opts.correspondence;
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: opts.maxTableBytes }, (_request, body, done) => done(null, body));

  app.get(BASE, { schema: LIST_SCHEMA }, async (_request, reply) => reply.send({ tables: service.list().map((s) => ({ ...s, links: links(s) })) }));

  app.get<{ Params: TableParams }>(`${BASE}/:agencyId/:id/:version`, { schema: READ_SCHEMA }, async (request, reply) => {
    const { agencyId, id, version } = request.params;
    const found = service.get(agencyId, id, version);
    if (!found) return sendServiceProblem(reply, notFound(`${agencyId}:${id}(${version})`));
    return reply.send({ ...found.summary, rows: found.definition.rows, links: links(found.summary) });
  });

  app.put<{ Params: TableParams; Querystring: TableQuery }>(
    `${BASE}/:agencyId/:id/:version`,
    { onRequest: requireRole('publisher'), schema: PUT_SCHEMA },
    async (request, reply) => {
      const principal = request.principal!;
      const { agencyId, id, version } = request.params;
      const target = `${agencyId}:${id}(${version})`;
      const audit = (outcome: 'success' | 'failure' | 'refused', detail: Record<string, unknown>) =>
        request.server.audit.record({ actor: principal, action: 'correspondence.save', target, outcome, client: request.ip, detail });
      let table: JsonTable;
      try {
        table = tableOf(request, service);
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        audit('failure', { reason: err.message });
        return sendServiceProblem(reply, err);
      }
      try {
        const saved = service.save({ agencyId, id, version, ...table }, actorOf(principal));
        audit('success', { created: saved.created, rows: table.rows.length });
        const summary = service.get(agencyId, id, version)!.summary;
        return reply.code(saved.created ? 201 : 200).header('Location', links(summary).self).send({ ...summary, links: links(summary) });
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        audit(err.kind === 'conflict' ? 'refused' : 'failure', { problems: problemCount(err) });
        return sendServiceProblem(reply, err);
      }
    },
  );

  app.delete<{ Params: TableParams }>(`${BASE}/:agencyId/:id/:version`, { onRequest: requireRole('publisher'), schema: DELETE_SCHEMA }, async (request, reply) => {
    const principal = request.principal!;
    const { agencyId, id, version } = request.params;
    const target = `${agencyId}:${id}(${version})`;
    try {
      const removed = service.remove(agencyId, id, version, actorOf(principal));
      request.server.audit.record({ actor: principal, action: 'correspondence.remove', target, outcome: removed ? 'success' : 'failure', client: request.ip, detail: removed ? { removed: removed.removed.length } : { reason: 'not found' } });
      if (!removed) return sendServiceProblem(reply, notFound(target));
      return reply.code(204).send();
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      request.server.audit.record({ actor: principal, action: 'correspondence.remove', target, outcome: 'refused', client: request.ip, detail: { problems: problemCount(err) } });
      return sendServiceProblem(reply, err);
    }
  });
}

/** The table from a CSV body (names in the query) or a JSON body; throws a ServiceError when it cannot be read. */
function tableOf(request: FastifyRequest<{ Querystring: TableQuery }>, service: CorrespondenceService): JsonTable {
  const body = request.body;
  if (typeof body === 'string') {
    const { name, codelistId, description } = request.query;
    if (!name || !codelistId) {
      throw new ServiceError('invalid-input', 'A CSV table needs ?name=...&codelistId=... (the table name and the id of its national codelist)');
    }
    return { name, codelistId, ...(description ? { description } : {}), rows: service.rowsOfCsv(body) };
  }
  const json = body as Partial<JsonTable> | undefined;
  if (!json || typeof json !== 'object' || typeof json.name !== 'string' || typeof json.codelistId !== 'string' || !Array.isArray(json.rows)) {
    throw new ServiceError(
      'invalid-input',
      'Send the table as text/csv (NATIONAL_CODE,NATIONAL_NAME,ICCS_CODE) or as JSON {name, codelistId, rows: [{nationalCode, nationalName, iccsCode}]}',
    );
  }
  return { name: json.name, codelistId: json.codelistId, ...(json.description ? { description: json.description } : {}), rows: json.rows };
}
