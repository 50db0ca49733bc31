/**
 * The public reference metadata: which versions of which metadata sets are visible at an
 * instant, with the computed concepts filled in. What every metadata route asks.
 *
 * - Embargo is the data's: a version is visible at an instant exactly when its release is
 *   (visibility.ts, joined on the release code when asked, so releases created or moved later
 *   count at once). A version whose release is a draft, cancelled, in the future or unknown is
 *   absent, exactly as a version never written: no answer, count or digest tells them apart.
 *   An instant after now is now.
 * - Of the visible versions of a set, the newest (semantic version order) is the latest;
 *   earlier visible versions stay retrievable by their version and by an earlier instant.
 * - validFrom of a version is its release's instant. The computed concepts (annotation
 *   COMPUTED in the MSD) are filled at request time from the quality indicators at the same
 *   instant (computed-concepts.ts), so a version's figures grow with the data it describes.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { invalidParameter, ServiceError } from '../../errors.js';
import { CRIME_METADATA, type MetadataSet } from '../../sdmx/metadata/model.js';
import { refKey, type Dataflow, type MaintainableRef, type Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { parseInstant } from '../../sdmx/time-period.js';
import type { Repositories, StoredMetadataSet } from '../../storage/repositories.js';
import { pathNameOf } from '../catalogue/artefacts.js';
import type { QualityIndicators, QualityScope } from '../quality/index.js';
import { contentsOf, nestByStructure, type AttributeContent } from './attribute-tree.js';
import type { SourcedMetadataSet } from './check-metadata-set.js';
import { computedConcepts, DEFAULT_PUBLIC_PATHS, type PublicPaths } from './computed-concepts.js';
import { isPublicVersion, publicSince } from './public-versions.js';
import { isComputed, metadataflowRef, walkAttributes } from './report-structure.js';
import { compareSemver } from './semver.js';
import { setOfStoredBody } from './stored-body.js';

export interface MetadataSetQuery {
  /** A metadata set id, e.g. `MS_DF_CTS_HOMICIDE_KAZ`. */
  readonly setId?: string;
  /** The metadata provider's id (every set of ours: `UNODC`). */
  readonly providerId?: string;
  /** An exact version, `latest` (the default; also `~`) or `all` visible versions (also `*`). */
  readonly version?: string;
  /** `AGENCY:ID(VERSION)` or a bare dataflow id. */
  readonly dataflow?: string;
  /** An area code: its country notes; null: dataflow reports only; absent: both. */
  readonly area?: string | null;
  /** `Metadataflow=AGENCY:ID(VERSION)`, `AGENCY:ID(VERSION)` or a bare metadataflow id. */
  readonly metadataflow?: string;
  /** The instant (ISO-8601; default now; a later one is now). */
  readonly at?: string;
  /**
   * false: leave the computed concepts out (stubs, footnotes): they cost the quality indicators
   * of each set's scope, a scan of its data the first time. Default true.
   */
  readonly withComputed?: boolean;
}

/** One visible version of a set, as a version list shows it. */
export interface VisibleMetadataVersion {
  readonly version: string;
  readonly release: string | null;
  /** When it became public (its release's instant). */
  readonly validFrom: string;
}

/** Everything the JSON API's metadata answer of a dataflow (and area) is made of. */
export interface DataflowMetadata {
  /** `AGENCY:ID(VERSION)` */
  readonly dataflow: string;
  readonly area: string | null;
  /** The instant the answer is for (ISO-8601 UTC). */
  readonly at: string;
  /** The latest visible dataflow report, computed concepts filled with the dataflow's indicators. */
  readonly report: SourcedMetadataSet | null;
  /** The latest visible country note of the area, filled with the area's indicators. */
  readonly countryNote: SourcedMetadataSet | null;
  /** The area's indicators when an area is asked, else the dataflow's. */
  readonly indicators: QualityIndicators;
  /** The visible versions of each, oldest first. */
  readonly versions: { readonly report: readonly VisibleMetadataVersion[]; readonly countryNote: readonly VisibleMetadataVersion[] };
}

export interface MetadataServiceOptions {
  readonly repositories: Repositories;
  /** The structure registry of the moment (StructureService: its registry changes with API writes). */
  readonly structures: { readonly registry: StructureRegistry };
  readonly quality: { indicators(scope: QualityScope): Promise<QualityIndicators> };
  readonly clock: Clock;
  readonly paths?: PublicPaths;
}

/** A stored version visible at the instant, with the instant it became public. */
interface VisibleRow {
  readonly row: StoredMetadataSet;
  readonly validFrom: string;
}

const FULL_REF = /^([^:()=]+):([^:()]+)\(([^()]+)\)$/;
const LATEST = new Set(['latest', '~']);
const ALL = new Set(['all', '*']);

/** Matches a stored reference (`AGENCY:ID(VERSION)`, with `Class=` before it or not) against a full or bare one. */
function matchesRef(stored: string, asked: string): boolean {
  const plain = stored.slice(stored.indexOf('=') + 1);
  const askedPlain = asked.slice(asked.indexOf('=') + 1);
  if (FULL_REF.test(askedPlain)) return plain === askedPlain;
  return FULL_REF.exec(plain)?.[2] === askedPlain;
}

export class MetadataService {
  private readonly paths: PublicPaths;

  constructor(private readonly options: MetadataServiceOptions) {
    this.paths = options.paths ?? DEFAULT_PUBLIC_PATHS;
  }

  /** The structure registry of the moment: what a publisher's set is checked against (routes/api/metadata-sets.ts). */
  get registry(): StructureRegistry { return this.options.structures.registry; }

  /** The visible metadata sets the query names, computed concepts filled; ordered by set id, then version. */
  async sets(query: MetadataSetQuery = {}): Promise<SourcedMetadataSet[]> {
    const at = this.instantOf(query.at);
    let rows = this.visibleRows(at, query);
    if (query.providerId !== undefined) rows = rows.filter((r) => setOfStoredBody(r.row.body).provider?.id === query.providerId);
    const memo = new Map<string, Promise<QualityIndicators>>();
    const out: SourcedMetadataSet[] = [];
    const until = supersededAt(rows);
    for (const visible of this.select(rows, query.version ?? 'latest')) {
      const replaced = until.get(visible);
      const set = query.withComputed === false ? this.stored(visible) : await this.assemble(visible, replaced ?? at, memo);
      out.push(replaced ? { ...set, validTo: replaced } : set);
    }
    return out;
  }

  /**
   * The latest visible report of a dataflow and, when an area is given, its latest visible
   * country note, with the indicators of the area (or of the dataflow). An area without a note
   * still gets the dataflow's report and the area's indicators. Throws not-found
   * (`unknown-dataflow`) for a dataflow the structures do not define, invalid-input for an
   * area not in its codelist.
   */
  async report(dataflow: string, area?: string | null, at?: string): Promise<DataflowMetadata> {
    const instant = this.instantOf(at);
    const flow = this.dataflowOf(dataflow);
    const flowKey = `${flow.agencyID}:${flow.id}(${flow.version})`;
    const areaCode = area ?? null;
    const memo = new Map<string, Promise<QualityIndicators>>();
    const indicators = await this.indicatorsOf(flowKey, areaCode, instant, memo);
    const reportRows = this.visibleRows(instant, { dataflow: flowKey, area: null, metadataflow: refKey(metadataflowRef('report')) });
    const noteRows = areaCode === null ? [] : this.visibleRows(instant, { dataflow: flowKey, area: areaCode, metadataflow: refKey(metadataflowRef('countryNote')) });
    const latestOf = async (rows: readonly VisibleRow[]) => {
      const latest = this.select(rows, 'latest')[0];
      return latest ? this.assemble(latest, instant, memo) : null;
    };
    return {
      dataflow: flowKey,
      area: areaCode,
      at: instant,
      report: await latestOf(reportRows),
      countryNote: await latestOf(noteRows),
      indicators,
      versions: { report: versionsOf(reportRows), countryNote: versionsOf(noteRows) },
    };
  }

  /**
   * Names exactly which versions are visible at the instant (set, version, content and the
   * instant each became public): equal for two instants when the same versions are visible.
   * For ETags and cache keys; the computed concepts also follow the public data and calendar,
   * so an answer's tag needs the data's visible state (DataService.visibleStateId) beside it.
   */
  visibleStateTag(at?: string): string {
    const instant = this.instantOf(at);
    const lines = this.visibleRows(instant, {})
      .map(({ row, validFrom }) => `${row.agencyID}:${row.setID}(${row.version})#${row.sha256}@${validFrom}`)
      .sort();
    return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 16);
  }

  /** `at` as an ISO-8601 UTC instant, never later than now. */
  instantOf(at: string | undefined): string {
    const now = this.options.clock.now().getTime();
    if (at === undefined) return new Date(now).toISOString();
    const parsed = parseInstant(at);
    if (parsed === undefined) throw invalidParameter('asOf', `Invalid instant "${at}": expected an ISO-8601 date or date-time`);
    return new Date(Math.min(Date.parse(parsed), now)).toISOString();
  }

  /** Stored versions matching the query's filters (not its version) that are visible at `at`. */
  private visibleRows(at: string, query: Omit<MetadataSetQuery, 'version' | 'at' | 'providerId'>): VisibleRow[] {
    const rows = this.options.repositories.metadataSets.find({
      ...(query.setId !== undefined ? { setID: query.setId } : {}),
      ...(query.area !== undefined ? { area: query.area } : {}),
      ...(query.dataflow !== undefined && FULL_REF.test(query.dataflow) ? { dataflow: query.dataflow } : {}),
    });
    const releases = new Map(this.options.repositories.releases.list().map((r) => [r.code, r]));
    const out: VisibleRow[] = [];
    for (const row of rows) {
      if (query.dataflow !== undefined && !matchesRef(row.dataflow, query.dataflow)) continue;
      if (query.metadataflow !== undefined && !matchesRef(row.metadataflow, query.metadataflow)) continue;
      if (!isPublicVersion(row, releases, at)) continue;
      out.push({ row, validFrom: publicSince(row, releases) });
    }
    return out;
  }

  /** The versions asked of each set, ordered by set, then version. */
  private select(rows: readonly VisibleRow[], version: string): VisibleRow[] {
    const bySet = new Map<string, VisibleRow[]>();
    for (const r of rows) {
      const key = `${r.row.agencyID}:${r.row.setID}`;
      bySet.set(key, [...(bySet.get(key) ?? []), r]);
    }
    const out: VisibleRow[] = [];
    for (const key of [...bySet.keys()].sort()) {
      const versions = bySet.get(key)!.sort((a, b) => compareSemver(a.row.version, b.row.version));
      if (LATEST.has(version)) out.push(versions[versions.length - 1]!);
      else if (ALL.has(version)) out.push(...versions);
      else out.push(...versions.filter((v) => v.row.version === version));
    }
    return out;
  }

  /** The stored set with its validFrom and the computed concepts filled at `at`. */
  /** The stored set with its validFrom, as authored (no computed concept). */
  private stored(visible: VisibleRow): SourcedMetadataSet {
    return { ...setOfStoredBody(visible.row.body), validFrom: visible.validFrom };
  }

  private async assemble(visible: VisibleRow, at: string, memo: Map<string, Promise<QualityIndicators>>): Promise<SourcedMetadataSet> {
    const set = this.stored(visible);
    const attributes = this.reportAttributesOf(set);
    if (!attributes) return set;
    const computedIds = new Set([...walkAttributes(attributes)].filter(isComputed).map((a) => a.id));
    if (computedIds.size === 0) return set;
    const indicators = await this.indicatorsOf(visible.row.dataflow, visible.row.area, at, memo);
    const flow = this.options.structures.registry.get(set.target.dataflow);
    const computed = computedConcepts({
      indicators,
      validFrom: visible.validFrom,
      dataflow: set.target.dataflow,
      dataflowPath: flow ? pathNameOf(this.options.structures.registry, flow) : set.target.dataflow.id,
      area: visible.row.area,
      paths: this.paths,
      unitNames: flow?.class === 'Dataflow' ? this.unitNamesOf(flow) : undefined,
    });
    const contents = contentsOf(set.attributes);
    for (const [id, content] of computed) if (computedIds.has(id)) contents.set(id, content);
    return { ...set, attributes: nestByStructure(attributes, contents) };
  }

  /** The names of the UNIT_MEASURE codes of a dataflow's DSD (empty when it has no such dimension). */
  private unitNamesOf(flow: Dataflow): ReadonlyMap<string, Text> {
    const registry = this.options.structures.registry;
    const dsd = registry.get(flow.structure);
    const enumeration = dsd?.class === 'DataStructure' ? dsd.dimensions.find((d) => d.id === 'UNIT_MEASURE')?.localRepresentation?.enumeration : undefined;
    const codelist = enumeration ? registry.get(enumeration) : undefined;
    return new Map(codelist?.class === 'Codelist' ? codelist.items.map((c) => [c.id, c.name]) : []);
  }

  /** The attributes of the set's report structure; undefined if the structures no longer define it. */
  private reportAttributesOf(set: MetadataSet) {
    const msd = this.options.structures.registry.get(set.structure);
    if (msd?.class !== 'MetadataStructure') return undefined;
    return msd.reports.find((r) => r.id === set.reportID)?.attributes;
  }

  private indicatorsOf(dataflow: string, area: string | null, at: string, memo: Map<string, Promise<QualityIndicators>>): Promise<QualityIndicators> {
    const key = `${dataflow}|${area ?? ''}|${at}`;
    let known = memo.get(key);
    if (!known) {
      known = this.options.quality.indicators({ dataflow, ...(area !== null ? { area } : {}), at });
      memo.set(key, known);
    }
    return known;
  }

  /** The registry's dataflow for `AGENCY:ID(VERSION)` or a bare id (UNODC, version 1.0, as the metadata files name them). */
  private dataflowOf(dataflow: string): Dataflow {
    const full = FULL_REF.exec(dataflow);
    const ref: MaintainableRef = full
      ? { class: 'Dataflow', agencyID: full[1]!, id: full[2]!, version: full[3]! }
      : { class: 'Dataflow', agencyID: CRIME_METADATA.agencyID, id: dataflow, version: '1.0' };
    const found = this.options.structures.registry.get(ref);
    if (found?.class !== 'Dataflow') throw new ServiceError('not-found', `No dataflow ${ref.agencyID}:${ref.id}(${ref.version})`, { code: 'unknown-dataflow' });
    return found;
  }
}

function versionsOf(rows: readonly VisibleRow[]): VisibleMetadataVersion[] {
  return [...rows]
    .sort((a, b) => compareSemver(a.row.version, b.row.version))
    .map(({ row, validFrom }) => ({ version: row.version, release: row.releaseCode, validFrom }));
}

/**
 * For each version a later visible version replaced, the last instant it was the current one (1 ms
 * before its successor became public): an earlier version's computed figures are those of its own
 * time, not of today, so it reads as it did when it was the answer.
 */
function supersededAt(rows: readonly VisibleRow[]): Map<VisibleRow, string> {
  const bySet = new Map<string, VisibleRow[]>();
  for (const r of rows) {
    const key = `${r.row.agencyID}:${r.row.setID}`;
    bySet.set(key, [...(bySet.get(key) ?? []), r]);
  }
  const out = new Map<VisibleRow, string>();
  for (const versions of bySet.values()) {
    versions.sort((a, b) => compareSemver(a.row.version, b.row.version));
    for (let i = 0; i + 1 < versions.length; i++) {
      const next = Date.parse(versions[i + 1]!.validFrom);
      if (next > Date.parse(versions[i]!.validFrom)) out.set(versions[i]!, new Date(next - 1).toISOString());
    }
  }
  return out;
}
