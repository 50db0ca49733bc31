/**
 * The portal's own words in English and Spanish (labels of the data come from the structures).
 * Every page takes its language from its path (`/en/…`, `/es/…`); a missing key is a type error.
 */
export const PORTAL_LANGUAGES = ['en', 'es'] as const;
export type PortalLanguage = (typeof PORTAL_LANGUAGES)[number];

export function isPortalLanguage(text: string): text is PortalLanguage {
  return (PORTAL_LANGUAGES as readonly string[]).includes(text);
}

const en = {
  siteName: 'Crime and criminal justice statistics',
  siteTagline: 'Figures coded with the International Classification of Crime for Statistical Purposes (ICCS), from UNODC and Eurostat',
  skipToContent: 'Skip to content',
  otherLanguage: 'Español',
  otherLanguageLabel: 'Leer en español',
  navData: 'Data',
  navSearch: 'Search',
  navCalendar: 'Release calendar',
  navLabel: 'Main',
  navApiDocs: 'API documentation',
  navGraphiql: 'GraphQL',
  homeTitle: 'Crime and criminal justice statistics',
  homeIntro:
    'Offences recorded by the police, victims of intentional homicide, persons brought into contact with the police, prosecuted, convicted and held in prison, coded with the ICCS. Every figure is published on an announced date, and small counts are protected before publication.',
  themes: 'Themes',
  latestReleases: 'Latest releases',
  upcomingReleases: 'Upcoming releases',
  noUpcoming: 'No release is announced at the moment.',
  series: 'series',
  values: 'values',
  period: 'Period covered',
  noData: 'No public data yet',
  lastRelease: 'Last release',
  nextRelease: 'Next release',
  dimensions: 'Dimensions',
  dimension: 'Dimension',
  valuesLabel: 'Values',
  statePublished: 'published',
  stateScheduled: 'announced',
  codesWithData: 'Codes with data',
  download: 'Download',
  downloadCsv: 'All figures as CSV, with labels',
  downloadXlsx: 'All figures as an Excel workbook, with notes',
  downloadSdmxCsv: 'SDMX-CSV',
  reuse: 'Use it in your software',
  apiJson: 'JSON API',
  apiSdmx: 'SDMX REST API (structures)',
  apiGraphql: 'GraphQL query',
  metadataJson: 'Methodology and quality report (JSON)',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is no page at this address.',
  notFoundDataflow: 'No dataflow has this identifier.',
  serverErrorTitle: 'Something went wrong',
  serverError: 'Something went wrong on our side; it has been logged. Please try again in a moment.',
  backHome: 'Back to the home page',
  footerSources: 'Sources: UNODC (UN-CTS, Global Study on Homicide) and Eurostat (crime and criminal justice statistics). ICCS © UNODC 2015, reproduced with acknowledgement of the source.',
  footerApis: 'The same figures through APIs',
  figuresAsOf: 'Figures as public on',
  headlines: 'Headline figures',
  headlineReported: (areas: string, measure: string, year: string) => `${areas} countries and areas reported the ${measure.toLowerCase()} for ${year}.`,
  headlineHighest: 'Highest',
  headlineLowest: 'Lowest',
};

type Messages = typeof en;

const es: Messages = {
  siteName: 'Estadísticas sobre delincuencia y justicia penal',
  siteTagline: 'Cifras codificadas con la Clasificación Internacional de Delitos con Fines Estadísticos (ICCS), de la UNODC y Eurostat',
  skipToContent: 'Ir al contenido',
  otherLanguage: 'English',
  otherLanguageLabel: 'Read in English',
  navData: 'Datos',
  navSearch: 'Buscar',
  navCalendar: 'Calendario de publicaciones',
  navLabel: 'Principal',
  navApiDocs: 'Documentación de la API',
  navGraphiql: 'GraphQL',
  homeTitle: 'Estadísticas sobre delincuencia y justicia penal',
  homeIntro:
    'Delitos registrados por la policía, víctimas de homicidio intencional, personas en contacto con la policía, procesadas, condenadas y privadas de libertad, codificados con la ICCS. Cada cifra se publica en una fecha anunciada, y los recuentos pequeños se protegen antes de publicarse.',
  themes: 'Temas',
  latestReleases: 'Últimas publicaciones',
  upcomingReleases: 'Próximas publicaciones',
  noUpcoming: 'No hay ninguna publicación anunciada por ahora.',
  series: 'series',
  values: 'valores',
  period: 'Período cubierto',
  noData: 'Aún no hay datos públicos',
  lastRelease: 'Última publicación',
  nextRelease: 'Próxima publicación',
  dimensions: 'Dimensiones',
  dimension: 'Dimensión',
  valuesLabel: 'Valores',
  statePublished: 'publicada',
  stateScheduled: 'anunciada',
  codesWithData: 'Códigos con datos',
  download: 'Descargar',
  downloadCsv: 'Todas las cifras en CSV, con etiquetas',
  downloadXlsx: 'Todas las cifras en un libro de Excel, con notas',
  downloadSdmxCsv: 'SDMX-CSV',
  reuse: 'Usarlas en su programa',
  apiJson: 'API JSON',
  apiSdmx: 'API REST SDMX (estructuras)',
  apiGraphql: 'Consulta GraphQL',
  metadataJson: 'Informe metodológico y de calidad (JSON)',
  notFoundTitle: 'Página no encontrada',
  notFoundText: 'No hay ninguna página en esta dirección.',
  notFoundDataflow: 'Ningún conjunto de datos tiene este identificador.',
  serverErrorTitle: 'Algo falló',
  serverError: 'Algo falló de nuestro lado; quedó registrado. Vuelva a intentarlo en un momento.',
  backHome: 'Volver a la página de inicio',
  footerSources: 'Fuentes: UNODC (UN-CTS, Estudio mundial sobre el homicidio) y Eurostat (estadísticas de delincuencia y justicia penal). ICCS © UNODC 2015, reproducida con mención de la fuente.',
  footerApis: 'Las mismas cifras por API',
  figuresAsOf: 'Cifras públicas al',
  headlines: 'Cifras destacadas',
  headlineReported: (areas, measure, year) => `${areas} países y zonas comunicaron la ${measure.toLowerCase()} de ${year}.`,
  headlineHighest: 'Máxima',
  headlineLowest: 'Mínima',
};

export const MESSAGES: Readonly<Record<PortalLanguage, Messages>> = { en, es };

// Formatters are made once per language: making one costs more than formatting thousands of numbers.
const NUMBER_FORMATS: Readonly<Record<PortalLanguage, Intl.NumberFormat>> = { en: new Intl.NumberFormat('en'), es: new Intl.NumberFormat('es') };
const DATE_FORMATS: Readonly<Record<PortalLanguage, Intl.DateTimeFormat>> = {
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  es: new Intl.DateTimeFormat('es', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

/** A number as people of the language write it (12 345 / 12,345). */
export function formatNumber(n: number, lang: PortalLanguage): string {
  return NUMBER_FORMATS[lang].format(n);
}

/** An instant as a date people read, in UTC (publication instants are announced in UTC). */
export function formatDate(iso: string, lang: PortalLanguage): string {
  return DATE_FORMATS[lang].format(new Date(iso));
}
