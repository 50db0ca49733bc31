/**
 * The browse pages of a language scope: a country's or area's page (`/countries/{code}`), an ICCS
 * category's page (`/iccs/{code}`) and the search (`/search?q=…`), over the services the APIs use,
 * so each shows what is public at the request instant. An area code without public data, or a
 * code that is no ICCS category, is the portal's 404 page; a code written in the wrong letter case
 * is sent to its page.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { countryNotes } from './browse/country-notes.js';
import { headlineOf } from './browse/headline.js';
import { offenceInFlows } from './browse/offence-data.js';
import { AREA_DIMENSION, areasWithData, areaTree, codesWithData, iccsTree, OFFENCE_DIMENSION, publicFlows, type CodeTree, type PublicFlow } from './browse/public-facts.js';
import { MAX_QUERY_LENGTH, search } from './browse/search-index.js';
import { CountryPage, countryPath, COUNTRY_WORDS } from './country.js';
import { IccsPage, iccsPath, ICCS_WORDS } from './iccs.js';
import { HIDDEN_ROUTE, PAGE_HEADERS, sendNotFound, sendPage } from './page-reply.js';
import type { PortalScope } from './scope.js';
import { SearchPage, SEARCH_WORDS } from './search.js';

type CodeParams = { Params: { code: string } };

export function browsePages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;
  const collator = new Intl.Collator(lang);

  /** A code in another letter case than the codelist's: the page of the code meant, if it has one. */
  function redirectToCase(reply: FastifyReply, code: string, has: (c: string) => boolean, path: (c: string) => string): FastifyReply | null {
    const upper = code.toUpperCase();
    if (upper === code || !has(upper)) return null;
    return reply.headers({ ...PAGE_HEADERS, 'cache-control': scope.cacheLifetime.publicCacheControl() }).redirect(path(upper), 301);
  }

  app.get<CodeParams>('/countries/:code', HIDDEN_ROUTE, async (request, reply) => {
    const { code } = request.params;
    const flows = await publicFlows(services, lang);
    const areas = areaTree(services, flows, lang);
    const withData = areasWithData(flows);
    const hasPage = (c: string) => withData.has(c) && areas?.code(c) !== undefined;
    const area = hasPage(code) ? areas!.code(code)! : undefined;
    if (!area) return redirectToCase(reply, code, hasPage, (c) => countryPath(lang, c)) ?? sendNotFound(reply, lang, COUNTRY_WORDS[lang].notFound);
    const holding = flows.filter((f) => codesWithData(f.detail, AREA_DIMENSION).some((c) => c.id === code));
    const figures = holding.map((flow) => ({ flow, headline: headlineOf(services.observations, flow, code, lang) }));
    const notes = await countryNotes(services, code, lang);
    const page = CountryPage({
      lang,
      asOf: services.clock.now().toISOString(),
      area,
      ancestors: areas!.ancestorsOf(code).reverse().map((a) => ({ code: a, hasPage: hasPage(a.id) })),
      parts: areas!
        .subtreeOf(code)
        .filter((c) => c !== code && hasPage(c))
        .map((c) => areas!.code(c)!)
        .sort((a, b) => collator.compare(a.name ?? a.id, b.name ?? b.id)),
      figures,
      notes,
    });
    return sendPage(request, reply, page, scope.cacheLifetime);
  });

  app.get<CodeParams>('/iccs/:code', HIDDEN_ROUTE, async (request, reply) => {
    const { code } = request.params;
    const iccs = iccsTree(services, lang);
    const entry = iccs?.code(code);
    if (!iccs || !entry) return (iccs && redirectToCase(reply, code, (c) => iccs.code(c) !== undefined, (c) => iccsPath(lang, c))) ?? sendNotFound(reply, lang, ICCS_WORDS[lang].notFound);
    const flows = await publicFlows(services, lang);
    const areas = areaTree(services, flows, lang);
    const reported = offenceInFlows(services.observations, flows, code, lang);
    const page = IccsPage({
      lang,
      asOf: services.clock.now().toISOString(),
      codelist: iccs.head,
      code: entry,
      ancestors: iccs.ancestorsOf(code).reverse(),
      children: iccs.childrenOf(code).map((c) => ({ code: c, hasData: holdsData(iccs, flows, c.id) })),
      flows: reported,
      areaName: (c) => areas?.code(c)?.name ?? c,
      isCategory: (c) => iccs.code(c) !== undefined,
    });
    return sendPage(request, reply, page, scope.cacheLifetime);
  });

  app.get<{ Querystring: { q?: string | string[] } }>('/search', HIDDEN_ROUTE, async (request, reply) => {
    const raw = request.query.q;
    // A repeated q: the first; a very long one: its beginning (a query is a few words).
    const q = (Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '')).trim().slice(0, MAX_QUERY_LENGTH).trim();
    const iccs = iccsTree(services, lang);
    const sections = iccs ? iccs.codes.filter((c) => c.parent === null) : [];
    let results = null;
    if (q) {
      const flows = await publicFlows(services, lang);
      const w = SEARCH_WORDS[lang];
      results = search(q, { lang, flows, iccs, areas: areaTree(services, flows, lang), areasWithData: areasWithData(flows), words: { noData: w.noPublicData, period: w.period } });
    }
    return sendPage(request, reply, SearchPage({ lang, q, results, sections }), scope.cacheLifetime);
  });
}

/** Whether some dataflow holds data for an ICCS category or a category under it. */
function holdsData(iccs: CodeTree, flows: readonly PublicFlow[], code: string): boolean {
  const subtree = new Set(iccs.subtreeOf(code));
  return flows.some((f) => codesWithData(f.detail, OFFENCE_DIMENSION).some((c) => subtree.has(c.id)));
}
