/**
 * Looking national codes up in one correspondence table. Several national codes may share an
 * ICCS code (their figures add up); a national code with several ICCS codes is `ambiguous` and a
 * code the table does not map is `unmapped`: the caller reports both, nothing is guessed.
 * A lookup is a snapshot of the table when it was made; ask again after the table changes.
 */
import type { Codelist, RepresentationMap } from '../../sdmx/model.js';

export type NationalCodeLookup =
  | { readonly kind: 'mapped'; readonly iccs: string }
  | { readonly kind: 'ambiguous'; readonly iccs: readonly string[] }
  /** `declared`: the table lists the national code but gives it no ICCS counterpart. */
  | { readonly kind: 'unmapped'; readonly declared: boolean };

export class CorrespondenceLookup {
  private readonly targets = new Map<string, string[]>();
  private readonly declared: ReadonlySet<string>;

  /** `AGENCY:ID(VERSION)` of the map. */
  readonly table: string;

  constructor(map: RepresentationMap, nationalCodes: Codelist | undefined) {
    this.table = `${map.agencyID}:${map.id}(${map.version})`;
    for (const m of map.mappings) {
      const list = this.targets.get(m.source) ?? [];
      if (!list.includes(m.target)) list.push(m.target);
      this.targets.set(m.source, list);
    }
    this.declared = new Set((nationalCodes?.items ?? []).map((c) => c.id));
  }

  /** Bound, so it can be handed around as a plain function. */
  readonly map = (nationalCode: string): NationalCodeLookup => {
    const iccs = this.targets.get(nationalCode);
    if (!iccs) return { kind: 'unmapped', declared: this.declared.has(nationalCode) };
    return iccs.length === 1 ? { kind: 'mapped', iccs: iccs[0] } : { kind: 'ambiguous', iccs: [...iccs] };
  };
}
