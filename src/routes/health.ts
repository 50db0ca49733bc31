/** GET /health: 200 once the server has opened storage and loaded its structures. */
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether the service is up: 200 once storage is open and the structures are loaded',
        tags: ['service'],
        response: { 200: { description: 'Ready', type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );
}
