/**
 * A correspondence table and its SDMX form, both ways: a definition becomes a national Codelist
 * (codes in order of first appearance, names from their rows; a code without a name is named by
 * its id) and a RepresentationMap (one mapping per row with an ICCS code); a stored map and
 * codelist become a definition and a summary again. Pure: no storage, no checks.
 */
import type { Codelist, CodeMapping, MaintainableRef, RepresentationMap, Text } from '../../sdmx/model.js';
import { namesOfRow, type CorrespondenceRow } from './rows.js';

export interface CorrespondenceDefinition {
  readonly agencyId: string;
  /** Id of the map, e.g. MAP_XYZ_POLICE_ICCS. */
  readonly id: string;
  readonly version: string;
  /** English name, or names by language (with `en`). */
  readonly name: string | Text;
  readonly description?: string | Text;
  /** Id of the national codelist, e.g. CL_OFFENCE_XYZ_POLICE. */
  readonly codelistId: string;
  /** Defaults to "National offence codes: <table name>". */
  readonly codelistName?: string | Text;
  readonly rows: readonly CorrespondenceRow[];
}

export interface CorrespondenceSummary {
  readonly agencyId: string;
  readonly id: string;
  readonly version: string;
  readonly name: Text;
  readonly codelist: MaintainableRef;
  readonly target: MaintainableRef;
  readonly nationalCodes: number;
  readonly mappings: number;
  /** National codes mapped to several ICCS codes. */
  readonly ambiguous: readonly string[];
  /** National codes the table lists without an ICCS code. */
  readonly unmapped: readonly string[];
  /** When the map's current content was stored (ISO-8601), and by whom when known. */
  readonly updatedAt: string;
  readonly updatedBy?: string;
}

export const textOf = (t: string | Text | undefined): Text | undefined => (typeof t === 'string' ? { en: t } : t);

export function codelistOf(def: CorrespondenceDefinition, ref: MaintainableRef): Codelist {
  const codes = new Map<string, Record<string, string>>();
  for (const row of def.rows) {
    const names = codes.get(row.nationalCode) ?? {};
    for (const [lang, name] of Object.entries(namesOfRow(row))) names[lang] ??= name;
    codes.set(row.nationalCode, names);
  }
  const tableName = textOf(def.name) as Text;
  return {
    class: 'Codelist',
    agencyID: ref.agencyID,
    id: ref.id,
    version: ref.version,
    isFinal: false,
    name: textOf(def.codelistName) ?? { en: `National offence codes: ${tableName.en}` },
    items: [...codes].map(([id, names]) => ({ id, name: { en: id, ...names } })),
  };
}

export function mappingsOf(def: CorrespondenceDefinition): CodeMapping[] {
  return def.rows.filter((r) => r.iccsCode).map((r) => ({ source: r.nationalCode, target: r.iccsCode as string }));
}

export function mapOf(def: CorrespondenceDefinition, source: MaintainableRef, target: MaintainableRef): RepresentationMap {
  const description = textOf(def.description);
  return {
    class: 'RepresentationMap',
    agencyID: def.agencyId,
    id: def.id,
    version: def.version,
    isFinal: false,
    name: textOf(def.name) as Text,
    ...(description ? { description } : {}),
    source,
    target,
    mappings: mappingsOf(def),
  };
}

/** The definition a map and its codelist were made from (rows grouped by national code). */
export function definitionOf(map: RepresentationMap, codelist: Codelist | undefined): CorrespondenceDefinition {
  const rows: CorrespondenceRow[] = [];
  for (const code of codelist?.items ?? []) {
    const { en, ...otherNames } = code.name;
    const names = {
      ...(en && en !== code.id ? { nationalName: en } : {}),
      ...(Object.keys(otherNames).length ? { otherNames } : {}),
    };
    const targets = map.mappings.filter((m) => m.source === code.id);
    if (targets.length === 0) rows.push({ nationalCode: code.id, ...names });
    for (const m of targets) rows.push({ nationalCode: code.id, ...names, iccsCode: m.target });
  }
  return {
    agencyId: map.agencyID,
    id: map.id,
    version: map.version,
    name: map.name,
    ...(map.description ? { description: map.description } : {}),
    codelistId: map.source.id,
    ...(codelist ? { codelistName: codelist.name } : {}),
    rows,
  };
}

export function summaryOf(map: RepresentationMap, codelist: Codelist | undefined, stored: { storedAt: string; updatedBy?: string } | undefined): CorrespondenceSummary {
  const targets = new Map<string, Set<string>>();
  for (const m of map.mappings) targets.set(m.source, (targets.get(m.source) ?? new Set()).add(m.target));
  return {
    agencyId: map.agencyID,
    id: map.id,
    version: map.version,
    name: map.name,
    codelist: map.source,
    target: map.target,
    nationalCodes: codelist?.items.length ?? targets.size,
    mappings: map.mappings.length,
    ambiguous: [...targets].filter(([, t]) => t.size > 1).map(([code]) => code),
    unmapped: (codelist?.items ?? []).filter((c) => !targets.has(c.id)).map((c) => c.id),
    updatedAt: stored?.storedAt ?? '',
    ...(stored?.updatedBy ? { updatedBy: stored.updatedBy } : {}),
  };
}
