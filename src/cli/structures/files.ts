/**
 * How the structures are laid out in `sdmx/`: one SDMX-ML 2.1 structure message per artefact,
 * `sdmx/<folder>/<agency>-<id>-<version>.xml`, the folder named after the class (the REST
 * resource name, plural). Pure: renders file contents; `build-structures.ts` writes them.
 *
 * Choices: the header is fixed (id ICCS_STRUCTURES, a fixed `prepared` instant) so that the
 * same structures always give the same bytes and a diff shows only real changes; the compact
 * writer output is indented (whitespace between elements only, which SDMX-ML's element-only
 * content models ignore) so the committed files can be reviewed like code.
 */
import type { Maintainable, MaintainableClass } from '../../sdmx/model.js';
import type { Header } from '../../sdmx/message.js';
import { writeStructureMl21 } from '../../sdmx/ml21/structure-writer.js';
import { JSON_FILE_CLASSES, writeArtefactJson } from '../../sdmx/model-json.js';

export const STRUCTURE_FOLDERS: Readonly<Record<MaintainableClass, string>> = {
  AgencyScheme: 'agencyschemes',
  DataProviderScheme: 'dataproviderschemes',
  Codelist: 'codelists',
  HierarchicalCodelist: 'hierarchicalcodelists',
  ConceptScheme: 'conceptschemes',
  CategoryScheme: 'categoryschemes',
  DataStructure: 'datastructures',
  Dataflow: 'dataflows',
  MetadataStructure: 'metadatastructures',
  Metadataflow: 'metadataflows',
  Categorisation: 'categorisations',
  ContentConstraint: 'constraints',
  ProvisionAgreement: 'provisionagreements',
  RepresentationMap: 'structuresets',
  OrganisationUnitScheme: 'organisationunitschemes',
  DataConsumerScheme: 'dataconsumerschemes',
  ReportingTaxonomy: 'reportingtaxonomies',
  Process: 'processes',
  AttachmentConstraint: 'constraints',
  HierarchyAssociation: 'hierarchyassociations',
  ValueList: 'valuelists',
  StructureMap: 'structuremaps',
  ConceptSchemeMap: 'conceptschememaps',
  CategorySchemeMap: 'categoryschememaps',
  OrganisationSchemeMap: 'organisationschememaps',
  ReportingTaxonomyMap: 'reportingtaxonomymaps',
  TransformationScheme: 'transformationschemes',
  RulesetScheme: 'rulesetschemes',
  UserDefinedOperatorScheme: 'userdefinedoperatorschemes',
  CustomTypeScheme: 'customtypeschemes',
  NamePersonalisationScheme: 'namepersonalisationschemes',
  VtlMappingScheme: 'vtlmappingschemes',
};

export const STRUCTURES_HEADER: Header = {
  id: 'ICCS_STRUCTURES',
  test: false,
  prepared: '2026-11-21T00:00:00Z',
  sender: { id: 'UNODC', name: { en: 'United Nations Office on Drugs and Crime' } },
};

/** Path of an artefact's file relative to `sdmx/`, with `/` separators. */
export function structureFileOf(a: Pick<Maintainable, 'class' | 'agencyID' | 'id' | 'version'>): string {
  // SDMX 3.0-only classes have no SDMX-ML 2.1 form: our JSON form (src/sdmx/model-json.ts).
  const ext = JSON_FILE_CLASSES.has(a.class) ? 'json' : 'xml';
  return `${STRUCTURE_FOLDERS[a.class]}/${a.agencyID}-${a.id}-${a.version}.${ext}`;
}

/**
 * Indents compact XML: one element per line, leaf elements (text only, or empty) kept on one
 * line. Relies on the writer escaping `<` and `>` in text and attribute values.
 */
export function indentXml(xml: string, unit = '  '): string {
  const tokens = xml.match(/<[^>]*>|[^<]+/g) ?? [];
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const pad = unit.repeat(depth);
    if (t.startsWith('<?')) {
      lines.push(t);
    } else if (t.startsWith('</')) {
      depth -= 1;
      lines.push(unit.repeat(depth) + t);
    } else if (t.startsWith('<')) {
      if (t.endsWith('/>')) {
        lines.push(pad + t);
      } else if (tokens[i + 1]?.startsWith('</')) {
        lines.push(pad + t + tokens[i + 1]);
        i += 1;
      } else if (!tokens[i + 1]?.startsWith('<') && tokens[i + 2]?.startsWith('</')) {
        lines.push(pad + t + tokens[i + 1] + tokens[i + 2]);
        i += 2;
      } else {
        lines.push(pad + t);
        depth += 1;
      }
    } else if (t.trim() !== '') {
      throw new Error(`indentXml: unexpected mixed content "${t.slice(0, 40)}"`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * One file per artefact: relative path → SDMX-ML 2.1 text, or our JSON form for the SDMX
 * 3.0-only classes, in path order.
 */
export function renderStructureFiles(artefacts: readonly Maintainable[], header: Header = STRUCTURES_HEADER): Map<string, string> {
  const files = new Map<string, string>();
  for (const a of artefacts) {
    const file = structureFileOf(a);
    if (files.has(file)) throw new Error(`two artefacts would be written to ${file}`);
    files.set(file, JSON_FILE_CLASSES.has(a.class) ? writeArtefactJson(a) : indentXml(writeStructureMl21({ header, artefacts: [a] })));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
