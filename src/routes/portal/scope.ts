/**
 * What every group of portal pages is given inside its language scope: the language and the
 * services the APIs use (so a page shows exactly what the APIs answer at its instant), and the
 * cache lifetime bounded by the next release instant. A page group is a function that adds its
 * routes to the scope (index.ts calls each one once per language).
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import type { CalendarService } from '../../services/calendar/calendar.js';
import type { CodelistCatalogue } from '../../services/catalogue/codelists.js';
import type { DataflowCatalogue } from '../../services/catalogue/dataflows.js';
import type { ObservationsApi } from '../../services/data/observations.js';
import type { MetadataService } from '../../services/metadata/metadata-service.js';
import type { StructureService } from '../../services/structure-service.js';
import type { PortalLanguage } from './i18n.js';

export interface PortalServices {
  readonly catalogue: DataflowCatalogue;
  readonly codelists: CodelistCatalogue;
  readonly observations: ObservationsApi;
  readonly calendar: CalendarService;
  readonly metadata: MetadataService;
  readonly structures: StructureService;
  readonly clock: Clock;
}

export interface PortalOptions {
  readonly services: PortalServices;
  readonly cacheLifetime: CacheLifetime;
  /** Whether GraphQL is served (the "API for this view" panel shows its query only then). */
  readonly graphql: boolean;
}

export interface PortalScope extends PortalOptions {
  readonly lang: PortalLanguage;
}

export type PageGroup = (app: FastifyInstance, scope: PortalScope) => void;
