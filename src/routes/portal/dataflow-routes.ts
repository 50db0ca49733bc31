/** A dataflow's page: `/{lang}/dataflows/{id}`. */
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../errors.js';
import { DataflowPage } from './dataflow.js';
import { MESSAGES } from './i18n.js';
import { HIDDEN_ROUTE, sendNotFound, sendPage } from './page-reply.js';
import type { PortalScope } from './scope.js';

export function dataflowPages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;
  app.get<{ Params: { id: string } }>('/dataflows/:id', HIDDEN_ROUTE, async (request, reply) => {
    let detail;
    try {
      detail = (await services.catalogue.detail(request.params.id, undefined, undefined, lang)).body.dataflow;
    } catch (err) {
      if (err instanceof ServiceError && (err.kind === 'not-found' || err.kind === 'invalid-input')) return sendNotFound(reply, lang, MESSAGES[lang].notFoundDataflow);
      throw err;
    }
    const flowKey = `${detail.agency}:${detail.id}(${detail.version})`;
    const releases = services.calendar
      .view({ dataflows: [flowKey] })
      .items.map((i) => i.entry)
      .filter((e) => e.state !== 'cancelled')
      .sort((a, b) => b.announcedAt.localeCompare(a.announcedAt));
    return sendPage(request, reply, DataflowPage({ lang, dataflow: detail, releases }), scope.cacheLifetime);
  });
}
