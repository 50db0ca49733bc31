/**
 * A 2.1 HierarchicalCodelist written as SDMX-ML 3.0 `Hierarchy` artefacts
 * (SDMXStructureHierarchicalCodelist.xsd). 3.0 has no HCL: each Hierarchy is a maintainable of
 * its own whose HierarchicalCodes point at codes by URN, so included-codelist aliases vanish.
 *
 * Identity choice (../hierarchies30.ts, shared with SDMX-JSON 2.0): an HCL with one hierarchy
 * becomes one Hierarchy with the HCL's id, name and description and the annotations of both the
 * HCL and the hierarchy, so that `urn30()` of a reference to the HCL resolves to it. An HCL with
 * several hierarchies becomes one Hierarchy per model hierarchy, each with the model
 * hierarchy's id, name, description and annotations; all share the HCL's agency and version.
 *
 * - Levels: 3.0 nests levels (Level > Level > ...); the model lists them top-down.
 *   `hasFormalLevels` (required) is true when the hierarchy has levels. A hierarchical code's
 *   level is written as the level id in `structure:Level`.
 * - Stubs: the XSD requires at least one HierarchicalCode, so stub and completestub Hierarchies
 *   still carry their levels and codes (see nameable.ts `requiredContent`).
 * - Constraint: the 3.0 XSD wants HierarchicalCode ids unique across the whole Hierarchy
 *   (`.//structure:HierarchicalCode`), stricter than the model's "unique within the parent".
 * - An HCL without hierarchies writes nothing: a 3.0 Hierarchy needs at least one code.
 */
import type { HierarchicalCode, HierarchicalCodelist, Hierarchy, HierarchyLevel } from '../model.js';
import { hierarchies30 } from '../hierarchies30.js';
import { maintainableEl, nameableContent } from './nameable.js';
import { hierarchyUrn, itemUrn30 } from '../urn30.js';
import { el, textEl, type Child, type XmlElement } from './xml-text.js';

function levelEl(levels: readonly HierarchyLevel[], i: number): XmlElement | undefined {
  const l = levels[i];
  if (!l) return undefined;
  return el('structure:Level', { id: l.id }, nameableContent(l), levelEl(levels, i + 1));
}

function hierarchicalCodeEl(hc: HierarchicalCode, urnBase: string, levelIds: ReadonlySet<string>): XmlElement {
  const urn = `${urnBase}.${hc.id}`;
  // Children come before Level in HierarchicalCodeType's sequence.
  return el(
    'structure:HierarchicalCode',
    { urn, id: hc.id },
    textEl('structure:Code', itemUrn30(hc.code)),
    hc.children.map((c) => hierarchicalCodeEl(c, urn, levelIds)),
    hc.levelID !== undefined && levelIds.has(hc.levelID) && textEl('structure:Level', hc.levelID),
  );
}

function hierarchyContent(hcl: HierarchicalCodelist, h: Hierarchy, id: string): Child[] {
  const levels = h.levels ?? [];
  const levelIds = new Set(levels.map((l) => l.id));
  const urnBase = `urn:sdmx:org.sdmx.infomodel.codelist.HierarchicalCode=${hcl.agencyID}:${id}(${hcl.version})`;
  return [levelEl(levels, 0), h.hierarchicalCodes.map((hc) => hierarchicalCodeEl(hc, urnBase, levelIds))];
}

/** One `structure:Hierarchy` per model hierarchy (see the header for ids). */
export function hierarchyEls(hcl: HierarchicalCodelist): XmlElement[] {
  return hierarchies30(hcl).map(({ identity, hierarchy: h }) => {
    const content = () => hierarchyContent(hcl, h, identity.id);
    return maintainableEl('structure:Hierarchy', hcl, {
      urn: hierarchyUrn(hcl.agencyID, identity.id, hcl.version),
      identity,
      attrs: { hasFormalLevels: (h.levels ?? []).length > 0 },
      content,
      requiredContent: content,
    });
  });
}
