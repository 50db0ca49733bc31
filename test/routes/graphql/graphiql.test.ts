/**
 * GraphiQL at /graphiql (src/routes/graphql/graphiql.ts), on a bare Fastify instance: the page
 * loads only files from this host, has no inline script, carries the strict CSP, and hands the
 * endpoint and the default query to its script through HTML-escaped data- attributes; the vendor
 * files are byte for byte those of the installed packages, with ETags and 304; anything else
 * under /graphiql/vendor/ is 404. The page really running in a browser under that CSP is
 * test/e2e/graphiql-chromium.test.ts.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify from 'fastify';
import { graphiqlRoutes, GRAPHIQL_CSP, GRAPHIQL_SCROLL_LOCK_STYLE } from '../../../src/routes/graphql/graphiql.js';

const DEFAULT_QUERY = '{ dataflows { code } } # "<&>\' quoted';

const app = Fastify();
await app.register(graphiqlRoutes, { endpoint: '/graphql', defaultQuery: DEFAULT_QUERY });
t.teardown(() => app.close());

const require = createRequire(import.meta.url);
const packageFile = (name: string, ...rest: string[]) => path.join(path.dirname(require.resolve(`${name}/package.json`)), ...rest);
const VENDOR = {
  'graphiql.min.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
  'graphiql.min.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'react.production.min.js': { file: packageFile('react', 'umd', 'react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { file: packageFile('react-dom', 'umd', 'react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
} as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const unescapeHtml = (s: string) =>
  s.replace(/&#(\d+);|&(amp|lt|gt|quot|apos);/g, (_m, code: string | undefined, name: string | undefined) =>
    code ? String.fromCharCode(Number(code)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as const)[name as 'amp'],
  );

t.test('the CSP is strict: this host only, no inline script, no eval, no framing', async (t) => {
  t.notMatch(GRAPHIQL_CSP, /https?:|\*|unsafe|strict-dynamic|nonce-/, 'no other host, no wildcard, no unsafe-inline, no eval');
  const hash = createHash('sha256').update(GRAPHIQL_SCROLL_LOCK_STYLE).digest('base64');
  t.ok(GRAPHIQL_CSP.split('; ').includes(`style-src 'self' 'sha256-${hash}'`), "styles: this host, and the dialogs' scroll lock by its hash");
  t.equal(hash, 'Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc=', 'the hash Chromium reported for the style GraphiQL 3.8 inserts');
  t.match(GRAPHIQL_CSP, /(^|; )script-src 'self'(;|$)/, 'scripts: this host only');
  t.match(GRAPHIQL_CSP, /(^|; )script-src-attr 'none'(;|$)/, 'no event-handler attributes');
  t.match(GRAPHIQL_CSP, /(^|; )object-src 'none'(;|$)/);
  t.match(GRAPHIQL_CSP, /(^|; )frame-ancestors 'none'(;|$)/);
  t.match(GRAPHIQL_CSP, /(^|; )connect-src 'self'(;|$)/, 'GraphiQL asks this host only');
});

t.test('the page: HTML, strict CSP, same-origin files only, no inline script', async (t) => {
  const res = await app.inject({ url: '/graphiql' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  t.equal(res.headers['content-security-policy'], GRAPHIQL_CSP);
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['referrer-policy'], 'no-referrer');
  const html = res.body;
  t.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  t.match(html, /<title>[^<]*GraphiQL[^<]*<\/title>/);
  t.match(html, /<noscript>[\s\S]*JavaScript[\s\S]*POST[\s\S]*GET[\s\S]*href="\/docs"[\s\S]*README[\s\S]*<\/noscript>/, 'without JavaScript: the endpoint, /docs and the README');

  const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
  t.equal(refs.shift(), 'data:,', 'an empty icon: no request for /favicon.ico, which nothing serves');
  t.same(
    refs.filter((r) => r !== '/docs'),
    ['/graphiql/vendor/graphiql.min.css', '/graphiql/app.css', '/graphiql/vendor/react.production.min.js', '/graphiql/vendor/react-dom.production.min.js', '/graphiql/vendor/graphiql.min.js', '/graphiql/app.js'],
    'exactly these files, in this order (React before ReactDOM before GraphiQL before ours)',
  );
  for (const ref of refs) {
    t.notMatch(ref, /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i, `${ref}: a path on this host`);
    const loaded = await app.inject({ url: ref });
    if (ref !== '/docs') t.equal(loaded.statusCode, 200, `${ref}: 200`);
  }
  t.notMatch(html, /https?:\/\/|["'=]\s*\/\//, 'no URL of another host anywhere in the page');

  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    t.match(m[1], /\bsrc="/, `a script with src (${m[1]!.trim()})`);
    t.equal(m[2], '', 'and nothing inline');
  }
  t.notMatch(html, /<style\b|\sstyle\s*=|\son[a-z]+\s*=/i, 'no inline style, no event-handler attribute');
});

t.test('the endpoint and the default query reach the script HTML-escaped, in data- attributes', async (t) => {
  const html = (await app.inject({ url: '/graphiql' })).body;
  const div = /<div id="graphiql"([^>]*)>/.exec(html);
  t.ok(div, 'the #graphiql element');
  const attrs = Object.fromEntries([...div![1]!.matchAll(/\s([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  t.equal(attrs['data-endpoint'], '/graphql');
  t.equal(attrs['data-default-query'], escapeHtml(DEFAULT_QUERY), 'escaped');
  t.equal(unescapeHtml(attrs['data-default-query']!), DEFAULT_QUERY, 'and the browser reads back the query itself');
  t.notOk(html.includes(DEFAULT_QUERY), 'the raw query, with its "<&>, is nowhere in the page');

  const other = Fastify();
  t.teardown(() => other.close());
  await other.register(graphiqlRoutes, { endpoint: '/graphql?a=1&b="2"', defaultQuery: '' });
  t.match((await other.inject({ url: '/graphiql' })).body, 'data-endpoint="/graphql?a=1&#38;b=&#34;2&#34;"', 'the endpoint is escaped too');
});

t.test('an endpoint on another host is refused at registration (connect-src would block it)', async (t) => {
  for (const endpoint of ['https://example.org/graphql', '//example.org/graphql', 'graphql']) {
    const other = Fastify();
    await t.rejects(async () => {
      await other.register(graphiqlRoutes, { endpoint, defaultQuery: '' });
      await other.ready();
    }, /must be a path on this host/, endpoint);
    await other.close().catch(() => undefined);
  }
});

t.test('the vendor files: the installed packages byte for byte, right types, cached, ETag and 304', async (t) => {
  for (const [name, { file, type }] of Object.entries(VENDOR)) {
    const url = `/graphiql/vendor/${name}`;
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, `${name}: 200`);
    t.equal(res.headers['content-type'], type, `${name}: ${type}`);
    t.equal(res.headers['cache-control'], 'public, max-age=86400');
    t.equal(res.headers['content-security-policy'], GRAPHIQL_CSP);
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.ok(res.rawPayload.equals(readFileSync(file)), `${name} is ${path.relative(path.dirname(require.resolve('graphiql/package.json')), file)} of the installed package, byte for byte`);
    const etag = res.headers.etag as string;
    t.match(etag, /^W\/"[A-Za-z0-9_-]{32}"$/, `${name}: an ETag`);

    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    t.equal(again.statusCode, 304, `${name}: 304 on its ETag`);
    t.equal(again.body, '');
    t.equal(again.headers.etag, etag);
    t.equal(again.headers['content-security-policy'], GRAPHIQL_CSP, 'the 304 carries the CSP too');
    t.equal((await app.inject({ url, headers: { 'if-none-match': `"other", ${etag.slice(2)}` } })).statusCode, 304, 'strong form in a list matches too');
    t.equal((await app.inject({ url, headers: { 'if-none-match': 'W/"other"' } })).statusCode, 200, 'another ETag: the file');
  }
  const etags = new Set<string>();
  for (const name of Object.keys(VENDOR)) etags.add((await app.inject({ url: `/graphiql/vendor/${name}` })).headers.etag as string);
  t.equal(etags.size, 4, 'each file its own ETag');
});

t.test('nothing else under /graphiql/vendor/', async (t) => {
  for (const name of ['graphiql.js', 'react.development.js', 'index.js', '..%2Fpackage.json', 'graphiql.min.js.map', 'x']) {
    const res = await app.inject({ url: `/graphiql/vendor/${name}` });
    t.equal(res.statusCode, 404, `${name}: 404`);
    t.equal(res.headers['content-security-policy'], GRAPHIQL_CSP, `${name}: the 404 carries the CSP`);
  }
  // Dot segments are resolved before routing: these never reach the vendor route.
  for (const url of ['/graphiql/vendor/../../package.json', '/graphiql/vendor/%2e%2e/%2e%2e/package.json']) t.equal((await app.inject({ url })).statusCode, 404, url);
  t.equal((await app.inject({ url: '/graphiql/vendor/' })).statusCode, 404);
});

t.test('our own script and style sheet', async (t) => {
  const js = await app.inject({ url: '/graphiql/app.js' });
  t.equal(js.statusCode, 200);
  t.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  t.equal(js.headers['content-security-policy'], GRAPHIQL_CSP);
  t.match(js.headers.etag, /^W\/"/);
  t.equal((await app.inject({ url: '/graphiql/app.js', headers: { 'if-none-match': js.headers.etag as string } })).statusCode, 304);
  t.equal(js.body, readFileSync(new URL('../../../src/routes/graphql/graphiql-app.js', import.meta.url), 'utf8'), 'the file in src/');
  t.notMatch(js.body, /https?:\/\/|["'`]\/\//, 'no URL of another host');
  t.notMatch(js.body, /\beval\s*\(|new Function|innerHTML/, 'no eval, no HTML from strings');
  t.match(js.body, /GraphiQL\.createFetcher\(\{ url: endpoint \}\)/);
  t.match(js.body, /shouldPersistHeaders: false/, 'headers (tokens) stay out of localStorage');
  t.match(js.body, /data-endpoint/);
  t.match(js.body, /data-default-query/);

  const css = await app.inject({ url: '/graphiql/app.css' });
  t.equal(css.statusCode, 200);
  t.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  t.equal(css.headers['content-security-policy'], GRAPHIQL_CSP);
  t.match(css.body, /body\{margin:0\}/);
  t.match(css.body, /#graphiql\{height:100vh/);
  t.notMatch(css.body, /url\(|@import/, 'loads nothing');
});

t.test('the routes stay out of OpenAPI (schema.hide)', async (t) => {
  const routes: { url: string; hide: unknown }[] = [];
  const other = Fastify();
  t.teardown(() => other.close());
  other.addHook('onRoute', (r) => {
    if (r.method === 'GET') routes.push({ url: r.url, hide: (r.schema as { hide?: boolean } | undefined)?.hide });
  });
  await other.register(graphiqlRoutes, { endpoint: '/graphql', defaultQuery: '' });
  await other.ready();
  t.same(
    routes.map((r) => r.url),
    ['/graphiql', '/graphiql/app.js', '/graphiql/app.css', '/graphiql/vendor/:file'],
  );
  t.ok(routes.every((r) => r.hide === true), 'all hidden');
});
