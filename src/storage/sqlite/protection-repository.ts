/**
 * SQLite implementation of disclosure control's storage: rules per dataflow, one run per
 * (release, dataflow), and the suppression pattern. Applying a pattern rewrites the suppressed
 * observation rows (value NULL, confidentiality attributes added) and keeps their true values in
 * `suppressed_cells`, all in one transaction; a new run first puts the true values back.
 */
import {
  ReleaseStateError,
  type ProtectableCell,
  type ProtectionRepository,
  type ProtectionRun,
  type StoredProtectionRules,
  type StoredSuppression,
  type Suppression,
  type SuppressionKind,
} from '../repositories.js';
import type { OpenedDatabase } from './database.js';

interface CellRow {
  series_pk: number;
  series_key: string;
  dimensions: string;
  time_period: string;
  value: number | null;
  attributes: string;
  true_value: number | null;
  true_attributes: string | null;
  suppressed: number;
}

interface RunRow {
  release_pk: number;
  dataflow: string;
  ran_at: string;
  ran_by: string | null;
  method: string;
  rules: string;
  summary: string;
  audit: string;
  findings: string;
  passed: number;
}

export class SqliteProtectionRepository implements ProtectionRepository {
  private readonly sqlite: OpenedDatabase['sqlite'];

  constructor(opened: OpenedDatabase) {
    this.sqlite = opened.sqlite;
  }

  rulesOf(dataflow: string): StoredProtectionRules | undefined {
    const row = this.sqlite.prepare('SELECT dataflow, rules, updated_at, updated_by FROM protection_rules WHERE dataflow = ?').get(dataflow) as
      | { dataflow: string; rules: string; updated_at: string; updated_by: string | null }
      | undefined;
    return row ? { dataflow: row.dataflow, rules: JSON.parse(row.rules), updatedAt: row.updated_at, updatedBy: row.updated_by } : undefined;
  }

  setRules(dataflow: string, rules: unknown, at: string, by: string | null): StoredProtectionRules {
    this.sqlite
      .prepare(
        `INSERT INTO protection_rules (dataflow, rules, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (dataflow) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(dataflow, JSON.stringify(rules), at, by);
    return this.rulesOf(dataflow)!;
  }

  cellsOf(releasePk: number, dataflow: string): ProtectableCell[] {
    const rows = this.sqlite
      .prepare(
        `SELECT s.pk AS series_pk, s.series_key, s.dimensions, o.time_period, o.value, o.attributes,
                c.value AS true_value, c.attributes AS true_attributes, c.release_pk IS NOT NULL AS suppressed
           FROM observations o
           JOIN series s ON s.pk = o.series_pk
           LEFT JOIN suppressed_cells c ON c.release_pk = o.release_pk AND c.series_pk = o.series_pk AND c.time_period = o.time_period
          WHERE o.release_pk = ? AND s.dataflow = ? AND o.deleted = 0
          ORDER BY s.series_key, o.time_period`,
      )
      .all(releasePk, dataflow) as CellRow[];
    const dimensionsOf = new Map<number, Readonly<Record<string, string>>>();
    return rows.map((r) => {
      let dimensions = dimensionsOf.get(r.series_pk);
      if (!dimensions) {
        dimensions = Object.freeze(JSON.parse(r.dimensions) as Record<string, string>);
        dimensionsOf.set(r.series_pk, dimensions);
      }
      return {
        seriesPk: r.series_pk,
        key: r.series_key,
        dimensions,
        timePeriod: r.time_period,
        value: r.suppressed ? r.true_value : r.value,
        attributes: JSON.parse(r.suppressed ? r.true_attributes! : r.attributes) as Record<string, string>,
      };
    });
  }

  dataflowsWithData(releasePk: number): string[] {
    return (
      this.sqlite
        .prepare(
          `SELECT DISTINCT s.dataflow FROM observations o JOIN series s ON s.pk = o.series_pk
            WHERE o.release_pk = ? ORDER BY s.dataflow`,
        )
        .all(releasePk) as { dataflow: string }[]
    ).map((r) => r.dataflow);
  }

  store(run: ProtectionRun, suppressions: readonly Suppression[]): void {
    const state = this.sqlite.prepare('SELECT state FROM releases WHERE pk = ?');
    const earlier = this.sqlite.prepare(
      `SELECT c.series_pk, c.time_period, c.value, c.attributes FROM suppressed_cells c JOIN series s ON s.pk = c.series_pk
        WHERE c.release_pk = ? AND s.dataflow = ?`,
    );
    const restore = this.sqlite.prepare('UPDATE observations SET value = ?, attributes = ? WHERE release_pk = ? AND series_pk = ? AND time_period = ?');
    const forget = this.sqlite.prepare('DELETE FROM suppressed_cells WHERE release_pk = ? AND series_pk = ? AND time_period = ?');
    const current = this.sqlite.prepare('SELECT value, attributes FROM observations WHERE release_pk = ? AND series_pk = ? AND time_period = ?');
    const keep = this.sqlite.prepare(
      'INSERT INTO suppressed_cells (release_pk, series_pk, time_period, kind, value, attributes) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const hide = this.sqlite.prepare('UPDATE observations SET value = NULL, attributes = ? WHERE release_pk = ? AND series_pk = ? AND time_period = ?');
    const saveRun = this.sqlite.prepare(
      `INSERT INTO protection_runs (release_pk, dataflow, ran_at, ran_by, method, rules, summary, audit, findings, passed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (release_pk, dataflow) DO UPDATE SET ran_at = excluded.ran_at, ran_by = excluded.ran_by, method = excluded.method,
         rules = excluded.rules, summary = excluded.summary, audit = excluded.audit, findings = excluded.findings,
         passed = excluded.passed`,
    );
    const write = this.sqlite.transaction(() => {
      const row = state.get(run.releasePk) as { state: string } | undefined;
      if (!row) throw new ReleaseStateError(`Release ${run.releasePk} does not exist`);
      if (row.state !== 'draft') throw new ReleaseStateError(`Cannot protect release ${run.releasePk}: it is ${row.state}, not draft`);
      for (const c of earlier.all(run.releasePk, run.dataflow) as { series_pk: number; time_period: string; value: number | null; attributes: string }[]) {
        restore.run(c.value, c.attributes, run.releasePk, c.series_pk, c.time_period);
        forget.run(run.releasePk, c.series_pk, c.time_period);
      }
      for (const s of suppressions) {
        const observation = current.get(run.releasePk, s.seriesPk, s.timePeriod) as { value: number | null; attributes: string } | undefined;
        if (!observation) throw new ReleaseStateError(`Release ${run.releasePk} has no observation ${s.seriesPk} ${s.timePeriod} to suppress`);
        keep.run(run.releasePk, s.seriesPk, s.timePeriod, s.kind, observation.value, observation.attributes);
        const attributes = { ...(JSON.parse(observation.attributes) as Record<string, string>), ...s.set };
        hide.run(JSON.stringify(attributes), run.releasePk, s.seriesPk, s.timePeriod);
      }
      saveRun.run(
        run.releasePk,
        run.dataflow,
        run.ranAt,
        run.ranBy,
        run.method,
        JSON.stringify(run.rules),
        JSON.stringify(run.summary),
        JSON.stringify(run.audit),
        JSON.stringify(run.findings ?? {}),
        run.passed ? 1 : 0,
      );
    });
    write.immediate();
  }

  runsOf(releasePk: number): ProtectionRun[] {
    const rows = this.sqlite.prepare('SELECT * FROM protection_runs WHERE release_pk = ? ORDER BY dataflow').all(releasePk) as RunRow[];
    return rows.map((r) => ({
      releasePk: r.release_pk,
      dataflow: r.dataflow,
      ranAt: r.ran_at,
      ranBy: r.ran_by,
      method: r.method,
      rules: JSON.parse(r.rules),
      summary: JSON.parse(r.summary),
      audit: JSON.parse(r.audit),
      findings: JSON.parse(r.findings),
      passed: r.passed === 1,
    }));
  }

  suppressionsOf(releasePk: number, dataflow: string): StoredSuppression[] {
    const rows = this.sqlite
      .prepare(
        `SELECT c.series_pk, s.series_key, c.time_period, c.kind, c.value FROM suppressed_cells c JOIN series s ON s.pk = c.series_pk
          WHERE c.release_pk = ? AND s.dataflow = ? ORDER BY s.series_key, c.time_period`,
      )
      .all(releasePk, dataflow) as { series_pk: number; series_key: string; time_period: string; kind: SuppressionKind; value: number | null }[];
    return rows.map((r) => ({ seriesPk: r.series_pk, key: r.series_key, timePeriod: r.time_period, kind: r.kind, value: r.value }));
  }
}
