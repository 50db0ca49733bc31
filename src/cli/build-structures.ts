/**
 * `npx tsx src/cli/build-structures.ts`: rebuilds the committed SDMX-ML 2.1 structure files
 * in `sdmx/` from the sources in `sdmx/sources/` (see sdmx/README.md).
 *
 * Writes one file per artefact (layout in structures/files.ts; the SDMX 3.0-only artefacts of
 * structures/sdmx30-only.ts as JSON), rewrites a file only when its content changed, and deletes
 * `.xml` and `.json` files in the class folders that no artefact produces any
 * more, so the folder always equals the build. Output is deterministic.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStructures, SDMX_DIR } from './structures/index.js';
import { buildSdmx30OnlyStructures } from './structures/sdmx30-only.js';
import { STRUCTURE_FOLDERS, renderStructureFiles } from './structures/files.js';

export function writeStructureFiles(dir: string = SDMX_DIR): { written: string[]; unchanged: number; deleted: string[] } {
  const built = buildStructures();
  const files = renderStructureFiles([...built, ...buildSdmx30OnlyStructures(built)]);
  const written: string[] = [];
  const deleted: string[] = [];
  let unchanged = 0;
  for (const [rel, xml] of files) {
    const file = path.join(dir, rel);
    if (existsSync(file) && readFileSync(file, 'utf8') === xml) {
      unchanged += 1;
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, xml);
    written.push(rel);
  }
  for (const folder of Object.values(STRUCTURE_FOLDERS)) {
    const full = path.join(dir, folder);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      const rel = `${folder}/${name}`;
      if ((name.endsWith('.xml') || name.endsWith('.json')) && !files.has(rel)) {
        rmSync(path.join(full, name));
        deleted.push(rel);
      }
    }
  }
  return { written, unchanged, deleted };
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { written, unchanged, deleted } = writeStructureFiles();
  for (const f of written) console.log(`wrote   sdmx/${f}`);
  for (const f of deleted) console.log(`deleted sdmx/${f}`);
  console.log(`${written.length} written, ${unchanged} unchanged, ${deleted.length} deleted`);
}
