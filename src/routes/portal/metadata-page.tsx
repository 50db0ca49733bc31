/**
 * The reference metadata of a dataflow, rendered for people (metadata-routes.ts gathers it): the
 * methodology and quality report, or with an area the area's country note, as one section per
 * reported concept in the metadata structure's nesting (h2, h3, h4…) with a table of contents;
 * coded values with their labels; the sections the server measures marked as such, saying what
 * they measure; the quality indicators (docs/quality-indicators.md) as tables whose every figure
 * carries its exact value (`<data value>`); the versions public so far; the release that published
 * the version shown; the same set in JSON and SDMX; its sources.
 *
 * Stored texts are shown as text: Preact escapes them. A text written in simple XHTML (p, br, ul,
 * ol, li, em, strong, b, i, without attributes) keeps that structure: those tags, and only those,
 * are turned into elements here (richText); anything else, a `<script>` or an `<a onclick>`, is
 * shown as the characters it is made of. No stored text is ever injected as HTML.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { QualityIndicators, Quantity } from '../../services/quality/index.js';
import type { VisibleMetadataVersion } from '../../services/metadata/metadata-service.js';
import { formatInstant, releaseHref } from './calendar.js';
import { formatDate, formatNumber, MESSAGES, type PortalLanguage } from './i18n.js';
import { Page } from './layout.js';

// ---- what the page is given ----

/** A text as shown, with its language when it is not the page's (a text missing in Spanish is in English). */
export interface Localised {
  readonly text: string;
  readonly lang?: string;
}

export interface SectionView {
  readonly id: string;
  readonly sims: string | null;
  readonly name: Localised;
  readonly text?: Localised;
  readonly value?: string;
  readonly valueLabel?: Localised;
  readonly computed: boolean;
  readonly headline: boolean;
  readonly sections: readonly SectionView[];
}

export interface SetView {
  readonly set: string;
  readonly agency: string;
  readonly version: string;
  readonly name: Localised;
  readonly release: string | null;
  readonly validFrom: string | null;
  readonly sources: readonly { readonly title: string; readonly url?: string; readonly licence?: string }[];
  readonly sections: readonly SectionView[];
}

export interface FlowRef {
  readonly id: string;
  /** Its name in portal paths (the bare id unless another agency uses it). */
  readonly path: string;
  readonly name: Localised;
}

/** An area with a public country note on the dataflow. */
export interface AreaNote {
  readonly area: string;
  readonly name: Localised;
}

export interface MetadataPageData {
  readonly lang: PortalLanguage;
  /** The instant the page shows (now, or asOf). */
  readonly at: string;
  /** Whether asOf was given: the page shows an earlier state. */
  readonly pinned: boolean;
  readonly flow: FlowRef;
  /** With area=: the area; `set` is then its country note (null when it has none). */
  readonly area: { readonly id: string; readonly name: Localised } | null;
  readonly set: SetView | null;
  /** The dataflow report's name (the area page links it). */
  readonly reportName: Localised | null;
  /** The dataflow's indicators, or the area's. */
  readonly indicators: QualityIndicators;
  /** The public versions of the set shown, oldest first. */
  readonly versions: readonly VisibleMetadataVersion[];
  readonly releaseTitles: ReadonlyMap<string, string>;
  /** The areas with a country note (on the report page). */
  readonly notes: readonly AreaNote[];
  readonly links: { readonly json: string; readonly sdmx30: string | null; readonly sdmx21: string };
  readonly dimensionNames: ReadonlyMap<string, Localised>;
  readonly unitNames: ReadonlyMap<string, Localised>;
}

// ---- words ----

type IndicatorKey = 'punctuality' | 'timeliness' | 'revisions' | 'completeness' | 'suppression';
const INDICATORS: readonly IndicatorKey[] = ['punctuality', 'timeliness', 'revisions', 'completeness', 'suppression'];
/** The ESS quality and performance indicator and the SIMS concept each indicator stands for (docs/quality-indicators.md). */
const STANDARDS: Readonly<Record<IndicatorKey, string>> = {
  punctuality: 'ESS QPI TP3 · SIMS S.14.2',
  timeliness: 'ESS QPI TP1 · SIMS S.14.1',
  revisions: 'ESS QPI A6 · SIMS S.17.2',
  completeness: 'ESS QPI R1 · SIMS S.12.3',
  suppression: 'SIMS S.7.2, S.13',
};

/**
 * What each concept the server computes (annotation COMPUTED in the MSD) is measured from
 * (services/metadata/computed-concepts.ts fills them): a quality indicator of the table, or a
 * fact of the server. A computed concept not listed here is said to be filled in by the server.
 */
type MeasuredFrom = IndicatorKey | 'publication' | 'calendar' | 'online';
const MEASURED_FROM: Readonly<Record<string, MeasuredFrom>> = {
  META_LAST_UPDATE: 'publication',
  PUNCTUALITY: 'punctuality',
  PUNCT_ON_TIME_PCT: 'punctuality',
  PUNCT_MEAN_DELAY_D: 'punctuality',
  PUNCT_MAX_DELAY_D: 'punctuality',
  TIMELINESS: 'timeliness',
  TIMELINESS_MEAN_LAG_D: 'timeliness',
  REV_PRACTICE: 'revisions',
  REV_REVISED_PCT: 'revisions',
  COMPLETENESS: 'completeness',
  COMPLETENESS_PCT: 'completeness',
  SUPPRESSED_PCT: 'suppression',
  REL_CAL_ACCESS: 'calendar',
  ONLINE_DB: 'online',
};

type C = ComponentChildren;

const en = {
  reportTitle: (flow: string) => `${flow}: methodology and quality report`,
  noteTitle: (flow: string, area: string) => `${flow}: ${area}`,
  description: (flow: string) => `How the figures of ${flow} are made: sources, definitions, counting rules, comparability, and the quality indicators measured by the server.`,
  breadcrumb: 'You are here',
  report: 'Methodology and quality report',
  dataflow: 'Data',
  area: 'Area',
  version: 'Version',
  publishedBy: 'Published by',
  publicSince: 'Public since',
  asPublicOn: 'As public on',
  pinned: (current: C) => ['This is the report as it was public at an earlier instant. ', current, '.'],
  pinnedLink: 'See what is public now',
  noReport: 'No methodology and quality report of this dataflow is public at this instant.',
  noNote: (area: C, flow: C) => ['There is no country note on ', area, ' for ', flow, '. The quality indicators below are measured over this area’s figures.'],
  readReport: (report: C) => ['The dataflow’s report: ', report, '.'],
  legendTitle: 'How to read this report',
  legendComputed: 'Measured by the server',
  legendComputedText: 'figures and sentences the server measures itself from the release calendar and the published data, at the instant shown; nobody writes them by hand.',
  legendHeadline: 'Headline note',
  legendHeadlineText: 'also given as a note with the figures and in every download.',
  contents: 'Contents',
  measuredBadge: 'Measured by the server',
  headlineBadge: 'Headline note',
  measured: (at: C, what: C) => ['Computed over what was public on ', at, ': ', what, '.'],
  measuredIndicator: (link: C) => ['see ', link, ' in the quality indicators'],
  measuredFrom: {
    publication: 'the instant this version became public, that of the release that published it',
    calendar: 'the addresses of the public release calendar on this server',
    online: 'the addresses at which this server serves the figures',
    other: 'filled in by the server, never written by hand',
  },
  qualityTitle: 'Quality indicators',
  qualityIntro: (scope: C, at: C) => ['Measured by the server over ', scope, ' as public on ', at, '. Definitions: ', 'ESS quality and performance indicators (QPI) and SIMS 2.0 concepts, as the table names them.'],
  scopeFlow: 'the dataflow’s figures and releases',
  scopeArea: (area: C) => ['the figures of ', area, ' and the releases that published them'],
  indicatorsCaption: 'Quality indicators: one figure each, with what it is made of',
  colIndicator: 'Indicator',
  colStandard: 'Standard',
  colFigure: 'Figure',
  colMadeOf: 'What it is made of',
  names: { punctuality: 'Punctuality', timeliness: 'Timeliness', revisions: 'Revisions', completeness: 'Completeness', suppression: 'Confidentiality: cells withheld' } as Record<IndicatorKey, string>,
  measures: {
    punctuality: 'Share of the releases due that became public no later than the instant first announced in the release calendar',
    timeliness: 'Mean time from the end of the latest reference period to the release giving its first results',
    revisions: 'Values published again by a later release whose current value differs from the first',
    completeness: 'Share of the cells the structures allow that hold data',
    suppression: 'Share of the cells published that disclosure control withheld',
  } as Record<IndicatorKey, string>,
  punctualityMadeOf: (onTime: C, due: C, mean: C, max: C) => ['Releases due: ', due, '; on time: ', onTime, '; mean delay ', mean, ', longest ', max, '.'],
  punctualityOthers: (late: C, overdue: C, cancelled: C) => ['Late: ', late, '; overdue (postponed, not yet public): ', overdue, '; cancelled: ', cancelled, '.'],
  timelinessMadeOf: (n: C, min: C, max: C) => ['Releases giving first results: ', n, '; shortest ', min, ', longest ', max, '.'],
  revisionsFigure: (revised: C, compared: C) => [revised, ' of ', compared],
  revisionsMadeOf: (republished: C, notComparable: C) => ['Values compared between their first and their current public vintage. Published again: ', republished, '; not comparable (a vintage without a value): ', notComparable, '.'],
  completenessMadeOf: (withData: C, allowed: C, years: C, withheld: C, valueShare: C, series: C, fill: C) => [
    withData, ' of ', allowed, ' cells allowed in ', years, ' hold data (', withheld, ' of them withheld); readable values: ', valueShare, '. The ', series, ' series with data have a value in ', fill, ' of the years.',
  ],
  noYears: 'no year',
  suppressionMadeOf: (withheld: C, cells: C) => ['Cells published: ', cells, '; withheld: ', withheld, ' (primary, secondary, or derived from a withheld count).'],
  byReleaseTitle: 'By release',
  byReleaseCaption: 'Each release: punctuality, timeliness, revisions and cells withheld',
  colRelease: 'Release',
  colPublished: 'Public since',
  colPunctuality: 'Punctuality',
  colLatestPeriod: 'Latest period',
  colLag: 'Time lag',
  colRevised: 'Values revised',
  colCells: 'Cells published',
  colWithheld: 'Withheld',
  firstResults: 'first results',
  notFirstResults: 'not first results',
  status: { 'on-time': 'On time', late: 'Late', overdue: 'Overdue', cancelled: 'Cancelled' } as Record<string, string>,
  notYet: 'not yet',
  byUnitTitle: 'Revisions by unit of measure',
  byUnitCaption: 'Revisions between the first and the current vintage, per unit of measure',
  colUnit: 'Unit of measure',
  colCompared: 'Compared',
  colRevisedShare: 'Revised share',
  colMeanRevision: 'Mean revision',
  colMeanAbsolute: 'Mean absolute revision',
  colRelative: 'Relative mean absolute revision',
  byDimensionTitle: 'Codes with data, by dimension',
  byDimensionCaption: 'Codes each dimension allows, and those some cell holding data takes',
  colDimension: 'Dimension',
  colAllowed: 'Allowed codes',
  colWithData: 'Codes with data',
  colShare: 'Share',
  notApplicable: 'not applicable',
  days: (n: string) => `${n} days`,
  day: (n: string) => `${n} day`,
  percent: (n: string) => `${n}%`,
  versionsTitle: 'Versions',
  versionsCaption: 'Versions public so far, oldest first',
  colVersion: 'Version',
  colRead: 'Read',
  shownHere: 'shown on this page',
  readVersion: 'this version',
  sdmxVersion: 'SDMX',
  notesTitle: 'Country notes',
  notesIntro: 'What is particular about the series of these countries and areas:',
  formatsTitle: 'The same report for programs',
  formatJson: 'JSON, with the quality indicators (the portal’s API)',
  formatSdmx30: 'SDMX 3.0 metadata set (SDMX REST 2.0)',
  formatSdmx21: 'SDMX 2.1 generic metadata (SDMX REST 1.5)',
  sourcesTitle: 'Sources',
  licence: 'Terms',
  invalidTitle: 'This address cannot be answered',
  backToReport: 'Back to the methodology and quality report',
  emptyArea: 'The area parameter is empty: give an area code such as KAZ, or leave it out for the dataflow’s report.',
  badAsOf: (asOf: string) => `“${asOf}” is not an instant: asOf takes an ISO 8601 date or date and time, such as 2024-01-31 or 2024-01-31T12:00:00Z.`,
  futureAsOf: (asOf: string) => `${asOf} is in the future: what will be public then is not known yet. Leave asOf out for what is public now.`,
  givenTwice: (name: string, a: string, b: string) => `${name} is given twice (“${a}” and “${b}”): give it once.`,
  malformedQuery: 'The address holds a malformed percent-encoding.',
  unknownAreaTitle: 'Unknown area',
  unknownArea: (area: C, codelist: C) => ['No area has the code ', area, ' in the list of areas of this dataflow (', codelist, ').'],
  noAreaList: 'the dataflow has no area dimension',
  otherNotes: 'The areas with a country note on this dataflow:',
};

type MetadataWords = typeof en;

const es: MetadataWords = {
  reportTitle: (flow: string) => `${flow}: informe metodológico y de calidad`,
  noteTitle: (flow: string, area: string) => `${flow}: ${area}`,
  description: (flow: string) => `Cómo se elaboran las cifras de ${flow}: fuentes, definiciones, reglas de cómputo, comparabilidad e indicadores de calidad medidos por el servidor.`,
  breadcrumb: 'Está aquí',
  report: 'Informe metodológico y de calidad',
  dataflow: 'Datos',
  area: 'Zona',
  version: 'Versión',
  publishedBy: 'Publicado por',
  publicSince: 'Público desde',
  asPublicOn: 'Tal como era público el',
  pinned: (current: C) => ['Este es el informe tal como era público en un instante anterior. ', current, '.'],
  pinnedLink: 'Ver lo que es público ahora',
  noReport: 'Ningún informe metodológico y de calidad de este conjunto de datos es público en este instante.',
  noNote: (area: C, flow: C) => ['No hay ninguna nota de país sobre ', area, ' para ', flow, '. Los indicadores de calidad siguientes se miden sobre las cifras de esta zona.'],
  readReport: (report: C) => ['El informe del conjunto de datos: ', report, '.'],
  legendTitle: 'Cómo leer este informe',
  legendComputed: 'Medido por el servidor',
  legendComputedText: 'cifras y frases que el servidor mide por sí mismo a partir del calendario de publicaciones y de los datos publicados, en el instante indicado; nadie las escribe a mano.',
  legendHeadline: 'Nota destacada',
  legendHeadlineText: 'se da también como nota junto a las cifras y en cada descarga.',
  contents: 'Contenido',
  measuredBadge: 'Medido por el servidor',
  headlineBadge: 'Nota destacada',
  measured: (at: C, what: C) => ['Calculado sobre lo que era público el ', at, ': ', what, '.'],
  measuredIndicator: (link: C) => ['véase ', link, ' en los indicadores de calidad'],
  measuredFrom: {
    publication: 'el instante en que esta versión se hizo pública, el de la publicación que la difundió',
    calendar: 'las direcciones del calendario público de publicaciones en este servidor',
    online: 'las direcciones en las que este servidor sirve las cifras',
    other: 'lo completa el servidor, nunca se escribe a mano',
  },
  qualityTitle: 'Indicadores de calidad',
  qualityIntro: (scope: C, at: C) => ['Medidos por el servidor sobre ', scope, ' tal como eran públicos el ', at, '. Definiciones: ', 'indicadores de calidad y desempeño del SEE (QPI) y conceptos SIMS 2.0, como los nombra el cuadro.'],
  scopeFlow: 'las cifras y publicaciones del conjunto de datos',
  scopeArea: (area: C) => ['las cifras de ', area, ' y las publicaciones que las difundieron'],
  indicatorsCaption: 'Indicadores de calidad: una cifra por indicador, con aquello de lo que se compone',
  colIndicator: 'Indicador',
  colStandard: 'Norma',
  colFigure: 'Cifra',
  colMadeOf: 'De qué se compone',
  names: { punctuality: 'Puntualidad', timeliness: 'Oportunidad', revisions: 'Revisiones', completeness: 'Exhaustividad', suppression: 'Confidencialidad: celdas suprimidas' },
  measures: {
    punctuality: 'Proporción de las publicaciones previstas que se hicieron públicas no más tarde del instante anunciado inicialmente en el calendario',
    timeliness: 'Tiempo medio entre el fin del último período de referencia y la publicación que da sus primeros resultados',
    revisions: 'Valores publicados de nuevo por una publicación posterior cuyo valor actual difiere del primero',
    completeness: 'Proporción de las celdas que permiten las estructuras que contienen datos',
    suppression: 'Proporción de las celdas publicadas que el control de divulgación suprimió',
  },
  punctualityMadeOf: (onTime: C, due: C, mean: C, max: C) => ['Publicaciones previstas: ', due, '; puntuales: ', onTime, '; retraso medio ', mean, ', máximo ', max, '.'],
  punctualityOthers: (late: C, overdue: C, cancelled: C) => ['Con retraso: ', late, '; pendientes (aplazadas, aún no públicas): ', overdue, '; canceladas: ', cancelled, '.'],
  timelinessMadeOf: (n: C, min: C, max: C) => ['Publicaciones con primeros resultados: ', n, '; mínimo ', min, ', máximo ', max, '.'],
  revisionsFigure: (revised: C, compared: C) => [revised, ' de ', compared],
  revisionsMadeOf: (republished: C, notComparable: C) => ['Valores comparados entre su primera versión pública y la actual. Publicados de nuevo: ', republished, '; no comparables (una versión sin valor): ', notComparable, '.'],
  completenessMadeOf: (withData: C, allowed: C, years: C, withheld: C, valueShare: C, series: C, fill: C) => [
    withData, ' de ', allowed, ' celdas permitidas en ', years, ' contienen datos (', withheld, ' de ellas suprimidas); valores legibles: ', valueShare, '. Las ', series, ' series con datos tienen valor en el ', fill, ' de los años.',
  ],
  noYears: 'ningún año',
  suppressionMadeOf: (withheld: C, cells: C) => ['Celdas publicadas: ', cells, '; suprimidas: ', withheld, ' (primarias, secundarias o derivadas de un recuento suprimido).'],
  byReleaseTitle: 'Por publicación',
  byReleaseCaption: 'Cada publicación: puntualidad, oportunidad, revisiones y celdas suprimidas',
  colRelease: 'Publicación',
  colPublished: 'Pública desde',
  colPunctuality: 'Puntualidad',
  colLatestPeriod: 'Último período',
  colLag: 'Desfase',
  colRevised: 'Valores revisados',
  colCells: 'Celdas publicadas',
  colWithheld: 'Suprimidas',
  firstResults: 'primeros resultados',
  notFirstResults: 'no son primeros resultados',
  status: { 'on-time': 'Puntual', late: 'Con retraso', overdue: 'Pendiente', cancelled: 'Cancelada' },
  notYet: 'aún no',
  byUnitTitle: 'Revisiones por unidad de medida',
  byUnitCaption: 'Revisiones entre la primera versión y la actual, por unidad de medida',
  colUnit: 'Unidad de medida',
  colCompared: 'Comparados',
  colRevisedShare: 'Proporción revisada',
  colMeanRevision: 'Revisión media',
  colMeanAbsolute: 'Revisión absoluta media',
  colRelative: 'Revisión absoluta media relativa',
  byDimensionTitle: 'Códigos con datos, por dimensión',
  byDimensionCaption: 'Códigos que permite cada dimensión, y los que toma alguna celda con datos',
  colDimension: 'Dimensión',
  colAllowed: 'Códigos permitidos',
  colWithData: 'Códigos con datos',
  colShare: 'Proporción',
  notApplicable: 'no aplicable',
  days: (n: string) => `${n} días`,
  day: (n: string) => `${n} día`,
  percent: (n: string) => `${n}\u00a0%`,
  versionsTitle: 'Versiones',
  versionsCaption: 'Versiones públicas hasta ahora, de la más antigua a la más reciente',
  colVersion: 'Versión',
  colRead: 'Leer',
  shownHere: 'la de esta página',
  readVersion: 'esta versión',
  sdmxVersion: 'SDMX',
  notesTitle: 'Notas de país',
  notesIntro: 'Lo particular de las series de estos países y zonas:',
  formatsTitle: 'El mismo informe para programas',
  formatJson: 'JSON, con los indicadores de calidad (la API del portal)',
  formatSdmx30: 'Conjunto de metadatos SDMX 3.0 (SDMX REST 2.0)',
  formatSdmx21: 'Metadatos genéricos SDMX 2.1 (SDMX REST 1.5)',
  sourcesTitle: 'Fuentes',
  licence: 'Condiciones',
  invalidTitle: 'No se puede responder a esta dirección',
  backToReport: 'Volver al informe metodológico y de calidad',
  emptyArea: 'El parámetro area está vacío: indique un código de zona como KAZ, u omítalo para el informe del conjunto de datos.',
  badAsOf: (asOf: string) => `«${asOf}» no es un instante: asOf admite una fecha o una fecha y hora ISO 8601, como 2024-01-31 o 2024-01-31T12:00:00Z.`,
  futureAsOf: (asOf: string) => `${asOf} está en el futuro: aún no se sabe qué será público entonces. Omita asOf para ver lo que es público ahora.`,
  givenTwice: (name: string, a: string, b: string) => `${name} figura dos veces («${a}» y «${b}»): indíquelo una sola vez.`,
  malformedQuery: 'La dirección contiene una codificación porcentual mal formada.',
  unknownAreaTitle: 'Zona desconocida',
  unknownArea: (area: C, codelist: C) => ['Ninguna zona tiene el código ', area, ' en la lista de zonas de este conjunto de datos (', codelist, ').'],
  noAreaList: 'el conjunto de datos no tiene dimensión de zona',
  otherNotes: 'Las zonas con nota de país sobre este conjunto de datos:',
};

export const METADATA_WORDS: Readonly<Record<PortalLanguage, MetadataWords>> = { en, es };

// ---- addresses ----

/** The page's path after the language, with its query (area, asOf). */
export function metadataPath(flowPath: string, query: { area?: string; asOf?: string } = {}): string {
  const params = [
    ...(query.area !== undefined ? [`area=${encodeURIComponent(query.area)}`] : []),
    ...(query.asOf !== undefined ? [`asOf=${encodeURIComponent(query.asOf)}`] : []),
  ];
  return `/dataflows/${flowPath}/metadata${params.length ? `?${params.join('&')}` : ''}`;
}

/** `/{lang}/dataflows/{id}/metadata`, with area and asOf when given: the link other pages give to this one. */
export function metadataPageHref(lang: PortalLanguage, flowPath: string, query: { area?: string; asOf?: string } = {}): string {
  return `/${lang}${metadataPath(flowPath, query)}`;
}

const SDMX30_VERSION = (agency: string, set: string, version: string) => `/sdmx/3.0/metadata/metadataset/${agency}/${set}/${version}`;

// ---- numbers ----

/** A figure as people of the language write it: to one decimal, or two significant digits below 1. */
function figure(n: number, lang: PortalLanguage): string {
  const abs = Math.abs(n);
  const options: Intl.NumberFormatOptions = abs !== 0 && abs < 1 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: 1 };
  return new Intl.NumberFormat(lang, options).format(n);
}

type QuantityKind = 'count' | 'percent' | 'day' | 'plain';

/**
 * One figure of the indicators, with its exact value in `<data value>` and, in `data-q`, where
 * it is in the JSON API's `indicators` (a dotted path), so what the page shows can be checked
 * against what the API says. A figure the server has no ground for is "not applicable", never 0.
 */
function Q({ q, v, kind, lang }: { q: string; v: Quantity | number | null | undefined; kind: QuantityKind; lang: PortalLanguage }) {
  const w = METADATA_WORDS[lang];
  if (v === null || v === undefined) {
    return (
      <span class="md-na" data-q={q}>
        {w.notApplicable}
      </span>
    );
  }
  const n = typeof v === 'number' ? v : v.value;
  const text = kind === 'count' ? formatNumber(n, lang) : figure(n, lang);
  const shown = kind === 'percent' ? w.percent(text) : kind === 'day' ? (n === 1 ? w.day(text) : w.days(text)) : text;
  return (
    <data value={String(n)} data-q={q}>
      {shown}
    </data>
  );
}

function Instant({ iso, lang }: { iso: string; lang: PortalLanguage }) {
  return <time dateTime={iso}>{formatInstant(iso, lang)}</time>;
}

/**
 * The instant a page shows: to the millisecond when asked for (asOf), else its day. What is
 * public changes only at release instants, and the page's validator is a hash of its HTML: a
 * page that named the request's millisecond would never be the same twice.
 */
function AsOf({ at, pinned, lang }: { at: string; pinned: boolean; lang: PortalLanguage }) {
  return pinned ? <Instant iso={at} lang={lang} /> : <time dateTime={at.slice(0, 10)}>{formatDate(at, lang)}</time>;
}

function Text({ value }: { value: Localised }) {
  return value.lang ? <span lang={value.lang}>{value.text}</span> : <>{value.text}</>;
}

// ---- stored texts ----

/** The XHTML elements a stored text may use, written without attributes. */
const ALLOWED_TAG = /<(\/?)(p|br|ul|ol|li|em|strong|b|i)\s*(\/?)>/gi;
const BLOCK = new Set(['p', 'ul', 'ol', 'li']);

interface MarkupElement {
  readonly tag: string;
  readonly children: MarkupNode[];
}
type MarkupNode = string | MarkupElement;

/** The entities an XHTML text may hold, decoded to characters (which the renderer escapes again). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (whole, name: string) => {
    const n = name.toLowerCase();
    if (n.startsWith('#')) {
      const code = n[1] === 'x' ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[n] ?? whole;
  });
}

/**
 * The allowed elements of a stored text as a tree, or null when it holds none (plain text). Only
 * the exact tags of ALLOWED_TAG open or close an element; every other character, other tags
 * included, stays text. A closing tag without its opening one is text; elements left open close
 * at the end.
 */
function parseMarkup(text: string): MarkupNode[] | null {
  const root: MarkupElement = { tag: '', children: [] };
  const stack: MarkupElement[] = [root];
  const top = () => stack[stack.length - 1]!;
  const addText = (t: string) => {
    if (t !== '') top().children.push(decodeEntities(t));
  };
  let found = false;
  let last = 0;
  for (const m of text.matchAll(ALLOWED_TAG)) {
    const [whole, closing, rawName, selfClosing] = m;
    const name = rawName!.toLowerCase();
    addText(text.slice(last, m.index));
    last = m.index! + whole.length;
    if (name === 'br') {
      top().children.push({ tag: 'br', children: [] });
      found = true;
    } else if (closing) {
      let at = stack.length - 1;
      while (at > 0 && stack[at]!.tag !== name) at--;
      if (at === 0) top().children.push(whole);
      else {
        stack.length = at;
        found = true;
      }
    } else if (!selfClosing) {
      const element: MarkupElement = { tag: name, children: [] };
      top().children.push(element);
      stack.push(element);
      found = true;
    }
  }
  addText(text.slice(last));
  return found ? root.children : null;
}

/** Server paths in a text (`/api/v1/calendar.ics`, `/sdmx/2.1/data/…`), which become links. */
const SERVER_PATH = /(?<![\w/.])\/(?:api\/v1|sdmx)\/[^\s<>"'«»“”]*/g;

/** A run of text with the server's own addresses as links (a sentence's final stop is not part of one). */
function linked(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(SERVER_PATH)) {
    let path = m[0];
    while (/[.,;:!?]$/.test(path) || (path.endsWith(')') && (path.match(/\(/g)?.length ?? 0) < (path.match(/\)/g)?.length ?? 0))) path = path.slice(0, -1);
    if (path.length < 6) continue;
    out.push(text.slice(last, m.index));
    out.push(<a href={path}>{path}</a>);
    last = m.index! + path.length;
  }
  out.push(text.slice(last));
  return out;
}

/** Inline content: text (line breaks kept), emphasis and breaks; a block element met here gives its content only. */
function inline(nodes: readonly MarkupNode[]): ComponentChildren[] {
  return nodes.map((n) => {
    if (typeof n === 'string') return linked(n);
    switch (n.tag) {
      case 'br':
        return <br />;
      case 'em':
      case 'i':
        return <em>{inline(n.children)}</em>;
      case 'strong':
      case 'b':
        return <strong>{inline(n.children)}</strong>;
      default:
        return inline(n.children);
    }
  });
}

/** Paragraphs of plain text: a text's line breaks separate its paragraphs. */
function paragraphs(text: string): VNode[] {
  return text
    .split(/\n+/)
    .filter((p) => p.trim() !== '')
    .map((p) => <p>{linked(p)}</p>);
}

/** Block content: paragraphs and lists; loose inline content becomes paragraphs at its line breaks. */
function blocks(nodes: readonly MarkupNode[]): VNode[] {
  const out: VNode[] = [];
  let run: MarkupNode[] = [];
  const flush = () => {
    // Split the run at its line breaks, keeping elements with the text around them.
    let para: MarkupNode[] = [];
    const end = () => {
      if (para.some((n) => typeof n !== 'string' || n.trim() !== '')) out.push(<p>{inline(para)}</p>);
      para = [];
    };
    for (const n of run) {
      if (typeof n !== 'string') {
        para.push(n);
        continue;
      }
      const pieces = n.split(/\n+/);
      pieces.forEach((piece, i) => {
        if (i > 0) end();
        if (piece !== '') para.push(piece);
      });
    }
    end();
    run = [];
  };
  for (const n of nodes) {
    if (typeof n === 'string' || !BLOCK.has(n.tag)) {
      run.push(n);
      continue;
    }
    flush();
    if (n.tag === 'ul' || n.tag === 'ol') {
      const items = n.children.filter((c) => typeof c !== 'string' || c.trim() !== '');
      const List = n.tag;
      out.push(<List>{items.map((c) => <li>{inline(typeof c !== 'string' && c.tag === 'li' ? c.children : [c])}</li>)}</List>);
    } else out.push(<p>{inline(n.children)}</p>);
  }
  flush();
  return out;
}

/** A stored text as paragraphs (and lists when it is written in the allowed XHTML), never as raw HTML. */
export function richText(text: string): VNode[] {
  const markup = parseMarkup(text);
  return markup ? blocks(markup) : paragraphs(text);
}

// ---- the report's sections ----

interface SectionContext {
  readonly lang: PortalLanguage;
  readonly at: string;
  readonly pinned: boolean;
}

function headingOf(depth: number): 'h2' | 'h3' | 'h4' | 'h5' | 'h6' {
  return (['h2', 'h3', 'h4', 'h5', 'h6'] as const)[Math.min(depth, 4)]!;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A reported value: a code with its label, an instant, a number, or as stored. */
function Value({ s, lang }: { s: SectionView; lang: PortalLanguage }) {
  const value = s.value!;
  if (s.valueLabel) {
    return (
      <p class="md-value">
        <Text value={s.valueLabel} /> <span class="md-code">({value})</span>
      </p>
    );
  }
  if (ISO_INSTANT.test(value)) {
    return (
      <p class="md-value">
        <Instant iso={value} lang={lang} />
      </p>
    );
  }
  if (NUMBER.test(value)) {
    return (
      <p class="md-value">
        <data value={value}>{new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(Number(value))}</data>
      </p>
    );
  }
  return <p class="md-value">{value}</p>;
}

/** What a computed concept is measured from, said once per computed branch. */
function MeasuredNote({ s, ctx }: { s: SectionView; ctx: SectionContext }) {
  const w = METADATA_WORDS[ctx.lang];
  const from = MEASURED_FROM[s.id];
  const what =
    from === undefined ? w.measuredFrom.other : (INDICATORS as readonly string[]).includes(from) ? w.measuredIndicator(<a href={`#q-${from}`}>{w.names[from as IndicatorKey]}</a>) : w.measuredFrom[from as 'publication' | 'calendar' | 'online'];
  return <p class="md-measured">{w.measured(<AsOf at={ctx.at} pinned={ctx.pinned} lang={ctx.lang} />, what)}</p>;
}

function Section({ s, depth, ctx, inComputed }: { s: SectionView; depth: number; ctx: SectionContext; inComputed: boolean }) {
  const w = METADATA_WORDS[ctx.lang];
  const Heading = headingOf(depth);
  const id = `c-${s.id}`;
  return (
    <section class={`md-section md-depth-${Math.min(depth, 3)}`} aria-labelledby={id} data-concept={s.id}>
      <Heading id={id} class="md-heading">
        {s.sims ? <span class="md-sims">{s.sims} </span> : null}
        <span class="md-name" lang={s.name.lang}>
          {s.name.text}
        </span>
      </Heading>
      {s.computed || s.headline ? (
        <p class="md-badges">
          {s.computed ? <span class="md-badge md-badge-computed">{w.measuredBadge}</span> : null}
          {s.headline ? <span class="md-badge md-badge-headline">{w.headlineBadge}</span> : null}
        </p>
      ) : null}
      {s.computed && !inComputed ? <MeasuredNote s={s} ctx={ctx} /> : null}
      {s.value !== undefined ? <Value s={s} lang={ctx.lang} /> : null}
      {s.text ? (
        <div class="md-text" lang={s.text.lang}>
          {richText(s.text.text)}
        </div>
      ) : null}
      {s.sections.map((child) => (
        <Section s={child} depth={depth + 1} ctx={ctx} inComputed={inComputed || s.computed} />
      ))}
    </section>
  );
}

function TocEntries({ sections }: { sections: readonly SectionView[] }) {
  return (
    <ol>
      {sections.map((s) => (
        <li>
          <a href={`#c-${s.id}`}>
            {s.sims ? <span class="md-sims">{s.sims} </span> : null}
            <Text value={s.name} />
          </a>
          {s.sections.length ? <TocEntries sections={s.sections} /> : null}
        </li>
      ))}
    </ol>
  );
}

// ---- quality indicators ----

/** A table in a region that scrolls sideways on narrow screens, reachable by keyboard. */
function Scroll({ labelledBy, children }: { labelledBy: string; children: ComponentChildren }) {
  return (
    <div class="md-scroll" role="region" tabIndex={0} aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}

function IndicatorRow({ k, lang, figure: fig, madeOf }: { k: IndicatorKey; lang: PortalLanguage; figure: ComponentChildren; madeOf: ComponentChildren }) {
  const w = METADATA_WORDS[lang];
  return (
    <tr id={`q-${k}`}>
      <th scope="row">
        {w.names[k]}
        <span class="md-measures">{w.measures[k]}</span>
      </th>
      <td class="md-standard">{STANDARDS[k]}</td>
      <td class="number">{fig}</td>
      <td>{madeOf}</td>
    </tr>
  );
}

function releaseLink(code: string, d: MetadataPageData) {
  const title = d.releaseTitles.get(code);
  return title ? (
    <a href={releaseHref(code, d.lang)}>
      {title} <span class="md-code">({code})</span>
    </a>
  ) : (
    <span class="md-code">{code}</span>
  );
}

function Quality({ d }: { d: MetadataPageData }) {
  const { lang, indicators: q } = d;
  const w = METADATA_WORDS[lang];
  const p = q.punctuality;
  const tl = q.timeliness.firstResults;
  const r = q.revisions;
  const c = q.completeness;
  const s = q.suppression;
  const years = c.years ? `${c.years.first}–${c.years.last}` : w.noYears;
  const scope = d.area ? w.scopeArea(<Text value={d.area.name} />) : w.scopeFlow;

  // Every release any indicator speaks of, in the order they became (or were due to become) public.
  const codes = new Map<string, string>();
  for (const x of p.releases) codes.set(x.release, x.publishedAt ?? x.firstAnnouncedAt);
  for (const x of q.releases) codes.set(x.code, x.publishedAt);
  const rows = [...codes.entries()].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
  const indexOf = <T,>(list: readonly T[], code: (t: T) => string, wanted: string) => list.findIndex((t) => code(t) === wanted);

  return (
    <section aria-labelledby="quality">
      <h2 id="quality">{w.qualityTitle}</h2>
      <p>{w.qualityIntro(scope, <AsOf at={d.at} pinned={d.pinned} lang={lang} />)}</p>
      <Scroll labelledBy="q-caption">
        <table class="data-table md-table md-indicators">
          <caption id="q-caption">{w.indicatorsCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{w.colIndicator}</th>
              <th scope="col">{w.colStandard}</th>
              <th scope="col">{w.colFigure}</th>
              <th scope="col">{w.colMadeOf}</th>
            </tr>
          </thead>
          <tbody>
            <IndicatorRow
              k="punctuality"
              lang={lang}
              figure={<Q q="punctuality.onTimeShare" v={p.onTimeShare} kind="percent" lang={lang} />}
              madeOf={
                <>
                  {w.punctualityMadeOf(
                    <Q q="punctuality.onTime" v={p.onTime} kind="count" lang={lang} />,
                    <Q q="punctuality.due" v={p.due} kind="count" lang={lang} />,
                    <Q q="punctuality.meanDelay" v={p.meanDelay} kind="day" lang={lang} />,
                    <Q q="punctuality.maxDelay" v={p.maxDelay} kind="day" lang={lang} />,
                  )}{' '}
                  {w.punctualityOthers(
                    <Q q="punctuality.late" v={p.late} kind="count" lang={lang} />,
                    <Q q="punctuality.overdue" v={p.overdue} kind="count" lang={lang} />,
                    <Q q="punctuality.cancelled" v={p.cancelled} kind="count" lang={lang} />,
                  )}
                </>
              }
            />
            <IndicatorRow
              k="timeliness"
              lang={lang}
              figure={<Q q="timeliness.firstResults.meanLag" v={tl.meanLag} kind="day" lang={lang} />}
              madeOf={w.timelinessMadeOf(
                <Q q="timeliness.firstResults.releases" v={tl.releases} kind="count" lang={lang} />,
                <Q q="timeliness.firstResults.minLag" v={tl.minLag} kind="day" lang={lang} />,
                <Q q="timeliness.firstResults.maxLag" v={tl.maxLag} kind="day" lang={lang} />,
              )}
            />
            <IndicatorRow
              k="revisions"
              lang={lang}
              figure={w.revisionsFigure(<Q q="revisions.revised" v={r.revised} kind="count" lang={lang} />, <Q q="revisions.compared" v={r.compared} kind="count" lang={lang} />)}
              madeOf={w.revisionsMadeOf(<Q q="revisions.republished" v={r.republished} kind="count" lang={lang} />, <Q q="revisions.notComparable" v={r.notComparable} kind="count" lang={lang} />)}
            />
            <IndicatorRow
              k="completeness"
              lang={lang}
              figure={<Q q="completeness.share" v={c.share} kind="percent" lang={lang} />}
              madeOf={w.completenessMadeOf(
                <Q q="completeness.cellsWithData" v={c.cellsWithData} kind="count" lang={lang} />,
                <Q q="completeness.allowedCells" v={c.allowedCells} kind="count" lang={lang} />,
                years,
                <Q q="completeness.cellsWithheld" v={c.cellsWithheld} kind="count" lang={lang} />,
                <Q q="completeness.valueShare" v={c.valueShare} kind="percent" lang={lang} />,
                <Q q="completeness.seriesWithData" v={c.seriesWithData} kind="count" lang={lang} />,
                <Q q="completeness.seriesFill" v={c.seriesFill} kind="percent" lang={lang} />,
              )}
            />
            <IndicatorRow
              k="suppression"
              lang={lang}
              figure={<Q q="suppression.share" v={s.share} kind="percent" lang={lang} />}
              madeOf={w.suppressionMadeOf(<Q q="suppression.withheld" v={s.withheld} kind="count" lang={lang} />, <Q q="suppression.cells" v={s.cells} kind="count" lang={lang} />)}
            />
          </tbody>
        </table>
      </Scroll>

      {rows.length ? (
        <>
          <h3 id="q-releases">{w.byReleaseTitle}</h3>
          <Scroll labelledBy="q-releases-caption">
            <table class="data-table md-table">
              <caption id="q-releases-caption">{w.byReleaseCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.colRelease}</th>
                  <th scope="col">{w.colPublished}</th>
                  <th scope="col">{w.colPunctuality}</th>
                  <th scope="col">{w.colLatestPeriod}</th>
                  <th scope="col">{w.colLag}</th>
                  <th scope="col">{w.colRevised}</th>
                  <th scope="col">{w.colCells}</th>
                  <th scope="col">{w.colWithheld}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([code]) => {
                  const pi = indexOf(p.releases, (x) => x.release, code);
                  const ti = indexOf(q.timeliness.releases, (x) => x.release, code);
                  const ri = indexOf(r.releases, (x) => x.release, code);
                  const si = indexOf(s.releases, (x) => x.release, code);
                  const punct = pi >= 0 ? p.releases[pi]! : null;
                  const time = ti >= 0 ? q.timeliness.releases[ti]! : null;
                  const sup = si >= 0 ? s.releases[si]! : null;
                  const published = punct?.publishedAt ?? sup?.publishedAt ?? time?.publishedAt ?? null;
                  return (
                    <tr>
                      <th scope="row">{releaseLink(code, d)}</th>
                      <td>{published ? <Instant iso={published} lang={lang} /> : w.notYet}</td>
                      <td>
                        {punct ? (
                          <>
                            {w.status[punct.status] ?? punct.status}
                            {punct.delay && punct.delay.value !== 0 ? (
                              <>
                                {' '}
                                (<Q q={`punctuality.releases.${pi}.delay`} v={punct.delay} kind="day" lang={lang} />)
                              </>
                            ) : null}
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>
                        {time ? (
                          <>
                            {time.latestPeriod} <span class="md-muted">({time.firstResults ? w.firstResults : w.notFirstResults})</span>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td class="number">{time ? <Q q={`timeliness.releases.${ti}.lag`} v={time.lag} kind="day" lang={lang} /> : '—'}</td>
                      <td class="number">{ri >= 0 ? <Q q={`revisions.releases.${ri}.revised`} v={r.releases[ri]!.revised} kind="count" lang={lang} /> : '—'}</td>
                      <td class="number">{sup ? <Q q={`suppression.releases.${si}.cells`} v={sup.cells} kind="count" lang={lang} /> : '—'}</td>
                      <td class="number">
                        {sup ? (
                          <>
                            <Q q={`suppression.releases.${si}.withheld`} v={sup.withheld} kind="count" lang={lang} /> (<Q q={`suppression.releases.${si}.share`} v={sup.share} kind="percent" lang={lang} />)
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Scroll>
        </>
      ) : null}

      {r.byUnit.length ? (
        <>
          <h3 id="q-units">{w.byUnitTitle}</h3>
          <Scroll labelledBy="q-units-caption">
            <table class="data-table md-table">
              <caption id="q-units-caption">{w.byUnitCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.colUnit}</th>
                  <th scope="col">{w.colCompared}</th>
                  <th scope="col">{w.colRevised}</th>
                  <th scope="col">{w.colRevisedShare}</th>
                  <th scope="col">{w.colMeanRevision}</th>
                  <th scope="col">{w.colMeanAbsolute}</th>
                  <th scope="col">{w.colRelative}</th>
                </tr>
              </thead>
              <tbody>
                {r.byUnit.map((u, i) => (
                  <tr>
                    <th scope="row">
                      <Text value={d.unitNames.get(u.unit) ?? { text: u.unit }} /> <span class="md-code">({u.unit})</span>
                    </th>
                    <td class="number">
                      <Q q={`revisions.byUnit.${i}.compared`} v={u.compared} kind="count" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`revisions.byUnit.${i}.revised`} v={u.revised} kind="count" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`revisions.byUnit.${i}.revisedShare`} v={u.revisedShare} kind="percent" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`revisions.byUnit.${i}.meanRevision`} v={u.meanRevision} kind="plain" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`revisions.byUnit.${i}.meanAbsoluteRevision`} v={u.meanAbsoluteRevision} kind="plain" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`revisions.byUnit.${i}.relativeMeanAbsoluteRevision`} v={u.relativeMeanAbsoluteRevision} kind="percent" lang={lang} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      ) : null}

      {c.dimensions.length ? (
        <>
          <h3 id="q-dimensions">{w.byDimensionTitle}</h3>
          <Scroll labelledBy="q-dimensions-caption">
            <table class="data-table md-table">
              <caption id="q-dimensions-caption">{w.byDimensionCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.colDimension}</th>
                  <th scope="col">{w.colAllowed}</th>
                  <th scope="col">{w.colWithData}</th>
                  <th scope="col">{w.colShare}</th>
                </tr>
              </thead>
              <tbody>
                {c.dimensions.map((dim, i) => (
                  <tr>
                    <th scope="row">
                      <Text value={d.dimensionNames.get(dim.dimension) ?? { text: dim.dimension }} />
                    </th>
                    <td class="number">
                      <Q q={`completeness.dimensions.${i}.allowed`} v={dim.allowed} kind="count" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`completeness.dimensions.${i}.withData`} v={dim.withData} kind="count" lang={lang} />
                    </td>
                    <td class="number">
                      <Q q={`completeness.dimensions.${i}.share`} v={dim.share} kind="percent" lang={lang} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      ) : null}
    </section>
  );
}

// ---- versions, notes, formats, sources ----

function Versions({ d }: { d: MetadataPageData }) {
  const { lang } = d;
  const w = METADATA_WORDS[lang];
  const area = d.area ? { area: d.area.id } : {};
  // A version is read at the instant it became public (when no other became public at that same instant).
  const sameInstant = (v: VisibleMetadataVersion) => d.versions.filter((x) => x.validFrom === v.validFrom).length > 1;
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">{w.versionsTitle}</h2>
      <Scroll labelledBy="versions-caption">
        <table class="data-table md-table">
          <caption id="versions-caption">{w.versionsCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{w.colVersion}</th>
              <th scope="col">{w.colRelease}</th>
              <th scope="col">{w.colPublished}</th>
              <th scope="col">{w.colRead}</th>
            </tr>
          </thead>
          <tbody>
            {d.versions.map((v) => {
              const here = d.set?.version === v.version;
              const href = metadataPageHref(lang, d.flow.path, { ...area, asOf: v.validFrom });
              return (
                <tr data-version={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>{v.release ? releaseLink(v.release, d) : '—'}</td>
                  <td>
                    <Instant iso={v.validFrom} lang={lang} />
                  </td>
                  <td>
                    {here ? <span class="md-muted">{w.shownHere}</span> : !sameInstant(v) ? <a href={href}>{w.readVersion}</a> : null}
                    {d.set ? (
                      <>
                        {' · '}
                        <a href={SDMX30_VERSION(d.set.agency, d.set.set, v.version)}>{w.sdmxVersion}</a>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}

function AreaNoteList({ d, notes }: { d: { lang: PortalLanguage; flow: FlowRef; asOf?: string }; notes: readonly AreaNote[] }) {
  return (
    <ul class="md-notes">
      {notes.map((n) => (
        <li>
          <a href={metadataPageHref(d.lang, d.flow.path, { area: n.area, ...(d.asOf ? { asOf: d.asOf } : {}) })}>
            <Text value={n.name} />
          </a>{' '}
          <span class="md-code">({n.area})</span>
        </li>
      ))}
    </ul>
  );
}

function Formats({ d }: { d: MetadataPageData }) {
  const w = METADATA_WORDS[d.lang];
  return (
    <section aria-labelledby="formats">
      <h2 id="formats">{w.formatsTitle}</h2>
      <ul class="links">
        <li>
          <a href={d.links.json} type="application/json">
            {w.formatJson}
          </a>
        </li>
        {d.links.sdmx30 ? (
          <li>
            <a href={d.links.sdmx30}>{w.formatSdmx30}</a>
          </li>
        ) : null}
        <li>
          <a href={d.links.sdmx21}>{w.formatSdmx21}</a>
        </li>
      </ul>
    </section>
  );
}

function Sources({ set, lang }: { set: SetView; lang: PortalLanguage }) {
  const w = METADATA_WORDS[lang];
  return (
    <section aria-labelledby="sources">
      <h2 id="sources">{w.sourcesTitle}</h2>
      <ul class="md-sources">
        {set.sources.map((s) => (
          <li>
            {s.url && /^https?:\/\//.test(s.url) ? <a href={s.url}>{s.title}</a> : s.title}
            {s.licence ? (
              <span class="md-licence">
                {' '}
                {w.licence}: {s.licence}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Crumbs({ lang, flow, area }: { lang: PortalLanguage; flow: FlowRef; area: boolean }) {
  const t = MESSAGES[lang];
  const w = METADATA_WORDS[lang];
  return (
    <nav aria-label={w.breadcrumb}>
      <ol class="md-crumbs">
        <li>
          <a href={`/${lang}/`}>{t.navData}</a>
        </li>
        <li>
          <a href={`/${lang}/dataflows/${flow.path}`}>
            <Text value={flow.name} />
          </a>
        </li>
        {area ? (
          <li>
            <a href={metadataPageHref(lang, flow.path)}>{w.report}</a>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

// ---- the pages ----

export function MetadataPage(d: MetadataPageData) {
  const { lang, flow, area, set } = d;
  const w = METADATA_WORDS[lang];
  const query = { ...(area ? { area: area.id } : {}), ...(d.pinned ? { asOf: d.at } : {}) };
  const title: Localised = set ? set.name : area ? { text: w.noteTitle(flow.name.text, area.name.text) } : { text: w.reportTitle(flow.name.text) };
  const ctx: SectionContext = { lang, at: d.at, pinned: d.pinned };
  return (
    <Page
      lang={lang}
      title={title.text}
      path={metadataPath(flow.path, query)}
      description={w.description(flow.name.text)}
      headLinks={[{ rel: 'alternate', type: 'application/json', href: d.links.json }]}
    >
      <Crumbs lang={lang} flow={flow} area={area !== null} />
      <h1 lang={title.lang}>{title.text}</h1>

      <dl class="md-facts">
        <div>
          <dt>{w.dataflow}</dt>
          <dd>
            <a href={`/${lang}/dataflows/${flow.path}`}>
              <Text value={flow.name} />
            </a>
          </dd>
        </div>
        {area ? (
          <div>
            <dt>{w.area}</dt>
            <dd>
              <Text value={area.name} /> <span class="md-code">({area.id})</span>
            </dd>
          </div>
        ) : null}
        {set ? (
          <div>
            <dt>{w.version}</dt>
            <dd>{set.version}</dd>
          </div>
        ) : null}
        {set?.release ? (
          <div>
            <dt>{w.publishedBy}</dt>
            <dd>{releaseLink(set.release, d)}</dd>
          </div>
        ) : null}
        {set?.validFrom ? (
          <div>
            <dt>{w.publicSince}</dt>
            <dd>
              <Instant iso={set.validFrom} lang={lang} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{w.asPublicOn}</dt>
          <dd>
            <AsOf at={d.at} pinned={d.pinned} lang={lang} />
          </dd>
        </div>
      </dl>
      {d.pinned ? <p class="md-pinned">{w.pinned(<a href={metadataPageHref(lang, flow.path, area ? { area: area.id } : {})}>{w.pinnedLink}</a>)}</p> : null}
      {area ? (
        <>
          {!set ? (
            <p class="md-empty" role="status">
              {w.noNote(<Text value={area.name} />, <Text value={flow.name} />)}
            </p>
          ) : null}
          <p>{w.readReport(<a href={metadataPageHref(lang, flow.path, d.pinned ? { asOf: d.at } : {})}>{d.reportName ? <Text value={d.reportName} /> : w.report}</a>)}</p>
        </>
      ) : !set ? (
        <p class="md-empty" role="status">
          {w.noReport}
        </p>
      ) : null}

      {set ? (
        <aside class="md-legend" aria-labelledby="legend">
          <h2 id="legend">{w.legendTitle}</h2>
          <dl>
            <div>
              <dt>
                <span class="md-badge md-badge-computed">{w.legendComputed}</span>
              </dt>
              <dd>{w.legendComputedText}</dd>
            </div>
            <div>
              <dt>
                <span class="md-badge md-badge-headline">{w.legendHeadline}</span>
              </dt>
              <dd>{w.legendHeadlineText}</dd>
            </div>
          </dl>
        </aside>
      ) : null}

      <nav class="md-toc" aria-labelledby="contents">
        <h2 id="contents">{w.contents}</h2>
        {set ? <TocEntries sections={set.sections} /> : null}
        <ul>
          <li>
            <a href="#quality">{w.qualityTitle}</a>
          </li>
          {d.versions.length ? (
            <li>
              <a href="#versions">{w.versionsTitle}</a>
            </li>
          ) : null}
          {!area && d.notes.length ? (
            <li>
              <a href="#country-notes">{w.notesTitle}</a>
            </li>
          ) : null}
          <li>
            <a href="#formats">{w.formatsTitle}</a>
          </li>
          {set?.sources.length ? (
            <li>
              <a href="#sources">{w.sourcesTitle}</a>
            </li>
          ) : null}
        </ul>
      </nav>

      {set ? (
        <div class="md-report">
          {set.sections.map((s) => (
            <Section s={s} depth={0} ctx={ctx} inComputed={false} />
          ))}
        </div>
      ) : null}

      <Quality d={d} />
      {d.versions.length ? <Versions d={d} /> : null}
      {!area && d.notes.length ? (
        <section aria-labelledby="country-notes">
          <h2 id="country-notes">{w.notesTitle}</h2>
          <p>{w.notesIntro}</p>
          <AreaNoteList d={{ lang, flow, ...(d.pinned ? { asOf: d.at } : {}) }} notes={d.notes} />
        </section>
      ) : null}
      <Formats d={d} />
      {set?.sources.length ? <Sources set={set} lang={lang} /> : null}
    </Page>
  );
}

/** An area the dataflow's area list does not hold: says which code, in which list, and where the notes are. */
export function UnknownAreaPage({ lang, area, codelist, flow, notes, asOf }: { lang: PortalLanguage; area: string; codelist: string | null; flow: FlowRef; notes: readonly AreaNote[]; asOf?: string }) {
  const w = METADATA_WORDS[lang];
  return (
    <Page lang={lang} title={w.unknownAreaTitle} path={metadataPath(flow.path, { area, ...(asOf ? { asOf } : {}) })}>
      <Crumbs lang={lang} flow={flow} area={true} />
      <h1>{w.unknownAreaTitle}</h1>
      <p role="alert">{w.unknownArea(<code>{area}</code>, codelist ?? w.noAreaList)}</p>
      <p>
        <a href={metadataPageHref(lang, flow.path, asOf ? { asOf } : {})}>{w.backToReport}</a>
      </p>
      {notes.length ? (
        <>
          <p>{w.otherNotes}</p>
          <AreaNoteList d={{ lang, flow, ...(asOf ? { asOf } : {}) }} notes={notes} />
        </>
      ) : null}
    </Page>
  );
}

/** A query the page cannot answer (a bad asOf, an empty area): what is wrong, and the way back. */
export function InvalidRequestPage({ lang, flow, message }: { lang: PortalLanguage; flow: { path: string; name: Localised }; message: string }) {
  const w = METADATA_WORDS[lang];
  return (
    <Page lang={lang} title={w.invalidTitle} path={metadataPath(flow.path)}>
      <h1>{w.invalidTitle}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href={metadataPageHref(lang, flow.path)}>{w.backToReport}</a>
      </p>
    </Page>
  );
}
