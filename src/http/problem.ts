/**
 * Problem details (RFC 9457): the error body of every non-SDMX surface (/api/v1, admin). One
 * helper so that every refusal, from a bad token to an invalid upload, has the same shape.
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
