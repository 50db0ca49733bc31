/**
 * Component and value descriptions for the `structure(s)` part of both SDMX-JSON data messages
 * (1.0 and 2.0.0 field guides, "component" and "component value").
 *
 * A component is named by its concept when the context gives concept names (`componentName`);
 * otherwise (as in the SDMX-CSV writers) a coded component is named after its codelist and an
 * uncoded one has its id alone (names are optional in both schemas). A code value carries its id, name(s), its parent code when it has one, and its
 * position in the codelist as `order` ("enabling the reconstruction of the ordered component
 * value hierarchy"). An uncoded value (a time period, a free-text attribute) is its own name. A
 * time period also carries the instants it starts and ends at (`start`, `end`: both guides,
 * "component value"), which charting clients place on the time axis.
 */
import type { Code, Codelist, Component } from '../model.js';
import type { DataMessageContext } from '../data/model.js';
import { periodRange } from '../time-period.js';
import { clean, type Localiser } from './common.js';

type Json = Record<string, unknown>;

/** Value ids in both schemas must match this (values.id, dimValues.id, compValues.id). */
export const VALUE_ID = /^[A-Za-z0-9_@$-]+$/;

/** Each codelist's codes by id with their positions, made once per codelist (not per message). */
const codeIndexes = new WeakMap<Codelist, ReadonlyMap<string, { code: Code; order: number }>>();

function codeIndexOf(cl: Codelist): ReadonlyMap<string, { code: Code; order: number }> {
  let index = codeIndexes.get(cl);
  if (!index) {
    index = new Map(cl.items.map((code, order) => [code.id, { code, order }]));
    codeIndexes.set(cl, index);
  }
  return index;
}

export class ValueDescriber {
  private readonly codes = new Map<string, ReadonlyMap<string, { code: Code; order: number }> | undefined>();

  constructor(
    private readonly ctx: DataMessageContext,
    private readonly loc: Localiser,
  ) {}

  /** True when the component is coded (has a codelist), so its values are codes. */
  isCoded(c: Component): boolean {
    return c.localRepresentation?.enumeration !== undefined || this.ctx.codelistOf(c.id) !== undefined;
  }

  /** id, name(s) and roles of a component. */
  component(c: Component): Json {
    const name = this.loc.pair(this.ctx.componentName?.(c.id) ?? this.ctx.codelistOf(c.id)?.name);
    const roles = (c.conceptRoles ?? []).map((r) => r.id);
    return clean({ id: c.id, name: name.one, names: name.all, roles: roles.length > 0 ? roles : undefined });
  }

  /** A coded value (code lookup) or an uncoded one written with an id and itself as name. */
  value(componentId: string, v: string): Json {
    const found = this.lookup(componentId)?.get(v);
    if (!found) return { id: v, name: v, ...this.span(componentId, v) };
    const name = this.loc.pair(found.code.name);
    const parent = found.code.parentID;
    return clean({
      id: v,
      name: name.one ?? v,
      names: name.all,
      parent: parent !== undefined && VALUE_ID.test(parent) ? parent : undefined,
      order: found.order,
    });
  }

  /**
   * An uncoded value in SDMX-JSON 2.0.0, where an `id` must be an id: text that is not one is a
   * `value` (named by itself, so that clients showing names show it).
   */
  uncoded20(componentId: string, v: string): Json {
    return VALUE_ID.test(v) ? this.value(componentId, v) : { value: v, name: v, ...this.span(componentId, v) };
  }

  /** `start` and `end` of a time period value; nothing for other components. */
  private span(componentId: string, v: string): { start?: string; end?: string } {
    if (componentId !== this.ctx.dsd.timeDimension.id) return {};
    const range = periodRange(v);
    return range ? { start: range.start, end: range.end } : {};
  }

  private lookup(componentId: string) {
    if (!this.codes.has(componentId)) {
      const cl = this.ctx.codelistOf(componentId);
      this.codes.set(componentId, cl && codeIndexOf(cl));
    }
    return this.codes.get(componentId);
  }
}
