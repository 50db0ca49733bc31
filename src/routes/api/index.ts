/**
 * The JSON API: one scope under /api/v1, registered once. It sets what every JSON route shares
 * (the strict validator, the one `Problem` schema, problem+json error and not-found handling,
 * 405 for a known path with another method, 406 for an Accept header no route offers, 414)
 * and registers each group of routes, declared relative to the prefix: the public data,
 * calendar, correspondence tables; the publisher's uploads, releases and disclosure control;
 * the admin API under /admin. The people's API (dataflows, codelists) keeps its public answers
 * in the response cache.
 */
import type { FastifyInstance } from 'fastify';
import { strictValidatorCompiler } from '../../http/validation.js';
import { problemSchema } from '../../http/problem.js';
import { problemErrorHandling } from '../../http/problem-errors.js';
import { refuseUnacceptable } from '../../http/acceptable.js';
import { refuseLongUrls } from '../../http/client-errors.js';
import { cachePublicAnswers, type PublicAnswerCacheOptions } from '../../http/public-answer-cache.js';
import { adminRoutes, ADMIN_PREFIX } from '../admin/index.js';
import type { TokenRouteOptions } from '../admin/token-routes.js';
import { uploadRoutes, type UploadRoutesOptions } from './uploads.js';
import { correspondenceRoutes, type CorrespondenceRoutesOptions } from './correspondence-tables.js';
import { calendarRoutes, type CalendarRoutesOptions } from './calendar.js';
import { releaseRoutes, type ReleaseRoutesOptions } from './releases.js';
import { protectionRoutes, type ProtectionRoutesOptions } from './protection.js';
import { jsonDataRoutes, type JsonDataRoutesOptions } from './data.js';
import { dataflowRoutes, type DataflowRoutesOptions } from './dataflows.js';
import { codelistRoutes, type CodelistRoutesOptions } from './codelists.js';
import { metadataSetRoutes } from './metadata-sets.js';

export { API_PREFIX } from './prefix.js';

export interface JsonApiOptions {
  readonly admin: TokenRouteOptions;
  readonly uploads: UploadRoutesOptions;
  readonly correspondence: CorrespondenceRoutesOptions;
  readonly calendar: CalendarRoutesOptions;
  readonly releases: ReleaseRoutesOptions;
  readonly protection: ProtectionRoutesOptions;
  readonly data: JsonDataRoutesOptions;
  /** The people's API: dataflows, their observations as rows, codelists (docs/json-api.md). */
  readonly dataflows: DataflowRoutesOptions;
  readonly codelists: CodelistRoutesOptions;
  /** Where the people's API keeps its public answers (http/public-answer-cache.ts). */
  readonly answerCache: PublicAnswerCacheOptions;
}

export async function jsonApiRoutes(app: FastifyInstance, opts: JsonApiOptions): Promise<void> {
  app.setValidatorCompiler(strictValidatorCompiler);
  app.addSchema(problemSchema);
  problemErrorHandling(app);
  refuseLongUrls(app);
  refuseUnacceptable(app);
  await app.register(adminRoutes, { prefix: ADMIN_PREFIX, ...opts.admin });
  await app.register(correspondenceRoutes, opts.correspondence);
  await app.register(uploadRoutes, opts.uploads);
  await app.register(calendarRoutes, opts.calendar);
  await app.register(releaseRoutes, opts.releases);
  await app.register(protectionRoutes, opts.protection);
  await app.register(metadataSetRoutes, { repositories: opts.protection.repositories, structures: app.metadata, clock: opts.admin.clock });
  await app.register(jsonDataRoutes, opts.data);
  await app.register(async (people) => {
    cachePublicAnswers(people, opts.answerCache);
    await people.register(dataflowRoutes, opts.dataflows);
    await people.register(codelistRoutes, opts.codelists);
  });
}
