/**
 * An ICCS category's page, `/{lang}/iccs/{code}`: its code, label and level, what it covers (the
 * ICCS's description, inclusions and exclusions, quoted in English from the official document:
 * marked as English on a Spanish page), its place in the classification (ancestors and the
 * categories under it, linked), and where it is reported: the dataflows holding data for it or
 * for a category under it, with their counts, and the countries and areas that report it there,
 * each linked to the explorer. Everything is the public state at the request instant.
 */
import type { ComponentChildren } from 'preact';
import type { CodelistHead, FlatCode } from '../../services/catalogue/codelists.js';
import type { OffenceInFlow } from './browse/offence-data.js';
import { formatDate, formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

const en = {
  classification: 'ICCS',
  classificationLabel: 'Place in the ICCS',
  title: (code: string, label: string) => `${code} ${label} (ICCS)`,
  levelOf: (level: string, name: string) => `${level} of the ${name}`,
  codeOf: (name: string) => `A category of the ${name}`,
  definition: 'What it covers',
  noDefinition: 'The ICCS gives no description of this category beyond its name.',
  includes: 'Includes',
  excludes: 'Excludes',
  notesSource: 'Quoted from',
  inEnglish: 'The ICCS’s own texts, in English.',
  tree: 'In the classification',
  partOf: 'Part of',
  top: 'A section: the top level of the classification.',
  children: 'Categories under it',
  noChildren: 'None: this is among the most detailed categories of the ICCS.',
  noDataYet: 'no data yet',
  figures: 'Figures',
  reported: (flows: string, areas: string) => `Reported in ${flows} ${flows === '1' ? 'dataflow' : 'dataflows'}, by ${areas} ${areas === '1' ? 'country or area' : 'countries and areas'}.`,
  viaChildren: 'Figures of a category under it count here too.',
  notReported: 'No public figures for this category, nor for any category under it, yet.',
  dataflow: 'Dataflow',
  codes: 'Categories with figures',
  series: 'Series',
  values: 'Values',
  areas: 'Countries and areas',
  tableCaption: 'Dataflows with figures for this category',
  areasIn: (flow: string, n: string) => `Countries and areas reporting it in “${flow}” (${n})`,
  notFound: 'No category of the ICCS has this code.',
  asOf: 'Figures as public on',
};

type IccsWords = typeof en;

const es: IccsWords = {
  classification: 'ICCS',
  classificationLabel: 'Lugar en la ICCS',
  title: (code: string, label: string) => `${code} ${label} (ICCS)`,
  levelOf: (level: string, name: string) => `${level} de la ${name}`,
  codeOf: (name: string) => `Una categoría de la ${name}`,
  definition: 'Qué abarca',
  noDefinition: 'La ICCS no describe esta categoría más allá de su nombre.',
  includes: 'Incluye',
  excludes: 'Excluye',
  notesSource: 'Cita de',
  inEnglish: 'Los textos de la propia ICCS, en inglés (la ICCS no los publica en español en esta versión).',
  tree: 'En la clasificación',
  partOf: 'Forma parte de',
  top: 'Una sección: el nivel superior de la clasificación.',
  children: 'Categorías que comprende',
  noChildren: 'Ninguna: es una de las categorías más detalladas de la ICCS.',
  noDataYet: 'aún sin datos',
  figures: 'Cifras',
  reported: (flows: string, areas: string) =>
    `Figura en ${flows} ${flows === '1' ? 'conjunto de datos' : 'conjuntos de datos'}, con cifras de ${areas} ${areas === '1' ? 'país o zona' : 'países y zonas'}.`,
  viaChildren: 'Las cifras de una categoría que comprende cuentan aquí también.',
  notReported: 'Aún no hay cifras públicas para esta categoría ni para ninguna de las que comprende.',
  dataflow: 'Conjunto de datos',
  codes: 'Categorías con cifras',
  series: 'Series',
  values: 'Valores',
  areas: 'Países y zonas',
  tableCaption: 'Conjuntos de datos con cifras de esta categoría',
  areasIn: (flow: string, n: string) => `Países y zonas con cifras en «${flow}» (${n})`,
  notFound: 'Ninguna categoría de la ICCS tiene este código.',
  asOf: 'Cifras públicas al',
};

export const ICCS_WORDS: Readonly<Record<PortalLanguage, IccsWords>> = { en, es };

export function iccsPath(lang: PortalLanguage, code: string): string {
  return `/${lang}/iccs/${encodeURIComponent(code)}`;
}

export interface IccsChild {
  readonly code: FlatCode;
  readonly hasData: boolean;
}

export interface IccsPageData {
  readonly lang: PortalLanguage;
  readonly asOf: string;
  readonly codelist: CodelistHead;
  readonly code: FlatCode;
  /** Top first. */
  readonly ancestors: readonly FlatCode[];
  readonly children: readonly IccsChild[];
  readonly flows: readonly OffenceInFlow[];
  /** An area's name in the page's language. */
  readonly areaName: (code: string) => string;
  /** Whether a code is an ICCS category (codes quoted in the notes are linked). */
  readonly isCategory: (code: string) => boolean;
}

export function IccsPage({ lang, asOf, codelist, code, ancestors, children, flows, areaName, isCategory }: IccsPageData) {
  const t = MESSAGES[lang];
  const w = ICCS_WORDS[lang];
  const label = code.name ?? code.id;
  const notesLang = code.notesLang !== null && code.notesLang !== lang ? code.notesLang : undefined;
  const collator = new Intl.Collator(lang);
  const allAreas = new Set(flows.flatMap((f) => f.areas));
  const parent = ancestors[ancestors.length - 1];
  return (
    <Page lang={lang} title={w.title(code.id, label)} path={`/iccs/${encodeURIComponent(code.id)}`} description={notesLang ? undefined : (code.description ?? undefined)}>
      <nav aria-label={w.classificationLabel} class="breadcrumb">
        <ol class="crumbs">
          <li>
            <a href={`/${lang}/`}>{t.navData}</a>
          </li>
          <li>{w.classification}</li>
          {ancestors.map((a) => (
            <li>
              <a href={iccsPath(lang, a.id)}>
                {a.id} {a.name ?? ''}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <h1>
        <span class="iccs-code">{code.id}</span> {label}
      </h1>
      <p class="lead">{code.levelName ? w.levelOf(code.levelName, codelist.name ?? codelist.id) : w.codeOf(codelist.name ?? codelist.id)}</p>
      <p class="as-of">
        {w.asOf} <time dateTime={asOf}>{formatDate(asOf, lang)}</time>
      </p>

      <section aria-labelledby="definition">
        <h2 id="definition">{w.definition}</h2>
        {code.description !== null ? (
          <p class="iccs-description" lang={notesLang}>
            {linkedCodes(code.description, lang, isCategory)}
          </p>
        ) : (
          <p>{w.noDefinition}</p>
        )}
        {code.inclusions.length ? (
          <>
            <h3 id="includes">{w.includes}</h3>
            <ul class="iccs-inclusions" lang={notesLang} aria-labelledby="includes">
              {code.inclusions.map((i) => (
                <li>{linkedCodes(i, lang, isCategory)}</li>
              ))}
            </ul>
          </>
        ) : null}
        {code.exclusions.length ? (
          <>
            <h3 id="excludes">{w.excludes}</h3>
            <ul class="iccs-exclusions" lang={notesLang} aria-labelledby="excludes">
              {code.exclusions.map((e) => (
                <li>{linkedCodes(e, lang, isCategory)}</li>
              ))}
            </ul>
          </>
        ) : null}
        {notesLang ? <p class="note">{w.inEnglish}</p> : null}
        {code.notesSource ? (
          <p class="note">
            {w.notesSource}: <cite>{code.notesSource}</cite>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="tree">
        <h2 id="tree">{w.tree}</h2>
        {parent ? (
          <p>
            {w.partOf}: <a href={iccsPath(lang, parent.id)}>{`${parent.id} ${parent.name ?? ''}`.trim()}</a>
            {parent.levelName ? ` (${parent.levelName})` : ''}
          </p>
        ) : (
          <p>{w.top}</p>
        )}
        <h3 id="children">{w.children}</h3>
        {children.length ? (
          <ul class="browse-list iccs-children" aria-labelledby="children">
            {children.map((c) => (
              <li>
                <a href={iccsPath(lang, c.code.id)}>
                  <span class="iccs-code">{c.code.id}</span> {c.code.name ?? ''}
                </a>
                {c.hasData ? null : <span class="no-data"> ({w.noDataYet})</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p>{w.noChildren}</p>
        )}
      </section>

      <section aria-labelledby="figures">
        <h2 id="figures">{w.figures}</h2>
        {flows.length ? (
          <>
            <p>{w.reported(formatNumber(flows.length, lang), formatNumber(allAreas.size, lang))}</p>
            {flows.some((f) => f.filter.endsWith('*')) ? <p class="help">{w.viaChildren}</p> : null}
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="iccs-flows-caption">
              <table class="data-table iccs-flows">
                <caption id="iccs-flows-caption">{w.tableCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w.dataflow}</th>
                    <th scope="col" class="number">
                      {w.codes}
                    </th>
                    <th scope="col" class="number">
                      {w.series}
                    </th>
                    <th scope="col" class="number">
                      {w.values}
                    </th>
                    <th scope="col" class="number">
                      {w.areas}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {flows.map((f) => (
                    <tr data-flow={f.flow.detail.id} data-filter={f.filter}>
                      <th scope="row">
                        <a href={explorerOf(lang, f)}>{f.flow.detail.name ?? f.flow.detail.id}</a>
                      </th>
                      <td class="number" data-value={f.codes.length}>
                        {formatNumber(f.codes.length, lang)}
                      </td>
                      <td class="number" data-value={f.series}>
                        {formatNumber(f.series, lang)}
                      </td>
                      <td class="number" data-value={f.observations}>
                        {formatNumber(f.observations, lang)}
                      </td>
                      <td class="number" data-value={f.areas.length}>
                        {formatNumber(f.areas.length, lang)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {flows.map((f) => (
              <details class="iccs-areas" data-flow={f.flow.detail.id}>
                <summary>{w.areasIn(f.flow.detail.name ?? f.flow.detail.id, formatNumber(f.areas.length, lang))}</summary>
                <ul class="area-list">
                  {[...f.areas]
                    .map((a) => ({ a, name: areaName(a) }))
                    .sort((x, y) => collator.compare(x.name, y.name))
                    .map(({ a, name }) => (
                      <li>
                        <a href={`${explorerOf(lang, f)}&REF_AREA=${encodeURIComponent(a)}`} data-area={a}>
                          {name}
                        </a>
                      </li>
                    ))}
                </ul>
              </details>
            ))}
          </>
        ) : (
          <p>{w.notReported}</p>
        )}
      </section>
    </Page>
  );
}

/** The explorer view of a dataflow's figures for the category (`OFFENCE=0101`, or `OFFENCE=02*` with the categories under it). */
function explorerOf(lang: PortalLanguage, f: OffenceInFlow): string {
  return `/${lang}/dataflows/${f.flow.path}?OFFENCE=${encodeURIComponent(f.filter).replace('%2A', '*')}`;
}

/** A note's text with the ICCS codes it quotes in parentheses, `(0102)`, linked to their pages. */
function linkedCodes(text: string, lang: PortalLanguage, isCategory: (code: string) => boolean): ComponentChildren {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(/\((\d{2,6})\)/g)) {
    const code = m[1]!;
    if (!isCategory(code)) continue;
    const at = m.index! + 1;
    out.push(text.slice(last, at), <a href={iccsPath(lang, code)}>{code}</a>);
    last = at + code.length;
  }
  out.push(text.slice(last));
  return out;
}
