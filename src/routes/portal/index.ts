/**
 * The open data portal for people (issue 17, in progress): server-rendered HTML in English and
 * Spanish under `/en/` and `/es/`, readable without JavaScript. Pages are Preact components
 * rendered to a string (text and attributes escaped by the renderer), over the same services as
 * the APIs: the dataflow catalogue and the public calendar, so a page shows exactly what is
 * public at its instant.
 *
 * Every answer carries a strict Content-Security-Policy (same-origin only, no inline script or
 * style: the one style sheet is /assets/portal.css), a weak ETag of the page and a Cache-Control
 * that never reaches past the next announced release instant; errors are HTML pages in the
 * page's language.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ServiceError } from '../../errors.js';
import { sameOriginCsp } from '../../http/content-security-policy.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { etagMatches } from '../../http/conditional-requests.js';
import { PROJECT_ROOT } from '../../project-root.js';
import type { CalendarService } from '../../services/calendar/calendar.js';
import type { DataflowCatalogue } from '../../services/catalogue/dataflows.js';
import { DataflowPage, MessagePage } from './dataflow.js';
import { HomePage } from './home.js';
import { MESSAGES, PORTAL_LANGUAGES, type PortalLanguage } from './i18n.js';
import { PORTAL_CSS_PATH } from './layout.js';

export const PORTAL_CSP = sameOriginCsp();

/** The style sheet, read from the source tree (it is not compiled), found from src/ and dist/src/ alike. */
export const PORTAL_CSS_FILE = path.join(PROJECT_ROOT, 'src', 'routes', 'portal', 'portal.css');

export interface PortalOptions {
  readonly catalogue: DataflowCatalogue;
  readonly calendar: CalendarService;
  readonly cacheLifetime: CacheLifetime;
}

const PAGE_HEADERS = {
  'content-security-policy': PORTAL_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
} as const;

const hidden = { hide: true } as const;

export async function portalRoutes(app: FastifyInstance, opts: PortalOptions): Promise<void> {
  const css = readFileSync(PORTAL_CSS_FILE);
  const cssEtag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 32)}"`;
  app.get(PORTAL_CSS_PATH, { schema: hidden }, (request, reply) => {
    reply.headers({ ...PAGE_HEADERS, etag: cssEtag, 'cache-control': 'public, max-age=86400', 'content-type': 'text/css; charset=utf-8' });
    if (request.headers['if-none-match'] === cssEtag) return reply.code(304).send();
    return reply.send(css);
  });
  // One scope per language: its pages, and its own not-found page in that language.
  for (const lang of PORTAL_LANGUAGES) await app.register(languageRoutes, { ...opts, lang, prefix: `/${lang}` });
}

async function languageRoutes(app: FastifyInstance, opts: PortalOptions & { readonly lang: PortalLanguage }): Promise<void> {
  const { lang } = opts;
  app.get('/', { schema: hidden }, async (request, reply) => {
    const { body } = await opts.catalogue.list(lang);
    const calendar = opts.calendar.view().items.map((i) => i.entry);
    return sendPage(request, reply, HomePage({ lang, asOf: body.asOf, dataflows: body.dataflows, calendar }), opts.cacheLifetime);
  });

  app.get<{ Params: { id: string } }>('/dataflows/:id', { schema: hidden }, async (request, reply) => {
    let detail;
    try {
      detail = (await opts.catalogue.detail(request.params.id, undefined, undefined, lang)).body.dataflow;
    } catch (err) {
      if (err instanceof ServiceError && (err.kind === 'not-found' || err.kind === 'invalid-input')) return sendNotFound(reply, lang, MESSAGES[lang].notFoundDataflow);
      throw err;
    }
    const flowKey = `${detail.agency}:${detail.id}(${detail.version})`;
    const releases = opts.calendar
      .view({ dataflows: [flowKey] })
      .items.map((i) => i.entry)
      .filter((e) => e.state !== 'cancelled')
      .sort((a, b) => b.announcedAt.localeCompare(a.announcedAt));
    return sendPage(request, reply, DataflowPage({ lang, dataflow: detail, releases }), opts.cacheLifetime);
  });

  app.setNotFoundHandler((_request, reply) => sendNotFound(reply, lang, MESSAGES[lang].notFoundText));
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'portal page failed');
    return reply
      .code(500)
      .headers({ ...PAGE_HEADERS, 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' })
      .send(DOCTYPE + renderToString(MessagePage({ lang, title: MESSAGES[lang].serverErrorTitle, message: MESSAGES[lang].serverError })));
  });
}

const DOCTYPE = '<!doctype html>';

/** A page with its validators: a weak ETag of its HTML, Cache-Control until the next release instant, 304 for a current copy. */
function sendPage(request: FastifyRequest, reply: FastifyReply, page: VNode, lifetime: CacheLifetime): FastifyReply {
  const html = DOCTYPE + renderToString(page);
  const etag = `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
  reply.headers({ ...PAGE_HEADERS, etag, 'cache-control': lifetime.publicCacheControl(), 'content-type': 'text/html; charset=utf-8' });
  // No Last-Modified is sent (a page mixes data and calendar): only the ETag validates a copy.
  const inm = request.headers['if-none-match'];
  if (typeof inm === 'string' && etagMatches(inm, etag)) return reply.code(304).send();
  return reply.send(html);
}

function sendNotFound(reply: FastifyReply, lang: PortalLanguage, message: string): FastifyReply {
  return reply
    .code(404)
    .headers({ ...PAGE_HEADERS, 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' })
    .send(DOCTYPE + renderToString(MessagePage({ lang, title: MESSAGES[lang].notFoundTitle, message })));
}
