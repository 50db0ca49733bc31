/**
 * Reads the structure files in `sdmx/` (SDMX-ML 2.1 structure messages, one or more artefacts
 * each; `*.json`: one SDMX 3.0-only artefact in our JSON form, src/sdmx/model-json.ts) and checks them as a whole: every file parses, no artefact is defined twice, every
 * reference resolves. Any problem stops start-up with a message naming the file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readStructureMl21 } from '../sdmx/ml21/structure-reader.js';
import { readArtefactJson } from '../sdmx/model-json.js';
import { refKey, refOf, type Maintainable } from '../sdmx/model.js';
import { StructureRegistry } from '../sdmx/structure-query/registry.js';
import { itemReferenceProblems } from '../sdmx/structure-query/integrity.js';
import type { ArtefactToStore } from '../storage/repositories.js';

export class StructureLoadError extends Error {}

/** All `*.xml` and `*.json` files under `dir`, recursively, in a stable order; `sources/` holds inputs, not structures. */
function structureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'sources') walk(full);
      } else if (name.endsWith('.xml') || name.endsWith('.json')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

export function readStructureFiles(dir: string): ArtefactToStore[] {
  let files: string[];
  try {
    files = structureFiles(dir);
  } catch (err) {
    throw new StructureLoadError(`Cannot read the structures folder ${dir}: ${(err as Error).message}`);
  }
  if (files.length === 0) throw new StructureLoadError(`No structure files (*.xml) in ${dir}`);
  const out: ArtefactToStore[] = [];
  const definedIn = new Map<string, string>();
  const identityIn = new Map<string, string>();
  for (const file of files) {
    const source = path.relative(path.dirname(dir), file).split(path.sep).join('/');
    let artefacts: Maintainable[];
    try {
      const text = readFileSync(file, 'utf8');
      artefacts = file.endsWith('.json') ? [readArtefactJson(text)] : readStructureMl21(text);
    } catch (err) {
      throw new StructureLoadError(`${source}: ${(err as Error).message}`);
    }
    if (artefacts.length === 0) throw new StructureLoadError(`${source}: the message holds no structures`);
    for (const artefact of artefacts) {
      const key = refKey(refOf(artefact));
      // REST clients address artefacts by agency, id and version alone, across all types.
      const identity = `${artefact.agencyID}:${artefact.id}(${artefact.version})`;
      const earlier = definedIn.get(key) ?? identityIn.get(identity);
      if (earlier) throw new StructureLoadError(`${source}: ${key} is already defined in ${earlier}`);
      definedIn.set(key, source);
      identityIn.set(identity, source);
      out.push({ artefact, source });
    }
  }
  const problems = checkIntegrity(out.map((a) => a.artefact));
  if (problems.length) {
    const first = problems.slice(0, 10).join('\n  ');
    throw new StructureLoadError(`The structures in ${dir} are inconsistent:\n  ${first}${problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : ''}`);
  }
  return out;
}

function checkIntegrity(artefacts: readonly Maintainable[]): string[] {
  const registry = new StructureRegistry(artefacts);
  return [...registry.danglingReferences(), ...itemReferenceProblems(registry)];
}
