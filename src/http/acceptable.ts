/**
 * 406 Not Acceptable for a JSON API read whose Accept header names nothing the route offers
 * (RFC 9110 §12.5.1), instead of a JSON body the client said it cannot take. What a route
 * offers is what its schema declares for 200 (`content` media types; a plain schema is
 * application/json), the same list the OpenAPI document shows. A `format` query parameter
 * chooses the representation itself and is the route's to check. A missing header, `*` ranges
 * and q-values are read as RFC 9110 says; q=0 refuses a type.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';
import { parseAccept, type AcceptEntry } from '../sdmx/negotiate.js';

const offeredByRoute = new WeakMap<object, readonly string[]>();

/** The media types a route's 200 answer is declared with. */
function offeredTypes(request: FastifyRequest): readonly string[] {
  const schema = request.routeOptions.schema as { response?: Record<string, unknown> } | undefined;
  const key = schema ?? request.routeOptions;
  const known = offeredByRoute.get(key);
  if (known) return known;
  const ok = (schema?.response?.['200'] ?? schema?.response?.[200]) as { content?: Record<string, unknown> } | undefined;
  const types = ok?.content ? Object.keys(ok.content).map((t) => t.split(';')[0]!.trim().toLowerCase()) : ['application/json'];
  offeredByRoute.set(key, types);
  return types;
}

function matches(entry: AcceptEntry, mediaType: string): boolean {
  const [type, subtype] = mediaType.split('/') as [string, string];
  return (entry.type === '*' || entry.type === type) && (entry.subtype === '*' || entry.subtype === subtype);
}

/** Whether an Accept header lets a client take one of `offered` (the most specific range decides for each). */
export function acceptsAny(accept: string, offered: readonly string[]): boolean {
  const entries = parseAccept(accept);
  // Nothing readable in the header: read it as no preference rather than refuse.
  if (entries.length === 0) return true;
  return offered.some((mediaType) => {
    const ranges = entries.filter((e) => matches(e, mediaType));
    if (ranges.length === 0) return false;
    const specificity = (e: AcceptEntry) => (e.type === '*' ? 0 : e.subtype === '*' ? 1 : 2);
    const decisive = ranges.reduce((best, e) => (specificity(e) > specificity(best) ? e : best));
    return decisive.q > 0;
  });
}

/** Refuses, in this scope, reads whose Accept header fits no representation their route declares. */
export function refuseUnacceptable(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const accept = request.headers.accept;
    if (accept === undefined || accept === '*/*' || (request.method !== 'GET' && request.method !== 'HEAD')) return done();
    if (request.is404 || Object.hasOwn(request.query as object, 'format')) return done();
    const offered = offeredTypes(request);
    if (acceptsAny(accept, offered)) return done();
    done(new ServiceError('not-acceptable', `Accept: ${accept} names nothing this resource offers; it answers ${offered.join(', ')}`, { parameter: 'Accept', allowed: [...offered] }));
  });
}
