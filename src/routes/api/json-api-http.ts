/**
 * What the people's JSON routes (dataflows, codelists, observations) share on the HTTP side:
 * schema validation failures worded as a problem naming the parameter (and its allowed values),
 * the raw query string, and the validators and Cache-Control of a catalogue answer.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { isNotModified, lastModifiedSeconds, VARY } from '../../http/conditional-requests.js';
import { sendServiceProblem } from '../../http/problem-errors.js';
import { ServiceError, invalidParameter } from '../../errors.js';

/**
 * A schema failure (routes declare `attachValidation`) as the ServiceError of its first fault,
 * naming the parameter and, for an enumeration, its allowed values. Undefined when valid.
 *
 * The query string is not judged by the schema (which documents it): these routes read it
 * themselves from the raw text (services/catalogue/query-parameters.ts), where a repeated list
 * parameter adds up and every refusal is worded for people, never as validator text.
 */
export function validationFailure(request: FastifyRequest): ServiceError | undefined {
  const error = request.validationError as
    | (Error & { validationContext?: string; validation?: { instancePath: string; params: Record<string, unknown>; message?: string }[] })
    | undefined;
  if (!error || error.validationContext === 'querystring') return undefined;
  const first = error.validation?.[0];
  if (!first) return invalidParameter('', error.message);
  const name = first.instancePath.replace(/^\//, '').split('/')[0] || String(first.params.missingProperty ?? first.params.additionalProperty ?? '');
  const allowed = Array.isArray(first.params.allowedValues) ? (first.params.allowedValues as unknown[]).map(String) : undefined;
  const value = (request.query as Record<string, unknown> | undefined)?.[name] ?? (request.params as Record<string, unknown> | undefined)?.[name];
  const shown = value === undefined ? '' : ` "${String(value)}"`;
  return invalidParameter(name, `Invalid ${name}${shown}: ${first.message ?? 'is invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`, allowed);
}

/**
 * A refusal as a problem document; never stored by shared caches (a release refused now may be
 * public at its instant).
 */
export function sendRefusal(reply: FastifyReply, err: ServiceError): FastifyReply {
  reply.header('cache-control', err.kind === 'unauthenticated' || err.kind === 'rate-limited' ? 'no-store' : 'no-cache');
  // Problems are worded in English whatever the language asked for.
  reply.header('content-language', 'en');
  return sendServiceProblem(reply, err);
}

/**
 * A JSON catalogue answer: a weak ETag of its content (the instant it was computed, `asOf`, left
 * out: it changes on every request, the content does not), Last-Modified, Cache-Control until
 * the next release instant, and 304 for a current copy.
 */
export function sendCatalogue(request: FastifyRequest, reply: FastifyReply, body: object, lastModified: Date, lifetime: CacheLifetime, lang: string): FastifyReply {
  const text = JSON.stringify(body);
  const content = 'asOf' in body ? JSON.stringify({ ...body, asOf: undefined }) : text;
  const etag = `W/"${createHash('sha256').update(content).digest('base64url').slice(0, 32)}"`;
  const seconds = lastModifiedSeconds(lastModified);
  reply.headers({
    etag,
    'last-modified': new Date(seconds).toUTCString(),
    vary: VARY,
    'content-language': lang,
    'cache-control': lifetime.publicCacheControl(),
  });
  if (isNotModified(request, etag, seconds)) return reply.code(304).send();
  return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(Buffer.from(text));
}

/** A ServiceError is answered as a problem; anything else goes to the scope's error handler. */
export async function refusingServiceErrors(reply: FastifyReply, work: () => Promise<FastifyReply> | FastifyReply): Promise<FastifyReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ServiceError) return sendRefusal(reply, err);
    throw err;
  }
}

/** The `{id}` path parameter of every dataflow route (the metadata route too). */
export const idParam = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      description: 'The dataflow: its id when one agency publishes it (DF_CTS_HOMICIDE), else AGENCY:ID(VERSION) or AGENCY,ID,VERSION',
      examples: ['DF_CTS_HOMICIDE'],
    },
  },
  required: ['id'],
} as const;
