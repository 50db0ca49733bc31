/**
 * Codelists for people (docs/json-api.md): `GET /codelists` (every codelist) and
 * `GET /codelists/{id}` (its codes with labels en/es, parent and level, the ICCS's description,
 * inclusions and exclusions, flat or as a tree, whole or the subtree under some codes). Paths
 * relative to the JSON API prefix (/api/v1).
 */
import type { FastifyInstance } from 'fastify';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import type { StructureService } from '../../services/structure-service.js';
import { problemResponses } from '../../http/problem.js';
import { LANGUAGES, languageOf } from '../../services/catalogue/artefacts.js';
import { CodelistCatalogue } from '../../services/catalogue/codelists.js';
import { SDMX_PREFIX } from '../sdmx-rest/index.js';
import { API_PREFIX } from './prefix.js';
import { refusingServiceErrors, sendCatalogue, validationFailure } from './json-api-http.js';
import { rawQueryOf } from '../../http/request-address.js';
import { oneOf, readParameters } from '../../services/catalogue/query-parameters.js';

export interface CodelistRoutesOptions {
  readonly codelists: CodelistCatalogue;
  /** For Last-Modified: when each codelist was stored. */
  readonly structures: StructureService;
  readonly cacheLifetime: CacheLifetime;
}

const labels = {
  name: { type: ['string', 'null'], description: 'In the language asked for (lang or Accept-Language), else English' },
  names: { type: 'object', additionalProperties: { type: 'string' }, description: 'Every language held', examples: [{ en: 'Intentional homicide', es: 'Homicidio intencional' }] },
} as const;

const head = {
  type: 'object',
  properties: {
    id: { type: 'string', examples: ['CL_ICCS'] },
    agency: { type: 'string', examples: ['UNODC'] },
    version: { type: 'string', examples: ['1.0'] },
    ...labels,
    description: { type: ['string', 'null'] },
    source: {
      type: ['string', 'null'],
      description: 'The citation of the document the codelist is built from, where the structures give one (an annotation SOURCE), else null',
      examples: ['United Nations Office on Drugs and Crime (UNODC), International Classification of Crime for Statistical Purposes (ICCS), Version 1.0, March 2015. © United Nations, 2015.'],
    },
    hierarchical: { type: 'boolean', description: 'Some code has a parent' },
    codeCount: { type: 'integer' },
    levels: {
      type: 'array',
      description: 'The named levels, top first (ICCS: Section, Division, Group, Class)',
      items: { type: 'object', properties: { level: { type: 'integer' }, ...labels }, required: ['level', 'name', 'names'] },
    },
    links: {
      type: 'object',
      properties: {
        self: { type: 'string', examples: ['/api/v1/codelists/CL_ICCS'] },
        sdmx: { type: 'string', description: 'The codelist in SDMX (REST 1.5)', examples: ['/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0'] },
      },
      required: ['self', 'sdmx'],
    },
  },
  required: ['id', 'agency', 'version', 'name', 'names', 'description', 'source', 'hierarchical', 'codeCount', 'levels', 'links'],
} as const;

const notesList = (description: string, example: string[]) => ({ type: 'array', items: { type: 'string' }, description, examples: [example] }) as const;

const entry = {
  id: { type: 'string', examples: ['0101'] },
  ...labels,
  description: {
    type: ['string', 'null'],
    description: 'What the code covers (ICCS: the category’s description, quoted from the ICCS; a note under it on its own line), in notesLang; null when the structures give none (the ICCS sections)',
    examples: ['Unlawful death inflicted upon a person with the intent to cause death or serious injury.'],
  },
  inclusions: notesList(
    'ICCS: what the category includes, one string per item as printed in the ICCS (in notesLang); empty when the ICCS lists none, and for other codelists',
    ['Murder', 'honour killing', 'femicide'],
  ),
  exclusions: notesList(
    'ICCS: what the category excludes, one string per item as printed in the ICCS (in notesLang), usually naming the ICCS code the excluded act belongs to; empty when the ICCS lists none, and for other codelists',
    ['attempted intentional homicide (0102)', 'euthanasia (0105)'],
  ),
  notesLang: {
    type: ['string', 'null'],
    description: 'The language of description, inclusions and exclusions, which may differ from lang: the ICCS’s notes exist in English only and stay English when lang=es (no translation is made). Null when the code has none',
    examples: ['en'],
  },
  notesSource: {
    type: ['string', 'null'],
    description: 'Where description, inclusions and exclusions are quoted from (ICCS: the table and the page number printed in the document); null when the structures do not say',
    examples: ['ICCS v1.0 (UNODC 2015), Table I, p. 33'],
  },
  parent: { type: ['string', 'null'], examples: ['01'] },
  level: { type: 'integer', description: '1 for a code without parent' },
  levelName: { type: ['string', 'null'], examples: ['Division'] },
} as const;
const entryRequired = ['id', 'name', 'names', 'description', 'inclusions', 'exclusions', 'notesLang', 'notesSource', 'parent', 'level', 'levelName'];

export const CODELIST_LIST_RESPONSE = {
  type: 'object',
  properties: { lang: { type: 'string', enum: [...LANGUAGES] }, codelists: { type: 'array', items: head } },
  required: ['lang', 'codelists'],
} as const;

/** Codelists are at most this deep (the ICCS has 4 levels). */
const TREE_DEPTH = 6;

/** A tree node, nested TREE_DEPTH times (no recursive $ref: the OpenAPI document stays self-contained). */
function node(depth: number): object {
  return {
    type: 'object',
    properties: { ...entry, children: depth > 1 ? { type: 'array', items: node(depth - 1) } : { type: 'array', maxItems: 0 } },
    required: [...entryRequired, 'children'],
  };
}

export const CODELIST_RESPONSE = {
  type: 'object',
  description: '`codes` (view=flat) or `tree` (view=tree)',
  properties: {
    lang: { type: 'string', enum: [...LANGUAGES] },
    codelist: head,
    query: {
      type: 'object',
      properties: {
        code: { type: ['array', 'null'], items: { type: 'string' } },
        descendants: { type: 'boolean' },
        view: { type: 'string', enum: ['flat', 'tree'] },
      },
      required: ['code', 'descendants', 'view'],
    },
    codes: {
      type: 'array',
      description: 'view=flat: the codes in codelist order',
      items: { type: 'object', properties: { ...entry, childCount: { type: 'integer', description: 'Codes directly under this one' } }, required: [...entryRequired, 'childCount'] },
    },
    tree: { type: 'array', description: 'view=tree: each code under its nearest selected ancestor', items: node(TREE_DEPTH) },
  },
  required: ['lang', 'codelist', 'query'],
} as const;

const langParam = {
  type: 'string',
  enum: [...LANGUAGES],
  description: 'Language of `name`; default from Accept-Language, else en (`names` always has every language). Descriptions follow it where the structures hold the language (the ICCS’s notes are English only: see notesLang)',
} as const;
const notModified = { 304: { type: 'null', description: 'Not modified' } } as const;

const LIST_SCHEMA = {
  summary: 'Every codelist',
  description: 'Id, agency, version, names, the citation of its source, number of codes, whether it is hierarchical, its named levels, and links.',
  tags: ['codelists'],
  querystring: { type: 'object', properties: { lang: langParam }, additionalProperties: false },
  response: { 200: CODELIST_LIST_RESPONSE, ...notModified, ...problemResponses(400) },
} as const;

const CODES_SCHEMA = {
  summary: 'The codes of a codelist, flat or as a tree (the ICCS with its levels)',
  description:
    'Every code with its labels (en, es), description, parent and level; for the ICCS (CL_ICCS) also the inclusions and exclusions of each category and the page of the ICCS they are quoted from, in English (notesLang) whatever lang is, and the citation of the document in codelist.source. `code=0101,02` keeps those codes; `code=02*`, or `descendants=true` for every code given, also every code under them (the subtree). `view=tree` nests each code under its nearest selected ancestor. ' +
    'Example: /api/v1/codelists/CL_ICCS?code=0101&descendants=true&view=tree is intentional homicide with its groups and classes.',
  tags: ['codelists'],
  params: {
    type: 'object',
    properties: { id: { type: 'string', description: 'The codelist id when one agency publishes it (CL_ICCS), else AGENCY:ID(VERSION)', examples: ['CL_ICCS'] } },
    required: ['id'],
  },
  querystring: {
    type: 'object',
    properties: {
      agency: { type: 'string', description: 'Narrows a bare id to one agency', examples: ['UNODC'] },
      version: { type: 'string', description: 'A version, or latest (default)', examples: ['1.0'] },
      lang: langParam,
      code: {
        type: 'string',
        description: 'Code ids separated by commas, or the parameter repeated (code=01&code=02); default every code. A trailing * adds every code under it (code=02* is section 02 and its subtree), as on the observations',
        examples: ['0101'],
      },
      descendants: { type: 'string', enum: ['true', 'false'], description: 'true: the codes given and every code under them' },
      view: { type: 'string', enum: ['flat', 'tree'], description: 'flat (default): a list in codelist order; tree: nested' },
    },
    additionalProperties: false,
  },
  response: { 200: CODELIST_RESPONSE, ...notModified, ...problemResponses(400, 404) },
} as const;

interface CodesQuery {
  agency?: string;
  version?: string;
  lang?: string;
  code?: string;
  descendants?: string;
  view?: 'flat' | 'tree';
}

export async function codelistRoutes(app: FastifyInstance, opts: CodelistRoutesOptions): Promise<void> {
  app.get<{ Querystring: { lang?: string } }>('/codelists', { schema: LIST_SCHEMA, attachValidation: true }, (request, reply) =>
    refusingServiceErrors(reply, () => {
      const invalid = validationFailure(request);
      if (invalid) throw invalid;
      const q = readParameters(rawQueryOf(request), { single: ['lang'] });
      const lang = languageOf(q.single('lang'), request.headers['accept-language']);
      const body = opts.codelists.list(lang);
      const lastModified = opts.structures.lastModifiedOf(opts.structures.registry.ofClass('Codelist'));
      return sendCatalogue(request, reply, body, lastModified, opts.cacheLifetime, lang);
    }),
  );

  app.get<{ Params: { id: string }; Querystring: CodesQuery }>('/codelists/:id', { schema: CODES_SCHEMA, attachValidation: true }, (request, reply) =>
    refusingServiceErrors(reply, () => {
      const invalid = validationFailure(request);
      if (invalid) throw invalid;
      const q = readParameters(rawQueryOf(request), { single: ['agency', 'version', 'lang', 'descendants', 'view'], lists: ['code'] });
      const lang = languageOf(q.single('lang'), request.headers['accept-language']);
      const { answer, codelist } = opts.codelists.codes({
        idText: request.params.id,
        agency: q.single('agency'),
        version: q.single('version'),
        lang,
        code: q.list('code'),
        descendants: oneOf('descendants', q.single('descendants'), ['true', 'false'] as const) === 'true',
        view: oneOf('view', q.single('view'), ['flat', 'tree'] as const) ?? 'flat',
      });
      const lastModified = opts.structures.lastModifiedOf([codelist]);
      return sendCatalogue(request, reply, answer, lastModified, opts.cacheLifetime, lang);
    }),
  );
}

/** The service behind these routes, made from the app's (src/app.ts wires it with one line). */
export function codelistRouteOptions(deps: { readonly structures: StructureService; readonly cacheLifetime: CacheLifetime }): CodelistRoutesOptions {
  return {
    codelists: new CodelistCatalogue(deps.structures, { apiPrefix: API_PREFIX, sdmxPrefix: `${SDMX_PREFIX}/2.1` }),
    structures: deps.structures,
    cacheLifetime: deps.cacheLifetime,
  };
}
