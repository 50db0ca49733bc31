/**
 * What the two SDMX-JSON structure writers share: SDMX-JSON 1.0 (SDMX 2.1) and 2.0.0 (SDMX 3.0)
 * differ in artefact shapes but not in how they carry text, annotations, links, `meta` and
 * errors, nor in the maintainable head, nested levels and the flat-items-to-tree step.
 *
 * Choices made here (both field guides, "Localised text elements"):
 * - every localisable element is written twice: the best-language-match string (`name`,
 *   `description`, annotation `text`) and the map of all languages (`names`, `descriptions`,
 *   `texts`). The match is an RFC 4647 "Lookup" over the header's preferred languages, falling
 *   back to English, then to any language the element has;
 * - `meta.contentLanguages` lists every language met while writing, the main one first. Tags are
 *   lower-cased there (language tags are case-insensitive, RFC 5646 §2.1.1) because the schemas'
 *   tag pattern only accepts lower case;
 * - an artefact's URN is carried, as the field guides recommend, by a first link with
 *   `rel: "self"` and `urn` (neither schema has a `urn` property on artefacts).
 */
import type {
  Annotation,
  HierarchyLevel,
  MaintainableBase,
  MaintainableClass,
  MaintainableRef,
  Nameable,
  Presentation,
  Text,
} from '../model.js';
import type { Header } from '../message.js';

type Json = Record<string, unknown>;

/** Drops undefined members so the written objects hold only what is present. */
export function clean<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** RFC 4647 §3.4 Lookup of one language among those a text has; English, then any, as fallback. */
export function bestLanguage(available: readonly string[], prefs: readonly string[]): string | undefined {
  if (available.length === 0) return undefined;
  const lower = available.map((l) => l.toLowerCase());
  for (const pref of prefs) {
    let tag = pref.trim().toLowerCase();
    if (tag === '*') continue;
    while (tag) {
      const i = lower.indexOf(tag);
      if (i >= 0) return available[i];
      const cut = tag.lastIndexOf('-');
      if (cut < 0) break;
      tag = tag.slice(0, cut);
      // RFC 4647 §3.4: a trailing single-letter subtag (e.g. the "x" of a private use) goes too.
      if (/-.$/.test(tag)) tag = tag.slice(0, -2);
    }
  }
  const en = lower.indexOf('en');
  return en >= 0 ? available[en] : available[0];
}

/** Turns model text into SDMX-JSON's pair of best-match string and language map. */
export class Localiser {
  private readonly seen: string[] = [];

  constructor(private readonly prefs: readonly string[] = []) {}

  /** `{ one, all }`: the best-match string and a copy of every language; empty for no text. */
  pair(t: Text | undefined): { one?: string; all?: Record<string, string> } {
    if (!t) return {};
    const langs = Object.keys(t);
    const best = bestLanguage(langs, this.prefs);
    if (best === undefined) return {};
    for (const l of langs) {
      const k = l.toLowerCase();
      if (!this.seen.includes(k)) this.seen.push(k);
    }
    return { one: t[best], all: { ...t } };
  }

  /** name/names and description/descriptions of a nameable. */
  nameable(n: Pick<Nameable, 'name' | 'description'>, withDescription = true): Json {
    const name = this.pair(n.name);
    const desc = withDescription ? this.pair(n.description) : {};
    return clean({ name: name.one, names: name.all, description: desc.one, descriptions: desc.all });
  }

  /** The languages met so far, the main one (the header's preference, else English) first. */
  contentLanguages(): string[] {
    const main = bestLanguage(this.seen, this.prefs);
    return main === undefined ? [] : [main, ...this.seen.filter((l) => l !== main)];
  }
}

/** Annotations as both versions write them (2.0.0 only adds a `value` we do not hold). */
export function annotations(loc: Localiser, anns: readonly Annotation[] | undefined): Json[] | undefined {
  if (!anns || anns.length === 0) return undefined; // both schemas: minItems 1
  return anns.map((a) => {
    const text = loc.pair(a.text);
    return clean({
      id: a.id,
      title: a.title,
      type: a.type,
      text: text.one,
      texts: text.all,
      // SDMX-ML AnnotationURL: a link to a resource that supplements the annotation.
      links: a.url ? [{ href: a.url, rel: 'related' }] : undefined,
    });
  });
}

/** The recommended first link of an identifiable: itself, by URN. */
export function selfLink(urn: string): Json[] {
  return [{ rel: 'self', urn }];
}

/** Ids in `meta` must match ^[A-Za-z0-9_@$-]+$ (an xs:ID may also hold dots). */
export function safeId(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_@$-]/g, '_');
  return s || 'UNKNOWN';
}

/** validFrom/validTo are date-times in SDMX-JSON; a bare date is taken as its first instant. */
export function dateTime(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
}

export function presentationOf(a: MaintainableBase): Presentation {
  return a.presentation ?? 'full';
}

/**
 * The common head of a maintainable, cut to its presentation: `stub` keeps id, agency, version
 * and name(s); `completestub` adds description(s), annotations and (1.0 only) isFinal; `full`
 * adds validity and the self link. Class-specific content is the caller's job (full only).
 */
export function maintainableHead(
  loc: Localiser,
  a: MaintainableBase,
  opts: { urn: string; withIsFinal: boolean; id?: string; nameable?: Pick<Nameable, 'name' | 'description' | 'annotations'> },
): Json {
  const p = presentationOf(a);
  const src = opts.nameable ?? a;
  const out: Json = { id: opts.id ?? a.id, version: a.version, agencyID: a.agencyID };
  if (p !== 'stub' && opts.withIsFinal) out.isFinal = a.isFinal;
  Object.assign(out, loc.nameable(src, p !== 'stub'));
  if (p === 'stub') return out;
  out.annotations = annotations(loc, src.annotations);
  if (p === 'full') {
    out.validFrom = dateTime(a.validFrom);
    out.validTo = dateTime(a.validTo);
    out.links = selfLink(opts.urn);
  }
  return clean(out);
}

/** A flat item list with parent links, as a forest (roots: no parent, or a parent not present). */
export interface TreeNode<I> {
  readonly item: I;
  /** Dotted id path from the top of the scheme (what category URNs use). */
  readonly path: string;
  readonly children: TreeNode<I>[];
}

export function toForest<I extends { id: string; parentID?: string }>(items: readonly I[]): TreeNode<I>[] {
  const ids = new Set(items.map((i) => i.id));
  const byParent = new Map<string | undefined, I[]>();
  for (const i of items) {
    const p = i.parentID !== undefined && ids.has(i.parentID) && i.parentID !== i.id ? i.parentID : undefined;
    byParent.set(p, [...(byParent.get(p) ?? []), i]);
  }
  const visited = new Set<string>();
  const build = (i: I, prefix: string): TreeNode<I> => {
    visited.add(i.id);
    const path = prefix ? `${prefix}.${i.id}` : i.id;
    const kids = (byParent.get(i.id) ?? []).filter((k) => !visited.has(k.id));
    return { item: i, path, children: kids.map((k) => build(k, path)) };
  };
  const roots = (byParent.get(undefined) ?? []).map((i) => build(i, ''));
  // Items caught in a parent cycle have no root; keep them rather than lose them silently.
  for (const i of items) if (!visited.has(i.id)) roots.push(build(i, ''));
  return roots;
}

/** Hierarchy levels, top down, as the nested `level` chain both versions use (LevelType). */
export function levelChain(loc: Localiser, levels: readonly HierarchyLevel[], i = 0): Json | undefined {
  const l = levels[i];
  if (!l) return undefined;
  return clean({
    id: l.id,
    ...loc.nameable(l),
    annotations: annotations(loc, l.annotations),
    level: levelChain(loc, levels, i + 1),
  });
}

/** constraintAttachment member of each attachable class (ContentConstraintAttachmentType). */
const ATTACHMENT_OF: Partial<Record<MaintainableClass, string>> = {
  Dataflow: 'dataflows',
  DataStructure: 'dataStructures',
  ProvisionAgreement: 'provisionAgreements',
};

/**
 * constraintAttachment grouped by class. Both XSDs (and the 2.0.0 schema's oneOf) allow one kind
 * of attachment per constraint; a constraint mixing kinds would be written as given and fail 2.0.0.
 */
export function attachment(refs: readonly MaintainableRef[], urn: (r: MaintainableRef) => string): Json {
  const out: Record<string, string[]> = {};
  for (const r of refs) {
    const key = ATTACHMENT_OF[r.class];
    if (key) (out[key] ??= []).push(urn(r)); // other classes cannot carry a content constraint
  }
  return out;
}

/** Titles of the standard SDMX error codes (REST 1.5 4_7_errors.md). */
export const ERROR_TITLES: Readonly<Record<number, string>> = {
  100: 'No results found',
  110: 'Unauthorized',
  130: 'Response too large due to client request',
  140: 'Syntax error',
  150: 'Semantic error',
  500: 'Internal Server error',
  501: 'Not implemented',
  503: 'Service unavailable',
  510: 'Response size exceeds service limit',
};

/** One entry of an SDMX-JSON `errors` array (same shape in 1.0 and 2.0.0); texts are English. */
export function errorEntry(loc: Localiser, err: { code: number; text: string }): Json {
  const title = loc.pair({ en: ERROR_TITLES[err.code] ?? err.text });
  const detail = err.text && err.text !== title.one ? loc.pair({ en: err.text }) : {};
  return clean({ code: err.code, title: title.one, titles: title.all, detail: detail.one, details: detail.all });
}

/** `meta`: id, test, prepared, sender, and the languages used (when any). */
export function meta(header: Header, schemaUrl: string, loc: Localiser): Json {
  const senderName = loc.pair(header.sender.name);
  const sender = clean({ id: safeId(header.sender.id), name: senderName.one, names: senderName.all });
  const langs = loc.contentLanguages();
  return clean({
    schema: schemaUrl,
    id: safeId(header.id),
    test: header.test,
    prepared: header.prepared,
    contentLanguages: langs.length > 0 ? langs : undefined,
    sender,
  });
}
