/**
 * SQLite implementation of the upload repository. Storing an upload nests the release writes
 * (create draft, add data) inside one outer transaction with the upload record, so a refused
 * write leaves no empty draft and no upload row behind.
 */
import type { NewRelease, ReleaseRepository, SeriesToWrite, StoredUpload, UploadRepository, UploadToStore } from '../repositories.js';
import type { ReleaseState } from '../schema.js';
import type { OpenedDatabase } from './database.js';

interface UploadRow {
  upload_id: string;
  dataflow: string;
  provider: string;
  format: string;
  sha256: string;
  bytes: number;
  mapping: string | null;
  uploaded_by: string;
  uploaded_at: string;
  series: number;
  observations: number;
  release_code: string;
  release_state: ReleaseState;
}

const SELECT = `SELECT u.upload_id, u.dataflow, u.provider, u.format, u.sha256, u.bytes, u.mapping, u.uploaded_by, u.uploaded_at,
  u.series, u.observations, r.code AS release_code, r.state AS release_state
  FROM uploads u JOIN releases r ON r.pk = u.release_pk`;

function toUpload(r: UploadRow): StoredUpload {
  return {
    uploadId: r.upload_id,
    dataflow: r.dataflow,
    provider: r.provider,
    format: r.format,
    sha256: r.sha256,
    bytes: r.bytes,
    ...(r.mapping ? { mapping: r.mapping } : {}),
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at,
    series: r.series,
    observations: r.observations,
    releaseCode: r.release_code,
    releaseState: r.release_state,
  };
}

export class SqliteUploadRepository implements UploadRepository {
  private readonly sqlite: OpenedDatabase['sqlite'];

  constructor(
    opened: OpenedDatabase,
    private readonly releases: ReleaseRepository,
  ) {
    this.sqlite = opened.sqlite;
  }

  byId(uploadId: string): StoredUpload | undefined {
    const row = this.sqlite.prepare(`${SELECT} WHERE u.upload_id = ?`).get(uploadId) as UploadRow | undefined;
    return row ? toUpload(row) : undefined;
  }

  findDraftByContent(dataflow: string, sha256: string, releasePk?: number): StoredUpload | undefined {
    const row = this.sqlite
      .prepare(`${SELECT} WHERE u.dataflow = ? AND u.sha256 = ? AND r.state = 'draft' AND (? IS NULL OR r.pk = ?) ORDER BY u.pk LIMIT 1`)
      .get(dataflow, sha256, releasePk ?? null, releasePk ?? null) as UploadRow | undefined;
    return row ? toUpload(row) : undefined;
  }

  listForRelease(releasePk: number): StoredUpload[] {
    return (this.sqlite.prepare(`${SELECT} WHERE u.release_pk = ? ORDER BY u.pk`).all(releasePk) as UploadRow[]).map(toUpload);
  }

  store(release: { readonly pk: number } | { readonly create: NewRelease }, upload: UploadToStore, series: Iterable<SeriesToWrite>): StoredUpload {
    const write = this.sqlite.transaction(() => {
      const releasePk = 'pk' in release ? release.pk : this.releases.createDraft(release.create, upload.uploadedAt).pk;
      const report = this.releases.addData(releasePk, series);
      this.sqlite
        .prepare(
          `INSERT INTO uploads (upload_id, release_pk, dataflow, provider, format, sha256, bytes, series, observations, mapping, uploaded_by, uploaded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(upload.uploadId, releasePk, upload.dataflow, upload.provider, upload.format, upload.sha256, upload.bytes, report.series, report.observations, upload.mapping ?? null, upload.uploadedBy, upload.uploadedAt);
      return this.byId(upload.uploadId)!;
    });
    return write.immediate();
  }
}
