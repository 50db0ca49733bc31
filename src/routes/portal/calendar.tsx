/**
 * The release calendar page (`/{lang}/calendar`): the upcoming releases soonest first, each with
 * its announced instant in UTC, a countdown in words, its postponements and the dataflows it
 * covers; the published ones newest first with their punctuality; the cancelled ones with their
 * reason; and links to subscribe to the API's iCalendar and Atom feeds. Everything is the public
 * calendar computed at the request instant (services/calendar/calendar.ts), the same as the API's.
 *
 * Also the words, formats and small pieces the release page (release.tsx) shares with it.
 */
import type { CalendarEntry, Postponement, Punctuality } from '../../services/calendar/calendar.js';
import { API_PREFIX } from '../api/prefix.js';
import { CALENDAR_PATH } from '../api/calendar.js';
import { formatNumber, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

/** The feeds of the JSON API's calendar, for subscribing (the page's own data are the same calendar). */
export const CALENDAR_FEEDS = {
  ics: `${API_PREFIX}${CALENDAR_PATH}.ics`,
  atom: `${API_PREFIX}${CALENDAR_PATH}.atom`,
  json: `${API_PREFIX}${CALENDAR_PATH}`,
} as const;

export const ATOM_TYPE = 'application/atom+xml';

const en = {
  calendarTitle: 'Release calendar',
  calendarIntro:
    'Every figure is published at an instant announced in advance, in Coordinated Universal Time (UTC), and not a moment earlier. Announced releases, postponements and cancellations are listed here as soon as they are decided.',
  subscribe: 'Subscribe',
  subscribeIcs: 'Add the calendar to your calendar application (iCalendar, .ics)',
  subscribeAtom: 'Follow changes in a feed reader (Atom)',
  subscribeJson: 'The calendar as JSON, for programs',
  atomTitle: 'Release calendar (Atom)',
  upcoming: 'Upcoming releases',
  noUpcoming: 'No release is announced at the moment.',
  countdownsAsOf: 'Countdowns as of',
  past: 'Published releases',
  noPast: 'Nothing has been published yet.',
  cancelledReleases: 'Cancelled releases',
  code: 'Code',
  announcedFor: 'Announced for',
  firstAnnouncedFor: 'first announced for',
  publishedAt: 'Published',
  punctuality: 'Punctuality',
  dataflows: 'Data',
  revises: 'Corrects',
  revisedBy: 'Corrected by',
  postponements: 'Postponed',
  postponedOn: 'decided on',
  from: 'from',
  to: 'to',
  anEarlierInstant: 'an earlier instant',
  reason: 'Reason',
  noReason: 'No reason was given.',
  cancelledOn: 'Cancelled on',
  wasAnnouncedFor: 'It was announced for',
  state: 'State',
  stateScheduled: 'Upcoming',
  statePublished: 'Published',
  stateCancelled: 'Cancelled',
  onTime: 'On time',
  early: (d: string) => `On time (${d} earlier than first announced)`,
  late: (d: string) => `Late by ${d}`,
  countdown: (d: string) => `in ${d}`,
  joinParts: (parts: readonly string[]) => parts.join(', '),
  lessThanASecond: 'less than a second',
  units: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'], second: ['second', 'seconds'] },
  notFoundRelease: 'No release on the public calendar has this code.',
};

type CalendarWords = typeof en;

const es: CalendarWords = {
  calendarTitle: 'Calendario de publicaciones',
  calendarIntro:
    'Cada cifra se publica en un instante anunciado de antemano, en tiempo universal coordinado (UTC), y ni un momento antes. Las publicaciones anunciadas, los aplazamientos y las cancelaciones figuran aquí en cuanto se deciden.',
  subscribe: 'Suscribirse',
  subscribeIcs: 'Añadir el calendario a su aplicación de calendario (iCalendar, .ics)',
  subscribeAtom: 'Seguir los cambios en un lector de noticias (Atom)',
  subscribeJson: 'El calendario en JSON, para programas',
  atomTitle: 'Calendario de publicaciones (Atom)',
  upcoming: 'Próximas publicaciones',
  noUpcoming: 'No hay ninguna publicación anunciada por ahora.',
  countdownsAsOf: 'Cuentas atrás al',
  past: 'Publicaciones realizadas',
  noPast: 'Aún no se ha publicado nada.',
  cancelledReleases: 'Publicaciones canceladas',
  code: 'Código',
  announcedFor: 'Anunciada para',
  firstAnnouncedFor: 'anunciada primero para el',
  publishedAt: 'Publicada el',
  punctuality: 'Puntualidad',
  dataflows: 'Datos',
  revises: 'Corrige',
  revisedBy: 'Corregida por',
  postponements: 'Aplazada',
  postponedOn: 'decidido el',
  from: 'del',
  to: 'al',
  anEarlierInstant: 'un instante anterior',
  reason: 'Motivo',
  noReason: 'No se indicó ningún motivo.',
  cancelledOn: 'Cancelada el',
  wasAnnouncedFor: 'Estaba anunciada para el',
  state: 'Estado',
  stateScheduled: 'Próxima',
  statePublished: 'Publicada',
  stateCancelled: 'Cancelada',
  onTime: 'Puntual',
  early: (d: string) => `Puntual (${d} antes de lo anunciado primero)`,
  late: (d: string) => `Con ${d} de retraso`,
  countdown: (d: string) => `dentro de ${d}`,
  joinParts: (parts: readonly string[]) => parts.join(' y '),
  lessThanASecond: 'menos de un segundo',
  units: { day: ['día', 'días'], hour: ['hora', 'horas'], minute: ['minuto', 'minutos'], second: ['segundo', 'segundos'] },
  notFoundRelease: 'Ninguna publicación del calendario público tiene este código.',
};

export const CALENDAR_WORDS: Readonly<Record<PortalLanguage, CalendarWords>> = { en, es };

/**
 * An instant as people read it, with the weekday and the time of day in UTC (releases are
 * announced in UTC): "Sunday 13 December 2026, 10:00 UTC", "domingo, 13 de diciembre de 2026, 10:00 UTC".
 * Seconds only when the instant has some.
 */
export function formatInstant(iso: string, lang: PortalLanguage): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat(lang === 'es' ? 'es' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = d.getUTCSeconds() ? `:${pad(d.getUTCSeconds())}` : '';
  return `${date}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds} UTC`;
}

type Unit = keyof CalendarWords['units'];
const UNITS: readonly (readonly [Unit, number])[] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/**
 * A length of time in words, to the two largest units that matter ("3 days, 4 hours", "3 días y
 * 4 horas"), rounded down: a countdown never announces a release earlier than it comes. Seconds
 * are given only for less than a minute.
 */
export function durationWords(seconds: number, lang: PortalLanguage): string {
  const w = CALENDAR_WORDS[lang];
  const total = Math.floor(Math.abs(seconds));
  if (total < 1) return w.lessThanASecond;
  const i = UNITS.findIndex(([, size]) => total >= size);
  const [unit, size] = UNITS[i]!;
  const count = (n: number, u: Unit) => `${formatNumber(n, lang)} ${w.units[u][n === 1 ? 0 : 1]}`;
  const parts = [count(Math.floor(total / size), unit)];
  const next = UNITS[i + 1];
  if (next && next[0] !== 'second') {
    const n = Math.floor((total % size) / next[1]);
    if (n > 0) parts.push(count(n, next[0]));
  }
  return w.joinParts(parts);
}

/** "in 3 days, 4 hours" from `at` until `instant`. */
export function countdownWords(instant: string, at: string, lang: PortalLanguage): string {
  return CALENDAR_WORDS[lang].countdown(durationWords((Date.parse(instant) - Date.parse(at)) / 1000, lang));
}

/** On time, early or late by how much, against the instant first announced. */
export function punctualityWords(p: Punctuality, lang: PortalLanguage): string {
  const w = CALENDAR_WORDS[lang];
  if (p.delaySeconds > 0) return w.late(durationWords(p.delaySeconds, lang));
  if (p.delaySeconds < 0) return w.early(durationWords(-p.delaySeconds, lang));
  return w.onTime;
}

export function stateWords(entry: CalendarEntry, lang: PortalLanguage): string {
  const w = CALENDAR_WORDS[lang];
  return entry.state === 'published' ? w.statePublished : entry.state === 'scheduled' ? w.stateScheduled : w.stateCancelled;
}

/** A dataflow a release names, with where its page is (null when its structures are not served). */
export interface DataflowLink {
  /** `AGENCY:ID(VERSION)`, as the calendar names it. */
  readonly ref: string;
  readonly name: string;
  readonly href: string | null;
}

export type DataflowLinks = (ref: string) => DataflowLink;

export function releaseHref(code: string, lang: PortalLanguage): string {
  return `/${lang}/releases/${encodeURIComponent(code)}`;
}

export function Instant({ iso, lang }: { iso: string; lang: PortalLanguage }) {
  return <time dateTime={iso}>{formatInstant(iso, lang)}</time>;
}

export function DataflowList({ refs, links }: { refs: readonly string[]; links: DataflowLinks }) {
  return (
    <ul class="cal-flows">
      {refs.map((ref) => {
        const flow = links(ref);
        return <li>{flow.href ? <a href={flow.href}>{flow.name}</a> : flow.name}</li>;
      })}
    </ul>
  );
}

/** Each postponement: when it was decided, from which instant to which, and why. */
export function PostponementList({ postponements, lang }: { postponements: readonly Postponement[]; lang: PortalLanguage }) {
  const w = CALENDAR_WORDS[lang];
  return (
    <ul class="cal-postponements">
      {postponements.map((p) => (
        <li>
          {w.from} {p.from ? <Instant iso={p.from} lang={lang} /> : w.anEarlierInstant} {w.to} <Instant iso={p.to} lang={lang} /> ({w.postponedOn}{' '}
          <Instant iso={p.at} lang={lang} />
          ). {p.reason ? `${w.reason}: ${p.reason}` : w.noReason}
        </li>
      ))}
    </ul>
  );
}

/** The state as a word in a bordered label: never told by colour alone. */
export function StateLabel({ entry, lang }: { entry: CalendarEntry; lang: PortalLanguage }) {
  return <span class={`cal-state cal-state-${entry.state}`}>{stateWords(entry, lang)}</span>;
}

export interface CalendarPageData {
  readonly lang: PortalLanguage;
  /** The instant the calendar was computed for (countdowns run from it). */
  readonly at: string;
  readonly entries: readonly CalendarEntry[];
  readonly links: DataflowLinks;
}

const byInstant = (a: CalendarEntry, b: CalendarEntry) => Date.parse(a.announcedAt) - Date.parse(b.announcedAt) || a.code.localeCompare(b.code);

export function CalendarPage({ lang, at, entries, links }: CalendarPageData) {
  const w = CALENDAR_WORDS[lang];
  const upcoming = entries.filter((e) => e.state === 'scheduled').sort(byInstant);
  const published = entries.filter((e) => e.state === 'published').sort((a, b) => byInstant(b, a));
  const cancelled = entries.filter((e) => e.state === 'cancelled').sort((a, b) => byInstant(b, a));
  const atom = { rel: 'alternate', type: ATOM_TYPE, href: CALENDAR_FEEDS.atom, title: w.atomTitle };
  const titles = new Map(entries.map((e) => [e.code, e.title]));
  return (
    <Page lang={lang} title={w.calendarTitle} path="/calendar" description={w.calendarIntro} headLinks={[atom]}>
      <h1>{w.calendarTitle}</h1>
      <p class="lead">{w.calendarIntro}</p>
      <section aria-labelledby="subscribe" class="cal-subscribe">
        <h2 id="subscribe">{w.subscribe}</h2>
        <ul class="links">
          <li>
            <a href={CALENDAR_FEEDS.ics} type="text/calendar">
              {w.subscribeIcs}
            </a>
          </li>
          <li>
            <a href={CALENDAR_FEEDS.atom} type={ATOM_TYPE}>
              {w.subscribeAtom}
            </a>
          </li>
          <li>
            <a href={CALENDAR_FEEDS.json} type="application/json">
              {w.subscribeJson}
            </a>
          </li>
        </ul>
      </section>

      <section aria-labelledby="upcoming" id="upcoming-releases">
        <h2 id="upcoming">{w.upcoming}</h2>
        {upcoming.length ? (
          <>
            <p class="as-of">
              {w.countdownsAsOf} <Instant iso={at} lang={lang} />.
            </p>
            <ol class="cal-list">
              {upcoming.map((e) => (
                <UpcomingEntry entry={e} at={at} lang={lang} links={links} titles={titles} />
              ))}
            </ol>
          </>
        ) : (
          <p>{w.noUpcoming}</p>
        )}
      </section>

      <section aria-labelledby="past" id="past-releases">
        <h2 id="past">{w.past}</h2>
        {published.length ? (
          <ol class="cal-list">
            {published.map((e) => (
              <PublishedEntry entry={e} lang={lang} links={links} titles={titles} />
            ))}
          </ol>
        ) : (
          <p>{w.noPast}</p>
        )}
      </section>

      {cancelled.length ? (
        <section aria-labelledby="cancelled" id="cancelled-releases">
          <h2 id="cancelled">{w.cancelledReleases}</h2>
          <ol class="cal-list">
            {cancelled.map((e) => (
              <CancelledEntry entry={e} lang={lang} links={links} titles={titles} />
            ))}
          </ol>
        </section>
      ) : null}
    </Page>
  );
}

interface EntryProps {
  readonly entry: CalendarEntry;
  readonly lang: PortalLanguage;
  readonly links: DataflowLinks;
  /** Titles of the calendar's releases by code (what an entry corrects is named by its title). */
  readonly titles: ReadonlyMap<string, string>;
}

function EntryHeading({ entry, lang }: { entry: CalendarEntry; lang: PortalLanguage }) {
  return (
    <h3>
      <a href={releaseHref(entry.code, lang)}>{entry.title}</a> <StateLabel entry={entry} lang={lang} />
    </h3>
  );
}

/** The facts every entry has: its code, its dataflows, what it corrects. */
function CommonFacts({ entry, lang, links, titles }: EntryProps) {
  const w = CALENDAR_WORDS[lang];
  return (
    <>
      <div>
        <dt>{w.code}</dt>
        <dd>
          <code>{entry.code}</code>
        </dd>
      </div>
      <div>
        <dt>{w.dataflows}</dt>
        <dd>
          <DataflowList refs={entry.dataflows} links={links} />
        </dd>
      </div>
      {entry.revises ? (
        <div>
          <dt>{w.revises}</dt>
          <dd>
            <a href={releaseHref(entry.revises, lang)}>{titles.get(entry.revises) ?? entry.revises}</a>
          </dd>
        </div>
      ) : null}
    </>
  );
}

function UpcomingEntry({ entry, at, lang, links, titles }: EntryProps & { at: string }) {
  const w = CALENDAR_WORDS[lang];
  return (
    <li class="cal-entry" id={`release-${entry.code}`} data-code={entry.code} data-state={entry.state}>
      <EntryHeading entry={entry} lang={lang} />
      <p class="cal-when">
        <Instant iso={entry.announcedAt} lang={lang} /> <span class="cal-countdown">({countdownWords(entry.announcedAt, at, lang)})</span>
      </p>
      <dl class="cal-facts">
        <CommonFacts entry={entry} lang={lang} links={links} titles={titles} />
        {entry.postponements.length ? (
          <div>
            <dt>{w.postponements}</dt>
            <dd>
              <PostponementList postponements={entry.postponements} lang={lang} />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

function PublishedEntry({ entry, lang, links, titles }: EntryProps) {
  const w = CALENDAR_WORDS[lang];
  const p = entry.punctuality;
  return (
    <li class="cal-entry" id={`release-${entry.code}`} data-code={entry.code} data-state={entry.state}>
      <EntryHeading entry={entry} lang={lang} />
      <p class="cal-when">
        {w.publishedAt} <Instant iso={entry.publishedAt ?? entry.announcedAt} lang={lang} />
      </p>
      <dl class="cal-facts">
        {p ? (
          <div>
            <dt>{w.punctuality}</dt>
            <dd class="cal-punctuality">
              {punctualityWords(p, lang)}
              {p.delaySeconds !== 0 ? (
                <>
                  {' '}
                  ({w.firstAnnouncedFor} <Instant iso={p.announced} lang={lang} />)
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
        <CommonFacts entry={entry} lang={lang} links={links} titles={titles} />
      </dl>
    </li>
  );
}

function CancelledEntry({ entry, lang, links, titles }: EntryProps) {
  const w = CALENDAR_WORDS[lang];
  const c = entry.cancellation;
  return (
    <li class="cal-entry" id={`release-${entry.code}`} data-code={entry.code} data-state={entry.state}>
      <EntryHeading entry={entry} lang={lang} />
      <p class="cal-when">
        {c ? (
          <>
            {w.cancelledOn} <Instant iso={c.at} lang={lang} />.{' '}
          </>
        ) : null}
        {w.wasAnnouncedFor} <Instant iso={entry.announcedAt} lang={lang} />.
      </p>
      <p class="cal-reason">{c?.reason ? `${w.reason}: ${c.reason}` : w.noReason}</p>
      <dl class="cal-facts">
        <CommonFacts entry={entry} lang={lang} links={links} titles={titles} />
      </dl>
    </li>
  );
}
