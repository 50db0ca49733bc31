/**
 * The artefacts stored as JSON (SDMX 3.0 classes that SDMX-ML 2.1 cannot express or our 2.1 reader
 * does not read: HierarchyAssociation, ValueList, StructureMap and the item scheme maps): the
 * associations and maps built from the 2.1 artefacts of `buildStructures()`, the value lists from
 * the demo inputs. Kept apart from those because they cannot be stored as
 * SDMX-ML 2.1 files: `files30.ts` writes them as JSON files beside the XML (see sdmx/README.md).
 */
import type { Maintainable } from '../../sdmx/model.js';
import { buildHierarchyAssociations } from './hierarchy-associations.js';
import { buildSourceDetailValueList } from './value-lists.js';
import { buildSdgMaps } from './sdg-maps.js';

export function buildSdmx30OnlyStructures(artefacts: readonly Maintainable[]): Maintainable[] {
  return [...buildHierarchyAssociations(artefacts), buildSourceDetailValueList(), ...buildSdgMaps(artefacts)];
}
