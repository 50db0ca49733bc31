/** The home page of a language scope: `/{lang}/`. */
import type { FastifyInstance } from 'fastify';
import { HomePage } from './home.js';
import { HIDDEN_ROUTE, sendPage } from './page-reply.js';
import type { PortalScope } from './scope.js';

export function homePages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;
  app.get('/', HIDDEN_ROUTE, async (request, reply) => {
    const { body } = await services.catalogue.list(lang);
    const calendar = services.calendar.view().items.map((i) => i.entry);
    return sendPage(request, reply, HomePage({ lang, asOf: body.asOf, dataflows: body.dataflows, calendar }), scope.cacheLifetime);
  });
}
