/**
 * What the metadata structure says of each reported attribute, for every surface that shows a
 * report to people (the JSON API's sections, GraphQL's reported attributes, the downloads'
 * footnotes): the concept's name, its SIMS code, whether the server computes it or it is a
 * headline, and a coded attribute's code names. Read from the structures, once per registry.
 */
import { METADATA_ATTRIBUTE_ANNOTATIONS, type MetadataSet } from '../../sdmx/metadata/model.js';
import { refKey, type Annotation, type MetadataAttribute, type Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { walkAttributes } from './report-structure.js';

/** What the MSD says of one metadata attribute, read once per structure registry. */
export interface AttributeFacts {
  readonly name: Text | undefined;
  readonly sims: string | null;
  readonly computed: boolean;
  readonly headline: boolean;
  /** Code id → name, for a coded attribute. */
  readonly codes?: ReadonlyMap<string, Text>;
}

/** Per registry (a new one after structure writes), per MSD and report: its attributes' facts. */
const factsByRegistry = new WeakMap<StructureRegistry, Map<string, ReadonlyMap<string, AttributeFacts>>>();

const annotationOf = (annotations: readonly Annotation[] | undefined, type: string) => annotations?.find((a) => a.type === type);

export function attributeFactsOf(registry: StructureRegistry, set: MetadataSet): ReadonlyMap<string, AttributeFacts> {
  let byReport = factsByRegistry.get(registry);
  if (!byReport) factsByRegistry.set(registry, (byReport = new Map()));
  const key = `${refKey(set.structure)}#${set.reportID}`;
  let facts = byReport.get(key);
  if (facts) return facts;
  const out = new Map<string, AttributeFacts>();
  const msd = registry.get(set.structure);
  const report = msd?.class === 'MetadataStructure' ? msd.reports.find((r) => r.id === set.reportID) : undefined;
  for (const a of walkAttributes(report?.attributes ?? [])) out.set(a.id, factsOfAttribute(registry, a));
  byReport.set(key, (facts = out));
  return facts;
}

function factsOfAttribute(registry: StructureRegistry, a: MetadataAttribute): AttributeFacts {
  const scheme = registry.get(a.conceptIdentity.scheme);
  const concept = scheme?.class === 'ConceptScheme' ? scheme.items.find((c) => c.id === a.conceptIdentity.id) : undefined;
  const sims = annotationOf(concept?.annotations, METADATA_ATTRIBUTE_ANNOTATIONS.simsCode) ?? annotationOf(a.annotations, METADATA_ATTRIBUTE_ANNOTATIONS.simsCode);
  const enumeration = a.localRepresentation?.enumeration ?? concept?.coreRepresentation?.enumeration;
  const codelist = enumeration ? registry.get(enumeration) : undefined;
  return {
    name: concept?.name,
    sims: sims?.title ?? null,
    computed: annotationOf(a.annotations, METADATA_ATTRIBUTE_ANNOTATIONS.computed) !== undefined,
    headline: annotationOf(a.annotations, METADATA_ATTRIBUTE_ANNOTATIONS.headline) !== undefined,
    ...(codelist?.class === 'Codelist' ? { codes: new Map(codelist.items.map((c) => [c.id, c.name])) } : {}),
  };
}
