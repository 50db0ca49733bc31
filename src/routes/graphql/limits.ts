/**
 * The limits that keep the server up whatever a query asks: its text size and tokens (checked
 * before and while parsing), then, on the validated document with its variables, its depth,
 * its aliases and its cost. The cost is computed by graphql-query-complexity from the page sizes
 * the query asks for: a list field costs its children times the number of items it can return
 * (`series(first:)` its `first`, `observations(last:)` its `last`, other lists their typical
 * size in the demo structures, rounded up), so a page of 500 series with their observations
 * is allowed and the same with every vintage of every value is not. The cost of an accepted query
 * is returned in `extensions.cost`.
 */
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { graphqlError } from './errors.js';

export const LIMITS = {
  /** Characters of query text. */
  maxQueryChars: 20_000,
  /** Tokens graphql-js reads before giving up (stops a huge document before it is built). */
  maxTokens: 3_000,
  /** Nesting of fields, fragments expanded (the deepest useful query: series → observations → history → release → dataflows → dimensions → codes → entry → ancestors, about 12). */
  maxDepth: 14,
  /** Fields asked under another name. */
  maxAliases: 30,
  /** The cost (see above). */
  maxCost: 200_000,
  /** Bytes of a POST body (query and variables): a query of the maximum length with generous variables. */
  maxBodyBytes: 64 * 1024,
  /** Milliseconds a query may run unless GRAPHQL_TIMEOUT_MS says otherwise. */
  timeoutMs: 10_000,
  /** Series a page of the series connection holds (`first`). */
  maxSeriesPage: 500,
  /** Codes one dimension filter lists. */
  maxFilterCodes: 500,
} as const;

/** How many items a list field returns at most, or typically (Type.field); others count DEFAULT_LIST. */
const LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.dataflows': 20,
  'Query.releases': 50,
  'Query.calendar': 50,
  'Dataflow.categories': 5,
  'Dataflow.dimensions': 10,
  'Dataflow.attributes': 15,
  'Dataflow.releases': 20,
  'Dataflow.names': 2,
  'Dimension.codes': 320,
  'Codelist.codes': 320,
  'Codelist.roots': 20,
  'Codelist.descendants': 320,
  'Codelist.levels': 5,
  'Code.children': 20,
  'Code.ancestors': 5,
  'Code.descendants': 320,
  'Code.inclusions': 1,
  'Code.exclusions': 1,
  'Series.dimensions': 10,
  'Observation.flags': 3,
  'Observation.attributes': 3,
  'Observation.history': 5,
  'Vintage.flags': 3,
  'Release.dataflows': 10,
  'Release.postponements': 3,
  'Release.disclosureControl': 10,
  'MetadataSet.attributes': 70,
  'ReportedAttribute.children': 10,
  'SeriesConnection.hints': 1,
};
const DEFAULT_LIST = 10;
/** Periods a series holds at most in practice when `observations` is asked without `last` (annual series since 1990). */
const PERIODS_PER_SERIES = 35;

/** The most periods `last` is counted for (a series of monthly data since 1990). */
const MAX_PERIODS = 500;
function clamp(value: unknown, low: number, high: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(high, Math.max(low, Math.trunc(value))) : fallback;
}

/** A field's cost: 1, plus its children's times the items it returns. */
function estimate({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  // Introspection reads the schema, a few hundred fixed items: it costs its fields, nothing more.
  if (field.name.startsWith('__') || type.name.startsWith('__')) return childComplexity;
  const name = `${type.name}.${field.name}`;
  // Page sizes as the resolvers take them: out-of-range values are refused there, and never lower the cost here.
  if (field.name === 'series') return 1 + childComplexity * clamp(args.first, 1, LIMITS.maxSeriesPage, 100);
  if (name === 'Series.observations') return 1 + childComplexity * clamp(args.last, 1, MAX_PERIODS, PERIODS_PER_SERIES);
  // Connections multiply once, at the series field: their edges and nodes are the page.
  if (type.name === 'SeriesConnection' && (field.name === 'edges' || field.name === 'nodes')) return 1 + childComplexity;
  const listed = String(field.type).replace(/!/g, '').startsWith('[');
  return 1 + childComplexity * (listed ? (LIST_SIZES[name] ?? DEFAULT_LIST) : 1);
}

/**
 * The cost of a document with its variables, kept per (parsed document, variables): mercurius
 * keeps one parsed document per query text, and apps repeat the same queries with the same
 * variables. Bounded per document.
 */
const costs = new WeakMap<DocumentNode, Map<string, number>>();
const COSTS_PER_DOCUMENT = 256;

function costOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): number {
  let byVariables = costs.get(document);
  if (!byVariables) costs.set(document, (byVariables = new Map()));
  const key = `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}`;
  let cost = byVariables.get(key);
  if (cost === undefined) {
    cost = getComplexity({ schema, query: document, variables: variables ?? {}, operationName, estimators: [estimate] });
    if (byVariables.size >= COSTS_PER_DOCUMENT) byVariables.clear();
    byVariables.set(key, cost);
  }
  return cost;
}

/** The operation a request runs (by name, or the only one). */
function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
}

/** Depth and aliases of an operation, fragments expanded (validation has refused fragment cycles). */
function measure(document: DocumentNode, operation: OperationDefinitionNode): { depth: number; aliases: number } {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  let aliases = 0;
  const depthOf = (set: SelectionSetNode | undefined, spread: ReadonlySet<string>): number => {
    let deepest = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        if (s.alias) aliases += 1;
        // Introspection (GraphiQL's query nests ofType seven deep) is bounded by the schema, not by data.
        if (s.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(s.selectionSet, spread));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(s.selectionSet, spread));
      } else if (!spread.has(s.name.value)) {
        deepest = Math.max(deepest, depthOf(fragments.get(s.name.value), new Set([...spread, s.name.value])));
      }
    }
    return deepest;
  };
  const depth = depthOf(operation.selectionSet, new Set());
  return { depth, aliases };
}

/**
 * Refuses, with QUERY_TOO_COMPLEX naming the limit, a validated operation that is too deep, has
 * too many aliases or costs too much with these variables; else its cost.
 */
export function checkComplexity(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): number {
  const operation = operationOf(document, operationName);
  if (!operation) return 0;
  const { depth, aliases } = measure(document, operation);
  if (depth > LIMITS.maxDepth) throw graphqlError('QUERY_TOO_COMPLEX', `The query is ${depth} fields deep; at most ${LIMITS.maxDepth} are allowed`, { limit: 'depth', maximum: LIMITS.maxDepth, actual: depth });
  if (aliases > LIMITS.maxAliases) throw graphqlError('QUERY_TOO_COMPLEX', `The query has ${aliases} aliases; at most ${LIMITS.maxAliases} are allowed`, { limit: 'aliases', maximum: LIMITS.maxAliases, actual: aliases });
  const cost = costOf(schema, document, variables, operationName);
  if (cost > LIMITS.maxCost) {
    throw graphqlError(
      'QUERY_TOO_COMPLEX',
      `The query costs ${cost}, more than the ${LIMITS.maxCost} allowed: ask for fewer series per page (first), fewer periods (observations(last:)) or drop history, and page with after`,
      { limit: 'cost', maximum: LIMITS.maxCost, actual: cost },
    );
  }
  return cost;
}
