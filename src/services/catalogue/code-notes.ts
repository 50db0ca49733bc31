/**
 * What the structures say about a code beyond its name, as the JSON API gives it: the
 * description, and for the ICCS the inclusions, the exclusions and where in the document they
 * are printed (annotations of CL_ICCS's codes, src/sdmx/iccs-notes.ts).
 *
 * Languages: the ICCS's notes exist in English only (quoted from the English edition). Asked in
 * Spanish, an answer gives the Spanish names and these texts in English, and says so in
 * `notesLang`: never a made-up or machine translation.
 */
import type { Code, Identifiable, Text } from '../../sdmx/model.js';
import { ICCS_EXCLUSIONS_ANNOTATION, ICCS_INCLUSIONS_ANNOTATION, ICCS_SOURCE_ANNOTATION, SOURCE_ANNOTATION, annotationText, notesList } from '../../sdmx/iccs-notes.js';

export interface CodeNotes {
  readonly description: string | null;
  readonly inclusions: string[];
  readonly exclusions: string[];
  /** The language of `description`, `inclusions` and `exclusions` (the ICCS: en, whatever was asked); null when there are none. */
  readonly notesLang: string | null;
  /** Where they are quoted from (ICCS: `ICCS v1.0 (UNODC 2015), Table I, p. 33`); null when the structures do not say. */
  readonly notesSource: string | null;
}

/** A text in `lang`, else English, else any, with the language it is in. */
function textWithLang(text: Text | undefined, lang: string): { text: string; lang: string } | undefined {
  if (!text) return undefined;
  const picked = text[lang] !== undefined ? lang : text.en !== undefined ? 'en' : Object.keys(text)[0];
  return picked === undefined ? undefined : { text: text[picked], lang: picked };
}

export function codeNotes(code: Code | undefined, lang: string): CodeNotes {
  const description = textWithLang(code?.description, lang);
  const inclusions = code ? notesList(code, ICCS_INCLUSIONS_ANNOTATION) : undefined;
  const exclusions = code ? notesList(code, ICCS_EXCLUSIONS_ANNOTATION) : undefined;
  const source = code?.annotations?.find((a) => a.type === ICCS_SOURCE_ANNOTATION)?.title;
  return {
    description: description?.text ?? null,
    inclusions: inclusions?.items ?? [],
    exclusions: exclusions?.items ?? [],
    notesLang: description?.lang ?? inclusions?.lang ?? exclusions?.lang ?? null,
    notesSource: source ?? null,
  };
}

/** The citation of the document an artefact is built from (its SOURCE annotation), else null. */
export function sourceOf(artefact: Identifiable): string | null {
  return annotationText(artefact, SOURCE_ANNOTATION) ?? null;
}
