/**
 * Keeps credentials out of the logs. Fastify's default request serializer logs no headers, but
 * any code that logs a request's headers (or a custom serializer added later) would otherwise
 * write bearer tokens to disk; pino's redaction removes them wherever they appear.
 */
import type { FastifyServerOptions } from 'fastify';

export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
];

type LoggerOption = FastifyServerOptions['logger'];

export function withCredentialsRedacted(logger: LoggerOption): LoggerOption {
  if (logger === undefined || logger === false) return false;
  const base = logger === true ? {} : logger;
  const existing = base.redact;
  const paths = Array.isArray(existing) ? existing : existing ? existing.paths : [];
  const censor = Array.isArray(existing) || !existing ? '[redacted]' : existing.censor ?? '[redacted]';
  return { ...base, redact: { paths: [...new Set([...paths, ...REDACTED_LOG_PATHS])], censor } };
}
