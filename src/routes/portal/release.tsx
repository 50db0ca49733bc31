/**
 * A release's page (`/{lang}/releases/{code}`): its title, note, state and instants, punctuality,
 * postponements or cancellation, the dataflows it covers, what it corrects and what corrects it;
 * once it is public, what it published per dataflow (values new, revised and republished), the
 * values it changed (old → new, the first rows of each dataflow with a count of the rest) and its
 * disclosure control in words. Before its instant the page shows only what the public calendar
 * shows: no figure, no disclosure-control summary (embargo).
 */
import type { CalendarEntry, DisclosureControlNote } from '../../services/calendar/calendar.js';
import {
  CALENDAR_WORDS,
  countdownWords,
  DataflowList,
  Instant,
  PostponementList,
  punctualityWords,
  releaseHref,
  StateLabel,
  type DataflowLink,
  type DataflowLinks,
} from './calendar.js';
import { formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

/** A value as one vintage had it. */
export interface VintageValue {
  /** The figure, or null when there was none (withheld, missing or withdrawn). */
  readonly value: number | null;
  /** Withheld by disclosure control. */
  readonly suppressed: boolean;
  /** The vintage withdrew the value. */
  readonly withdrawn: boolean;
}

/** One value the release changed: its series and period, before and after. */
export interface RevisedValue {
  /** The SDMX series key. */
  readonly key: string;
  /** Labels of the series' codes that differ between the rows shown (the others are said once). */
  readonly labels: readonly string[];
  readonly period: string;
  readonly before: VintageValue;
  /** Code of the release that wrote the value before. */
  readonly beforeRelease: string;
  readonly after: VintageValue;
}

/** What the release wrote in one dataflow, compared with what was public before it. */
export interface FlowChanges {
  readonly flow: DataflowLink;
  /** Values the release wrote that are part of the data (withdrawals aside). */
  readonly values: number;
  /** Of those: values no earlier release had, values that differ from before, values republished unchanged. */
  readonly added: number;
  readonly revised: number;
  readonly unchanged: number;
  /** The first revised values, in series key and period order. */
  readonly rows: readonly RevisedValue[];
  /** Labels of the codes every row shown shares. */
  readonly shared: readonly string[];
  /** Exactly what the release wrote, from the JSON API (a permalink). */
  readonly permalink: string;
}

export interface ReleasePageData {
  readonly lang: PortalLanguage;
  /** The instant of the request: the public calendar's. */
  readonly at: string;
  readonly entry: CalendarEntry;
  /** Every entry of the public calendar (for what this release corrects and what corrects it). */
  readonly entries: readonly CalendarEntry[];
  readonly links: DataflowLinks;
  /** Per dataflow, once the release is public; null before (embargo) or when cancelled. */
  readonly changes: readonly (FlowChanges | null)[] | null;
}

const en = {
  breadcrumb: 'Release calendar',
  facts: 'About this release',
  firstAnnouncedFor: 'First announced for',
  publishedAt: 'Published',
  wasAnnouncedFor: 'Was announced for',
  cancelledAt: 'Cancelled',
  countdown: 'Time left',
  embargo: 'Its figures become public at the announced instant, on every page and API at once; until then none of them is shown anywhere.',
  cancelledNote: 'This release was cancelled: it publishes nothing.',
  published: 'What it published',
  valuesSentence: (values: string, added: string, revised: string, unchanged: string) =>
    `${values} values: ${added} new, ${revised} revised, ${unchanged} republished unchanged.`,
  allNew: (values: string, count: number) => (count === 1 ? 'One value, new.' : `${values} values, all of them new.`),
  notServed: 'The figures of this dataflow are not served at the moment.',
  permalink: 'Every value this release wrote (JSON)',
  revisedValues: 'Values it revised',
  revisedCaption: (name: string) => `Revised values in ${name}: before and after this release`,
  sharedLabels: 'Every row shown is for',
  series: 'Series',
  period: 'Period',
  before: 'Before',
  after: 'After',
  change: 'Change',
  moreRows: (n: string) => `${n} more revised values are not shown here; the permalink above has every value this release wrote.`,
  withheld: 'withheld',
  withdrawn: 'withdrawn',
  noValue: 'no value',
  disclosure: 'Protection of small counts',
  disclosureThreshold: (t: string) => `Counts below ${t} are withheld (threshold rule)`,
  disclosureZeros: (safe: boolean): string => (safe ? ', zeros are not.' : ', zeros too.'),
  disclosureInterval: (lower: string, upper: string) =>
    ` Other figures are withheld where needed, so that no withheld count can be narrowed down from the totals to less than ${lower} below and ${upper} above its true value.`,
  disclosureCells: (cells: string, counts: string) => `Of the ${cells} values checked (${counts} of them counts),`,
  withheldIntro: '',
  disclosurePrimary: (n: string) => `${n} small counts were withheld`,
  disclosureSecondary: (n: string) => `${n} other counts were withheld to protect them`,
  disclosureDerived: (n: string) => `${n} rates or percentages computed from withheld counts were withheld too`,
  disclosureNone: 'no value had to be withheld.',
  disclosureAudit: (n: string, passed: boolean) =>
    passed ? `An independent check confirmed that each of the ${n} protected values is protected.` : `The independent check of the ${n} protected values did not pass.`,
  method: 'Method',
  join: (parts: readonly string[]) => (parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '')),
};

type ReleaseWords = typeof en;

const es: ReleaseWords = {
  breadcrumb: 'Calendario de publicaciones',
  facts: 'Sobre esta publicación',
  firstAnnouncedFor: 'Anunciada primero para',
  publishedAt: 'Publicada',
  wasAnnouncedFor: 'Estaba anunciada para',
  cancelledAt: 'Cancelada',
  countdown: 'Tiempo restante',
  embargo: 'Sus cifras se hacen públicas en el instante anunciado, en todas las páginas y API a la vez; hasta entonces no se muestra ninguna.',
  cancelledNote: 'Esta publicación se canceló: no publica nada.',
  published: 'Qué publicó',
  valuesSentence: (values: string, added: string, revised: string, unchanged: string) =>
    `${values} valores: ${added} nuevos, ${revised} revisados, ${unchanged} publicados de nuevo sin cambios.`,
  allNew: (values: string, count: number) => (count === 1 ? 'Un valor, nuevo.' : `${values} valores, todos nuevos.`),
  notServed: 'Las cifras de este conjunto de datos no se sirven por ahora.',
  permalink: 'Todos los valores que escribió esta publicación (JSON)',
  revisedValues: 'Valores que revisó',
  revisedCaption: (name: string) => `Valores revisados en ${name}: antes y después de esta publicación`,
  sharedLabels: 'Todas las filas mostradas son de',
  series: 'Serie',
  period: 'Período',
  before: 'Antes',
  after: 'Después',
  change: 'Cambio',
  moreRows: (n: string) => `Otros ${n} valores revisados no se muestran aquí; el enlace permanente de arriba tiene todos los valores que escribió esta publicación.`,
  withheld: 'reservado',
  withdrawn: 'retirado',
  noValue: 'sin valor',
  disclosure: 'Protección de los recuentos pequeños',
  disclosureThreshold: (t: string) => `Los recuentos inferiores a ${t} se reservan (regla del umbral)`,
  disclosureZeros: (safe: boolean) => (safe ? '; los ceros no.' : ', también los ceros.'),
  disclosureInterval: (lower: string, upper: string) =>
    ` Se reservan otras cifras donde hace falta, para que a partir de los totales ningún recuento reservado pueda acotarse a menos de ${lower} por debajo y ${upper} por encima de su valor real.`,
  disclosureCells: (cells: string, counts: string) => `De los ${cells} valores examinados (${counts} de ellos recuentos),`,
  withheldIntro: 'se reservaron ',
  disclosurePrimary: (n: string) => `${n} recuentos pequeños`,
  disclosureSecondary: (n: string) => `${n} recuentos más para protegerlos`,
  disclosureDerived: (n: string) => `${n} tasas o porcentajes calculados a partir de recuentos reservados`,
  disclosureNone: 'no hubo que reservar ningún valor.',
  disclosureAudit: (n: string, passed: boolean) =>
    passed ? `Una comprobación independiente confirmó que cada uno de los ${n} valores protegidos lo está.` : `La comprobación independiente de los ${n} valores protegidos no se superó.`,
  method: 'Método',
  join: (parts: readonly string[]) => (parts.length > 1 ? `${parts.slice(0, -1).join(', ')} y ${parts.at(-1)}` : (parts[0] ?? '')),
};

export const RELEASE_WORDS: Readonly<Record<PortalLanguage, ReleaseWords>> = { en, es };

export function ReleasePage({ lang, at, entry, entries, links, changes }: ReleasePageData) {
  const c = CALENDAR_WORDS[lang];
  const w = RELEASE_WORDS[lang];
  const revises = entry.revises ? entries.find((e) => e.code === entry.revises) : undefined;
  const revisedBy = entries.filter((e) => e.revises === entry.code);
  const p = entry.punctuality;
  return (
    <Page lang={lang} title={entry.title} path={`/releases/${encodeURIComponent(entry.code)}`} description={entry.note ?? undefined}>
      <p class="breadcrumb">
        <a href={`/${lang}/calendar`}>{w.breadcrumb}</a> › <code>{entry.code}</code>
      </p>
      <h1>{entry.title}</h1>
      {entry.note ? <p class="lead">{entry.note}</p> : null}

      <section aria-labelledby="facts">
        <h2 id="facts">{w.facts}</h2>
        <dl class="cal-facts release-facts">
          <div>
            <dt>{c.state}</dt>
            <dd>
              <StateLabel entry={entry} lang={lang} />
            </dd>
          </div>
          <div>
            <dt>{c.code}</dt>
            <dd>
              <code>{entry.code}</code>
            </dd>
          </div>
          <div>
            <dt>{entry.state === 'cancelled' ? w.wasAnnouncedFor : c.announcedFor}</dt>
            <dd>
              <Instant iso={entry.announcedAt} lang={lang} />
            </dd>
          </div>
          {entry.firstAnnouncedAt !== entry.announcedAt ? (
            <div>
              <dt>{w.firstAnnouncedFor}</dt>
              <dd>
                <Instant iso={entry.firstAnnouncedAt} lang={lang} />
              </dd>
            </div>
          ) : null}
          {entry.state === 'scheduled' ? (
            <div>
              <dt>{w.countdown}</dt>
              <dd class="cal-countdown">{countdownWords(entry.announcedAt, at, lang)}</dd>
            </div>
          ) : null}
          {entry.publishedAt ? (
            <div>
              <dt>{w.publishedAt}</dt>
              <dd>
                <Instant iso={entry.publishedAt} lang={lang} />
              </dd>
            </div>
          ) : null}
          {p ? (
            <div>
              <dt>{c.punctuality}</dt>
              <dd class="cal-punctuality">{punctualityWords(p, lang)}</dd>
            </div>
          ) : null}
          {entry.cancellation ? (
            <div>
              <dt>{w.cancelledAt}</dt>
              <dd>
                <Instant iso={entry.cancellation.at} lang={lang} />
                <p class="cal-reason">{entry.cancellation.reason ? `${c.reason}: ${entry.cancellation.reason}` : c.noReason}</p>
              </dd>
            </div>
          ) : null}
          {entry.postponements.length ? (
            <div>
              <dt>{c.postponements}</dt>
              <dd>
                <PostponementList postponements={entry.postponements} lang={lang} />
              </dd>
            </div>
          ) : null}
          <div>
            <dt>{c.dataflows}</dt>
            <dd>
              <DataflowList refs={entry.dataflows} links={links} />
            </dd>
          </div>
          {entry.revises ? (
            <div>
              <dt>{c.revises}</dt>
              <dd>
                <a href={releaseHref(entry.revises, lang)}>{revises?.title ?? entry.revises}</a>
              </dd>
            </div>
          ) : null}
          {revisedBy.length ? (
            <div>
              <dt>{c.revisedBy}</dt>
              <dd>
                <ul class="cal-flows">
                  {revisedBy.map((e) => (
                    <li>
                      <a href={releaseHref(e.code, lang)}>{e.title}</a>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      {entry.state === 'scheduled' ? <p class="cal-embargo">{w.embargo}</p> : null}
      {entry.state === 'cancelled' ? <p class="cal-embargo">{w.cancelledNote}</p> : null}

      {changes ? (
        <section aria-labelledby="published">
          <h2 id="published">{w.published}</h2>
          {entry.dataflows.map((ref, i) => (
            <FlowSection lang={lang} link={links(ref)} changes={changes[i] ?? null} index={i} />
          ))}
        </section>
      ) : null}

      {entry.disclosureControl?.length ? (
        <section aria-labelledby="disclosure">
          <h2 id="disclosure">{w.disclosure}</h2>
          {entry.disclosureControl.map((note, i) => (
            <DisclosureNote lang={lang} note={note} link={links(note.dataflow)} headingId={`disclosure-${i}`} />
          ))}
        </section>
      ) : null}

      <p>
        <a href={`/${lang}/calendar`}>{MESSAGES[lang].navCalendar}</a>
      </p>
    </Page>
  );
}

function FlowHeading({ link, id }: { link: DataflowLink; id: string }) {
  return <h3 id={id}>{link.href ? <a href={link.href}>{link.name}</a> : link.name}</h3>;
}

/** One dataflow's part of the release: counts in words, the permalink, the revised values. */
function FlowSection({ lang, link, changes, index }: { lang: PortalLanguage; link: DataflowLink; changes: FlowChanges | null; index: number }) {
  const w = RELEASE_WORDS[lang];
  const n = (x: number) => formatNumber(x, lang);
  const headingId = `flow-${index}`;
  if (!changes) {
    return (
      <div class="release-flow">
        <FlowHeading link={link} id={headingId} />
        <p>{w.notServed}</p>
      </div>
    );
  }
  const more = changes.revised - changes.rows.length;
  return (
    <div
      class="release-flow"
      data-dataflow={link.ref}
      data-values={changes.values}
      data-added={changes.added}
      data-revised={changes.revised}
      data-unchanged={changes.unchanged}
    >
      <FlowHeading link={link} id={headingId} />
      <p class="release-counts">
        {changes.added === changes.values ? w.allNew(n(changes.values), changes.values) : w.valuesSentence(n(changes.values), n(changes.added), n(changes.revised), n(changes.unchanged))}
      </p>
      <ul class="links">
        <li>
          <a href={changes.permalink} type="application/json">
            {w.permalink}
          </a>
        </li>
      </ul>
      {changes.rows.length ? (
        <>
          <h4>{w.revisedValues}</h4>
          {changes.shared.length ? (
            <p class="release-shared">
              {w.sharedLabels}: {changes.shared.join(' · ')}
            </p>
          ) : null}
          <div class="table-scroll" role="region" aria-label={w.revisedCaption(link.name)} tabIndex={0}>
            <table class="data-table revisions">
              <caption>{w.revisedCaption(link.name)}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.series}</th>
                  <th scope="col">{w.period}</th>
                  <th scope="col" class="number">
                    {w.before}
                  </th>
                  <th scope="col" class="number">
                    {w.after}
                  </th>
                  <th scope="col" class="number">
                    {w.change}
                  </th>
                </tr>
              </thead>
              <tbody>
                {changes.rows.map((r) => (
                  <tr data-key={r.key} data-period={r.period}>
                    <th scope="row">
                      {r.labels.length ? <span class="series-labels">{r.labels.join(' · ')}</span> : null}
                      <code class="series-key">{r.key}</code>
                    </th>
                    <td>{r.period}</td>
                    <td class="number before">
                      <Value value={r.before} lang={lang} />
                    </td>
                    <td class="number after">
                      <Value value={r.after} lang={lang} />
                    </td>
                    <td class="number change">{changeWords(r.before, r.after, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {more > 0 ? <p class="release-more">{w.moreRows(n(more))}</p> : null}
        </>
      ) : null}
    </div>
  );
}

/** A figure in the reader's notation, its exact number in `<data value>`; a missing figure says why. */
function Value({ value, lang }: { value: VintageValue; lang: PortalLanguage }) {
  const w = RELEASE_WORDS[lang];
  if (value.withdrawn) return <span class="no-value">{w.withdrawn}</span>;
  if (value.value === null) return <span class="no-value">{value.suppressed ? w.withheld : w.noValue}</span>;
  return <data value={String(value.value)}>{formatNumber(value.value, lang)}</data>;
}

/** After − before with its sign (a true minus sign), when both are figures. */
function changeWords(before: VintageValue, after: VintageValue, lang: PortalLanguage): string {
  if (before.withdrawn || after.withdrawn || before.value === null || after.value === null) return '–';
  const d = after.value - before.value;
  const size = formatNumber(Math.abs(d), lang);
  return d > 0 ? `+${size}` : d < 0 ? `−${size}` : '0';
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const field = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined);

/**
 * What disclosure control did, in sentences, from the run's rules and summary as the calendar
 * publishes them. Runs stored by earlier versions lack some fields: a sentence is said only when
 * its numbers are there.
 */
export function disclosureSentences(note: DisclosureControlNote, lang: PortalLanguage): string[] {
  const w = RELEASE_WORDS[lang];
  const n = (x: number) => formatNumber(x, lang);
  const out: string[] = [];
  const threshold = num(field(note.rules, 'threshold'));
  const zerosSafe = field(note.rules, 'zerosSafe');
  if (threshold !== undefined) {
    let rule = w.disclosureThreshold(n(threshold)) + (typeof zerosSafe === 'boolean' ? w.disclosureZeros(zerosSafe) : '.');
    const lower = num(field(field(note.rules, 'protection'), 'lower'));
    const upper = num(field(field(note.rules, 'protection'), 'upper'));
    if (lower !== undefined && upper !== undefined) rule += w.disclosureInterval(n(lower), n(upper));
    out.push(rule);
  }
  const s = note.summary;
  const cells = num(field(s, 'cells'));
  const counts = num(field(s, 'countCells'));
  const primary = num(field(s, 'primary'));
  const secondary = num(field(s, 'secondary'));
  const derived = num(field(s, 'derived'));
  if (cells !== undefined && counts !== undefined && primary !== undefined && secondary !== undefined) {
    const parts: string[] = [];
    if (primary) parts.push(w.disclosurePrimary(n(primary)));
    if (secondary) parts.push(w.disclosureSecondary(n(secondary)));
    if (derived) parts.push(w.disclosureDerived(n(derived)));
    out.push(`${w.disclosureCells(n(cells), n(counts))} ${parts.length ? `${w.withheldIntro}${w.join(parts)}.` : w.disclosureNone}`);
  }
  const audit = field(s, 'audit');
  const protectedCells = num(field(audit, 'protectedCells'));
  const passed = field(audit, 'passed');
  if (protectedCells !== undefined && protectedCells > 0 && typeof passed === 'boolean') out.push(w.disclosureAudit(n(protectedCells), passed));
  return out;
}

function DisclosureNote({ lang, note, link, headingId }: { lang: PortalLanguage; note: DisclosureControlNote; link: DataflowLink; headingId: string }) {
  const w = RELEASE_WORDS[lang];
  return (
    <div class="release-disclosure" data-dataflow={note.dataflow}>
      <FlowHeading link={link} id={headingId} />
      {disclosureSentences(note, lang).map((sentence) => (
        <p>{sentence}</p>
      ))}
      {note.method ? (
        <details>
          <summary>{w.method}</summary>
          {/* The method is stored in English only. */}
          <p lang="en">{note.method}</p>
        </details>
      ) : null}
    </div>
  );
}
