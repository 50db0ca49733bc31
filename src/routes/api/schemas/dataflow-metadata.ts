/**
 * The JSON schema of `GET /api/v1/dataflows/{id}/metadata` (routes/api/dataflow-metadata.ts):
 * the reference metadata of a dataflow (its methodology and quality report) and of one area
 * (its country note), with the quality indicators the server measures. Every field is declared
 * here: it is what @fastify/swagger documents and what the tests validate answers against.
 *
 * Names follow the rest of the people's API (`agency`, `asOf`, `lang`, `name` in the language
 * asked for, `links` with relative paths); the indicators are the quality service's own
 * structure (services/quality/, docs/quality-indicators.md), unchanged, so that the JSON API and
 * the computed concepts of the reports can never disagree.
 */
import { LANGUAGES } from '../../../services/catalogue/artefacts.js';

/** Sections nest as the metadata structure nests its attributes (3 levels today); deeper is refused by the schema. */
export const SECTION_DEPTH = 5;

const instant = { type: 'string', format: 'date-time' } as const;

/** A number with its unit (percent, day, or a UNIT_MEASURE code); null when there is nothing to measure. */
const quantity = (unit: string, description?: string) =>
  ({
    type: ['object', 'null'],
    ...(description ? { description } : {}),
    properties: { value: { type: 'number' }, unit: { type: 'string', description: unit } },
    required: ['value', 'unit'],
  }) as const;
const percent = (description?: string) => quantity('percent', description);
const days = (description?: string) => quantity('day', description);

const unitRevisions = {
  type: 'object',
  properties: {
    unit: { type: 'string', description: 'The UNIT_MEASURE code of the cells compared', examples: ['NR'] },
    compared: { type: 'integer' },
    revised: { type: 'integer' },
    revisedShare: percent('revised / compared'),
    meanRevision: quantity('the unit of the cells', 'MR: Σ(latest − previous) / compared'),
    meanAbsoluteRevision: quantity('the unit of the cells', 'MAR: Σ|latest − previous| / compared'),
    relativeMeanAbsoluteRevision: percent('Σ|latest − previous| / Σ|latest|'),
  },
  required: ['unit', 'compared', 'revised', 'revisedShare', 'meanRevision', 'meanAbsoluteRevision', 'relativeMeanAbsoluteRevision'],
} as const;

/** The quality indicators exactly as services/quality/ computes them (definitions: docs/quality-indicators.md). */
export const QUALITY_INDICATORS = {
  type: 'object',
  description:
    'The quality indicators the server measures itself from the public calendar and data at asOf (docs/quality-indicators.md): for the area when one is asked, else for the dataflow. A figure with nothing to measure is null, never 0',
  properties: {
    dataflow: { type: 'string', description: 'AGENCY:ID(VERSION)', examples: ['UNODC:DF_CTS_HOMICIDE(1.0)'] },
    area: { type: ['string', 'null'], description: 'The REF_AREA code measured, or null for the whole dataflow' },
    at: { ...instant, description: 'The instant measured (equal to asOf)' },
    releases: {
      type: 'array',
      description: 'The visible releases that published cells in the scope, oldest first',
      items: { type: 'object', properties: { code: { type: 'string' }, publishedAt: instant }, required: ['code', 'publishedAt'] },
    },
    punctuality: {
      type: 'object',
      description: 'Releases against the instant the calendar first announced for them (SIMS S.14.2)',
      properties: {
        due: { type: 'integer', description: 'Releases whose first announced instant has passed: published + overdue + cancelled' },
        published: { type: 'integer' },
        onTime: { type: 'integer' },
        late: { type: 'integer' },
        overdue: { type: 'integer' },
        cancelled: { type: 'integer' },
        onTimeShare: percent('onTime / due'),
        meanDelay: days('Mean lateness of the published releases (on time counts 0)'),
        maxDelay: days('Largest lateness of a published release'),
        releases: {
          type: 'array',
          description: 'The due releases, in calendar order',
          items: {
            type: 'object',
            properties: {
              release: { type: 'string' },
              status: { type: 'string', enum: ['on-time', 'late', 'overdue', 'cancelled'] },
              firstAnnouncedAt: instant,
              publishedAt: { type: ['string', 'null'], format: 'date-time', description: 'null unless published by asOf' },
              delay: days('Published: publication − first announced instant; overdue: how late so far; cancelled: null'),
              postponements: { type: 'integer' },
            },
            required: ['release', 'status', 'firstAnnouncedAt', 'publishedAt', 'delay', 'postponements'],
          },
        },
      },
      required: ['due', 'published', 'onTime', 'late', 'overdue', 'cancelled', 'onTimeShare', 'meanDelay', 'maxDelay', 'releases'],
    },
    timeliness: {
      type: 'object',
      description: 'Time from the end of the reference period to the release (SIMS S.14.1)',
      properties: {
        releases: {
          type: 'array',
          description: 'The visible releases holding data in the scope, oldest first',
          items: {
            type: 'object',
            properties: {
              release: { type: 'string' },
              publishedAt: instant,
              latestPeriod: { type: 'string', description: 'The latest reference period it published data for', examples: ['2022'] },
              periods: { type: 'integer', description: 'Reference periods it published data for' },
              lag: days('publishedAt − end of latestPeriod'),
              firstResults: { type: 'boolean', description: 'No earlier visible release held data for latestPeriod in the scope' },
            },
            required: ['release', 'publishedAt', 'latestPeriod', 'periods', 'lag', 'firstResults'],
          },
        },
        firstResults: {
          type: 'object',
          description: 'Over the releases giving first results (TP1)',
          properties: { releases: { type: 'integer' }, meanLag: days(), minLag: days(), maxLag: days() },
          required: ['releases', 'meanLag', 'minLag', 'maxLag'],
        },
      },
      required: ['releases', 'firstResults'],
    },
    revisions: {
      type: 'object',
      description: 'Figures published again by a later release, first against current vintage (SIMS S.17.2)',
      properties: {
        republished: { type: 'integer', description: 'Cells with at least two visible vintages' },
        compared: { type: 'integer', description: 'Of those, with a value in the first and the current vintage' },
        revised: { type: 'integer', description: 'Of those, whose current value differs from the first' },
        notComparable: { type: 'integer' },
        byUnit: { type: 'array', items: unitRevisions, description: 'Per unit of measure (never a mean over counts and rates together)' },
        releases: {
          type: 'array',
          description: 'Each release against the vintages it replaced, for the releases that replaced any',
          items: {
            type: 'object',
            properties: {
              release: { type: 'string' },
              republished: { type: 'integer' },
              compared: { type: 'integer' },
              revised: { type: 'integer' },
              notComparable: { type: 'integer' },
              withdrawn: { type: 'integer' },
              byUnit: { type: 'array', items: unitRevisions },
            },
            required: ['release', 'republished', 'compared', 'revised', 'notComparable', 'withdrawn', 'byUnit'],
          },
        },
      },
      required: ['republished', 'compared', 'revised', 'notComparable', 'byUnit', 'releases'],
    },
    completeness: {
      type: 'object',
      description: 'Share of the cube the structures allow that holds data (SIMS S.12.3, R1)',
      properties: {
        years: {
          type: ['object', 'null'],
          description: 'The dataflow’s first to last year with data; null without data',
          properties: { first: { type: 'string' }, last: { type: 'string' }, count: { type: 'integer' } },
          required: ['first', 'last', 'count'],
        },
        allowedKeys: { type: ['integer', 'null'], description: 'Series keys the cube allows in the scope' },
        allowedCells: { type: ['integer', 'null'], description: 'allowedKeys × years' },
        cellsWithData: { type: 'integer', description: 'cellsWithValue + cellsWithheld' },
        cellsWithValue: { type: 'integer' },
        cellsWithheld: { type: 'integer', description: 'Withheld by disclosure control' },
        cellsOutside: { type: 'integer', description: 'Cells holding data outside the cube (in no share)' },
        cellsMissing: { type: 'integer', description: 'Current cells with neither a value nor a confidentiality status' },
        share: percent('cellsWithData / allowedCells (R1)'),
        valueShare: percent('cellsWithValue / allowedCells: what the public can read'),
        seriesWithData: { type: 'integer' },
        seriesFill: percent('cellsWithData / (seriesWithData × years)'),
        dimensions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              dimension: { type: 'string' },
              allowed: { type: ['integer', 'null'], description: 'Codes the cube allows; null when not coded' },
              withData: { type: 'integer' },
              share: percent('withData / allowed'),
              outside: { type: 'integer' },
            },
            required: ['dimension', 'allowed', 'withData', 'share', 'outside'],
          },
        },
      },
      required: ['years', 'allowedKeys', 'allowedCells', 'cellsWithData', 'cellsWithValue', 'cellsWithheld', 'cellsOutside', 'cellsMissing', 'share', 'valueShare', 'seriesWithData', 'seriesFill', 'dimensions'],
    },
    suppression: {
      type: 'object',
      description: 'Cells withheld by disclosure control, per release (docs/disclosure-control.md)',
      properties: {
        releases: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              release: { type: 'string' },
              publishedAt: instant,
              cells: { type: 'integer', description: 'Cells it published in the scope (withdrawals excluded)' },
              withheld: { type: 'integer' },
              share: percent('withheld / cells'),
              byConfStatus: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Withheld cells per CONF_STATUS code (A primary, D secondary, C derived)' },
            },
            required: ['release', 'publishedAt', 'cells', 'withheld', 'share', 'byConfStatus'],
          },
        },
        cells: { type: 'integer' },
        withheld: { type: 'integer' },
        share: percent('withheld / cells, over every release'),
      },
      required: ['releases', 'cells', 'withheld', 'share'],
    },
  },
  required: ['dataflow', 'area', 'at', 'releases', 'punctuality', 'timeliness', 'revisions', 'completeness', 'suppression'],
} as const;

const sectionProperties = {
  id: { type: 'string', description: 'The metadata attribute (and concept) id', examples: ['SERIES_BREAKS'] },
  sims: { type: ['string', 'null'], description: 'The SIMS 2.0 code of the concept; null for our extensions (counting rules) and the measured figures', examples: ['S.15.2'] },
  name: { type: 'string', description: 'The concept’s name (concept scheme UNODC:CS_SIMS_CRIME) in the language asked for, else English', examples: ['Breaks in series'] },
  text: { type: 'string', description: 'Text concepts: the text in the language asked for, else English. Absent for coded, numeric and grouping sections' },
  value: { type: 'string', description: 'Coded, numeric and date concepts: the code, the number (two decimals at most) or the instant, as SDMX writes it. Absent for text and grouping sections', examples: ['VICTIM'] },
  valueLabel: { type: 'string', description: 'Coded concepts: the code’s name (CL_COUNTING_UNIT, CL_COUNTING_STAGE, CL_YES_NO_UNK) in the language asked for, else English', examples: ['Victim'] },
  computed: { type: 'boolean', description: 'Filled by the server at request time from the quality indicators, the calendar or its own addresses (annotation COMPUTED); never authored' },
  headline: { type: 'boolean', description: 'A headline note, also given as a footnote with downloads (annotation HEADLINE)' },
} as const;

/** A section, nested `depth` times (no recursive $ref: the OpenAPI document stays self-contained). */
function section(depth: number): object {
  return {
    type: 'object',
    properties: {
      ...sectionProperties,
      sections: depth > 1 ? { type: 'array', items: section(depth - 1), description: 'The sections under it, in the metadata structure’s order' } : { type: 'array', maxItems: 0 },
    },
    required: ['id', 'sims', 'name', 'computed', 'headline', 'sections'],
  };
}

/** One metadata set (a report or a country note) at its latest version visible at asOf. */
const metadataSet = (description: string) => ({
  type: ['object', 'null'],
  description,
  properties: {
    set: { type: 'string', description: 'The metadata set id: MS_<DATAFLOW> for a report, MS_<DATAFLOW>_<AREA> for a country note', examples: ['MS_DF_CTS_HOMICIDE_KAZ'] },
    agency: { type: 'string', examples: ['UNODC'] },
    version: { type: 'string', description: 'Semantic version; a new version is public from its release’s instant on', examples: ['1.0.0'] },
    release: { type: ['string', 'null'], description: 'The release that made this version public', examples: ['GSH-2019'] },
    validFrom: { type: ['string', 'null'], format: 'date-time', description: 'When this version became public (its release’s instant)' },
    name: { type: 'string', description: 'In the language asked for, else English' },
    metadataflow: { type: 'string', description: 'AGENCY:ID(VERSION)', examples: ['UNODC:MDF_CRIME_COUNTRY_NOTE(1.0)'] },
    sources: {
      type: 'array',
      description: 'What the text was written from',
      items: {
        type: 'object',
        properties: { title: { type: 'string' }, url: { type: 'string' }, licence: { type: 'string' } },
        required: ['title'],
      },
    },
    sections: { type: 'array', items: section(SECTION_DEPTH), description: 'The reported concepts, nested and ordered as the metadata structure defines them; only those with content' },
    links: {
      type: 'object',
      properties: {
        sdmx30: { type: 'string', description: 'This version as an SDMX 3.0 metadata set', examples: ['/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE/1.0.0'] },
        sdmx21: { type: 'string', description: 'The set (its latest public version) as SDMX 2.1 generic metadata: its metadataflow, keyed by its target (dataflow, or dataflow.area)', examples: ['/sdmx/2.1/metadata/UNODC,MDF_CRIME_COUNTRY_NOTE,1.0/DF_CTS_HOMICIDE.KAZ'] },
      },
      required: ['sdmx30', 'sdmx21'],
    },
  },
  required: ['set', 'agency', 'version', 'release', 'validFrom', 'name', 'metadataflow', 'sources', 'sections', 'links'],
});

const versionList = (description: string) => ({
  type: 'array',
  description,
  items: {
    type: 'object',
    properties: { version: { type: 'string' }, release: { type: ['string', 'null'] }, validFrom: { type: 'string', format: 'date-time' } },
    required: ['version', 'release', 'validFrom'],
  },
});

export const DATAFLOW_METADATA_RESPONSE = {
  type: 'object',
  description: 'The reference metadata of a dataflow (and of one area) as public at asOf',
  properties: {
    dataflow: {
      type: 'object',
      properties: {
        id: { type: 'string', examples: ['DF_CTS_HOMICIDE'] },
        agency: { type: 'string', examples: ['UNODC'] },
        version: { type: 'string', examples: ['1.0'] },
        name: { type: ['string', 'null'], description: 'In the language asked for, else English' },
      },
      required: ['id', 'agency', 'version', 'name'],
    },
    area: {
      type: ['object', 'null'],
      description: 'The area asked for (area=), or null',
      properties: { id: { type: 'string', examples: ['KAZ'] }, name: { type: ['string', 'null'], examples: ['Kazakhstan'] } },
      required: ['id', 'name'],
    },
    asOf: { ...instant, description: 'The instant whose public metadata, data and calendar the answer is' },
    lang: { type: 'string', enum: [...LANGUAGES] },
    report: metadataSet('The methodology and quality report of the dataflow (latest version public at asOf), or null when none is'),
    countryNote: metadataSet('The country note of the area (latest version public at asOf); null without area= or when the area has none'),
    indicators: QUALITY_INDICATORS,
    versions: {
      type: 'object',
      description: 'Every version public at asOf, oldest first: ask an earlier one with asOf at or after its validFrom and before the next',
      properties: { report: versionList('Of the report'), countryNote: versionList('Of the country note (empty without area=)') },
      required: ['report', 'countryNote'],
    },
    links: {
      type: 'object',
      properties: {
        self: { type: 'string', examples: ['/api/v1/dataflows/DF_CTS_HOMICIDE/metadata'] },
        dataflow: { type: 'string', description: 'The dataflow in the people’s API', examples: ['/api/v1/dataflows/DF_CTS_HOMICIDE'] },
        sdmx30: { type: ['string', 'null'], description: 'The report’s version as an SDMX 3.0 metadata set; null without report', examples: ['/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE/1.0.0'] },
        sdmx21: { type: 'string', description: 'The dataflow’s report (latest public version) as SDMX 2.1 generic metadata', examples: ['/sdmx/2.1/metadata/UNODC,MDF_CRIME_REPORT,1.0/DF_CTS_HOMICIDE'] },
      },
      required: ['self', 'dataflow', 'sdmx30', 'sdmx21'],
    },
  },
  required: ['dataflow', 'area', 'asOf', 'lang', 'report', 'countryNote', 'indicators', 'versions', 'links'],
} as const;
