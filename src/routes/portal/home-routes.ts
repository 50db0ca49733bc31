/** The home page of a language scope, `/{lang}/`: the catalogue, the calendar and the headline figures. */
import type { FastifyInstance } from 'fastify';
import { headlineOf, sdgTargetOf, type Headline } from './headlines.js';
import { HomePage } from './home.js';
import { HIDDEN_ROUTE, sendPage } from './page-reply.js';
import type { PortalScope } from './scope.js';

export function homePages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;
  app.get('/', HIDDEN_ROUTE, async (request, reply) => {
    const { body } = await services.catalogue.list(lang);
    const calendar = services.calendar.view().items.map((i) => i.entry);
    const headlines: Headline[] = [];
    for (const summary of body.dataflows.filter((f) => sdgTargetOf(f) !== null && f.period !== null)) {
      const detail = (await services.catalogue.detail(summary.id, summary.agency, summary.version, lang)).body.dataflow;
      const headline = headlineOf(services.observations, detail, lang);
      if (headline) headlines.push(headline);
    }
    return sendPage(request, reply, HomePage({ lang, asOf: body.asOf, dataflows: body.dataflows, calendar, headlines }), scope.cacheLifetime);
  });
}
