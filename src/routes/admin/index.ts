/**
 * The admin API under /api/v1/admin: token management and the audit log, for the admin role
 * only. Nothing here may be cached anywhere (a new token's secret is in a response body).
 */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../auth/plugin.js';
import { tokenRoutes, type TokenRouteOptions } from './token-routes.js';
import { auditRoutes } from './audit-routes.js';

/** Relative to the API prefix. */
export const ADMIN_PREFIX = '/admin';

export async function adminRoutes(app: FastifyInstance, opts: TokenRouteOptions): Promise<void> {
  app.addHook('onRequest', requireRole('admin'));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    return payload;
  });
  await app.register(tokenRoutes, { knownDataflows: opts.knownDataflows, clock: opts.clock });
  await app.register(auditRoutes);
}
