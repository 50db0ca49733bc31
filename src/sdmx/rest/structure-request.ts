/**
 * Parses structure query paths and parameters of both REST APIs into one `StructureQuery`.
 *
 * - API 1.5 (SDMX 2.1): /{resource}/{agency}/{id}/{version}/{items}; `all`, `latest`, `+` for OR;
 *   trailing parts may be omitted (4_3_structural_queries.md).
 * - API 2.0 (SDMX 3.0): /structure/{type}/{agency}/{id}/{version}/{items}; `*`, `~`, `,` for
 *   OR, `+` for latest stable and semantic-version wildcards (structures.md,
 *   v2.2.2/querying_versions.md).
 *
 * Resources the specification defines but we do not hold are "not implemented" (501); names
 * that no specification defines are syntax errors (400).
 */
import { MAINTAINABLE_CLASSES, type MaintainableClass } from '../model.js';
import { ServiceError } from '../../errors.js';
import {
  STRUCTURE_DETAILS,
  type IdSelector,
  type ReferencesSelector,
  type StructureDetail,
  type StructureQuery,
  type VersionSelector,
} from '../structure-query/query.js';

export type ApiVersion = '2.1' | '3.0';

interface ResourceTarget {
  readonly classes: readonly MaintainableClass[];
  readonly constraintType?: 'Allowed' | 'Actual';
}

/** SDMX 2.1 has no HierarchyAssociation or ValueList: the 2.1 API's `structure` leaves them out. */
const ALL = MAINTAINABLE_CLASSES.filter((c) => c !== 'HierarchyAssociation' && c !== 'ValueList');
/** SDMX 3.0 has no AttachmentConstraint: the 3.0 API's `*` leaves it out. */
const ALL_30 = MAINTAINABLE_CLASSES.filter((c) => c !== 'AttachmentConstraint');

/** The VTL schemes: the same resources on both APIs. */
const VTL_RESOURCES: Record<string, ResourceTarget> = {
  transformationscheme: { classes: ['TransformationScheme'] },
  rulesetscheme: { classes: ['RulesetScheme'] },
  userdefinedoperatorscheme: { classes: ['UserDefinedOperatorScheme'] },
  customtypescheme: { classes: ['CustomTypeScheme'] },
  namepersonalisationscheme: { classes: ['NamePersonalisationScheme'] },
  vtlmappingscheme: { classes: ['VtlMappingScheme'] },
};
/**
 * `namealiasscheme` (REST 1.5 resource, REST 2.0 `references` value) has no class in any SDMX
 * schema: it is the VtlMappingScheme, since a VTL mapping is exactly the VTL alias (name) of an
 * SDMX artefact.
 */
const NAME_ALIAS_SCHEME: ResourceTarget = { classes: ['VtlMappingScheme'] };

/** Resources we serve, per API, and the model classes each covers. */
const SERVED: Record<ApiVersion, Record<string, ResourceTarget>> = {
  '2.1': {
    structure: { classes: ALL },
    datastructure: { classes: ['DataStructure'] },
    codelist: { classes: ['Codelist'] },
    hierarchicalcodelist: { classes: ['HierarchicalCodelist'] },
    conceptscheme: { classes: ['ConceptScheme'] },
    categoryscheme: { classes: ['CategoryScheme'] },
    categorisation: { classes: ['Categorisation'] },
    dataflow: { classes: ['Dataflow'] },
    provisionagreement: { classes: ['ProvisionAgreement'] },
    organisationscheme: { classes: ['AgencyScheme', 'DataProviderScheme', 'DataConsumerScheme', 'OrganisationUnitScheme'] },
    agencyscheme: { classes: ['AgencyScheme'] },
    dataproviderscheme: { classes: ['DataProviderScheme'] },
    dataconsumerscheme: { classes: ['DataConsumerScheme'] },
    organisationunitscheme: { classes: ['OrganisationUnitScheme'] },
    reportingtaxonomy: { classes: ['ReportingTaxonomy'] },
    process: { classes: ['Process'] },
    contentconstraint: { classes: ['ContentConstraint'] },
    attachmentconstraint: { classes: ['AttachmentConstraint'] },
    allowedconstraint: { classes: ['ContentConstraint'], constraintType: 'Allowed' },
    actualconstraint: { classes: ['ContentConstraint'], constraintType: 'Actual' },
    // Our structure sets each hold one map (see RepresentationMap and ItemSchemeMap in model.ts);
    // a StructureMap has no 2.1 form, so the 2.1 formats leave it out.
    structureset: { classes: ['RepresentationMap', 'StructureMap', 'ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap'] },
    ...VTL_RESOURCES,
    namealiasscheme: NAME_ALIAS_SCHEME,
    metadatastructure: { classes: ['MetadataStructure'] },
    metadataflow: { classes: ['Metadataflow'] },
  },
  '3.0': {
    '*': { classes: ALL_30 },
    datastructure: { classes: ['DataStructure'] },
    codelist: { classes: ['Codelist'] },
    hierarchy: { classes: ['HierarchicalCodelist'] },
    hierarchyassociation: { classes: ['HierarchyAssociation'] },
    valuelist: { classes: ['ValueList'] },
    conceptscheme: { classes: ['ConceptScheme'] },
    categoryscheme: { classes: ['CategoryScheme'] },
    categorisation: { classes: ['Categorisation'] },
    dataflow: { classes: ['Dataflow'] },
    provisionagreement: { classes: ['ProvisionAgreement'] },
    agencyscheme: { classes: ['AgencyScheme'] },
    dataproviderscheme: { classes: ['DataProviderScheme'] },
    dataconsumerscheme: { classes: ['DataConsumerScheme'] },
    organisationunitscheme: { classes: ['OrganisationUnitScheme'] },
    reportingtaxonomy: { classes: ['ReportingTaxonomy'] },
    process: { classes: ['Process'] },
    dataconstraint: { classes: ['ContentConstraint'] },
    representationmap: { classes: ['RepresentationMap'] },
    structuremap: { classes: ['StructureMap'] },
    conceptschememap: { classes: ['ConceptSchemeMap'] },
    categoryschememap: { classes: ['CategorySchemeMap'] },
    organisationschememap: { classes: ['OrganisationSchemeMap'] },
    reportingtaxonomymap: { classes: ['ReportingTaxonomyMap'] },
    metadatastructure: { classes: ['MetadataStructure'] },
    metadataflow: { classes: ['Metadataflow'] },
    ...VTL_RESOURCES,
  },
};

/** Resources the specifications define that we do not serve (answered with 501). */
const NOT_SERVED: Record<ApiVersion, readonly string[]> = {
  '2.1': [],
  '3.0': [
    'metadataproviderscheme',
    'metadataprovisionagreement',
    'metadataconstraint',
  ],
};

/** The structure resources an API serves (the OpenAPI document lists them). */
export function servedStructureResources(api: ApiVersion): string[] {
  return Object.keys(SERVED[api]);
}

/** `references` values that name a resource type, per API, mapped to classes. */
function referenceTarget(api: ApiVersion, name: string): ResourceTarget | 'not-served' | undefined {
  if (name === 'structure' || name === '*') return undefined;
  // REST 2.0 names namealiasscheme only as a `references` value (its resource is vtlmappingscheme).
  if (name === 'namealiasscheme') return NAME_ALIAS_SCHEME;
  const served = SERVED[api][name];
  if (served) return served;
  if (NOT_SERVED[api].includes(name)) return 'not-served';
  return undefined;
}

const AGENCY = /^[A-Za-z][A-Za-z\d_-]*(\.[A-Za-z][A-Za-z\d_-]*)*$/;
const ID = /^[A-Za-z\d_@$-]+$/;
const NESTED_ID = /^[A-Za-z\d_@$-]+(\.[A-Za-z\d_@$-]+)*$/;
const VERSION_21 = /^\d+(\.\d+)*$/;
// Legacy 2-part and semantic versions, with 3.0 wildcards in any part (querying_versions.md).
const VERSION_30 = /^(\d+\+?|\*)(\.(\d+\+?|\*)){1,2}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

const syntax = (text: string) => new ServiceError('invalid-input', text);

function ids(api: ApiVersion, raw: string | undefined, what: string, pattern: RegExp): IdSelector {
  const all = api === '2.1' ? 'all' : '*';
  if (raw === undefined || raw === all) return 'all';
  const sep = api === '2.1' ? '+' : ',';
  const parts = raw.split(sep);
  for (const p of parts) {
    if (!pattern.test(p)) throw syntax(`Invalid ${what} "${p}" in "${raw}"`);
  }
  return parts;
}

function versions(api: ApiVersion, raw: string | undefined): VersionSelector {
  if (api === '2.1') {
    if (raw === undefined || raw === 'latest') return { kind: 'latest' };
    if (raw === 'all') return { kind: 'all' };
    const parts = raw.split('+');
    for (const p of parts) {
      if (p === 'latest' || p === 'all') throw syntax(`"${p}" cannot be combined with other versions in "${raw}"`);
      if (!VERSION_21.test(p)) throw syntax(`Invalid version "${p}": expected all, latest or a number such as 1.0`);
    }
    return { kind: 'patterns', patterns: parts };
  }
  if (raw === undefined || raw === '~') return { kind: 'latest' };
  if (raw === '*') return { kind: 'all' };
  if (raw === '+') return { kind: 'latestStable' };
  const parts = raw.split(',');
  for (const p of parts) {
    if (!VERSION_30.test(p)) throw syntax(`Invalid version "${p}": expected *, ~, + or a version such as 1.0.0`);
  }
  return { kind: 'patterns', patterns: parts };
}

function detail(raw: unknown, api: ApiVersion): StructureDetail {
  if (raw === undefined) return 'full';
  if (typeof raw !== 'string' || !STRUCTURE_DETAILS.includes(raw as StructureDetail) || (api === '2.1' && raw === 'raw')) {
    throw syntax(`Invalid detail "${String(raw)}": expected one of ${STRUCTURE_DETAILS.filter((d) => api === '3.0' || d !== 'raw').join(', ')}`);
  }
  return raw as StructureDetail;
}

const RELATIONS = ['none', 'parents', 'parentsandsiblings', 'children', 'descendants', 'all'] as const;

function references(raw: unknown, api: ApiVersion): ReferencesSelector[] {
  if (raw === undefined) return [{ kind: 'none' }];
  if (typeof raw !== 'string') throw syntax('references may be given once');
  // 3.0 accepts several comma-separated values; 2.1 one.
  const values = api === '3.0' ? raw.split(',') : [raw];
  return values.map((v): ReferencesSelector => {
    if ((RELATIONS as readonly string[]).includes(v)) return { kind: v as (typeof RELATIONS)[number] };
    if (api === '3.0' && v === 'ancestors') return { kind: 'ancestors' };
    const target = referenceTarget(api, v);
    if (target === 'not-served') return { kind: 'class', classes: [] };
    if (!target) throw syntax(`Invalid references "${v}"`);
    return { kind: 'class', classes: target.classes, constraintType: target.constraintType };
  });
}

/** Resources whose artefacts have items (item schemes, hierarchies, value lists' values). */
const ITEMISED = new Set([
  'codelist',
  'conceptscheme',
  'categoryscheme',
  'agencyscheme',
  'dataproviderscheme',
  'dataconsumerscheme',
  'organisationunitscheme',
  'reportingtaxonomy',
  'organisationscheme',
  'hierarchicalcodelist',
  'hierarchy',
  'valuelist',
  ...Object.keys(VTL_RESOURCES),
  'namealiasscheme',
]);

/**
 * A value of a value list is any text, not an id: any non-empty part. A value containing `,`
 * (which separates values) or `/` (the router splits the decoded path) cannot be asked for alone.
 */
const VALUE = /^.+$/;

/** Query parameters a structure query accepts; anything else is a syntax error. */
const STRUCTURE_PARAMS = new Set(['detail', 'references', 'format', 'formatVersion', 'lang']);

/**
 * @param segments path segments after the API root, e.g. ['codelist', 'UNODC', 'CL_ICCS'] on
 *   2.1 or ['codelist', 'UNODC', 'CL_ICCS'] (after `structure`) on 3.0.
 */
export function parseStructureRequest(
  api: ApiVersion,
  segments: readonly string[],
  params: Readonly<Record<string, unknown>>,
): StructureQuery {
  const [resource, agency, id, version, items, ...extra] = segments;
  if (!resource) throw syntax('Missing structure type');
  const target = SERVED[api][resource];
  if (!target) {
    if (NOT_SERVED[api].includes(resource)) {
      throw new ServiceError('not-implemented', `This service does not serve ${resource} artefacts`);
    }
    throw syntax(`Unknown structure type "${resource}"`);
  }
  if (extra.length) throw syntax(`Too many path segments after ${resource}`);
  for (const key of Object.keys(params)) {
    if (!STRUCTURE_PARAMS.has(key)) throw syntax(`Unknown query parameter "${key}"`);
  }
  const itemised = ITEMISED.has(resource);
  if (items !== undefined && !itemised) throw syntax(`${resource} has no items to select`);
  const itemPattern = resource === 'valuelist' ? VALUE : resource === 'conceptscheme' || resource === 'agencyscheme' ? ID : NESTED_ID;
  return {
    classes: target.classes,
    constraintType: target.constraintType,
    agencies: ids(api, agency, 'agency', AGENCY),
    ids: ids(api, id, 'id', ID),
    versions: versions(api, version),
    items: ids(api, items, 'item id', itemPattern),
    references: references(params.references, api),
    detail: detail(params.detail, api),
    // A 3.0 Hierarchy of a several-hierarchy HCL has its hierarchy's id (src/sdmx/hierarchies30.ts).
    ...(api === '3.0' && target.classes.includes('HierarchicalCodelist') ? { matchHierarchyIds: true } : {}),
  };
}
