/**
 * A country's (or region's, or part of a country's) page, `/{lang}/countries/{code}`: its name and
 * where it sits in the area codelist, each dataflow that holds public data for it with the latest
 * values of its headline series (browse/headline.ts) and a link to the same series in the
 * explorer, and its country notes (reference metadata) by section. Everything is the public state
 * at the request instant.
 */
import type { FlatCode } from '../../services/catalogue/codelists.js';
import { cellText } from './explore/table.js';
import type { Headline } from './browse/headline.js';
import type { CountryNote, NoteSection } from './browse/country-notes.js';
import type { PublicFlow } from './browse/public-facts.js';
import { formatDate, formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

const en = {
  description: (name: string, n: number) => `Figures on ${name} in ${n} ${n === 1 ? 'dataflow' : 'dataflows'}: latest values, links to every series, and country notes.`,
  where: 'Where it is',
  code: 'Code',
  region: 'Part of',
  dataflows: 'Dataflows with data',
  parts: 'Parts of this area with their own figures',
  figures: (name: string) => `Figures for ${name}`,
  figuresHelp:
    'For each dataflow, the latest value of its main series for this area: where a breakdown (sex, age…) has a total, the total. The explorer shows these series year by year, and every other breakdown.',
  totalsOf: (names: readonly string[]) => `Totals of: ${names.join(', ')}.`,
  latestCaption: (flow: string) => `${flow}: latest values`,
  series: 'Series',
  period: 'Period',
  manySeries: (n: string) => `${n} series hold these figures: too many to list here.`,
  noHeadline: 'The figures of this area have no total to show here.',
  explore: (flow: string, area: string) => `Explore “${flow}” for ${area}`,
  exploreAll: (n: string, area: string) => `All ${n} series of ${area} in this dataflow`,
  notes: 'Country notes',
  notesHelp:
    'What is particular about this area’s figures, from the reference metadata of each dataflow. Some sections (completeness, timeliness, punctuality…) are measured by the server from the data public now.',
  noteFacts: (version: string) => `Version ${version}`,
  publicSince: 'public since',
  notePage: (name: string) => `“${name}” with the area’s quality indicators`,
  noteJson: (name: string) => `“${name}” as JSON`,
  sources: 'Sources',
  notFound: 'No country or area with public data has this code.',
};

type CountryWords = typeof en;

const es: CountryWords = {
  description: (name: string, n: number) => `Cifras sobre ${name} en ${n} ${n === 1 ? 'conjunto de datos' : 'conjuntos de datos'}: últimos valores, enlaces a cada serie y notas por país.`,
  where: 'Ubicación',
  code: 'Código',
  region: 'Forma parte de',
  dataflows: 'Conjuntos de datos con cifras',
  parts: 'Partes de esta zona con cifras propias',
  figures: (name: string) => `Cifras de ${name}`,
  figuresHelp:
    'Para cada conjunto de datos, el último valor de su serie principal para esta zona: cuando un desglose (sexo, edad…) tiene total, el total. El explorador muestra estas series año por año, y todos los demás desgloses.',
  totalsOf: (names: readonly string[]) => `Totales de: ${names.join(', ')}.`,
  latestCaption: (flow: string) => `${flow}: últimos valores`,
  series: 'Serie',
  period: 'Período',
  manySeries: (n: string) => `${n} series contienen estas cifras: demasiadas para enumerarlas aquí.`,
  noHeadline: 'Las cifras de esta zona no tienen un total que mostrar aquí.',
  explore: (flow: string, area: string) => `Explorar «${flow}» para ${area}`,
  exploreAll: (n: string, area: string) => `Las ${n} series de ${area} en este conjunto de datos`,
  notes: 'Notas por país',
  notesHelp:
    'Lo particular de las cifras de esta zona, según los metadatos de referencia de cada conjunto de datos. Algunas secciones (exhaustividad, oportunidad, puntualidad…) las mide el servidor sobre los datos públicos en este momento.',
  noteFacts: (version: string) => `Versión ${version}`,
  publicSince: 'pública desde el',
  notePage: (name: string) => `«${name}» con los indicadores de calidad de la zona`,
  noteJson: (name: string) => `«${name}» en JSON`,
  sources: 'Fuentes',
  notFound: 'Ningún país o zona con datos públicos tiene este código.',
};

export const COUNTRY_WORDS: Readonly<Record<PortalLanguage, CountryWords>> = { en, es };

export interface AreaLink {
  readonly code: FlatCode;
  /** Whether the area has a page (it holds data). */
  readonly hasPage: boolean;
}

export interface AreaFigures {
  readonly flow: PublicFlow;
  readonly headline: Headline;
}

export interface CountryPageData {
  readonly lang: PortalLanguage;
  readonly asOf: string;
  readonly area: FlatCode;
  /** Its ancestors in the area codelist, top first. */
  readonly ancestors: readonly AreaLink[];
  /** The areas under it that hold data. */
  readonly parts: readonly FlatCode[];
  readonly figures: readonly AreaFigures[];
  readonly notes: readonly CountryNote[];
}

export function countryPath(lang: PortalLanguage, code: string): string {
  return `/${lang}/countries/${encodeURIComponent(code)}`;
}

export function CountryPage({ lang, asOf, area, ancestors, parts, figures, notes }: CountryPageData) {
  const t = MESSAGES[lang];
  const w = COUNTRY_WORDS[lang];
  const name = area.name ?? area.id;
  const region = ancestors[ancestors.length - 1];
  return (
    <Page lang={lang} title={name} path={`/countries/${encodeURIComponent(area.id)}`} description={w.description(name, figures.length)}>
      <nav aria-label={w.where} class="breadcrumb">
        <ol class="crumbs">
          <li>
            <a href={`/${lang}/`}>{t.navData}</a>
          </li>
          {ancestors.map((a) => (
            <li>{a.hasPage ? <a href={countryPath(lang, a.code.id)}>{a.code.name ?? a.code.id}</a> : (a.code.name ?? a.code.id)}</li>
          ))}
        </ol>
      </nav>
      <h1>{name}</h1>
      <dl class="facts-list">
        <div>
          <dt>{w.code}</dt>
          <dd>
            <code>{area.id}</code>
          </dd>
        </div>
        {region ? (
          <div>
            <dt>{w.region}</dt>
            <dd>{region.hasPage ? <a href={countryPath(lang, region.code.id)}>{region.code.name ?? region.code.id}</a> : (region.code.name ?? region.code.id)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{w.dataflows}</dt>
          <dd>{formatNumber(figures.length, lang)}</dd>
        </div>
      </dl>
      <p class="as-of">
        {t.figuresAsOf} <time dateTime={asOf}>{formatDate(asOf, lang)}</time>
      </p>

      {parts.length ? (
        <section aria-labelledby="parts">
          <h2 id="parts">{w.parts}</h2>
          <ul class="browse-list">
            {parts.map((p) => (
              <li>
                <a href={countryPath(lang, p.id)}>{p.name ?? p.id}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="figures">
        <h2 id="figures">{w.figures(name)}</h2>
        <p class="help">{w.figuresHelp}</p>
        {figures.map((f) => (
          <FlowFigures lang={lang} area={area} figures={f} />
        ))}
      </section>

      {notes.length ? (
        <section aria-labelledby="notes">
          <h2 id="notes">{w.notes}</h2>
          <p class="help">{w.notesHelp}</p>
          {notes.map((n) => (
            <Note lang={lang} note={n} />
          ))}
        </section>
      ) : null}
    </Page>
  );
}

function FlowFigures({ lang, area, figures }: { lang: PortalLanguage; area: FlatCode; figures: AreaFigures }) {
  const w = COUNTRY_WORDS[lang];
  const { flow, headline } = figures;
  const flowName = flow.detail.name ?? flow.detail.id;
  const areaName = area.name ?? area.id;
  const explorer = `/${lang}/dataflows/${flow.path}`;
  const id = `flow-${flow.detail.id}`;
  return (
    <section aria-labelledby={id} class="area-flow" data-flow={flow.detail.id}>
      <h3 id={id}>{flowName}</h3>
      {flow.detail.theme ? <p class="facts">{flow.detail.theme.name}</p> : null}
      {headline.totals.length ? <p class="totals">{w.totalsOf(headline.totals)}</p> : null}
      {headline.rows === null ? (
        <p>{w.manySeries(formatNumber(headline.headlineSeries, lang))}</p>
      ) : headline.rows.length === 0 ? (
        <p>{w.noHeadline}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
          <table class="data-table latest-values" data-query={headline.query}>
            <caption id={`${id}-caption`}>{w.latestCaption(flowName)}</caption>
            <thead>
              <tr>
                {headline.varying.length ? <th scope="col">{headline.varying.join(' · ')}</th> : null}
                <th scope="col">{w.period}</th>
                {headline.units.map((u) => (
                  <th scope="col" class="number">
                    {u.name ?? u.field}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {headline.rows.map((row) => (
                <tr data-key={row.key} data-period={row.period}>
                  {headline.varying.length ? <th scope="row">{row.labels.join(' · ')}</th> : null}
                  {headline.varying.length ? <td>{row.period}</td> : <th scope="row">{row.period}</th>}
                  {headline.units.map((u) => {
                    const cell = row.cells.get(u.field);
                    return (
                      <td class="number" data-field={u.field} data-value={cell && cell.value !== null ? String(cell.value) : undefined}>
                        {cellText(cell, lang)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ul class="links">
        <li>
          <a href={`${explorer}?${headline.query}`} class="explore-link">
            {w.explore(flowName, areaName)}
          </a>
        </li>
        {headline.areaSeries > headline.headlineSeries ? (
          <li>
            <a href={`${explorer}?REF_AREA=${encodeURIComponent(area.id)}`}>{w.exploreAll(formatNumber(headline.areaSeries, lang), areaName)}</a>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

function Note({ lang, note }: { lang: PortalLanguage; note: CountryNote }) {
  const w = COUNTRY_WORDS[lang];
  const id = `note-${note.dataflowId}`;
  return (
    <article aria-labelledby={id} class="country-note" data-dataflow={note.dataflowId}>
      <h3 id={id}>{note.name}</h3>
      <p class="facts">
        {w.noteFacts(note.version)}
        {note.validFrom ? (
          <>
            , {w.publicSince} <time dateTime={note.validFrom}>{formatDate(note.validFrom, lang)}</time>
          </>
        ) : null}{' '}
        · <a href={note.page}>{w.notePage(note.name)}</a> · <a href={note.link}>{w.noteJson(note.name)}</a>
      </p>
      <Sections lang={lang} sections={note.sections} level={4} />
      {note.sources.length ? (
        <>
          <p class="note-sources-title">{w.sources}</p>
          <ul class="note-sources">
            {note.sources.map((s) => (
              <li>
                {s.url ? <a href={s.url}>{s.title}</a> : s.title}
                {s.licence ? <span class="licence"> ({s.licence})</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}

/** Sections nested as the metadata structure nests them; headings go no deeper than h6. */
function Sections({ lang, sections, level }: { lang: PortalLanguage; sections: readonly NoteSection[]; level: number }) {
  const Heading = `h${Math.min(level, 6)}` as 'h4' | 'h5' | 'h6';
  return (
    <>
      {sections.map((s) => (
        <section class="note-section" data-concept={s.id}>
          <Heading>{s.name}</Heading>
          {s.text !== undefined ? (
            <p class="note-text" lang={s.textLang}>
              {s.text}
            </p>
          ) : null}
          {s.value !== undefined ? (
            <p class="note-value" data-value={s.value}>
              {/^\d{4}-\d{2}-\d{2}T/.test(s.value) ? <time dateTime={s.value}>{formatDate(s.value, lang)}</time> : (s.valueLabel ?? valueText(s.value, lang))}
            </p>
          ) : null}
          {s.sections.length ? <Sections lang={lang} sections={s.sections} level={level + 1} /> : null}
        </section>
      ))}
    </>
  );
}

/** A reported value: a number written the language's way, else as it is. */
function valueText(value: string, lang: PortalLanguage): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? formatNumber(Number(value), lang) : value;
}
