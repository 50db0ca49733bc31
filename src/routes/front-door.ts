/**
 * `GET /`: where everything is. A browser (Accept preferring text/html) gets a short page in
 * English or Spanish (Accept-Language, or `?lang=`); a program gets JSON with a link to every
 * API and the dataflows published, each with its SDMX links. Until the portal takes `/` over.
 * The page loads nothing (no script, no style sheet, no image; its few lines of style are inline,
 * allowed by their hash) and says so in its Content-Security-Policy.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dataflow } from '../sdmx/model.js';
import { parseAccept } from '../sdmx/negotiate.js';
import type { StructureService } from '../services/structure-service.js';
import { preferredLanguages } from '../http/language.js';
import { escapeHtml } from '../text/html.js';

export interface FrontDoorOptions {
  readonly structures: StructureService;
  /** Whether GraphQL is served (GRAPHQL=on): its links are listed only then. */
  readonly graphql: boolean;
}

/** A few readable lines of style, inline: the CSP allows exactly this text by its hash. */
const STYLE =
  'body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem 1.25rem;color:#1a1a1a}' +
  'h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem}li{margin:.35rem 0}a{color:#0b5394}code{font-size:.85em;color:#444}';

/** Nothing to load, no script: every fetch directive falls back to 'none'; only that style applies. */
export const FRONT_DOOR_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

interface ApiLink {
  readonly rel: string;
  readonly href: string;
  readonly en: string;
  readonly es: string;
}

/** The portal, for people; its page per language. */
const PORTAL: ApiLink = { rel: 'portal', href: '/en/', en: 'The data portal: browse the figures by theme and dataflow', es: 'El portal de datos: las cifras por tema y conjunto de datos' };

const GRAPHQL_LINKS: readonly ApiLink[] = [
  { rel: 'graphql', href: `/graphql?query=${encodeURIComponent('{ dataflows { code name } }')}`, en: 'GraphQL (POST or GET /graphql)', es: 'GraphQL (POST o GET /graphql)' },
  { rel: 'graphiql', href: '/graphiql', en: 'GraphiQL: write and run GraphQL queries in the browser', es: 'GraphiQL: escribir y ejecutar consultas GraphQL en el navegador' },
];

const APIS: readonly ApiLink[] = [
  { rel: 'sdmx-2.1', href: '/sdmx/2.1/dataflow/all/all/latest', en: 'SDMX REST 1.5 (SDMX 2.1): structures, data, availability', es: 'SDMX REST 1.5 (SDMX 2.1): estructuras, datos, disponibilidad' },
  { rel: 'sdmx-3.0', href: '/sdmx/3.0/structure/dataflow/*/*/~', en: 'SDMX REST 2.2 (SDMX 3.0)', es: 'SDMX REST 2.2 (SDMX 3.0)' },
  { rel: 'dataflows', href: '/api/v1/dataflows', en: 'Every dataflow, with its figures in plain JSON, CSV or Excel', es: 'Todos los flujos de datos, con sus cifras en JSON, CSV o Excel' },
  { rel: 'codelists', href: '/api/v1/codelists', en: 'Codelists, the ICCS as a tree', es: 'Listas de códigos, la ICCS como árbol' },
  { rel: 'json-api', href: '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0', en: 'JSON data API by SDMX key (with permalinks to releases)', es: 'API de datos en JSON por clave SDMX (con enlaces permanentes a publicaciones)' },
  { rel: 'calendar', href: '/api/v1/calendar', en: 'Release calendar (also .ics and .atom)', es: 'Calendario de publicaciones (también .ics y .atom)' },
  { rel: 'openapi', href: '/openapi.json', en: 'OpenAPI 3.1 description of every API (also /openapi.yaml)', es: 'Descripción OpenAPI 3.1 de todas las API (también /openapi.yaml)' },
  { rel: 'docs', href: '/docs', en: 'Interactive API documentation', es: 'Documentación interactiva de las API' },
  { rel: 'health', href: '/health', en: 'Service health', es: 'Estado del servicio' },
];

const TEXT = {
  en: {
    title: 'ICCS crime and criminal-justice statistics',
    intro:
      'Crime and criminal-justice statistics coded with the International Classification of Crime for Statistical Purposes (ICCS), from the UN-CTS and Eurostat, published as SDMX with a release calendar and disclosure control.',
    apis: 'APIs',
    dataflows: 'Dataflows',
    csv: 'data as CSV',
    structure: 'structure',
    other: 'En español',
  },
  es: {
    title: 'Estadísticas de delincuencia y justicia penal codificadas con la ICCS',
    intro:
      'Estadísticas de delincuencia y justicia penal codificadas con la Clasificación Internacional de Delitos con Fines Estadísticos (ICCS), de la UN-CTS y de Eurostat, publicadas en SDMX con un calendario de publicaciones y control de divulgación.',
    apis: 'API',
    dataflows: 'Flujos de datos',
    csv: 'datos en CSV',
    structure: 'estructura',
    other: 'In English',
  },
} as const;

type Lang = keyof typeof TEXT;


function flowLinks(f: Dataflow) {
  const ref = `${f.agencyID},${f.id},${f.version}`;
  return {
    data: `/sdmx/2.1/data/${ref}/all?format=csv`,
    structure: `/sdmx/2.1/dataflow/${f.agencyID}/${f.id}/${f.version}?references=all`,
    sdmx30: `/sdmx/3.0/data/dataflow/${f.agencyID}/${f.id}/${f.version}`,
  };
}

/**
 * HTML when the client names text/html and ranks it at least as high as JSON (browsers); JSON
 * otherwise. A `*\/*` entry counts for JSON but not for HTML, so `text/html;q=0.5, *\/*` is JSON.
 */
function wantsHtml(accept: string | undefined): boolean {
  const entries = parseAccept(accept);
  const q = (type: string, subtype: string) =>
    Math.max(0, ...entries.filter((e) => (e.type === type || e.type === '*') && (e.subtype === subtype || e.subtype === '*') && !(e.type === '*' && subtype === 'html')).map((e) => e.q));
  return entries.some((e) => e.type === 'text' && e.subtype === 'html') && q('text', 'html') >= q('application', 'json');
}

function page(lang: Lang, flows: readonly Dataflow[], links: readonly ApiLink[]): string {
  const t = TEXT[lang];
  const portal = `/${lang}/`;
  const name = (f: Dataflow) => f.name[lang] ?? f.name.en ?? f.id;
  const apis = links.filter((a) => a.rel !== 'portal').map((a) => `<li><a href="${escapeHtml(a.href)}">${escapeHtml(a[lang])}</a></li>`).join('');
  const items = flows
    .map((f) => {
      const l = flowLinks(f);
      return `<li>${escapeHtml(name(f))} (<code>${escapeHtml(f.id)}</code>): <a href="${escapeHtml(l.data)}">${t.csv}</a>, <a href="${escapeHtml(l.structure)}">${t.structure}</a></li>`;
    })
    .join('');
  const other: Lang = lang === 'en' ? 'es' : 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.title)}</title><style>${STYLE}</style></head>
<body>
<main>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.intro)}</p>
<p><a href="${portal}">${escapeHtml(PORTAL[lang])}</a></p>
<p><a href="/?lang=${other}" hreflang="${other}" lang="${other}">${t.other}</a></p>
<h2>${t.apis}</h2>
<ul>${apis}</ul>
<h2>${t.dataflows}</h2>
<ul>${items}</ul>
</main>
</body>
</html>
`;
}

export async function frontDoorRoutes(app: FastifyInstance, opts: FrontDoorOptions): Promise<void> {
  // The data APIs, GraphQL after them, then the documentation and health.
  const about = (a: ApiLink) => ['openapi', 'docs', 'health'].includes(a.rel);
  const links: readonly ApiLink[] = [PORTAL, ...APIS.filter((a) => !about(a)), ...(opts.graphql ? GRAPHQL_LINKS : []), ...APIS.filter(about)];
  app.get<{ Querystring: { lang?: string } }>(
    '/',
    {
      schema: {
        summary: 'Where everything is: links to every API and the dataflows published',
        description: 'A browser (Accept preferring text/html) gets a short page in English or Spanish (lang, or Accept-Language); any other client gets this JSON.',
        tags: ['service'],
        querystring: { type: 'object', properties: { lang: { type: 'string', enum: ['en', 'es'], description: 'Page language' } } },
        response: {
          200: {
            description: 'Links to the APIs and the dataflows',
            type: 'object',
            required: ['title', 'links', 'dataflows'],
            properties: {
              title: { type: 'string' },
              description: { type: 'string' },
              links: { type: 'array', items: { type: 'object', required: ['rel', 'href', 'title'], properties: { rel: { type: 'string' }, href: { type: 'string' }, title: { type: 'string' } } } },
              dataflows: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'agencyID', 'version', 'name', 'links'],
                  properties: {
                    id: { type: 'string' },
                    agencyID: { type: 'string' },
                    version: { type: 'string' },
                    name: { type: 'string' },
                    links: { type: 'object', properties: { data: { type: 'string' }, structure: { type: 'string' }, sdmx30: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request: FastifyRequest<{ Querystring: { lang?: string } }>, reply: FastifyReply) => {
      const lang: Lang = preferredLanguages(request.query.lang, request.headers['accept-language']).find((l): l is Lang => l === 'en' || l === 'es') ?? 'en';
      const flows = opts.structures.registry.ofClass('Dataflow') as Dataflow[];
      reply.header('Vary', 'Accept, Accept-Language').header('Cache-Control', 'public, max-age=300').header('Content-Language', lang);
      if (wantsHtml(request.headers.accept)) {
        return reply.type('text/html; charset=utf-8').header('Content-Security-Policy', FRONT_DOOR_CSP).send(page(lang, flows, links));
      }
      return {
        title: TEXT[lang].title,
        description: TEXT[lang].intro,
        links: links.map((a) => ({ rel: a.rel, href: a.href, title: a[lang] })),
        dataflows: flows.map((f) => ({ id: f.id, agencyID: f.agencyID, version: f.version, name: f.name[lang] ?? f.name.en ?? f.id, links: flowLinks(f) })),
      };
    },
  );
}
