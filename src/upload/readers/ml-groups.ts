/**
 * SDMX-ML group attributes: a `Group` names some dimension values and attribute values that
 * belong to every series with those dimension values. Groups come before the series in a data
 * set (that is how writers stream them); one that comes after a series applies only to the
 * series after it.
 *
 * A generic `Group` says which of its values are dimensions (`GroupKey`). A structure-specific
 * `Group` puts dimensions and attributes side by side as XML attributes and only the DSD tells
 * them apart; without it, the values whose ids the series also carries are taken as its
 * dimensions (a series carries every series dimension) and the others as group attributes.
 *
 * Lookups are by hash, not by scanning every group: groups are bucketed by type and ids, and
 * each bucket indexes its groups by dimension values once per kind of series.
 */

type Values = Readonly<Record<string, string>>;

interface Bucket {
  /** Dimension ids, when known (generic groups); else every id of the group. */
  readonly ids: readonly string[];
  readonly dimensionsKnown: boolean;
  readonly groups: { dimensions: Values; attributes: Values }[];
  /** Per series id-set: the bucket's dimension ids and its groups indexed by their values. */
  index?: Map<string, { dimensions: readonly string[]; byKey: Map<string, Values> }>;
}

export class GroupAttributes {
  private readonly buckets = new Map<string, Bucket>();

  /** A generic group: dimension values and attribute values apart. */
  addKeyed(type: string, dimensions: Values, attributes: Values): void {
    this.add(type, Object.keys(dimensions).sort(), true, { dimensions, attributes });
  }

  /** A structure-specific group: all its values together. */
  addMixed(type: string, values: Values): void {
    this.add(type, Object.keys(values).sort(), false, { dimensions: values, attributes: {} });
  }

  /** The attribute values of every group the series belongs to. */
  attributesOf(series: Values): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.buckets.size === 0) return out;
    let signature: string | undefined;
    for (const bucket of this.buckets.values()) {
      let dimensions = bucket.ids;
      let byKey: Map<string, Values>;
      if (bucket.dimensionsKnown) {
        bucket.index ??= new Map([['', { dimensions, byKey: indexGroups(bucket, dimensions) }]]);
        byKey = bucket.index.get('')!.byKey;
      } else {
        signature ??= Object.keys(series).sort().join('\u0000');
        bucket.index ??= new Map();
        let entry = bucket.index.get(signature);
        if (!entry) {
          dimensions = bucket.ids.filter((id) => series[id] !== undefined);
          entry = { dimensions, byKey: indexGroups(bucket, dimensions) };
          bucket.index.set(signature, entry);
        }
        dimensions = entry.dimensions;
        byKey = entry.byKey;
      }
      if (dimensions.length === 0) continue;
      const found = byKey.get(keyOf(series, dimensions));
      if (found) Object.assign(out, found);
    }
    return out;
  }

  private add(type: string, ids: string[], dimensionsKnown: boolean, group: { dimensions: Values; attributes: Values }): void {
    const name = `${dimensionsKnown ? 'K' : 'M'}${type}\u0000${ids.join('\u0000')}`;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = { ids, dimensionsKnown, groups: [] };
      this.buckets.set(name, bucket);
    }
    bucket.groups.push(group);
    bucket.index = undefined;
  }
}

function keyOf(values: Values, ids: readonly string[]): string {
  return ids.map((id) => values[id] ?? '').join('\u0000');
}

/** Groups by the values of `dimensions`; the group's other values are its attributes. */
function indexGroups(bucket: Bucket, dimensions: readonly string[]): Map<string, Values> {
  const byKey = new Map<string, Values>();
  const dims = new Set(dimensions);
  for (const g of bucket.groups) {
    let attributes: Values = g.attributes;
    if (!bucket.dimensionsKnown) {
      attributes = Object.fromEntries(Object.entries(g.dimensions).filter(([id]) => !dims.has(id)));
    }
    byKey.set(keyOf(g.dimensions, dimensions), { ...byKey.get(keyOf(g.dimensions, dimensions)), ...attributes });
  }
  return byKey;
}
