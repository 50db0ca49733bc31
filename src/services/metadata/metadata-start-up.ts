/**
 * Start-up: the authored metadata files become the stored file versions, in one transaction,
 * after the structures (the files are checked against them) and before the server listens.
 *
 * A version is public from its release's instant on (visibility.ts), and what was public is
 * never rewritten: a file whose version is already public must not change (the author writes a
 * new version instead), while a version still under embargo may be edited freely. A file may
 * name a release that does not exist yet (no demo data, or a release to be created later): the
 * set is stored and stays invisible until that release is public; the caller logs a warning.
 */
import type { SourcedMetadataSet } from './check-metadata-set.js';
import type { Repositories, MetadataSetToStore } from '../../storage/repositories.js';
import { FILE_SOURCE_PREFIX, MetadataVersionConflictError, StorageConflictError } from '../../storage/repositories.js';
import { refKey, type MaintainableRef } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { MetadataLoadError, readMetadataFiles, type AuthoredMetadataFile } from './metadata-files.js';
import { isPublicVersion } from './public-versions.js';
import { storedBodyOf } from './stored-body.js';

export interface MetadataStartUpReport {
  readonly files: number;
  readonly added: number;
  readonly replaced: number;
  readonly unchanged: number;
  /** Stored file versions whose file is gone, deleted (they were not public yet). */
  readonly removed: number;
  /** Files naming a release that does not exist: stored, invisible until it does and is public. */
  readonly unknownReleases: readonly { readonly file: string; readonly release: string }[];
  /** Public versions whose file is gone: kept, since what was public stays public. */
  readonly keptWithoutFile: readonly string[];
}

const flowKey = (r: MaintainableRef) => `${r.agencyID}:${r.id}(${r.version})`;

function toStore(authored: AuthoredMetadataFile): MetadataSetToStore {
  return metadataSetToStore(authored.set, `${FILE_SOURCE_PREFIX}${authored.file}`);
}

/** The stored row of a checked set, from a file or the publisher API (`source`). */
export function metadataSetToStore(set: SourcedMetadataSet, source: string): MetadataSetToStore {
  return {
    agencyID: set.agencyID,
    setID: set.id,
    version: set.version,
    metadataflow: refKey(set.metadataflow),
    dataflow: flowKey(set.target.dataflow),
    area: set.target.area?.id ?? null,
    releaseCode: set.release ?? null,
    source,
    body: storedBodyOf(set),
  };
}

export function synchroniseMetadataFiles(options: {
  readonly dir: string;
  readonly registry: StructureRegistry;
  readonly repositories: Repositories;
  /** ISO-8601 UTC. */
  readonly now: string;
}): MetadataStartUpReport {
  const { repositories, now } = options;
  const authored = readMetadataFiles(options.dir, options.registry);
  const releases = new Map(repositories.releases.list().map((r) => [r.code, r]));
  const items = authored.map(toStore);
  let report;
  try {
    report = repositories.metadataSets.synchroniseFiles(items, now, (stored) => !isPublicVersion(stored, releases, now));
  } catch (err) {
    if (err instanceof MetadataVersionConflictError) {
      const file = err.item.source.slice(FILE_SOURCE_PREFIX.length);
      const release = err.stored.releaseCode === null ? undefined : releases.get(err.stored.releaseCode);
      const since = release?.announcedAt ? ` (release ${release.code}, public since ${release.announcedAt})` : '';
      throw new MetadataLoadError(
        `${file}: ${err.item.setID} version ${err.item.version} is already public${since} and this file changes it: published versions never change, so bump the version (a new file) instead of editing this one`,
      );
    }
    if (err instanceof StorageConflictError) throw new MetadataLoadError(err.message);
    throw err;
  }
  return {
    files: authored.length,
    added: report.added,
    replaced: report.replaced,
    unchanged: report.unchanged,
    removed: report.removed,
    unknownReleases: authored.filter((a) => a.set.release !== undefined && !releases.has(a.set.release)).map((a) => ({ file: a.file, release: a.set.release! })),
    keptWithoutFile: report.kept.map((k) => `${k.setID} ${k.version} (${k.source})`),
  };
}
