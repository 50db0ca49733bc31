/**
 * Correspondence tables (national offence code → ICCS code) as SDMX structures: each table is a
 * national Codelist plus a RepresentationMap from it to the ICCS codelist, created over the API
 * (storage source `api:correspondence:<actor>`) and served by the structure API like any other
 * artefact. A table is saved, replaced and removed whole, in one transaction.
 *
 * Choices:
 * - The map targets UNODC:CL_ICCS(1.0). When a row maps to one of the codes CL_OFFENCE adds to
 *   ICCS (`_T`, `_Z`, `0703_OTH`), it targets UNODC:CL_OFFENCE(1.0) instead, which holds every
 *   ICCS code with the same id, so every target code resolves.
 * - Codelist and map share the table's agency and version. The agency must be listed in an
 *   agency scheme the server holds: SDMX artefacts are maintained by known agencies.
 * - Tables are not final (isFinal false): one can be replaced under the same version.
 * - Storage goes through StructureService, which also rebuilds the catalogue after each change.
 */
import type { Clock } from '../../clock.js';
import { ServiceError } from '../../errors.js';
import { refOf, type Codelist, type MaintainableRef, type RepresentationMap } from '../../sdmx/model.js';
import { compareVersions } from '../../sdmx/structure-query/versions.js';
import { StructureChangeError, type StructureService } from '../structure-service.js';
import { codelistOf, definitionOf, mapOf, mappingsOf, summaryOf, textOf, type CorrespondenceDefinition, type CorrespondenceSummary } from './artefacts.js';
import { parseCorrespondenceCsv, type CorrespondenceCsvError, type CorrespondenceCsvResult } from './csv.js';
import { CorrespondenceLookup } from './lookup.js';
import { CODE_ID, rowProblems, type CorrespondenceRow } from './rows.js';

export type { CorrespondenceDefinition, CorrespondenceSummary } from './artefacts.js';

export const ICCS_CODELIST: MaintainableRef = { class: 'Codelist', agencyID: 'UNODC', id: 'CL_ICCS', version: '1.0' };
export const OFFENCE_CODELIST: MaintainableRef = { class: 'Codelist', agencyID: 'UNODC', id: 'CL_OFFENCE', version: '1.0' };

const SOURCE_PREFIX = 'api:correspondence:';
const AGENCY_ID = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;
/** Two or three numeric parts: addressable on both REST APIs (2.1 `1.0`, 3.0 `1.0.0`). */
const VERSION = /^\d+\.\d+(\.\d+)?$/;
const MAX_ROWS = 20_000;

export interface CorrespondenceProblem {
  /** Where: a field of the definition (`agencyId`, `rows[3].iccsCode`...). */
  readonly field: string;
  readonly value?: string;
  readonly message: string;
}

/**
 * A table refused whole, every problem listed in the `errors` extension: `unprocessable`
 * (invalid-correspondence-table) when it breaks a rule, `conflict` (correspondence-conflict)
 * when it clashes with what is stored.
 */
function refused(kind: 'unprocessable' | 'conflict', problems: readonly (CorrespondenceProblem | CorrespondenceCsvError)[], where = ''): ServiceError {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return new ServiceError(kind, `${count}${where}; nothing was stored`, {
    code: kind === 'conflict' ? 'correspondence-conflict' : 'invalid-correspondence-table',
    extensions: { errors: problems },
  });
}

const identity = (r: { agencyID: string; id: string; version: string }) => `${r.agencyID}:${r.id}(${r.version})`;
const mapRef = (agencyID: string, id: string, version: string): MaintainableRef => ({ class: 'RepresentationMap', agencyID, id, version });

/** A correspondence table maps offence codes to ICCS: its map targets CL_ICCS or CL_OFFENCE. */
function isCorrespondenceTable(map: RepresentationMap): boolean {
  return identity(map.target) === identity(ICCS_CODELIST) || identity(map.target) === identity(OFFENCE_CODELIST);
}

export class CorrespondenceService {
  constructor(
    private readonly structures: StructureService,
    private readonly clock: Clock,
  ) {}

  /** The codes a table may map to: CL_ICCS, plus the codes CL_OFFENCE adds to it. */
  iccsCodes(): Set<string> {
    return new Set([...this.codesOf(ICCS_CODELIST), ...this.codesOf(OFFENCE_CODELIST)]);
  }

  /** Reads a CSV table against the ICCS codes held (see csv.ts). */
  parseCsv(text: string): CorrespondenceCsvResult {
    return parseCorrespondenceCsv(text, this.iccsCodes());
  }

  /** The rows of a CSV table; throws an invalid-correspondence-table ServiceError listing every problem (line, column, value). */
  rowsOfCsv(text: string): CorrespondenceRow[] {
    const parsed = this.parseCsv(text);
    if ('errors' in parsed) throw refused('unprocessable', parsed.errors, ' in the CSV');
    return parsed.rows;
  }

  /**
   * Creates or replaces a table whole. Throws a ServiceError: invalid-correspondence-table for
   * broken rules (all of them listed), correspondence-conflict when an id belongs to another
   * artefact. Nothing is written then.
   */
  save(def: CorrespondenceDefinition, actor: string): { created: boolean; artefacts: MaintainableRef[]; removed: MaintainableRef[] } {
    const problems = this.definitionProblems(def, actor);
    if (problems.length) throw refused('unprocessable', problems);

    const registry = this.structures.registry;
    const ref = mapRef(def.agencyId, def.id, def.version);
    const codelistRef: MaintainableRef = { class: 'Codelist', agencyID: def.agencyId, id: def.codelistId, version: def.version };
    const previous = registry.get(ref) as RepresentationMap | undefined;
    const ownCodelist = previous !== undefined && identity(previous.source) === identity(codelistRef);
    const holderOf = (r: MaintainableRef) => registry.artefacts.find((a) => identity(a) === identity(r));
    const conflicts: CorrespondenceProblem[] = [];
    const mapHolder = holderOf(ref);
    if (mapHolder && mapHolder.class !== 'RepresentationMap') {
      conflicts.push({ field: 'id', value: def.id, message: `${identity(ref)} is already a ${mapHolder.class}` });
    } else if (mapHolder && !isCorrespondenceTable(mapHolder)) {
      conflicts.push({ field: 'id', value: def.id, message: `${identity(ref)} is already a representation map to ${identity(mapHolder.target)}, not a correspondence table` });
    }
    const codelistHolder = holderOf(codelistRef);
    if (codelistHolder && !ownCodelist) {
      conflicts.push({ field: 'codelistId', value: def.codelistId, message: `${identity(codelistRef)} already exists (${codelistHolder.class}) and is not this table's codelist` });
    }
    if (conflicts.length) throw refused('conflict', conflicts);

    const iccsOnly = new Set(this.codesOf(ICCS_CODELIST));
    const target = mappingsOf(def).every((m) => iccsOnly.has(m.target)) ? ICCS_CODELIST : OFFENCE_CODELIST;
    const removed = previous && !ownCodelist ? this.orphanedBy(previous) : [];
    this.apply({ store: [codelistOf(def, codelistRef), mapOf(def, codelistRef, target)], remove: removed }, actor.trim());
    return { created: !previous, artefacts: [codelistRef, ref], removed };
  }

  list(): CorrespondenceSummary[] {
    return this.tables().map((m) => this.summary(m));
  }

  /** A table as defined, with its summary (the latest version when none is given); undefined when there is none. */
  get(agencyId: string, id: string, version?: string): { definition: CorrespondenceDefinition; summary: CorrespondenceSummary } | undefined {
    const map = this.find(agencyId, id, version);
    if (!map) return undefined;
    return { definition: definitionOf(map, this.codelist(map)), summary: this.summary(map) };
  }

  /**
   * Removes a table: its map, and its national codelist when nothing else uses it. False when
   * there is no such table; a correspondence-conflict ServiceError when the stored structures
   * refuse the change.
   */
  remove(agencyId: string, id: string, version: string, actor: string): { removed: MaintainableRef[] } | false {
    const map = this.structures.registry.get(mapRef(agencyId, id, version));
    if (map?.class !== 'RepresentationMap' || !isCorrespondenceTable(map)) return false;
    const removed = [refOf(map), ...this.orphanedBy(map)];
    this.apply({ store: [], remove: removed }, actor.trim() || 'unknown');
    return { removed };
  }

  /** Lookup of national codes in a table (the latest version when none is given); undefined when there is none. */
  lookup(agencyId: string, id: string, version?: string): CorrespondenceLookup | undefined {
    const map = this.find(agencyId, id, version);
    return map && new CorrespondenceLookup(map, this.codelist(map));
  }

  // -------------------------------------------------------------------------------------------

  private apply(change: { store: (Codelist | RepresentationMap)[]; remove: MaintainableRef[] }, actor: string): void {
    try {
      this.structures.applyApiChange({ ...change, source: `${SOURCE_PREFIX}${actor}` }, this.clock.now().toISOString());
    } catch (err) {
      if (err instanceof StructureChangeError) throw refused('conflict', err.problems.map((message) => ({ field: 'table', message })));
      throw err;
    }
  }

  private definitionProblems(def: CorrespondenceDefinition, actor: string): CorrespondenceProblem[] {
    const problems: CorrespondenceProblem[] = [];
    const add = (field: string, value: string | undefined, message: string) => problems.push({ field, value, message });
    if (!actor.trim()) add('actor', actor, 'Who saves the table must be given');
    if (!AGENCY_ID.test(def.agencyId ?? '')) add('agencyId', def.agencyId, 'Not a valid SDMX agency id (a letter, then letters, digits, _ or -)');
    else {
      const agencies = this.structures.registry.ofClass('AgencyScheme').flatMap((s) => (s.class === 'AgencyScheme' ? s.items.map((a) => a.id) : []));
      if (agencies.length && !agencies.includes(def.agencyId)) add('agencyId', def.agencyId, `Unknown agency: the agency schemes list ${agencies.join(', ')}`);
    }
    for (const [field, value] of [['id', def.id], ['codelistId', def.codelistId]] as const) {
      if (!CODE_ID.test(value ?? '')) add(field, value, 'Not a valid SDMX id (letters, digits, _ @ $ or -)');
    }
    if (def.id && def.id === def.codelistId) add('codelistId', def.codelistId, 'The codelist needs an id of its own: agency, id and version identify one artefact of any type');
    if (!VERSION.test(def.version ?? '')) add('version', def.version, 'Expected a version such as 1.0 or 1.0.0');
    for (const [field, value] of [['name', def.name], ['description', def.description], ['codelistName', def.codelistName]] as const) {
      if (value === undefined && field !== 'name') continue;
      if (!textOf(value)?.en?.trim()) add(field, undefined, 'An English text (en) is required');
    }
    const iccs = this.iccsCodes();
    if (iccs.size === 0) add('rows', undefined, `The ICCS codelist ${identity(ICCS_CODELIST)} is not loaded`);
    const rows = def.rows ?? [];
    if (rows.length === 0) add('rows', undefined, 'The table has no rows');
    else if (rows.length > MAX_ROWS) add('rows', String(rows.length), `At most ${MAX_ROWS} rows`);
    else if (!rows.some((r) => r.iccsCode)) add('rows', undefined, 'No national code is mapped to an ICCS code');
    const fieldOf = { NATIONAL_CODE: 'nationalCode', NATIONAL_NAME: 'nationalName', ICCS_CODE: 'iccsCode' } as const;
    for (const p of rowProblems(rows, iccs, (i) => `rows[${i}]`)) add(`rows[${p.index}].${fieldOf[p.column]}`, p.value, p.message);
    return problems;
  }

  private codesOf(ref: MaintainableRef): string[] {
    const cl = this.structures.registry.get(ref);
    return cl?.class === 'Codelist' ? cl.items.map((c) => c.id) : [];
  }

  private codelist(map: RepresentationMap): Codelist | undefined {
    const cl = this.structures.registry.get(map.source);
    return cl?.class === 'Codelist' ? cl : undefined;
  }

  /** The national codelist of a map, when it came from the API and nothing but the map uses it. */
  private orphanedBy(map: RepresentationMap): MaintainableRef[] {
    const codelist = this.structures.registry.get(map.source);
    if (!codelist || !this.structures.storedOf(map.source)?.source.startsWith('api:')) return [];
    const users = this.structures.registry.parentsOf(codelist).filter((p) => identity(p) !== identity(map));
    return users.length ? [] : [map.source];
  }

  private find(agencyId: string, id: string, version?: string): RepresentationMap | undefined {
    let best: RepresentationMap | undefined;
    for (const m of this.tables()) {
      if (m.agencyID !== agencyId || m.id !== id || (version !== undefined && m.version !== version)) continue;
      if (!best || compareVersions(m.version, best.version) > 0) best = m;
    }
    return best;
  }

  /** The representation maps that are correspondence tables (the others map to SDG codelists, say). */
  private tables(): RepresentationMap[] {
    return (this.structures.registry.ofClass('RepresentationMap') as RepresentationMap[]).filter(isCorrespondenceTable);
  }

  private summary(map: RepresentationMap): CorrespondenceSummary {
    const stored = this.structures.storedOf(refOf(map));
    const updatedBy = stored?.source.startsWith(SOURCE_PREFIX) ? stored.source.slice(SOURCE_PREFIX.length) : undefined;
    return summaryOf(map, this.codelist(map), stored && { storedAt: stored.storedAt, updatedBy });
  }
}
