/**
 * Availability queries (REST 1.x `availableconstraint`, 2.x `availability`): the Actual content
 * constraint that describes what a data query returns from the data visible now, followed by
 * the structures it references, cut down to what the constraint uses (REST v2.0.0
 * availability.md).
 *
 * - mode `exact`: the codes of the series the data query returns, i.e. series matching the query
 *   with at least one current observation that passes the observation filters;
 * - mode `available`: per dimension, its codes among the series matching the query with that
 *   dimension's own selection removed (the choices that still add data to the current query);
 * - ReferencePeriod and the `sdmx_metrics` annotations describe the exact result. The period is
 *   clipped to the query's time window: an annual observation overlapping `endPeriod=2020-01` is
 *   returned by the data query, but the data do not then extend to December 2020.
 *
 * Observations come through `DataService.prepare().items()`, so "current value", updatedAfter,
 * asOf and every filter mean exactly what they mean for the equivalent data query. Given a
 * visible release, the plan reads that release's rows alone (`DataService.releaseOnlyView`):
 * what it wrote, for the per-release Actual constraints of the structure API.
 */
import {
  refOf,
  type Annotation,
  type Codelist,
  type ContentConstraint,
  type DataStructure,
  type ItemScheme,
  type KeyValueSet,
  type Maintainable,
  type MaintainableRef,
  type ProvisionAgreement,
  type ReferencePeriod,
} from '../../sdmx/model.js';
import type { AvailabilityQuery, AvailabilityReference, DataSelection, KeyPattern } from '../../sdmx/data/query.js';
import { periodRange, type PeriodRange } from '../../sdmx/time-period.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import type { StructureService } from '../structure-service.js';
import { codelistOf, type DataService, type FlowView } from './data-service.js';
import { buildSelection, type Selection } from './selection.js';
import type { DataTarget } from './target.js';
import type { VisibleRelease } from '../visibility.js';
import { ServiceError } from '../../errors.js';
import { runAtOnce, runInTurns, type Pausable } from '../turns.js';

export interface AvailabilityPlan {
  /** Changes exactly when the visible data or a structure behind the answer changes. */
  readonly fingerprint: string;
  readonly lastModified: Date;
  /** The constraint, then the referenced structures; reads the data (call after the 304 check). */
  artefacts(): Maintainable[];
  /** The same, computed in turns (services/turns.ts): other requests are served in between. */
  artefactsInTurns(): Promise<Maintainable[]>;
}

/** Pause points of the scan: one every this many series (a check of the clock, not a pause). */
const SERIES_PER_PAUSE_POINT = 64;

/** What the scan found. */
interface Summary {
  readonly codes: Map<string, Set<string>>;
  /** Providers (`AGENCY:ID`) of the series behind the codes. */
  readonly providers: Set<string>;
  series: number;
  observations: number;
  start?: string;
  end?: string;
}

type Component = DataStructure['dimensions'][number] | DataStructure['timeDimension'];

/**
 * Resolves and checks the query (404 unknown flow; 400 bad key, filter or componentId) without
 * reading observations, so that validators are known before any work.
 */
export function planAvailability(data: DataService, structures: StructureService, q: AvailabilityQuery, release?: VisibleRelease): AvailabilityPlan {
  const { target, view: visible } = data.target(q);
  // One release alone (what it wrote for the dataflow), for the per-release Actual constraints
  // of the structure API (actual-constraints.ts); the caller passes a release visible now.
  const view = release ? data.releaseOnlyView(target, release) : visible;
  const { dsd } = target;
  const components = requestedComponents(dsd, q.componentId);
  const exact = buildSelection(dsd, q, target.providers);
  const referenced = referencedStructures(structures.registry, target, components, q.references);
  const codelists = components.map((c) => codelistOf(structures, dsd, c.id)).filter((c): c is Codelist => c !== undefined);
  const structuresModified = structures.lastModifiedOf([target.dataflow, dsd, ...codelists, ...referenced]);
  const artefactsOf = (summary: Summary) => {
    const constraint = actualConstraint(target, components, summary, structures, exact);
    return [constraint, ...referenced.flatMap((a) => reduced(a, constraint, components, summary))];
  };
  const summarising = () => summarise(data, target, view, q, components, exact, release);
  return {
    fingerprint: `${view.fingerprint}|${structuresModified.toISOString()}`,
    lastModified: new Date(Math.max(view.lastModified.getTime(), structuresModified.getTime())),
    artefacts: () => artefactsOf(runAtOnce(summarising())),
    artefactsInTurns: async () => artefactsOf(await runInTurns(summarising())),
  };
}

/** Every dimension but time, or the one named by componentId (the time dimension gives the period only). */
function requestedComponents(dsd: DataStructure, componentId: string | undefined): Component[] {
  if (componentId === undefined) return [...dsd.dimensions];
  if (componentId === dsd.timeDimension.id) return [dsd.timeDimension];
  const dimension = dsd.dimensions.find((d) => d.id === componentId);
  if (!dimension) {
    const ids = [...dsd.dimensions, dsd.timeDimension].map((d) => d.id).join(', ');
    throw new ServiceError('invalid-input', `componentId ${componentId} is not a dimension of ${dsd.id} (dimensions: ${ids})`);
  }
  return [dimension];
}

const wildcarded = (key: KeyPattern, position: number): KeyPattern => key.map((codes, i) => (i === position ? undefined : codes));

/** The query with one dimension's selection removed: its key position wildcarded, c[D] dropped. */
function relaxed(q: DataSelection, dsd: DataStructure, dimensionId: string): DataSelection {
  const position = dsd.dimensions.findIndex((d) => d.id === dimensionId);
  return { ...q, keys: q.keys?.map((k) => wildcarded(k, position)), filters: q.filters.filter((f) => f.component !== dimensionId) };
}

function dataQueryOf(q: DataSelection) {
  const { api, context, flow, keys, providers, filters, startPeriod, endPeriod, updatedAfter, asOf } = q;
  return { api, context, flow, keys, providers, filters, startPeriod, endPeriod, updatedAfter, asOf, detail: 'dataonly' as const, includeHistory: false };
}

/** The scan, pausing between pages of series (storage is read a page at a time, never left open across a pause). */
function* summarise(
  data: DataService,
  target: DataTarget,
  view: FlowView,
  q: AvailabilityQuery,
  components: readonly Component[],
  exact: Selection,
  release: VisibleRelease | undefined,
): Pausable<Summary> {
  const { dsd } = target;
  const dimensions = components.filter((c) => c.id !== dsd.timeDimension.id);
  const loosened =
    q.mode === 'available' && dimensions.length ? dimensions.map((d) => [d.id, buildSelection(dsd, relaxed(q, dsd, d.id), target.providers)] as const) : undefined;
  // One read serves every relaxed selection: each key with one requested position wildcarded,
  // and no dimension filter. It contains all of them (providers and observation filters still
  // narrow it) and, for a narrow key, stays far smaller than the whole dataflow.
  const dimensionIds = new Set(dsd.dimensions.map((d) => d.id));
  const positions = dimensions.map((d) => dsd.dimensions.findIndex((x) => x.id === d.id));
  const read: DataSelection = loosened
    ? { ...q, keys: q.keys?.flatMap((k) => positions.map((p) => wildcarded(k, p))), filters: q.filters.filter((f) => !dimensionIds.has(f.component)) }
    : q;
  const summary: Summary = { codes: new Map(dimensions.map((d) => [d.id, new Set<string>()])), providers: new Set(), series: 0, observations: 0 };
  const ranges = new Map<string, PeriodRange | undefined>();
  const prepared = release ? data.prepareOver(dataQueryOf(read), view) : data.prepare(dataQueryOf(read));
  let seen = 0;
  for (const item of prepared.items()) {
    if (item.kind !== 'series') continue;
    if (++seen % SERIES_PER_PAUSE_POINT === 0) yield;
    const stored = view.seriesWithCodes(dsd.dimensions.map((d) => item.series.key[d.id]!));
    if (!stored) continue;
    const codes = stored.dimensions;
    if (exact.matchesSeries(stored)) {
      summary.series += 1;
      summary.observations += item.series.observations.length;
      for (const o of item.series.observations) {
        if (!ranges.has(o.at!)) ranges.set(o.at!, periodRange(o.at!));
        const r = ranges.get(o.at!);
        if (r && (summary.start === undefined || r.start < summary.start)) summary.start = r.start;
        if (r && (summary.end === undefined || r.end > summary.end)) summary.end = r.end;
      }
      if (!loosened) {
        for (const d of dimensions) summary.codes.get(d.id)!.add(codes[d.id]!);
        summary.providers.add(stored.provider);
      }
    }
    for (const [id, selection] of loosened ?? []) {
      if (!selection.matchesSeries(stored)) continue;
      summary.codes.get(id)!.add(codes[id]!);
      summary.providers.add(stored.provider);
    }
  }
  return summary;
}

const withoutMilliseconds = (instant: string) => instant.replace(/\.\d{3}Z$/, 'Z');

function referencePeriodOf(summary: Summary, exact: Selection): ReferencePeriod | undefined {
  if (summary.start === undefined || summary.end === undefined) return undefined;
  const { periodEndFrom: from, periodStartTo: to } = exact.observations;
  const start = from !== undefined && from > summary.start ? from : summary.start;
  const end = to !== undefined && to < summary.end ? to : summary.end;
  return { startTime: withoutMilliseconds(start), endTime: withoutMilliseconds(end) };
}

/** Codes in codelist order; codes the codelist lacks (should not happen) last, sorted. */
function inCodelistOrder(codes: ReadonlySet<string>, codelist: Codelist | undefined): string[] {
  const rank = new Map(codelist?.items.map((c, i) => [c.id, i]) ?? []);
  const last = Number.MAX_SAFE_INTEGER;
  return [...codes].sort((a, b) => (rank.get(a) ?? last) - (rank.get(b) ?? last) || (a < b ? -1 : a > b ? 1 : 0));
}

function actualConstraint(
  target: DataTarget,
  components: readonly Component[],
  summary: Summary,
  structures: StructureService,
  exact: Selection,
): ContentConstraint {
  const flow = target.dataflow;
  const keyValues: KeyValueSet[] = [];
  for (const c of components) {
    const codes = summary.codes.get(c.id);
    // SDMX-ML requires at least one Value per KeyValue: a dimension without codes is left out.
    if (codes?.size) keyValues.push({ id: c.id, values: inCodelistOrder(codes, codelistOf(structures, target.dsd, c.id)) });
  }
  const annotations: Annotation[] =
    summary.series > 0
      ? [
          { id: 'series_count', title: String(summary.series), type: 'sdmx_metrics' },
          { id: 'obs_count', title: String(summary.observations), type: 'sdmx_metrics' },
        ]
      : [];
  const referencePeriod = referencePeriodOf(summary, exact);
  return {
    class: 'ContentConstraint',
    id: `CC_${flow.id}_AVAILABILITY`,
    agencyID: flow.agencyID,
    version: '1.0',
    isFinal: false,
    name: { en: `Data available in ${flow.name.en ?? flow.id}` },
    ...(annotations.length ? { annotations } : {}),
    constraintType: 'Actual',
    constraintAttachment: [refOf(flow)],
    cubeRegions: [{ include: true, keyValues }],
    ...(referencePeriod ? { referencePeriod } : {}),
  };
}

function sameArtefact(a: MaintainableRef, b: MaintainableRef): boolean {
  return a.agencyID === b.agencyID && a.id === b.id && a.version === b.version;
}

/** The structures `references` asks for, whole; `reduced` cuts the item schemes afterwards. */
function referencedStructures(
  registry: StructureRegistry,
  target: DataTarget,
  components: readonly Component[],
  references: readonly AvailabilityReference[],
): Maintainable[] {
  const wants = (r: AvailabilityReference) => references.includes(r) || references.includes('all');
  const out: Maintainable[] = [];
  const add = (ref: MaintainableRef | undefined) => {
    const a = ref ? registry.get(ref) : undefined;
    if (a && !out.includes(a)) out.push(a);
  };
  if (wants('dataflow')) out.push(target.dataflow);
  if (wants('datastructure')) out.push(target.dsd);
  if (wants('codelist')) for (const c of components) add(c.localRepresentation?.enumeration);
  if (wants('conceptscheme')) for (const c of components) add(c.conceptIdentity.scheme);
  if (wants('dataproviderscheme')) {
    const flow = refOf(target.dataflow);
    for (const pa of registry.ofClass('ProvisionAgreement') as ProvisionAgreement[]) {
      if (sameArtefact(pa.structureUsage, flow)) add(pa.dataProvider.scheme);
    }
  }
  return out;
}

/**
 * Item schemes keep what the constraint uses: codelists the codes of the dimensions they
 * enumerate plus their ancestors, concept schemes the concepts of the requested components,
 * provider schemes the providers behind the codes. Schemes left empty are left out.
 */
function reduced(a: Maintainable, constraint: ContentConstraint, components: readonly Component[], summary: Summary): Maintainable[] {
  const self = refOf(a);
  switch (a.class) {
    case 'Codelist': {
      const byId = new Map(a.items.map((c) => [c.id, c]));
      const enumerated = new Set(components.filter((c) => c.localRepresentation?.enumeration && sameArtefact(c.localRepresentation.enumeration, self)).map((c) => c.id));
      const keep = new Set<string>();
      for (const kv of constraint.cubeRegions[0]!.keyValues) {
        if (!enumerated.has(kv.id)) continue;
        for (const v of kv.values) for (let code = byId.get(v); code && !keep.has(code.id); code = byId.get(code.parentID ?? '')) keep.add(code.id);
      }
      return keep.size ? [withItems(a, (id) => keep.has(id))] : [];
    }
    case 'ConceptScheme': {
      const used = new Set(components.filter((c) => sameArtefact(c.conceptIdentity.scheme, self)).map((c) => c.conceptIdentity.id));
      return used.size ? [withItems(a, (id) => used.has(id))] : [];
    }
    case 'DataProviderScheme': {
      const prefix = `${a.agencyID}:`;
      const providers = new Set([...summary.providers].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)));
      return providers.size ? [withItems(a, (id) => providers.has(id))] : [];
    }
    default:
      return [a];
  }
}

function withItems<S extends ItemScheme>(scheme: S, keep: (id: string) => boolean): S {
  const items = scheme.items.filter((i) => keep(i.id));
  return items.length === scheme.items.length ? scheme : ({ ...scheme, items, isPartial: true } as S);
}
