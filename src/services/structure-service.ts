/**
 * The structure catalogue: loads `sdmx/` into storage at start-up (only what changed is
 * rewritten), then serves queries from an in-memory registry built from what is stored.
 * Each answer carries the instant its newest artefact was stored, for Last-Modified.
 *
 * Two kinds of artefact share storage: those of the structure files, which start-up makes equal
 * to the files, and those created over the API (source `api:...`, e.g. correspondence tables),
 * which start-up leaves alone and `applyApiChange` writes. After each API change the registry is
 * rebuilt from storage, so queries, Last-Modified and ETags move with it.
 */
import { refKey, refOf, type Maintainable, type MaintainableRef } from '../sdmx/model.js';
import type { StructureQuery } from '../sdmx/structure-query/query.js';
import { StructureRegistry } from '../sdmx/structure-query/registry.js';
import { StructureResolver } from '../sdmx/structure-query/resolve.js';
import { itemReferenceProblems } from '../sdmx/structure-query/integrity.js';
import type { Clock } from '../clock.js';
import { API_SOURCE_PREFIX, StorageConflictError, type Repositories, type StoredArtefact, type SyncReport } from '../storage/repositories.js';
import { readStructureFiles, StructureLoadError } from './structure-files.js';

export interface StructureAnswer {
  readonly artefacts: readonly Maintainable[];
  /** Newest storage instant among the artefacts (ISO-8601). */
  readonly lastModified: Date;
}

/**
 * Artefacts computed rather than stored (the Actual constraints, actual-constraints.ts), served
 * beside the stored ones: queries and references see both. Never stored, never checked at
 * start-up.
 */
export interface DerivedArtefacts {
  /** Names the set: the same id always comes with the same artefacts (a resolver is kept per id). */
  readonly id: string;
  readonly artefacts: readonly Maintainable[];
  /** When each changed last (by refKey), for Last-Modified. */
  readonly modified: ReadonlyMap<string, Date>;
}

export interface LoadReport extends SyncReport {
  /** API-created artefacts kept as they were. */
  readonly apiArtefacts: number;
  /** References of API artefacts that the structure files no longer satisfy (served as they are). */
  readonly apiProblems: readonly string[];
}

/** An API change that would leave the catalogue inconsistent, or clash with a file artefact. */
export class StructureChangeError extends Error {
  override name = 'StructureChangeError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export interface StructureChange {
  /** Stored, or replacing the API artefact with the same agency, id and version. */
  readonly store: readonly Maintainable[];
  readonly remove: readonly MaintainableRef[];
  /** Recorded with the stored artefacts; must start with `api:`. */
  readonly source: string;
}

const identity = (a: { agencyID: string; id: string; version: string }) => `${a.agencyID}:${a.id}(${a.version})`;

function consistencyProblems(registry: StructureRegistry): string[] {
  return [...registry.danglingReferences(), ...itemReferenceProblems(registry)];
}

export class StructureService {
  private current!: {
    registry: StructureRegistry;
    resolver: StructureResolver;
    stored: Map<string, StoredArtefact>;
    /** The resolver over this catalogue and the last derived artefacts asked with it. */
    derived?: { id: string; resolver: StructureResolver };
  };

  private constructor(private readonly repositories: Repositories) {
    this.rebuild();
  }

  /** Reads the structure files, brings storage in line with them, and builds the catalogue. */
  static load(repositories: Repositories, structuresDir: string, clock: Clock): { service: StructureService; report: LoadReport } {
    const files = readStructureFiles(structuresDir);
    let sync: SyncReport;
    try {
      sync = repositories.structures.synchronise(files, clock.now().toISOString());
    } catch (err) {
      if (err instanceof StorageConflictError) throw new StructureLoadError(`The structure files clash with stored API artefacts: ${err.message}`);
      throw err;
    }
    const service = new StructureService(repositories);
    const api = service.storedArtefacts().filter((s) => s.source.startsWith(API_SOURCE_PREFIX));
    // Problems are worded "<refKey of the artefact>: ..." or "<refKey> references ...".
    const apiKeys = api.map((s) => refKey(refOf(s.artefact)));
    const apiProblems = consistencyProblems(service.registry).filter((p) => apiKeys.some((k) => p.startsWith(`${k}:`) || p.startsWith(`${k} `)));
    return { service, report: { ...sync, apiArtefacts: api.length, apiProblems } };
  }

  get registry(): StructureRegistry {
    return this.current.registry;
  }

  /** Resolves a query against the stored artefacts, and the derived ones when given. */
  query(q: StructureQuery, derived?: DerivedArtefacts): StructureAnswer {
    const artefacts = this.resolverWith(derived).resolve(q);
    return { artefacts, lastModified: this.lastModifiedOf(artefacts, derived) };
  }

  /** Newest storage instant among the artefacts, or change instant of derived ones (epoch 0 for none). */
  lastModifiedOf(artefacts: readonly Maintainable[], derived?: DerivedArtefacts): Date {
    let newest = 0;
    for (const a of artefacts) {
      const key = refKey(refOf(a));
      const stored = this.current.stored.get(key)?.storedAt;
      const t = stored !== undefined ? Date.parse(stored) : (derived?.modified.get(key)?.getTime() ?? 0);
      if (t > newest) newest = t;
    }
    return new Date(newest);
  }

  /**
   * The stored catalogue's resolver, or one over the stored and derived artefacts together, kept
   * for the last derived set (it changes only when the visible data do).
   */
  private resolverWith(derived: DerivedArtefacts | undefined): StructureResolver {
    if (!derived || derived.artefacts.length === 0) return this.current.resolver;
    const kept = this.current.derived;
    if (kept?.id === derived.id) return kept.resolver;
    const resolver = new StructureResolver(new StructureRegistry([...this.current.registry.artefacts, ...derived.artefacts]));
    this.current.derived = { id: derived.id, resolver };
    return resolver;
  }

  /** Storage record (source, storedAt) of an artefact in the catalogue. */
  storedOf(ref: MaintainableRef): StoredArtefact | undefined {
    return this.current.stored.get(refKey(ref));
  }

  /** Every stored artefact, in storage order. */
  storedArtefacts(): StoredArtefact[] {
    return [...this.current.stored.values()];
  }

  /**
   * Stores and removes API artefacts in one transaction, then rebuilds the catalogue. Refused
   * with StructureChangeError, before anything is written, when the change would clash with a
   * file artefact or leave a reference (to an artefact or an item) unresolved.
   */
  applyApiChange(change: StructureChange, now: string): void {
    const problems: string[] = [];
    if (!change.source.startsWith(API_SOURCE_PREFIX)) problems.push(`source ${change.source} does not start with ${API_SOURCE_PREFIX}`);
    const byIdentity = new Map([...this.current.stored.values()].map((s) => [identity(s.artefact), s]));
    const removing = new Set(change.remove.map(identity));
    const storing = new Set<string>();
    for (const a of change.store) {
      const key = identity(a);
      if (storing.has(key)) problems.push(`${key} is given twice`);
      storing.add(key);
      const held = byIdentity.get(key);
      if (held && !held.source.startsWith(API_SOURCE_PREFIX)) problems.push(`${refKey(refOf(held.artefact))} is defined by ${held.source} and cannot be replaced over the API`);
      else if (held && held.artefact.class !== a.class && !removing.has(key)) problems.push(`${key} is already a ${held.artefact.class}`);
    }
    for (const r of change.remove) {
      const held = byIdentity.get(identity(r));
      if (held && !held.source.startsWith(API_SOURCE_PREFIX)) problems.push(`${refKey(refOf(held.artefact))} is defined by ${held.source} and cannot be removed over the API`);
    }
    if (problems.length === 0) problems.push(...this.newProblems(change));
    if (problems.length > 0) throw new StructureChangeError(problems);
    this.repositories.structures.applyApiChange(
      { store: change.store.map((artefact) => ({ artefact, source: change.source })), remove: change.remove },
      now,
    );
    this.rebuild();
  }

  /** Consistency problems the change would add to the catalogue. */
  private newProblems(change: StructureChange): string[] {
    const gone = new Set([...change.remove, ...change.store].map(identity));
    const next = [...this.current.registry.artefacts.filter((a) => !gone.has(identity(a))), ...change.store];
    const before = new Set(consistencyProblems(this.current.registry));
    return consistencyProblems(new StructureRegistry(next)).filter((p) => !before.has(p));
  }

  private rebuild(): void {
    const stored = this.repositories.structures.all();
    const registry = new StructureRegistry(stored.map((s) => s.artefact));
    this.current = {
      registry,
      resolver: new StructureResolver(registry),
      stored: new Map(stored.map((s) => [refKey(refOf(s.artefact)), s])),
    };
  }
}
