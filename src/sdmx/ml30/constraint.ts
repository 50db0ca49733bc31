/**
 * A 2.1 ContentConstraint written as an SDMX-ML 3.0 `DataConstraint`
 * (SDMXStructureConstraint.xsd): `role` = Allowed | Actual, ConstraintAttachment, CubeRegion.
 *
 * Where 3.0 is narrower than our model, and what we do:
 * - ConstraintAttachment holds one kind of target (Dataflows, or ProvisionAgreements, or
 *   DataStructures). We keep the kind of the first supported reference, and all references of
 *   that kind; references of other kinds are left out.
 * - A DataConstraint has at most one included and one excluded CubeRegion (maxOccurs=2, unique
 *   @include). Several regions with the same flag are merged into the smallest cube containing
 *   them all: a component is kept only if every merged region selects it, with the union of
 *   values (a region that omits a component allows all of its values).
 * - 3.0 has no ReferencePeriod. The period becomes a `TIME_PERIOD` KeyValue with a TimeRange
 *   (StartPeriod/EndPeriod, inclusive) in the included region, which is how 3.0 states the time
 *   coverage; TIME_PERIOD is the only time dimension id 3.0 allows (TimeDimensionType).
 * - Our KeyValueSet does not say whether an id is a dimension or an attribute; all are written
 *   as `KeyValue`. A set without values is skipped (3.0 requires Value or TimeRange).
 */
import type { ContentConstraint, CubeRegion, KeyValueSet, MaintainableRef } from '../model.js';
import { maintainableEl } from './nameable.js';
import { urn30 } from '../urn30.js';
import { el, textEl, type XmlElement } from './xml-text.js';

const ATTACHABLE = new Set<MaintainableRef['class']>(['Dataflow', 'ProvisionAgreement', 'DataStructure']);
const TIME_PERIOD = 'TIME_PERIOD';

function attachmentEl(refs: readonly MaintainableRef[]): XmlElement | undefined {
  const kind = refs.find((r) => ATTACHABLE.has(r.class))?.class;
  if (!kind) return undefined;
  return el(
    'structure:ConstraintAttachment',
    {},
    refs.filter((r) => r.class === kind).map((r) => textEl(`structure:${kind}`, urn30(r))),
  );
}

/** Smallest single cube containing every region given (all share one include flag). */
function mergeRegions(regions: readonly CubeRegion[]): KeyValueSet[] {
  const [first, ...rest] = regions;
  if (!first) return [];
  if (rest.length === 0) return [...first.keyValues];
  const out: KeyValueSet[] = [];
  for (const kv of first.keyValues) {
    if (out.some((o) => o.id === kv.id)) continue;
    const all = regions.map((r) => r.keyValues.filter((k) => k.id === kv.id));
    if (all.some((sets) => sets.length === 0)) continue; // some region leaves it unconstrained
    const values: string[] = [];
    for (const v of all.flat().flatMap((k) => k.values)) if (!values.includes(v)) values.push(v);
    out.push({ id: kv.id, values });
  }
  return out;
}

function regionEls(c: ContentConstraint): XmlElement[] {
  const out: XmlElement[] = [];
  for (const include of [true, false]) {
    const regions = c.cubeRegions.filter((r) => r.include === include);
    const withPeriod = include && c.referencePeriod !== undefined;
    if (regions.length === 0 && !withPeriod) continue;
    const keyValues = mergeRegions(regions);
    const hasTime = keyValues.some((k) => k.id === TIME_PERIOD && k.values.length > 0);
    out.push(
      el(
        'structure:CubeRegion',
        { include },
        keyValues
          .filter((k) => k.values.length > 0)
          .map((k) => el('structure:KeyValue', { id: k.id }, k.values.map((v) => textEl('structure:Value', v)))),
        withPeriod &&
          !hasTime &&
          el(
            'structure:KeyValue',
            { id: TIME_PERIOD },
            el(
              'structure:TimeRange',
              {},
              textEl('structure:StartPeriod', c.referencePeriod!.startTime, { isInclusive: true }),
              textEl('structure:EndPeriod', c.referencePeriod!.endTime, { isInclusive: true }),
            ),
          ),
      ),
    );
  }
  return out;
}

export function dataConstraintEl(c: ContentConstraint): XmlElement {
  return maintainableEl('structure:DataConstraint', c, {
    urn: urn30(c),
    attrs: { role: c.constraintType },
    content: () => [attachmentEl(c.constraintAttachment), regionEls(c)],
  });
}
