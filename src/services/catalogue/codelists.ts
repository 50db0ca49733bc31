/**
 * Codelists for people (`/api/v1/codelists` and `/api/v1/codelists/{id}`): each code with its
 * labels, parent and level, flat or as a tree, whole or the subtree under some codes
 * (`code=01,0201&descendants=true`), and what the structures say about it beyond its name (the
 * ICCS: description, inclusions, exclusions, page, code-notes.ts); the codelist with the
 * citation of its source. Structures are public: nothing here depends on releases.
 */
import type { Codelist } from '../../sdmx/model.js';
import type { StructureService } from '../structure-service.js';
import { ServiceError, invalidParameter } from '../../errors.js';
import { didYouMean, suggestCodes } from './code-suggestions.js';
import { exactName, parseArtefactName, pathNameOf, resolveArtefact, textIn, type Language } from './artefacts.js';
import { labelled, type Labelled } from './dataflows.js';
import { hierarchyOf, type CodeHierarchy } from './hierarchy.js';
import { codeNotes, sourceOf, type CodeNotes } from './code-notes.js';

export interface CodeEntry extends Labelled, CodeNotes {
  readonly id: string;
  readonly parent: string | null;
  readonly level: number;
  readonly levelName: string | null;
}

export interface FlatCode extends CodeEntry {
  /** How many codes sit directly under this one. */
  readonly childCount: number;
}

export interface CodeNode extends CodeEntry {
  readonly children: CodeNode[];
}

export interface CodelistHead extends Labelled {
  readonly id: string;
  readonly agency: string;
  readonly version: string;
  readonly description: string | null;
  /** The citation of the document the codelist is built from (its SOURCE annotation), else null. */
  readonly source: string | null;
  readonly hierarchical: boolean;
  readonly codeCount: number;
  readonly levels: readonly ({ readonly level: number } & Labelled)[];
  readonly links: { readonly self: string; readonly sdmx: string };
}

export interface CodelistQuery {
  readonly idText: string;
  readonly agency?: string;
  readonly version?: string;
  readonly lang: Language;
  /** Comma-separated code ids; undefined = every code. */
  readonly code?: string;
  readonly descendants: boolean;
  readonly view: 'flat' | 'tree';
}

export interface CodelistAnswer {
  readonly lang: Language;
  readonly codelist: CodelistHead;
  readonly query: { readonly code: readonly string[] | null; readonly descendants: boolean; readonly view: 'flat' | 'tree' };
  readonly codes?: readonly FlatCode[];
  readonly tree?: readonly CodeNode[];
}

/** Listed in `allowed` when a codelist has at most this many codes. */
const LIST_ALLOWED_UP_TO = 40;

export class CodelistCatalogue {
  constructor(
    private readonly structures: StructureService,
    private readonly prefixes: { readonly apiPrefix: string; readonly sdmxPrefix: string },
  ) {}

  /** Every codelist, by id then agency. */
  list(lang: Language): { lang: Language; codelists: CodelistHead[] } {
    const all = [...(this.structures.registry.ofClass('Codelist') as Codelist[])].sort((a, b) => cmp(a.id, b.id) || cmp(a.agencyID, b.agencyID) || cmp(a.version, b.version));
    return { lang, codelists: all.map((c) => this.head(c, lang)) };
  }

  resolve(idText: string, agency?: string, version?: string): Codelist {
    return resolveArtefact<Codelist>(this.structures.registry, 'Codelist', parseArtefactName(idText, agency, version), 'codelist');
  }

  /** The codes asked for, flat or nested; the artefact for Last-Modified. */
  codes(q: CodelistQuery): { answer: CodelistAnswer; codelist: Codelist } {
    const codelist = this.resolve(q.idText, q.agency, q.version);
    const h = hierarchyOf(codelist, this.structures.registry);
    const asked = q.code === undefined ? undefined : parseCodes(q.code, h, q.lang);
    let selected: Set<string>;
    if (!asked) selected = new Set(codelist.items.map((c) => c.id));
    else {
      selected = new Set();
      for (const written of asked) {
        const star = written.endsWith('*');
        const id = star ? written.slice(0, -1) : written;
        for (const c of star || q.descendants ? h.withDescendants(id) : [id]) selected.add(c);
      }
    }
    const entry = (id: string): CodeEntry => {
      const code = h.code(id)!;
      return {
        id,
        ...labelled(code.name, q.lang, id),
        ...codeNotes(code, q.lang),
        parent: h.parentOf(id) ?? null,
        level: h.levelOf(id),
        levelName: textIn(h.levelNameOf(id), q.lang),
      };
    };
    const inOrder = codelist.items.map((c) => c.id).filter((id) => selected.has(id));
    const answer: CodelistAnswer = {
      lang: q.lang,
      codelist: this.head(codelist, q.lang),
      query: { code: asked ?? null, descendants: q.descendants, view: q.view },
      ...(q.view === 'flat'
        ? { codes: inOrder.map((id) => ({ ...entry(id), childCount: h.childrenOf(id).length })) }
        : { tree: treeOf(inOrder, selected, h, entry) }),
    };
    return { answer, codelist };
  }

  /** What the list is: names, source, levels, links. */
  head(codelist: Codelist, lang: Language): CodelistHead {
    const h = hierarchyOf(codelist, this.structures.registry);
    return {
      id: codelist.id,
      agency: codelist.agencyID,
      version: codelist.version,
      ...labelled(codelist.name, lang, codelist.id),
      description: textIn(codelist.description, lang),
      source: sourceOf(codelist),
      hierarchical: h.hierarchical,
      codeCount: codelist.items.length,
      levels: h.levels.map((l) => ({ level: l.level, ...labelled(l.name, lang) })),
      links: {
        self: `${this.prefixes.apiPrefix}/codelists/${pathNameOf(this.structures.registry, codelist)}`,
        sdmx: `${this.prefixes.sdmxPrefix}/codelist/${codelist.agencyID}/${codelist.id}/${codelist.version}`,
      },
    };
  }
}

/**
 * `code=01,0101` (a trailing `*`: the code and its subtree): every id must be a code of the list
 * (a typo is an error, not an empty answer), suggesting the code meant (`2` → 02, `mex` → MEX).
 * The codes as written, each once.
 */
function parseCodes(text: string, h: CodeHierarchy, lang: Language): string[] {
  const ids = text.split(',').map((c) => c.trim());
  if (ids.some((c) => c === '' || c === '*')) throw invalidParameter('code', `Empty code in code=${text}: give code ids separated by commas, e.g. code=01,0201 (02* for 02 and every code under it)`);
  for (const written of ids) {
    const id = written.endsWith('*') ? written.slice(0, -1) : written;
    if (!h.code(id)) {
      const all = h.codelist.items.map((c) => c.id);
      const suggestions = suggestCodes(h.codelist, id, lang);
      throw new ServiceError('invalid-input', `"${id}" is not a code of ${exactName(h.codelist)}.${didYouMean(suggestions)}`, {
        parameter: 'code',
        ...(all.length <= LIST_ALLOWED_UP_TO ? { allowed: all } : {}),
        ...(suggestions.length ? { extensions: { suggestions: suggestions.map((x) => x.id) } } : {}),
      });
    }
  }
  return [...new Set(ids)];
}

/** Selected codes nested under their nearest selected ancestor; the others are roots. */
function treeOf(inOrder: readonly string[], selected: ReadonlySet<string>, h: CodeHierarchy, entry: (id: string) => CodeEntry): CodeNode[] {
  const nodes = new Map<string, CodeNode>(inOrder.map((id) => [id, { ...entry(id), children: [] }]));
  const roots: CodeNode[] = [];
  for (const id of inOrder) {
    const anchor = h.ancestorsOf(id).find((a) => selected.has(a));
    if (anchor === undefined) roots.push(nodes.get(id)!);
    else nodes.get(anchor)!.children.push(nodes.get(id)!);
  }
  return roots;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


