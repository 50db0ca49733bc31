/**
 * An immutable, indexed set of maintainable artefacts: lookup by reference, by class, and the
 * reverse index of who references whom ("parents"). Built once per structure load; queries
 * never scan for relations. Metadataflows without SDMX 3.0 targets get those of their MSD
 * (metadataflow-targets.ts).
 */
import { withMetadataflowTargets } from '../metadataflow-targets.js';
import { childRefs, refKey, refOf, type Maintainable, type MaintainableClass, type MaintainableRef } from '../model.js';

export class StructureRegistry {
  private readonly byKey = new Map<string, Maintainable>();
  private readonly parentsByKey = new Map<string, Maintainable[]>();
  private readonly byClass = new Map<MaintainableClass, Maintainable[]>();

  readonly artefacts: readonly Maintainable[];

  constructor(input: readonly Maintainable[]) {
    // SDMX 2.1 sources cannot state a metadataflow's 3.0 targets: derived here, once per load.
    const artefacts = withMetadataflowTargets(input);
    this.artefacts = artefacts;
    for (const a of artefacts) {
      this.byKey.set(refKey(refOf(a)), a);
      const list = this.byClass.get(a.class) ?? [];
      list.push(a);
      this.byClass.set(a.class, list);
    }
    for (const a of artefacts) {
      for (const r of childRefs(a)) {
        const k = refKey(r);
        const list = this.parentsByKey.get(k) ?? [];
        list.push(a);
        this.parentsByKey.set(k, list);
      }
    }
  }

  get(ref: MaintainableRef): Maintainable | undefined {
    return this.byKey.get(refKey(ref));
  }

  ofClass(c: MaintainableClass): readonly Maintainable[] {
    return this.byClass.get(c) ?? [];
  }

  /** Artefacts that reference `a` directly. */
  parentsOf(a: Maintainable): readonly Maintainable[] {
    return this.parentsByKey.get(refKey(refOf(a))) ?? [];
  }

  /** Artefacts `a` references directly (unresolvable references are skipped). */
  childrenOf(a: Maintainable): Maintainable[] {
    const out: Maintainable[] = [];
    for (const r of childRefs(a)) {
      const c = this.get(r);
      if (c) out.push(c);
    }
    return out;
  }

  /** Every reference that does not resolve, as readable messages (empty = consistent). */
  danglingReferences(): string[] {
    const problems: string[] = [];
    for (const a of this.artefacts) {
      for (const r of childRefs(a)) {
        if (!this.get(r)) problems.push(`${refKey(refOf(a))} references ${refKey(r)}, which does not exist`);
      }
    }
    return problems;
  }
}
