/**
 * The Content-Security-Policy of the pages that run scripts from this host (Swagger UI at /docs,
 * GraphiQL at /graphiql, later the portal): same-origin everything, `data:` for the fonts and
 * icons their style sheets embed, no frames, no plugins, no inline script, no eval. Inline styles
 * only as exact texts allowed by their hash (`styleHashes`), never 'unsafe-inline'.
 */
import { createHash } from 'node:crypto';

export function sameOriginCsp(inlineStyles: readonly string[] = []): string {
  const hashes = inlineStyles.map((style) => ` 'sha256-${createHash('sha256').update(style).digest('base64')}'`).join('');
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "connect-src 'self'",
    "font-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    `style-src 'self'${hashes}`,
  ].join('; ');
}
