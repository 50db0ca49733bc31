/**
 * The edges of HTTP every JSON surface shares: 405 with Allow for a known path and another
 * method, 406 for an Accept header that names nothing a route offers, 414 for a long URL and a
 * problem document (not Fastify's own JSON) when Node's parser refuses the request.
 */
import t from 'tap';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testApp } from '../helpers/app.js';
import { acceptsAny } from '../../src/http/acceptable.js';
import { RouteMethods } from '../../src/http/route-methods.js';
import { MAX_URL_LENGTH } from '../../src/http/client-errors.js';

const PROBLEMS = 'https://iccs-sdmx.org/problems/';
const app = await testApp();
t.teardown(() => app.close());

t.test('RouteMethods matches route patterns as the router does', async (t) => {
  const table = new RouteMethods();
  table.add('/api/v1/dataflows/:id/observations', ['GET', 'HEAD']);
  table.add('/api/v1/releases/:code', 'GET');
  table.add('/api/v1/releases/:code', 'DELETE');
  table.add('/sdmx/2.1/*', 'GET');
  t.same(table.allowedAt('/api/v1/dataflows/DF_X/observations'), ['GET', 'HEAD']);
  t.same(table.allowedAt('/api/v1/dataflows/DF_X/observations/'), ['GET', 'HEAD'], 'a trailing slash is ignored');
  t.same(table.allowedAt('/api/v1/releases/R-1'), ['DELETE', 'GET']);
  t.same(table.allowedAt('/api/v1/releases/R-1/extra'), [], 'a parameter is one segment');
  t.same(table.allowedAt('/sdmx/2.1/data/X'), ['GET']);
  t.same(table.allowedAt('/api/v1/dataflowsX'), []);
});

t.test('acceptsAny reads ranges and q-values as RFC 9110 says', async (t) => {
  t.ok(acceptsAny('application/json', ['application/json']));
  t.ok(acceptsAny('application/*', ['application/json']));
  t.ok(acceptsAny('text/html, */*;q=0.1', ['application/json']), 'a low q is still acceptable');
  t.ok(acceptsAny('text/csv, application/xml', ['application/json', 'text/csv']));
  t.notOk(acceptsAny('application/xml', ['application/json']));
  t.notOk(acceptsAny('application/json;q=0, */*', ['application/json']), 'q=0 refuses the type, the more specific range decides');
  t.ok(acceptsAny('garbage', ['application/json']), 'an unreadable header is no preference');
});

t.test('a known path with another method: 405 with Allow, as a problem', async (t) => {
  for (const [method, url, allow] of [
    ['POST', '/api/v1/dataflows', 'GET, HEAD'],
    ['DELETE', '/api/v1/codelists/CL_ICCS', 'GET, HEAD'],
    ['PUT', '/health', 'GET, HEAD'],
  ] as const) {
    const res = await app.inject({ method, url });
    t.equal(res.statusCode, 405, `${method} ${url}`);
    t.equal(res.headers.allow, allow, `${method} ${url}: Allow`);
    t.equal(res.headers['content-type'], 'application/problem+json');
    t.match(res.json(), { type: `${PROBLEMS}method-not-allowed`, title: 'Method Not Allowed', status: 405, detail: `${url} answers ${allow}, not ${method}` });
  }
  const unknown = await app.inject({ method: 'POST', url: '/api/v1/nothing-here' });
  t.equal(unknown.statusCode, 404, 'an unknown path stays 404');
  t.equal((await app.inject({ url: '/api/v1/nothing-here' })).statusCode, 404);
});

t.test('an Accept header naming nothing the route offers: 406, naming what it offers', async (t) => {
  const refused = await app.inject({ url: '/api/v1/codelists/CL_ICCS', headers: { accept: 'application/xml' } });
  t.equal(refused.statusCode, 406);
  t.equal(refused.headers['content-type'], 'application/problem+json');
  t.match(refused.json(), { type: `${PROBLEMS}not-acceptable`, status: 406, parameter: 'Accept', allowed: ['application/json'] });
  for (const accept of ['application/json', '*/*', 'application/*', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']) {
    t.equal((await app.inject({ url: '/api/v1/codelists/CL_ICCS', headers: { accept } })).statusCode, 200, `Accept: ${accept}`);
  }
  const csv = await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations', headers: { accept: 'text/csv' } });
  t.not(csv.statusCode, 406, 'the observations route offers CSV');
  const byParameter = await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?format=json', headers: { accept: 'application/xml' } });
  t.not(byParameter.statusCode, 406, 'format= chooses the representation, not Accept');
});

t.test('a URL longer than the service reads: 414 as a problem; past the header limit, 431 as a problem', async (t) => {
  const long = await app.inject({ url: `/api/v1/dataflows?x=${'a'.repeat(MAX_URL_LENGTH)}` });
  t.equal(long.statusCode, 414);
  t.match(long.json(), { type: `${PROBLEMS}uri-too-long`, status: 414, detail: `The URL is longer than ${MAX_URL_LENGTH} characters` });

  // Node's parser runs before Fastify: only a real socket shows what it answers.
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const get = (path: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
  const twentyKb = await get(`/api/v1/dataflows?x=${'a'.repeat(20_000)}`);
  t.equal(twentyKb.status, 414, 'a 20 KB URL reaches the surface, which says why');
  t.equal(twentyKb.type, 'application/problem+json');
  const huge = await get(`/api/v1/dataflows?x=${'a'.repeat(70_000)}`);
  t.equal(huge.status, 431);
  t.equal(huge.type, 'application/problem+json');
  t.match(JSON.parse(huge.body), { title: 'Request Header Fields Too Large', status: 431, detail: /exceed 65536 bytes/ });
});
