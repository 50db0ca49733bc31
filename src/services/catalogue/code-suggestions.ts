/**
 * Did-you-mean for the people's JSON API: the codes a mistyped code or a label most likely meant
 * (`mex` → MEX, `Guatemala` → GTM, `2` → 02 in the ICCS, `MEXX` → MEX), and the parameter names a
 * misspelt one most likely meant (`lmit` → limit). Only suggestions: nothing is ever taken for
 * another code silently.
 */
import type { Codelist } from '../../sdmx/model.js';

/** At most this many codes are suggested. */
const MAX_SUGGESTIONS = 5;

/** Lower case, accents and surrounding spaces dropped (`México ` → `mexico`). */
export function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim();
}

/** Levenshtein distance, stopping early once above `max` (then `max + 1`). */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** The names among `known` that `written` is a near miss of (letter case aside, at most 2 edits for names of 5+ letters, 1 below). */
export function nearNames(written: string, known: readonly string[]): string[] {
  const w = written.toLowerCase();
  const max = w.length >= 5 ? 2 : 1;
  return known
    .map((k) => ({ k, d: editDistance(w, k.toLowerCase(), max) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d)
    .map((x) => x.k);
}

export interface CodeSuggestion {
  readonly id: string;
  /** The code's name in the language asked for (else English). */
  readonly name: string | null;
}

/**
 * The codes of `codelist` that `written` (not one of its codes) most likely meant, best first:
 * the same id in another letter case; the same digits without their leading zeros (ICCS `2` →
 * `02`); a code whose name in any language is `written` (accents and case aside); codes whose
 * name starts with or contains it; ids one edit away. `prefer` (e.g. the codes holding data)
 * ranks its codes first within each kind.
 */
export function suggestCodes(codelist: Codelist, written: string, lang: string, prefer?: (id: string) => boolean): CodeSuggestion[] {
  const text = folded(written);
  if (text === '') return [];
  const items = codelist.items;
  const names = (c: (typeof items)[number]) => Object.values(c.name ?? {}).map(folded);
  const tiers: ((c: (typeof items)[number]) => boolean)[] = [
    (c) => c.id.toLowerCase() === text,
    (c) => /^\d+$/.test(text) && /^\d+$/.test(c.id) && c.id.replace(/^0+/, '') === text.replace(/^0+/, ''),
    (c) => names(c).includes(text),
    (c) => text.length >= 3 && names(c).some((n) => n.startsWith(text)),
    (c) => text.length >= 4 && names(c).some((n) => n.includes(text)),
    (c) => text.length >= 3 && editDistance(text, c.id.toLowerCase(), 1) <= 1,
  ];
  const out: CodeSuggestion[] = [];
  const seen = new Set<string>();
  for (const tier of tiers) {
    const found = items.filter(tier);
    if (prefer) found.sort((a, b) => Number(prefer(b.id)) - Number(prefer(a.id)));
    for (const c of found) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push({ id: c.id, name: c.name?.[lang] ?? c.name?.en ?? null });
    }
    // The closer kinds are the answer when they found something.
    if (out.length) break;
  }
  return out.slice(0, MAX_SUGGESTIONS);
}

/** ` Did you mean MEX (Mexico)?`, or '' without suggestions. */
export function didYouMean(suggestions: readonly CodeSuggestion[]): string {
  if (!suggestions.length) return '';
  const shown = suggestions.map((s) => (s.name ? `${s.id} (${s.name})` : s.id));
  const listed = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
  return ` Did you mean ${listed}?`;
}
