/**
 * The dataflows for people who do not speak SDMX (docs/json-api.md):
 *
 * - `GET /dataflows`: every dataflow with its theme, dimensions, counts, period covered, last and
 *   next release and links;
 * - `GET /dataflows/{id}`: one dataflow with the codes that hold data per dimension (ICCS as a tree);
 * - `GET /dataflows/{id}/observations`: the figures as rows, filtered by dimension in plain
 *   parameters, count and rate side by side, flags in words, cursor pages, JSON, CSV or XLSX;
 *   every format links the dataflow's reference metadata (`Link: rel="describedby"`), and the
 *   XLSX notes sheet holds its headline notes;
 * - `GET /dataflows/{id}/metadata`: its reference metadata (dataflow-metadata.ts).
 *
 * Paths are relative to the JSON API prefix (/api/v1). Public state only, except that the
 * observations route lets a `preview` token read scheduled releases early, as /api/v1/data does.
 */
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { chunkedStream, inChunks } from '../../http/chunks.js';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { problemResponses } from '../../http/problem.js';
import { isNotModified, lastModifiedSeconds, VARY } from '../../http/conditional-requests.js';
import { auditPreviewRead, notYetPublic, PREVIEW_CACHE_CONTROL, previewEtag, previewLastModified, readAccessOf, type ReadAccess } from '../../auth/preview-access.js';
import { ServiceError } from '../../errors.js';
import { LANGUAGES, languageOf } from '../../services/catalogue/artefacts.js';
import { DataflowCatalogue } from '../../services/catalogue/dataflows.js';
import { ObservationsApi, type ObservationsAnswer } from '../../services/data/observations.js';
import type { DataService } from '../../services/data/data-service.js';
import type { StructureService } from '../../services/structure-service.js';
import type { CalendarService } from '../../services/calendar/calendar.js';
import type { DataRepository } from '../../storage/repositories.js';
import { SDMX_PREFIX } from '../sdmx-rest/index.js';
import { API_PREFIX } from './prefix.js';
import {
  DEFAULT_LIMIT,
  FORMAT_MEDIA_TYPES,
  MAX_LIMIT,
  OBSERVATION_FORMATS,
  parseObservationsRequest,
} from '../../services/data/observations-query.js';
import { observationsCsv, observationsCsvWithFootnotes, observationsJson, writeObservationsXlsx, xlsxColumnCount } from '../../formats/observation-writers.js';
import { XLSX_MAX_ROWS } from '../../formats/xlsx.js';
import { idParam, refusingServiceErrors, sendCatalogue, sendRefusal, validationFailure } from './json-api-http.js';
import { originOf, rawQueryOf } from '../../http/request-address.js';
import { readParameters } from '../../services/catalogue/query-parameters.js';
import { pathNameOf } from '../../services/catalogue/artefacts.js';
import { dataflowMetadataRoutes, headlineFootnotes, type DataflowMetadataOptions, type MetadataReader } from './dataflow-metadata.js';

export interface DataflowRoutesOptions {
  readonly catalogue: DataflowCatalogue;
  readonly observations: ObservationsApi;
  readonly clock: Clock;
  /** The Cache-Control of public answers: never past the next announced release instant. */
  readonly cacheLifetime: CacheLifetime;
  /** Dimension ids of the served dataflows' DSDs, documented as observation filters. */
  readonly dimensionIds: readonly string[];
  /** The most cells (rows × columns) an XLSX answer holds; beyond, 413. */
  readonly xlsxMaxCells?: number;
  /** The reference metadata route, and what the downloads' footnotes read. */
  readonly metadata: DataflowMetadataOptions;
}

/** A workbook larger than this is no longer something to open in a spreadsheet: use CSV. */
export const XLSX_MAX_CELLS = 1_000_000;

/** Up to this many estimated observations a JSON or CSV answer is written whole, then sent. */
const SMALL_ANSWER_OBSERVATIONS = 2000;
/** Characters per buffer of a small answer sent in pieces. */
const SMALL_ANSWER_CHUNK_CHARS = 16 * 1024;
// ---- schemas (validation, and what @fastify/swagger documents) ----

const labels = {
  name: { type: ['string', 'null'], description: 'In the language asked for (lang or Accept-Language), else English' },
  names: { type: 'object', additionalProperties: { type: 'string' }, description: 'Every language held, e.g. {"en": "…", "es": "…"}', examples: [{ en: 'Intentional homicide', es: 'Homicidio intencional' }] },
} as const;

const theme = {
  type: 'object',
  properties: {
    id: { type: 'string', examples: ['HOMICIDE'] },
    scheme: { type: 'string', description: 'The category scheme, AGENCY:ID(VERSION)', examples: ['UNODC:CAT_THEMES(1.0)'] },
    path: { type: 'array', items: { type: 'string' }, description: 'Ids of the parent categories, top first' },
    ...labels,
  },
  required: ['id', 'scheme', 'path', 'name', 'names'],
} as const;

const release = {
  type: ['object', 'null'],
  properties: {
    code: { type: 'string', examples: ['UNCTS-2024'] },
    title: { type: 'string' },
    announcedAt: { type: 'string', format: 'date-time' },
  },
  required: ['code', 'title', 'announcedAt'],
} as const;

const counts = {
  series: { type: 'integer', description: 'Series with at least one public value' },
  observations: { type: 'integer', description: 'Public values (the current vintage of each series and period; suppressed cells included)' },
} as const;

const summaryProperties = {
  id: { type: 'string', examples: ['DF_CTS_HOMICIDE'] },
  agency: { type: 'string', examples: ['UNODC'] },
  version: { type: 'string', examples: ['1.0'] },
  ...labels,
  description: { type: ['string', 'null'] },
  descriptions: { type: 'object', additionalProperties: { type: 'string' } },
  theme: { ...theme, type: ['object', 'null'], description: 'The theme (CAT_THEMES category), else the first category; null when uncategorised' },
  categories: { type: 'array', items: theme, description: 'Every category the dataflow is filed under (themes, SDG goals)' },
  ...counts,
  period: {
    type: ['object', 'null'],
    description: 'The periods covered by the public data (null without data)',
    properties: { first: { type: 'string', examples: ['2000'] }, last: { type: 'string', examples: ['2022'] } },
    required: ['first', 'last'],
  },
  lastRelease: { ...release, description: 'The latest published release covering the dataflow (public calendar)' },
  nextRelease: { ...release, description: 'The next scheduled release covering the dataflow, as the public calendar announces it' },
  links: {
    type: 'object',
    properties: {
      self: { type: 'string', examples: ['/api/v1/dataflows/DF_CTS_HOMICIDE'] },
      observations: { type: 'string', examples: ['/api/v1/dataflows/DF_CTS_HOMICIDE/observations'] },
      sdmxStructure: { type: 'string', description: 'The dataflow with its structures, SDMX REST 1.5', examples: ['/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=all'] },
      sdmxData: { type: 'string', description: 'All its data, SDMX REST 1.5 (SDMX-ML by default)' },
      sdmxCsv: { type: 'string', description: 'All its data as SDMX-CSV' },
      metadata: { type: 'string', description: 'Its reference metadata: methodology and quality report, country notes (area=), quality indicators', examples: ['/api/v1/dataflows/DF_CTS_HOMICIDE/metadata'] },
    },
    required: ['self', 'observations', 'sdmxStructure', 'sdmxData', 'sdmxCsv', 'metadata'],
  },
} as const;

const summaryRequired = ['id', 'agency', 'version', 'name', 'names', 'description', 'descriptions', 'theme', 'categories', 'dimensions', 'series', 'observations', 'period', 'lastRelease', 'nextRelease', 'links'];

export const DATAFLOW_LIST_RESPONSE = {
  type: 'object',
  description: 'Every dataflow, in id order, as public at the request instant',
  properties: {
    asOf: { type: 'string', format: 'date-time', description: 'The instant the counts reflect' },
    lang: { type: 'string', enum: [...LANGUAGES] },
    dataflows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...summaryProperties,
          dimensions: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string' }, position: { type: 'integer' }, ...labels }, required: ['id', 'position', 'name', 'names'] },
          },
        },
        required: summaryRequired,
      },
    },
  },
  required: ['asOf', 'lang', 'dataflows'],
} as const;

const codeCounts = {
  id: { type: 'string' },
  ...labels,
  description: {
    type: ['string', 'null'],
    description:
      'What the code covers, where the structures say (ICCS codes: the category’s description quoted from the ICCS, in English whatever lang is; its inclusions and exclusions are on /api/v1/codelists/CL_ICCS); null otherwise',
    examples: ['Unlawful death inflicted upon a person with the intent to cause death or serious injury.'],
  },
  descriptionLang: { type: ['string', 'null'], description: 'The language of description, which may differ from lang (the ICCS’s descriptions are English only); null without a description', examples: ['en'] },
  level: { type: 'integer', description: '1 for a top-level code (ICCS: section), 2 under it (division)…' },
  levelName: { type: ['string', 'null'], description: 'The level’s name where a hierarchy names it (ICCS: Section, Division, Group, Class)' },
  ...counts,
} as const;

/** Hierarchies are at most this deep (ICCS: 4 levels; areas: world, region, subregion, country). */
export const TREE_DEPTH = 6;

/** A tree node, nested TREE_DEPTH times (no recursive $ref: the OpenAPI document stays self-contained). */
function treeNode(depth: number): object {
  return {
    type: 'object',
    properties: {
      ...codeCounts,
      holdsData: { type: 'boolean', description: 'False for an ancestor shown only to place codes with data' },
      children: depth > 1 ? { type: 'array', items: treeNode(depth - 1) } : { type: 'array', maxItems: 0 },
    },
    required: ['id', 'name', 'names', 'description', 'descriptionLang', 'level', 'levelName', 'holdsData', 'series', 'observations', 'children'],
  };
}

export const DATAFLOW_DETAIL_RESPONSE = {
  type: 'object',
  properties: {
    asOf: { type: 'string', format: 'date-time' },
    lang: { type: 'string', enum: [...LANGUAGES] },
    dataflow: {
      type: 'object',
      properties: {
        ...summaryProperties,
        dimensions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', examples: ['OFFENCE'] },
              position: { type: 'integer' },
              ...labels,
              codelist: { type: ['string', 'null'], examples: ['UNODC:CL_OFFENCE(1.0)'] },
              hierarchical: { type: 'boolean' },
              codes: {
                type: 'array',
                description: 'The codes that hold public data, in codelist order, each with its own counts (never summed over children)',
                items: { type: 'object', properties: { ...codeCounts, parent: { type: ['string', 'null'] } }, required: ['id', 'name', 'names', 'description', 'descriptionLang', 'parent', 'level', 'levelName', 'series', 'observations'] },
              },
              tree: { type: 'array', description: 'Hierarchical codelists only: the codes with data and their ancestors, nested', items: treeNode(TREE_DEPTH) },
            },
            required: ['id', 'position', 'name', 'names', 'codelist', 'hierarchical', 'codes'],
          },
        },
        timeDimension: {
          type: 'object',
          properties: { id: { type: 'string' }, first: { type: ['string', 'null'] }, last: { type: ['string', 'null'] } },
          required: ['id', 'first', 'last'],
        },
        attributes: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'string' }, ...labels, codelist: { type: ['string', 'null'] } }, required: ['id', 'name', 'names', 'codelist'] },
        },
      },
      required: [...summaryRequired, 'timeDimension', 'attributes'],
    },
  },
  required: ['asOf', 'lang', 'dataflow'],
} as const;

const flag = {
  type: 'object',
  properties: {
    attribute: { type: 'string', examples: ['OBS_STATUS'] },
    code: { type: 'string', examples: ['P'] },
    meaning: { type: 'string', examples: ['Provisional value'] },
  },
  required: ['attribute', 'code', 'meaning'],
} as const;

const cell = {
  type: 'object',
  properties: {
    value: { type: ['number', 'null'], description: 'null for a missing or suppressed value' },
    unit: { type: 'string', examples: ['NR'] },
    seriesKey: { type: 'string', description: 'The SDMX series key of this value', examples: ['A.MEX.VIC_HOM.0101._T._T._T.NR'] },
    suppressed: { type: 'boolean', description: 'Withheld by disclosure control (CONF_STATUS other than F)' },
    flags: { type: 'array', items: flag, description: 'Coded attributes worth noting, in words (a normal, free value has none)' },
    attributes: { type: 'object', additionalProperties: { type: 'string' }, description: 'The other attributes as stored (SOURCE_DETAIL, COMMENT_OBS)' },
    release: { type: 'string', description: 'Code of the release that wrote this value', examples: ['GSH-2019'] },
  },
  required: ['value', 'unit', 'seriesKey', 'suppressed', 'flags', 'attributes', 'release'],
} as const;

export const OBSERVATIONS_RESPONSE = {
  type: 'object',
  description: 'One row per series key without unit and period; the values of the units present side by side. `releases` and `paging` come last: they are known once the rows are written.',
  properties: {
    dataflow: {
      type: 'object',
      properties: { agency: { type: 'string' }, id: { type: 'string' }, version: { type: 'string' }, name: { type: ['string', 'null'] } },
      required: ['agency', 'id', 'version', 'name'],
    },
    query: { type: 'object', additionalProperties: true, description: 'The parameters, normalised (filters by dimension id in upper case)' },
    asOf: { type: 'string', format: 'date-time', description: 'The instant whose public data the answer is (on later pages: the first page’s)' },
    lang: { type: 'string', enum: [...LANGUAGES] },
    dimensions: {
      type: 'array',
      description: 'The dimensions of each row, in order (all but the unit of measure)',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: ['string', 'null'] },
          levels: { type: 'boolean', description: 'Present (true) when the rows hold codes of several levels of this hierarchy (OFFENCE=03*): each row then gives the code’s `level`; do not add up rows of different levels' },
        },
        required: ['id', 'name'],
      },
    },
    units: {
      type: 'array',
      description: 'The value fields of the rows: count (NR), rate per 100 000 (P_HTHAB), percentage (PC)',
      items: { type: 'object', properties: { field: { type: 'string', examples: ['count'] }, unit: { type: 'string', examples: ['NR'] }, name: { type: ['string', 'null'] } }, required: ['field', 'unit', 'name'] },
    },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string', description: 'The SDMX series key without the unit of measure', examples: ['A.MEX.VIC_HOM.0101._T._T._T'] },
          period: { type: 'string', examples: ['2016'] },
          dimensions: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                name: { type: ['string', 'null'] },
                level: { type: 'integer', description: 'The code’s level in its hierarchy (1 = top; ICCS: 1 section, 2 division, 3 group, 4 class), when the rows mix levels' },
              },
              required: ['id', 'name'],
            },
          },
          values: { type: 'object', properties: { count: cell, rate: cell, percentage: cell }, additionalProperties: cell },
        },
        required: ['key', 'period', 'dimensions', 'values'],
      },
    },
    releases: {
      type: 'array',
      description: 'The releases the values of this page come from, oldest first',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, title: { type: ['string', 'null'] }, announcedAt: { type: 'string', format: 'date-time' } },
        required: ['code', 'title', 'announcedAt'],
      },
    },
    source: { type: ['string', 'null'], description: 'Where the figures come from, as the releases (else the dataflow) state it', examples: ['UNODC, Global Study on Homicide 2019, data tables'] },
    citation: {
      type: 'object',
      description: 'How to cite the answer: the text, and an absolute permalink that reproduces it (asOf pinned, or the release asked for)',
      properties: {
        text: { type: 'string' },
        permalink: { type: 'string', format: 'uri', examples: ['https://example.org/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&asOf=2026-12-06T12%3A00%3A00.000Z'] },
      },
      required: ['text', 'permalink'],
    },
    licence: {
      type: ['object', 'null'],
      description: 'The licence of the data where the structures give one (a LICENCE annotation of the dataflow), else null',
      properties: { text: { type: ['string', 'null'] }, url: { type: ['string', 'null'] } },
      required: ['text', 'url'],
    },
    hints: {
      type: 'array',
      items: { type: 'string' },
      description: 'What to know about the query: a code that holds no data in this dataflow (and whether codes under it do: use X*), no row matching the combination, no release public at asOf. Empty when there is nothing to say',
    },
    paging: {
      type: 'object',
      properties: {
        limit: { type: ['integer', 'null'] },
        returned: { type: 'integer' },
        cursor: { type: ['string', 'null'], description: 'Give it as `cursor` (with the same other parameters) for the next page; null on the last' },
        next: { type: ['string', 'null'], description: 'The link to the next page; null on the last' },
      },
      required: ['limit', 'returned', 'cursor', 'next'],
    },
  },
  required: ['dataflow', 'query', 'asOf', 'lang', 'dimensions', 'units', 'rows', 'releases', 'source', 'citation', 'licence', 'hints', 'paging'],
} as const;

const langParam = { type: 'string', enum: [...LANGUAGES], description: 'Language of the labels; default from Accept-Language, else en' } as const;
const flowQuery = {
  agency: { type: 'string', description: 'Narrows a bare id to one agency', examples: ['UNODC'] },
  version: { type: 'string', description: 'A version such as 1.0, or latest (default)', examples: ['1.0'] },
  lang: langParam,
} as const;

const notModified = { 304: { type: 'null', description: 'Not modified: the copy named by If-None-Match or If-Modified-Since is current' } } as const;

const LIST_SCHEMA = {
  summary: 'Every dataflow: what it holds, its theme, its releases',
  description:
    'For each dataflow: names (en, es), description, theme, dimensions, the number of series and observations and the period the public data cover at the request instant, the last and the next release as the public calendar shows them, and links to its detail, its observations and its SDMX structure and data. Data of a release count from its announced instant on.',
  tags: ['dataflows'],
  querystring: { type: 'object', properties: { lang: langParam }, additionalProperties: false },
  response: { 200: DATAFLOW_LIST_RESPONSE, ...notModified, ...problemResponses(400) },
} as const;

const DETAIL_SCHEMA = {
  summary: 'One dataflow with the codes that hold data',
  description:
    'The dataflow as in the list, and for each dimension the codes that actually hold public data (labels en/es, series and observation counts per code) and, for hierarchical codelists such as the ICCS offences, the same codes as a tree with their ancestors and levels. `dimensions[].codes` counts each code alone, never summed over its children.',
  tags: ['dataflows'],
  params: idParam,
  querystring: { type: 'object', properties: flowQuery, additionalProperties: false },
  response: { 200: DATAFLOW_DETAIL_RESPONSE, ...notModified, ...problemResponses(400, 404) },
} as const;

function observationsSchema(dimensionIds: readonly string[]) {
  const dimensionFilters = Object.fromEntries(
    dimensionIds.map((id) => [
      id,
      {
        type: 'string',
        description: `Codes of ${id}, separated by commas or with the parameter repeated (${id}=A&${id}=B, also ${id}[]=A); any letter case in the name (${id.toLowerCase()} too). A trailing * adds every code under it in the hierarchy (OFFENCE=01* is section 01 and all its divisions, groups and classes).`,
      },
    ]),
  );
  return {
    summary: 'The figures of a dataflow as rows: filter by dimension, count and rate side by side',
    description:
      'One row per series key without unit of measure and period, with the count, the rate per 100 000 population and the percentage side by side when the data hold them; each value with its flags in words, its other attributes and the release that wrote it. ' +
      'Filter with a parameter per dimension (REF_AREA=MEX,GTM&OFFENCE=0101&SEX=F), from and to on the period. A suppressed cell has value null, suppressed true and its CONF_STATUS and OBS_STATUS flags. ' +
      `JSON pages hold ${DEFAULT_LIMIT} rows unless limit says otherwise (at most ${MAX_LIMIT}); paging.next links the next page. The cursor pins the state of the data of the first page: a release published meanwhile does not change the walk. ` +
      `format=csv and format=xlsx return every row unless limit is given (XLSX: at most ${XLSX_MAX_CELLS.toLocaleString('en')} cells, else 413).`,
    tags: ['dataflows'],
    params: idParam,
    querystring: {
      type: 'object',
      properties: {
        ...dimensionFilters,
        descendants: { type: 'string', enum: ['true', 'false'], description: 'true: every code given for a hierarchical dimension includes everything under it (as a trailing *)' },
        footnotes: { type: 'string', enum: ['true', 'false'], description: 'format=csv: true adds, after the rows and a blank line, a table `note,text` with the citation and the reference metadata\'s headline notes (counting unit and stage, breaks in series, comparability) of the dataflow and of the areas in the rows. XLSX always has them on its Notes sheet' },
        from: { type: 'string', description: 'Periods ending on or after the start of this one (2010, 2019-Q3, 2019-07, 2019-07-01)', examples: ['2010'] },
        to: { type: 'string', description: 'Periods starting on or before the end of this one', examples: ['2020'] },
        // No examples: Swagger UI would fill both in, and asOf with release is refused (a release also covers only some dataflows).
        asOf: { type: 'string', description: 'ISO-8601 instant in the past, e.g. 2023-01-01T00:00:00Z: the data as they were public then (reproducible). Not with release; an instant in the future is refused' },
        release: { type: 'string', description: 'A release code that covers this dataflow (see /api/v1/calendar), e.g. GSH-2019 for DF_CTS_HOMICIDE: the data right after it was published. Not with asOf; a release that does not cover the dataflow is refused, naming those that do' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `Rows per page (JSON default ${DEFAULT_LIMIT}; CSV and XLSX: all rows unless given). With a cursor, limit, lang and format may be given again: the last one counts (append &limit=50 to a next link)` },
        cursor: { type: 'string', description: 'The cursor of the previous page (paging.cursor), with the same other parameters' },
        format: { type: 'string', enum: [...OBSERVATION_FORMATS], description: 'json (default), csv (with labels) or xlsx (a workbook with a data and a notes sheet); else from Accept. Every format links the reference metadata in a `Link: <…/metadata>; rel="describedby"` header' },
        ...flowQuery,
      },
      additionalProperties: { type: 'string' },
    },
    response: {
      200: {
        description: 'The rows, in the format asked for',
        content: {
          'application/json': { schema: OBSERVATIONS_RESPONSE },
          'text/csv': { schema: { type: 'string', description: 'RFC 4180: per dimension its code and its label, TIME_PERIOD, then per value column its value, flags, notes and release' } },
          [FORMAT_MEDIA_TYPES.xlsx]: { schema: { type: 'string', format: 'binary', description: 'A workbook: sheet Data (the rows) and sheet Notes (source, citation, releases, flags, and the headline notes of the reference metadata: the report’s and the country notes of the areas in the rows, with their versions and links)' } },
        },
      },
      ...notModified,
      ...problemResponses(400, 401, 404, 413),
    },
  };
}

// ---- routes ----

export async function dataflowRoutes(app: FastifyInstance, opts: DataflowRoutesOptions): Promise<void> {
  app.addHook('onSend', auditPreviewRead);
  const xlsxMaxCells = opts.xlsxMaxCells ?? XLSX_MAX_CELLS;
  // The app's metadata service (decorated on the root before the JSON API is registered), read when asked.
  const metadata = (): MetadataReader => opts.metadata.metadata ?? app.metadata;

  app.get<{ Querystring: { lang?: string } }>('/dataflows', { schema: LIST_SCHEMA, attachValidation: true }, (request, reply) =>
    refusingServiceErrors(reply, async () => {
      const invalid = validationFailure(request);
      if (invalid) throw invalid;
      const q = readParameters(rawQueryOf(request), { single: ['lang'] });
      const lang = languageOf(q.single('lang'), request.headers['accept-language']);
      const { body, lastModified } = await opts.catalogue.list(lang);
      return sendCatalogue(request, reply, { ...body, dataflows: body.dataflows.map(withMetadataLink) }, lastModified, opts.cacheLifetime, lang);
    }),
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string; agency?: string; version?: string } }>(
    '/dataflows/:id',
    { schema: DETAIL_SCHEMA, attachValidation: true },
    (request, reply) =>
      refusingServiceErrors(reply, async () => {
        const invalid = validationFailure(request);
        if (invalid) throw invalid;
        const q = readParameters(rawQueryOf(request), { single: ['lang', 'agency', 'version'] });
        const lang = languageOf(q.single('lang'), request.headers['accept-language']);
        const { body, lastModified } = await opts.catalogue.detail(request.params.id, q.single('agency'), q.single('version'), lang);
        return sendCatalogue(request, reply, { ...body, dataflow: withMetadataLink(body.dataflow) }, lastModified, opts.cacheLifetime, lang);
      }),
  );

  app.get<{ Params: { id: string } }>('/dataflows/:id/observations', { schema: observationsSchema(opts.dimensionIds), attachValidation: true }, async (request, reply) => {
    const access = await readAccessOf(request, reply);
    if (access.kind === 'refused') return sendRefusal(reply, access.error);
    return refusingServiceErrors(reply, async () => {
      const invalid = validationFailure(request);
      if (invalid) throw invalid;
      const rawQuery = rawQueryOf(request);
      const parsed = parseObservationsRequest(request.params.id, rawQuery, request.headers.accept, request.headers['accept-language']);
      const api = access.kind === 'preview' ? opts.observations.previewing : opts.observations;
      const answer = api.answer(parsed, rawQuery);
      return sendObservations(request, reply, answer, access, opts, xlsxMaxCells, metadata());
    });
  });

  await app.register(dataflowMetadataRoutes, opts.metadata);
}

/** A dataflow of the catalogue with the link to its reference metadata (a copy: the catalogue's objects are shared). */
function withMetadataLink<T extends { readonly links: { readonly self: string } }>(flow: T): T {
  return { ...flow, links: { ...flow.links, metadata: `${flow.links.self}/metadata` } };
}

/** Validators, then 304, then the size checks, then the body in its format. */
async function sendObservations(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: ObservationsAnswer,
  access: ReadAccess,
  opts: DataflowRoutesOptions,
  xlsxMaxCells: number,
  metadata: MetadataReader,
): Promise<FastifyReply> {
  const now = opts.clock.now();
  const preview = access.kind === 'preview';
  if (preview) {
    access.read.dataflow = answer.flowKey;
    access.read.embargoedReleases = notYetPublic(answer.releasesRead, now);
  }
  const format = answer.request.format;
  // The workbook also holds the metadata's headline notes: its tag follows the metadata visible at asOf too.
  const answerEtag = format === 'xlsx' ? `W/"${createHash('sha256').update(`${answer.etag}\u0000${metadata.visibleStateTag(answer.asOf)}`).digest('base64url').slice(0, 32)}"` : answer.etag;
  const etag = preview ? previewEtag(answerEtag) : answerEtag;
  const lastModifiedMs = lastModifiedSeconds(preview ? previewLastModified(answer.lastModified, now) : answer.lastModified);
  const links = { origin: originOf(request), retrievedAt: now.toISOString() };
  const licence = answer.licence();
  reply.headers({
    etag,
    'last-modified': new Date(lastModifiedMs).toUTCString(),
    vary: VARY,
    'content-language': answer.lang,
    // The permalink that reproduces the answer (RFC 8574), the licence where one is known, and the
    // reference metadata that says how the figures are counted (RFC 8288 describedby): CSV has no room for them.
    link: [
      `<${links.origin}${answer.permalinkPath()}>; rel="cite-as"`,
      ...(licence?.url ? [`<${licence.url}>; rel="license"`] : []),
      `<${links.origin}${API_PREFIX}/dataflows/${pathNameOf(opts.metadata.structures.registry, answer.dataflow)}/metadata>; rel="describedby"`,
    ].join(', '),
    'cache-control': preview ? PREVIEW_CACHE_CONTROL : opts.cacheLifetime.publicCacheControl(),
  });
  if (isNotModified(request, etag, lastModifiedMs)) return reply.code(304).send();
  answer.checkSize();
  const filename = `${answer.dataflow.id}.${format}`;
  if (format === 'xlsx') {
    checkXlsxSize(answer, xlsxMaxCells);
    const out = new PassThrough();
    reply
      .code(200)
      .header('content-type', FORMAT_MEDIA_TYPES.xlsx)
      .header('content-disposition', `attachment; filename="${filename}"`);
    // Fetched once, while the rows are written. A failure costs the notes, never the download.
    const footnotes = headlineFootnotes(metadata, opts.metadata.structures.registry, answer.dataflow, answer.asOf, answer.lang, links.origin).catch((err: unknown) => {
      request.log.error({ err }, 'the metadata footnotes of an XLSX answer failed; written without them');
      return null;
    });
    writeObservationsXlsx(answer, out, links, footnotes).catch((err: unknown) => {
      request.log.error({ err }, 'XLSX answer failed while streaming');
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    return reply.send(out);
  }
  // CSV with footnotes: the headline notes are fetched before the first byte (a failure costs the notes, never the rows).
  const notes = format === 'csv' && answer.request.footnotes
    ? await headlineFootnotes(metadata, opts.metadata.structures.registry, answer.dataflow, answer.asOf, answer.lang, links.origin).catch((err: unknown) => {
        request.log.error({ err }, 'the metadata footnotes of a CSV answer failed; written without them');
        return null;
      })
    : undefined;
  const pieces = format === 'csv' ? (notes !== undefined ? observationsCsvWithFootnotes(answer, links, notes) : observationsCsv(answer)) : observationsJson(answer, links);
  reply.code(200).header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  if (format === 'csv') reply.header('content-disposition', `attachment; filename="${filename}"`);
  // A small answer is written whole (an error while reading it is still a clean problem).
  const small = answer.request.limit !== undefined ? answer.request.limit <= SMALL_ANSWER_OBSERVATIONS : answer.estimatedObservations() <= SMALL_ANSWER_OBSERVATIONS;
  if (small) {
    // Read whole before the first byte, sent as its pieces: one string (or buffer) of a
    // megabyte is a fresh allocation, and its first touch cost more than the rows' writing.
    const parts = [...inChunks(pieces, SMALL_ANSWER_CHUNK_CHARS)];
    reply.header('content-length', String(parts.reduce((n, p) => n + p.length, 0)));
    return reply.send(parts.length === 1 ? parts[0] : Readable.from(parts, { objectMode: false }));
  }
  return reply.send(chunkedStream(pieces));
}

/** 413 before the first byte when the workbook would hold more cells (or rows) than allowed. */
function checkXlsxSize(answer: ObservationsAnswer, maxCells: number): void {
  const columns = xlsxColumnCount(answer);
  const estimated = answer.estimatedObservations();
  if (estimated * columns <= maxCells && estimated < XLSX_MAX_ROWS) return;
  // The estimate counts every stored vintage and each unit apart: count the rows themselves.
  const limit = answer.request.limit;
  const rows = Math.min(answer.countRows(), limit ?? Number.POSITIVE_INFINITY);
  if (rows * columns > maxCells || rows + 1 > XLSX_MAX_ROWS) {
    throw new ServiceError(
      'too-large',
      `The workbook would hold ${rows} rows × ${columns} columns = ${rows * columns} cells, more than the ${maxCells} an XLSX answer holds: narrow the selection, page it with limit, or ask format=csv`,
      { code: 'too-large', parameter: 'format' },
    );
  }
}


/** The services behind these routes, made from the app's (src/app.ts wires them with one line). */
export function dataflowRouteOptions(deps: {
  readonly data: DataService;
  readonly structures: StructureService;
  readonly storedData: DataRepository;
  readonly calendar: CalendarService;
  readonly clock: Clock;
  readonly cacheLifetime: CacheLifetime;
}): DataflowRoutesOptions {
  const { data, structures, storedData, calendar, clock, cacheLifetime } = deps;
  const dimensionIds = new Set<string>();
  for (const flow of structures.registry.ofClass('Dataflow')) {
    if (flow.class !== 'Dataflow') continue;
    const dsd = structures.registry.get(flow.structure);
    if (dsd?.class === 'DataStructure') for (const d of dsd.dimensions) dimensionIds.add(d.id);
  }
  return {
    catalogue: new DataflowCatalogue({ data, structures, storedData, calendar, clock, apiPrefix: API_PREFIX, sdmxPrefix: `${SDMX_PREFIX}/2.1` }),
    observations: new ObservationsApi({ data, structures, storedData, calendar, clock, apiPrefix: API_PREFIX }),
    clock,
    cacheLifetime,
    dimensionIds: [...dimensionIds],
    metadata: { data, structures, clock, cacheLifetime },
  };
}
