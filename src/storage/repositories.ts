/**
 * The storage contract that services depend on. Implementations (SQLite today, PostgreSQL
 * later) live in their own folders; nothing above this layer knows which one runs.
 * Repositories hold SQL only, no policy: embargo and visibility rules live in the domain layer.
 */
import type { Maintainable } from '../sdmx/model.js';
import type { ReleaseState } from './schema.js';

export interface StoredArtefact {
  readonly artefact: Maintainable;
  readonly source: string;
  /** When this exact content was first stored (ISO-8601 UTC). */
  readonly storedAt: string;
  readonly sha256: string;
}

export interface ArtefactToStore {
  readonly artefact: Maintainable;
  readonly source: string;
}

export interface SyncReport {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
}

export interface StructureRepository {
  all(): StoredArtefact[];
  /**
   * Makes the stored set equal to `items`, in one transaction: new artefacts are added, changed
   * ones get a new body and storedAt, missing ones are removed, identical ones keep their
   * storedAt (so Last-Modified only moves when content does).
   */
  synchronise(items: readonly ArtefactToStore[], now: string): SyncReport;
}

export interface Release {
  readonly pk: number;
  readonly code: string;
  readonly title: string;
  readonly state: ReleaseState;
  readonly announcedAt: string | null;
  readonly publishedAt: string | null;
  readonly revisesPk: number | null;
  readonly createdAt: string;
  readonly note: string | null;
  readonly dataflows: readonly string[];
}

export interface NewRelease {
  readonly code: string;
  readonly title: string;
  readonly dataflows: readonly string[];
  readonly revisesPk?: number;
  readonly note?: string;
}

export interface ReleaseRepository {
  createDraft(release: NewRelease, now: string): Release;
  byCode(code: string): Release | undefined;
  list(): Release[];
}

export interface Repositories {
  readonly structures: StructureRepository;
  readonly releases: ReleaseRepository;
  close(): void;
}
