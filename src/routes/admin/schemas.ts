/**
 * JSON schemas of the admin API: they validate requests, shape responses, and are what
 * @fastify/swagger reads to document the API.
 */
import { ROLES } from '../../auth/roles.js';
import { problemResponses } from '../../http/problem.js';
import { MAX_TOKEN_NAME_LENGTH } from '../../auth/token-rules.js';
import { AUDIT_OUTCOMES } from '../../storage/schema.js';
import { MAX_AUDIT_PAGE } from '../../audit/audit-log.js';

const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;
const dataflowRef = { type: 'string', description: 'A dataflow as AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)' } as const;

const problems = problemResponses;

const tokenInfo = {
  type: 'object',
  properties: {
    tokenId: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    dataflows: { type: 'array', items: dataflowRef },
    status: { type: 'string', enum: ['active', 'expired', 'revoked'] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] },
    expiresAt: nullableInstant,
    revokedAt: nullableInstant,
    lastUsedAt: nullableInstant,
  },
  required: ['tokenId', 'name', 'role', 'dataflows', 'status', 'createdAt', 'createdBy', 'expiresAt', 'revokedAt', 'lastUsedAt'],
} as const;

export const createTokenSchema = {
  summary: 'Create an API token',
  description: 'The secret is in the response only: it is stored hashed and cannot be shown again.',
  tags: ['admin'],
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'role'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: MAX_TOKEN_NAME_LENGTH },
      role: { type: 'string', enum: [...ROLES] },
      dataflows: { type: 'array', items: dataflowRef, maxItems: 1000, uniqueItems: true, default: [] },
      expiresAt: { type: 'string', format: 'date-time', description: 'ISO-8601 instant; absent for a token that does not expire' },
    },
  },
  response: {
    201: {
      type: 'object',
      description: 'Created: the token with its secret, shown this once',
      properties: {
        tokenId: { type: 'string' },
        token: { type: 'string', description: 'The secret, shown once' },
        name: { type: 'string' },
        role: { type: 'string', enum: [...ROLES] },
        dataflows: { type: 'array', items: dataflowRef },
        createdAt: { type: 'string', format: 'date-time' },
        expiresAt: nullableInstant,
      },
      required: ['tokenId', 'token', 'name', 'role', 'dataflows', 'createdAt', 'expiresAt'],
    },
    ...problems(400, 401, 403, 429),
  },
} as const;

export const listTokensSchema = {
  summary: 'List API tokens (without secrets)',
  tags: ['admin'],
  response: {
    200: { type: 'object', description: 'Every token, without secrets', properties: { tokens: { type: 'array', items: tokenInfo } }, required: ['tokens'] },
    ...problems(401, 403, 429),
  },
} as const;

const tokenIdParams = {
  type: 'object',
  properties: { tokenId: { type: 'string', pattern: '^tok_[0-9a-f]{12}$' } },
  required: ['tokenId'],
} as const;

export const getTokenSchema = {
  summary: 'One API token (without its secret)',
  tags: ['admin'],
  params: tokenIdParams,
  response: { 200: { ...tokenInfo, description: 'The token, without its secret' }, ...problems(400, 401, 403, 404, 429) },
} as const;

export const revokeTokenSchema = {
  summary: 'Revoke an API token',
  description: 'Takes effect at once. Revoking a revoked token keeps its first revocation instant.',
  tags: ['admin'],
  params: tokenIdParams,
  response: { 204: { type: 'null', description: 'Revoked' }, ...problems(400, 401, 403, 404, 429) },
} as const;

const auditEntry = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: ['string', 'null'] },
    role: { type: ['string', 'null'] },
    action: { type: 'string' },
    target: { type: ['string', 'null'] },
    outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
    client: { type: ['string', 'null'] },
    detail: { type: 'object', additionalProperties: true },
  },
  required: ['id', 'at', 'actor', 'role', 'action', 'target', 'outcome', 'client', 'detail'],
} as const;

export const auditSchema = {
  summary: 'Read the audit log, newest first',
  tags: ['admin'],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      since: { type: 'string', format: 'date-time', description: 'Entries at or after this instant' },
      until: { type: 'string', format: 'date-time', description: 'Entries before this instant' },
      actor: { type: 'string', minLength: 1, description: 'An actor (tok_…:name or cli) or a token id' },
      action: { type: 'string', minLength: 1, description: 'An action, or a prefix ending in * (e.g. auth.*)' },
      outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
      limit: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_PAGE, default: 100 },
      before: { type: 'integer', minimum: 1, description: 'The `next` of the previous page' },
    },
  },
  response: {
    200: {
      type: 'object',
      description: 'A page of audit entries, newest first',
      properties: {
        entries: { type: 'array', items: auditEntry },
        next: { type: ['integer', 'null'], description: 'Pass as `before` for the next page; null on the last page' },
      },
      required: ['entries', 'next'],
    },
    ...problems(400, 401, 403, 429),
  },
} as const;
