/**
 * Disclosure control over the authenticated API (role publisher only): run protection on a
 * draft release (or audit a pattern the publisher supplies), read the runs with the LP audit
 * and the suppression pattern with true values, and read or set a dataflow's rules. True values
 * leave the server only here; every write and refusal is audited, and so is every read of true
 * values (who read which release's confidential cells, and when); nothing may be cached.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publisherScope } from './publisher-scope.js';
import { actorOf } from '../../auth/principal.js';
import { InvalidRulesError } from '../../disclosure/rules.js';
import { problemResponses } from '../../http/problem.js';
import { httpStatusOf, sendServiceProblem } from '../../http/problem-errors.js';
import { ServiceError } from '../../errors.js';
import { SuppliedPatternError, UnknownDataflowError, type ProtectionService, type SuppliedCell } from '../../services/protection/protection-service.js';
import type { Repositories } from '../../storage/repositories.js';
import { ReleaseStateError } from '../../storage/repositories.js';
import {
  dataflowRef,
  instant,
  nullableInstant,
  nullableString,
  protectionSummarySchema,
  releaseState,
  rulesSchema,
  storedCellAuditSchema,
  storedFindingsSchema,
  storedProtectionSummarySchema,
  storedRulesSchema,
} from './schemas/publisher-schemas.js';

export interface ProtectionRoutesOptions {
  readonly protection: ProtectionService;
  readonly repositories: Repositories;
}

const problems = problemResponses;
const flowParams = {
  type: 'object',
  required: ['agency', 'id', 'version'],
  properties: { agency: { type: 'string' }, id: { type: 'string' }, version: { type: 'string' } },
} as const;
const codeParams = { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } as const;

const runSchema = {
  tags: ['protection'],
  summary: 'Run disclosure control on a draft release (or audit a supplied pattern)',
  description:
    'Without a body, computes primary and secondary suppression for every dataflow the draft holds data for and audits it by linear ' +
    'programming. With `dataflow` and `pattern` (count cells as series key and period), audits that pattern as given: primaries it ' +
    'leaves out, or cells it leaves recoverable within their protection interval, make the run fail and the release unschedulable.',
  params: codeParams,
  body: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      dataflow: { type: 'string' },
      pattern: {
        type: 'array',
        maxItems: 1_000_000,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'period'],
          properties: { key: { type: 'string', maxLength: 500 }, period: { type: 'string', maxLength: 40 } },
        },
      },
    },
  },
  response: {
    200: {
      type: 'object',
      description: 'The run: per dataflow, whether its pattern passed the audit and what it did (stored with the release)',
      properties: {
        release: { type: 'string', description: 'The release code' },
        passed: { type: 'boolean', description: 'Every dataflow passed: the release may be scheduled' },
        dataflows: {
          type: 'array',
          items: {
            type: 'object',
            properties: { dataflow: dataflowRef, passed: { type: 'boolean' }, summary: protectionSummarySchema },
            required: ['dataflow', 'passed', 'summary'],
            additionalProperties: false,
          },
        },
      },
      required: ['release', 'passed', 'dataflows'],
      additionalProperties: false,
    },
    ...problems(400, 401, 403, 404, 409, 429),
  },
} as const;

const runsSchema = {
  tags: ['protection'],
  summary:
    'The disclosure-control runs of a release: rules, summary, audit per protected cell, data-quality findings and the suppression ' +
    'pattern with true values (each read is audited)',
  params: codeParams,
  response: {
    200: {
      type: 'object',
      description: 'The latest run of each dataflow of the release, with true values (confidential: never cache or forward)',
      properties: {
        release: { type: 'string', description: 'The release code' },
        state: releaseState,
        runs: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              dataflow: dataflowRef,
              ranAt: instant,
              ranBy: { ...nullableString, description: 'Token id and name of who ran it' },
              method: { type: 'string', description: 'The method, in words' },
              rules: storedRulesSchema,
              passed: { type: 'boolean' },
              summary: storedProtectionSummarySchema,
              audit: { type: 'array', items: storedCellAuditSchema, description: 'Every protected cell as audited, with its true value' },
              findings: storedFindingsSchema,
              suppressed: {
                type: 'array',
                description: 'The suppression pattern, with true values',
                items: {
                  type: 'object',
                  properties: {
                    key: { type: 'string', description: 'Series key' },
                    period: { type: 'string', description: 'Time period' },
                    kind: { type: 'string', enum: ['primary', 'secondary', 'derived'] },
                    value: { type: ['number', 'null'], description: 'The true value (confidential)' },
                  },
                  required: ['key', 'period', 'kind', 'value'],
                  additionalProperties: false,
                },
              },
            },
            required: ['dataflow', 'ranAt', 'ranBy', 'method', 'rules', 'passed', 'summary', 'audit', 'findings', 'suppressed'],
            additionalProperties: false,
          },
        },
      },
      required: ['release', 'state', 'runs'],
      additionalProperties: false,
    },
    ...problems(401, 403, 404, 429),
  },
} as const;

const rulesOfSchema = {
  tags: ['protection'],
  summary: "A dataflow's disclosure-control rules (the defaults when none are set)",
  params: flowParams,
  response: {
    200: {
      type: 'object',
      description: 'The rules in force',
      properties: {
        dataflow: dataflowRef,
        rules: rulesSchema,
        default: { type: 'boolean', description: 'True when no rules were set: these are the defaults' },
        updatedAt: { ...nullableInstant, description: 'When the rules were set; null for the defaults' },
        updatedBy: { ...nullableString, description: 'Who set them (token id and name); null for the defaults' },
      },
      required: ['dataflow', 'rules', 'default', 'updatedAt', 'updatedBy'],
      additionalProperties: false,
    },
    ...problems(401, 403, 404, 429),
  },
} as const;

const setRulesSchema = {
  tags: ['protection'],
  summary: "Set a dataflow's disclosure-control rules (any field left out keeps its default)",
  params: flowParams,
  body: { type: 'object' },
  response: {
    200: {
      type: 'object',
      description: 'Stored: the rules now in force',
      properties: {
        dataflow: dataflowRef,
        rules: rulesSchema,
        default: { type: 'boolean', const: false, description: 'Always false: rules are set' },
      },
      required: ['dataflow', 'rules', 'default'],
      additionalProperties: false,
    },
    ...problems(400, 401, 403, 404, 429),
  },
} as const;

export async function protectionRoutes(app: FastifyInstance, opts: ProtectionRoutesOptions): Promise<void> {
  const { protection, repositories } = opts;
  publisherScope(app);

  /** Audits a refused write and answers it in the catalogue's words; a conflict is `refused`, anything else a `failure`. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, action: string, target: string, err: ServiceError) => {
    const status = httpStatusOf(err.kind);
    request.server.audit.record({
      actor: request.principal!,
      action,
      target,
      outcome: err.kind === 'conflict' ? 'refused' : 'failure',
      client: request.ip,
      detail: { status, reason: err.message, ...(err.details.extensions ?? {}) },
    });
    return sendServiceProblem(reply, err);
  };
  const noRelease = (code: string) => new ServiceError('not-found', `No release ${code}`);

  app.post<{ Params: { code: string }; Body: { dataflow?: string; pattern?: SuppliedCell[] } | null }>(
    '/releases/:code/protection',
    { schema: runSchema },
    async (request, reply) => {
      const { code } = request.params;
      const release = repositories.releases.byCode(code);
      if (!release) return refuse(request, reply, 'protection.run', code, noRelease(code));
      if (release.state !== 'draft') {
        return refuse(request, reply, 'protection.run', code, new ReleaseStateError(`Release ${code} is ${release.state}: only a draft's data can be protected`));
      }
      const body = request.body ?? {};
      if ((body.pattern === undefined) !== (body.dataflow === undefined)) {
        return refuse(request, reply, 'protection.run', code, new ServiceError('invalid-input', 'A supplied pattern needs both `dataflow` and `pattern`'));
      }
      const supplied = body.pattern && body.dataflow ? { dataflow: body.dataflow, cells: body.pattern } : undefined;
      try {
        const results = await protection.protect(release, actorOf(request.principal!), supplied);
        request.server.audit.record({
          actor: request.principal!,
          action: 'protection.run',
          target: code,
          outcome: 'success',
          client: request.ip,
          detail: { supplied: supplied !== undefined, dataflows: results.map((r) => ({ dataflow: r.dataflow, ...r.summary.audit })) },
        });
        return { release: code, passed: results.every((r) => r.passed), dataflows: results };
      } catch (err) {
        if (err instanceof SuppliedPatternError || err instanceof UnknownDataflowError) {
          return refuse(request, reply, 'protection.run', code, new ServiceError('invalid-input', err.message));
        }
        if (err instanceof ReleaseStateError) return refuse(request, reply, 'protection.run', code, err);
        throw err;
      }
    },
  );

  app.get<{ Params: { code: string } }>(
    '/releases/:code/protection',
    { schema: runsSchema },
    async (request, reply) => {
      const release = repositories.releases.byCode(request.params.code);
      if (!release) return sendServiceProblem(reply, noRelease(request.params.code));
      const runs = repositories.protection.runsOf(release.pk).map((run) => ({
        dataflow: run.dataflow,
        ranAt: run.ranAt,
        ranBy: run.ranBy,
        method: run.method,
        rules: run.rules,
        passed: run.passed,
        summary: run.summary,
        audit: run.audit,
        findings: run.findings ?? {},
        suppressed: repositories.protection.suppressionsOf(release.pk, run.dataflow).map((s) => ({ key: s.key, period: s.timePeriod, kind: s.kind, value: s.value })),
      }));
      request.server.audit.record({
        actor: request.principal!,
        action: 'protection.read',
        target: release.code,
        outcome: 'success',
        client: request.ip,
        detail: { dataflows: runs.map((r) => r.dataflow), suppressedCells: runs.reduce((n, r) => n + r.suppressed.length, 0) },
      });
      return { release: release.code, state: release.state, runs };
    },
  );

  app.get<{ Params: { agency: string; id: string; version: string } }>(
    '/protection-rules/:agency/:id/:version',
    { schema: rulesOfSchema },
    async (request, reply) => {
      const { agency, id, version } = request.params;
      const dataflow = `${agency}:${id}(${version})`;
      try {
        const { rules, stored } = protection.rulesOf(dataflow);
        return { dataflow, rules, default: stored === undefined, updatedAt: stored?.updatedAt ?? null, updatedBy: stored?.updatedBy ?? null };
      } catch (err) {
        if (err instanceof UnknownDataflowError) return sendServiceProblem(reply, new ServiceError('not-found', err.message));
        throw err;
      }
    },
  );

  app.put<{ Params: { agency: string; id: string; version: string }; Body: unknown }>(
    '/protection-rules/:agency/:id/:version',
    { schema: setRulesSchema },
    async (request, reply) => {
      const { agency, id, version } = request.params;
      const dataflow = `${agency}:${id}(${version})`;
      try {
        const rules = protection.setRules(dataflow, request.body, actorOf(request.principal!));
        request.server.audit.record({ actor: request.principal!, action: 'protection.rules', target: dataflow, outcome: 'success', client: request.ip, detail: { rules } });
        return { dataflow, rules, default: false };
      } catch (err) {
        if (err instanceof InvalidRulesError) {
          return refuse(request, reply, 'protection.rules', dataflow, new ServiceError('invalid-input', err.message, { extensions: { problems: err.problems } }));
        }
        if (err instanceof UnknownDataflowError) return refuse(request, reply, 'protection.rules', dataflow, new ServiceError('not-found', err.message));
        throw err;
      }
    },
  );
}
