/**
 * The GraphQL side of the error catalogue (src/errors.ts): every error an answer carries has an
 * `extensions.code` from GRAPHQL_ERROR_CODES (docs/graphql.md lists them), a sentence a person
 * can act on, and, from a ServiceError, the `parameter` at fault, the `allowed` values and the
 * service's own code (`serviceCode`). Anything else is our fault: logged, and masked as
 * INTERNAL_SERVER_ERROR without message details or stack.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { FastifyBaseLogger } from 'fastify';
import { ServiceError, type ErrorKind } from '../../errors.js';

/** Every code an error may carry, with what it means (the docs and a test hold the two equal). */
export const GRAPHQL_ERROR_CODES = {
  GRAPHQL_PARSE_FAILED: 'the query is not valid GraphQL syntax',
  GRAPHQL_VALIDATION_FAILED: 'the query asks for fields, arguments or types the schema does not have',
  BAD_USER_INPUT: 'an argument or variable is malformed or names something that is not there (a code, a dimension, a period, a cursor)',
  BAD_REQUEST: 'the HTTP request is not a GraphQL request this service reads (no query, a batch, a bad JSON parameter)',
  NOT_FOUND: 'no such dataflow, codelist, code, release or node',
  QUERY_TOO_COMPLEX: 'the query is deeper, costlier, longer or has more aliases than the service allows; extensions name the limit',
  PAYLOAD_TOO_LARGE: 'the request body (query and variables) is larger than the service reads',
  PERSISTED_QUERY_NOT_FOUND: 'a persisted query hash the service does not know: send the query with its hash once',
  PERSISTED_QUERY_MISMATCH: 'the hash sent is not the SHA-256 of the query sent',
  UNAUTHENTICATED: 'a bearer token that is not valid (send none for the public data)',
  RATE_LIMITED: 'too many requests from this client; Retry-After says when to try again',
  TIMEOUT: 'the query took longer than the service allows',
  SERVICE_UNAVAILABLE: 'the service cannot answer now',
  INTERNAL_SERVER_ERROR: 'an error on our side; it has been logged',
} as const;
export type GraphqlErrorCode = keyof typeof GRAPHQL_ERROR_CODES;

/** The GraphQL code of each kind of service error. */
const CODE_OF_KIND: Record<ErrorKind, GraphqlErrorCode> = {
  'invalid-input': 'BAD_USER_INPUT',
  unprocessable: 'BAD_USER_INPUT',
  conflict: 'BAD_USER_INPUT',
  'not-acceptable': 'BAD_REQUEST',
  'not-found': 'NOT_FOUND',
  'too-large': 'QUERY_TOO_COMPLEX',
  'uri-too-long': 'PAYLOAD_TOO_LARGE',
  'method-not-allowed': 'BAD_REQUEST',
  'unsupported-media-type': 'BAD_REQUEST',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'UNAUTHENTICATED',
  'rate-limited': 'RATE_LIMITED',
  'not-implemented': 'BAD_REQUEST',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
};

/** The HTTP status of a request refused before execution, by code (execution errors are 200 with `errors`). */
export const STATUS_OF_CODE: Partial<Record<GraphqlErrorCode, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  QUERY_TOO_COMPLEX: 400,
  PAYLOAD_TOO_LARGE: 413,
  PERSISTED_QUERY_MISMATCH: 400,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** An error with its code, for the plugin's own refusals and the resolvers'. */
export function graphqlError(code: GraphqlErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** The code an error already carries, if it is one of ours. */
export function codeOf(error: GraphQLFormattedError | GraphQLError): GraphqlErrorCode | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' && code in GRAPHQL_ERROR_CODES ? (code as GraphqlErrorCode) : undefined;
}

/**
 * An error as the answer shows it. `phase` says where it arose: a request error (parsing,
 * validation) keeps graphql-js's message; an execution error from a ServiceError gets its kind's
 * code and details; anything unknown is logged and masked.
 */
export function formatError(error: GraphQLError, phase: 'request' | 'execution', log: FastifyBaseLogger): GraphQLFormattedError {
  const original = error.originalError;
  const located = { ...(error.locations ? { locations: error.locations } : {}), ...(error.path ? { path: error.path } : {}) };
  if (original instanceof ServiceError) {
    if (original.kind === 'internal') log.error({ err: original }, 'GraphQL resolver failed');
    const code = CODE_OF_KIND[original.kind];
    const { parameter, allowed, extensions } = original.details;
    return {
      message: original.kind === 'internal' ? 'Internal error: it has been logged' : original.message,
      ...located,
      extensions: {
        code,
        serviceCode: original.code,
        ...(parameter !== undefined ? { parameter } : {}),
        ...(allowed ? { allowed } : {}),
        ...(extensions?.suggestions ? { suggestions: extensions.suggestions } : {}),
      },
    };
  }
  const known = codeOf(error);
  if (known) return { message: error.message, ...located, extensions: { ...error.extensions, code: known } };
  // A variable graphql-js could not coerce: its own words name the variable (the scalar's error is inside).
  if (phase === 'request' && variableError(error)) return { message: error.message, ...located, extensions: { code: 'BAD_USER_INPUT' } };
  if (original instanceof GraphQLError) return formatError(original, phase, log);
  if (original && !(original instanceof GraphQLError)) {
    // A variable of the wrong type is a TypeError-free GraphQLError; an Error here is a bug of ours.
    log.error({ err: original }, 'GraphQL resolver failed');
    return { message: 'Internal error: it has been logged', ...located, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const code: GraphqlErrorCode = phase === 'request' ? (/^Syntax Error/.test(error.message) ? 'GRAPHQL_PARSE_FAILED' : variableError(error) ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED') : 'BAD_USER_INPUT';
  return { message: error.message, ...located, extensions: { code } };
}

/** graphql-js's words for a variable it could not coerce (wrong type, missing, bad enum value). */
function variableError(error: GraphQLError): boolean {
  return /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message);
}
