/**
 * The API documentation: the OpenAPI document at `/openapi.json` and `/openapi.yaml` (generated,
 * plugins/openapi.ts) and Swagger UI at `/docs`, served from the @fastify/swagger-ui package
 * itself: nothing is loaded from another host, and the pages carry a strict
 * Content-Security-Policy (same-origin scripts and styles only, no inline script, no framing).
 */
import type { FastifyInstance } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import { stringify } from 'yaml';
import { sameOriginCsp } from '../../http/content-security-policy.js';

/** Same-origin everything (http/content-security-policy.ts); Swagger UI needs no inline style. */
export const DOCS_CSP = sameOriginCsp();

const hidden = { hide: true } as const;

export async function docsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: hidden }, async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(app.swagger()));
  app.get('/openapi.yaml', { schema: hidden }, async (_request, reply) =>
    reply.header('Content-Type', 'application/yaml; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(stringify(app.swagger())),
  );
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // validatorUrl: null keeps the UI from asking an outside validator for a badge.
    uiConfig: { validatorUrl: null, deepLinking: true, docExpansion: 'list', tryItOutEnabled: true },
    staticCSP: DOCS_CSP,
  });
}
