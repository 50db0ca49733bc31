/**
 * Resolvers of what the structures and the public data say about dataflows and codelists:
 * Query.dataflows, dataflow, codelist, and the Dataflow, Dimension, DimensionCode, Attribute,
 * Category, Codelist and Code types. Counts and codes with data come from the JSON API's
 * dataflow catalogue (services/catalogue/dataflows.ts), once per dataflow and request; codes and
 * trees from the codelists' hierarchies (services/catalogue/hierarchy.ts).
 */
import { ServiceError } from '../../../errors.js';
import type { Code, Codelist, Dataflow, DataStructure, Text } from '../../../sdmx/model.js';
import { exactName, namesOf, textIn } from '../../../services/catalogue/artefacts.js';
import { codeNotes } from '../../../services/catalogue/code-notes.js';
import { didYouMean, suggestCodes } from '../../../services/catalogue/code-suggestions.js';
import type { CodeWithData, DimensionDetail, ThemeInfo } from '../../../services/catalogue/dataflows.js';
import { hierarchyOf, type CodeHierarchy } from '../../../services/catalogue/hierarchy.js';
import { codelistOf, componentName } from '../../../services/data/data-service.js';
import { codelistNamed, dataflowNamed, globalId, label, languageArg, localised, type GraphqlContext } from '../context.js';

type LangArgs = { readonly lang?: string | null };

/** A dimension of a dataflow, with the catalogue's detail of it. */
export interface DimensionParent {
  readonly flow: Dataflow;
  readonly dsd: DataStructure;
  readonly detail: DimensionDetail;
}

/** A code of a codelist. */
export interface CodeParent {
  readonly codelist: Codelist;
  readonly id: string;
}

export function dsdOf(ctx: GraphqlContext, flow: Dataflow): DataStructure {
  const dsd = ctx.services.structures.registry.get(flow.structure);
  if (dsd?.class !== 'DataStructure') throw new ServiceError('internal', `The DSD of ${exactName(flow)} is not loaded`);
  return dsd;
}

function hierarchy(ctx: GraphqlContext, codelist: Codelist): CodeHierarchy {
  return hierarchyOf(codelist, ctx.services.structures.registry);
}

/** The codes of a list in codelist order, as Code parents. */
const codesIn = (codelist: Codelist, ids: readonly string[]): CodeParent[] => ids.map((id) => ({ codelist, id }));

function codeOfParent(ctx: GraphqlContext, p: CodeParent): Code {
  return hierarchy(ctx, p.codelist).code(p.id)!;
}

export const catalogueResolvers = {
  Query: {
    dataflows: (_: unknown, __: unknown, ctx: GraphqlContext): Dataflow[] =>
      [...(ctx.services.structures.registry.ofClass('Dataflow') as Dataflow[])].sort((a, b) => cmp(a.id, b.id) || cmp(a.agencyID, b.agencyID) || cmp(a.version, b.version)),
    dataflow: (_: unknown, args: { id: string }, ctx: GraphqlContext): Dataflow => dataflowNamed(ctx, args.id),
    codelist: (_: unknown, args: { id: string }, ctx: GraphqlContext): Codelist => codelistNamed(ctx, args.id),
  },

  Dataflow: {
    id: (flow: Dataflow) => globalId('Dataflow', exactName(flow)),
    code: (flow: Dataflow) => flow.id,
    agency: (flow: Dataflow) => flow.agencyID,
    version: (flow: Dataflow) => flow.version,
    reference: (flow: Dataflow) => exactName(flow),
    name: (flow: Dataflow, args: LangArgs, ctx: GraphqlContext) => label(flow.name, args, ctx) ?? flow.id,
    names: (flow: Dataflow) => localised(flow.name),
    description: (flow: Dataflow, args: LangArgs, ctx: GraphqlContext) => label(flow.description, args, ctx),
    theme: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => (await ctx.memo.detail(flow)).theme,
    categories: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => (await ctx.memo.detail(flow)).categories,
    dimensions: async (flow: Dataflow, _: unknown, ctx: GraphqlContext): Promise<DimensionParent[]> => {
      const detail = await ctx.memo.detail(flow);
      const dsd = dsdOf(ctx, flow);
      return detail.dimensions.map((d) => ({ flow, dsd, detail: d }));
    },
    dimension: async (flow: Dataflow, args: { code: string }, ctx: GraphqlContext): Promise<DimensionParent | null> => {
      const detail = await ctx.memo.detail(flow);
      const d = detail.dimensions.find((x) => x.id.toUpperCase() === args.code.toUpperCase());
      if (!d) {
        const ids = detail.dimensions.map((x) => x.id);
        throw new ServiceError('not-found', `${flow.id} has no dimension ${args.code}: its dimensions are ${ids.join(', ')}`, { parameter: 'code', allowed: ids });
      }
      return { flow, dsd: dsdOf(ctx, flow), detail: d };
    },
    attributes: (flow: Dataflow, _: unknown, ctx: GraphqlContext) => {
      const dsd = dsdOf(ctx, flow);
      return dsd.attributes.map((a) => ({ id: a.id, dsd }));
    },
    seriesCount: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => (await ctx.memo.detail(flow)).series,
    observationCount: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => (await ctx.memo.detail(flow)).observations,
    period: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => (await ctx.memo.detail(flow)).period,
    lastRelease: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => {
      const r = (await ctx.memo.detail(flow)).lastRelease;
      return r ? (ctx.memo.releases().get(r.code) ?? null) : null;
    },
    nextRelease: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => {
      const r = (await ctx.memo.detail(flow)).nextRelease;
      return r ? (ctx.memo.releases().get(r.code) ?? null) : null;
    },
    releases: (flow: Dataflow, _: unknown, ctx: GraphqlContext) => [...ctx.memo.releases().values()].filter((e) => e.dataflows.includes(exactName(flow))),
    links: async (flow: Dataflow, _: unknown, ctx: GraphqlContext) => {
      const links = (await ctx.memo.detail(flow)).links;
      return { api: links.self, observations: links.observations, sdmxStructure: links.sdmxStructure, sdmxData: links.sdmxData, sdmxCsv: links.sdmxCsv, metadata: `${links.self}/metadata` };
    },
  },

  Category: {
    code: (c: ThemeInfo) => c.id,
    name: (c: ThemeInfo, args: LangArgs, ctx: GraphqlContext) => c.names[languageArg(args, ctx)] ?? c.names.en ?? c.id,
    names: (c: ThemeInfo) => localised(c.names),
  },

  Dimension: {
    code: (d: DimensionParent) => d.detail.id,
    position: (d: DimensionParent) => d.detail.position,
    name: (d: DimensionParent, args: LangArgs, ctx: GraphqlContext) => label(componentName(ctx.services.structures, d.dsd, d.detail.id), args, ctx) ?? d.detail.id,
    names: (d: DimensionParent) => localised(d.detail.names),
    codelist: (d: DimensionParent, _: unknown, ctx: GraphqlContext) => codelistOf(ctx.services.structures, d.dsd, d.detail.id) ?? null,
    hierarchical: (d: DimensionParent) => d.detail.hierarchical,
    codes: (d: DimensionParent, _: unknown, ctx: GraphqlContext) => {
      const codelist = codelistOf(ctx.services.structures, d.dsd, d.detail.id);
      return d.detail.codes.map((code) => ({ code, codelist }));
    },
  },

  DimensionCode: {
    code: (p: { code: CodeWithData }) => p.code.id,
    name: (p: { code: CodeWithData; codelist?: Codelist }, args: LangArgs, ctx: GraphqlContext) =>
      (p.codelist ? label(hierarchy(ctx, p.codelist).code(p.code.id)?.name, args, ctx) : null) ?? p.code.names[languageArg(args, ctx)] ?? p.code.id,
    level: (p: { code: CodeWithData }) => p.code.level,
    parent: (p: { code: CodeWithData }) => p.code.parent,
    seriesCount: (p: { code: CodeWithData }) => p.code.series,
    observationCount: (p: { code: CodeWithData }) => p.code.observations,
    entry: (p: { code: CodeWithData; codelist?: Codelist }, _: unknown, ctx: GraphqlContext): CodeParent | null =>
      p.codelist && hierarchy(ctx, p.codelist).code(p.code.id) ? { codelist: p.codelist, id: p.code.id } : null,
  },

  Attribute: {
    code: (a: { id: string }) => a.id,
    name: (a: { id: string; dsd: DataStructure }, args: LangArgs, ctx: GraphqlContext) => label(componentName(ctx.services.structures, a.dsd, a.id), args, ctx) ?? a.id,
    codelist: (a: { id: string; dsd: DataStructure }, _: unknown, ctx: GraphqlContext) => codelistOf(ctx.services.structures, a.dsd, a.id) ?? null,
  },

  Codelist: {
    id: (c: Codelist) => globalId('Codelist', exactName(c)),
    code: (c: Codelist) => c.id,
    agency: (c: Codelist) => c.agencyID,
    version: (c: Codelist) => c.version,
    reference: (c: Codelist) => exactName(c),
    name: (c: Codelist, args: LangArgs, ctx: GraphqlContext) => label(c.name, args, ctx) ?? c.id,
    names: (c: Codelist) => localised(c.name),
    description: (c: Codelist, args: LangArgs, ctx: GraphqlContext) => label(c.description, args, ctx),
    source: (c: Codelist, _: unknown, ctx: GraphqlContext) => codelistHead(ctx, c).source,
    hierarchical: (c: Codelist, _: unknown, ctx: GraphqlContext) => hierarchy(ctx, c).hierarchical,
    codeCount: (c: Codelist) => c.items.length,
    levels: (c: Codelist, _: unknown, ctx: GraphqlContext) => hierarchy(ctx, c).levels,
    codes: (c: Codelist, args: { level?: number | null }, ctx: GraphqlContext) => {
      const h = hierarchy(ctx, c);
      const ids = c.items.map((i) => i.id);
      return codesIn(c, args.level == null ? ids : ids.filter((id) => h.levelOf(id) === args.level));
    },
    entry: (c: Codelist, args: { code: string }, ctx: GraphqlContext): CodeParent => {
      if (hierarchy(ctx, c).code(args.code)) return { codelist: c, id: args.code };
      const suggestions = suggestCodes(c, args.code, ctx.lang);
      throw new ServiceError('not-found', `"${args.code}" is not a code of ${exactName(c)}.${didYouMean(suggestions)}`, {
        parameter: 'code',
        ...(suggestions.length ? { extensions: { suggestions: suggestions.map((s) => s.id) } } : {}),
      });
    },
    roots: (c: Codelist, _: unknown, ctx: GraphqlContext) => codesIn(c, hierarchy(ctx, c).roots),
    descendants: (c: Codelist, args: { maxLevel?: number | null }, ctx: GraphqlContext) => {
      const h = hierarchy(ctx, c);
      const ids = c.items.map((i) => i.id);
      return codesIn(c, args.maxLevel == null ? ids : ids.filter((id) => h.levelOf(id) <= args.maxLevel!));
    },
    links: (c: Codelist, _: unknown, ctx: GraphqlContext) => {
      const head = codelistHead(ctx, c);
      return { api: head.links.self, sdmx: head.links.sdmx };
    },
  },

  Level: {
    name: (l: { name: Text }, args: LangArgs, ctx: GraphqlContext) => label(l.name, args, ctx),
  },

  Code: {
    code: (p: CodeParent) => p.id,
    name: (p: CodeParent, args: LangArgs, ctx: GraphqlContext) => label(codeOfParent(ctx, p).name, args, ctx) ?? p.id,
    names: (p: CodeParent, _: unknown, ctx: GraphqlContext) => localised(namesOf(codeOfParent(ctx, p).name)),
    description: (p: CodeParent, _: unknown, ctx: GraphqlContext) => notesOf(ctx, p).description,
    inclusions: (p: CodeParent, _: unknown, ctx: GraphqlContext) => notesOf(ctx, p).inclusions,
    exclusions: (p: CodeParent, _: unknown, ctx: GraphqlContext) => notesOf(ctx, p).exclusions,
    notesLang: (p: CodeParent, _: unknown, ctx: GraphqlContext) => notesOf(ctx, p).notesLang,
    notesSource: (p: CodeParent, _: unknown, ctx: GraphqlContext) => notesOf(ctx, p).notesSource,
    level: (p: CodeParent, _: unknown, ctx: GraphqlContext) => hierarchy(ctx, p.codelist).levelOf(p.id),
    levelName: (p: CodeParent, args: LangArgs, ctx: GraphqlContext) => label(hierarchy(ctx, p.codelist).levelNameOf(p.id), args, ctx),
    parent: (p: CodeParent, _: unknown, ctx: GraphqlContext): CodeParent | null => {
      const parent = hierarchy(ctx, p.codelist).parentOf(p.id);
      return parent === undefined ? null : { codelist: p.codelist, id: parent };
    },
    children: (p: CodeParent, _: unknown, ctx: GraphqlContext) => codesIn(p.codelist, hierarchy(ctx, p.codelist).childrenOf(p.id)),
    ancestors: (p: CodeParent, _: unknown, ctx: GraphqlContext) => codesIn(p.codelist, hierarchy(ctx, p.codelist).ancestorsOf(p.id)),
    descendants: (p: CodeParent, args: { maxLevel?: number | null }, ctx: GraphqlContext) => {
      const h = hierarchy(ctx, p.codelist);
      const below = h.withDescendants(p.id).filter((id) => id !== p.id);
      return codesIn(p.codelist, args.maxLevel == null ? below : below.filter((id) => h.levelOf(id) <= args.maxLevel!));
    },
    codelist: (p: CodeParent) => p.codelist,
  },
};

/** What the structures say about a code beyond its name (ICCS: description, inclusions, exclusions: English only). */
function notesOf(ctx: GraphqlContext, p: CodeParent) {
  return codeNotes(hierarchy(ctx, p.codelist).describedBy(p.id), ctx.lang);
}

function codelistHead(ctx: GraphqlContext, c: Codelist) {
  return ctx.services.codelists.head(c, ctx.lang);
}

/** The label of a code of a dimension's codelist, in the language asked. */
export function codeLabel(ctx: GraphqlContext, codelist: Codelist | undefined, code: string, args: LangArgs): string | null {
  return codelist ? textIn(hierarchy(ctx, codelist).code(code)?.name, languageArg(args, ctx)) : null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

