/**
 * The reference-metadata structures (issue 15), built from two reviewed tables in
 * `sdmx/sources/sims/`: `concepts.csv` (the SIMS 2.0 concepts that apply to crime statistics,
 * plus our counting-rule extensions, with the reports they belong to) and `codelists.csv` (the
 * codes of the coded concepts).
 *
 * Built: the concept scheme `CS_SIMS_CRIME` (SIMS hierarchy as concept parents, the SIMS code
 * as a `SIMS_CODE` annotation), the codelists `CL_COUNTING_UNIT`, `CL_COUNTING_STAGE`,
 * `CL_YES_NO_UNK`, two MSDs and their metadataflows (ids in CRIME_METADATA):
 * - `MSD_CRIME_REPORT`: a methodology and quality report about a dataflow
 *   (target DATAFLOW_TARGET = one IdentifiableObjectTarget DATAFLOW of object type Dataflow);
 * - `MSD_CRIME_COUNTRY_NOTE`: a country note about a dataflow in one reference area
 *   (target DATAFLOW_AREA_TARGET = DATAFLOW + REF_AREA, a Code of CL_AREA).
 * In a report, column `report`/`country_note` says P (presentational group), M (mandatory:
 * minOccurs 1), O (optional) or - (absent). A presentational group is mandatory when one of its
 * children is. Concepts marked `computed` (filled by the server at request time) and `headline`
 * (shown as footnotes with the data) carry the annotations METADATA_ATTRIBUTE_ANNOTATIONS names.
 */
import { CRIME_METADATA, METADATA_ATTRIBUTE_ANNOTATIONS } from '../../sdmx/metadata/model.js';
import type {
  Annotation,
  Code,
  Codelist,
  Concept,
  ConceptScheme,
  ItemRef,
  Maintainable,
  MetadataAttribute,
  MetadataStructure,
  MetadataTarget,
  Metadataflow,
  Representation,
  TextType,
} from '../../sdmx/model.js';
import { AGENCY, CODELIST, VERSION, codelist, ref } from './common.js';
import { CsvError, parseCsvRecords } from './csv.js';

const CONCEPT_COLUMNS = ['sims', 'id', 'parent', 'en', 'es', 'report', 'country_note', 'computed', 'headline', 'representation'] as const;
const CODE_COLUMNS = ['codelist', 'code', 'en', 'es', 'description_en', 'description_es'] as const;

export type SimsConceptRow = Record<(typeof CONCEPT_COLUMNS)[number], string>;
export type SimsCodeRow = Record<(typeof CODE_COLUMNS)[number], string>;

export interface SimsSources {
  readonly concepts: readonly SimsConceptRow[];
  readonly codes: readonly SimsCodeRow[];
}

type Presence = 'P' | 'M' | 'O' | '-';
const PRESENCES = new Set<string>(['P', 'M', 'O', '-']);
const TEXT_TYPES = new Set<string>(['String', 'Decimal', 'Integer', 'DateTime']);

export const SIMS_CONCEPT_SCHEME = ref('ConceptScheme', 'CS_SIMS_CRIME');
const AREA_CODELIST = CODELIST('CL_AREA');

/** Parses and checks both tables; any problem is a CsvError naming the row. */
export function parseSimsSources(conceptsCsv: string, codesCsv: string): SimsSources {
  const concepts = parseCsvRecords(conceptsCsv, CONCEPT_COLUMNS);
  const codes = parseCsvRecords(codesCsv, CODE_COLUMNS);
  const ids = new Set<string>();
  const codelists = new Set(codes.map((c) => c.codelist));
  concepts.forEach((c, i) => {
    const where = `concepts.csv record ${i + 2} (${c.id})`;
    if (!/^[A-Z][A-Z0-9_]*$/.test(c.id)) throw new CsvError(`${where}: id is not an SDMX id in capitals`);
    if (ids.has(c.id)) throw new CsvError(`${where}: id defined twice`);
    if (c.parent && !ids.has(c.parent)) throw new CsvError(`${where}: parent ${c.parent} must come before its children`);
    ids.add(c.id);
    if (!c.en || !c.es) throw new CsvError(`${where}: needs an English and a Spanish name`);
    for (const col of ['report', 'country_note'] as const) {
      if (!PRESENCES.has(c[col])) throw new CsvError(`${where}: ${col} must be P, M, O or -`);
      if ((c[col] === 'P') !== (c.representation === 'presentational') && c[col] !== '-') {
        throw new CsvError(`${where}: ${col} P goes with representation presentational, and only with it`);
      }
      const parent = concepts.find((p) => p.id === c.parent);
      if (c[col] !== '-' && parent && parent[col] === '-') throw new CsvError(`${where}: in ${col}, its parent ${c.parent} is absent`);
    }
    const rep = c.representation;
    if (rep !== 'presentational' && !TEXT_TYPES.has(rep) && !codelists.has(rep)) {
      throw new CsvError(`${where}: representation ${rep} is neither a text type nor a codelist of codelists.csv`);
    }
    for (const col of ['computed', 'headline'] as const) {
      if (c[col] !== '' && c[col] !== 'yes') throw new CsvError(`${where}: ${col} must be empty or yes`);
    }
    if (c.computed === 'yes' && (c.report === 'M' || c.country_note === 'M')) {
      throw new CsvError(`${where}: a computed concept cannot be mandatory (nobody authors it)`);
    }
  });
  codes.forEach((c, i) => {
    if (!c.en || !c.es) throw new CsvError(`codelists.csv record ${i + 2} (${c.codelist} ${c.code}): needs an English and a Spanish name`);
  });
  return { concepts, codes };
}

function representationOf(row: SimsConceptRow): Representation | undefined {
  if (row.representation === 'presentational') return undefined;
  if (TEXT_TYPES.has(row.representation)) return { textFormat: { textType: row.representation as TextType } };
  return { enumeration: CODELIST(row.representation) };
}

function conceptAnnotations(row: SimsConceptRow): Annotation[] | undefined {
  const out: Annotation[] = [];
  if (row.sims) out.push({ type: METADATA_ATTRIBUTE_ANNOTATIONS.simsCode, title: row.sims });
  else out.push({ type: METADATA_ATTRIBUTE_ANNOTATIONS.extension, title: 'Not a SIMS 2.0 concept: added for crime statistics' });
  return out;
}

export function buildSimsConceptScheme(sources: SimsSources): ConceptScheme {
  const items: Concept[] = sources.concepts.map((row) => {
    const rep = representationOf(row);
    return {
      id: row.id,
      name: { en: row.en, es: row.es },
      annotations: conceptAnnotations(row),
      ...(row.parent ? { parentID: row.parent } : {}),
      ...(rep ? { coreRepresentation: rep } : {}),
    };
  });
  return {
    class: 'ConceptScheme',
    agencyID: AGENCY,
    id: SIMS_CONCEPT_SCHEME.id,
    version: VERSION,
    isFinal: true,
    name: { en: 'Reference metadata concepts for crime and criminal-justice statistics', es: 'Conceptos de metadatos de referencia para las estadísticas sobre delincuencia y justicia penal' },
    description: {
      en: 'The concepts of the Single Integrated Metadata Structure (SIMS 2.0) that apply to crime and criminal-justice statistics, with the counting rules of the ICCS (Annex 1) as extensions.',
      es: 'Los conceptos de la Estructura Integrada Única de Metadatos (SIMS 2.0) que se aplican a las estadísticas sobre delincuencia y justicia penal, con las reglas de cómputo de la ICCS (anexo 1) como extensiones.',
    },
    items,
  };
}

const CODELIST_NAMES: Readonly<Record<string, { en: string; es: string; den: string; des: string }>> = {
  CL_COUNTING_UNIT: {
    en: 'Counting unit',
    es: 'Unidad de cómputo',
    den: 'What one unit of a crime figure counts (ICCS Annex 1, counting rules).',
    des: 'Lo que cuenta una unidad de una cifra de delincuencia (ICCS, anexo 1, reglas de cómputo).',
  },
  CL_COUNTING_STAGE: {
    en: 'Stage at which offences are counted',
    es: 'Etapa en la que se registran las infracciones',
    den: 'When in the criminal-justice process an offence enters the statistics: when reported (input) or after investigation (output).',
    des: 'Cuándo entra una infracción en las estadísticas dentro del proceso de justicia penal: al ser denunciada (entrada) o tras la investigación (salida).',
  },
  CL_YES_NO_UNK: { en: 'Yes, no or unknown', es: 'Sí, no o desconocido', den: 'A yes-or-no answer that the source may not give.', des: 'Una respuesta sí o no que la fuente puede no dar.' },
};

export function buildSimsCodelists(sources: SimsSources): Codelist[] {
  const ids = [...new Set(sources.codes.map((c) => c.codelist))];
  return ids.map((id) => {
    const names = CODELIST_NAMES[id];
    if (!names) throw new CsvError(`codelists.csv: codelist ${id} has no name in src/cli/structures/metadata.ts`);
    const codes: Code[] = sources.codes
      .filter((c) => c.codelist === id)
      .map((c) => ({
        id: c.code,
        name: { en: c.en, es: c.es },
        ...(c.description_en ? { description: { en: c.description_en, es: c.description_es || c.description_en } } : {}),
      }));
    return codelist({ id, name: { en: names.en, es: names.es }, description: { en: names.den, es: names.des }, codes });
  });
}

/** The metadata attributes of one report, nested by the concepts' parents. */
function reportAttributes(sources: SimsSources, column: 'report' | 'country_note'): MetadataAttribute[] {
  const present = sources.concepts.filter((c) => c[column] !== '-');
  const build = (row: SimsConceptRow): MetadataAttribute => {
    const children = present.filter((c) => c.parent === row.id).map(build);
    const presence = row[column] as Presence;
    const mandatory = presence === 'M' || (presence === 'P' && children.some((c) => c.minOccurs > 0));
    const annotations: Annotation[] = [];
    if (row.computed === 'yes') annotations.push({ type: METADATA_ATTRIBUTE_ANNOTATIONS.computed, title: 'Computed by the server at request time' });
    if (row.headline === 'yes') annotations.push({ type: METADATA_ATTRIBUTE_ANNOTATIONS.headline, title: 'Shown as a footnote with the data' });
    const concept: ItemRef = { class: 'Concept', scheme: SIMS_CONCEPT_SCHEME, id: row.id };
    const rep = representationOf(row);
    return {
      id: row.id,
      ...(annotations.length > 0 ? { annotations } : {}),
      conceptIdentity: concept,
      ...(rep ? { localRepresentation: rep } : {}),
      minOccurs: mandatory ? 1 : 0,
      maxOccurs: 1,
      isPresentational: presence === 'P',
      children,
    };
  };
  return present.filter((c) => !c.parent || !present.some((p) => p.id === c.parent)).map(build);
}

const DATAFLOW_TARGET_COMPONENT = {
  id: CRIME_METADATA.dataflowComponent,
  kind: 'IdentifiableObject',
  objectType: 'Dataflow',
  localRepresentation: { textFormat: { textType: 'IdentifiableReference' } },
} as const;

function msd(
  id: string,
  name: { en: string; es: string },
  description: { en: string; es: string },
  target: MetadataTarget,
  reportId: string,
  attributes: MetadataAttribute[],
): MetadataStructure {
  return {
    class: 'MetadataStructure',
    agencyID: AGENCY,
    id,
    version: VERSION,
    isFinal: true,
    name,
    description,
    targets: [target],
    reports: [{ id: reportId, targets: [target.id], attributes }],
  };
}

export function buildMetadataStructures(sources: SimsSources): MetadataStructure[] {
  const { report, countryNote } = CRIME_METADATA;
  return [
    msd(
      report.msd,
      { en: 'Methodology and quality report of a crime statistics dataflow', es: 'Informe metodológico y de calidad de un flujo de datos de estadísticas sobre delincuencia' },
      {
        en: 'What a dataflow counts, how, from which sources, and how well: the SIMS 2.0 concepts for crime and criminal-justice statistics, with quality indicators the server measures itself.',
        es: 'Qué cuenta un flujo de datos, cómo, con qué fuentes y con qué calidad: los conceptos SIMS 2.0 para las estadísticas sobre delincuencia y justicia penal, con indicadores de calidad que el servidor mide por sí mismo.',
      },
      { id: report.target, components: [DATAFLOW_TARGET_COMPONENT] },
      report.report,
      reportAttributes(sources, 'report'),
    ),
    msd(
      countryNote.msd,
      { en: 'Country note of a crime statistics dataflow', es: 'Nota de país de un flujo de datos de estadísticas sobre delincuencia' },
      {
        en: 'How one country counts the figures of a dataflow: counting unit and stage, principal-offence rule, breaks in series and comparability, sources.',
        es: 'Cómo cuenta un país las cifras de un flujo de datos: unidad y etapa de cómputo, regla de la infracción principal, rupturas de serie y comparabilidad, fuentes.',
      },
      {
        id: countryNote.target,
        components: [
          DATAFLOW_TARGET_COMPONENT,
          { id: CRIME_METADATA.areaComponent, kind: 'IdentifiableObject', objectType: 'Code', localRepresentation: { enumeration: AREA_CODELIST } },
        ],
      },
      countryNote.report,
      reportAttributes(sources, 'country_note'),
    ),
  ];
}

export function buildMetadataflows(): Metadataflow[] {
  const { report, countryNote } = CRIME_METADATA;
  const flow = (id: string, msdId: string, name: { en: string; es: string }, description: { en: string; es: string }): Metadataflow => ({
    class: 'Metadataflow',
    agencyID: AGENCY,
    id,
    version: VERSION,
    isFinal: true,
    name,
    description,
    structure: ref('MetadataStructure', msdId),
    // Derived from the MSD when a registry is built (src/sdmx/metadataflow-targets.ts).
    targets: [],
  });
  return [
    flow(
      report.flow,
      report.msd,
      { en: 'Methodology and quality reports', es: 'Informes metodológicos y de calidad' },
      {
        en: 'One report per dataflow: what it counts, how, from which sources, and how well.',
        es: 'Un informe por flujo de datos: qué cuenta, cómo, con qué fuentes y con qué calidad.',
      },
    ),
    flow(
      countryNote.flow,
      countryNote.msd,
      { en: 'Country notes', es: 'Notas de país' },
      {
        en: 'Notes on how one country counts the figures of a dataflow, where the sources give them.',
        es: 'Notas sobre cómo cuenta un país las cifras de un flujo de datos, cuando las fuentes las dan.',
      },
    ),
  ];
}

/** Every reference-metadata structure, dependencies first. */
export function buildReferenceMetadataStructures(sources: SimsSources): Maintainable[] {
  return [...buildSimsCodelists(sources), buildSimsConceptScheme(sources), ...buildMetadataStructures(sources), ...buildMetadataflows()];
}
