/**
 * The parts every SDMX-ML 3.0 artefact shares: localised Name/Description, Annotations, and the
 * maintainable wrapper that applies the REST `detail` presentation (SDMXCommon.xsd
 * MaintainableType; SDMX REST 2.0 structures.md `detail`).
 *
 * - `full`: annotations, name, description, then the class content.
 * - `stub`: Name only. `completestub`: Annotations + Name + Description (no isFinal in 3.0:
 *   finality is carried by the version string).
 * - Content that the 3.0 XSD makes mandatory even for a stub (ProvisionAgreement's Dataflow and
 *   DataProvider, a Hierarchy's HierarchicalCode) is passed as `requiredContent` and kept.
 * - `isExternalReference="false"` is always written, as in the official samples: stubs are an
 *   abbreviated view served by this service, not a pointer to another registry.
 */
import type { Annotation, MaintainableBase, Nameable, Text } from '../model.js';
import { el, textEl, type AttrValue, type Child, type XmlElement } from './xml-text.js';

/** One `common:<tag>` per language; falls back to `fallback` in English if the text is empty. */
export function localised(tag: 'Name' | 'Description', text: Text | undefined, fallback?: string): XmlElement[] {
  const entries = Object.entries(text ?? {});
  if (entries.length === 0 && fallback !== undefined) return [textEl(`common:${tag}`, fallback, { 'xml:lang': 'en' })];
  return entries.map(([lang, value]) => textEl(`common:${tag}`, value, { 'xml:lang': lang }));
}

function annotationEl(a: Annotation): XmlElement {
  // Child order per SDMXCommon.xsd AnnotationType: Title, Type, URL, Text.
  return el(
    'common:Annotation',
    { id: a.id },
    a.title !== undefined && textEl('common:AnnotationTitle', a.title),
    a.type !== undefined && textEl('common:AnnotationType', a.type),
    a.url !== undefined && textEl('common:AnnotationURL', a.url),
    Object.entries(a.text ?? {}).map(([lang, value]) => textEl('common:AnnotationText', value, { 'xml:lang': lang })),
  );
}

/** `common:Annotations`, or nothing when there are none (the element needs ≥1 Annotation). */
export function annotationsEl(annotations: readonly Annotation[] | undefined): XmlElement | undefined {
  if (!annotations || annotations.length === 0) return undefined;
  return el('common:Annotations', {}, annotations.map(annotationEl));
}

/** Annotations, Name(s), Description(s) of a nameable item or component. */
export function nameableContent(n: Nameable): Child[] {
  return [annotationsEl(n.annotations), localised('Name', n.name, n.id), localised('Description', n.description)];
}

export interface MaintainableOptions {
  readonly urn: string;
  /** Class-specific attributes (isPartial, role, hasFormalLevels...), after the common ones. */
  readonly attrs?: Record<string, AttrValue>;
  /** False for the organisation schemes, whose `version` attribute 3.0 prohibits. */
  readonly versioned?: boolean;
  /** The class content written in `full` presentation. */
  readonly content?: () => Child[];
  /** Content the XSD requires even in stubs; replaces `content` for stub and completestub. */
  readonly requiredContent?: () => Child[];
  /** Overrides the artefact's own id/name/description/annotations (HCL → several Hierarchies). */
  readonly identity?: Nameable;
}

/** A maintainable artefact element shaped by its `presentation`. */
export function maintainableEl(tag: string, a: MaintainableBase, o: MaintainableOptions): XmlElement {
  const who = o.identity ?? a;
  const presentation = a.presentation ?? 'full';
  const attrs: Record<string, AttrValue> = {
    urn: o.urn,
    isExternalReference: false,
    agencyID: a.agencyID,
    id: who.id,
    version: o.versioned === false ? undefined : a.version,
    validFrom: a.validFrom,
    validTo: a.validTo,
    ...o.attrs,
  };
  const name = localised('Name', who.name, who.id);
  if (presentation === 'stub') {
    return el(tag, attrs, name, o.requiredContent?.());
  }
  const head = [annotationsEl(who.annotations), name, localised('Description', who.description)];
  if (presentation === 'completestub') {
    return el(tag, attrs, head, o.requiredContent?.());
  }
  return el(tag, attrs, head, o.content?.());
}
