/**
 * Resolvers of the reference metadata: Query.metadata (and Dataflow.metadata), MetadataReport,
 * MetadataSet, ReportedAttribute, QualityIndicators. Read from the metadata service, as the JSON
 * API's metadata route reads it: a version is public exactly when its release is, the computed
 * concepts and indicators are measured over the public data and calendar at the instant.
 * Concept names and coded values' labels come from the metadata structure
 * (services/metadata/attribute-facts.ts).
 */
import { ServiceError } from '../../../errors.js';
import type { MetadataSet, ReportedAttribute } from '../../../sdmx/metadata/model.js';
import type { Dataflow } from '../../../sdmx/model.js';
import { exactName } from '../../../services/catalogue/artefacts.js';
import { attributeFactsOf, type AttributeFacts } from '../../../services/metadata/attribute-facts.js';
import type { DataflowMetadata } from '../../../services/metadata/metadata-service.js';
import { checkDeadline, dataflowNamed, label, type GraphqlContext } from '../context.js';

type LangArgs = { readonly lang?: string | null };

interface ReportParent {
  readonly flow: Dataflow;
  readonly metadata: DataflowMetadata;
}

interface SetParent {
  readonly set: MetadataSet;
  readonly facts: ReadonlyMap<string, AttributeFacts>;
}

interface AttributeParent {
  readonly attribute: ReportedAttribute;
  readonly facts: ReadonlyMap<string, AttributeFacts>;
}

async function report(ctx: GraphqlContext, flow: Dataflow, args: { area?: string | null; asOf?: string | null }): Promise<ReportParent> {
  checkDeadline(ctx);
  const now = ctx.services.clock.now();
  if (args.asOf != null && Date.parse(args.asOf) > now.getTime()) {
    // As series(asOf:) and the JSON API: what will be public then is not known yet.
    throw new ServiceError('invalid-input', `asOf ${args.asOf} is in the future (it is now ${now.toISOString()}): leave asOf out for the metadata public now`, { parameter: 'asOf' });
  }
  const metadata = await ctx.services.metadata.report(exactName(flow), args.area ?? null, args.asOf ?? undefined);
  return { flow, metadata };
}

function setParent(ctx: GraphqlContext, set: MetadataSet | null): SetParent | null {
  return set ? { set, facts: attributeFactsOf(ctx.services.structures.registry, set) } : null;
}

function find(attributes: readonly ReportedAttribute[], concept: string): ReportedAttribute | undefined {
  for (const a of attributes) {
    if (a.id === concept) return a;
    const inside = find(a.children, concept);
    if (inside) return inside;
  }
  return undefined;
}

export const metadataResolvers = {
  Query: {
    metadata: (_: unknown, args: { dataflow: string; area?: string | null; asOf?: string | null }, ctx: GraphqlContext) => report(ctx, dataflowNamed(ctx, args.dataflow), args),
  },
  Dataflow: {
    metadata: (flow: Dataflow, args: { area?: string | null; asOf?: string | null }, ctx: GraphqlContext) => report(ctx, flow, args),
  },
  MetadataReport: {
    dataflow: (r: ReportParent) => r.flow,
    area: (r: ReportParent) => r.metadata.area,
    asOf: (r: ReportParent) => r.metadata.at,
    report: (r: ReportParent, _: unknown, ctx: GraphqlContext) => setParent(ctx, r.metadata.report),
    countryNote: (r: ReportParent, _: unknown, ctx: GraphqlContext) => setParent(ctx, r.metadata.countryNote),
    indicators: (r: ReportParent) => r.metadata.indicators,
  },
  MetadataSet: {
    setId: (s: SetParent) => s.set.id,
    version: (s: SetParent) => s.set.version,
    name: (s: SetParent, args: LangArgs, ctx: GraphqlContext) => label(s.set.name, args, ctx) ?? s.set.id,
    release: (s: SetParent) => s.set.release ?? null,
    validFrom: (s: SetParent) => s.set.validFrom ?? null,
    validTo: (s: SetParent) => s.set.validTo ?? null,
    attributes: (s: SetParent): AttributeParent[] => s.set.attributes.map((attribute) => ({ attribute, facts: s.facts })),
    attribute: (s: SetParent, args: { concept: string }): AttributeParent | null => {
      const attribute = find(s.set.attributes, args.concept);
      return attribute ? { attribute, facts: s.facts } : null;
    },
  },
  ReportedAttribute: {
    concept: (a: AttributeParent) => a.attribute.id,
    name: (a: AttributeParent, args: LangArgs, ctx: GraphqlContext) => label(a.facts.get(a.attribute.id)?.name, args, ctx) ?? a.attribute.id,
    text: (a: AttributeParent, args: LangArgs, ctx: GraphqlContext) => {
      if (a.attribute.text) return label(a.attribute.text, args, ctx);
      // A coded value reads as its code's name.
      const names = a.attribute.value !== undefined ? a.facts.get(a.attribute.id)?.codes?.get(a.attribute.value) : undefined;
      return names ? label(names, args, ctx) : null;
    },
    value: (a: AttributeParent) => a.attribute.value ?? null,
    children: (a: AttributeParent): AttributeParent[] => a.attribute.children.map((attribute) => ({ attribute, facts: a.facts })),
  },
};
