/**
 * Reads the authored reference metadata in `metadata/` (METADATA_DIR): one YAML file per
 * version of a metadata set,
 *
 *   <DATAFLOW_ID>/report-<version>.yaml          a dataflow report
 *   <DATAFLOW_ID>/areas/<AREA>-<version>.yaml    a country note (AREA a code of the area codelist)
 *
 * and checks every one (check-metadata-set.ts) and all of them together (no set and version
 * twice). Files that are not YAML (README.md, SOURCES.md) are not read. Any problem stops
 * start-up with one MetadataLoadError listing every problem as `file:line: field: message`, so
 * an author fixes a whole batch at once; the line is the field's, or its nearest parent's.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { checkMetadataSet, type MetadataSetProblem, type MetadataSetTargetInput, type SourcedMetadataSet } from './check-metadata-set.js';

export class MetadataLoadError extends Error {
  override name = 'MetadataLoadError';
}

export interface AuthoredMetadataFile {
  /** Relative to the metadata folder's parent: `metadata/DF_CTS_HOMICIDE/report-1.0.0.yaml`. */
  readonly file: string;
  readonly set: SourcedMetadataSet;
}

/** What a file's path says it holds. */
interface Place {
  readonly target: MetadataSetTargetInput;
  readonly version: string;
}

const YAML_FILE = /\.ya?ml$/;
const LAYOUT = '<DATAFLOW_ID>/report-<version>.yaml or <DATAFLOW_ID>/areas/<AREA>-<version>.yaml';
/** Most problems one error message lists. */
const LISTED = 50;

/** Every YAML file under `dir`, as paths relative to it with `/`, in a stable order; hidden entries skipped. */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(dir, relative)).sort()) {
      if (name.startsWith('.')) continue;
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else if (YAML_FILE.test(name)) out.push(child);
    }
  };
  walk('');
  return out;
}

function placeOf(relative: string): Place | undefined {
  const parts = relative.split('/');
  const stem = (name: string) => name.replace(YAML_FILE, '');
  if (parts.length === 2) {
    const m = /^report-(.+)$/.exec(stem(parts[1]!));
    return m ? { target: { dataflow: parts[0]! }, version: m[1]! } : undefined;
  }
  if (parts.length === 3 && parts[1] === 'areas') {
    const m = /^([^-]+)-(.+)$/.exec(stem(parts[2]!));
    return m ? { target: { dataflow: parts[0]!, area: m[1]! }, version: m[2]! } : undefined;
  }
  return undefined;
}

/** `attributes.CNT_UNIT.en`, `sources[0].title` → path segments. */
function segmentsOf(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/** The line of a field's key (or of its nearest parent present in the document); 1 when none is. */
function lineOf(doc: Document, lines: LineCounter, field: string): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const segment of segmentsOf(field)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair || !isScalar(pair.key) || !pair.key.range) break;
      offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number, number, number] } | undefined;
      if (!item?.range) break;
      offset = item.range[0];
      node = item;
    } else break;
  }
  return Math.max(1, lines.linePos(offset).line);
}

const problemLine = (file: string, line: number, p: MetadataSetProblem) => `${file}:${line}: ${p.field}: ${p.message}`;

/** One file: its set, or its problems as `file:line: field: message`. */
function readOne(dir: string, relative: string, registry: StructureRegistry): { set?: SourcedMetadataSet; setLine?: number; problems: string[] } {
  const file = `${path.basename(dir)}/${relative}`;
  const place = placeOf(relative);
  if (!place) return { problems: [problemLine(file, 1, { field: '(file name)', message: `not where a metadata set goes: expected ${LAYOUT}` })] };
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(readFileSync(path.join(dir, relative), 'utf8'), { lineCounter: lines, prettyErrors: false });
  } catch (err) {
    return { problems: [problemLine(file, 1, { field: '(document)', message: `cannot read it: ${(err as Error).message}` })] };
  }
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => problemLine(file, Math.max(1, lines.linePos(e.pos[0]).line), { field: '(yaml)', message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const candidate: unknown = doc.toJS();
  const checked = checkMetadataSet(candidate, place.target, registry);
  const problems = [...checked.problems];
  const version = (candidate as { version?: unknown } | null)?.version;
  if (typeof version === 'string' && version !== place.version) {
    problems.push({ field: 'version', message: `${version} does not match the file name, which says ${place.version}` });
  }
  if (problems.length > 0) return { problems: problems.map((p) => problemLine(file, lineOf(doc, lines, p.field), p)) };
  return { set: checked.set!, setLine: lineOf(doc, lines, 'set'), problems: [] };
}

/**
 * Every metadata set version authored under `dir`, checked against the structures in
 * `registry`. A missing folder holds none. Throws MetadataLoadError naming every problem.
 */
export function readMetadataFiles(dir: string, registry: StructureRegistry): AuthoredMetadataFile[] {
  if (!existsSync(dir)) return [];
  let relatives: string[];
  try {
    relatives = yamlFiles(dir);
  } catch (err) {
    throw new MetadataLoadError(`Cannot read the metadata folder ${dir}: ${(err as Error).message}`);
  }
  const out: AuthoredMetadataFile[] = [];
  const problems: string[] = [];
  const fileOf = new Map<string, string>();
  for (const relative of relatives) {
    const one = readOne(dir, relative, registry);
    problems.push(...one.problems);
    if (!one.set) continue;
    const file = `${path.basename(dir)}/${relative}`;
    const identity = `${one.set.agencyID}:${one.set.id}(${one.set.version})`;
    const earlier = fileOf.get(identity);
    if (earlier) {
      problems.push(problemLine(file, one.setLine ?? 1, { field: 'set', message: `${one.set.id} version ${one.set.version} is already defined in ${earlier}` }));
      continue;
    }
    fileOf.set(identity, file);
    out.push({ file, set: one.set });
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, LISTED).join('\n  ');
    const more = problems.length > LISTED ? `\n  ... and ${problems.length - LISTED} more` : '';
    throw new MetadataLoadError(`The reference metadata in ${dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${listed}${more}`);
  }
  return out;
}
