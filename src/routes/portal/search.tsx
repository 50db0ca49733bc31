/**
 * The search page, `/{lang}/search?q=…`, and the search form other pages put where people look
 * for it (`SearchForm`, a plain GET form: no JavaScript). Results are grouped by kind (dataflows,
 * ICCS categories, countries and areas) and link to the explorer, the category's page and the
 * area's page; what holds no public data yet is said so (an area without data has no page, so it
 * is named without a link). An empty query shows the form with a hint; a query without results
 * says so and offers ways to browse.
 */
import type { FlatCode } from '../../services/catalogue/codelists.js';
import { MAX_QUERY_LENGTH, type SearchHit, type SearchKind, type SearchResults } from './browse/search-index.js';
import { countryPath } from './country.js';
import { iccsPath } from './iccs.js';
import { formatNumber, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

const en = {
  title: 'Search',
  resultsTitle: (q: string) => `Search results for “${q}”`,
  label: 'Search the data',
  button: 'Search',
  placeholderHint: 'A country, an offence, or an ICCS code',
  hint: 'Type the name of a country or an area (Mexico), an offence (homicide, robbery) or an ICCS code (0101). Accents and capitals do not matter.',
  found: (n: string, q: string) => `${n} ${n === '1' ? 'result' : 'results'} for “${q}”.`,
  none: (q: string) => `Nothing matches “${q}”.`,
  noneHelp: 'Check the spelling, try fewer or shorter words, or browse:',
  kinds: { dataflow: 'Dataflows', iccs: 'ICCS categories', area: 'Countries and areas' } as Record<SearchKind, string>,
  more: (n: string) => `${n} more: add a word to narrow the search.`,
  noDataYet: 'no data yet',
  noPublicData: 'No public data yet',
  period: (first: string, last: string) => `Figures ${first}–${last}`,
  browse: 'Browse',
  browseFlows: 'Every dataflow, by theme',
  browseIccs: 'The ICCS, section by section',
};

type SearchWords = typeof en;

const es: SearchWords = {
  title: 'Buscar',
  resultsTitle: (q: string) => `Resultados de la búsqueda «${q}»`,
  label: 'Buscar en los datos',
  button: 'Buscar',
  placeholderHint: 'Un país, un delito o un código de la ICCS',
  hint: 'Escriba el nombre de un país o una zona (México), un delito (homicidio, robo) o un código de la ICCS (0101). Las tildes y las mayúsculas no importan.',
  found: (n: string, q: string) => `${n} ${n === '1' ? 'resultado' : 'resultados'} para «${q}».`,
  none: (q: string) => `Nada coincide con «${q}».`,
  noneHelp: 'Revise la ortografía, pruebe con menos palabras o más cortas, o explore:',
  kinds: { dataflow: 'Conjuntos de datos', iccs: 'Categorías de la ICCS', area: 'Países y zonas' },
  more: (n: string) => `${n} más: añada una palabra para acotar la búsqueda.`,
  noDataYet: 'aún sin datos',
  noPublicData: 'Aún no hay datos públicos',
  period: (first: string, last: string) => `Cifras ${first}-${last}`,
  browse: 'Explorar',
  browseFlows: 'Todos los conjuntos de datos, por tema',
  browseIccs: 'La ICCS, sección por sección',
};

export const SEARCH_WORDS: Readonly<Record<PortalLanguage, SearchWords>> = { en, es };

export function searchPath(lang: PortalLanguage, q?: string): string {
  return `/${lang}/search${q ? `?q=${encodeURIComponent(q)}` : ''}`;
}

/** The search form (for the search page, the home page, or any page): GET /{lang}/search?q=… */
export function SearchForm({ lang, value }: { lang: PortalLanguage; value?: string }) {
  const w = SEARCH_WORDS[lang];
  return (
    <form method="get" action={`/${lang}/search`} role="search" class="search-form">
      <label for="search-q">{w.label}</label>
      <div class="search-row">
        <input type="search" id="search-q" name="q" value={value ?? ''} maxLength={MAX_QUERY_LENGTH} autocomplete="off" aria-describedby="search-hint" />
        <button type="submit">{w.button}</button>
      </div>
      <p id="search-hint" class="help">
        {w.placeholderHint}
      </p>
    </form>
  );
}

export interface SearchPageData {
  readonly lang: PortalLanguage;
  /** The query as typed (trimmed); empty: the form alone. */
  readonly q: string;
  readonly results: SearchResults | null;
  /** The ICCS sections, to browse from. */
  readonly sections: readonly FlatCode[];
}

export function SearchPage({ lang, q, results, sections }: SearchPageData) {
  const w = SEARCH_WORDS[lang];
  const total = results ? results.counts.dataflow + results.counts.iccs + results.counts.area : 0;
  return (
    <Page lang={lang} title={q ? w.resultsTitle(q) : w.title} path={`/search${q ? `?q=${encodeURIComponent(q)}` : ''}`}>
      <h1>{w.title}</h1>
      <SearchForm lang={lang} value={q} />
      {!q ? (
        <>
          <p class="search-hint">{w.hint}</p>
          <Browse lang={lang} sections={sections} />
        </>
      ) : total === 0 ? (
        <>
          <p class="search-summary" role="status">
            {w.none(q)}
          </p>
          <p>{w.noneHelp}</p>
          <Browse lang={lang} sections={sections} />
        </>
      ) : (
        <>
          <p class="search-summary" role="status">
            {w.found(formatNumber(total, lang), q)}
          </p>
          {(['dataflow', 'iccs', 'area'] as const).map((kind) =>
            results!.counts[kind] ? <ResultGroup lang={lang} kind={kind} hits={results!.hits[kind]} count={results!.counts[kind]} /> : null,
          )}
        </>
      )}
    </Page>
  );
}

function hrefOf(lang: PortalLanguage, hit: SearchHit): string | null {
  switch (hit.kind) {
    case 'dataflow':
      return `/${lang}/dataflows/${hit.id}`;
    case 'iccs':
      return iccsPath(lang, hit.id);
    case 'area':
      // An area without data has no page.
      return hit.hasData ? countryPath(lang, hit.id) : null;
  }
}

function ResultGroup({ lang, kind, hits, count }: { lang: PortalLanguage; kind: SearchKind; hits: readonly SearchHit[]; count: number }) {
  const w = SEARCH_WORDS[lang];
  const id = `results-${kind}`;
  return (
    <section aria-labelledby={id} class="search-group" data-kind={kind}>
      <h2 id={id}>
        {w.kinds[kind]} ({formatNumber(count, lang)})
      </h2>
      <ul class="search-results">
        {hits.map((hit) => {
          const href = hrefOf(lang, hit);
          const code = kind === 'dataflow' ? null : <span class="result-code">{hit.id}</span>;
          return (
            <li data-id={hit.id} class={hit.hasData ? undefined : 'without-data'}>
              {href ? (
                <a href={href}>
                  {code}
                  {code ? ' ' : null}
                  {hit.label}
                </a>
              ) : (
                <span>
                  {code}
                  {code ? ' ' : null}
                  {hit.label}
                </span>
              )}
              {hit.detail ? <span class="result-detail"> · {hit.detail}</span> : null}
              {!hit.hasData && kind !== 'dataflow' ? <span class="no-data"> · {w.noDataYet}</span> : null}
            </li>
          );
        })}
      </ul>
      {count > hits.length ? <p class="note">{w.more(formatNumber(count - hits.length, lang))}</p> : null}
    </section>
  );
}

function Browse({ lang, sections }: { lang: PortalLanguage; sections: readonly FlatCode[] }) {
  const w = SEARCH_WORDS[lang];
  return (
    <section aria-labelledby="browse" class="search-browse">
      <h2 id="browse">{w.browse}</h2>
      <ul class="links">
        <li>
          <a href={`/${lang}/`}>{w.browseFlows}</a>
        </li>
      </ul>
      <h3 id="browse-iccs">{w.browseIccs}</h3>
      <ul class="browse-list" aria-labelledby="browse-iccs">
        {sections.map((s) => (
          <li>
            <a href={iccsPath(lang, s.id)}>
              <span class="iccs-code">{s.id}</span> {s.name ?? s.id}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
