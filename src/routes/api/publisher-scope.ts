/**
 * What every publisher-only route plugin sets up: the strict body validator, the problem schema
 * for documented responses, the role guard on every request (before any body is read), and
 * `Cache-Control: no-store` (drafts and true values are confidential).
 */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../auth/plugin.js';
import { adminValidatorCompiler } from '../admin/validation.js';
import { problemSchema } from '../admin/schemas.js';

export function publisherScope(app: FastifyInstance): void {
  app.setValidatorCompiler(adminValidatorCompiler);
  app.addSchema(problemSchema);
  app.addHook('onRequest', requireRole('publisher'));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
