/**
 * Checks one candidate metadata set against the structures and turns it into a MetadataSet.
 * The candidate is plain data, as parsed from a YAML file or (later) a publisher's JSON body,
 * with the same fields either way:
 *
 *   set, version, release, name {en, es}, sources [{title, url?, licence?}],
 *   attributes {MSD attribute id: {en, es} | code | number}
 *
 * plus its target (dataflow, and area for a country note), which a file takes from its path.
 * Every problem is returned as {field, message} with the field's path (`attributes.CNT_UNIT`,
 * `sources[0].title`), so a file can name the line and an API answer the field; nothing is
 * thrown, and a set is returned only when there is no problem.
 */
import { CRIME_METADATA, type MetadataSet, type ReportedAttribute } from '../../sdmx/metadata/model.js';
import { refOf, type Dataflow, type MaintainableRef, type MetadataAttribute, type Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { nestByStructure, type AttributeContent } from './attribute-tree.js';
import { isComputed, isMandatory, reportStructureOf, valueKindOf, type MetadataSetKind, type ReportStructureOf } from './report-structure.js';
import { isSemver } from './semver.js';

export interface MetadataSetProblem {
  /** Path of the field at fault, e.g. `attributes.DATA_DESCR.es`; `dataflow` or `area` for the target. */
  readonly field: string;
  readonly message: string;
}

/** Where an authored set's content comes from (shown with the report, never used by the server). */
export interface MetadataSource {
  readonly title: string;
  readonly url?: string;
  readonly licence?: string;
}

/** A metadata set with the sources its text was written from. */
export interface SourcedMetadataSet extends MetadataSet {
  readonly sources: readonly MetadataSource[];
}

export interface MetadataSetTargetInput {
  /** A dataflow id under UNODC, version 1.0, or `AGENCY:ID(VERSION)`. */
  readonly dataflow: string;
  /** A code of the area codelist: the candidate is a country note. */
  readonly area?: string;
}

export interface MetadataSetCheck {
  readonly problems: readonly MetadataSetProblem[];
  /** Present exactly when there is no problem; without validFrom (its release's instant). */
  readonly set?: SourcedMetadataSet;
}

/** Who provides our reports: UNODC writes every one, for its own and Eurostat's dataflows alike. */
export const METADATA_PROVIDER = {
  scheme: { class: 'DataProviderScheme', agencyID: 'UNODC', id: 'DATA_PROVIDERS', version: '1.0' } as MaintainableRef,
  id: 'UNODC',
} as const;

const FIELDS = ['set', 'version', 'release', 'name', 'sources', 'attributes'] as const;
const SOURCE_FIELDS = ['title', 'url', 'licence'] as const;
const LANGUAGES = ['en', 'es'] as const;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** `MS_<FLOW>` for a dataflow report, `MS_<FLOW>_<AREA>` for a country note. */
export const setIdOf = (dataflowId: string, area?: string) => `MS_${dataflowId}${area === undefined ? '' : `_${area}`}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFilled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const describe = (v: unknown) =>
  v === null ? 'empty' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;

class Problems {
  readonly list: MetadataSetProblem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  unknownKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add(`${prefix}${key}`, `unknown key "${key}" (expected ${allowed.join(', ')})`);
    }
  }
}

/** Bilingual text: en and es non-empty, other keys language tags; trimmed. */
function checkText(value: unknown, field: string, problems: Problems): Text | undefined {
  if (!isRecord(value)) {
    problems.add(field, `expected a text in en and es (a mapping with keys en and es), got ${describe(value)}`);
    return undefined;
  }
  let ok = true;
  for (const lang of LANGUAGES) {
    if (!(lang in value)) {
      problems.add(`${field}.${lang}`, `the ${lang === 'en' ? 'English' : 'Spanish'} text (${lang}) is missing`);
      ok = false;
    } else if (!isFilled(value[lang])) {
      problems.add(`${field}.${lang}`, `the ${lang === 'en' ? 'English' : 'Spanish'} text (${lang}) is empty`);
      ok = false;
    }
  }
  for (const [lang, text] of Object.entries(value)) {
    if ((LANGUAGES as readonly string[]).includes(lang)) continue;
    if (!LANGUAGE_TAG.test(lang)) {
      problems.add(`${field}.${lang}`, `unknown key "${lang}": a text's keys are languages (en, es)`);
      ok = false;
    } else if (!isFilled(text)) {
      problems.add(`${field}.${lang}`, `the ${lang} text is empty`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  const out: Record<string, string> = {};
  for (const lang of [...LANGUAGES, ...Object.keys(value).filter((l) => !(LANGUAGES as readonly string[]).includes(l)).sort()]) out[lang] = (value[lang] as string).trim();
  return out;
}

function checkSources(value: unknown, problems: Problems): MetadataSource[] {
  if (value === undefined || value === null) {
    problems.add('sources', 'no sources: name at least one source the text was written from (title, and url or licence if known)');
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.add('sources', `expected a list of at least one source, got ${Array.isArray(value) ? 'an empty list' : describe(value)}`);
    return [];
  }
  const out: MetadataSource[] = [];
  value.forEach((source, i) => {
    const field = `sources[${i}]`;
    if (!isRecord(source)) {
      problems.add(field, `expected a mapping with title, url, licence, got ${describe(source)}`);
      return;
    }
    problems.unknownKeys(source, SOURCE_FIELDS, `${field}.`);
    if (!isFilled(source.title)) problems.add(`${field}.title`, source.title === undefined ? 'the title is missing' : 'the title must be a non-empty string');
    for (const key of ['url', 'licence'] as const) {
      if (source[key] !== undefined && !isFilled(source[key])) problems.add(`${field}.${key}`, `${key} must be a non-empty string`);
    }
    if (isFilled(source.url) && !/^https?:\/\/\S+$/.test(source.url.trim())) problems.add(`${field}.url`, `"${source.url}" is not an http(s) URL`);
    if (isFilled(source.title)) {
      out.push({
        title: source.title.trim(),
        ...(isFilled(source.url) ? { url: source.url.trim() } : {}),
        ...(isFilled(source.licence) ? { licence: source.licence.trim() } : {}),
      });
    }
  });
  return out;
}

function codesOf(registry: StructureRegistry, ref: MaintainableRef): Set<string> | undefined {
  const codelist = registry.get(ref);
  return codelist?.class === 'Codelist' ? new Set(codelist.items.map((c) => c.id)) : undefined;
}

const listRef = (r: MaintainableRef) => `${r.agencyID}:${r.id}(${r.version})`;

function checkAttributeValue(a: MetadataAttribute, value: unknown, field: string, registry: StructureRegistry, problems: Problems): AttributeContent | undefined {
  switch (valueKindOf(a)) {
    case 'text': {
      const text = checkText(value, field, problems);
      return text ? { text } : undefined;
    }
    case 'code': {
      const ref = a.localRepresentation!.enumeration!;
      const codes = codesOf(registry, ref);
      if (!codes) {
        problems.add(field, `its codelist ${listRef(ref)} is not in the structures`);
        return undefined;
      }
      if (typeof value !== 'string' || !codes.has(value)) {
        problems.add(field, `${typeof value === 'string' ? `"${value}"` : describe(value)} is not a code of ${listRef(ref)} (codes: ${[...codes].join(', ')})`);
        return undefined;
      }
      return { value };
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.add(field, `expected a number, got ${describe(value)}`);
        return undefined;
      }
      return { value: String(value) };
    case 'scalar':
      if (!isFilled(value)) {
        problems.add(field, `expected a non-empty string, got ${describe(value)}`);
        return undefined;
      }
      return { value: value.trim() };
  }
}

function checkAttributes(value: unknown, structure: ReportStructureOf, registry: StructureRegistry, problems: Problems): Map<string, AttributeContent> {
  const contents = new Map<string, AttributeContent>();
  if (value !== undefined && !isRecord(value)) {
    problems.add('attributes', `expected a mapping from attribute ids of ${structure.msd.id} to their values, got ${describe(value)}`);
    return contents;
  }
  const authored = value ?? {};
  for (const [id, v] of Object.entries(authored)) {
    const field = `attributes.${id}`;
    const a = structure.byId.get(id);
    if (!a) {
      problems.add(field, `unknown attribute "${id}": ${structure.msd.id} (report ${structure.reportID}) has no such attribute`);
      continue;
    }
    if (a.isPresentational) {
      const children = a.children.map((c) => c.id).join(', ');
      problems.add(field, `${id} is a presentational group: it holds no value; write its attributes (${children}) at the top level instead`);
      continue;
    }
    if (isComputed(a)) {
      problems.add(field, `${id} is computed by the server when the report is requested; it must not be written`);
      continue;
    }
    const content = checkAttributeValue(a, v, field, registry, problems);
    if (content) contents.set(id, content);
  }
  for (const a of structure.byId.values()) {
    if (isMandatory(a) && !(a.id in authored)) {
      problems.add(`attributes.${a.id}`, `${a.id} is mandatory in ${structure.msd.id} and missing`);
    }
  }
  return contents;
}

/** The registry's dataflow for a target, or undefined. */
function dataflowOf(registry: StructureRegistry, dataflow: string): Dataflow | undefined {
  const full = /^([^:()]+):([^:()]+)\(([^()]+)\)$/.exec(dataflow);
  const ref: MaintainableRef = full
    ? { class: 'Dataflow', agencyID: full[1]!, id: full[2]!, version: full[3]! }
    : { class: 'Dataflow', agencyID: CRIME_METADATA.agencyID, id: dataflow, version: '1.0' };
  const found = registry.get(ref);
  return found?.class === 'Dataflow' ? found : undefined;
}

export function checkMetadataSet(candidate: unknown, target: MetadataSetTargetInput, registry: StructureRegistry): MetadataSetCheck {
  const problems = new Problems();
  const kind: MetadataSetKind = target.area === undefined ? 'report' : 'countryNote';
  const structure = reportStructureOf(registry, kind);
  if (typeof structure === 'string') return { problems: [{ field: 'set', message: `cannot check a ${kind === 'report' ? 'dataflow report' : 'country note'}: ${structure}` }] };

  const dataflow = dataflowOf(registry, target.dataflow);
  if (!dataflow) problems.add('dataflow', `unknown dataflow "${target.dataflow}": the structures define no dataflow ${target.dataflow.includes(':') ? target.dataflow : `UNODC:${target.dataflow}(1.0)`}`);
  if (target.area !== undefined) {
    const codes = codesOf(registry, structure.areaCodelist!);
    if (!codes?.has(target.area)) problems.add('area', `unknown area "${target.area}": not a code of ${listRef(structure.areaCodelist!)}`);
  }

  if (!isRecord(candidate)) {
    problems.add('(document)', `expected a mapping with ${FIELDS.join(', ')}, got ${describe(candidate)}`);
    return { problems: problems.list };
  }
  problems.unknownKeys(candidate, FIELDS, '');

  const expectedSet = setIdOf(dataflow?.id ?? target.dataflow, target.area);
  if (candidate.set === undefined) problems.add('set', `the set id is missing (expected ${expectedSet})`);
  else if (candidate.set !== expectedSet) problems.add('set', `${describe(candidate.set)} does not match where it is: expected ${expectedSet}`);

  if (candidate.version === undefined) problems.add('version', 'the version is missing (MAJOR.MINOR.PATCH, e.g. 1.0.0)');
  else if (typeof candidate.version !== 'string' || !isSemver(candidate.version)) {
    problems.add('version', `${describe(candidate.version)} is not a semantic version MAJOR.MINOR.PATCH (e.g. 1.0.0; quote it if YAML reads a number)`);
  }

  if (candidate.release === undefined) problems.add('release', 'the release is missing: name the release whose instant makes this version public');
  else if (!isFilled(candidate.release)) problems.add('release', `expected a release code, got ${describe(candidate.release)}`);

  let name: Text | undefined;
  if (candidate.name === undefined) problems.add('name', 'the name is missing (en and es)');
  else name = checkText(candidate.name, 'name', problems);
  const sources = checkSources(candidate.sources, problems);
  const contents = checkAttributes(candidate.attributes, structure, registry, problems);

  if (problems.list.length > 0) return { problems: problems.list };
  const attributes: ReportedAttribute[] = nestByStructure(structure.attributes, contents);
  const set: SourcedMetadataSet = {
    agencyID: CRIME_METADATA.agencyID,
    id: expectedSet,
    version: candidate.version as string,
    name: name!,
    metadataflow: refOf(structure.metadataflow),
    structure: refOf(structure.msd),
    reportID: structure.reportID,
    targetID: structure.targetID,
    target: {
      dataflow: refOf(dataflow!),
      ...(target.area !== undefined ? { area: { class: 'Code', scheme: structure.areaCodelist!, id: target.area } } : {}),
    },
    provider: { scheme: METADATA_PROVIDER.scheme, id: METADATA_PROVIDER.id },
    release: (candidate.release as string).trim(),
    attributes,
    sources,
  };
  return { problems: [], set };
}
