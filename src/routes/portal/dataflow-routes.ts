/**
 * A dataflow's explorer page, `/{lang}/dataflows/{id}?<view>`, and its chart as a file of its own,
 * `/{lang}/dataflows/{id}/chart.svg?<view>`. The figures are read through the JSON API's service
 * with the view's filters; a selection the API refuses is shown as the API's reason, with the form
 * kept (400), never as an empty table.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../errors.js';
import { originOf, rawQueryOf } from '../../http/request-address.js';
import { headlineFootnotes } from '../api/dataflow-metadata.js';
import type { DataflowDetail } from '../../services/catalogue/dataflows.js';
import type { VisibleRelease } from '../../services/visibility.js';
import { chartFile, CHART_FILE_TYPES, type ChartFileType } from './explore/chart-file.js';
import { chartModel } from './explore/chart-panel.js';
import { reuseLinks } from './explore/reuse.js';
import { readView, type ViewData } from './explore/view-data.js';
import { areaCodesByIsoNumeric } from './map/area-codes.js';
import { WorldMap } from './map/world-map.js';
import { readViewState, viewQuery, type ViewState } from './explore/view-state.js';
import { DataflowPage } from './dataflow.js';
import { EXPLORE_WORDS } from './explore/words.js';
import { MESSAGES } from './i18n.js';
import { HIDDEN_ROUTE, PAGE_HEADERS, sendMessage, sendNotFound, sendPage } from './page-reply.js';
import type { PortalScope } from './scope.js';

type FlowRequest = FastifyRequest<{ Params: { id: string } }>;

const isChartFileType = (type: string): type is ChartFileType => Object.hasOwn(CHART_FILE_TYPES, type);

/**
 * The view's address with the state of its data pinned, unless asOf or release already pins it:
 * the latest release the view reads (`release=`), which gives the same figures as now and later
 * the same figures as then. It names a release, not the request instant, so that the page stays
 * the same (and its ETag valid) until a release changes the data.
 */
function permalinkOf(origin: string, path: string, state: ViewState, data: ViewData | undefined): string {
  const latest = data?.answer.releasesRead.reduce<VisibleRelease | undefined>((a, r) => (!a || r.announcedAt >= a.announcedAt ? r : a), undefined);
  const pinned = !latest || state.asOf !== undefined || state.release !== undefined ? state : { ...state, release: latest.code };
  return `${origin}${path}?${viewQuery(pinned, { page: 1 })}`;
}

export function dataflowPages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;

  /** The dataflow as the catalogue sees it now, or null when there is none of that id. */
  async function detailOf(id: string): Promise<DataflowDetail | null> {
    try {
      return (await services.catalogue.detail(id, undefined, undefined, lang)).body.dataflow;
    } catch (err) {
      if (err instanceof ServiceError && (err.kind === 'not-found' || err.kind === 'invalid-input')) return null;
      throw err;
    }
  }

  /** The view's figures, or the API's reason for refusing the selection. */
  function viewOf(flow: DataflowDetail, state: ViewState) {
    try {
      return readView(services.observations, flow.id, state, lang);
    } catch (err) {
      if (err instanceof ServiceError && (err.kind === 'invalid-input' || err.kind === 'not-found')) return { refused: err.message };
      throw err;
    }
  }

  const numbers = new Intl.NumberFormat(lang);
  /** What the page shows of a view's figures: the chart (or the map), and the addresses that give the same figures. */
  function explorerView(flow: DataflowDetail, data: ViewData, state: ViewState, origin: string) {
    const chart = chartModel(data, state, lang, true);
    const measure = data.units.find((u) => u.field === chart.measure);
    const map =
      chart.kind === 'map' && chart.mapValues
        ? WorldMap({
            lang,
            title: `${measure?.name ?? chart.measure}, ${chart.year}`,
            values: chart.mapValues,
            nameOf: (code) => data.label('REF_AREA', code),
            formatValue: (n) => numbers.format(n),
            valueLabel: measure?.name ?? undefined,
            // Cached per registry: a structure written later gives a new registry, so it is looked up per view.
            areaOfIsoNumeric: areaCodesByIsoNumeric(services.structures.registry),
          })
        : null;
    return { data, chart, reuse: reuseLinks(origin, flow, data.answer, state, lang), map };
  }

  app.get<{ Params: { id: string } }>('/dataflows/:id', HIDDEN_ROUTE, async (request: FlowRequest, reply: FastifyReply) => {
    const flow = await detailOf(request.params.id);
    if (!flow) return sendNotFound(reply, lang, MESSAGES[lang].notFoundDataflow);
    const flowKey = `${flow.agency}:${flow.id}(${flow.version})`;
    const releases = services.calendar
      .view({ dataflows: [flowKey] })
      .items.map((i) => i.entry)
      .filter((e) => e.state !== 'cancelled')
      .sort((a, b) => b.announcedAt.localeCompare(a.announcedAt));
    const state = readViewState(rawQueryOf(request), flow.dimensions);
    const origin = originOf(request);
    const path = `/${lang}/dataflows/${flow.id}`;
    const data = viewOf(flow, state);
    const now = services.clock.now().toISOString();
    // The citation's access date is a day: the page stays the same all day long.
    const accessedAt = now.slice(0, 10);
    const permalink = permalinkOf(origin, path, state, 'refused' in data ? undefined : data);
    const footnotes = await headlineFootnotes(services.metadata, services.structures.registry, services.catalogue.resolve(flow.id), now, lang, origin);
    const notes = footnotes.report ? { notes: footnotes.report.notes, link: footnotes.report.link } : null;
    const view = 'refused' in data ? data : explorerView(flow, data, state, origin);
    if ('refused' in view) reply.code(400);
    return sendPage(request, reply, DataflowPage({ lang, dataflow: flow, releases, state, view, notes, permalink, accessedAt }), scope.cacheLifetime);
  });

  app.get<{ Params: { id: string; type: string } }>('/dataflows/:id/chart.:type', HIDDEN_ROUTE, async (request, reply) => {
    const type = request.params.type;
    if (!isChartFileType(type)) return sendNotFound(reply, lang, MESSAGES[lang].notFoundText);
    const flow = await detailOf(request.params.id);
    if (!flow) return sendNotFound(reply, lang, MESSAGES[lang].notFoundDataflow);
    const state = readViewState(rawQueryOf(request), flow.dimensions);
    const data = viewOf(flow, state);
    if ('refused' in data) return sendMessage(reply, 400, lang, EXPLORE_WORDS[lang].refused, data.refused);
    const origin = originOf(request);
    const permalink = permalinkOf(origin, `/${lang}/dataflows/${flow.id}`, state, data);
    const name = flow.name ?? flow.id;
    const frame = (title: string) => ({ heading: `${name}: ${title}`, footer: [EXPLORE_WORDS[lang].chartSource(data.answer.agencyName, name), permalink] });
    const model = chartModel(data, state, lang, true, frame);
    if (!model.svg) return sendNotFound(reply, lang, model.summary.join(' '));
    return reply
      .headers({
        ...PAGE_HEADERS,
        'cache-control': scope.cacheLifetime.publicCacheControl(),
        'content-type': CHART_FILE_TYPES[type],
        'content-disposition': `attachment; filename="${flow.id}-${model.kind}.${type}"`,
      })
      .send(chartFile(model.svg, type));
  });
}

