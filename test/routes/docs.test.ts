/**
 * The API documentation and the front door: the generated OpenAPI document is valid OpenAPI 3.1
 * (a real validator), equals the committed openapi/openapi.json, lists every SDMX structure
 * resource served, and is served as YAML too; Swagger UI at /docs is served from this host only,
 * under a strict Content-Security-Policy; `GET /` gives browsers a page in English or Spanish and
 * programs JSON whose links all answer.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse } from 'yaml';
import { OPENAPI_FILE } from '../../src/cli/write-openapi.js';
import { DOCS_CSP } from '../../src/routes/docs/index.js';
import { FRONT_DOOR_CSP } from '../../src/routes/front-door.js';
import { testApp } from '../helpers/app.js';

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

t.test('/openapi.json is valid OpenAPI 3.1 and is the committed document', async (t) => {
  const res = await app.inject({ url: '/openapi.json' });
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  t.same(result.errors ?? [], [], 'no schema errors');
  t.ok(result.valid, 'valid against the OpenAPI 3.1 schema');
  t.equal(JSON.stringify(doc, null, 2) + '\n', readFileSync(OPENAPI_FILE, 'utf8'), 'openapi/openapi.json is current (npm run openapi)');
  const yaml = await app.inject({ url: '/openapi.yaml' });
  t.match(yaml.headers['content-type'], /^application\/yaml/);
  t.same(parse(yaml.body), doc, 'the YAML form is the same document');
});

t.test('the document describes the SDMX routes and every route with a schema', async (t) => {
  const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string; schema?: { enum?: string[] } }[]; responses: Record<string, { content?: Record<string, unknown> }> }>> };
  const structure21 = doc.paths['/sdmx/2.1/{resource}/{agencyID}/{resourceID}/{version}']!.get!;
  const resources = structure21.parameters!.find((p) => p.name === 'resource')!.schema!.enum!;
  for (const r of ['dataflow', 'codelist', 'transformationscheme', 'structureset', 'actualconstraint']) t.ok(resources.includes(r), `2.1 structure resource ${r}`);
  const types30 = doc.paths['/sdmx/3.0/structure/{type}/{agencyID}/{resourceID}/{version}']!.get!.parameters!.find((p) => p.name === 'type')!.schema!.enum!;
  for (const r of ['structuremap', 'valuelist', 'hierarchyassociation', 'vtlmappingscheme']) t.ok(types30.includes(r), `3.0 structure type ${r}`);
  const data21 = doc.paths['/sdmx/2.1/data/{flowRef}/{key}']!.get!;
  t.same(Object.keys(data21.responses['200']!.content!).slice(0, 2), ['application/vnd.sdmx.genericdata+xml;version=2.1', 'application/vnd.sdmx.structurespecificdata+xml;version=2.1'], 'media types in server preference order');
  t.notOk(Object.keys(doc.paths).some((p) => p.includes('*')), 'no wildcard route shown');
  for (const p of ['/', '/api/v1/data/{agency}/{id}/{version}', '/api/v1/calendar', '/api/v1/uploads', '/api/v1/releases/{code}/schedule']) t.ok(doc.paths[p], `${p} is documented`);
  t.notOk(doc.paths['/openapi.json'] || doc.paths['/docs'], 'the documentation routes are not themselves documented');
});

t.test('Swagger UI at /docs: this host only, strict CSP', async (t) => {
  const page = await app.inject({ url: '/docs', headers: { accept: BROWSER_ACCEPT } });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.equal(page.headers['content-security-policy'], DOCS_CSP);
  t.notMatch(DOCS_CSP, /https?:|unsafe|\*/, 'no other host, no unsafe-inline or eval, no wildcard');
  t.notMatch(page.body, /<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>\s*\S/, 'no inline script');
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  t.ok(assets.length >= 4, `${assets.length} assets`);
  for (const asset of assets) {
    t.notMatch(asset, /^(https?:)?\/\//, `${asset} is on this host`);
    const url = new URL(asset, 'http://localhost/docs/').pathname;
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, `${url}: 200`);
  }
  const init = await app.inject({ url: '/docs/static/swagger-initializer.js' });
  t.equal(init.statusCode, 200);
  t.match(init.body, /validatorUrl"?\s*:\s*null/, 'no outside validator badge');
  t.notMatch(init.body, /url\s*:\s*["'`]https?:/, 'the document is fetched from this host');
});

t.test('the front door: a page for browsers, JSON for programs, English or Spanish', async (t) => {
  const html = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } });
  t.equal(html.statusCode, 200);
  t.match(html.headers['content-type'], /^text\/html/);
  t.equal(html.headers['content-security-policy'], FRONT_DOOR_CSP);
  t.match(html.body, /<html lang="en">/);
  t.match(html.body, /Victims of intentional homicide/);
  t.notMatch(html.body, /<script|<link|<img|style=/, 'the page loads nothing');
  const style = /<style>([^<]*)<\/style>/.exec(html.body)![1]!;
  t.ok(FRONT_DOOR_CSP.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`), 'the CSP allows exactly the inline style');
  const es = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT, 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
  t.match(es.body, /<html lang="es">/);
  t.match(es.body, /Víctimas de homicidio intencional/);
  t.equal(es.headers['content-language'], 'es');
  t.match((await app.inject({ url: '/?lang=es', headers: { accept: BROWSER_ACCEPT } })).body, /lang="es"/);
  t.equal((await app.inject({ url: '/?lang=fr' })).statusCode, 400, 'an unknown language is refused');
  for (const accept of ['application/json', '*/*', undefined]) {
    const res = await app.inject({ url: '/', headers: accept ? { accept } : {} });
    t.match(res.headers['content-type'], /^application\/json/, `Accept ${accept}: JSON`);
    t.match(res.headers.vary, /Accept/);
  }
  const doc = (await app.inject({ url: '/', headers: { accept: 'application/json' } })).json() as {
    links: { rel: string; href: string }[];
    dataflows: { id: string; links: Record<string, string> }[];
  };
  t.same(doc.links.map((l) => l.rel), ['portal', 'sdmx-2.1', 'sdmx-3.0', 'dataflows', 'codelists', 'json-api', 'calendar', 'graphql', 'graphiql', 'openapi', 'docs', 'health']);
  t.equal(doc.dataflows.length, 10);
  // Every API link and every structure link; the data links of one flow (whole flows are slow to export).
  const homicide = doc.dataflows.find((f) => f.id === 'DF_CTS_HOMICIDE')!;
  for (const href of [...doc.links.map((l) => l.href), ...doc.dataflows.map((f) => f.links.structure!), ...Object.values(homicide.links)]) {
    const res = await app.inject({ url: href });
    t.equal(res.statusCode, 200, `${href} answers`);
  }
});

t.test('every operation has a unique operationId and says whether it needs a token', async (t) => {
  type Op = { operationId?: string; security?: Record<string, string[]>[]; responses: Record<string, unknown> };
  const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Op>>; components: { securitySchemes: Record<string, { type: string; scheme: string }> } };
  t.match(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' });
  const ids: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      t.ok(op.operationId, `${method} ${path} has an operationId`);
      ids.push(op.operationId!);
      const responses = Object.keys(op.responses);
      if (responses.includes('403')) t.same(op.security, [{ bearerAuth: [] }], `${method} ${path} needs a token`);
      else if (responses.includes('401')) t.same(op.security, [{}, { bearerAuth: [] }], `${method} ${path} takes a token optionally`);
      else t.equal(op.security, undefined, `${method} ${path} is public`);
    }
  }
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  t.equal(doc.paths['/api/v1/dataflows/{id}/observations']!.get!.operationId, 'getDataflowsObservations');
  t.equal(doc.paths['/sdmx/2.1/data/{flowRef}/{key}']!.get!.operationId, 'sdmx21Data');
});
