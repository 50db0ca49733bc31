/**
 * JSON schemas shared by the publishers' routes (uploads, correspondence tables, releases,
 * disclosure control): they shape responses (fast-json-stringify drops what they do not
 * declare) and are what @fastify/swagger documents. Refusals are `Problem` documents
 * (http/problem.ts `problemResponses`).
 */
import type { UploadFormat } from '../../../upload/records.js';
import { RELEASE_STATES } from '../../../storage/schema.js';

export const instant = { type: 'string', format: 'date-time' } as const;
export const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableString = { type: ['string', 'null'] } as const;
export const dataflowRef = { type: 'string', description: 'A dataflow as AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)' } as const;
export const releaseState = { type: 'string', enum: [...RELEASE_STATES] } as const;

// ---- uploads ----

/** Every format an upload may be read as (a Record, so a new format cannot be forgotten here). */
const UPLOAD_FORMATS: Record<UploadFormat, true> = {
  'sdmx-csv-1.0': true,
  'sdmx-csv-2.0': true,
  'sdmx-ml-2.1-generic': true,
  'sdmx-ml-2.1-structure-specific': true,
  'sdmx-ml-3.0': true,
  'sdmx-json-1.0': true,
  'sdmx-json-2.0': true,
  'csv-national': true,
};

export const uploadFormat = {
  type: 'string',
  enum: Object.keys(UPLOAD_FORMATS),
  description: 'The format the file was read as (detected from its content); csv-national: plain CSV with national offence codes, mapped by a correspondence table',
} as const;

const uploadProperties = {
  uploadId: { type: 'string', description: 'The upload id, upl_ and 12 hex digits', examples: ['upl_3f2a9c01b7de'] },
  release: {
    type: 'object',
    description: 'The draft release the data went into (its state now)',
    properties: { code: { type: 'string', description: 'The release code' }, state: releaseState },
    required: ['code', 'state'],
  },
  dataflow: dataflowRef,
  provider: { type: 'string', description: 'The data provider, AGENCY:ID' },
  format: uploadFormat,
  mapping: { type: 'string', description: 'The correspondence table applied, AGENCY:ID(VERSION) (csv-national uploads only)' },
  sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the bytes received (after gzip decoding)' },
  bytes: { type: 'integer', minimum: 0, description: 'Bytes received (after gzip decoding)' },
  series: { type: 'integer', minimum: 0, description: 'Series the upload holds' },
  observations: { type: 'integer', minimum: 0, description: 'Observations the upload holds' },
  uploadedAt: { ...instant, description: 'When the upload was stored' },
} as const;
const uploadRequired = ['uploadId', 'release', 'dataflow', 'provider', 'format', 'sha256', 'bytes', 'series', 'observations', 'uploadedAt'];

/** An upload as the upload routes answer it. */
export const uploadSummarySchema = {
  type: 'object',
  description: 'The upload and the draft release it went into',
  properties: uploadProperties,
  required: uploadRequired,
  additionalProperties: false,
} as const;

/** The answer to the same bytes sent again to the same draft: the first upload, nothing new stored. */
export const replayedUploadSchema = {
  type: 'object',
  description: 'The same bytes were uploaded to this draft before: nothing new was stored, the first upload answers (idempotent)',
  properties: { ...uploadProperties, replayed: { type: 'boolean', const: true, description: 'Always true: this is the earlier upload' } },
  required: [...uploadRequired, 'replayed'],
  additionalProperties: false,
} as const;

// ---- correspondence tables ----

const text = { type: 'object', additionalProperties: { type: 'string' }, description: 'By language tag, with `en`', examples: [{ en: 'XYZ police offences to ICCS' }] } as const;

const maintainableRef = {
  type: 'object',
  properties: {
    class: { type: 'string', description: 'The SDMX class, e.g. Codelist' },
    agencyID: { type: 'string' },
    id: { type: 'string' },
    version: { type: 'string' },
  },
  required: ['class', 'agencyID', 'id', 'version'],
  additionalProperties: false,
} as const;

const tableLinks = {
  type: 'object',
  properties: {
    self: { type: 'string', description: 'This table in the JSON API', examples: ['/api/v1/correspondence-tables/UNODC/MAP_XYZ_POLICE_ICCS/1.0'] },
    sdmx21: { type: 'string', description: 'The table as an SDMX 2.1 structure set (with its codelists)' },
    sdmx30: { type: 'string', description: 'The table as an SDMX 3.0 representation map (with its codelists)' },
  },
  required: ['self', 'sdmx21', 'sdmx30'],
  additionalProperties: false,
} as const;

const tableProperties = {
  agencyId: { type: 'string', examples: ['UNODC'] },
  id: { type: 'string', description: 'Id of the map', examples: ['MAP_XYZ_POLICE_ICCS'] },
  version: { type: 'string', examples: ['1.0'] },
  name: { ...text, description: 'The table name, by language tag (with `en`)' },
  codelist: { ...maintainableRef, description: 'The national codelist the table maps from' },
  target: { ...maintainableRef, description: 'What it maps to: UNODC:CL_ICCS(1.0), or UNODC:CL_OFFENCE(1.0) when a row uses one of its extra codes' },
  nationalCodes: { type: 'integer', minimum: 0, description: 'National codes listed' },
  mappings: { type: 'integer', minimum: 0, description: 'National code → ICCS code pairs' },
  ambiguous: { type: 'array', items: { type: 'string' }, description: 'National codes mapped to several ICCS codes (uploads refuse them)' },
  unmapped: { type: 'array', items: { type: 'string' }, description: 'National codes the table lists without an ICCS code' },
  updatedAt: { type: 'string', description: 'When the current content was stored (ISO-8601 instant)' },
  updatedBy: { type: 'string', description: 'Who stored it (token id and name), when it came through this API' },
  links: tableLinks,
} as const;
const tableRequired = ['agencyId', 'id', 'version', 'name', 'codelist', 'target', 'nationalCodes', 'mappings', 'ambiguous', 'unmapped', 'updatedAt', 'links'];

/** A correspondence table without its rows. */
export const correspondenceSummarySchema = {
  type: 'object',
  description: 'A correspondence table (national offence codes → ICCS), without its rows',
  properties: tableProperties,
  required: tableRequired,
  additionalProperties: false,
} as const;

/** One row of a correspondence table, as it is read back. */
export const correspondenceRowSchema = {
  type: 'object',
  properties: {
    nationalCode: { type: 'string', description: 'The national offence code' },
    nationalName: { type: 'string', description: 'Its English name (absent when it is named by its code)' },
    otherNames: { type: 'object', additionalProperties: { type: 'string' }, description: 'Names in other languages, by language tag' },
    iccsCode: { type: 'string', description: 'The ICCS code it maps to; absent when it has no ICCS counterpart' },
  },
  required: ['nationalCode'],
  additionalProperties: false,
} as const;

/** A correspondence table with its rows. */
export const correspondenceTableSchema = {
  type: 'object',
  description: 'A correspondence table with its rows (one per national code and ICCS code; one without iccsCode for an unmapped code)',
  properties: { ...tableProperties, rows: { type: 'array', items: correspondenceRowSchema } },
  required: [...tableRequired, 'rows'],
  additionalProperties: false,
} as const;

// ---- disclosure control ----

const rulesProperties = {
  threshold: { type: 'integer', minimum: 0, description: 'Counts 1..threshold are primary (sensitive) cells' },
  zerosSafe: { type: 'boolean', description: 'When false, a zero count is primary too' },
  protection: {
    type: 'object',
    description: "Absolute protection levels: a protected count v must stay within the attacker's interval [v − min(v, lower), v + upper]",
    properties: { lower: { type: 'number', minimum: 0 }, upper: { type: 'number', minimum: 0 } },
    required: ['lower', 'upper'],
    additionalProperties: false,
  },
  unitDimension: { type: 'string', description: 'The dimension holding the unit of measure', examples: ['UNIT_MEASURE'] },
  countUnits: { type: 'array', items: { type: 'string' }, description: 'Units that are counts', examples: [['NR']] },
  derivedUnits: { type: 'array', items: { type: 'string' }, description: 'Units computed from a count of the same key (rates, shares), protected with it', examples: [['P_HTHAB', 'PC']] },
  excludedDimensions: {
    type: 'array',
    description: 'Dimensions whose declared additive relations protection leaves out, each with the reason',
    items: {
      type: 'object',
      properties: { dimension: { type: 'string' }, reason: { type: 'string' } },
      required: ['dimension', 'reason'],
      additionalProperties: false,
    },
  },
} as const;

/** A dataflow's disclosure-control rules in force (the defaults overridden by what was set). */
export const rulesSchema = {
  type: 'object',
  description: 'Disclosure-control rules: the defaults overridden by what the publisher set',
  properties: rulesProperties,
  required: Object.keys(rulesProperties),
  additionalProperties: false,
} as const;

/**
 * A schema for JSON a disclosure-control run stored (its rules, summary, audit, findings): the
 * storage keeps them as written and promises no shape, and runs stored by earlier versions lack
 * later fields or carry superseded ones. So the same properties, documented and typed, but none
 * required and every object open: what was stored is passed on as it is.
 */
function asStored<S extends object>(schema: S, description?: string): Record<string, unknown> {
  const lenient = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(lenient);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'required' && Array.isArray(value)) continue;
      if (key === 'additionalProperties' && value === false) out[key] = true;
      else if (key === 'properties' && value && typeof value === 'object') {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, lenient(property)]));
      } else out[key] = lenient(value);
    }
    return out;
  };
  const stored = lenient(schema) as Record<string, unknown>;
  return description === undefined ? stored : { ...stored, description };
}

/** The rules a stored run applied. */
export const storedRulesSchema = asStored(rulesSchema, 'The rules the run applied, as stored with it (runs stored by earlier versions may carry superseded keys)');

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

const summaryProperties = {
  cells: count('Observations of the release in the dataflow'),
  countCells: count('How many of them are counts (the cells protected; rates and shares follow their count)'),
  earlierCells: count('Count cells of earlier public releases that this one does not revise, protected with it'),
  earlierReleases: { type: 'array', items: { type: 'string' }, description: 'Codes of those earlier releases' },
  relations: count('Additive relations (a total and its parts) in the table'),
  relationsByHierarchy: {
    type: 'object',
    description: 'Per declaring hierarchy: its relations in the table, and how many the true values break',
    additionalProperties: {
      type: 'object',
      properties: { relations: { type: 'integer', minimum: 0 }, broken: { type: 'integer', minimum: 0 } },
      required: ['relations', 'broken'],
      additionalProperties: false,
    },
  },
  excludedDimensions: rulesProperties.excludedDimensions,
  primary: count('Cells suppressed as primary (small counts)'),
  secondary: count('Cells suppressed as secondary (complementary suppression)'),
  derived: count('Rates and shares suppressed with their count'),
  secondaryPerPrimary: { type: ['number', 'null'], description: 'secondary / primary; null without primary cells' },
  audit: {
    type: 'object',
    description: 'The independent audit of the pattern',
    properties: {
      protectedCells: count('Protected cells audited'),
      failed: count('Protected cells an attacker can narrow past their protection interval'),
      passed: { type: 'boolean' },
    },
    required: ['protectedCells', 'failed', 'passed'],
    additionalProperties: false,
  },
  dataQuality: {
    type: 'object',
    description: "Counts of the run's findings (the cells and values are in the run's publisher-only findings)",
    properties: {
      brokenRelations: count('Declared relations the true values break'),
      unprotectable: count('Small counts an earlier release published with the same value'),
    },
    required: ['brokenRelations', 'unprotectable'],
    additionalProperties: false,
  },
  statistics: {
    type: 'object',
    description: 'How the computation went (empty when the pattern was supplied)',
    properties: {
      components: { type: 'integer' },
      largestComponent: { type: 'integer' },
      linearProgrammes: { type: 'integer' },
      provenByHypercube: { type: 'integer', description: "Protected cells whose interval a hypercube's direction proves" },
      searchProofs: { type: 'integer' },
      rounds: { type: 'integer' },
      protectMs: { type: 'number' },
      auditMs: { type: 'number' },
    },
    additionalProperties: { type: 'number' },
  },
  pattern: { type: 'string', enum: ['computed', 'supplied'], description: 'Whether the pattern was computed here or supplied by the publisher and only audited' },
} as const;

/** The summary of a run just made. */
export const protectionSummarySchema = {
  type: 'object',
  description: 'What the run did: cells, suppressions, the audit, data quality',
  properties: summaryProperties,
  required: Object.keys(summaryProperties),
  additionalProperties: false,
} as const;

/** The summary of a stored run, as stored (runs stored by earlier versions lack the later fields). */
export const storedProtectionSummarySchema = asStored(
  protectionSummarySchema,
  'What the run did, as stored with it (runs stored by earlier versions lack earlierCells, earlierReleases, relationsByHierarchy, excludedDimensions and dataQuality)',
);

const cellKey = { key: { type: 'string', description: 'Series key' }, period: { type: 'string', description: 'Time period' } } as const;

/** One audited protected cell of a run, with its true value. */
const cellAuditSchema = {
  type: 'object',
  properties: {
    ...cellKey,
    value: { type: 'number', description: 'The true value (confidential)' },
    required: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2, description: 'The protection interval [lower, upper] the attacker must not narrow' },
    attacker: {
      type: 'array',
      items: { type: ['number', 'null'] },
      minItems: 2,
      maxItems: 2,
      description: "The attacker's interval [lower, upper]; null = unbounded (a null lower end: his beliefs have no solution)",
    },
    exact: { type: 'boolean', description: 'True when computed by LP; false when a hypercube proves the interval contains the required one' },
    safe: { type: 'boolean' },
    earlierRelease: { type: 'boolean', description: 'A small count an earlier release suppressed and this one does not revise' },
  },
  required: ['key', 'period', 'value', 'required', 'attacker', 'safe'],
  additionalProperties: false,
} as const;

/** The publisher-only findings of a run. */
const findingsSchema = {
  type: 'object',
  description: 'Publisher-only findings, with true values: declared relations the figures break, and small counts this release cannot protect ({} for runs stored before findings were kept)',
  properties: {
    brokenRelations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          hierarchy: { type: 'string' },
          dimension: { type: 'string' },
          problem: { type: 'string', description: '`exact sum does not hold` or `parts exceed the whole`' },
          period: { type: 'string' },
          whole: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'number' } }, required: ['key', 'value'], additionalProperties: false },
          parts: {
            type: 'array',
            items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'number' } }, required: ['key', 'value'], additionalProperties: false },
          },
          difference: { type: 'number', description: 'The whole minus the sum of the parts present' },
        },
        required: ['hierarchy', 'dimension', 'problem', 'period', 'whole', 'parts', 'difference'],
        additionalProperties: false,
      },
    },
    unprotectable: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...cellKey, value: { type: 'number' }, reason: { type: 'string' } },
        required: ['key', 'period', 'value', 'reason'],
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

/** The audited protected cells of a stored run, as stored (runs stored by earlier versions lack `exact`). */
export const storedCellAuditSchema = asStored(cellAuditSchema);

/** The publisher-only findings of a stored run, as stored (`{}` for runs stored before findings were kept). */
export const storedFindingsSchema = asStored(findingsSchema);
