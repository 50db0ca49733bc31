/** The audit log over the API (role admin): filtered, newest first, paged by a cursor. */
import type { FastifyInstance } from 'fastify';
import type { AuditFilter } from '../../audit/audit-log.js';
import { auditSchema } from './schemas.js';

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: AuditFilter }>('/audit', { schema: auditSchema }, async (request) => app.audit.page(request.query));
}
