/**
 * Reference metadata written by publishers (issue 15, design §3.5), under /api/v1/metadata-sets,
 * publisher role only: create a version, replace it while its release is not public, and list
 * and read every stored version (drafts and embargoed ones included; never a public route).
 *
 * A body has the fields of an authored file (metadata/README.md) plus what a file's path says:
 * `{dataflow, area?, set, version, release, name, sources, attributes}`. It is checked by the
 * same checker as the files (services/metadata/check-metadata-set.ts):
 *
 * - 400 `invalid-request`: a body of the wrong shape (JSON types, unknown top-level keys);
 * - 422 `invalid-metadata-set`: content breaking the MSD's rules, a release that does not exist
 *   or does not publish the dataflow, or (PUT) a body whose set or version is not the URL's;
 *   `errors` names each field as a JSON pointer into the body and as the checker's path;
 * - 409: a set and version already stored (`metadata-set-exists`); a change to a version that
 *   comes from a file (`metadata-set-file-owned`: files own their versions) or that is already
 *   public (`metadata-set-public`: publish a new version); a release that is already public or
 *   cancelled (`metadata-release-closed`: content attached to a public release would appear
 *   without announcement, the embargo rule).
 *
 * Only releases that are not visible are accepted, so a write never changes a public answer
 * before its release's instant; the metadata service reads the stored rows on every request.
 * Each write is one transaction (the identity and release checks are made again inside it);
 * every write and every refusal is audited as `metadata.create` or `metadata.update`, target
 * `FLOW[:AREA]`, with set, version and release (never the text, never a secret).
 */
import { metadataSetToStore } from '../../services/metadata/metadata-start-up.js';
import { API_PREFIX } from './prefix.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onErrorAsyncHookHandler } from 'fastify';
import { publisherScope } from './publisher-scope.js';
import type { Principal } from '../../auth/principal.js';
import type { Clock } from '../../clock.js';
import { ServiceError } from '../../errors.js';
import { problemResponses } from '../../http/problem.js';
import { httpStatusOf, sendServiceProblem, validationProblem } from '../../http/problem-errors.js';
import { CRIME_METADATA } from '../../sdmx/metadata/model.js';
import type { MaintainableRef } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { contentsOf } from '../../services/metadata/attribute-tree.js';
import { checkMetadataSet, type MetadataSetProblem, type SourcedMetadataSet } from '../../services/metadata/check-metadata-set.js';
import { isPublicVersion } from '../../services/metadata/public-versions.js';
import { reportStructureOf, valueKindOf } from '../../services/metadata/report-structure.js';
import { compareSemver } from '../../services/metadata/semver.js';
import { setOfStoredBody } from '../../services/metadata/stored-body.js';
import { isVisible } from '../../services/visibility.js';
import {
  API_SOURCE_PREFIX,
  FILE_SOURCE_PREFIX,
  StorageConflictError,
  type Release,
  type Repositories,
  type StoredMetadataSet,
} from '../../storage/repositories.js';
import { RELEASE_STATES } from '../../storage/schema.js';

export interface MetadataSetRoutesOptions {
  readonly repositories: Repositories;
  /** The structures of the moment (a StructureService, or the metadata service): what a set is checked against. */
  readonly structures: { readonly registry: StructureRegistry };
  readonly clock: Clock;
}

/** Relative to the API prefix (Location headers and `href` add it). */
export const METADATA_SETS_PATH = '/metadata-sets';

type Action = 'create' | 'update';

/** The request body: an authored file's fields, plus its target (what a file's path says). */
export interface MetadataSetBody {
  readonly dataflow: string;
  readonly area?: string;
  readonly set: string;
  readonly version: string;
  readonly release: string;
  readonly name: Record<string, string>;
  readonly sources: readonly { readonly title: string; readonly url?: string; readonly licence?: string }[];
  readonly attributes: Record<string, unknown>;
}

interface VersionParams {
  set: string;
  version: string;
}

/** Where a stored version stands now: public, embargoed until its release's instant, or draft (no instant yet). */
export type MetadataVersionState = 'draft' | 'embargoed' | 'public';

// ---- schemas (validation, and what @fastify/swagger documents) ----

const problems = problemResponses;
const instant = { type: 'string', format: 'date-time' } as const;
const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;

const textSchema = {
  type: 'object',
  description: 'A text in English (en) and Spanish (es), both required and non-empty; other keys are language tags',
  properties: { en: { type: 'string' }, es: { type: 'string' } },
  additionalProperties: { type: 'string' },
} as const;
const sourceSchema = {
  type: 'object',
  description: 'A document the text was written from',
  properties: { title: { type: 'string' }, url: { type: 'string', description: 'An http(s) address seen in the source' }, licence: { type: 'string' } },
  required: ['title'],
  additionalProperties: false,
} as const;
const attributeValueSchema = {
  description: 'Bilingual text for a String attribute, a code for a coded one (a code of its CL_* codelist), a number for a numeric one',
  anyOf: [textSchema, { type: 'string' }, { type: 'number' }],
} as const;

const bodyProperties = {
  dataflow: { type: 'string', minLength: 1, description: 'The dataflow described: an id under UNODC, version 1.0 (DF_CTS_HOMICIDE), or AGENCY:ID(VERSION)' },
  area: { type: 'string', minLength: 1, description: 'A CL_AREA code: the set is a country note of the dataflow for this area; absent for the dataflow report' },
  set: { type: 'string', description: 'MS_<DATAFLOW_ID> for a report, MS_<DATAFLOW_ID>_<AREA> for a country note', examples: ['MS_DF_CTS_HOMICIDE'] },
  version: { type: 'string', description: 'Semantic version MAJOR.MINOR.PATCH', examples: ['1.1.0'] },
  release: { type: 'string', description: 'Code of the release whose instant makes this version public: it must exist, publish the dataflow, and not be public or cancelled' },
  name: textSchema,
  sources: { type: 'array', items: sourceSchema, description: 'At least one document the text was written from' },
  attributes: {
    type: 'object',
    description: 'MSD attribute id → value (metadata/README.md): mandatory attributes present; presentational and computed ones never written',
    additionalProperties: attributeValueSchema,
  },
} as const;

const bodySchema = {
  type: 'object',
  description: 'A metadata set version in the form of an authored file (metadata/README.md), with its target',
  additionalProperties: false,
  required: ['dataflow', 'set', 'version', 'release', 'name', 'sources', 'attributes'],
  properties: bodyProperties,
} as const;

const contentSchema = {
  type: 'object',
  description: 'The stored version in the form it is written in (a GET, edited, is a PUT body)',
  properties: {
    ...bodyProperties,
    dataflow: { type: 'string', description: 'The dataflow described, AGENCY:ID(VERSION)' },
  },
  required: ['dataflow', 'set', 'version', 'release', 'name', 'sources', 'attributes'],
} as const;

const summaryProperties = {
  id: { type: 'string', description: 'The metadata set id' },
  agencyID: { type: 'string' },
  version: { type: 'string' },
  kind: { type: 'string', enum: ['report', 'countryNote'], description: 'A dataflow report, or a country note of the dataflow for an area' },
  dataflow: { type: 'string', description: 'The dataflow described, AGENCY:ID(VERSION)' },
  area: { ...nullableString, description: 'The area of a country note; null for a dataflow report' },
  release: { ...nullableString, description: 'The release whose instant makes the version public' },
  releaseState: { type: ['string', 'null'], enum: [...RELEASE_STATES, null], description: 'The state of that release; null when no release has that code (yet)' },
  announcedAt: { ...nullableInstant, description: "The release's announced instant, when it has one" },
  state: {
    type: 'string',
    enum: ['draft', 'embargoed', 'public'],
    description: 'public: visible now; embargoed: visible from announcedAt on; draft: no instant yet (its release is a draft, cancelled, or does not exist)',
  },
  editable: { type: 'boolean', description: 'Whether PUT may replace it: written over the API and not public' },
  source: { type: 'string', description: '`api:<token id>` of its last writer, or `file:metadata/...` for a version authored as a file' },
  sha256: { type: 'string', description: 'SHA-256 (hex) of the stored content' },
  createdAt: { ...instant, description: 'When this content was stored' },
  href: { type: 'string', description: 'Where this version is read and replaced' },
} as const;
const summaryRequired = Object.keys(summaryProperties);

const summarySchema = { type: 'object', properties: summaryProperties, required: summaryRequired } as const;
const detailSchema = {
  type: 'object',
  properties: { ...summaryProperties, content: contentSchema },
  required: [...summaryRequired, 'content'],
} as const;

const versionParams = {
  type: 'object',
  properties: {
    set: { type: 'string', minLength: 1, maxLength: 200, description: 'The metadata set id, e.g. MS_DF_CTS_HOMICIDE' },
    version: { type: 'string', minLength: 1, maxLength: 50, description: 'The version, e.g. 1.0.0' },
  },
  required: ['set', 'version'],
} as const;

const WRITE_RULES =
  'Checked as the metadata files are (metadata/README.md): a body of the wrong shape is refused with 400 (invalid-request), ' +
  'content breaking the metadata structure, a release that does not exist or does not publish the dataflow with 422 ' +
  '(invalid-metadata-set, `errors` naming each field); a release already public or cancelled with 409 (metadata-release-closed). ' +
  'Nothing is stored then. Every write and refusal is audited.';

const createSchema = {
  summary: 'Create a version of a metadata set (a dataflow report or a country note), public from its release on',
  description: `${WRITE_RULES} A set and version already stored, over the API or from a file, is refused with 409 (metadata-set-exists).`,
  tags: ['metadata'],
  body: bodySchema,
  response: { 201: { ...detailSchema, description: 'Stored; Location names it' }, ...problems(400, 401, 403, 409, 413, 415, 422, 429) },
} as const;

const updateSchema = {
  summary: 'Replace a version whose release is not yet public',
  description:
    `${WRITE_RULES} The body's set and version must be the URL's. A version that is already public is never rewritten ` +
    '(409 metadata-set-public: publish a new version); one authored as a file is changed in its file (409 metadata-set-file-owned).',
  tags: ['metadata'],
  params: versionParams,
  body: bodySchema,
  response: { 200: { ...detailSchema, description: 'Replaced: the version as stored now' }, ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429) },
} as const;

const listSchema = {
  summary: 'Every stored metadata set version, drafts and embargoed ones included, with its state',
  tags: ['metadata'],
  response: {
    200: {
      type: 'object',
      description: 'Every stored version, by set id, then version (oldest first)',
      properties: { metadataSets: { type: 'array', items: summarySchema } },
      required: ['metadataSets'],
    },
    ...problems(401, 403, 429),
  },
} as const;

const readSchema = {
  summary: 'One stored version with its content, whether public or not',
  tags: ['metadata'],
  params: versionParams,
  response: { 200: { ...detailSchema, description: 'The stored version and its content' }, ...problems(401, 403, 404, 429) },
} as const;

// ---- helpers ----

const FULL_REF = /^([^:()]+):([^:()]+)\(([^()]+)\)$/;

/** `AGENCY:ID(VERSION)` of a dataflow given as that or as a bare id (UNODC, 1.0, as the files name them). */
function flowKeyOf(dataflow: string): string {
  return FULL_REF.test(dataflow) ? dataflow : `${CRIME_METADATA.agencyID}:${dataflow}(1.0)`;
}

const flowKey = (r: MaintainableRef) => `${r.agencyID}:${r.id}(${r.version})`;

/** The audit target: `FLOW` for a report, `FLOW:AREA` for a country note. */
const auditTarget = (dataflow: string, area: string | null | undefined) => (area ? `${dataflow}:${area}` : dataflow);

/** A checker path (`attributes.DATA_DESCR.es`, `sources[0].title`, `(document)`) as a JSON pointer into the body. */
export function pointerOf(field: string): string {
  if (field.startsWith('(')) return '#';
  const segments: string[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      segments.push(part);
      continue;
    }
    if (m[1]) segments.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) segments.push(index[1]!);
  }
  return `#/${segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

/** Most problems listed in an audit entry (the answer lists them all). */
const AUDITED_PROBLEMS = 50;

function invalidMetadataSet(list: readonly MetadataSetProblem[]): ServiceError {
  const shown = list
    .slice(0, 5)
    .map((p) => `${p.field}: ${p.message}`)
    .join('; ');
  const more = list.length > 5 ? `; and ${list.length - 5} more (see errors)` : '';
  return new ServiceError('unprocessable', `The metadata set has ${list.length} problem${list.length === 1 ? '' : 's'}: ${shown}${more}`, {
    code: 'invalid-metadata-set',
    extensions: { errors: list.map((p) => ({ in: 'body', pointer: pointerOf(p.field), field: p.field, message: p.message })) },
  });
}

const fileOf = (row: StoredMetadataSet) => row.source.slice(FILE_SOURCE_PREFIX.length);
const nextPatch = (version: string) => {
  const [major, minor, patch] = version.split('.').map(Number);
  return [major, minor, patch].every((n) => Number.isInteger(n)) ? `${major}.${minor}.${patch! + 1}` : 'a higher version';
};

/** The authored form of a stored version: what a file holds, with its target. */
function contentOf(row: StoredMetadataSet, registry: StructureRegistry): Record<string, unknown> {
  const set: SourcedMetadataSet = setOfStoredBody(row.body);
  const structure = reportStructureOf(registry, row.area === null ? 'report' : 'countryNote');
  const attributes: Record<string, unknown> = {};
  for (const [id, content] of contentsOf(set.attributes)) {
    if (content.text) attributes[id] = content.text;
    else if (content.value !== undefined) {
      const a = typeof structure === 'string' ? undefined : structure.byId.get(id);
      attributes[id] = a && valueKindOf(a) === 'number' ? Number(content.value) : content.value;
    }
  }
  return {
    dataflow: row.dataflow,
    ...(row.area !== null ? { area: row.area } : {}),
    set: set.id,
    version: set.version,
    release: set.release ?? row.releaseCode,
    name: set.name,
    sources: set.sources ?? [],
    attributes,
  };
}

export async function metadataSetRoutes(app: FastifyInstance, opts: MetadataSetRoutesOptions): Promise<void> {
  const { repositories, clock } = opts;
  publisherScope(app);

  const hrefOf = (setID: string, version: string) => `${API_PREFIX}${METADATA_SETS_PATH}/${encodeURIComponent(setID)}/${encodeURIComponent(version)}`;

  /** Whether a stored version is public at `now`, by the service's one rule (public-versions.ts), reading its release afresh. */
  function isPublicNow(row: StoredMetadataSet, now: string): boolean {
    const release = row.releaseCode === null ? undefined : repositories.releases.byCode(row.releaseCode);
    return isPublicVersion(row, new Map(release ? [[release.code, release]] : []), now);
  }

  function summaryOf(row: StoredMetadataSet, releases: ReadonlyMap<string, Release>, now: string) {
    const release = row.releaseCode === null ? undefined : releases.get(row.releaseCode);
    const isPublic = isPublicVersion(row, releases, now);
    const state: MetadataVersionState = isPublic
      ? 'public'
      : release && (release.state === 'scheduled' || release.state === 'published') && release.announcedAt !== null
        ? 'embargoed'
        : 'draft';
    return {
      id: row.setID,
      agencyID: row.agencyID,
      version: row.version,
      kind: row.area === null ? 'report' : 'countryNote',
      dataflow: row.dataflow,
      area: row.area,
      release: row.releaseCode,
      releaseState: release?.state ?? null,
      announcedAt: release?.announcedAt ?? null,
      state,
      editable: row.source.startsWith(API_SOURCE_PREFIX) && !isPublic,
      source: row.source,
      sha256: row.sha256,
      createdAt: row.createdAt,
      href: hrefOf(row.setID, row.version),
    };
  }

  function detailOf(row: StoredMetadataSet) {
    const releases = new Map(repositories.releases.list().map((r) => [r.code, r]));
    return { ...summaryOf(row, releases, clock.now().toISOString()), content: contentOf(row, opts.structures.registry) };
  }

  const storedVersion = (setID: string, version: string) => repositories.metadataSets.find({ agencyID: CRIME_METADATA.agencyID, setID, version })[0];

  /** Why the stored version of this identity (or its absence) stops the write, if it does. */
  function identityRefusal(action: Action, setID: string, version: string, stored: StoredMetadataSet | undefined, now: string): ServiceError | undefined {
    if (action === 'create') {
      if (!stored) return undefined;
      const from = stored.source.startsWith(FILE_SOURCE_PREFIX) ? `from the file ${fileOf(stored)}` : `written over the API (${stored.source})`;
      const next = isPublicNow(stored, now) || stored.source.startsWith(FILE_SOURCE_PREFIX)
        ? `publish a new version instead (e.g. ${nextPatch(version)})`
        : `replace it with PUT ${hrefOf(setID, version)} while its release is not public, or publish a new version`;
      return new ServiceError('conflict', `${setID} version ${version} already exists, ${from}: ${next}`, { code: 'metadata-set-exists' });
    }
    if (!stored) return new ServiceError('not-found', `No metadata set ${setID} version ${version}`);
    if (stored.source.startsWith(FILE_SOURCE_PREFIX)) {
      return new ServiceError(
        'conflict',
        `${setID} version ${version} comes from the file ${fileOf(stored)}: files own their versions, so change it in that file (while its release is not public) or publish a new version over the API`,
        { code: 'metadata-set-file-owned' },
      );
    }
    if (isPublicNow(stored, now)) {
      const release = stored.releaseCode === null ? undefined : repositories.releases.byCode(stored.releaseCode);
      const since = release?.announcedAt ? ` since ${release.announcedAt} (release ${release.code})` : '';
      return new ServiceError('conflict', `${setID} version ${version} is public${since}: a public version is never rewritten; publish a new version (e.g. ${nextPatch(version)})`, {
        code: 'metadata-set-public',
      });
    }
    return undefined;
  }

  /** The release problems that name the `release` field: it does not exist, or does not publish the dataflow. */
  function releaseProblems(release: Release | undefined, code: string, dataflow: string): MetadataSetProblem[] {
    if (!release) return [{ field: 'release', message: `no release has the code "${code}": create the release first (POST ${API_PREFIX}/releases), then attach the metadata to it` }];
    if (!release.dataflows.includes(dataflow)) {
      return [{ field: 'release', message: `release ${code} publishes ${release.dataflows.join(', ') || 'no dataflow'}, not ${dataflow}: a metadata set goes with a release of its dataflow` }];
    }
    return [];
  }

  /** Why the release can no longer take new content at `now`, if so: it is public (embargo rule) or cancelled. */
  function closedRelease(release: Release, now: string): ServiceError | undefined {
    if (isVisible(release, now)) {
      return new ServiceError(
        'conflict',
        `release ${release.code} is already public (since ${release.announcedAt}): content attached to it would appear without announcement; attach the version to a release that is not yet public`,
        { code: 'metadata-release-closed' },
      );
    }
    if (release.state === 'cancelled') {
      return new ServiceError('conflict', `release ${release.code} is cancelled: it will never be public; attach the version to another release`, { code: 'metadata-release-closed' });
    }
    return undefined;
  }

  /**
   * Checks and stores a version: identity first (exists, file-owned, public), then content
   * (the checker and the release's existence and dataflow: 422), then in one transaction the
   * identity again and the release's state. Throws a ServiceError to refuse.
   */
  function store(action: Action, body: MetadataSetBody, principal: Principal, path?: VersionParams): StoredMetadataSet {
    const now = clock.now().toISOString();
    const setID = path?.set ?? body.set;
    const version = path?.version ?? body.version;
    const refusal = identityRefusal(action, setID, version, storedVersion(setID, version), now);
    if (refusal) throw refusal;

    const { dataflow, area, ...candidate } = body;
    const checked = checkMetadataSet(candidate, { dataflow, ...(area !== undefined ? { area } : {}) }, opts.structures.registry);
    const found: MetadataSetProblem[] = [...checked.problems];
    if (path && body.set !== path.set) found.push({ field: 'set', message: `"${body.set}" is not the set the URL names (${path.set})` });
    if (path && body.version !== path.version) found.push({ field: 'version', message: `"${body.version}" is not the version the URL names (${path.version})` });
    const releaseCode = body.release.trim();
    if (releaseCode !== '' && !found.some((p) => p.field === 'release' || p.field === 'dataflow')) {
      found.push(...releaseProblems(repositories.releases.byCode(releaseCode), releaseCode, checked.set ? flowKey(checked.set.target.dataflow) : flowKeyOf(dataflow)));
    }
    if (found.length > 0 || !checked.set) throw invalidMetadataSet(found);

    const set = checked.set;
    const item = metadataSetToStore(set, `${API_SOURCE_PREFIX}${principal.tokenId}`);
    try {
      return repositories.metadataSets.storeApiVersion(item, now, (stored) => {
        const again = identityRefusal(action, item.setID, item.version, stored, now);
        if (again) throw again;
        const release = repositories.releases.byCode(item.releaseCode!);
        const problems = releaseProblems(release, item.releaseCode!, item.dataflow);
        if (problems.length > 0) throw invalidMetadataSet(problems);
        const closed = closedRelease(release!, now);
        if (closed) throw closed;
      });
    } catch (err) {
      // A file version of this identity appeared between the checks and the write.
      if (err instanceof StorageConflictError) throw new ServiceError('conflict', `${item.setID} version ${item.version} comes from a file: ${err.message}`, { code: 'metadata-set-file-owned' });
      throw err;
    }
  }

  /** Stores, audits the outcome, and answers it. */
  function write(request: FastifyRequest, reply: FastifyReply, action: Action, body: MetadataSetBody, path?: VersionParams) {
    const principal = request.principal!;
    const setID = path?.set ?? body.set;
    const version = path?.version ?? body.version;
    const target = auditTarget(flowKeyOf(body.dataflow), body.area);
    const audited = { set: setID, version, release: body.release };
    let row: StoredMetadataSet;
    try {
      row = store(action, body, principal, path);
    } catch (err) {
      if (!(err instanceof ServiceError)) {
        request.server.audit.record({ actor: principal, action: `metadata.${action}`, target, outcome: 'failure', client: request.ip, detail: { ...audited, error: 'internal' } });
        throw err;
      }
      const errors = err.details.extensions?.errors as { field: string }[] | undefined;
      request.server.audit.record({
        actor: principal,
        action: `metadata.${action}`,
        target,
        outcome: err.kind === 'conflict' ? 'refused' : 'failure',
        client: request.ip,
        detail: {
          ...audited,
          status: httpStatusOf(err.kind),
          type: err.code,
          reason: errors ? `${errors.length} problem${errors.length === 1 ? '' : 's'}` : err.message,
          ...(errors ? { problems: errors.length, fields: errors.slice(0, AUDITED_PROBLEMS).map((e) => e.field) } : {}),
        },
      });
      return sendServiceProblem(reply, err);
    }
    request.server.audit.record({
      actor: principal,
      action: `metadata.${action}`,
      target: auditTarget(row.dataflow, row.area),
      outcome: 'success',
      client: request.ip,
      detail: { set: row.setID, version: row.version, release: row.releaseCode, sha256: row.sha256, source: row.source },
    });
    if (action === 'create') reply.code(201).header('Location', hrefOf(row.setID, row.version));
    return reply.send(detailOf(row));
  }

  /** Audits a write that failed before its handler: a body that is not JSON or fails the schema, another media type. */
  function auditFailures(action: Action): onErrorAsyncHookHandler {
    return async function auditFailure(request, _reply, error: FastifyError) {
      const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
      const status = error.validation ? 400 : clientError ? error.statusCode! : 500;
      const body = (request.body ?? {}) as Partial<Record<'dataflow' | 'area' | 'set' | 'version' | 'release', unknown>>;
      const params = request.params as Partial<VersionParams> | undefined;
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const dataflow = text(body.dataflow);
      request.server.audit.record({
        actor: request.principal,
        action: `metadata.${action}`,
        target: dataflow ? auditTarget(flowKeyOf(dataflow), text(body.area)) : undefined,
        outcome: 'failure',
        client: request.ip,
        detail: {
          set: params?.set ?? text(body.set),
          version: params?.version ?? text(body.version),
          release: text(body.release),
          status,
          error: error.validation ? validationProblem(error).detail : clientError ? error.message : 'internal error',
        },
      });
    };
  }

  app.post<{ Body: MetadataSetBody }>(METADATA_SETS_PATH, { schema: createSchema, onError: auditFailures('create') }, async (request, reply) =>
    write(request, reply, 'create', request.body),
  );

  app.put<{ Params: VersionParams; Body: MetadataSetBody }>(`${METADATA_SETS_PATH}/:set/:version`, { schema: updateSchema, onError: auditFailures('update') }, async (request, reply) =>
    write(request, reply, 'update', request.body, request.params),
  );

  app.get(METADATA_SETS_PATH, { schema: listSchema }, async () => {
    const now = clock.now().toISOString();
    const releases = new Map(repositories.releases.list().map((r) => [r.code, r]));
    const rows = repositories.metadataSets.find().sort((a, b) => (a.setID < b.setID ? -1 : a.setID > b.setID ? 1 : compareSemver(a.version, b.version)));
    return { metadataSets: rows.map((row) => summaryOf(row, releases, now)) };
  });

  app.get<{ Params: VersionParams }>(`${METADATA_SETS_PATH}/:set/:version`, { schema: readSchema }, async (request, reply) => {
    const row = storedVersion(request.params.set, request.params.version);
    if (!row) return sendServiceProblem(reply, new ServiceError('not-found', `No metadata set ${request.params.set} version ${request.params.version}`));
    return detailOf(row);
  });
}
