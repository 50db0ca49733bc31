/**
 * What every publisher-only route plugin sets up: the role guard on every request (before any
 * body is read), and `Cache-Control: no-store` (drafts and true values are confidential). The
 * strict validator and the problem schema come from the API scope (routes/api/index.ts).
 */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../auth/plugin.js';

export function publisherScope(app: FastifyInstance): void {
  app.addHook('onRequest', requireRole('publisher'));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
