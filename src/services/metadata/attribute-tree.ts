/**
 * Reported attributes are authored and computed as a flat map (id → content): the ids are
 * unique within an MSD, so the nesting is the MSD's and never written by hand. This rebuilds
 * the nesting from the MSD, in its order, keeping a parent (presentational or not) exactly when
 * it or one of its descendants has content. Both the checker (authored content) and the
 * service (authored plus computed) go through here, so the order never depends on the file.
 */
import type { ReportedAttribute } from '../../sdmx/metadata/model.js';
import type { MetadataAttribute, Text } from '../../sdmx/model.js';

/** What one attribute carries: bilingual text, or a code or number written as text. */
export interface AttributeContent {
  readonly text?: Text;
  readonly value?: string;
}

export function nestByStructure(attributes: readonly MetadataAttribute[], contents: ReadonlyMap<string, AttributeContent>): ReportedAttribute[] {
  const out: ReportedAttribute[] = [];
  for (const a of attributes) {
    const children = nestByStructure(a.children, contents);
    const own = contents.get(a.id);
    if (!own && children.length === 0) continue;
    out.push({
      id: a.id,
      ...(own?.text ? { text: own.text } : {}),
      ...(own?.value !== undefined ? { value: own.value } : {}),
      children,
    });
  }
  return out;
}

/** The content of every reported attribute that has some, by id (the inverse of nestByStructure). */
export function contentsOf(reported: readonly ReportedAttribute[], into = new Map<string, AttributeContent>()): Map<string, AttributeContent> {
  for (const r of reported) {
    if (r.text || r.value !== undefined) into.set(r.id, { ...(r.text ? { text: r.text } : {}), ...(r.value !== undefined ? { value: r.value } : {}) });
    contentsOf(r.children, into);
  }
  return into;
}
