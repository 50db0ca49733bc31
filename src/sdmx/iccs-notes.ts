/**
 * The ICCS's own notes on a category, as SDMX carries them on a code of `CL_ICCS`: the
 * description (what the category covers) is the code's `Description`; its inclusions and its
 * exclusions are annotations, and so is the place in the document they are quoted from. Written
 * by the structure build (src/cli/structures/iccs.ts), read back by the JSON API
 * (services/catalogue/codelists.ts); nothing else depends on them.
 *
 * Choice: one annotation per list (`ICCS_INCLUSIONS`, `ICCS_EXCLUSIONS`), its text the items
 * joined with "; ", rather than one annotation per item:
 * - it is what the document prints ("Murder; honour killing; …"): a tool that shows annotations
 *   shows each as its type, title and text, so a list reads as one paragraph rather than as one
 *   row per item repeating the type;
 * - a client that looks an annotation up by type (Python sdmx1: `code.get_annotation(type=...)`,
 *   which returns the first match) gets the whole list at once;
 * - it loses nothing: the extractor split each printed list at its semicolons, so no item holds
 *   one, and splitting the text at "; " gives the items back exactly (`notesList` does; the
 *   structure tests check it for all 320 codes).
 * The main text is the description, the field clients read most widely: R's rsdmx reads a
 * code's id, names and descriptions and no annotations (its SDMXCode class), and the .Stat
 * Suite acts on the annotation types of its own display rules, not on ours.
 *
 * The texts are English only: they are quoted from the English edition of the ICCS, and the
 * annotation texts say so with their `xml:lang`, never with a Spanish copy of the English.
 */
import type { Annotation, Identifiable } from './model.js';

/** The inclusions of an ICCS category: text = the items joined with "; ". */
export const ICCS_INCLUSIONS_ANNOTATION = 'ICCS_INCLUSIONS';
/** The exclusions of an ICCS category: text = the items joined with "; " (each usually names the code the excluded act belongs to). */
export const ICCS_EXCLUSIONS_ANNOTATION = 'ICCS_EXCLUSIONS';
/** Where the description and the lists are quoted from: title = the locator (`ICCS v1.0 (UNODC 2015), Table I, p. 33`). */
export const ICCS_SOURCE_ANNOTATION = 'ICCS_SOURCE';
/** On a maintainable artefact: the bibliographic citation of the document it is built from (text). */
export const SOURCE_ANNOTATION = 'SOURCE';

export const NOTES_ITEM_SEPARATOR = '; ';

/** A list as one annotation of `type`, its text in `lang`; undefined for an empty list. */
export function notesListAnnotation(type: string, items: readonly string[], lang = 'en'): Annotation | undefined {
  if (items.length === 0) return undefined;
  for (const item of items) {
    // An item holding the separator could not be told from two items when read back.
    if (item.includes(';') || item.trim() !== item || item === '') throw new Error(`${type}: item "${item}" is empty, padded or holds a semicolon`);
  }
  return { type, text: { [lang]: items.join(NOTES_ITEM_SEPARATOR) } };
}

/** The items of the `type` annotation of an item and the language they are in; undefined when it has none. */
export function notesList(item: Identifiable, type: string): { readonly lang: string; readonly items: string[] } | undefined {
  const annotation = item.annotations?.find((a) => a.type === type);
  const entry = annotation?.text && Object.entries(annotation.text)[0];
  if (!entry) return undefined;
  const [lang, text] = entry;
  return { lang, items: text.split(';').map((s) => s.trim()).filter((s) => s !== '') };
}

/** The text of the first annotation of `type` (any language: these are English only), else undefined. */
export function annotationText(item: Identifiable, type: string): string | undefined {
  const text = item.annotations?.find((a) => a.type === type)?.text;
  return text ? (text.en ?? Object.values(text)[0]) : undefined;
}
