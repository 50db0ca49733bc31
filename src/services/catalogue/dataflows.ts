/**
 * The dataflow catalogue of the JSON API (`/api/v1/dataflows` and `/api/v1/dataflows/{id}`):
 * what each dataflow is (names, description, theme from the categorisations, dimensions), what
 * its public data hold right now (counts, period covered, per-dimension codes with data and their
 * counts, hierarchical codelists as a tree) and its releases as the public calendar shows them
 * (the last published, the next scheduled).
 *
 * Everything is the public state at the clock's instant: the views come from the data service
 * exactly as for a data query (embargoed releases count from their instant, not a millisecond
 * earlier), the counts from the one observation reader (flow-stats.ts), the releases from the
 * public calendar (a draft never shows, a scheduled release only as announced).
 */
import type { Clock } from '../../clock.js';
import type { Categorisation, CategoryScheme, Dataflow, Maintainable, Text } from '../../sdmx/model.js';
import type { DataRepository } from '../../storage/repositories.js';
import type { CalendarEntry, CalendarService } from '../calendar/calendar.js';
import type { StructureService } from '../structure-service.js';
import { codelistOf, componentName, type DataService, type FlowView } from '../data/data-service.js';
import { flowKeyOf, type DataTarget } from '../data/target.js';
import { exactName, namesOf, parseArtefactName, pathNameOf, resolveArtefact, textIn, type Language } from './artefacts.js';
import { flowStats, type CodeCount, type FlowStats } from './flow-stats.js';
import { hierarchyOf, type CodeHierarchy } from './hierarchy.js';
import { codeNotes } from './code-notes.js';

export interface Labelled {
  readonly name: string | null;
  readonly names: Record<string, string>;
}

export interface ThemeInfo extends Labelled {
  readonly id: string;
  /** `AGENCY:ID(VERSION)` of the category scheme. */
  readonly scheme: string;
  /** The category's ancestors' ids, top first (empty for a top-level theme). */
  readonly path: readonly string[];
}

export interface ReleaseInfo {
  readonly code: string;
  readonly title: string;
  readonly announcedAt: string;
}

export interface DataflowSummary extends Labelled {
  readonly id: string;
  readonly agency: string;
  readonly version: string;
  readonly description: string | null;
  readonly descriptions: Record<string, string>;
  /** The theme (category of CAT_THEMES), else the first category; null when uncategorised. */
  readonly theme: ThemeInfo | null;
  /** Every category the dataflow is filed under (themes, SDG goals). */
  readonly categories: readonly ThemeInfo[];
  readonly dimensions: readonly ({ readonly id: string; readonly position: number } & Labelled)[];
  readonly series: number;
  readonly observations: number;
  readonly period: { readonly first: string; readonly last: string } | null;
  readonly lastRelease: ReleaseInfo | null;
  readonly nextRelease: ReleaseInfo | null;
  readonly links: {
    readonly self: string;
    readonly observations: string;
    readonly sdmxStructure: string;
    readonly sdmxData: string;
    readonly sdmxCsv: string;
  };
}

/** What a code covers (ICCS: the category's description, in English: descriptionLang says so). */
export interface Described {
  readonly description: string | null;
  /** The language of `description`, which may differ from the one asked (the ICCS's are English only); null without one. */
  readonly descriptionLang: string | null;
}

export interface CodeWithData extends Labelled, Described {
  readonly id: string;
  readonly parent: string | null;
  readonly level: number;
  readonly levelName: string | null;
  readonly series: number;
  readonly observations: number;
}

export interface TreeNode extends Labelled, Described {
  readonly id: string;
  readonly level: number;
  readonly levelName: string | null;
  /** False for an ancestor shown only to place codes with data in the tree. */
  readonly holdsData: boolean;
  readonly series: number;
  readonly observations: number;
  readonly children: TreeNode[];
}

export interface DimensionDetail extends Labelled {
  readonly id: string;
  readonly position: number;
  readonly codelist: string | null;
  readonly hierarchical: boolean;
  /** The codes with data, in codelist order, each with its own counts (never summed over children). */
  readonly codes: readonly CodeWithData[];
  /** Hierarchical codelists only: the codes with data and their ancestors, nested. */
  readonly tree?: readonly TreeNode[];
}

/** The summary, with each dimension's codes that hold data. */
export interface DataflowDetail extends Omit<DataflowSummary, 'dimensions'> {
  readonly dimensions: readonly DimensionDetail[];
  readonly timeDimension: { readonly id: string; readonly first: string | null; readonly last: string | null };
  readonly attributes: readonly ({ readonly id: string; readonly codelist: string | null } & Labelled)[];
}

export interface CatalogueAnswer<T> {
  readonly body: T;
  /** Newest of the views' releases and the structures behind the answer. */
  readonly lastModified: Date;
}

export interface DataflowCatalogueDependencies {
  readonly data: DataService;
  readonly structures: StructureService;
  readonly storedData: DataRepository;
  readonly calendar: CalendarService;
  readonly clock: Clock;
  /** Where the JSON API and the SDMX 2.1 API are served, for links (`/api/v1`, `/sdmx/2.1`). */
  readonly apiPrefix: string;
  readonly sdmxPrefix: string;
}

const THEMES_SCHEME = 'CAT_THEMES';

export class DataflowCatalogue {
  constructor(private readonly deps: DataflowCatalogueDependencies) {}

  /** Every dataflow, in id order, as public now. */
  async list(lang: Language): Promise<CatalogueAnswer<{ asOf: string; lang: Language; dataflows: DataflowSummary[] }>> {
    const at = this.deps.clock.now().toISOString();
    const calendar = this.calendarEntries();
    const flows = [...(this.deps.structures.registry.ofClass('Dataflow') as Dataflow[])].sort((a, b) => compare(a.id, b.id) || compare(a.agencyID, b.agencyID) || compare(a.version, b.version));
    const dataflows: DataflowSummary[] = [];
    let newest = 0;
    for (const flow of flows) {
      const { target, view } = this.targetOf(flow);
      const stats = await flowStats(this.deps.storedData, target, view);
      dataflows.push(this.summary(target, stats, calendar, lang));
      newest = Math.max(newest, this.lastModifiedOf(target, view));
    }
    return { body: { asOf: at, lang, dataflows }, lastModified: new Date(newest) };
  }

  /** One dataflow with its dimensions' codes that hold data. */
  async detail(idText: string, agency: string | undefined, version: string | undefined, lang: Language): Promise<CatalogueAnswer<{ asOf: string; lang: Language; dataflow: DataflowDetail }>> {
    const at = this.deps.clock.now().toISOString();
    const flow = this.resolve(idText, agency, version);
    const { target, view } = this.targetOf(flow);
    const stats = await flowStats(this.deps.storedData, target, view);
    const summary = this.summary(target, stats, this.calendarEntries(), lang);
    const { dsd } = target;
    const registry = this.deps.structures.registry;
    const dimensionDetails = dsd.dimensions.map((d): DimensionDetail => {
      const codelist = codelistOf(this.deps.structures, dsd, d.id);
      const counts = stats.codes.get(d.id) ?? new Map<string, CodeCount>();
      const hierarchy = codelist ? hierarchyOf(codelist, registry) : undefined;
      const codes = codesWithData(counts, hierarchy, lang);
      return {
        id: d.id,
        position: d.position,
        ...labelled(componentName(this.deps.structures, dsd, d.id), lang, d.id),
        codelist: codelist ? exactName(codelist) : null,
        hierarchical: hierarchy?.hierarchical ?? false,
        codes,
        ...(hierarchy?.hierarchical ? { tree: treeOf(counts, hierarchy, lang) } : {}),
      };
    });
    const attributes = dsd.attributes.map((a) => {
      const codelist = codelistOf(this.deps.structures, dsd, a.id);
      return { id: a.id, ...labelled(componentName(this.deps.structures, dsd, a.id), lang, a.id), codelist: codelist ? exactName(codelist) : null };
    });
    const dataflow: DataflowDetail = {
      ...summary,
      dimensions: dimensionDetails,
      timeDimension: { id: dsd.timeDimension.id, first: stats.firstPeriod ?? null, last: stats.lastPeriod ?? null },
      attributes,
    };
    return { body: { asOf: at, lang, dataflow }, lastModified: new Date(this.lastModifiedOf(target, view)) };
  }

  /** The dataflow a path names (bare id, AGENCY:ID(VERSION) or AGENCY,ID,VERSION) with the agency/version parameters. */
  resolve(idText: string, agency?: string, version?: string): Dataflow {
    return resolveArtefact<Dataflow>(this.deps.structures.registry, 'Dataflow', parseArtefactName(idText, agency, version), 'dataflow', 'unknown-dataflow');
  }

  private targetOf(flow: Dataflow): { target: DataTarget; view: FlowView } {
    return this.deps.data.target({
      api: '2.1',
      context: 'dataflow',
      flow: { agencyId: flow.agencyID, id: flow.id, version: flow.version },
      filters: [],
    });
  }

  private lastModifiedOf(target: DataTarget, view: FlowView): number {
    const structures = this.deps.structures.lastModifiedOf(this.structuresBehind(target));
    return Math.max(view.lastModified.getTime(), structures.getTime());
  }

  /** The dataflow, its DSD, the codelists and concept schemes it names, its categorisations and their schemes. */
  private structuresBehind(target: DataTarget): Maintainable[] {
    const { registry } = this.deps.structures;
    const out: Maintainable[] = [target.dataflow, target.dsd];
    for (const c of [...target.dsd.dimensions, ...target.dsd.attributes]) {
      const cl = codelistOf(this.deps.structures, target.dsd, c.id);
      if (cl) out.push(cl);
      const scheme = registry.get(c.conceptIdentity.scheme);
      if (scheme && !out.includes(scheme)) out.push(scheme);
    }
    for (const cat of this.categorisationsOf(target.dataflow)) {
      out.push(cat);
      const scheme = registry.get(cat.target.scheme);
      if (scheme && !out.includes(scheme)) out.push(scheme);
    }
    return out;
  }

  private categorisationsOf(flow: Dataflow): Categorisation[] {
    return (this.deps.structures.registry.ofClass('Categorisation') as Categorisation[]).filter(
      (c) => c.source.class === 'Dataflow' && c.source.agencyID === flow.agencyID && c.source.id === flow.id && c.source.version === flow.version,
    );
  }

  private categoriesOf(flow: Dataflow, lang: Language): ThemeInfo[] {
    const { registry } = this.deps.structures;
    const out: ThemeInfo[] = [];
    for (const cat of this.categorisationsOf(flow)) {
      const scheme = registry.get(cat.target.scheme) as CategoryScheme | undefined;
      if (scheme?.class !== 'CategoryScheme') continue;
      const category = scheme.items.find((c) => c.id === cat.target.id);
      if (!category) continue;
      const path: string[] = [];
      for (let p = category.parentID; p !== undefined && !path.includes(p); p = scheme.items.find((c) => c.id === p)?.parentID) path.unshift(p);
      out.push({ id: category.id, scheme: exactName(scheme), path, ...labelled(category.name, lang, category.id) });
    }
    // Themes first, then the other schemes (SDG), each by id.
    return out.sort((a, b) => Number(!a.scheme.includes(`:${THEMES_SCHEME}(`)) - Number(!b.scheme.includes(`:${THEMES_SCHEME}(`)) || compare(a.scheme, b.scheme) || compare(a.id, b.id));
  }

  private summary(target: DataTarget, stats: FlowStats, calendar: readonly CalendarEntry[], lang: Language): DataflowSummary {
    const flow = target.dataflow;
    const { dsd } = target;
    const flowKey = flowKeyOf(flow);
    const categories = this.categoriesOf(flow, lang);
    const mine = calendar.filter((e) => e.dataflows.includes(flowKey));
    const published = mine.filter((e) => e.state === 'published');
    const scheduled = mine.filter((e) => e.state === 'scheduled');
    const lastRelease = published.length ? releaseInfo(published.reduce((a, b) => (Date.parse(b.announcedAt) >= Date.parse(a.announcedAt) ? b : a))) : null;
    const nextRelease = scheduled.length ? releaseInfo(scheduled.reduce((a, b) => (Date.parse(b.announcedAt) < Date.parse(a.announcedAt) ? b : a))) : null;
    const pathName = pathNameOf(this.deps.structures.registry, flow);
    const sdmxFlow = `${flow.agencyID},${flow.id},${flow.version}`;
    const { apiPrefix, sdmxPrefix } = this.deps;
    return {
      id: flow.id,
      agency: flow.agencyID,
      version: flow.version,
      ...labelled(flow.name, lang, flow.id),
      description: textIn(flow.description, lang),
      descriptions: namesOf(flow.description),
      theme: categories[0] ?? null,
      categories,
      dimensions: dsd.dimensions.map((d) => ({ id: d.id, position: d.position, ...labelled(componentName(this.deps.structures, dsd, d.id), lang, d.id) })),
      series: stats.series,
      observations: stats.observations,
      period: stats.firstPeriod !== undefined && stats.lastPeriod !== undefined ? { first: stats.firstPeriod, last: stats.lastPeriod } : null,
      lastRelease,
      nextRelease,
      links: {
        self: `${apiPrefix}/dataflows/${pathName}`,
        observations: `${apiPrefix}/dataflows/${pathName}/observations`,
        sdmxStructure: `${sdmxPrefix}/dataflow/${flow.agencyID}/${flow.id}/${flow.version}?references=all`,
        sdmxData: `${sdmxPrefix}/data/${sdmxFlow}/all`,
        sdmxCsv: `${sdmxPrefix}/data/${sdmxFlow}/all?format=csv`,
      },
    };
  }

  private calendarEntries(): CalendarEntry[] {
    return this.deps.calendar.view().items.map((i) => i.entry);
  }
}

function releaseInfo(e: CalendarEntry): ReleaseInfo {
  return { code: e.code, title: e.title, announcedAt: e.announcedAt };
}

/** `name` in the language asked for (else English), `names` in every language held. */
export function labelled(text: Text | undefined, lang: Language, fallback?: string): Labelled {
  return { name: textIn(text, lang) ?? fallback ?? null, names: namesOf(text) };
}

function codesWithData(counts: ReadonlyMap<string, CodeCount>, hierarchy: CodeHierarchy | undefined, lang: Language): CodeWithData[] {
  const order = new Map(hierarchy?.codelist.items.map((c, i) => [c.id, i]) ?? []);
  const last = Number.MAX_SAFE_INTEGER;
  return [...counts]
    .sort(([a], [b]) => (order.get(a) ?? last) - (order.get(b) ?? last) || compare(a, b))
    .map(([id, c]) => ({
      id,
      ...labelled(hierarchy?.code(id)?.name, lang, id),
      ...described(hierarchy, id, lang),
      parent: hierarchy?.parentOf(id) ?? null,
      level: hierarchy?.levelOf(id) ?? 1,
      levelName: textIn(hierarchy?.levelNameOf(id), lang),
      series: c.series,
      observations: c.observations,
    }));
}

/** A code's description (an ICCS code's from CL_ICCS: hierarchy.ts describedBy) and its language; the full notes are on /codelists. */
function described(hierarchy: CodeHierarchy | undefined, id: string, lang: Language): Described {
  const { description, notesLang } = codeNotes(hierarchy?.describedBy(id), lang);
  return { description, descriptionLang: description === null ? null : notesLang };
}

/** The codes with data and their ancestors, nested in codelist order. */
function treeOf(counts: ReadonlyMap<string, CodeCount>, hierarchy: CodeHierarchy, lang: Language): TreeNode[] {
  const shown = new Set<string>();
  for (const id of counts.keys()) {
    if (!hierarchy.code(id)) continue;
    shown.add(id);
    for (const a of hierarchy.ancestorsOf(id)) shown.add(a);
  }
  const node = (id: string): TreeNode => {
    const c = counts.get(id);
    return {
      id,
      ...labelled(hierarchy.code(id)?.name, lang, id),
      ...described(hierarchy, id, lang),
      level: hierarchy.levelOf(id),
      levelName: textIn(hierarchy.levelNameOf(id), lang),
      holdsData: c !== undefined,
      series: c?.series ?? 0,
      observations: c?.observations ?? 0,
      children: hierarchy.childrenOf(id).filter((k) => shown.has(k)).map(node),
    };
  };
  return hierarchy.roots.filter((r) => shown.has(r)).map(node);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

