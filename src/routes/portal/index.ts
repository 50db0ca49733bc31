/**
 * The open data portal for people (issue 17): server-rendered HTML in English and Spanish under
 * `/en/` and `/es/`, readable without JavaScript. Pages are Preact components rendered to a
 * string (text and attributes escaped by the renderer), over the same services as the APIs, so a
 * page shows exactly what is public at its instant.
 *
 * Each language is its own scope with its page groups, and its own not-found and error pages in
 * that language. Every answer carries the strict Content-Security-Policy of page-reply.ts (the one
 * style sheet is /assets/portal.css, made of styles/*.css).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../../project-root.js';
import { browsePages } from './browse-routes.js';
import { calendarPages } from './calendar-routes.js';
import { dataflowPages } from './dataflow-routes.js';
import { homePages } from './home-routes.js';
import { MESSAGES, PORTAL_LANGUAGES, type PortalLanguage } from './i18n.js';
import { EXPLORE_SCRIPT_PATH, PORTAL_CSS_PATH } from './layout.js';
import { metadataPages } from './metadata-routes.js';
import { HIDDEN_ROUTE, PAGE_HEADERS, sendMessage, sendNotFound } from './page-reply.js';
import type { PageGroup, PortalOptions } from './scope.js';

export { PORTAL_CSP } from './page-reply.js';
export type { PortalOptions } from './scope.js';

/**
 * The style sheets, read from the source tree (they are not compiled; found from src/ and dist/src/
 * alike) and served as one (/assets/portal.css) in the order of their names: each page group keeps
 * its own rules in its own file.
 */
export const PORTAL_STYLES_DIR = path.join(PROJECT_ROOT, 'src', 'routes', 'portal', 'styles');

export function portalStyleSheet(): Buffer {
  const files = readdirSync(PORTAL_STYLES_DIR).filter((f) => f.endsWith('.css')).sort();
  return Buffer.concat(files.map((f) => readFileSync(path.join(PORTAL_STYLES_DIR, f))));
}

/** The page groups of every language scope, in registration order. */
const PAGE_GROUPS: readonly PageGroup[] = [homePages, dataflowPages, calendarPages, browsePages, metadataPages];

/** The explorer's enhancement script, read from the source tree like the style sheets. */
export const EXPLORE_SCRIPT_FILE = path.join(PROJECT_ROOT, 'src', 'routes', 'portal', 'scripts', 'explore.js');

/** A file of the portal's own, with a strong ETag of its bytes, kept by browsers for a day. */
function serveAsset(app: FastifyInstance, urlPath: string, body: Buffer, contentType: string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  app.get(urlPath, HIDDEN_ROUTE, (request, reply) => {
    reply.headers({ ...PAGE_HEADERS, etag, 'cache-control': 'public, max-age=86400', 'content-type': contentType });
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(body);
  });
}

export async function portalRoutes(app: FastifyInstance, opts: PortalOptions): Promise<void> {
  serveAsset(app, PORTAL_CSS_PATH, portalStyleSheet(), 'text/css; charset=utf-8');
  serveAsset(app, EXPLORE_SCRIPT_PATH, readFileSync(EXPLORE_SCRIPT_FILE), 'text/javascript; charset=utf-8');
  // One scope per language: its pages, and its own not-found page in that language.
  for (const lang of PORTAL_LANGUAGES) await app.register(languageRoutes, { ...opts, lang, prefix: `/${lang}` });
}

async function languageRoutes(app: FastifyInstance, opts: PortalOptions & { readonly lang: PortalLanguage }): Promise<void> {
  const { lang } = opts;
  const scope = { services: opts.services, cacheLifetime: opts.cacheLifetime, graphql: opts.graphql, lang };
  for (const group of PAGE_GROUPS) group(app, scope);
  app.setNotFoundHandler((_request, reply) => sendNotFound(reply, lang, MESSAGES[lang].notFoundText));
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'portal page failed');
    return sendMessage(reply, 500, lang, MESSAGES[lang].serverErrorTitle, MESSAGES[lang].serverError);
  });
}
