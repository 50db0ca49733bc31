/**
 * buildApp(options): the whole service as a Fastify instance, without listening. The server
 * process and the tests both build it here, so tests exercise exactly what runs.
 *
 * Order matters: storage opens and structures load before any route exists, so a broken
 * structure file stops start-up instead of serving half a catalogue.
 */
// Route schemas carry OpenAPI `tags` and `summary`; @fastify/swagger's types declare them.
import type {} from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Config } from './config.js';
import { ProtectionService } from './services/protection/protection-service.js';
import { systemClock, UtcDay, type Clock } from './clock.js';
import type { Repositories } from './storage/repositories.js';
import { sqliteRepositories } from './storage/sqlite/index.js';
import { StructureService } from './services/structure-service.js';
import { sdmxRestRoutes, SDMX_PREFIX } from './routes/sdmx-rest/index.js';
import { errorHandling, frameworkErrors } from './plugins/error-handling.js';
import { healthRoutes } from './routes/health.js';
import { loadDemoData } from './demo/load-demo.js';
import { PROJECT_ROOT } from './project-root.js';
import path from 'node:path';
import { DataService } from './services/data/data-service.js';
import { ResponseCache } from './http/response-cache.js';
import { auth } from './auth/plugin.js';
import { TokenService } from './auth/token-service.js';
import { FailedAuthThrottle } from './auth/failed-auth-throttle.js';
import { withCredentialsRedacted } from './auth/log-redaction.js';
import { dataflowReferences } from './auth/dataflow-grants.js';
import { AuditLog } from './audit/audit-log.js';
import { rateLimit, rateLimiterFor } from './plugins/rate-limit.js';
import { jsonApiRoutes, API_PREFIX } from './routes/api/index.js';
import { CorrespondenceService } from './services/correspondence/correspondence-service.js';
import { UploadService } from './services/upload/upload-service.js';
import { CalendarService } from './services/calendar/calendar.js';
import { ReleaseWorkflow } from './services/calendar/workflow.js';
import { ReleaseViews } from './services/calendar/release-views.js';
import { JsonDataApi } from './services/data/json-api.js';
import { dataflowRouteOptions } from './routes/api/dataflows.js';
import { codelistRouteOptions } from './routes/api/codelists.js';
import { openApi } from './plugins/openapi.js';
import { CacheLifetime } from './http/cache-lifetime.js';
import { ReleaseTimeline } from './services/data/release-timeline.js';
import { docsRoutes } from './routes/docs/index.js';
import { frontDoorRoutes } from './routes/front-door.js';
import { PACKAGE_VERSION } from './project-root.js';
import { AccessLog } from './http/access-log.js';
import { clientErrorHandler, MAX_HEADER_BYTES, MAX_URL_LENGTH } from './http/client-errors.js';
import { recordRouteMethods } from './http/route-methods.js';
import { COMPRESSIBLE } from './http/conditional-requests.js';
import { keepPublicAnswers, type PublicAnswerCacheOptions } from './http/public-answer-cache.js';
import { CacheFront, serverWithFront } from './http/cache-front.js';
import { clientFacts } from './http/client-facts.js';
import { synchroniseMetadataFiles } from './services/metadata/metadata-start-up.js';
import { MetadataService } from './services/metadata/metadata-service.js';
import { QualityService } from './services/quality/index.js';
import { CALENDAR_PATH } from './routes/api/calendar.js';
import { GRAPHQL_PATH, graphqlRoutes } from './routes/graphql/index.js';
import { graphiqlRoutes } from './routes/graphql/graphiql.js';
import { GRAPHQL_EXAMPLES } from './routes/graphql/examples.js';
import { portalRoutes } from './routes/portal/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The public reference metadata (visible versions, computed concepts): what metadata routes read. */
    readonly metadata: MetadataService;
  }
}

/** Open data: any origin may read; the validators are exposed for client-side caching. */
const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'ETag, Last-Modified, Content-Language, Vary, Link, Content-Disposition, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After',
};

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly logger?: FastifyServerOptions['logger'];
  /** Defaults to SQLite at config.databasePath. */
  readonly repositories?: Repositories;
  /** How the failed-auth throttle waits; tests pass a recorder instead of really waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A fresh database gets the real demo data, published through the release path. Rows that do
 * not map onto our codelists are reported here, never dropped silently.
 */
async function publishDemoData(app: FastifyInstance, repositories: Repositories, structures: StructureService, clock: Clock): Promise<void> {
  const started = Date.now();
  const protection = new ProtectionService(repositories, structures, clock);
  const report = await loadDemoData({
    repositories,
    demoDir: path.join(PROJECT_ROOT, 'data', 'demo'),
    now: clock.now().toISOString(),
    protect: (release) => protection.protect(release, 'demo-loader'),
  });
  app.log.info(
    {
      releases: report.releases.map((r) => ({
        code: r.code,
        series: r.series,
        observations: r.observations,
        protection: r.protection.map((p) => `${p.dataflow}: ${p.primary} primary, ${p.secondary} secondary, ${p.relations} relations (${p.brokenRelations} broken by the figures)`),
      })),
      skipped: report.skipped,
      ms: Date.now() - started,
    },
    'demo data published',
  );
  if (report.unmapped.length) {
    app.log.warn(
      { count: report.unmapped.length, first: report.unmapped.slice(0, 20) },
      'demo rows that do not map onto the structures were not loaded',
    );
  }
}

/**
 * The authored reference metadata (metadata/, METADATA_DIR) becomes the stored file versions.
 * A bad file, or a change to a version already public, stops start-up (MetadataLoadError).
 */
function loadReferenceMetadata(app: FastifyInstance, dir: string, repositories: Repositories, structures: StructureService, clock: Clock): void {
  const report = synchroniseMetadataFiles({ dir, registry: structures.registry, repositories, now: clock.now().toISOString() });
  const { unknownReleases, keptWithoutFile, ...counts } = report;
  app.log.info({ metadata: counts }, 'reference metadata loaded');
  if (unknownReleases.length) {
    app.log.warn(
      { releases: [...new Set(unknownReleases.map((u) => u.release))], files: unknownReleases.map((u) => u.file) },
      'metadata sets name releases that do not exist: they are stored and stay invisible until those releases are public',
    );
  }
  if (keptWithoutFile.length) {
    app.log.warn({ versions: keptWithoutFile }, 'public metadata set versions whose files are gone are kept: what was public stays public');
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  // Repeated public answers are sent before Fastify's request handling (http/cache-front.ts);
  // it is configured below, once the cache and the scopes exist.
  const front = new CacheFront();
  const app = Fastify({
    serverFactory: serverWithFront(front),
    logger: withCredentialsRedacted(options.logger ?? false),
    bodyLimit: config.maxJsonBodyBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_URL_LENGTH },
    return503OnClosing: true,
    frameworkErrors,
    // Requests Node's parser refuses get a problem document; long URLs reach the surfaces' 414.
    clientErrorHandler,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    // One access-log line per request instead of two (http/access-log.ts).
    logController: new AccessLog(),
  });
  // Before any route: a path's methods, for 405 answers (http/route-methods.ts).
  recordRouteMethods(app);
  // While closing, Fastify answers 503 to every request: the front steps aside.
  app.addHook('preClose', (done) => {
    front.close();
    done();
  });

  const repositories = options.repositories ?? sqliteRepositories(config.databasePath, config.migrationsDir);
  app.addHook('onClose', async () => repositories.close());
  let structures: StructureService;
  try {
    const loaded = StructureService.load(repositories, config.structuresDir, clock);
    structures = loaded.service;
    app.log.info({ structures: loaded.report }, 'structures loaded');
    if (config.demoData && repositories.releases.list().length === 0) await publishDemoData(app, repositories, structures, clock);
    // After the demo data, so that the releases the metadata names exist on a fresh demo database
    // (not needed for correctness: visibility joins on the release code at query time).
    loadReferenceMetadata(app, config.metadataDir, repositories, structures, clock);
  } catch (err) {
    repositories.close();
    throw err;
  }

  // gzip even for tiny bodies, and preferred over deflate/br when q-values tie: real SDMX
  // clients send `gzip,deflate` and expect gzip back (conformance-kit.md §3.2 D30).
  // The plugin's default type list misses `+csv`: SDMX-CSV is compressed too (COMPRESSIBLE).
  // Answers kept by the people's JSON API are taken before compression turns them into streams.
  keepPublicAnswers(app);
  await app.register(compress, { threshold: 0, encodings: ['gzip', 'deflate', 'br'], customTypes: COMPRESSIBLE });
  await app.register(errorHandling);
  await app.register(auth, {
    tokens: new TokenService(repositories.tokens, clock),
    audit: new AuditLog(repositories.audit, clock),
    throttle: new FailedAuthThrottle(clock, { sleep: options.sleep }),
  });
  // One count per client, whether Fastify or the cache front answers it.
  const limiter = rateLimiterFor(config.rateLimitPerMinute, clock);
  await app.register(rateLimit, { limiter });

  // A callback hook rather than an async one: it runs for every answer, and needs no promise.
  app.addHook('onSend', (_request, reply, _payload, done) => {
    reply.headers(CORS_HEADERS);
    done();
  });

  // Before any route, so the OpenAPI document sees them all (plugins/openapi.ts).
  await app.register(openApi, { version: PACKAGE_VERSION });
  await app.register(healthRoutes);
  await app.register(frontDoorRoutes, { structures, graphql: config.graphql });
  await app.register(docsRoutes);
  const data = new DataService(repositories, structures, clock, { maxObservations: config.maxResponseObservations });
  // Reference metadata reads the same public data and calendar for its computed concepts.
  const metadata = new MetadataService({
    repositories,
    structures,
    quality: new QualityService({ data, structures, repositories, clock }),
    clock,
    paths: { api: API_PREFIX, calendar: `${API_PREFIX}${CALENDAR_PATH}`, sdmx: SDMX_PREFIX },
  });
  app.decorate('metadata', metadata);
  const responseCache = new ResponseCache(config.responseCacheBytes, Math.min(config.responseCacheBytes / 8, 8 * 1024 * 1024));
  // Public answers are kept by caches at most until the next announced release instant.
  const releaseTimeline = new ReleaseTimeline(() => repositories.releases.list());
  const cacheLifetime = new CacheLifetime(releaseTimeline, clock);
  const publicCacheControl = () => cacheLifetime.publicCacheControl();
  await app.register(sdmxRestRoutes, { prefix: SDMX_PREFIX, structures, data, metadata, responseCache, clock, senderId: config.senderId, cacheLifetime });
  const knownDataflows = dataflowReferences(structures.registry.ofClass('Dataflow'));
  // One StructureService for everything: a table saved here is served by the SDMX routes at once.
  const correspondence = new CorrespondenceService(structures, clock);
  const uploads = new UploadService(repositories, structures, clock, { lookup: (agency, id, version) => correspondence.lookup(agency, id, version)?.map }, {
    maxBytes: config.maxUploadBytes,
    tmpDir: config.uploadTmpDir,
  });
  const workflow = new ReleaseWorkflow(repositories, clock, () => knownDataflows);
  // Public answers of the people's API are kept like the SDMX data answers, in the same cache;
  // for a day at most, as they say when they were made (asOf, the citation's access date).
  const today = new UtcDay();
  const peopleAnswers: PublicAnswerCacheOptions = {
    cache: responseCache,
    stateId: () => `${data.visibleStateId()}@${today.of(clock.now().getTime())}`,
    cacheControl: publicCacheControl,
  };
  const calendar = new CalendarService(repositories, clock);
  // The people's services, shared by the JSON API and GraphQL: one set of memos and scans.
  const dataflows = dataflowRouteOptions({ data, structures, storedData: repositories.data, calendar, clock, cacheLifetime });
  const codelists = codelistRouteOptions({ structures, cacheLifetime });
  await app.register(jsonApiRoutes, {
    prefix: API_PREFIX,
    admin: { knownDataflows: () => knownDataflows, clock },
    correspondence: { correspondence, maxTableBytes: 8 * 1024 * 1024 },
    uploads: { uploads },
    calendar: { calendar },
    releases: { workflow, views: new ReleaseViews(repositories, workflow, clock) },
    protection: { protection: new ProtectionService(repositories, structures, clock), repositories },
    // The JSON data API reads the public data exactly as the SDMX routes do (the same DataService).
    data: { api: new JsonDataApi({ data, structures, storedData: repositories.data, clock }), clock, cacheLifetime },
    // The people's API reads through the same DataService, so its counts and rows obey the same embargo.
    dataflows,
    codelists,
    answerCache: peopleAnswers,
  });
  if (config.graphql) {
    // GraphQL reads through the same services as the JSON API (so the same embargo, protection and history).
    await app.register(graphqlRoutes, {
      services: { structures, dataflows: dataflows.catalogue, codelists: codelists.codelists, observations: dataflows.observations, calendar, metadata, clock },
      cacheLifetime,
      // An answer is as new as the newest release public now (the structures are in its ETag).
      lastModified: () => new Date(releaseTimeline.at(clock.now().getTime()).releases.reduce((t, r) => Math.max(t, Date.parse(r.announcedAt)), 0)),
      answerCache: peopleAnswers,
      persisted: GRAPHQL_EXAMPLES.map((e) => e.query),
      timeoutMs: config.graphqlTimeoutMs,
    });
    await app.register(graphiqlRoutes, { endpoint: GRAPHQL_PATH, defaultQuery: GRAPHQL_EXAMPLES[0]!.query });
  }
  // The portal for people, over the same catalogue and calendar as the APIs.
  await app.register(portalRoutes, {
    services: { catalogue: dataflows.catalogue, codelists: codelists.codelists, observations: dataflows.observations, calendar, metadata, structures, clock },
    cacheLifetime,
    graphql: config.graphql,
  });
  front.configure({
    cache: responseCache,
    scopes: [
      { prefix: `${SDMX_PREFIX}/`, keyedByHost: false, stateId: () => data.visibleStateId(), cacheControl: publicCacheControl },
      { prefix: `${API_PREFIX}/`, keyedByHost: true, stateId: peopleAnswers.stateId, cacheControl: publicCacheControl },
      ...(config.graphql ? [{ prefix: `${GRAPHQL_PATH}?`, keyedByHost: true, stateId: peopleAnswers.stateId, cacheControl: publicCacheControl }] : []),
    ],
    limiter,
    client: clientFacts(config.trustProxy),
    everyAnswer: CORS_HEADERS,
    log: app.log,
  });
  return app;
}
