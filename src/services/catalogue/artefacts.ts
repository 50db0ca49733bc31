/**
 * How the JSON API names a dataflow or a codelist: a bare id when one agency holds it
 * (`DF_CTS_HOMICIDE`), or exactly (`UNODC:DF_CTS_HOMICIDE(1.0)`, also the SDMX flowRef form
 * `UNODC,DF_CTS_HOMICIDE,1.0`), optionally narrowed by the `agency` and `version` query
 * parameters. Several versions of one agency's artefact: the latest (stable preferred), as the
 * SDMX `latest` does. An id several agencies hold is refused, listing the exact references.
 * Also the labels every JSON answer carries: `names` (every language held) and `name` (one).
 */
import type { MaintainableBase, MaintainableClass, Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { compareVersions, isStable } from '../../sdmx/structure-query/versions.js';
import { preferredLanguages } from '../../http/language.js';
import { ServiceError, invalidParameter } from '../../errors.js';

/** Label languages the structures carry (every name has English; most have Spanish). */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

const ID = /^[A-Za-z\d_@$-]+$/;
const AGENCY = /^[A-Za-z][A-Za-z\d_-]*(\.[A-Za-z][A-Za-z\d_-]*)*$/;
const VERSION = /^\d+(\.\d+)*$/;
const EXACT = /^([^:,()]+):([^:,()]+)\(([^()]+)\)$/;
const FLOW_REF = /^([^:,()]+),([^:,()]+),([^:,()]+)$/;

export interface ArtefactName {
  readonly agency?: string;
  readonly id: string;
  /** An exact version, or undefined for the latest. */
  readonly version?: string;
}

/**
 * Reads the path's `id` and the `agency`/`version` parameters. `latest` (or no version) means
 * the latest; an exact reference and a contradicting parameter are refused.
 */
export function parseArtefactName(idText: string, agencyParam?: string, versionParam?: string): ArtefactName {
  let agency: string | undefined;
  let id = idText;
  let version: string | undefined;
  const exact = EXACT.exec(idText) ?? FLOW_REF.exec(idText);
  if (exact) [, agency, id, version] = exact as unknown as [string, string, string, string];
  if (!ID.test(id)) throw invalidParameter('id', `Invalid id "${idText}": expected an id such as DF_CTS_HOMICIDE, or AGENCY:ID(VERSION)`);
  if (agency !== undefined && !AGENCY.test(agency)) throw invalidParameter('id', `Invalid agency "${agency}" in "${idText}"`);
  if (agencyParam !== undefined) {
    if (!AGENCY.test(agencyParam)) throw invalidParameter('agency', `Invalid agency "${agencyParam}": expected an id such as UNODC`);
    if (agency !== undefined && agency !== agencyParam) throw invalidParameter('agency', `agency=${agencyParam} contradicts the agency ${agency} named in the path`);
    agency = agencyParam;
  }
  if (versionParam !== undefined && versionParam !== 'latest') {
    if (!VERSION.test(versionParam)) throw invalidParameter('version', `Invalid version "${versionParam}": expected latest or a version such as 1.0`);
    if (version !== undefined && version !== versionParam) throw invalidParameter('version', `version=${versionParam} contradicts the version ${version} named in the path`);
    version = versionParam;
  }
  if (version === 'latest') version = undefined;
  if (version !== undefined && !VERSION.test(version)) throw invalidParameter('id', `Invalid version "${version}" in "${idText}"`);
  return { agency, id, version };
}

/** `AGENCY:ID(VERSION)`. */
export function exactName(a: Pick<MaintainableBase, 'agencyID' | 'id' | 'version'>): string {
  return `${a.agencyID}:${a.id}(${a.version})`;
}

/**
 * The one artefact of `cls` a name designates. Unknown: not-found with `code` (e.g.
 * `unknown-dataflow`); several agencies: invalid-input on `id` listing the exact references.
 */
export function resolveArtefact<T extends MaintainableBase>(
  registry: StructureRegistry,
  cls: MaintainableClass,
  name: ArtefactName,
  what: string,
  notFoundCode?: 'unknown-dataflow',
): T {
  const all = registry.ofClass(cls) as unknown as readonly T[];
  const matches = all.filter((a) => a.id === name.id && (name.agency === undefined || a.agencyID === name.agency) && (name.version === undefined || a.version === name.version));
  if (matches.length === 0) {
    const named = `${name.agency ? `${name.agency}:` : ''}${name.id}${name.version ? `(${name.version})` : ''}`;
    const sameId = all.filter((a) => a.id === name.id).map(exactName);
    const hint = sameId.length ? `; there is ${sameId.join(', ')}` : '';
    throw new ServiceError('not-found', `No ${what} ${named}${hint}`, notFoundCode ? { code: notFoundCode } : {});
  }
  const agencies = [...new Set(matches.map((a) => a.agencyID))];
  if (agencies.length > 1) {
    const refs = matches.map(exactName).sort();
    throw new ServiceError('invalid-input', `Several agencies publish a ${what} ${name.id}: name one as AGENCY:ID(VERSION) or with the agency parameter`, {
      parameter: 'id',
      allowed: refs,
    });
  }
  return latest(matches);
}

/** The latest version, stable ones preferred (SDMX `latest`). */
export function latest<T extends Pick<MaintainableBase, 'version'>>(versions: readonly T[]): T {
  return versions.reduce((best, a) => {
    const better = (isStable(a.version) && !isStable(best.version)) || (isStable(a.version) === isStable(best.version) && compareVersions(a.version, best.version) > 0);
    return better ? a : best;
  });
}

/** The path segment that names an artefact in links: the bare id when no other agency or version has it. */
export function pathNameOf(registry: StructureRegistry, a: MaintainableBase): string {
  const others = registry.ofClass(a.class).filter((x) => x.id === a.id && x !== a);
  return others.length ? encodeURIComponent(exactName(a)) : a.id;
}

/** The `lang` parameter (en, es), else the first of ours in Accept-Language, else English. */
export function languageOf(langParam: string | undefined, acceptLanguage: string | undefined): Language {
  if (langParam !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(langParam)) throw invalidParameter('lang', `Invalid lang "${langParam}": expected one of ${LANGUAGES.join(', ')}`, LANGUAGES);
    return langParam as Language;
  }
  const first = preferredLanguages(undefined, acceptLanguage).find((l) => (LANGUAGES as readonly string[]).includes(l));
  return (first as Language | undefined) ?? 'en';
}

/** A text in one language, else English, else any. */
export function textIn(text: Text | undefined, lang: string): string | null {
  if (!text) return null;
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? null;
}

/** Every language a text is held in (a copy, so answers never share the model's objects). */
export function namesOf(text: Text | undefined): Record<string, string> {
  return text ? { ...text } : {};
}
