/**
 * What the server answers when Node's HTTP parser refuses a request before Fastify sees it
 * (headers too large, a timeout, bytes that are not HTTP): a problem+json document in the words
 * of the error catalogue instead of Fastify's own JSON. There is no route yet, so no surface's
 * format; problem+json is the service's default. Also the header size the parser accepts:
 * large enough that a long URL reaches the surfaces' own 414 (MAX_URL_LENGTH), which names the
 * limit.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { ServiceError } from '../errors.js';
import { PROBLEM_BASE } from './problem.js';

/** Longest URL the surfaces read; longer ones get 414 (SDMX REST 1.5 4_7_errors.md lists 414). */
export const MAX_URL_LENGTH = 4096;

/** Total request header bytes Node reads (its default is 16 KiB): room for a URL well past MAX_URL_LENGTH, so it gets a 414 that says why. */
export const MAX_HEADER_BYTES = 64 * 1024;

function problemOf(code: string | undefined): { status: number; type: string; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, type: 'about:blank', detail: `The request's URL and headers exceed ${MAX_HEADER_BYTES} bytes; URLs longer than ${MAX_URL_LENGTH} characters are not read` };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, type: 'about:blank', detail: 'The request did not arrive in time' };
  return { status: 400, type: `${PROBLEM_BASE}invalid-request`, detail: 'The request is not valid HTTP' };
}

/** Fastify's `clientErrorHandler`: answers on the raw socket, then closes it. */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, type, detail } = problemOf(err.code);
  const title = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ type, title, status, detail });
  this.log.debug({ err }, 'client error');
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

/** Refuses, in this scope, URLs longer than MAX_URL_LENGTH; the scope's error handler words it. */
export function refuseLongUrls(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.length <= MAX_URL_LENGTH) return done();
    done(new ServiceError('uri-too-long', `The URL is longer than ${MAX_URL_LENGTH} characters`));
  });
}
