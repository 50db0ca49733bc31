/**
 * A dataflow's page, which is its explorer: what it holds (description, period covered, counts,
 * releases), the filter form, the chart (or map), the table, the downloads of exactly the view,
 * the "API for this view" panel, a citation and the methodology notes. Every view is a permalink:
 * its whole state is the query string (view-state.ts). A refused selection keeps the form, says
 * why (announced to screen readers), and shows no figures.
 */
import type { VNode } from 'preact';
import type { CalendarEntry } from '../../services/calendar/calendar.js';
import type { DataflowDetail } from '../../services/catalogue/dataflows.js';
import type { HeadlineNote } from '../../formats/observation-writers.js';
import { ChartPanel, type ChartModel } from './explore/chart-panel.js';
import { Filters } from './explore/filters.js';
import type { ReuseLinks } from './explore/reuse.js';
import { ViewTable } from './explore/table.js';
import type { ViewData } from './explore/view-data.js';
import { MAX_VIEW_ROWS } from './explore/view-data.js';
import type { ViewState } from './explore/view-state.js';
import { EXPLORE_WORDS } from './explore/words.js';
import { formatDate, formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { releaseHref } from './calendar.js';
import { countryPath } from './country.js';
import { iccsPath } from './iccs.js';
import { metadataPageHref } from './metadata-page.js';
import { EXPLORE_SCRIPT_PATH, Page } from './layout.js';

export interface DataflowPageData {
  readonly lang: PortalLanguage;
  readonly dataflow: DataflowDetail;
  readonly releases: readonly CalendarEntry[];
  readonly state: ViewState;
  /** The view's figures, or the reason the selection was refused. */
  readonly view: { readonly data: ViewData; readonly chart: ChartModel; readonly reuse: ReuseLinks; readonly map: VNode | null } | { readonly refused: string };
  /** The headline notes of the dataflow's methodology report, with the link to it. */
  readonly notes: { readonly notes: readonly HeadlineNote[]; readonly link: string } | null;
  /** The page's own address with the view's query and the data state pinned (for the citation). */
  readonly permalink: string;
  readonly accessedAt: string;
}

export function DataflowPage({ lang, dataflow: flow, releases, state, view, notes, permalink, accessedAt }: DataflowPageData) {
  const t = MESSAGES[lang];
  const w = EXPLORE_WORDS[lang];
  const name = flow.name ?? flow.id;
  const path = `/${lang}/dataflows/${flow.id}`;
  return (
    <Page lang={lang} title={name} path={`/dataflows/${flow.id}`} description={flow.description ?? undefined} scripts={[EXPLORE_SCRIPT_PATH]}>
      <p class="breadcrumb">
        <a href={`/${lang}/`}>{t.navData}</a>
        {flow.theme ? <> › {flow.theme.name}</> : null}
      </p>
      <h1>{name}</h1>
      {flow.description ? <p class="lead">{flow.description}</p> : null}
      <dl class="facts-list">
        <div>
          <dt>{t.period}</dt>
          <dd>{flow.period ? `${flow.period.first}–${flow.period.last}` : t.noData}</dd>
        </div>
        <div>
          <dt>{t.valuesLabel}</dt>
          <dd>
            {formatNumber(flow.observations, lang)} ({formatNumber(flow.series, lang)} {t.series})
          </dd>
        </div>
        {flow.lastRelease ? (
          <div>
            <dt>{t.lastRelease}</dt>
            <dd>
              {flow.lastRelease.title}, <time dateTime={flow.lastRelease.announcedAt}>{formatDate(flow.lastRelease.announcedAt, lang)}</time>
            </dd>
          </div>
        ) : null}
        {flow.nextRelease ? (
          <div>
            <dt>{t.nextRelease}</dt>
            <dd>
              {flow.nextRelease.title}, <time dateTime={flow.nextRelease.announcedAt}>{formatDate(flow.nextRelease.announcedAt, lang)}</time>
            </dd>
          </div>
        ) : null}
      </dl>

      {'refused' in view ? (
        <div class="refused" role="alert">
          <h2>{w.refused}</h2>
          <p>{view.refused}</p>
        </div>
      ) : null}

      <Filters lang={lang} flow={flow} state={state} releases={releases} action={path} />

      {'refused' in view ? null : (
        <>
          {view.data.fixed.length ? (
            <section aria-labelledby="selection" class="selection">
              <h2 id="selection">{w.selection}</h2>
              <dl class="selection-list">
                {view.data.fixed.map((d) => (
                  <div>
                    <dt>{d.name}</dt>
                    <dd>
                      <SelectionValue lang={lang} dimension={d.id} code={d.codes[0]!} label={view.data.label(d.id, d.codes[0]!)} />
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ) : null}
          {view.data.truncated ? (
            <p class="note" role="status">
              {w.truncated(formatNumber(MAX_VIEW_ROWS, lang))}
            </p>
          ) : null}
          <ChartPanel lang={lang} view={view.data} state={state} model={view.chart} path={path} map={view.map} />
          <ViewTable lang={lang} view={view.data} state={state} path={path} />
          <Downloads lang={lang} links={view.reuse} />
          <ApiPanel lang={lang} links={view.reuse} pinned={state.asOf !== undefined || state.release !== undefined} />
          <Citation lang={lang} agency={view.data.answer.agencyName} name={name} release={view.data.answer.contributedReleases().at(-1)?.code ?? null} permalink={permalink} accessedAt={accessedAt} />
        </>
      )}

      {notes ? (
        <section aria-labelledby="methodology">
          <h2 id="methodology">{w.methodology}</h2>
          {notes.notes.length ? (
            <dl class="notes-list">
              {notes.notes.map((n) => (
                <div>
                  <dt>{n.name}</dt>
                  <dd>{n.text}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <ul class="links">
            <li>
              <a href={metadataPageHref(lang, flow.id)}>{w.metadataPage}</a>
            </li>
            <li>
              <a href={notes.link}>{w.metadataLink}</a>
            </li>
          </ul>
        </section>
      ) : null}

      {releases.length ? (
        <section aria-labelledby="releases">
          <h2 id="releases">{w.releasesOfFlow}</h2>
          <ul class="releases">
            {releases.map((e) => (
              <li>
                <time dateTime={e.announcedAt}>{formatDate(e.announcedAt, lang)}</time> <a href={releaseHref(e.code, lang)}>{e.title}</a>{' '}
                <span class="state">({e.state === 'published' ? t.statePublished : t.stateScheduled})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}

/** A code of the selection, linked to its own page where there is one: an area's, an ICCS category's. */
function SelectionValue({ lang, dimension, code, label }: { lang: PortalLanguage; dimension: string; code: string; label: string }) {
  if (dimension === 'REF_AREA') return <a href={countryPath(lang, code)}>{label}</a>;
  if (dimension === 'OFFENCE' && /^\d+$/.test(code)) return <a href={iccsPath(lang, code)}>{label}</a>;
  return <>{label}</>;
}

function Downloads({ lang, links }: { lang: PortalLanguage; links: ReuseLinks }) {
  const w = EXPLORE_WORDS[lang];
  return (
    <section aria-labelledby="download">
      <h2 id="download">{w.downloadView}</h2>
      <ul class="links downloads">
        <li>
          <a href={links.csv} download>
            {w.csvView}
          </a>
        </li>
        <li>
          <a href={links.xlsx} download>
            {w.xlsxView}
          </a>
        </li>
        <li>
          <a href={links.sdmxCsv}>{w.sdmxCsv}</a> · <a href={links.sdmxJson}>{w.sdmxJson}</a> · <a href={links.sdmxMl}>{w.sdmxMl}</a>
        </li>
      </ul>
    </section>
  );
}

function ApiPanel({ lang, links, pinned }: { lang: PortalLanguage; links: ReuseLinks; pinned: boolean }) {
  const w = EXPLORE_WORDS[lang];
  const block = (id: string, title: string, text: string) => (
    <div class="api-item">
      <h3 id={id}>{title}</h3>
      <pre aria-labelledby={id} tabIndex={0}>
        <code>{text}</code>
      </pre>
    </div>
  );
  return (
    <section aria-labelledby="api" class="api-panel">
      <details>
        <summary>
          <h2 id="api">{w.apiForView}</h2>
        </summary>
        <p>{w.apiHelp}</p>
        {block('api-sdmx', w.sdmxUrl, links.sdmx)}
        {pinned ? <p class="note">{w.sdmxNow}</p> : null}
        {block('api-json', w.jsonUrl, links.json)}
        {block('api-graphql', w.graphqlQuery, links.graphql)}
        {block('api-r', w.rSnippet, links.r)}
        {block('api-python', w.pythonSnippet, links.python)}
      </details>
    </section>
  );
}

function Citation({ lang, agency, name, release, permalink, accessedAt }: { lang: PortalLanguage; agency: string; name: string; release: string | null; permalink: string; accessedAt: string }) {
  const w = EXPLORE_WORDS[lang];
  return (
    <section aria-labelledby="cite">
      <h2 id="cite">{w.cite}</h2>
      <p class="citation">
        {agency}. <cite>{name}</cite>
        {release ? `, ${release}` : ''}. {w.accessed} {formatDate(accessedAt, lang)}. <a href={permalink}>{permalink}</a>
      </p>
      <p>
        <a href={permalink}>{w.permalink}</a>
      </p>
    </section>
  );
}
