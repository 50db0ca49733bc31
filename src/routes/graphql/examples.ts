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
];
