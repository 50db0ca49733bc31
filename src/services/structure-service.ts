/**
 * The structure catalogue: loads `sdmx/` into storage at start-up (only what changed is
 * rewritten), then serves queries from an in-memory registry built from what is stored.
 * Each answer carries the instant its newest artefact was stored, for Last-Modified.
 */
import { refKey, refOf, type Maintainable } from '../sdmx/model.js';
import type { StructureQuery } from '../sdmx/structure-query/query.js';
import { StructureRegistry } from '../sdmx/structure-query/registry.js';
import { StructureResolver } from '../sdmx/structure-query/resolve.js';
import type { Clock } from '../clock.js';
import type { Repositories, SyncReport } from '../storage/repositories.js';
import { readStructureFiles } from './structure-files.js';

export interface StructureAnswer {
  readonly artefacts: readonly Maintainable[];
  /** Newest storage instant among the artefacts (ISO-8601). */
  readonly lastModified: Date;
}

export class StructureService {
  readonly registry: StructureRegistry;
  private readonly resolver: StructureResolver;
  private readonly storedAt: Map<string, string>;

  private constructor(stored: ReturnType<Repositories['structures']['all']>) {
    this.registry = new StructureRegistry(stored.map((s) => s.artefact));
    this.resolver = new StructureResolver(this.registry);
    this.storedAt = new Map(stored.map((s) => [refKey(refOf(s.artefact)), s.storedAt]));
  }

  /** Reads the structure files, brings storage in line with them, and builds the catalogue. */
  static load(repositories: Repositories, structuresDir: string, clock: Clock): { service: StructureService; report: SyncReport } {
    const files = readStructureFiles(structuresDir);
    const report = repositories.structures.synchronise(files, clock.now().toISOString());
    return { service: new StructureService(repositories.structures.all()), report };
  }

  query(q: StructureQuery): StructureAnswer {
    const artefacts = this.resolver.resolve(q);
    return { artefacts, lastModified: this.lastModifiedOf(artefacts) };
  }

  /** Newest storage instant among the artefacts (epoch 0 for none). */
  lastModifiedOf(artefacts: readonly Maintainable[]): Date {
    let newest = 0;
    for (const a of artefacts) {
      const t = Date.parse(this.storedAt.get(refKey(refOf(a))) ?? '');
      if (t > newest) newest = t;
    }
    return new Date(newest);
  }
}
