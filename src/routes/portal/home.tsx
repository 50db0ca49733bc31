/**
 * The home page: what is published, by theme (each dataflow with its counts, period covered and
 * releases), the latest releases and the upcoming ones from the public calendar. Everything is
 * the public state at the request instant (the same catalogue and calendar as the APIs).
 */
import type { CalendarEntry } from '../../services/calendar/calendar.js';
import type { DataflowSummary } from '../../services/catalogue/dataflows.js';
import { formatDate, formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { releaseHref } from './calendar.js';
import type { Headline } from './headlines.js';
import { SearchForm } from './search.js';
import { Page } from './layout.js';

export interface HomeData {
  readonly lang: PortalLanguage;
  readonly asOf: string;
  readonly dataflows: readonly DataflowSummary[];
  readonly calendar: readonly CalendarEntry[];
  readonly headlines: readonly Headline[];
}

/** Dataflows grouped by theme, themes in the order they first appear (the catalogue's id order). */
function byTheme(dataflows: readonly DataflowSummary[]): { id: string; name: string; flows: DataflowSummary[] }[] {
  const groups = new Map<string, { id: string; name: string; flows: DataflowSummary[] }>();
  for (const flow of dataflows) {
    const id = flow.theme?.id ?? '';
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { id, name: flow.theme?.name ?? '', flows: [] }));
    group.flows.push(flow);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function HomePage({ lang, asOf, dataflows, calendar, headlines }: HomeData) {
  const t = MESSAGES[lang];
  const published = calendar.filter((e) => e.state === 'published').sort((a, b) => b.announcedAt.localeCompare(a.announcedAt)).slice(0, 5);
  const upcoming = calendar.filter((e) => e.state === 'scheduled').sort((a, b) => a.announcedAt.localeCompare(b.announcedAt));
  return (
    <Page lang={lang} title={t.siteName} path="/" description={t.siteTagline}>
      <h1>{t.homeTitle}</h1>
      <p class="lead">{t.homeIntro}</p>
      <p class="as-of">
        {t.figuresAsOf} <time dateTime={asOf}>{formatDate(asOf, lang)}</time>
      </p>
      <SearchForm lang={lang} />
      {headlines.length ? (
        <section aria-labelledby="headlines" class="headlines">
          <h2 id="headlines">{t.headlines}</h2>
          <ul class="cards">
            {headlines.map((h) => (
              <li class="card headline">
                <h3>
                  <a href={h.href}>{h.flowName}</a>
                </h3>
                <p class="target">{h.target}</p>
                <p>{t.headlineReported(formatNumber(h.areas, lang), h.measure, h.year)}</p>
                <p>
                  {t.headlineHighest}: <strong>{h.highest.name}</strong> {formatNumber(h.highest.value, lang)} · {t.headlineLowest}: <strong>{h.lowest.name}</strong> {formatNumber(h.lowest.value, lang)}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div class="columns">
        <section aria-labelledby="themes" class="main-column">
          <h2 id="themes">{t.themes}</h2>
          {byTheme(dataflows).map((theme) => (
            <section aria-labelledby={`theme-${theme.id}`} class="theme">
              <h3 id={`theme-${theme.id}`}>{theme.name}</h3>
              <ul class="cards">
                {theme.flows.map((flow) => (
                  <li class="card">
                    <h4>
                      <a href={`/${lang}/dataflows/${flow.id}`}>{flow.name}</a>
                    </h4>
                    <p class="facts">
                      {flow.period ? (
                        <>
                          {formatNumber(flow.series, lang)} {t.series} · {formatNumber(flow.observations, lang)} {t.values} · {flow.period.first}–{flow.period.last}
                        </>
                      ) : (
                        t.noData
                      )}
                    </p>
                    {flow.nextRelease ? (
                      <p class="next">
                        {t.nextRelease}: <time dateTime={flow.nextRelease.announcedAt}>{formatDate(flow.nextRelease.announcedAt, lang)}</time>
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
        <aside class="side-column" aria-labelledby="upcoming">
          <h2 id="upcoming">{t.upcomingReleases}</h2>
          {upcoming.length ? (
            <ul class="releases">
              {upcoming.map((e) => (
                <li>
                  <time dateTime={e.announcedAt}>{formatDate(e.announcedAt, lang)}</time> <a href={releaseHref(e.code, lang)}>{e.title}</a>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t.noUpcoming}</p>
          )}
          <h2 id="latest">{t.latestReleases}</h2>
          <ul class="releases">
            {published.map((e) => (
              <li>
                <time dateTime={e.announcedAt}>{formatDate(e.announcedAt, lang)}</time> <a href={releaseHref(e.code, lang)}>{e.title}</a>
              </li>
            ))}
          </ul>
          <p>
            <a href={`/${lang}/calendar`}>{t.navCalendar}</a>
          </p>
        </aside>
      </div>
    </Page>
  );
}
