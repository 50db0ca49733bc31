/**
 * Resolves what a data or availability query targets: one dataflow, its DSD, and the provision
 * agreements that supply it (all of them, or those of the requested providers). REST 2.x can
 * name a dataflow, a DSD or a provision agreement; REST 1.x always a dataflow.
 */
import type { DataStructure, Dataflow, ProvisionAgreement } from '../../sdmx/model.js';
import type { ArtefactSelector, DataSelection, ProviderSelector } from '../../sdmx/data/query.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { compareVersions, isLatestPattern, isStable, matchesVersionPattern } from '../../sdmx/structure-query/versions.js';
import { ServiceError } from '../../errors.js';

export interface DataTarget {
  readonly dataflow: Dataflow;
  /** `AGENCY:ID(VERSION)`, as stored with series and releases. */
  readonly flowKey: string;
  readonly dsd: DataStructure;
  /** Providers (`AGENCY:ID`) whose series the query may return; undefined = any. */
  readonly providers?: ReadonlySet<string>;
  /** The one provision agreement the query named or narrowed to, for the message header. */
  readonly provisionAgreement?: ProvisionAgreement;
}

export function flowKeyOf(flow: Dataflow): string {
  return `${flow.agencyID}:${flow.id}(${flow.version})`;
}

/** Artefacts matching agency/id/version selectors, latest-only when the version asks for it. */
function select<T extends { agencyID: string; id: string; version: string }>(all: readonly T[], s: ArtefactSelector): T[] {
  const matches = all.filter(
    (a) =>
      (s.agencyId === '*' || a.agencyID === s.agencyId) &&
      (s.id === '*' || a.id === s.id) &&
      (s.version === '*' ||
        s.version === 'latest' ||
        s.version === '~' ||
        // A bare `+` is the latest stable version (REST 2.x querying_versions.md).
        (s.version === '+' ? isStable(a.version) : matchesVersionPattern(a.version, s.version))),
  );
  const latestOnly = s.version === 'latest' || s.version === '~' || isLatestPattern(s.version);
  if (!latestOnly) return matches;
  const best = new Map<string, T>();
  for (const a of matches) {
    const k = `${a.agencyID}:${a.id}`;
    const cur = best.get(k);
    // `~`/latest prefer stable versions (REST 2.x querying_versions.md).
    const better = !cur || (isStable(a.version) && !isStable(cur.version)) || (isStable(a.version) === isStable(cur.version) && compareVersions(a.version, cur.version) > 0);
    if (better) best.set(k, a);
  }
  return [...best.values()];
}

function providerKey(pa: ProvisionAgreement): string {
  return `${pa.dataProvider.scheme.agencyID}:${pa.dataProvider.id}`;
}

function providerMatches(pa: ProvisionAgreement, s: ProviderSelector): boolean {
  return pa.dataProvider.id === s.id && (s.agencyId === undefined || pa.dataProvider.scheme.agencyID === s.agencyId);
}

export function resolveDataTarget(registry: StructureRegistry, q: DataSelection): DataTarget {
  const flows = registry.ofClass('Dataflow') as Dataflow[];
  const agreements = registry.ofClass('ProvisionAgreement') as ProvisionAgreement[];
  let candidates: { flow: Dataflow; pa?: ProvisionAgreement }[] = [];
  const tryContext = (ctx: string) => {
    if (ctx === 'dataflow') return select(flows, q.flow).map((flow) => ({ flow }));
    if (ctx === 'provisionagreement') {
      return select(agreements, q.flow).flatMap((pa) => {
        const flow = registry.get(pa.structureUsage);
        return flow?.class === 'Dataflow' ? [{ flow, pa }] : [];
      });
    }
    const dsds = select(registry.ofClass('DataStructure') as DataStructure[], q.flow);
    return flows
      .filter((f) => dsds.some((d) => d.agencyID === f.structure.agencyID && d.id === f.structure.id && d.version === f.structure.version))
      .map((flow) => ({ flow }));
  };
  for (const ctx of q.context === '*' ? ['dataflow', 'provisionagreement', 'datastructure'] : [q.context]) {
    candidates = tryContext(ctx);
    if (candidates.length) break;
  }
  if (candidates.length === 0) {
    const what = q.context === '*' || q.context === 'dataflow' ? 'dataflow' : q.context;
    throw new ServiceError('not-found', `No ${what} matches ${q.flow.agencyId},${q.flow.id},${q.flow.version}`, { code: 'unknown-dataflow' });
  }
  if (new Set(candidates.map((c) => flowKeyOf(c.flow))).size > 1) {
    throw new ServiceError('not-implemented', `The query matches ${candidates.length} dataflows; this service answers data queries for one dataflow at a time`);
  }
  const flow = candidates[0]!.flow;
  const dsd = registry.get(flow.structure);
  if (dsd?.class !== 'DataStructure') throw new Error(`Dataflow ${flowKeyOf(flow)} has no data structure`);

  const flowAgreements = agreements.filter(
    (pa) => pa.structureUsage.agencyID === flow.agencyID && pa.structureUsage.id === flow.id && pa.structureUsage.version === flow.version,
  );
  let chosen: ProvisionAgreement[] | undefined;
  const namedPa = candidates.flatMap((c) => (c.pa ? [c.pa] : []));
  if (namedPa.length) chosen = namedPa;
  if (q.providers) {
    const byProvider = flowAgreements.filter((pa) => q.providers!.some((p) => providerMatches(pa, p)));
    chosen = chosen ? chosen.filter((pa) => byProvider.includes(pa)) : byProvider;
    if (chosen.length === 0) {
      const names = q.providers.map((p) => (p.agencyId ? `${p.agencyId},${p.id}` : p.id)).join('+');
      throw new ServiceError('not-found', `No data provider ${names} supplies dataflow ${flowKeyOf(flow)}`);
    }
  }
  return {
    dataflow: flow,
    flowKey: flowKeyOf(flow),
    dsd,
    providers: chosen ? new Set(chosen.map(providerKey)) : undefined,
    provisionAgreement: chosen?.length === 1 ? chosen[0] : undefined,
  };
}
