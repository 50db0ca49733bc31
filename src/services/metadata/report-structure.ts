/**
 * Our two kinds of metadata set, dataflow reports and country notes, as the structure registry
 * defines them: the metadataflow, its MSD, the report structure and its attributes indexed by
 * id (unique within an MSD), and the area codelist of the country note's target. The files'
 * checker and the service both read the MSD through here, so "mandatory", "computed" and
 * "presentational" mean the same everywhere: what the MSD says (annotations from
 * sdmx/sources/sims/concepts.csv), never a list kept in code.
 */
import { CRIME_METADATA, METADATA_ATTRIBUTE_ANNOTATIONS } from '../../sdmx/metadata/model.js';
import type { MaintainableRef, MetadataAttribute, MetadataStructure, Metadataflow } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';

export type MetadataSetKind = 'report' | 'countryNote';

export interface ReportStructureOf {
  readonly kind: MetadataSetKind;
  readonly metadataflow: Metadataflow;
  readonly msd: MetadataStructure;
  readonly reportID: string;
  readonly targetID: string;
  /** The report's attributes, nested as the MSD nests them. */
  readonly attributes: readonly MetadataAttribute[];
  /** Every attribute by id, at any depth. */
  readonly byId: ReadonlyMap<string, MetadataAttribute>;
  /** The codelist of the area target component (country notes only). */
  readonly areaCodelist?: MaintainableRef;
}

export const metadataflowRef = (kind: MetadataSetKind): MaintainableRef => ({
  class: 'Metadataflow',
  agencyID: CRIME_METADATA.agencyID,
  id: CRIME_METADATA[kind].flow,
  version: CRIME_METADATA.version,
});

/** Country notes are about a code of this list unless the MSD's area target says otherwise. */
const DEFAULT_AREA_CODELIST: MaintainableRef = { class: 'Codelist', agencyID: 'UNODC', id: 'CL_AREA', version: '1.0' };

const hasAnnotation = (a: MetadataAttribute, type: string) => a.annotations?.some((n) => n.type === type) ?? false;

/** Filled by the server at request time, never authored. */
export const isComputed = (a: MetadataAttribute) => hasAnnotation(a, METADATA_ATTRIBUTE_ANNOTATIONS.computed);

/** Only groups its children: never carries content of its own. */
export const isPresentational = (a: MetadataAttribute) => a.isPresentational;

/** Must be authored (the MSD's minOccurs ≥ 1), unless the server computes it. */
export const isMandatory = (a: MetadataAttribute) => a.minOccurs >= 1 && !isComputed(a) && !isPresentational(a);

/** What an authored value of the attribute is: a code, bilingual text, or a number. */
export function valueKindOf(a: MetadataAttribute): 'code' | 'text' | 'number' | 'scalar' {
  if (a.localRepresentation?.enumeration) return 'code';
  const type = a.localRepresentation?.textFormat?.textType;
  if (type === undefined || type === 'String' || type === 'Alpha' || type === 'AlphaNumeric') return 'text';
  if (type === 'Numeric' || type === 'Integer' || type === 'Decimal' || type === 'Double') return 'number';
  return 'scalar';
}

/** Every attribute in document order (parents before their children). */
export function* walkAttributes(attributes: readonly MetadataAttribute[]): Generator<MetadataAttribute> {
  for (const a of attributes) {
    yield a;
    yield* walkAttributes(a.children);
  }
}

/**
 * The structure of one kind of metadata set, or a sentence saying what is missing (the
 * structures define no such metadataflow, MSD or report structure).
 */
export function reportStructureOf(registry: StructureRegistry, kind: MetadataSetKind): ReportStructureOf | string {
  const ids = CRIME_METADATA[kind];
  const flowRef = metadataflowRef(kind);
  const metadataflow = registry.get(flowRef);
  if (metadataflow?.class !== 'Metadataflow') return `the structures define no metadataflow ${flowRef.agencyID}:${flowRef.id}(${flowRef.version})`;
  const msd = registry.get(metadataflow.structure);
  if (msd?.class !== 'MetadataStructure') return `the structures define no metadata structure ${metadataflow.structure.id} for ${metadataflow.id}`;
  const report = msd.reports.find((r) => r.id === ids.report) ?? (msd.reports.length === 1 ? msd.reports[0] : undefined);
  if (!report) return `${msd.id} has no report structure ${ids.report}`;
  const target = msd.targets.find((t) => t.id === ids.target) ?? msd.targets.find((t) => report.targets.includes(t.id));
  const byId = new Map<string, MetadataAttribute>();
  for (const a of walkAttributes(report.attributes)) byId.set(a.id, a);
  const areaCodelist =
    target?.components.find((c) => c.id === CRIME_METADATA.areaComponent)?.localRepresentation?.enumeration ?? (kind === 'countryNote' ? DEFAULT_AREA_CODELIST : undefined);
  return {
    kind,
    metadataflow,
    msd,
    reportID: report.id,
    targetID: target?.id ?? ids.target,
    attributes: report.attributes,
    byId,
    ...(areaCodelist ? { areaCodelist } : {}),
  };
}
