/**
 * A dataflow's page: what it holds (description, theme, counts, period covered, dimensions and
 * how many of their codes hold data), its releases, and how to take the figures away: downloads
 * (CSV with labels, an Excel workbook with notes, SDMX-CSV) and the same data through each API.
 * The explorer (filters, table, chart, map) builds on this page.
 */
import type { CalendarEntry } from '../../services/calendar/calendar.js';
import type { DataflowDetail } from '../../services/catalogue/dataflows.js';
import { formatDate, formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

export interface DataflowPageData {
  readonly lang: PortalLanguage;
  readonly dataflow: DataflowDetail;
  readonly releases: readonly CalendarEntry[];
}

export function DataflowPage({ lang, dataflow, releases }: DataflowPageData) {
  const t = MESSAGES[lang];
  const flow = dataflow;
  const name = flow.name ?? flow.id;
  const observations = flow.links.observations;
  const graphql = `{ series(dataflow: "${flow.id}", first: 10) { totalCount nodes { key observations { period value } } } }`;
  return (
    <Page lang={lang} title={name} path={`/dataflows/${flow.id}`} description={flow.description ?? undefined}>
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

      <section aria-labelledby="dimensions">
        <h2 id="dimensions">{t.dimensions}</h2>
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t.dimension}</th>
              <th scope="col" class="number">
                {t.codesWithData}
              </th>
            </tr>
          </thead>
          <tbody>
            {flow.dimensions.map((d) => (
              <tr>
                <th scope="row">{d.name ?? d.id}</th>
                <td class="number">{formatNumber(d.codes.length, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="download">
        <h2 id="download">{t.download}</h2>
        <ul class="links">
          <li>
            <a href={`${observations}?format=csv&lang=${lang}&footnotes=true`} download>
              {t.downloadCsv}
            </a>
          </li>
          <li>
            <a href={`${observations}?format=xlsx&lang=${lang}`} download>
              {t.downloadXlsx}
            </a>
          </li>
          <li>
            <a href={flow.links.sdmxCsv}>{t.downloadSdmxCsv}</a>
          </li>
        </ul>
      </section>

      <section aria-labelledby="reuse">
        <h2 id="reuse">{t.reuse}</h2>
        <ul class="links">
          <li>
            <a href={`${observations}?lang=${lang}`}>{t.apiJson}</a>
          </li>
          <li>
            <a href={flow.links.sdmxStructure}>{t.apiSdmx}</a>
          </li>
          <li>
            <a href={`${flow.links.self}/metadata?lang=${lang}`}>{t.metadataJson}</a>
          </li>
          <li>
            {t.apiGraphql}: <code>{graphql}</code>
          </li>
        </ul>
      </section>

      {releases.length ? (
        <section aria-labelledby="releases">
          <h2 id="releases">{t.latestReleases}</h2>
          <ul class="releases">
            {releases.map((e) => (
              <li>
                <time dateTime={e.announcedAt}>{formatDate(e.announcedAt, lang)}</time> <span>{e.title}</span>{' '}
                <span class="state">({e.state === 'published' ? t.statePublished : t.stateScheduled})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}
