/**
 * Problem details (RFC 9457): the error body of every non-SDMX surface (/api/v1, admin). One
 * helper so that every refusal, from a bad token to an invalid upload, has the same shape, and
 * one JSON schema (`Problem`) that every route documents its refusals with.
 */
import type { FastifyReply } from 'fastify';
import { MEDIA } from '../sdmx/media-types.js';

export interface Problem {
  /** A URI naming the kind of problem; `about:blank` when the status says it all. */
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** Extension members (e.g. `errors`, `totalErrors`). */
  readonly [extension: string]: unknown;
}

/** Our problem types live under this base, documented in docs/api-errors.md. */
export const PROBLEM_BASE = 'https://iccs-sdmx.org/problems/';

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const body = { type: problem.type ?? 'about:blank', ...problem };
  return reply.code(problem.status).header('Content-Type', MEDIA.problemJson).send(Buffer.from(JSON.stringify(body)));
}

/** The `Problem` schema: added once per JSON surface scope, referenced as `Problem#`. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details (docs/api-errors.md lists the types)',
  properties: {
    type: { type: 'string', description: 'A URI naming the kind of problem' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    parameter: { type: 'string', description: 'The query parameter at fault' },
    allowed: { type: 'array', items: { type: 'string' }, description: 'The values the parameter accepts, when they are few' },
    errors: { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Each field or record at fault' },
  },
  required: ['type', 'title', 'status'],
} as const;

/** Response schemas for the given error statuses: `Problem` documents, as application/problem+json. */
export function problemResponses(...statuses: number[]): Record<string, ProblemResponse> {
  return Object.fromEntries(statuses.map((s) => [String(s), PROBLEM_RESPONSE]));
}

interface ProblemResponse {
  readonly description: string;
  readonly content: { readonly 'application/problem+json': { readonly schema: { readonly $ref: string } } };
}

const PROBLEM_RESPONSE: ProblemResponse = {
  description: 'Problem details (docs/api-errors.md)',
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
};
