/**
 * An area's country notes (reference metadata, docs/reference-metadata.md): the latest public
 * version of each dataflow's note on the area, with the concepts the server computes filled in
 * for the area, as sections named by the metadata structure in the page's language, exactly as
 * `/api/v1/dataflows/{id}/metadata?area=…` gives them (`countryNote.sections`).
 *
 * One read of the metadata service finds every note of the area, whatever the dataflow (notes
 * are few, and a version is visible exactly when its release is).
 */
import type { ReportedAttribute } from '../../../sdmx/metadata/model.js';
import type { Text } from '../../../sdmx/model.js';
import { exactName, pathNameOf, textIn } from '../../../services/catalogue/artefacts.js';
import { attributeFactsOf, type AttributeFacts } from '../../../services/metadata/attribute-facts.js';
import { metadataPathOf } from '../../api/dataflow-metadata.js';
import type { PortalLanguage } from '../i18n.js';
import type { PortalServices } from '../scope.js';

export interface NoteSection {
  readonly id: string;
  readonly name: string;
  readonly text?: string;
  /** The language of `text` when it is not the page's (a text missing in Spanish is in English). */
  readonly textLang?: string;
  readonly value?: string;
  readonly valueLabel?: string;
  readonly computed: boolean;
  readonly sections: readonly NoteSection[];
}

export interface CountryNote {
  readonly set: string;
  readonly version: string;
  readonly name: string;
  /** `AGENCY:ID(VERSION)` and id of the dataflow the note is about. */
  readonly dataflow: string;
  readonly dataflowId: string;
  readonly validFrom: string | null;
  readonly sources: readonly { readonly title: string; readonly url?: string; readonly licence?: string }[];
  readonly sections: readonly NoteSection[];
  /** The same note in the JSON API. */
  readonly link: string;
  /** The note's own page on the portal, beside the dataflow's report and the area's quality indicators. */
  readonly page: string;
}

/** The language a text is shown in: the page's, else English, else any (textIn's choice). */
function langOf(text: Text, lang: string): string | undefined {
  return text[lang] !== undefined ? lang : text.en !== undefined ? 'en' : Object.keys(text)[0];
}

function sectionsOf(reported: readonly ReportedAttribute[], facts: ReadonlyMap<string, AttributeFacts>, lang: PortalLanguage): NoteSection[] {
  return reported.map((r) => {
    const f = facts.get(r.id);
    const text = r.text ? textIn(r.text, lang) : null;
    const textLang = r.text ? langOf(r.text, lang) : undefined;
    const label = r.value !== undefined && f?.codes ? textIn(f.codes.get(r.value), lang) : null;
    return {
      id: r.id,
      name: textIn(f?.name, lang) ?? r.id,
      ...(text !== null ? { text, ...(textLang !== undefined && textLang !== lang ? { textLang } : {}) } : {}),
      ...(r.value !== undefined ? { value: r.value } : {}),
      ...(label !== null ? { valueLabel: label } : {}),
      computed: f?.computed ?? false,
      sections: sectionsOf(r.children, facts, lang),
    };
  });
}

/** The area's notes public now, by dataflow id. */
export async function countryNotes(services: PortalServices, area: string, lang: PortalLanguage): Promise<CountryNote[]> {
  const registry = services.structures.registry;
  const sets = await services.metadata.sets({ area, version: 'latest' });
  const out: CountryNote[] = [];
  for (const set of sets) {
    if (set.target.area?.id !== area) continue;
    const flow = registry.get(set.target.dataflow);
    const base = flow?.class === 'Dataflow' ? metadataPathOf(registry, flow) : null;
    if (!base || flow?.class !== 'Dataflow') continue;
    out.push({
      set: set.id,
      version: set.version,
      name: textIn(set.name, lang) ?? set.id,
      dataflow: exactName(flow),
      dataflowId: flow.id,
      validFrom: set.validFrom ?? null,
      sources: set.sources,
      sections: sectionsOf(set.attributes, attributeFactsOf(registry, set), lang),
      link: `${base}?area=${encodeURIComponent(area)}&lang=${lang}`,
      page: `/${lang}/dataflows/${pathNameOf(registry, flow)}/metadata?area=${encodeURIComponent(area)}`,
    });
  }
  return out.sort((a, b) => (a.dataflowId < b.dataflowId ? -1 : a.dataflowId > b.dataflowId ? 1 : 0));
}
