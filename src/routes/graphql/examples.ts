/**
 * The example queries of the documentation (docs/graphql.md, README), each run against the demo
 * data by test/routes/graphql/examples.test.ts. They are also the persisted queries every process
 * knows from the start, so their GET links work without registering them first. The first is
 * what GraphiQL opens with.
 */
export interface GraphqlExample {
  readonly name: string;
  readonly description: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

export const GRAPHQL_EXAMPLES: readonly GraphqlExample[] = [
  {
    name: 'dataflows',
    description: 'What is published: every dataflow with its theme, counts, period covered and next release.',
    query: `{
  dataflows {
    code
    name
    theme { name }
    seriesCount
    observationCount
    period { first last }
    nextRelease { code announcedAt }
  }
}`,
  },
  {
    name: 'central-america-homicide-rates',
    description:
      'Homicide rates for Central America, both sexes, 2010–2022, with labels, flags in words, the release behind each value and the counting note of the methodology.',
    query: `query CentralAmerica($areas: [String!]!, $lang: Language) {
  series(
    dataflow: "DF_CTS_HOMICIDE"
    filter: {
      dimensions: [
        { dimension: "REF_AREA", codes: $areas }
        { dimension: "SEX", codes: ["_T"] }
        { dimension: "UNIT_MEASURE", codes: ["P_HTHAB"] }
      ]
      from: "2010"
      to: "2022"
    }
    first: 20
  ) {
    totalCount
    nodes {
      area: dimension(code: "REF_AREA") { code name(lang: $lang) }
      observations { period value flags { meaning(lang: $lang) } release { code } }
    }
  }
  dataflow(id: "DF_CTS_HOMICIDE") {
    metadata { report { attribute(concept: "STAT_UNIT") { name(lang: $lang) text(lang: $lang) } } }
  }
}`,
    variables: { areas: ['BLZ', 'CRI', 'SLV', 'GTM', 'HND', 'NIC', 'PAN'], lang: 'EN' },
  },
  {
    name: 'iccs-tree',
    description: 'The ICCS: its sections and, under each, its divisions, in Spanish.',
    query: `{
  codelist(id: "CL_ICCS") {
    name(lang: ES)
    levels { level name(lang: ES) }
    roots {
      code
      name(lang: ES)
      descendants(maxLevel: 2) { code name(lang: ES) level }
    }
  }
}`,
  },
  {
    name: 'revision-history',
    description: 'Intentional homicides recorded in Belgium, 2016–2019, with every vintage the public has seen (Eurostat revised 2018 from 190 to 192).',
    query: `{
  series(
    dataflow: "DF_ESTAT_CRIM_OFF_CAT"
    filter: {
      dimensions: [
        { dimension: "REF_AREA", codes: ["BEL"] }
        { dimension: "OFFENCE", codes: ["0101"] }
        { dimension: "UNIT_MEASURE", codes: ["NR"] }
      ]
      from: "2016"
      to: "2019"
    }
  ) {
    nodes {
      key
      observations {
        period
        value
        history { release { code publishedAt } value withdrawn }
      }
    }
  }
}`,
  },
  {
    name: 'release-calendar',
    description: 'The release calendar: what was published when (and whether on time), and what is announced next.',
    query: `{
  releases {
    code
    title
    state
    announcedAt
    punctuality { onTime delaySeconds }
    dataflows { code }
  }
}`,
  },
  {
    name: 'dataflow-dimensions',
    description: 'One dataflow with its dimensions and the codes that hold data, each with its counts: what a filter can ask for.',
    query: `{
  dataflow(id: "DF_CTS_PRISONS") {
    name
    period { first last }
    dimensions {
      code
      name
      codes { code name seriesCount observationCount }
    }
  }
}`,
  },
];
