/**
 * The GraphQL schema, in SDL, documented field by field (GraphiQL shows the descriptions).
 *
 * Designed for people who build charts and apps, not for SDMX experts: a dataflow, its
 * dimensions and the codes that hold data; codelists as trees; series with their observations,
 * flags in words and the release behind each value; the release calendar; the reference
 * metadata. Conventions: Relay-style connections with opaque cursors for series, global ids
 * (`Node`, `node(id:)`) beside the human codes, enums for closed lists, labels in the language a
 * field's `lang` asks for (else the request's Accept-Language, else English).
 */
export const SCHEMA_SDL = /* GraphQL */ `
"""
Crime and criminal-justice statistics coded with the International Classification of Crime for
Statistical Purposes (ICCS), as public now: nothing is visible before its release's announced
instant, and cells withheld by disclosure control are withheld here too.
"""
schema {
  query: Query
}

"An instant, ISO-8601 in UTC, e.g. 2026-12-06T12:00:00.000Z. Dates (2026-12-06) are read as midnight UTC."
scalar DateTime

"Any JSON value: used where the service returns a structured record whose shape is documented elsewhere (docs/quality-indicators.md)."
scalar JSON

"A language labels can be asked in."
enum Language {
  "English"
  EN
  "Spanish"
  ES
}

"Something with a global id: fetch it again with node(id:)."
interface Node {
  "A global identifier, opaque: pass it to node(id:)."
  id: ID!
}

"The entry points: what is published, and everything else is reached from here."
type Query {
  "Every dataflow, in id order, with what its public data hold now."
  dataflows: [Dataflow!]!

  "One dataflow, by its id (DF_CTS_HOMICIDE), AGENCY:ID(VERSION), or global id. Unknown: null, with a NOT_FOUND error."
  dataflow("The dataflow: its id (DF_CTS_HOMICIDE), AGENCY:ID(VERSION), or global id." id: ID!): Dataflow

  "One codelist, by its id (CL_ICCS), AGENCY:ID(VERSION), or global id."
  codelist("The codelist: its id (CL_ICCS), AGENCY:ID(VERSION), or global id." id: ID!): Codelist

  """
  The series of a dataflow that match a filter, in key order, a page at a time. Each series has its
  dimension values with labels and its observations. Without asOf or release: the data public now.
  """
  series(
    "The dataflow: its id (DF_CTS_HOMICIDE), AGENCY:ID(VERSION), or global id."
    dataflow: ID!
    "Which series: codes per dimension and a period range."
    filter: SeriesFilter
    "Series per page, 1 to 500."
    first: Int = 100
    "The endCursor of the previous page. A cursor keeps the state of the data its first page was read in."
    after: String
    "The data as they were public at this past instant."
    asOf: DateTime
    "The data as they stood right after this release was published (its code, e.g. UNCTS-2024)."
    release: String
  ): SeriesConnection!

  "Every release on the public calendar (scheduled, published or cancelled), by announced instant."
  releases(
    "Only releases in these states."
    state: [ReleaseState!]
    "Only releases that cover this dataflow (id or AGENCY:ID(VERSION))."
    dataflow: String
  ): [Release!]!

  "One release of the public calendar by its code. Drafts are never shown: null, with a NOT_FOUND error."
  release("The release code, e.g. UNCTS-2024." code: String!): Release

  "The calendar between two dates or instants (inclusive, on the announced instant)."
  calendar(
    "A date (2026-01-01, the whole UTC day) or an instant."
    from: String
    "A date (the whole UTC day) or an instant."
    to: String
    "Only releases in these states."
    state: [ReleaseState!]
    "Only releases that cover this dataflow (id or AGENCY:ID(VERSION))."
    dataflow: String
  ): [Release!]!

  "The reference metadata of a dataflow: its methodology and quality report, an area's country note, the quality indicators."
  metadata(
    "The dataflow: its id, AGENCY:ID(VERSION), or global id."
    dataflow: ID!
    "A reference area code (MEX): its country note and the indicators of its data."
    area: String
    "As it was public at this past instant."
    asOf: DateTime
  ): MetadataReport!

  "Anything with a global id."
  node("A global id, as an id field gave it." id: ID!): Node
}

"A text in one language."
type LocalisedText {
  "en, es…"
  lang: String!
  "The text in that language."
  text: String!
}

"A set of statistics published together under one structure (e.g. intentional homicide victims)."
type Dataflow implements Node {
  "A global identifier, opaque: pass it to node(id:)."
  id: ID!
  "The dataflow id, e.g. DF_CTS_HOMICIDE."
  code: String!
  "The agency that maintains it, e.g. UNODC."
  agency: String!
  "The version of the dataflow, e.g. 1.0."
  version: String!
  "AGENCY:ID(VERSION)"
  reference: String!
  "The name, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The name in every language held."
  names: [LocalisedText!]!
  "What the dataflow holds and where it comes from, in the language asked."
  description("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String
  "The theme (a category of CAT_THEMES), else the first category; null when uncategorised."
  theme: Category
  "Every category the dataflow is filed under (themes, SDG goals)."
  categories: [Category!]!
  "The dimensions, in key order, with the codes that hold public data."
  dimensions: [Dimension!]!
  "One dimension by its id (REF_AREA)."
  dimension("The dimension id, e.g. REF_AREA (any letter case)." code: String!): Dimension
  "The attributes: flags and notes a value or series may carry."
  attributes: [Attribute!]!
  "Series with at least one public value."
  seriesCount: Int!
  "Public values (the current vintage of each series and period; suppressed cells included)."
  observationCount: Int!
  "The periods covered by the public data; null without data."
  period: PeriodRange
  "The latest published release covering the dataflow."
  lastRelease: Release
  "The next scheduled release covering the dataflow, as the calendar announces it."
  nextRelease: Release
  "Every release of the calendar that covers it."
  releases: [Release!]!
  "Its series: the same as Query.series with this dataflow."
  series("Which series: codes per dimension and a period range." filter: SeriesFilter, "Series per page, 1 to 500." first: Int = 100, "The endCursor of the previous page." after: String, "The data as they were public at this past instant." asOf: DateTime, "The data as they stood right after this release was published." release: String): SeriesConnection!
  "Its reference metadata; with area, that area's country note too."
  metadata("A reference area code (MEX): its country note and the indicators of its data." area: String, "As it was public at this past instant." asOf: DateTime): MetadataReport!
  "Where the same dataflow is served by the JSON API and SDMX REST."
  links: DataflowLinks!
}

"Where the same dataflow is served by the other APIs (paths on this host)."
type DataflowLinks {
  "The JSON API: the dataflow with its codes."
  api: String!
  "The JSON API: its observations as rows (CSV and XLSX too)."
  observations: String!
  "SDMX REST: the dataflow with its structures."
  sdmxStructure: String!
  "SDMX REST: all its data (SDMX-ML)."
  sdmxData: String!
  "SDMX REST: all its data as SDMX-CSV."
  sdmxCsv: String!
  "The JSON API: its reference metadata."
  metadata: String!
}

"A theme or topic a dataflow is filed under."
type Category {
  "The category id, e.g. HOMICIDE."
  code: String!
  "The category scheme, AGENCY:ID(VERSION)."
  scheme: String!
  "Ids of the parent categories, top first."
  path: [String!]!
  "The category’s name, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The name in every language held."
  names: [LocalisedText!]!
}

"The first and last reporting periods holding public data."
type PeriodRange {
  "The earliest period, e.g. 2003."
  first: String!
  "The latest period, e.g. 2022."
  last: String!
}

"A dimension of a dataflow: one position of a series key."
type Dimension {
  "The dimension id, e.g. REF_AREA."
  code: String!
  "1 for the first position of the key."
  position: Int!
  "The dimension’s name (its concept’s), in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The name in every language held."
  names: [LocalisedText!]!
  "Its codelist; null for a dimension without one."
  codelist: Codelist
  "True when its codelist is a hierarchy (ICCS: sections, divisions, groups, classes)."
  hierarchical: Boolean!
  "The codes that hold public data, in codelist order, each with its own counts (never summed over children)."
  codes: [DimensionCode!]!
}

"A code that holds data in a dataflow, with its counts."
type DimensionCode {
  "The code id, e.g. MEX or 0101."
  code: String!
  "The code’s name in its codelist, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "1 for a top-level code (ICCS: section), 2 under it…"
  level: Int!
  "The parent code in the hierarchy; null at the top."
  parent: String
  "Series with at least one public value that have this code (the code’s own, not its children’s)."
  seriesCount: Int!
  "Public values in those series."
  observationCount: Int!
  "The code in its codelist: description, parent, children, ancestors, descendants."
  entry: Code
}

"An attribute of a dataflow (observation status, confidentiality, source…)."
type Attribute {
  "The attribute id, e.g. OBS_STATUS."
  code: String!
  "The attribute’s name (its concept’s), in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "Its codelist when its values are coded (the flags)."
  codelist: Codelist
}

"A list of codes, flat or as a hierarchy (CL_ICCS: the ICCS)."
type Codelist implements Node {
  "A global identifier, opaque: pass it to node(id:)."
  id: ID!
  "The codelist id, e.g. CL_ICCS."
  code: String!
  "The agency that maintains it, e.g. UNODC."
  agency: String!
  "The version of the codelist, e.g. 1.0."
  version: String!
  "AGENCY:ID(VERSION)"
  reference: String!
  "The codelist’s name, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The name in every language held."
  names: [LocalisedText!]!
  "What the codelist lists, in the language asked."
  description("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String
  "The citation of the document the codelist is built from, where the structures give one."
  source: String
  "True when some code has a parent (the ICCS, the areas)."
  hierarchical: Boolean!
  "How many codes it holds (CL_ICCS: 320)."
  codeCount: Int!
  "The named levels of the hierarchy, top first (ICCS: Section, Division, Group, Class)."
  levels: [Level!]!
  "Every code in codelist order; with level, only the codes of that level."
  codes("Only the codes of this level (1 = the top)." level: Int): [Code!]!
  "One code by its id (0101, MEX); null (with a NOT_FOUND error suggesting the nearest codes) when it is not in the list."
  entry("The code id." code: String!): Code
  "The codes without a parent."
  roots: [Code!]!
  "Every code down to maxLevel (1 = the top), flat, in codelist order: the tree without deep nesting."
  descendants("The deepest level given (1 = the top); every level without it." maxLevel: Int): [Code!]!
  "Where the same codelist is served by the JSON API and SDMX REST."
  links: CodelistLinks!
}

"Where a codelist is served by the other APIs (paths on this host)."
type CodelistLinks {
  "The JSON API."
  api: String!
  "SDMX REST."
  sdmx: String!
}

"A named level of a hierarchical codelist."
type Level {
  "1 for the top level."
  level: Int!
  "The level’s name (ICCS: Section, Division, Group, Class), in the language asked; null when unnamed."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String
}

"A code of a codelist."
type Code {
  "The code id, e.g. 0101 or MEX."
  code: String!
  "The code’s name, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The name in every language held."
  names: [LocalisedText!]!
  "What the code covers where the structures say (the ICCS: quoted from the ICCS, in English; notesLang says so)."
  description: String
  "ICCS: what the category includes."
  inclusions: [String!]!
  "ICCS: what it excludes (and where that goes)."
  exclusions: [String!]!
  "The language of description, inclusions and exclusions; null without them."
  notesLang: String
  "Where they are quoted from (ICCS v1.0 (UNODC 2015), Table I, p. 33)."
  notesSource: String
  "1 for a code without parent."
  level: Int!
  "The name of the code’s level (ICCS: Section, Division, Group, Class), in the language asked."
  levelName("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String
  "The code directly above it; null at the top."
  parent: Code
  "The codes directly under it, in codelist order."
  children: [Code!]!
  "Nearest first, up to the top."
  ancestors: [Code!]!
  "Every code under this one, flat, in codelist order; with maxLevel, only down to that level."
  descendants("The deepest level given (1 = the top); every level without it." maxLevel: Int): [Code!]!
  "The codelist the code belongs to."
  codelist: Codelist!
}

"Which series: codes per dimension and a period range. Everything left out is everything."
input SeriesFilter {
  "Codes per dimension; several filters on different dimensions all apply."
  dimensions: [DimensionFilter!]
  "From this period on: 2010, 2010-Q1, 2010-01 or 2010-01-31."
  from: String
  "Up to this period."
  to: String
}

"The codes one dimension may take."
input DimensionFilter {
  "The dimension id (REF_AREA; any letter case)."
  dimension: String!
  "Codes of its codelist, at most 500. A code followed by * also takes every code under it."
  codes: [String!]!
  "Every code under each code too (ICCS: a section with its divisions, groups and classes)."
  descendants: Boolean = false
}

"A page of series."
type SeriesConnection {
  "Matched series in all, whatever the page."
  totalCount: Int!
  "The series of the page, each with the cursor that continues after it."
  edges: [SeriesEdge!]!
  "The series of the page (the edges' nodes)."
  nodes: [Series!]!
  "Whether more pages follow, and the cursors to ask for them."
  pageInfo: PageInfo!
  "The instant whose public data the page is (a later page: the first page's)."
  asOf: DateTime!
  "The dataflow the series belong to."
  dataflow: Dataflow!
  "What the answer should tell about the query (codes that hold no data, codes whose descendants do, no release at asOf), in the request's language (Accept-Language)."
  hints: [String!]!
}

"A series of a page with its cursor."
type SeriesEdge {
  "Pass it as after: to continue after this series."
  cursor: String!
  "The series."
  node: Series!
}

"Where a page stands in the whole list."
type PageInfo {
  "True when series follow this page: ask them with after: endCursor."
  hasNextPage: Boolean!
  "True when this page was asked with after: (series come before it)."
  hasPreviousPage: Boolean!
  "The cursor of the first series of the page; null for an empty page."
  startCursor: String
  "The cursor of the last series of the page: pass it as after: for the next page; null for an empty page."
  endCursor: String
}

"A series: the values of one combination of codes over time."
type Series implements Node {
  "A global identifier, opaque: pass it to node(id:)."
  id: ID!
  "The SDMX series key, codes in dimension order joined by dots."
  key: String!
  "The dataflow the series belongs to."
  dataflow: Dataflow!
  "Its code on every dimension, in key order."
  dimensions: [DimensionValue!]!
  "Its code on one dimension (REF_AREA)."
  dimension("The dimension id, e.g. REF_AREA (any letter case)." code: String!): DimensionValue
  "Its values in period order (withdrawn values left out); with last, only the last N periods."
  observations("Only the last N periods (1 or more)." last: Int): [Observation!]!
}

"The code a series has on one dimension."
type DimensionValue {
  "The dimension id."
  dimension: String!
  "The dimension’s name, in the language asked."
  dimensionName("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The code, e.g. MEX."
  code: String!
  "The code’s name in its codelist, in the language asked; null for a dimension without codelist."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String
  "The code's level in a hierarchical codelist (1 = top)."
  level: Int!
}

"One value: a series at a period."
type Observation {
  "The reporting period: 2019, 2019-Q3, 2019-07…"
  period: String!
  "The value; null when withheld by disclosure control or missing at the source."
  value: Float
  "True when disclosure control withheld the value (the cell is confidential, not missing)."
  suppressed: Boolean!
  "Coded attributes that say something (estimated, provisional, break in series, confidential…), in words."
  flags: [Flag!]!
  "Uncoded attributes: source detail, comments."
  attributes: [AttributeValue!]!
  "The release that wrote this value."
  release: Release!
  "Every vintage of this value the public has seen, oldest release first, this one included."
  history: [Vintage!]!
}

"A coded attribute of a value that says something about it, in words."
type Flag {
  "The attribute id (OBS_STATUS, CONF_STATUS…)."
  attribute: String!
  "The attribute’s code, e.g. E (estimated value) or C (confidential)."
  code: String!
  "The code's meaning, in words."
  meaning("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
}

"An uncoded attribute of a value (source detail, comment)."
type AttributeValue {
  "The attribute id, e.g. SOURCE_DETAIL or COMMENT_OBS."
  attribute: String!
  "The attribute’s name, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "Its text, as published."
  value: String!
}

"A value as one release published it."
type Vintage {
  "The release that published this vintage."
  release: Release!
  "The value this release published; null when withheld, missing or withdrawn."
  value: Float
  "True when disclosure control withheld it in this release."
  suppressed: Boolean!
  "True when this release withdrew the value."
  withdrawn: Boolean!
  "Its flags in this release, in words."
  flags: [Flag!]!
}

"Where a release stands on the public calendar."
enum ReleaseState {
  "Announced for a future instant: its data are not public yet."
  SCHEDULED
  "Its instant has passed: its data are public."
  PUBLISHED
  "Announced, then cancelled."
  CANCELLED
}

"A release on the public calendar."
type Release implements Node {
  "A global identifier, opaque: pass it to node(id:)."
  id: ID!
  "The release code, e.g. UNCTS-2024."
  code: String!
  "What the release publishes, in a line."
  title: String!
  "More about it (sources, coverage); null when the publisher wrote none."
  note: String
  "Scheduled, published or cancelled, as of the request."
  state: ReleaseState!
  "The dataflows it publishes."
  dataflows: [Dataflow!]!
  "The instant it is (or was) announced for, after any postponement."
  announcedAt: DateTime!
  "The instant first announced, before any postponement."
  firstAnnouncedAt: DateTime!
  "When it became public; null until then."
  publishedAt: DateTime
  "The release this one corrects."
  revises: Release
  "Every postponement, oldest first, with its reason."
  postponements: [Postponement!]!
  "When and why it was cancelled; null unless cancelled."
  cancellation: Cancellation
  "Published releases: the announced against the actual instant."
  punctuality: Punctuality
  "The last change the public can see."
  updatedAt: DateTime!
  "Once published: the disclosure-control method, rules and summary per dataflow; null before."
  disclosureControl: [DisclosureControl!]
}

"A release moved to a later instant."
type Postponement {
  "When the postponement was announced."
  at: DateTime!
  "The instant it was announced for before."
  from: DateTime
  "The new instant."
  to: DateTime!
  "Why, as the publisher gave it."
  reason: String
}

"A release withdrawn from the calendar before it was published."
type Cancellation {
  "When it was cancelled."
  at: DateTime!
  "Why, as the publisher gave it."
  reason: String
}

"How a published release kept its first announced instant."
type Punctuality {
  "The instant first announced."
  announced: DateTime!
  "The instant it became public."
  actual: DateTime!
  "actual − announced, in seconds (negative when brought forward)."
  delaySeconds: Int!
  "True when it became public at or before the first announced instant."
  onTime: Boolean!
}

"How disclosure control protected a dataflow of the release (docs/disclosure-control.md)."
type DisclosureControl {
  "AGENCY:ID(VERSION)"
  dataflow: String!
  "The method, e.g. threshold rule with hypercube secondary suppression."
  method: String!
  "The rules applied (threshold, zeros, interval), as configured."
  rules: JSON
  "What it did: primary and secondary suppressions, relations kept."
  summary: JSON
}

"The reference metadata of a dataflow (and an area)."
type MetadataReport {
  "The dataflow the report is about."
  dataflow: Dataflow!
  "The area asked for; null without one."
  area: String
  "The instant it is for."
  asOf: DateTime!
  "The latest public methodology and quality report of the dataflow."
  report: MetadataSet
  "The latest public country note of the area (only with area)."
  countryNote: MetadataSet
  "The quality indicators the server measures, of the area's data when an area is asked."
  indicators: QualityIndicators!
}

"One version of a metadata report."
type MetadataSet {
  "MS_DF_CTS_HOMICIDE, MS_DF_CTS_HOMICIDE_MEX…"
  setId: String!
  "The version of the set, e.g. 1.0.0; a new version replaces the old from its release on."
  version: String!
  "The report’s title, in the language asked."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "The release that made this version public."
  release: String
  "When this version became public (its release’s instant)."
  validFrom: DateTime
  "Set once a later public version replaced it."
  validTo: DateTime
  "The reported concepts, nested as the metadata structure nests them."
  attributes: [ReportedAttribute!]!
  "One reported concept by id (anywhere in the tree), e.g. CNT_UNIT."
  attribute("The concept id, e.g. CNT_UNIT or STAT_PRES." concept: String!): ReportedAttribute
}

"One reported concept of a metadata report, with the concepts nested under it."
type ReportedAttribute {
  "The concept id (SIMS-based), e.g. STAT_PRES or CNT_UNIT."
  concept: String!
  "The concept's name."
  name("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String!
  "Its text in the language asked (else English)."
  text("The language: EN or ES (default: the request’s Accept-Language, else English)." lang: Language): String
  "A coded value (YES, NO, UNKNOWN…) or a date."
  value: String
  "The concepts nested under it."
  children: [ReportedAttribute!]!
}

"Quality indicators measured over the public data and calendar (definitions: docs/quality-indicators.md)."
type QualityIndicators {
  "The instant the indicators were measured for."
  at: DateTime!
  "Releases on time, late, overdue, cancelled."
  punctuality: JSON!
  "Time from the end of the reference period to publication."
  timeliness: JSON!
  "Revisions between vintages."
  revisions: JSON!
  "Cells of the allowed cube that hold data."
  completeness: JSON!
  "Cells withheld by disclosure control."
  suppression: JSON!
}
`;
