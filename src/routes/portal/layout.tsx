/**
 * The frame of every portal page: `<html lang>`, a skip link, the header with the site's name,
 * its navigation and the language switch (to the same page in the other language), the main
 * content, and the footer with the sources and the APIs. Semantic landmarks, no inline style or
 * script: the style sheet is /assets/portal.css (the Content-Security-Policy allows nothing else).
 */
import type { ComponentChildren } from 'preact';
import { MESSAGES, type PortalLanguage } from './i18n.js';

export const PORTAL_CSS_PATH = '/assets/portal.css';
/** The explorer's enhancement script (scripts/explore.js). */
export const EXPLORE_SCRIPT_PATH = '/assets/explore.js';

/** A `<link>` a page adds to its head (e.g. its Atom feed as `rel="alternate"`). */
export interface HeadLink {
  readonly rel: string;
  readonly href: string;
  readonly type?: string;
  readonly title?: string;
}

export interface PageProps {
  readonly lang: PortalLanguage;
  readonly title: string;
  /** The page's path after the language (`/`, `/dataflows/DF_CTS_HOMICIDE`), for the language switch. */
  readonly path: string;
  readonly description?: string;
  /** Links of this page besides the style sheet and the other language (feeds). */
  readonly headLinks?: readonly HeadLink[];
  /** Scripts of this host that enhance the page (deferred; the page works without them). */
  readonly scripts?: readonly string[];
  readonly children: ComponentChildren;
}

export function Page({ lang, title, path, description, headLinks, scripts, children }: PageProps) {
  const t = MESSAGES[lang];
  const other: PortalLanguage = lang === 'en' ? 'es' : 'en';
  const home = `/${lang}/`;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === t.siteName ? title : `${title} · ${t.siteName}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href={PORTAL_CSS_PATH} />
        <link rel="alternate" hrefLang={other} href={`/${other}${path}`} />
        {(scripts ?? []).map((src) => (
          <script src={src} defer />
        ))}
        {(headLinks ?? []).map((l) => (
          <link rel={l.rel} href={l.href} type={l.type} title={l.title} />
        ))}
        <link rel="icon" href="data:," />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <p class="site-name">
              <a href={home}>{t.siteName}</a>
            </p>
            <nav aria-label={t.navLabel}>
              <ul class="nav-list">
                <li>
                  <a href={home}>{t.navData}</a>
                </li>
                <li>
                  <a href={`/${lang}/calendar`}>{t.navCalendar}</a>
                </li>
                <li>
                  <a href={`/${lang}/search`}>{t.navSearch}</a>
                </li>
                <li>
                  <a href="/docs">{t.navApiDocs}</a>
                </li>
                <li>
                  <a href="/graphiql">{t.navGraphiql}</a>
                </li>
                <li>
                  <a href={`/${other}${path}`} hrefLang={other} lang={other} aria-label={t.otherLanguageLabel}>
                    {t.otherLanguage}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t.footerSources}</p>
            <p>
              {t.footerApis}: <a href="/docs">OpenAPI</a> · <a href="/sdmx/2.1/dataflow">SDMX REST</a> · <a href="/graphiql">GraphQL</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
