/**
 * The GraphQL surface: `POST /graphql` and `GET /graphql` (docs/graphql.md), a thin plugin over
 * the services the SDMX and JSON surfaces use (context.ts, resolvers/). Mercurius builds the
 * schema and runs documents (with its parse and validation cache); the routes are ours, so that
 * everything around a document is this service's:
 *
 * - errors in GraphQL form with `extensions.code` (errors.ts), in this scope's own handler, for
 *   bad bodies, rate limits and bad tokens too; never a stack trace;
 * - limits (limits.ts): body size, query length and tokens, depth, aliases, cost (returned in
 *   `extensions.cost`), a deadline; no batches;
 * - persisted queries (Apollo's automatic persisted queries protocol, persisted-queries.ts), so
 *   that a GET names a query by its hash and is cacheable;
 * - public GET answers carry a weak ETag, Last-Modified and a Cache-Control that never crosses the
 *   next announced release instant, and are kept in the response cache like the JSON API's;
 * - a `preview` token reads scheduled releases in series, as on the data routes: its answers are
 *   `private, no-store`, never kept, and audited (`preview.read`).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { GraphQLError, parse, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { auditPreviewRead, PREVIEW_CACHE_CONTROL, readAccessOf } from '../../auth/preview-access.js';
import { ServiceError } from '../../errors.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { isNotModified, lastModifiedSeconds, VARY } from '../../http/conditional-requests.js';
import { cachePublicAnswers, type PublicAnswerCacheOptions } from '../../http/public-answer-cache.js';
import { languageOf } from '../../services/catalogue/artefacts.js';
import { RequestMemo, type GraphqlContext, type GraphqlServices } from './context.js';
import { codeOf, formatError, graphqlError, STATUS_OF_CODE, type GraphqlErrorCode } from './errors.js';
import { checkComplexity, LIMITS } from './limits.js';
import { PersistedQueries, type PersistedQueryExtension } from './persisted-queries.js';
import { resolvers } from './resolvers/index.js';
import { SCHEMA_SDL } from './schema.js';

export const GRAPHQL_PATH = '/graphql';

export interface GraphqlRoutesOptions {
  readonly services: GraphqlServices;
  readonly cacheLifetime: CacheLifetime;
  /** Last-Modified of a public GET answer: the instant of the newest release public now. */
  readonly lastModified: () => Date;
  /** Where public GET answers are kept (the people's API's cache and state). */
  readonly answerCache: PublicAnswerCacheOptions;
  /** Queries known by hash from the start (the documented examples), besides those clients register. */
  readonly persisted?: readonly string[];
  /** Milliseconds a query may run (LIMITS.timeoutMs by default). */
  readonly timeoutMs?: number;
}

/** What a GraphQL request carries, from a POST body or GET parameters. */
interface GraphqlRequest {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
  readonly extensions?: unknown;
}

interface Context extends GraphqlContext {
  /** The operation to run, for the cost hook. */
  operationName: string | undefined;
  cost?: number;
}

const bodySchema = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'The GraphQL document (omit it to run a persisted query by its hash)', examples: ['{ dataflows { code name } }'] },
    variables: { type: ['object', 'null'], description: 'Values of the document’s variables' },
    operationName: { type: ['string', 'null'], description: 'Which operation of the document to run' },
    extensions: {
      type: ['object', 'null'],
      description: 'persistedQuery: {"version": 1, "sha256Hash": "<hex SHA-256 of the query>"} (Apollo automatic persisted queries)',
    },
  },
} as const;

const answerSchema = {
  type: 'object',
  description: 'A GraphQL answer: data, and errors each with extensions.code (docs/graphql.md)',
  properties: {
    data: { type: ['object', 'null'], additionalProperties: true },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          message: { type: 'string' },
          locations: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, column: { type: 'integer' } } } },
          path: { type: 'array', items: { type: ['string', 'integer'] } },
          extensions: { type: 'object', properties: { code: { type: 'string' } }, additionalProperties: true },
        },
        required: ['message'],
      },
    },
    extensions: { type: 'object', additionalProperties: true, description: 'cost: the query’s cost and the maximum allowed' },
  },
} as const;

const responses = { 200: answerSchema, 400: answerSchema, 401: answerSchema, 413: answerSchema, 429: answerSchema } as const;

export async function graphqlRoutes(app: FastifyInstance, opts: GraphqlRoutesOptions): Promise<void> {
  const persisted = new PersistedQueries(opts.persisted ?? []);
  await app.register(mercurius, {
    schema: SCHEMA_SDL,
    resolvers: resolvers as never,
    routes: false,
    graphiql: false,
    allowBatchedQueries: false,
    // Execution errors (a resolver's refusal) in our form; the answer keeps the data resolved.
    errorFormatter: (execution: ExecutionResult, context: unknown) => ({
      statusCode: 200,
      response: { data: execution.data ?? null, errors: (execution.errors ?? []).map((e) => formatError(e, 'execution', (context as { app: FastifyInstance }).app.log)) },
    }),
  });
  app.graphql.addHook('preExecution', async (schema, document, context, variables) => {
    const ctx = context as unknown as Context;
    ctx.cost = checkComplexity(schema, document, variables as Record<string, unknown> | undefined, ctx.operationName);
  });

  cachePublicAnswers(app, opts.answerCache);
  app.addHook('onSend', auditPreviewRead);
  // Whatever reaches the scope's handler (rate limit, body parser, our own refusals) is a GraphQL answer too.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof ServiceError) return sendRequestError(reply, serviceErrorAnswer(error, request));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendRequestError(reply, refusal('PAYLOAD_TOO_LARGE', `The request body is larger than the ${LIMITS.maxBodyBytes} bytes a GraphQL request may have`));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendRequestError(reply, refusal('BAD_REQUEST', 'Send the request as application/json: {"query": "…", "variables": {…}}', {}, 415));
    if (typeof error.statusCode === 'number' && error.statusCode < 500) return sendRequestError(reply, refusal('BAD_REQUEST', `The request is not readable: ${error.message}`, {}, error.statusCode));
    request.log.error({ err: error }, 'GraphQL request failed');
    return sendRequestError(reply, refusal('INTERNAL_SERVER_ERROR', 'Internal error: it has been logged'));
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply, body: GraphqlRequest): Promise<FastifyReply> => {
    const access = await readAccessOf(request, reply);
    if (access.kind === 'refused') return sendRequestError(reply, serviceErrorAnswer(access.error, request));
    const preview = access.kind === 'preview' ? access.read : undefined;
    const prepared = prepare(body, persisted);
    if ('refusal' in prepared) return sendRequestError(reply, prepared.refusal);
    const { query, variables, operationName } = prepared;
    const syntax = syntaxError(query);
    if (syntax) return sendRequestError(reply, requestErrorAnswer({ errors: [syntax] }, request));
    const services = opts.services;
    const context: Context = {
      services,
      lang: languageOf(undefined, request.headers['accept-language']),
      preview,
      deadline: Date.now() + (opts.timeoutMs ?? LIMITS.timeoutMs),
      memo: new RequestMemo(services),
      operationName,
    };
    let result: ExecutionResult;
    try {
      result = await app.graphql(query, context as never, variables, operationName);
    } catch (err) {
      return sendRequestError(reply, requestErrorAnswer(err, request));
    }
    persisted.remember(prepared.persist);
    const answer = { ...result, extensions: { cost: { requested: context.cost ?? 0, maximum: LIMITS.maxCost } } };
    return sendAnswer(request, reply, answer, preview !== undefined, opts.lastModified, opts.cacheLifetime);
  };

  app.post(GRAPHQL_PATH, { bodyLimit: LIMITS.maxBodyBytes, schema: { tags: ['GraphQL'], summary: 'Run a GraphQL query', body: bodySchema, response: responses }, attachValidation: true }, (request, reply) => {
    const body = request.body as unknown;
    if (Array.isArray(body)) return sendRequestError(reply, refusal('BAD_REQUEST', 'Batched queries are not accepted: send one operation per request'));
    if (typeof body !== 'object' || body === null) return sendRequestError(reply, refusal('BAD_REQUEST', 'The body must be a JSON object: {"query": "…", "variables": {…}}'));
    return handle(request, reply, body as GraphqlRequest);
  });

  app.get(
    GRAPHQL_PATH,
    {
      schema: {
        tags: ['GraphQL'],
        summary: 'Run a GraphQL query by GET (cacheable; persisted queries by hash)',
        querystring: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'The GraphQL document (or omit it and send extensions with its hash)' },
            variables: { type: 'string', description: 'JSON object of the variables' },
            operationName: { type: 'string' },
            extensions: { type: 'string', description: 'JSON: {"persistedQuery":{"version":1,"sha256Hash":"…"}}' },
          },
        },
        response: responses,
      },
      attachValidation: true,
    },
    (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const parsed: Record<string, unknown> = { query: q.query, operationName: q.operationName };
      for (const name of ['variables', 'extensions'] as const) {
        const text = q[name];
        if (text === undefined || text === '') continue;
        if (typeof text !== 'string') return sendRequestError(reply, refusal('BAD_REQUEST', `Give ${name} once, as a JSON object`));
        try {
          parsed[name] = JSON.parse(text);
        } catch {
          return sendRequestError(reply, refusal('BAD_REQUEST', `${name} is not valid JSON: give a JSON object, URL-encoded`, { parameter: name }));
        }
      }
      return handle(request, reply, parsed);
    },
  );
}

/**
 * The syntax error of a query text (more than LIMITS.maxTokens tokens included), or undefined
 * when it parses, kept per text. Mercurius, on a syntax error, tries the text as a JSON document
 * AST: a query must be GraphQL, so anything graphql-js cannot parse is refused here first, and
 * mercurius only ever parses documents that are within the limits.
 */
function syntaxError(query: string): GraphQLError | undefined {
  if (parsed.has(query)) return parsed.get(query);
  let error: GraphQLError | undefined;
  try {
    parse(query, { maxTokens: LIMITS.maxTokens });
  } catch (err) {
    error = err instanceof GraphQLError ? err : new GraphQLError(String(err));
  }
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(query, error);
  return error;
}
const parsed = new Map<string, GraphQLError | undefined>();
const PARSED_KEPT = 1000;

/** A request refused before execution: its errors and status. */
interface Refusal {
  readonly status: number;
  readonly errors: GraphQLFormattedError[];
}

function refusal(code: GraphqlErrorCode, message: string, extensions: Record<string, unknown> = {}, status?: number): Refusal {
  return { status: status ?? STATUS_OF_CODE[code] ?? 400, errors: [{ message, extensions: { code, ...extensions } }] };
}

/** The query, variables and operation a request runs, or why it is refused. */
function prepare(
  body: GraphqlRequest,
  persisted: PersistedQueries,
): { query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined; persist: { hash: string; query: string } | undefined } | { refusal: Refusal } {
  if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
    return { refusal: refusal('BAD_REQUEST', 'variables must be a JSON object', { parameter: 'variables' }) };
  }
  if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') {
    return { refusal: refusal('BAD_REQUEST', 'operationName must be a string', { parameter: 'operationName' }) };
  }
  if (body.query !== undefined && body.query !== null && typeof body.query !== 'string') {
    return { refusal: refusal('BAD_REQUEST', 'query must be a string holding a GraphQL document', { parameter: 'query' }) };
  }
  let query = typeof body.query === 'string' ? body.query : undefined;
  let persist: { hash: string; query: string } | undefined;
  const extension = (body.extensions as { persistedQuery?: PersistedQueryExtension } | null | undefined)?.persistedQuery;
  if (extension !== undefined) {
    const found = persisted.resolve(extension, query);
    if ('refusal' in found) return { refusal: refusal(found.refusal.code, found.refusal.message, {}, found.refusal.code === 'PERSISTED_QUERY_NOT_FOUND' ? 200 : 400) };
    query = found.query;
    persist = found.persist;
  }
  if (query === undefined || query.trim() === '') return { refusal: refusal('BAD_REQUEST', 'No query: send {"query": "{ dataflows { code } }"}, or a persisted query hash in extensions', { parameter: 'query' }) };
  if (query.length > LIMITS.maxQueryChars) {
    return { refusal: refusal('QUERY_TOO_COMPLEX', `The query has ${query.length} characters; at most ${LIMITS.maxQueryChars} are allowed`, { limit: 'length', maximum: LIMITS.maxQueryChars, actual: query.length }) };
  }
  return { query, variables: (body.variables as Record<string, unknown> | null | undefined) ?? undefined, operationName: (body.operationName as string | null | undefined) ?? undefined, persist };
}

/** A service refusal before execution (token, rate limit) as a GraphQL answer; Retry-After is already set. */
function serviceErrorAnswer(error: ServiceError, request: FastifyRequest): Refusal {
  const formatted = formatError(new GraphQLError(error.message, { originalError: error }), 'request', request.log);
  const code = codeOf(formatted) ?? 'INTERNAL_SERVER_ERROR';
  return { status: STATUS_OF_CODE[code] ?? 400, errors: [formatted] };
}

/** What mercurius throws before execution: parse and validation errors, or our limits. */
function requestErrorAnswer(err: unknown, request: FastifyRequest): Refusal {
  const errors = (err as { errors?: unknown }).errors;
  const list: unknown[] = Array.isArray(errors) ? errors : [err];
  const formatted = list.map((e) => {
    if (e instanceof GraphQLError && /Document contains more that \d+ tokens/.test(e.message)) {
      return { message: `The query has more than ${LIMITS.maxTokens} tokens, the most a query may have`, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: LIMITS.maxTokens } };
    }
    if (e instanceof GraphQLError) return formatError(e, 'request', request.log);
    if (e instanceof ServiceError) return formatError(new GraphQLError(e.message, { originalError: e }), 'request', request.log);
    request.log.error({ err: e }, 'GraphQL request failed');
    return { message: 'Internal error: it has been logged', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  });
  const code = codeOf(formatted[0]!) ?? 'INTERNAL_SERVER_ERROR';
  return { status: STATUS_OF_CODE[code] ?? 400, errors: formatted };
}

function sendRequestError(reply: FastifyReply, r: Refusal): FastifyReply {
  // A refusal now may be an answer later (a release becomes public): never kept by shared caches.
  return reply
    .code(r.status)
    .header('cache-control', r.status === 401 || r.status === 429 ? 'no-store' : 'no-cache')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ errors: r.errors }));
}

/**
 * An executed answer. Only a public GET answer without errors gets validators and a public
 * Cache-Control (and is kept by the response cache); POST answers are not stored, preview
 * answers are private.
 */
function sendAnswer(request: FastifyRequest, reply: FastifyReply, answer: ExecutionResult & { extensions: object }, preview: boolean, lastModified: () => Date, lifetime: CacheLifetime): FastifyReply {
  const text = JSON.stringify(answer);
  reply.code(200).header('content-type', 'application/json; charset=utf-8').header('vary', VARY);
  if (preview) return reply.header('cache-control', PREVIEW_CACHE_CONTROL).send(text);
  const read = request.method === 'GET' || request.method === 'HEAD';
  if (!read || answer.errors?.length) return reply.header('cache-control', read ? 'no-cache' : 'no-store').send(text);
  const etag = `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
  const seconds = lastModifiedSeconds(lastModified());
  reply.headers({ etag, 'last-modified': new Date(seconds).toUTCString(), 'cache-control': lifetime.publicCacheControl() });
  if (isNotModified(request, etag, seconds)) return reply.code(304).send();
  return reply.send(Buffer.from(text));
}
