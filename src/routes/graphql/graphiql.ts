/**
 * GraphiQL, the in-browser GraphQL IDE, at `/graphiql`, served entirely from this host: the page,
 * our small mounting script (graphiql-app.js beside this module) and a style sheet of our own,
 * and the UMD builds of React, ReactDOM and GraphiQL read from their packages in node_modules
 * (the files mercurius's own IDE would load from a CDN). Nothing is loaded from another host,
 * and every answer carries a strict Content-Security-Policy: same-origin scripts and styles
 * only, no inline script, no eval, no framing. The endpoint and the default query reach the
 * script through HTML-escaped data- attributes, not through inline code.
 *
 * The files are read once, when the plugin is registered: a missing package or script stops
 * start-up instead of serving a page that cannot work. None of these routes is in OpenAPI.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROJECT_ROOT } from '../../project-root.js';
import { sameOriginCsp } from '../../http/content-security-policy.js';
import { etagMatches } from '../../http/conditional-requests.js';
import { escapeHtml } from '../../text/html.js';

export interface GraphiqlOptions {
  /** The GraphQL endpoint, a path on this host (connect-src 'self'), e.g. `/graphql`. */
  readonly endpoint: string;
  /** What the query editor shows on a first visit (GraphiQL keeps later edits in localStorage). */
  readonly defaultQuery: string;
}

/**
 * The one <style> element GraphiQL 3 inserts: while a dialog (settings, keyboard shortcuts) is
 * open, Radix's dialog locks the page's scrolling through react-remove-scroll-bar, which writes
 * this text (its pixel values are the scroll-bar gap and the body's margins, all 0 on this page:
 * body margin 0, #graphiql exactly the viewport high, so no scroll bar). Allowing this exact text
 * by its hash, as the front door does for its own style, keeps 'unsafe-inline' out of style-src.
 * Should the text ever differ (another GraphiQL version, an unusual browser), the style is
 * merely blocked: the page does not scroll anyway, and the dialog works without it.
 * Written line by line, so that no editor trims the blanks the hash depends on.
 */
export const GRAPHIQL_SCROLL_LOCK_STYLE = [
  '',
  '  .with-scroll-bars-hidden {',
  '   overflow: hidden !important;',
  '   padding-right: 0px !important;',
  '  }',
  '  body {',
  '    overflow: hidden !important;',
  '    overscroll-behavior: contain;',
  '    position: relative !important;',
  '    padding-left: 0px;',
  '    padding-top: 0px;',
  '    padding-right: 0px;',
  '    margin-left:0;',
  '    margin-top:0;',
  '    margin-right: 0px !important;',
  '    ',
  '  }',
  '  ',
  '  .right-scroll-bar-position {',
  '    right: 0px !important;',
  '  }',
  '  ',
  '  .width-before-scroll-bar {',
  '    margin-right: 0px !important;',
  '  }',
  '  ',
  '  .right-scroll-bar-position .right-scroll-bar-position {',
  '    right: 0 !important;',
  '  }',
  '  ',
  '  .width-before-scroll-bar .width-before-scroll-bar {',
  '    margin-right: 0 !important;',
  '  }',
  '  ',
  '  body {',
  '    --removed-body-scroll-bar-size: 0px;',
  '  }',
  '',
].join('\n');

/**
 * As strict as GraphiQL 3 runs under (checked in Chromium, test/e2e/graphiql-chromium.test.ts):
 * same-origin everything; `data:` for the fonts and icons GraphiQL's style sheet embeds; no
 * frames, no plugins, no inline script, no eval; no inline style but the scroll lock above.
 * GraphiQL, CodeMirror and React otherwise set styles through the CSSOM (element.style), which
 * style-src does not govern.
 */
export const GRAPHIQL_CSP = sameOriginCsp([GRAPHIQL_SCROLL_LOCK_STYLE]);

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/**
 * The page's own few lines of style: GraphiQL fills the window. GraphiQL 3 has no narrow layout
 * (its editors and the answer side by side leave a phone a few characters per line), so on
 * narrow screens the answer goes below the editors, the width-dragging bar (inline display set
 * through the CSSOM, hence !important) hidden.
 */
const APP_CSS =
  'body{margin:0}\n' +
  '#graphiql{height:100vh;height:100dvh}\n' +
  '@media (max-width:40rem){' +
  '.graphiql-container .graphiql-sessions{margin:var(--px-8)}' +
  '.graphiql-container .graphiql-session{flex-direction:column}' +
  '.graphiql-container .graphiql-session>div{flex:1 1 0% !important}' +
  '.graphiql-container .graphiql-editors.full-height{margin-top:0}' +
  '.graphiql-container .graphiql-horizontal-drag-bar{display:none !important}' +
  '}\n' +
  '.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}\n' +
  'noscript p{font:1rem/1.5 system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1.25rem}\n';


interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly cacheControl: string;
}

/**
 * A weak ETag from the bytes: weak because @fastify/compress may send the same file gzipped,
 * and a strong validator would have to differ between the codings.
 */
function asset(body: Buffer, contentType: string, cacheControl: string): Asset {
  return { body, contentType, cacheControl, etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, a: Asset): FastifyReply {
  reply.header('ETag', a.etag).header('Cache-Control', a.cacheControl);
  const inm = request.headers['if-none-match'];
  if (typeof inm === 'string' && etagMatches(inm, a.etag)) return reply.code(304).send();
  return reply.type(a.contentType).send(a.body);
}

/** Vendor files change only with a package upgrade: browsers may keep them for a day. */
const VENDOR_CACHE = 'public, max-age=86400';
/** Our own files are small and change with a deploy: browsers revalidate them (304 by ETag). */
const OWN_CACHE = 'no-cache';

/** The four vendor files, by the name they are served under, read from their packages. */
function vendorFiles(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
  const files: [string, string, string][] = [
    ['graphiql.min.css', path.join(packageDir('graphiql'), 'graphiql.min.css'), CSS],
    ['graphiql.min.js', path.join(packageDir('graphiql'), 'graphiql.min.js'), JS],
    ['react.production.min.js', path.join(packageDir('react'), 'umd', 'react.production.min.js'), JS],
    ['react-dom.production.min.js', path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), JS],
  ];
  return new Map(files.map(([name, file, type]) => [name, asset(readFileSync(file), type, VENDOR_CACHE)]));
}

/** The script is a real file in src/ (not compiled), found from src/ under tsx and dist/src/ under node alike. */
export const GRAPHIQL_APP_SCRIPT = path.join(PROJECT_ROOT, 'src', 'routes', 'graphql', 'graphiql-app.js');

function page(opts: GraphiqlOptions): string {
  const endpoint = escapeHtml(opts.endpoint);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL: the GraphQL API of the ICCS crime and criminal-justice statistics</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/graphiql/vendor/graphiql.min.css">
<link rel="stylesheet" href="/graphiql/app.css">
</head>
<body>
<main>
<h1 class="visually-hidden">GraphiQL: the GraphQL API of the ICCS crime and criminal-justice statistics</h1>
<noscript><p>GraphiQL, the interactive editor for the GraphQL API, needs JavaScript. Without it, send queries to <code>${endpoint}</code> yourself: it accepts POST requests (a JSON body with <code>query</code> and <code>variables</code>) and GET requests (<code>?query=</code>). The <a href="/docs">API documentation</a> describes every other API, and the GraphQL section of the project's README describes the schema and its limits.</p></noscript>
<div id="graphiql" data-endpoint="${endpoint}" data-default-query="${escapeHtml(opts.defaultQuery)}">Loading GraphiQL…</div>
</main>
<script src="/graphiql/vendor/react.production.min.js"></script>
<script src="/graphiql/vendor/react-dom.production.min.js"></script>
<script src="/graphiql/vendor/graphiql.min.js"></script>
<script src="/graphiql/app.js"></script>
</body>
</html>
`;
}

const hidden = { hide: true } as const;

export async function graphiqlRoutes(app: FastifyInstance, opts: GraphiqlOptions): Promise<void> {
  // The CSP allows fetches to this host only: an endpoint elsewhere could never answer.
  if (!opts.endpoint.startsWith('/') || opts.endpoint.startsWith('//')) throw new Error(`GraphiQL's endpoint must be a path on this host, not ${opts.endpoint}`);
  const vendor = vendorFiles();
  const html = asset(Buffer.from(page(opts)), HTML, OWN_CACHE);
  const script = asset(readFileSync(GRAPHIQL_APP_SCRIPT), JS, OWN_CACHE);
  const css = asset(Buffer.from(APP_CSS), CSS, OWN_CACHE);

  // Every answer of these routes, 404 and 304 included. This plugin is encapsulated (no
  // fastify-plugin), so the hook concerns its own routes only.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('Content-Security-Policy', GRAPHIQL_CSP).header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer');
    done();
  });

  app.get('/graphiql', { schema: hidden }, async (request, reply) => sendAsset(request, reply, html));
  app.get('/graphiql/app.js', { schema: hidden }, async (request, reply) => sendAsset(request, reply, script));
  app.get('/graphiql/app.css', { schema: hidden }, async (request, reply) => sendAsset(request, reply, css));
  app.get<{ Params: { file: string } }>('/graphiql/vendor/:file', { schema: hidden }, async (request, reply) => {
    const file = vendor.get(request.params.file);
    if (!file) {
      reply.callNotFound();
      return reply;
    }
    return sendAsset(request, reply, file);
  });
}
