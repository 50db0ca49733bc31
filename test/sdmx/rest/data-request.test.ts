import t, { type Test } from 'tap';
import type { AvailabilityQuery, DataQuery } from '../../../src/sdmx/data/query.js';
import { ServiceError } from '../../../src/errors.js';
import { sdmxErrorOf } from '../../../src/sdmx/errors.js';
import { parseAvailabilityRequest, parseDataRequest } from '../../../src/sdmx/rest/data-request.js';
import { parseRawQuery } from '../../../src/sdmx/rest/query-string.js';

/** Asserts a 400 SDMX syntax error whose message quotes `mention`. */
function rejects(t: Test, run: () => unknown, mention: string, label: string): void {
  try {
    run();
    t.fail(`${label}: accepted`);
  } catch (err) {
    t.ok(err instanceof ServiceError && err.kind === 'invalid-input', `${label}: invalid input`);
    if (err instanceof ServiceError) t.match(sdmxErrorOf(err, '2.1'), { status: 400, code: 140 }, `${label}: 400 syntax error`);
    const message = err instanceof Error ? err.message : String(err);
    t.ok(message.includes(mention), `${label}: message "${message}" mentions "${mention}"`);
  }
}

const FLOW = { agencyId: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' };

function data21(over: Partial<DataQuery> = {}): DataQuery {
  return { api: '2.1', context: 'dataflow', flow: FLOW, filters: [], detail: 'full', includeHistory: false, ...over };
}

function data30(over: Partial<DataQuery> = {}): DataQuery {
  return {
    api: '3.0',
    context: '*',
    flow: { agencyId: '*', id: '*', version: '~' },
    filters: [],
    detail: 'full',
    attributes: { kind: 'dsd' },
    measures: { kind: 'all' },
    includeHistory: false,
    ...over,
  };
}

t.test('parseRawQuery', async (t) => {
  const cases: [string, [string, string][]][] = [
    ['', []],
    ['a=1&b=2', [['a', '1'], ['b', '2']]],
    ['c[X]=A+B', [['c[X]', 'A+B']]],
    ['c%5BX%5D=A%2BB', [['c[X]', 'A+B']]],
    ['updatedAfter=2009-05-15T14%3A15%3A00%2B01%3A00', [['updatedAfter', '2009-05-15T14:15:00+01:00']]],
    ['v=1.0+.0', [['v', '1.0+.0']]],
    ['flag', [['flag', '']]],
    ['flag=', [['flag', '']]],
    ['a=x=y', [['a', 'x=y']]],
    ['a=1&&b=2&', [['a', '1'], ['b', '2']]],
    ['q=a%20b', [['q', 'a b']]],
    ['%C3%A9t%C3%A9=%E2%82%AC', [['été', '€']]],
  ];
  for (const [raw, expected] of cases) {
    t.same([...parseRawQuery(raw)], expected, JSON.stringify(raw));
  }
  rejects(t, () => parseRawQuery('a=1&a=2'), '"a"', 'repeated parameter');
  rejects(t, () => parseRawQuery('c[X]=A&c%5BX%5D=B'), 'c[X]', 'repeat after decoding');
  rejects(t, () => parseRawQuery('a=%ZZ'), 'a=%ZZ', 'malformed escape in value');
  rejects(t, () => parseRawQuery('a%E2=1'), 'a%E2=1', 'truncated UTF-8 in name');
  rejects(t, () => parseRawQuery('=1'), '=1', 'empty name');
});

t.test('REST 1.x data: valid requests', async (t) => {
  const all = { agencyId: '*', id: 'DF_CTS_HOMICIDE', version: 'latest' };
  const cases: [string, string[], string, DataQuery][] = [
    ['AG,ID,VER', ['UNODC,DF_CTS_HOMICIDE,1.0'], '', data21()],
    ['AG,ID', ['UNODC,DF_CTS_HOMICIDE'], '', data21({ flow: { ...FLOW, version: 'latest' } })],
    ['ID', ['DF_CTS_HOMICIDE'], '', data21({ flow: all })],
    ['all,ID,latest', ['all,DF_CTS_HOMICIDE,latest'], '', data21({ flow: all })],
    ['nested agency, 3-part version', ['SDMX.UNODC,DF_X,1.2.3'], '', data21({ flow: { agencyId: 'SDMX.UNODC', id: 'DF_X', version: '1.2.3' } })],
    ['key all, provider all', ['UNODC,DF_CTS_HOMICIDE,1.0', 'all', 'all'], '', data21()],
    ['trailing slash', ['UNODC,DF_CTS_HOMICIDE,1.0', ''], '', data21()],
    [
      'full key',
      ['UNODC,DF_CTS_HOMICIDE,1.0', 'A.AUT.ICCS0101'],
      '',
      data21({ keys: [[['A'], ['AUT'], ['ICCS0101']]] }),
    ],
    [
      'wildcards and OR',
      ['UNODC,DF_CTS_HOMICIDE,1.0', 'A.AUT+DEU......', 'all'],
      '',
      data21({ keys: [[['A'], ['AUT', 'DEU'], undefined, undefined, undefined, undefined, undefined, undefined]] }),
    ],
    ['leading wildcard', ['UNODC,DF_CTS_HOMICIDE,1.0', '.AUT'], '', data21({ keys: [[undefined, ['AUT']]] })],
    ['codes with _@$-', ['UNODC,DF_CTS_HOMICIDE,1.0', 'A_1.B@2.C$3.D-4'], '', data21({ keys: [[['A_1'], ['B@2'], ['C$3'], ['D-4']]] })],
    ['provider PID (TCK D5)', ['UNODC,DF_CTS_HOMICIDE,1.0', 'all', 'UNODC_P'], '', data21({ providers: [{ id: 'UNODC_P' }] })],
    [
      'provider AG,PID (TCK D4)',
      ['UNODC,DF_CTS_HOMICIDE,1.0', 'all', 'UNODC,UNODC_P'],
      '',
      data21({ providers: [{ agencyId: 'UNODC', id: 'UNODC_P' }] }),
    ],
    [
      'providers OR',
      ['UNODC,DF_CTS_HOMICIDE,1.0', 'all', 'P1+AG,P2'],
      '',
      data21({ providers: [{ id: 'P1' }, { agencyId: 'AG', id: 'P2' }] }),
    ],
    ['detail=serieskeysonly (TCK D1)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'detail=serieskeysonly', data21({ detail: 'serieskeysonly' })],
    ['detail=dataonly', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'detail=dataonly', data21({ detail: 'dataonly' })],
    ['detail=nodata', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'detail=nodata', data21({ detail: 'nodata' })],
    ['detail=full', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'detail=full', data21()],
    ['startPeriod (TCK D8)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'startPeriod=2016', data21({ startPeriod: '2016' })],
    ['endPeriod (TCK D9)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'endPeriod=2019-Q3', data21({ endPeriod: '2019-Q3' })],
    [
      'TCK D11 parameter order',
      ['UNODC,DF_CTS_HOMICIDE,1.0'],
      'lastNObservations=3&endPeriod=2019&startPeriod=2016',
      data21({ lastNObservations: 3, startPeriod: '2016', endPeriod: '2019' }),
    ],
    ['same period both ends', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'startPeriod=2019&endPeriod=2019', data21({ startPeriod: '2019', endPeriod: '2019' })],
    [
      'mixed frequencies in bounds',
      ['UNODC,DF_CTS_HOMICIDE,1.0'],
      'startPeriod=2019-W01&endPeriod=2019-12-31T10:00:00%2B01:00',
      data21({ startPeriod: '2019-W01', endPeriod: '2019-12-31T10:00:00+01:00' }),
    ],
    ['updatedAfter year (TCK D12)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'updatedAfter=2015', data21({ updatedAfter: '2015-01-01T00:00:00.000Z' })],
    ['updatedAfter month', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'updatedAfter=2015-03', data21({ updatedAfter: '2015-03-01T00:00:00.000Z' })],
    [
      'updatedAfter encoded dateTime',
      ['UNODC,DF_CTS_HOMICIDE,1.0'],
      'updatedAfter=2009-05-15T14%3A15%3A00%2B01%3A00',
      data21({ updatedAfter: '2009-05-15T13:15:00.000Z' }),
    ],
    ['firstNObservations (TCK D13)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'firstNObservations=3', data21({ firstNObservations: 3 })],
    ['lastNObservations (TCK D14)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'lastNObservations=12', data21({ lastNObservations: 12 })],
    ['dimensionAtObservation=TIME_PERIOD', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'dimensionAtObservation=TIME_PERIOD', data21({ dimensionAtObservation: 'TIME_PERIOD' })],
    ['dimensionAtObservation=AllDimensions (TCK D21)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'dimensionAtObservation=AllDimensions', data21({ dimensionAtObservation: 'AllDimensions' })],
    ['includeHistory=true (TCK D23)', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'includeHistory=true', data21({ includeHistory: true })],
    ['includeHistory=false', ['UNODC,DF_CTS_HOMICIDE,1.0'], 'includeHistory=false', data21()],
    [
      'ignored parameters',
      ['UNODC,DF_CTS_HOMICIDE,1.0'],
      'format=csv&formatVersion=2.0.0&lang=fr&labels=both&_=1712345678&_cache=x',
      data21(),
    ],
  ];
  for (const [label, segments, query, expected] of cases) {
    t.strictSame(parseDataRequest('2.1', segments, query), expected, label);
  }
});

t.test('REST 1.x data: malformed requests', async (t) => {
  const flow = 'UNODC,DF_CTS_HOMICIDE,1.0';
  const cases: [string, string[], string, string][] = [
    ['no flow', [], '', 'dataflow reference'],
    ['four-part flow', ['A,B,1.0,X'], '', 'A,B,1.0,X'],
    ['agency starting with a digit', ['1UN,DF,1.0'], '', '1UN'],
    ['bad id', ['UNODC,DF X,1.0'], '', 'DF X'],
    ['ID,VER is not a form', ['DF,1.0'], '', '1.0'],
    ['bad version', ['UNODC,DF,v1'], '', 'v1'],
    ['3.0 version wildcard', ['UNODC,DF,1.0+'], '', '1.0+'],
    ['empty version', ['UNODC,DF,'], '', 'UNODC,DF,'],
    ['too many segments', [flow, 'all', 'all', 'X'], '', 'at most 3'],
    ['bad code', [flow, 'A.A U T'], '', 'A U T'],
    ['empty code in OR', [flow, 'A.AUT+'], '', 'A.AUT+'],
    ['REST 2.x wildcard in 1.x key', [flow, 'A.*.X'], '', '"*"'],
    ['bad provider', [flow, 'all', 'AG,P,X'], '', 'AG,P,X'],
    ['bad provider agency', [flow, 'all', '9AG,P'], '', '9AG,P'],
    ['empty provider', [flow, 'all', 'P1+'], '', 'P1+'],
  ];
  for (const [label, segments, query, mention] of cases) {
    rejects(t, () => parseDataRequest('2.1', segments, query), mention, label);
  }
  const params: [string, string][] = [
    ['startPeriod=2019-13', '2019-13'],
    ['startPeriod=', 'startPeriod ""'],
    ['endPeriod=2019-W53', '2019-W53'],
    ['endPeriod=2019-01-01/P1Y', '2019-01-01/P1Y'],
    ['startPeriod=2020&endPeriod=2019', '"2020"'],
    ['startPeriod=2019-07&endPeriod=2019-Q2', '2019-Q2'],
    ['updatedAfter=yesterday', 'yesterday'],
    ['updatedAfter=2015-Q1', '2015-Q1'],
    ['firstNObservations=0', 'firstNObservations "0"'],
    ['firstNObservations=-1', '"-1"'],
    ['lastNObservations=%2B3', '"+3"'],
    ['lastNObservations=1.5', '"1.5"'],
    ['lastNObservations=03', '"03"'],
    ['lastNObservations=', 'lastNObservations ""'],
    ['lastNObservations=99999999999999999999', '99999999999999999999'],
    ['dimensionAtObservation=1DIM', '1DIM'],
    ['dimensionAtObservation=A.B', 'A.B'],
    ['detail=allstubs', 'allstubs'],
    ['detail=Full', '"Full"'],
    ['includeHistory=yes', 'yes'],
    ['includeHistory=TRUE', 'TRUE'],
    ['STARTPERIOD=2019', 'STARTPERIOD'],
    ['c[FREQ]=A', 'c[FREQ]'],
    ['references=all', 'references'],
    ['attributes=none', 'attributes'],
    ['foo=bar', 'foo'],
    ['startPeriod=2019&startPeriod=2020', 'startPeriod'],
  ];
  for (const [query, mention] of params) {
    rejects(t, () => parseDataRequest('2.1', [flow], query), mention, `?${query}`);
  }
  rejects(t, () => parseDataRequest('2.1', [flow], 'foo=1'), 'startPeriod, endPeriod', 'unknown parameter lists the accepted ones');
});

t.test('REST 2.x data: valid requests', async (t) => {
  const flow = { agencyId: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0.0' };
  const path = ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '1.0.0'];
  const cases: [string, string[], string, DataQuery][] = [
    ['everything by default', [], '', data30()],
    ['context only', ['dataflow'], '', data30({ context: 'dataflow' })],
    ['datastructure context', ['datastructure', 'UNODC', 'DSD_CTS'], '', data30({ context: 'datastructure', flow: { agencyId: 'UNODC', id: 'DSD_CTS', version: '~' } })],
    ['provisionagreement context', ['provisionagreement', 'UNODC', 'PA_CTS', '1.0'], '', data30({ context: 'provisionagreement', flow: { agencyId: 'UNODC', id: 'PA_CTS', version: '1.0' } })],
    ['explicit stars', ['*', '*', '*', '*', '*'], '', data30({ flow: { agencyId: '*', id: '*', version: '*' } })],
    ['trailing slash', ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', ''], '', data30({ context: 'dataflow', flow: { ...flow, version: '~' } })],
    ['latest means ~', ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', 'latest'], '', data30({ context: 'dataflow', flow: { ...flow, version: '~' } })],
    ['exact version', path, '', data30({ context: 'dataflow', flow })],
    ['latest stable', ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '+'], '', data30({ context: 'dataflow', flow: { ...flow, version: '+' } })],
    ['semver wildcard +', ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '1.0+.0'], '', data30({ context: 'dataflow', flow: { ...flow, version: '1.0+.0' } })],
    ['semver wildcard *', ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '1.*.0'], '', data30({ context: 'dataflow', flow: { ...flow, version: '1.*.0' } })],
    ['version with extension', ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '1.0.0-draft'], '', data30({ context: 'dataflow', flow: { ...flow, version: '1.0.0-draft' } })],
    ['key *', [...path, '*'], '', data30({ context: 'dataflow', flow })],
    ['one key', [...path, 'A.AUT.ICCS0101'], '', data30({ context: 'dataflow', flow, keys: [[['A'], ['AUT'], ['ICCS0101']]] })],
    [
      'wildcards: * and empty, kept as written',
      [...path, 'A.*..X'],
      '',
      data30({ context: 'dataflow', flow, keys: [[['A'], undefined, undefined, ['X']]] }),
    ],
    ['short key is not padded', [...path, 'A'], '', data30({ context: 'dataflow', flow, keys: [[['A']]] })],
    [
      'several keys',
      [...path, 'M.USD.EUR,A.CHF.EUR'],
      '',
      data30({ context: 'dataflow', flow, keys: [[['M'], ['USD'], ['EUR']], [['A'], ['CHF'], ['EUR']]] }),
    ],
    [
      'serieskeysonly (TCK 4.x)',
      path,
      'attributes=none&measures=none',
      data30({ context: 'dataflow', flow, attributes: { kind: 'none' }, measures: { kind: 'none' }, detail: 'serieskeysonly' }),
    ],
    [
      'dataonly',
      path,
      'attributes=none&measures=all',
      data30({ context: 'dataflow', flow, attributes: { kind: 'none' }, detail: 'dataonly' }),
    ],
    [
      'nodata',
      path,
      'attributes=dataset,series&measures=none',
      data30({ context: 'dataflow', flow, attributes: { kind: 'levels', levels: ['dataset', 'series'] }, measures: { kind: 'none' }, detail: 'nodata' }),
    ],
    ['attributes=all', path, 'attributes=all', data30({ context: 'dataflow', flow, attributes: { kind: 'all' } })],
    ['attributes=dsd', path, 'attributes=dsd', data30({ context: 'dataflow', flow })],
    ['attributes=msd: we hold none', path, 'attributes=msd', data30({ context: 'dataflow', flow, attributes: { kind: 'none' }, detail: 'dataonly' })],
    ['attributes=obs', path, 'attributes=obs', data30({ context: 'dataflow', flow, attributes: { kind: 'levels', levels: ['obs'] } })],
    [
      'attribute ids',
      path,
      'attributes=OBS_STATUS,UNIT_MEASURE,OBS_STATUS',
      data30({ context: 'dataflow', flow, attributes: { kind: 'ids', ids: ['OBS_STATUS', 'UNIT_MEASURE'] } }),
    ],
    ['measure ids', path, 'measures=OBS_VALUE', data30({ context: 'dataflow', flow, measures: { kind: 'ids', ids: ['OBS_VALUE'] } })],
    [
      'attribute ids and no measure',
      path,
      'attributes=OBS_STATUS&measures=none',
      data30({ context: 'dataflow', flow, attributes: { kind: 'ids', ids: ['OBS_STATUS'] }, measures: { kind: 'none' }, detail: 'nodata' }),
    ],
    [
      'time range filter',
      path,
      'c[TIME_PERIOD]=ge:2020-01+le:2020-12',
      data30({ context: 'dataflow', flow, filters: [{ component: 'TIME_PERIOD', anyOf: [[{ op: 'ge', value: '2020-01' }, { op: 'le', value: '2020-12' }]] }] }),
    ],
    [
      'encoded brackets',
      path,
      'c%5BFREQ%5D=A,M',
      data30({ context: 'dataflow', flow, filters: [{ component: 'FREQ', anyOf: [[{ op: 'eq', value: 'A' }], [{ op: 'eq', value: 'M' }]] }] }),
    ],
    [
      'OR of ANDs, several components in query order',
      path,
      'c[ATTR1]=A,B+M&c[OBS_VALUE]=gt:10.5',
      data30({
        context: 'dataflow',
        flow,
        filters: [
          { component: 'ATTR1', anyOf: [[{ op: 'eq', value: 'A' }], [{ op: 'eq', value: 'B' }, { op: 'eq', value: 'M' }]] },
          { component: 'OBS_VALUE', anyOf: [[{ op: 'gt', value: '10.5' }]] },
        ],
      }),
    ],
    [
      'every operator',
      path,
      'c[X]=eq:a,ne:b,lt:c,le:d,gt:e,ge:f,co:g,nc:h,sw:i,ew:j',
      data30({
        context: 'dataflow',
        flow,
        filters: [
          {
            component: 'X',
            anyOf: (['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'co', 'nc', 'sw', 'ew'] as const).map((op, i) => [{ op, value: 'abcdefghij'[i] as string }]),
          },
        ],
      }),
    ],
    [
      'a colon that is not an operator stays in the value',
      path,
      'c[TIME_PERIOD]=2020-01-01T10:00:00',
      data30({ context: 'dataflow', flow, filters: [{ component: 'TIME_PERIOD', anyOf: [[{ op: 'eq', value: '2020-01-01T10:00:00' }]] }] }),
    ],
    [
      'operator value keeps later colons',
      path,
      'c[TIME_PERIOD]=ge:2020-01-01T10:00:00',
      data30({ context: 'dataflow', flow, filters: [{ component: 'TIME_PERIOD', anyOf: [[{ op: 'ge', value: '2020-01-01T10:00:00' }]] }] }),
    ],
    [
      'everything-query from the spec',
      [],
      'c[REF_AREA]=CH&attributes=none&measures=none',
      data30({
        filters: [{ component: 'REF_AREA', anyOf: [[{ op: 'eq', value: 'CH' }]] }],
        attributes: { kind: 'none' },
        measures: { kind: 'none' },
        detail: 'serieskeysonly',
      }),
    ],
    [
      'observation parameters',
      path,
      'firstNObservations=1&lastNObservations=2&dimensionAtObservation=AllDimensions&includeHistory=true',
      data30({ context: 'dataflow', flow, firstNObservations: 1, lastNObservations: 2, dimensionAtObservation: 'AllDimensions', includeHistory: true }),
    ],
    [
      'updatedAfter and asOf',
      path,
      'updatedAfter=2009-05-15T14%3A15%3A00%2B01%3A00&asOf=2020-06-01',
      data30({ context: 'dataflow', flow, updatedAfter: '2009-05-15T13:15:00.000Z', asOf: '2020-06-01T00:00:00.000Z' }),
    ],
    ['ignored parameters', path, 'format=jsondata&lang=en&labels=id&_=123', data30({ context: 'dataflow', flow })],
  ];
  for (const [label, segments, query, expected] of cases) {
    t.strictSame(parseDataRequest('3.0', segments, query), expected, label);
  }
});

t.test('REST 2.x data: malformed requests', async (t) => {
  const path = ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '1.0.0'];
  const cases: [string, string[], string, string][] = [
    ['unknown context', ['metadataflow'], '', 'metadataflow'],
    ['several contexts', ['dataflow,datastructure'], '', 'dataflow,datastructure'],
    ['bad agency', ['dataflow', '1UNODC'], '', '1UNODC'],
    ['several agencies', ['dataflow', 'UNODC,ECB'], '', 'UNODC,ECB'],
    ['bad id', ['dataflow', 'UNODC', 'DF CTS'], '', 'DF CTS'],
    ['several ids', ['dataflow', 'UNODC', 'A,B'], '', 'A,B'],
    ['bad version', ['dataflow', 'UNODC', 'DF', 'v1'], '', 'v1'],
    ['several versions', ['dataflow', 'UNODC', 'DF', '1.0.0,2.0.0'], '', '1.0.0,2.0.0'],
    ['version with four parts', ['dataflow', 'UNODC', 'DF', '1.0.0.0'], '', '1.0.0.0'],
    ['+ in key', [...path, 'A.AUT+DEU'], '', 'c[DIMENSION]'],
    ['+ in key names it', [...path, 'A.AUT+DEU'], '', 'A.AUT+DEU'],
    ['bad code', [...path, 'A.B C'], '', 'B C'],
    ['empty key in list', [...path, 'A.B,,C'], '', 'A.B,,C'],
    ['too many segments', [...path, 'A', 'X'], '', 'at most 5'],
  ];
  for (const [label, segments, query, mention] of cases) {
    rejects(t, () => parseDataRequest('3.0', segments, query), mention, label);
  }
  const params: [string, string][] = [
    ['startPeriod=2019', 'c[TIME_PERIOD]=ge:'],
    ['endPeriod=2019', 'endPeriod'],
    ['detail=serieskeysonly', 'attributes=none&measures=none'],
    ['c[FREQ]=', 'c[FREQ]'],
    ['c[FREQ]=A,,M', 'A,,M'],
    ['c[FREQ]=A+', 'A+'],
    ['c[TIME_PERIOD]=ge:', 'ge:'],
    ['c[1X]=A', '1X'],
    ['c[]=A', 'c[]'],
    ['c=A', '"c"'],
    ['c[FREQ]=A&c%5BFREQ%5D=M', 'c[FREQ]'],
    ['attributes=none,series', '"none"'],
    ['attributes=dataset,OBS_STATUS', 'dataset,OBS_STATUS'],
    ['attributes=OBS STATUS', 'OBS STATUS'],
    ['attributes=', 'attributes id ""'],
    ['measures=all,OBS_VALUE', '"all"'],
    ['measures=1M', '1M'],
    ['updatedAfter=2015-Q1', '2015-Q1'],
    ['asOf=tomorrow', 'tomorrow'],
    ['firstNObservations=0', '"0"'],
    ['dimensionAtObservation=', 'dimensionAtObservation ""'],
    ['includeHistory=1', 'includeHistory "1"'],
    ['references=none', 'references'],
    ['mode=exact', 'mode'],
    ['foo=bar', 'c[COMPONENT]'],
  ];
  for (const [query, mention] of params) {
    rejects(t, () => parseDataRequest('3.0', path, query), mention, `?${query}`);
  }
});

function avail21(over: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  return { api: '2.1', context: 'dataflow', flow: FLOW, filters: [], mode: 'exact', references: ['none'], ...over };
}

t.test('REST 1.x availability', async (t) => {
  const flow = 'UNODC,DF_CTS_HOMICIDE,1.0';
  const cases: [string, string[], string, AvailabilityQuery][] = [
    ['TCK A0', [flow], '', avail21()],
    ['TCK A1', [flow, 'A.AUT.X'], '', avail21({ keys: [[['A'], ['AUT'], ['X']]] })],
    ['TCK A2', [flow, 'A.AUT.X'], 'mode=available', avail21({ keys: [[['A'], ['AUT'], ['X']]], mode: 'available' })],
    ['TCK A3', [flow], 'startPeriod=2010-01', avail21({ startPeriod: '2010-01' })],
    ['TCK A4', [flow], 'endPeriod=2020-01', avail21({ endPeriod: '2020-01' })],
    ['TCK A5', [flow], 'startPeriod=2010-01&endPeriod=2020-01', avail21({ startPeriod: '2010-01', endPeriod: '2020-01' })],
    ['TCK A7', [flow, 'all', 'all', 'REF_AREA'], '', avail21({ componentId: 'REF_AREA' })],
    ['TCK A8', [flow, 'A+M.AUT.X'], '', avail21({ keys: [[['A', 'M'], ['AUT'], ['X']]] })],
    ['TCK A10', [flow], 'references=all', avail21({ references: ['all'] })],
    ['TCK A11', [flow], 'references=datastructure', avail21({ references: ['datastructure'] })],
    ['TCK A12', [flow], 'references=dataflow', avail21({ references: ['dataflow'] })],
    ['TCK A13', [flow], 'references=codelist', avail21({ references: ['codelist'] })],
    ['TCK A14', [flow], 'references=conceptscheme', avail21({ references: ['conceptscheme'] })],
    ['TCK A15', [flow, 'all', 'UNODC_P'], 'references=dataproviderscheme', avail21({ providers: [{ id: 'UNODC_P' }], references: ['dataproviderscheme'] })],
    ['componentId all', [flow, 'all', 'all', 'all'], '', avail21()],
    ['references=none', [flow], 'references=none&mode=exact', avail21()],
    ['updatedAfter', [flow], 'updatedAfter=2020-01-01T00:00:00Z', avail21({ updatedAfter: '2020-01-01T00:00:00.000Z' })],
    ['bare id', ['DF_CTS_HOMICIDE'], 'format=xml&_=1', avail21({ flow: { agencyId: '*', id: 'DF_CTS_HOMICIDE', version: 'latest' } })],
  ];
  for (const [label, segments, query, expected] of cases) {
    t.strictSame(parseAvailabilityRequest('2.1', segments, query), expected, label);
  }
  const bad: [string, string[], string, string][] = [
    ['too many segments', [flow, 'all', 'all', 'REF_AREA', 'X'], '', 'at most 4'],
    ['bad component id', [flow, 'all', 'all', 'REF AREA'], '', 'REF AREA'],
    ['* is not the 1.x keyword', [flow, 'all', 'all', '*'], '', '"*"'],
    ['bad mode', [flow], 'mode=partial', 'partial'],
    ['bad references', [flow], 'references=children', 'children'],
    ['several references are 2.x only', [flow], 'references=codelist,dataflow', 'codelist,dataflow'],
    ['detail is not an availability parameter', [flow], 'detail=full', 'detail'],
    ['lastNObservations is not an availability parameter', [flow], 'lastNObservations=1', 'lastNObservations'],
    ['bad startPeriod', [flow], 'startPeriod=2010-1', '2010-1'],
    ['start after end', [flow], 'startPeriod=2020-01&endPeriod=2010-01', '2020-01'],
  ];
  for (const [label, segments, query, mention] of bad) {
    rejects(t, () => parseAvailabilityRequest('2.1', segments, query), mention, label);
  }
});

t.test('REST 2.x availability', async (t) => {
  const base: AvailabilityQuery = { api: '3.0', context: '*', flow: { agencyId: '*', id: '*', version: '~' }, filters: [], mode: 'exact', references: ['none'] };
  const flow = { agencyId: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0.0' };
  const path = ['dataflow', 'UNODC', 'DF_CTS_HOMICIDE', '1.0.0'];
  const cases: [string, string[], string, AvailabilityQuery][] = [
    ['defaults', [], '', base],
    ['component', [...path, '*', 'REF_AREA'], '', { ...base, context: 'dataflow', flow, componentId: 'REF_AREA' }],
    ['component *', [...path, 'A..X', '*'], '', { ...base, context: 'dataflow', flow, keys: [[['A'], undefined, ['X']]] }],
    [
      'filters, mode and references',
      path,
      'c[TIME_PERIOD]=ge:2015&mode=available&references=codelist,conceptscheme,codelist',
      {
        ...base,
        context: 'dataflow',
        flow,
        filters: [{ component: 'TIME_PERIOD', anyOf: [[{ op: 'ge', value: '2015' }]] }],
        mode: 'available',
        references: ['codelist', 'conceptscheme'],
      },
    ],
    ['references=all', path, 'references=all', { ...base, context: 'dataflow', flow, references: ['all'] }],
    [
      'updatedAfter and asOf',
      path,
      'updatedAfter=2015&asOf=2016-02-03T04:05',
      { ...base, context: 'dataflow', flow, updatedAfter: '2015-01-01T00:00:00.000Z', asOf: '2016-02-03T04:05:00.000Z' },
    ],
  ];
  for (const [label, segments, query, expected] of cases) {
    t.strictSame(parseAvailabilityRequest('3.0', segments, query), expected, label);
  }
  const bad: [string, string[], string, string][] = [
    ['too many segments', [...path, '*', 'REF_AREA', 'X'], '', 'at most 6'],
    ['bad component id', [...path, '*', '1REF'], '', '1REF'],
    ['none combined', path, 'references=none,codelist', 'none,codelist'],
    ['bad reference', path, 'references=codelist,parents', 'parents'],
    ['startPeriod', path, 'startPeriod=2019', 'c[TIME_PERIOD]'],
    ['attributes not for availability', path, 'attributes=none', 'attributes'],
    ['+ in key', [...path, 'A+B'], '', 'A+B'],
    ['bad mode', path, 'mode=Exact', 'Exact'],
  ];
  for (const [label, segments, query, mention] of bad) {
    rejects(t, () => parseAvailabilityRequest('3.0', segments, query), mention, label);
  }
});
