/**
 * The portal's search: dataflows (names, descriptions, ids), ICCS categories (labels, codes) and
 * areas (names, codes), in the page's language, matched without regard to accents or letter case
 * (`mexico` finds México). A query matches an entry when each of its words begins a word of the
 * entry (`homic` finds Intentional homicide); a code matches exactly or by its beginning (`01`
 * finds 0101 and the categories under it). Results are ranked: an exact code or name first, then
 * entries with public data before those without, each by how well they match (the name's
 * beginning, its words, then descriptions).
 *
 * Whether an entry holds data is what the catalogue says now: an ICCS category holds data when a
 * dataflow holds some for it or for a category under it, an area when a dataflow holds some for
 * it. Entries without data are still found, and marked (the page says "no data yet").
 */
import type { PortalLanguage } from '../i18n.js';
import { codesWithData, folded, OFFENCE_DIMENSION, type CodeTree, type PublicFlow } from './public-facts.js';

export const SEARCH_KINDS = ['dataflow', 'iccs', 'area'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Results listed per kind; the rest are counted. */
export const MAX_RESULTS_PER_KIND = 50;
/** Words of a query read; the rest are ignored (a query is a few words). */
const MAX_QUERY_WORDS = 12;
/** Characters of a query read. */
export const MAX_QUERY_LENGTH = 200;

export interface SearchHit {
  readonly kind: SearchKind;
  readonly id: string;
  readonly label: string;
  /** A line under the label: the level of an ICCS category, a dataflow's period… */
  readonly detail: string | null;
  readonly hasData: boolean;
  readonly score: number;
}

export interface SearchResults {
  /** The words searched for (folded). */
  readonly words: readonly string[];
  readonly hits: Readonly<Record<SearchKind, readonly SearchHit[]>>;
  /** How many matched per kind (more than listed when above MAX_RESULTS_PER_KIND). */
  readonly counts: Readonly<Record<SearchKind, number>>;
}

interface Entry {
  readonly kind: SearchKind;
  readonly id: string;
  readonly label: string;
  readonly detail: string | null;
  readonly hasData: boolean;
  readonly code: string;
  readonly nameWords: readonly string[];
  readonly otherWords: readonly string[];
  readonly name: string;
}

/** A text's words, folded. */
export function wordsOf(text: string): string[] {
  return folded(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** The words of a query (at most MAX_QUERY_WORDS, each once). */
export function queryWords(q: string): string[] {
  return [...new Set(wordsOf(q.slice(0, MAX_QUERY_LENGTH)))].slice(0, MAX_QUERY_WORDS);
}

export interface SearchSources {
  readonly lang: PortalLanguage;
  readonly flows: readonly PublicFlow[];
  readonly iccs: CodeTree | null;
  readonly areas: CodeTree | null;
  readonly areasWithData: ReadonlySet<string>;
  /** Words that name a dataflow without data, an ICCS category's level… */
  readonly words: { readonly noData: string; readonly period: (first: string, last: string) => string };
}

function entries(s: SearchSources): Entry[] {
  const out: Entry[] = [];
  const entry = (kind: SearchKind, id: string, label: string, detail: string | null, hasData: boolean, other: string) =>
    out.push({ kind, id, label, detail, hasData, code: folded(id), name: wordsOf(label).join(' '), nameWords: wordsOf(label), otherWords: [...wordsOf(id), ...wordsOf(other)] });
  for (const f of s.flows) {
    const d = f.detail;
    entry('dataflow', f.path, d.name ?? d.id, d.period ? s.words.period(d.period.first, d.period.last) : s.words.noData, d.period !== null, d.description ?? '');
  }
  if (s.iccs) {
    // An ICCS category holds data when one of its own codes or a code under it does, in some dataflow.
    const withData = new Set<string>();
    for (const f of s.flows) for (const c of codesWithData(f.detail, OFFENCE_DIMENSION)) withData.add(c.id);
    const iccs = s.iccs;
    const holds = new Set<string>();
    for (const c of iccs.codes) {
      if (!withData.has(c.id)) continue;
      holds.add(c.id);
      for (const a of iccs.ancestorsOf(c.id)) holds.add(a.id);
    }
    for (const c of iccs.codes) entry('iccs', c.id, c.name ?? c.id, c.levelName, holds.has(c.id), '');
  }
  if (s.areas) for (const c of s.areas.codes) entry('area', c.id, c.name ?? c.id, null, s.areasWithData.has(c.id), '');
  return out;
}

/** Scores of an exact code or name. */
const EXACT = 90;

/** How well an entry matches the words (0: not at all). */
function scoreOf(e: Entry, words: readonly string[], phrase: string): number {
  if (words.length === 1 && words[0] === e.code) return 100;
  if (e.name === phrase) return 90;
  const begins = (pool: readonly string[]) => words.every((w) => pool.some((p) => p.startsWith(w)));
  if (words.length === 1 && words[0]!.length >= 2 && e.code.startsWith(words[0]!)) return 60;
  if (begins(e.nameWords)) return e.name.startsWith(phrase) ? 80 : 70;
  if (begins([...e.nameWords, ...e.otherWords])) return 30;
  return 0;
}

export function search(q: string, sources: SearchSources): SearchResults {
  const words = queryWords(q);
  const hits: Record<SearchKind, SearchHit[]> = { dataflow: [], iccs: [], area: [] };
  const counts: Record<SearchKind, number> = { dataflow: 0, iccs: 0, area: 0 };
  if (!words.length) return { words, hits, counts };
  const phrase = words.join(' ');
  const collator = new Intl.Collator(sources.lang);
  for (const e of entries(sources)) {
    const score = scoreOf(e, words, phrase);
    if (score > 0) hits[e.kind].push({ kind: e.kind, id: e.id, label: e.label, detail: e.detail, hasData: e.hasData, score });
  }
  for (const kind of SEARCH_KINDS) {
    const list = hits[kind];
    // An exact code or name first; then what holds data before what does not, each by how well it matches.
    list.sort((a, b) => Number(b.score >= EXACT) - Number(a.score >= EXACT) || Number(b.hasData) - Number(a.hasData) || b.score - a.score || collator.compare(a.label, b.label) || collator.compare(a.id, b.id));
    counts[kind] = list.length;
    hits[kind] = list.slice(0, MAX_RESULTS_PER_KIND);
  }
  return { words, hits, counts };
}
