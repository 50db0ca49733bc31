/**
 * What every surface reads of a request's address. The query string is read by hand from the
 * raw URL (still percent-encoded), so that a `+` in an SDMX key or a code stays a `+` (a parser
 * would read a space) and repeated parameters keep their order. The origin, as the client asked
 * for it (behind a trusted proxy, its forwarded protocol and host), builds absolute links.
 */
import type { FastifyRequest } from 'fastify';

/** The text after `?`, still percent-encoded. */
export function rawQueryOf(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** `https://host[:port]` of the request, for absolute links. */
export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
