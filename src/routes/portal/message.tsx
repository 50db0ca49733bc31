/** A page that only says something: not found, a refused request, or our failure. */
import { MESSAGES, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

export function MessagePage({ lang, title, message }: { lang: PortalLanguage; title: string; message: string }) {
  const t = MESSAGES[lang];
  return (
    <Page lang={lang} title={title} path="/">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={`/${lang}/`}>{t.backHome}</a>
      </p>
    </Page>
  );
}
