/**
 * How every portal page is answered: the security headers (a strict same-origin
 * Content-Security-Policy, no framing, no sniffing), a weak ETag of the HTML, a Cache-Control that
 * never reaches past the next announced release instant, 304 for a current copy, and the HTML
 * pages for not found and failures in the page's language.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { sameOriginCsp } from '../../http/content-security-policy.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { etagMatches } from '../../http/conditional-requests.js';
import { MessagePage } from './message.js';
import { MESSAGES, type PortalLanguage } from './i18n.js';

export const PORTAL_CSP = sameOriginCsp();

export const PAGE_HEADERS = {
  'content-security-policy': PORTAL_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
} as const;

/** Portal routes are not part of the API documents. */
export const HIDDEN_ROUTE = { schema: { hide: true } } as const;

const DOCTYPE = '<!doctype html>';

/** A component rendered as a whole HTML document. */
export function renderDocument(page: VNode): string {
  return DOCTYPE + renderToString(page);
}

/** A page with its validators: a weak ETag of its HTML, Cache-Control until the next release instant, 304 for a current copy. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: VNode, lifetime: CacheLifetime): FastifyReply {
  const html = renderDocument(page);
  const etag = `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
  reply.headers({ ...PAGE_HEADERS, etag, 'cache-control': lifetime.publicCacheControl(), 'content-type': 'text/html; charset=utf-8' });
  // No Last-Modified is sent (a page mixes data and calendar): only the ETag validates a copy.
  const inm = request.headers['if-none-match'];
  if (typeof inm === 'string' && etagMatches(inm, etag)) return reply.code(304).send();
  return reply.send(html);
}

export function sendNotFound(reply: FastifyReply, lang: PortalLanguage, message: string): FastifyReply {
  return sendMessage(reply, 404, lang, MESSAGES[lang].notFoundTitle, message);
}

/** A page that only says something (not found, a refused selection, our failure), never cached as content. */
export function sendMessage(reply: FastifyReply, status: number, lang: PortalLanguage, title: string, message: string): FastifyReply {
  return reply
    .code(status)
    .headers({ ...PAGE_HEADERS, 'cache-control': status >= 500 ? 'no-store' : 'no-cache', 'content-type': 'text/html; charset=utf-8' })
    .send(renderDocument(MessagePage({ lang, title, message })));
}
