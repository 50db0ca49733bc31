/**
 * Embargo across every public surface: a release scheduled for instant T is invisible at
 * T − 1 ms and fully there at T, in every format and query shape, through one app whose clock is
 * moved (so the response cache and every memo are exercised across the instant).
 *
 * - At T − 1 ms every answer (status, ETag, Last-Modified, body) is the answer of an app in which
 *   the release does not exist; the validators of that app give 304.
 * - At T every answer is the answer of a fresh app in which the release is simply visible (no
 *   answer cached at T − 1 ms survives), the release's values, keys and counts are read back
 *   from the bodies, and the validators of T − 1 ms no longer validate.
 * - Releases scheduled and then cancelled, and drafts, never appear.
 * - A `preview` token sees the release at T − 1 ms (privately, audited) without polluting what
 *   the anonymous caller gets next; tokens of other roles see the public data; a bad token is
 *   refused in the surface's error format.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../src/clock.js';
import { MEDIA } from '../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../src/sdmx/ml21/structure-reader.js';
import type { ContentConstraint } from '../../src/sdmx/model.js';
import type { Repositories } from '../../src/storage/repositories.js';
import { CTS_DIMENSIONS, dataApp, writeFixtureReleases, type FixtureRelease } from '../helpers/data-app.js';
import { decodeCsv, decodeGeneric21, decodeJson, decodeStructureSpecific, type DecodedObservation } from '../helpers/data-decoders.js';
import { describeRequest, get, sameAnswer, withoutMessageHeaderFacts, withoutMessageIds, type PublicRequest } from '../helpers/public-answers.js';
import { AUT, FRA, HOMICIDE_RELEASES, ISL } from '../fixtures/data-releases.js';

const T = '2026-12-01T08:00:00.000Z';
const BEFORE_T = '2026-12-01T07:59:59.999Z';
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const DEU = 'A.DEU.VIC_HOM.0101._T._T._T.NR';
const ISL_F = 'A.ISL.VIC_HOM.0101.F._T._T.NR';
const OFFENCE_KEY = 'A.DEU.OFF.0501._T._T._T.NR';

const PUBLIC = HOMICIDE_RELEASES.filter((r) => r.state === undefined || r.state === 'published');
/** Scheduled for T: a revision (AUT 2019), a new year (FRA 2020), a new series (DEU), a new dataflow. */
const EMBARGOED: FixtureRelease[] = [
  {
    code: 'EMBARGOED-HOMICIDE',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: T,
    state: 'scheduled',
    series: [
      { key: AUT, observations: [{ period: '2019', value: 67 }] },
      { key: FRA, observations: [{ period: '2020', value: 99001 }] },
      { key: DEU, observations: [{ period: '2019', value: 24501 }, { period: '2020', value: 24601 }] },
    ],
  },
  {
    code: 'EMBARGOED-OFFENCES',
    dataflow: 'DF_CTS_OFFENCES',
    announcedAt: T,
    state: 'scheduled',
    series: [{ key: OFFENCE_KEY, observations: [{ period: '2019', value: 1 }] }],
  },
];
const EMBARGOED_CODES = ['EMBARGOED-HOMICIDE'];
/** Scheduled (one already due, one due at T), then cancelled: never visible. */
const CANCELLED: FixtureRelease[] = [
  {
    code: 'CANCELLED-EARLY',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2026-11-01T08:00:00.000Z',
    state: 'scheduled',
    series: [{ key: ISL, observations: [{ period: '2020', value: 4321 }] }, { key: ISL_F, observations: [{ period: '2019', value: 8888 }] }],
  },
  {
    code: 'CANCELLED-AT-T',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: T,
    state: 'scheduled',
    series: [{ key: AUT, observations: [{ period: '2019', value: 5555 }] }, { key: ISL_F, observations: [{ period: '2020', value: 8889 }] }],
  },
];
const DRAFT = HOMICIDE_RELEASES.filter((r) => r.state === 'draft');
/** Values of hidden releases (cancelled, draft): no body may ever hold them. */
const NEVER = /\b(?:4321|8888|8889|5555|1234)\b/;

/** Releases in an order that gives the shared ones the same storage keys in every app. */
async function appWith(releases: readonly FixtureRelease[], at: string, cancel: readonly string[] = []) {
  const clock = fixedClock(at);
  const made = await dataApp(releases, { clock });
  for (const code of cancel) cancelRelease(made.repositories, code);
  return { ...made, clock };
}

function cancelRelease(repositories: Repositories, code: string): void {
  const release = repositories.releases.byCode(code);
  if (!release) throw new Error(`no release ${code}`);
  repositories.releases.cancel(release.pk, 'withdrawn by the test', { at: '2026-10-01T00:00:00.000Z', actor: 'cli' });
}

// ---- What the bodies say --------------------------------------------------------------------

type Instant = 'before' | 'at';
type Decoder = (body: string) => DecodedObservation[];
const DIMENSIONS: readonly string[] = [...CTS_DIMENSIONS, 'TIME_PERIOD'];
const GENERIC: Decoder = decodeGeneric21;
const SPECIFIC: Decoder = (body) => decodeStructureSpecific(body, DIMENSIONS);
const CSV: Decoder = (body) => decodeCsv(body, DIMENSIONS);
const JSON_: Decoder = decodeJson;
/** The JSON data API's document: series with their key, observations with period and value. */
const JSON_API: Decoder = (body) => {
  const doc = JSON.parse(body) as { series: { key: string; observations: { period: string; value: number | null; attributes: Record<string, string> }[] }[] };
  return doc.series.flatMap((s) => {
    const codes = s.key.split('.');
    const key = Object.fromEntries(CTS_DIMENSIONS.map((d, i) => [d, codes[i]!]));
    return s.observations.map((o) => ({ key: { ...key, TIME_PERIOD: o.period }, value: o.value, attributes: o.attributes }));
  });
};

/** `key@period` → value of every observation (a later data set's value wins). */
function observationsOf(decoded: readonly DecodedObservation[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const o of decoded) out.set(`${CTS_DIMENSIONS.map((d) => o.key[d]).join('.')}@${o.key.TIME_PERIOD}`, o.value);
  return out;
}

/** Expected values (`undefined` = absent) by `key@period`, per instant. */
type Expected = Readonly<Record<Instant, Readonly<Record<string, number | null | undefined>>>>;
const CURRENT_VALUES: Expected = {
  before: { [`${AUT}@2019`]: 66, [`${AUT}@2020`]: 41, [`${FRA}@2020`]: undefined, [`${DEU}@2019`]: undefined, [`${ISL}@2020`]: undefined },
  at: { [`${AUT}@2019`]: 67, [`${AUT}@2020`]: 41, [`${FRA}@2020`]: 99001, [`${DEU}@2019`]: 24501, [`${DEU}@2020`]: 24601, [`${ISL}@2020`]: undefined },
};
/** Only what changed after 2026-01-01: the embargoed release's values, at T. */
const UPDATED_VALUES: Expected = {
  before: {},
  at: { [`${AUT}@2019`]: 67, [`${FRA}@2020`]: 99001, [`${DEU}@2019`]: 24501, [`${AUT}@2016`]: undefined, [`${FRA}@2019`]: undefined },
};
const YEAR_2020: Expected = {
  before: { [`${AUT}@2020`]: 41, [`${FRA}@2020`]: undefined, [`${AUT}@2019`]: undefined },
  at: { [`${AUT}@2020`]: 41, [`${FRA}@2020`]: 99001, [`${DEU}@2020`]: 24601, [`${AUT}@2019`]: undefined, [`${DEU}@2019`]: undefined },
};
const OFFENCES: Expected = { before: {}, at: { [`${OFFENCE_KEY}@2019`]: 1 } };

type Check = (t: Test, res: LightMyRequestResponse, at: Instant) => void;

function values(decode: Decoder, expected: Expected): Check {
  return (t, res, at) => {
    const expectations = Object.entries(expected[at]);
    // An empty answer before T (404/204): its status is checked against `statusBefore`.
    if (at === 'before' && (expectations.length === 0 || res.statusCode !== 200)) return;
    t.equal(res.statusCode, 200, `${at}: 200`);
    const found = observationsOf(decode(res.body));
    for (const [where, value] of expectations) {
      if (value === undefined) t.notOk(found.has(where), `${at}: no ${where}`);
      else t.equal(found.get(where), value, `${at}: ${where} = ${value}`);
    }
  };
}

/** Series elements (any SDMX-ML) or series of SDMX-JSON, whether or not they hold observations. */
function seriesCount(body: string): number {
  if (body.startsWith('{')) {
    const doc = JSON.parse(body) as { data: { dataSets: { series?: object }[] } };
    return doc.data.dataSets.reduce((n, ds) => n + Object.keys(ds.series ?? {}).length, 0);
  }
  return (body.match(/<(?:\w+:)?Series[ >]/g) ?? []).length;
}

/** Series keys only (or no data): the series are there, the observations not. */
function seriesOnly(): Check {
  return (t, res, at) => {
    t.equal(res.statusCode, 200, `${at}: 200`);
    t.equal(seriesCount(res.body), at === 'before' ? 5 : 6, `${at}: series count`);
    t.equal(/"DEU"|value="DEU"|REF_AREA="DEU"/.test(res.body), at === 'at', `${at}: the new series DEU ${at === 'at' ? 'is' : 'is not'} listed`);
    t.notMatch(res.body, /ObsValue|OBS_VALUE="|"observations":\{"/, `${at}: no observation values`);
  };
}

/** includeHistory: one data set per visible release, the embargoed one valid from T. */
function history(): Check {
  return (t, res, at) => {
    t.equal(res.statusCode, 200, `${at}: 200`);
    const validFrom = [...res.body.matchAll(/validFromDate="([^"]+)"/g)].map((m) => m[1]!);
    t.equal(validFrom.length, at === 'before' ? 2 : 3, `${at}: one data set per visible release`);
    t.equal(validFrom.some((v) => Date.parse(v) === Date.parse(T)), at === 'at', `${at}: a data set valid from T`);
    const found = decodeGeneric21(res.body).filter((o) => o.key.REF_AREA === 'DEU').length;
    t.equal(found, at === 'before' ? 0 : 2, `${at}: DEU observations`);
  };
}

/** The Actual constraint of an availability answer read as SDMX-ML 2.1. */
function availability(expected: Readonly<Record<Instant, { areas: string[]; series?: number; observations?: number }>>): Check {
  return (t, res, at) => {
    t.equal(res.statusCode, 200, `${at}: 200`);
    const constraint = readStructureMl21(res.body).find((a): a is ContentConstraint => a.class === 'ContentConstraint')!;
    const areas = constraint.cubeRegions[0]?.keyValues.find((kv) => kv.id === 'REF_AREA')?.values ?? [];
    t.same([...areas].sort(), expected[at].areas, `${at}: REF_AREA codes`);
    const metric = (id: string) => constraint.annotations?.find((a) => a.id === id)?.title;
    if (expected[at].series !== undefined) t.equal(metric('series_count'), String(expected[at].series), `${at}: series_count`);
    if (expected[at].observations !== undefined) t.equal(metric('obs_count'), String(expected[at].observations), `${at}: obs_count`);
  };
}

/** An SDMX-JSON 2.0 availability answer: the REF_AREA codes of its constraint. */
function availabilityJson(areas: Readonly<Record<Instant, string[]>>): Check {
  return (t, res, at) => {
    t.equal(res.statusCode, 200, `${at}: 200`);
    type Kv = { id: string; values: (string | { value: string })[] };
    const doc = JSON.parse(res.body) as { data: { dataConstraints: { cubeRegions?: { keyValues?: Kv[] }[] }[] } };
    const constraint = doc.data.dataConstraints[0]!;
    const kv = constraint.cubeRegions?.[0]?.keyValues?.find((k) => k.id === 'REF_AREA');
    t.same((kv?.values ?? []).map((v) => (typeof v === 'string' ? v : v.value)).sort(), areas[at], `${at}: REF_AREA codes`);
  };
}

// ---- Every public surface -------------------------------------------------------------------

interface EmbargoRequest extends PublicRequest {
  /** Depends on the visible data (data, availability); else the answer never changes. */
  readonly data: boolean;
  /** A data query whose answer T does not change (it asks for an earlier instant). */
  readonly sameAtT?: true;
  /** A structure answer (Actual constraints): the same for every caller, a preview token included. */
  readonly publicOnly?: true;
  /** Status at T − 1 ms when it is not 200 (an empty answer, or a release the public cannot see). */
  readonly statusBefore?: number;
  readonly check?: Check;
}

const H21 = '/sdmx/2.1/data/DF_CTS_HOMICIDE';
const H30 = '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const AC21 = '/sdmx/2.1/availableconstraint/DF_CTS_HOMICIDE';
const AV30 = '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const JD = '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0';
const ALL_AREAS = { before: { areas: ['AUT', 'FRA', 'ISL'], series: 5, observations: 12 }, at: { areas: ['AUT', 'DEU', 'FRA', 'ISL'], series: 6, observations: 15 } };

const REQUESTS: readonly EmbargoRequest[] = [
  // SDMX 2.1 data, every format.
  { url: H21, data: true, check: values(GENERIC, CURRENT_VALUES) },
  { url: H21, accept: MEDIA.genericDataMl21, data: true, check: values(GENERIC, CURRENT_VALUES) },
  { url: H21, accept: MEDIA.genericTimeSeriesDataMl21, data: true, check: values(GENERIC, CURRENT_VALUES) },
  { url: H21, accept: MEDIA.structureSpecificDataMl21, data: true, check: values(SPECIFIC, CURRENT_VALUES) },
  { url: H21, accept: MEDIA.structureSpecificTimeSeriesDataMl21, data: true, check: values(SPECIFIC, CURRENT_VALUES) },
  { url: H21, accept: MEDIA.dataCsv10, data: true, check: values(CSV, CURRENT_VALUES) },
  { url: `${H21}?format=csv`, data: true, check: values(CSV, CURRENT_VALUES) },
  { url: H21, accept: MEDIA.dataJson10, data: true, check: values(JSON_, CURRENT_VALUES) },
  { url: `${H21}?format=jsondata`, data: true, check: values(JSON_, CURRENT_VALUES) },
  // Query shapes.
  { url: `${H21}?detail=serieskeysonly`, data: true, check: seriesOnly() },
  { url: `${H21}?detail=serieskeysonly`, accept: MEDIA.dataJson10, data: true, check: seriesOnly() },
  { url: `${H21}?detail=nodata`, data: true, check: seriesOnly() },
  { url: `${H21}?detail=dataonly`, accept: MEDIA.dataCsv10, data: true, check: values(CSV, CURRENT_VALUES) },
  { url: `${H21}?includeHistory=true`, data: true, check: history() },
  { url: `${H21}?updatedAfter=2026-01-01`, data: true, statusBefore: 404, check: values(GENERIC, UPDATED_VALUES) },
  { url: `${H21}?updatedAfter=2026-01-01&includeHistory=true`, data: true, statusBefore: 404 },
  { url: `${H21}?startPeriod=2020&endPeriod=2020`, data: true, check: values(GENERIC, YEAR_2020) },
  { url: `${H21}?lastNObservations=1`, accept: MEDIA.dataJson10, data: true },
  { url: `${H21}?dimensionAtObservation=AllDimensions`, data: true, check: values(GENERIC, CURRENT_VALUES) },
  { url: `${H21}?dimensionAtObservation=REF_AREA`, accept: MEDIA.structureSpecificDataMl21, data: true, check: values(SPECIFIC, CURRENT_VALUES) },
  { url: `${H21}/${DEU}`, data: true, statusBefore: 404, check: values(GENERIC, { before: {}, at: { [`${DEU}@2019`]: 24501, [`${DEU}@2020`]: 24601 } }) },
  { url: `${H21}/A.DEU+AUT.VIC_HOM.0101._T._T._T.NR`, accept: MEDIA.dataCsv10, data: true },
  { url: `${H21}/A..VIC_HOM.0101._T._T._T.NR?startPeriod=2020`, accept: MEDIA.dataJson10, data: true, check: values(JSON_, YEAR_2020) },
  { url: '/sdmx/2.1/data/DF_CTS_OFFENCES', data: true, statusBefore: 404, check: values(GENERIC, OFFENCES) },
  { url: '/sdmx/2.1/data/UNODC,DF_CTS_OFFENCES,1.0/all/UNODC', accept: MEDIA.dataCsv10, data: true, statusBefore: 404, check: values(CSV, OFFENCES) },
  // SDMX 3.0 data, every format.
  { url: H30, data: true, check: values(JSON_, CURRENT_VALUES) },
  { url: H30, accept: MEDIA.dataJson20, data: true, check: values(JSON_, CURRENT_VALUES) },
  { url: H30, accept: MEDIA.dataMl30, data: true, check: values(SPECIFIC, CURRENT_VALUES) },
  { url: H30, accept: MEDIA.dataCsv20, data: true, check: values(CSV, CURRENT_VALUES) },
  { url: `${H30}?attributes=none&measures=none`, accept: MEDIA.dataJson20, data: true, check: seriesOnly() },
  { url: `${H30}?attributes=none&measures=none`, accept: MEDIA.dataMl30, data: true, check: seriesOnly() },
  { url: `${H30}?includeHistory=true`, accept: MEDIA.dataMl30, data: true },
  { url: `${H30}?updatedAfter=2026-01-01T00:00:00Z`, accept: MEDIA.dataCsv20, data: true, statusBefore: 204, check: values(CSV, UPDATED_VALUES) },
  { url: `${H30}?c[TIME_PERIOD]=ge:2020`, accept: MEDIA.dataMl30, data: true, check: values(SPECIFIC, YEAR_2020) },
  { url: `${H30}?asOf=2030-01-01T00:00:00Z`, data: true, check: values(JSON_, CURRENT_VALUES) },
  { url: `${H30}?asOf=2026-11-30T00:00:00Z`, data: true, sameAtT: true, check: values(JSON_, { before: CURRENT_VALUES.before, at: CURRENT_VALUES.before }) },
  { url: `${H30}/*.DEU.*.*.*.*.*.*`, data: true, statusBefore: 204 },
  { url: '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_OFFENCES/1.0', accept: MEDIA.dataCsv20, data: true, statusBefore: 204, check: values(CSV, OFFENCES) },
  // Availability, 2.1 and 3.0, modes exact and available.
  { url: AC21, data: true, check: availability(ALL_AREAS) },
  { url: `${AC21}/all/all/REF_AREA?mode=available&references=codelist`, data: true, check: availability({ before: { areas: ['AUT', 'FRA', 'ISL'] }, at: { areas: ['AUT', 'DEU', 'FRA', 'ISL'] } }) },
  { url: `${AC21}/A.DEU+AUT.VIC_HOM.0101._T._T._T.NR?mode=exact`, data: true, check: availability({ before: { areas: ['AUT'], series: 1, observations: 5 }, at: { areas: ['AUT', 'DEU'], series: 2, observations: 7 } }) },
  { url: `${AC21}/A.AUT.VIC_HOM.0101._T._T._T.NR?mode=available`, data: true, check: availability({ before: { areas: ['AUT', 'FRA', 'ISL'] }, at: { areas: ['AUT', 'DEU', 'FRA', 'ISL'] } }) },
  { url: '/sdmx/2.1/availableconstraint/DF_CTS_OFFENCES', data: true, check: availability({ before: { areas: [] }, at: { areas: ['DEU'], series: 1, observations: 1 } }) },
  { url: AV30, data: true, check: availabilityJson({ before: ['AUT', 'FRA', 'ISL'], at: ['AUT', 'DEU', 'FRA', 'ISL'] }) },
  { url: AV30, accept: MEDIA.structureMl21, data: true, check: availability(ALL_AREAS) },
  { url: AV30, accept: MEDIA.structureMl30, data: true },
  { url: `${AV30}/*?mode=available&references=all`, accept: MEDIA.structureMl21, data: true, check: availability({ before: { areas: ['AUT', 'FRA', 'ISL'] }, at: { areas: ['AUT', 'DEU', 'FRA', 'ISL'] } }) },
  { url: `${AV30}/*.DEU.*.*.*.*.*.*?mode=exact`, accept: MEDIA.structureMl21, data: true, check: availability({ before: { areas: [] }, at: { areas: ['DEU'], series: 1, observations: 2 } }) },
  { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_OFFENCES/1.0', data: true, check: availabilityJson({ before: [], at: ['DEU'] }) },
  // The JSON data API: now, a period, right after a release, and permalinks.
  { url: JD, data: true, check: values(JSON_API, CURRENT_VALUES) },
  { url: `${JD}?startPeriod=2020&endPeriod=2020&lang=es`, data: true, check: values(JSON_API, YEAR_2020) },
  { url: `${JD}?key=A.DEU+AUT.VIC_HOM.0101._T._T._T.NR`, data: true, check: values(JSON_API, { before: { [`${AUT}@2019`]: 66, [`${DEU}@2019`]: undefined }, at: { [`${AUT}@2019`]: 67, [`${DEU}@2019`]: 24501 } }) },
  { url: `${JD}?release=EMBARGOED-HOMICIDE`, data: true, statusBefore: 404, check: values(JSON_API, CURRENT_VALUES) },
  { url: '/api/v1/data/UNODC/DF_CTS_OFFENCES/latest', data: true, check: values(JSON_API, OFFENCES) },
  { url: `/api/v1/releases/EMBARGOED-HOMICIDE/data/UNODC/DF_CTS_HOMICIDE/1.0`, data: true, statusBefore: 404, check: values(JSON_API, { before: {}, at: { [`${AUT}@2019`]: 67, [`${FRA}@2020`]: 99001, [`${DEU}@2020`]: 24601, [`${AUT}@2020`]: undefined } }) },
  { url: `/api/v1/releases/EMBARGOED-OFFENCES/data/UNODC/DF_CTS_OFFENCES/1.0`, data: true, statusBefore: 404, check: values(JSON_API, OFFENCES) },
  { url: `/api/v1/releases/CANCELLED-AT-T/data/UNODC/DF_CTS_HOMICIDE/1.0`, data: false, statusBefore: 404 },
  { url: `/api/v1/releases/CANCELLED-EARLY/data/UNODC/DF_CTS_HOMICIDE/1.0`, data: false, statusBefore: 404 },
  { url: `/api/v1/releases/TEST-DRAFT/data/UNODC/DF_CTS_HOMICIDE/1.0`, data: false, statusBefore: 404 },
  { url: `${JD}?release=CANCELLED-EARLY`, data: false, statusBefore: 404 },
  { url: '/api/v1/releases/TEST-2021/data/UNODC/DF_CTS_HOMICIDE/1.0', data: false },
  // Actual constraints: what the visible data holds, so they change exactly at T, and the
  // embargoed release's own constraint does not exist before T. A dataflow's references reach them.
  { url: '/sdmx/2.1/actualconstraint', data: true, publicOnly: true },
  { url: '/sdmx/3.0/structure/dataconstraint/UNODC/CR_D_DF_CTS_HOMICIDE/1.0', data: true, publicOnly: true },
  { url: '/sdmx/2.1/actualconstraint/UNODC/CR_D_DF_CTS_HOMICIDE_EMBARGOED-HOMICIDE/1.0', data: true, publicOnly: true, statusBefore: 404 },
  { url: '/sdmx/2.1/dataflow/UNODC/all/latest?references=all', data: true, publicOnly: true },
  // Surfaces that do not depend on releases: unchanged at T.
  { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', data: false },
  { url: '/sdmx/3.0/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', data: false },
  { url: '/sdmx/3.0/structure/dataflow/*/*/*', data: false },
  { url: '/health', data: false },
];

// ---- The apps -------------------------------------------------------------------------------

const under = await appWith([...PUBLIC, ...EMBARGOED, ...CANCELLED, ...DRAFT], BEFORE_T, CANCELLED.map((r) => r.code));
/** No embargoed release at all. */
const without = await appWith([...PUBLIC, ...CANCELLED, ...DRAFT], BEFORE_T, CANCELLED.map((r) => r.code));
/**
 * The embargoed releases plainly visible: an app that answers nothing before T (nothing cached).
 * Made at T − 1 ms like the others, as structures are stamped with the instant they are stored.
 */
const visible = await appWith([...PUBLIC, ...EMBARGOED], BEFORE_T);
visible.clock.set(T);
t.teardown(() => Promise.all([under.app.close(), without.app.close(), visible.app.close()]));

const tokenOf = (app: FastifyInstance, role: 'preview' | 'producer' | 'publisher' | 'admin', expiresAt?: string) =>
  app.tokens.create({ name: `${role} client`, role, dataflows: role === 'producer' ? [HOMICIDE] : [], createdBy: 'cli', expiresAt }).token;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

t.test('at T − 1 ms the embargoed release does not exist; at T it is there, on every surface', async (t) => {
  const beforeAnswers = new Map<EmbargoRequest, LightMyRequestResponse>();
  t.equal(under.clock.now().toISOString(), BEFORE_T);
  for (const r of REQUESTS) {
    const what = `${describeRequest(r)} at T − 1 ms`;
    // Twice: the second answer may come from the response cache.
    for (const round of [1, 2]) {
      const [a, b] = await Promise.all([get(under.app, r), get(without.app, r)]);
      sameAnswer(t, a, b, `${what}, round ${round}`);
      t.notMatch(a.body, NEVER, `${what}: no cancelled or draft value`);
      t.notMatch(a.body, /\b99001\b|\b24501\b|\b24601\b/, `${what}: no embargoed value`);
      if (round === 1) beforeAnswers.set(r, a);
    }
    const a = beforeAnswers.get(r)!;
    t.equal(a.statusCode, r.statusBefore ?? 200, `${what}: status`);
    if (a.headers.etag) {
      const revalidated = await get(under.app, r, { 'if-none-match': String(a.headers.etag) });
      t.equal(revalidated.statusCode, 304, `${what}: the ETag of the app without the release validates`);
    }
    r.check?.(t, a, 'before');
  }

  under.clock.set(T);
  for (const r of REQUESTS) {
    const what = `${describeRequest(r)} at T`;
    for (const round of [1, 2]) {
      const [a, b] = await Promise.all([get(under.app, r), get(visible.app, r)]);
      // Not served from what was cached at T − 1 ms: the answer of an app that never saw T − 1 ms.
      sameAnswer(t, a, b, `${what}, round ${round}`);
      t.notMatch(a.body, NEVER, `${what}: no cancelled or draft value`);
    }
    const before = beforeAnswers.get(r)!;
    const at = await get(under.app, r);
    r.check?.(t, at, 'at');
    if (r.data && !r.sameAtT) {
      t.equal(at.statusCode, 200, `${what}: 200`);
      t.not(at.headers.etag, before.headers.etag, `${what}: the ETag changed`);
      // Beside the exact checks (r.check): the new key or a new value shows in every homicide answer.
      if (!r.url.includes('OFFENCES')) t.match(at.body, /\b99001\b|\b24501\b|\b24601\b|DEU/, `${what}: an embargoed value or key is there`);
      if (before.headers.etag) {
        const stale = await get(under.app, r, { 'if-none-match': String(before.headers.etag) });
        t.equal(stale.statusCode, 200, `${what}: the ETag of T − 1 ms no longer validates`);
        const since = await get(under.app, r, { 'if-modified-since': String(before.headers['last-modified']) });
        t.equal(since.statusCode, 200, `${what}: modified since the Last-Modified of T − 1 ms`);
        t.equal(at.headers['last-modified'], new Date(T).toUTCString(), `${what}: Last-Modified is T`);
      }
    } else {
      t.equal(at.statusCode, before.statusCode, `${what}: status unchanged`);
      t.equal(at.headers.etag, before.headers.etag, `${what}: ETag unchanged`);
      t.equal(at.headers['last-modified'], before.headers['last-modified'], `${what}: Last-Modified unchanged`);
      t.equal(withoutMessageHeaderFacts(at.body), withoutMessageHeaderFacts(before.body), `${what}: body unchanged`);
    }
  }
});

t.test('a cancelled release never appears, whatever the instant', async (t) => {
  // Scheduled at T2, answered (and cached) at T2 − 1 ms, cancelled, then T2 passes.
  const T2 = '2027-03-01T08:00:00.000Z';
  const { app, repositories, clock } = await appWith(PUBLIC, '2027-03-01T07:59:59.999Z');
  const reference = await appWith(PUBLIC, '2027-03-01T07:59:59.999Z');
  t.teardown(() => Promise.all([app.close(), reference.app.close()]));
  writeFixtureReleases(repositories, [{ ...CANCELLED[1]!, announcedAt: T2 }]);
  const probes: PublicRequest[] = [{ url: H21 }, { url: H30, accept: MEDIA.dataCsv20 }, { url: AC21 }, { url: `${H21}/${AUT}?startPeriod=2019&endPeriod=2019` }];
  const preview = tokenOf(app, 'preview');
  for (const r of probes) {
    const a = await get(app, r);
    sameAnswer(t, a, await get(reference.app, r), `${describeRequest(r)} before T2`);
    t.notMatch(a.body, /\b5555\b/, `${describeRequest(r)} before T2: the scheduled release is not public yet`);
  }
  t.match((await get(app, { url: `${H21}/${AUT}` }, bearer(preview))).body, /5555/, 'the preview token sees the scheduled release');
  cancelRelease(repositories, 'CANCELLED-AT-T');
  for (const at of ['2027-03-01T07:59:59.999Z', T2, '2030-01-01T00:00:00.000Z']) {
    clock.set(at);
    reference.clock.set(at);
    for (const r of probes) {
      const a = await get(app, r);
      sameAnswer(t, a, await get(reference.app, r), `${describeRequest(r)} at ${at}`);
      t.notMatch(a.body, /\b5555\b|\b8889\b/, `${describeRequest(r)} at ${at}: no cancelled value`);
      const previewed = await get(app, r, bearer(preview));
      t.notMatch(previewed.body, /\b5555\b|\b8889\b/, `${describeRequest(r)} at ${at}: the preview does not see a cancelled release`);
    }
  }
});

t.test('a preview token sees the scheduled release early, privately and audited', async (t) => {
  const { app, clock } = await appWith([...PUBLIC, ...EMBARGOED, ...CANCELLED, ...DRAFT], BEFORE_T, CANCELLED.map((r) => r.code));
  t.teardown(() => app.close());
  const preview = tokenOf(app, 'preview');
  const previewReads = () => app.audit.list({ action: 'preview.read', limit: 1000 });

  for (const r of REQUESTS.filter((x) => x.publicOnly)) {
    const [seen, publicAnswer] = await Promise.all([get(app, r, bearer(preview)), get(app, r)]);
    sameAnswer(t, seen, publicAnswer, `${describeRequest(r)} with a preview token at T − 1 ms: the public answer`);
    t.notMatch(seen.body, /\b99001\b|\b24501\b|\b24601\b/, `${describeRequest(r)} with a preview token at T − 1 ms: no embargoed value`);
  }
  for (const r of REQUESTS.filter((x) => x.data && !x.publicOnly)) {
    const what = `${describeRequest(r)} with a preview token at T − 1 ms`;
    const publicFirst = await get(app, r); // fills the response cache
    const audited = previewReads().length;
    const seen = await get(app, r, bearer(preview));
    t.equal(previewReads().length, audited + 1, `${what}: audited`);
    const entry = previewReads()[0]!;
    t.equal(entry.outcome, 'success', `${what}: audited as a success`);
    t.equal(entry.role, 'preview', `${what}: by the preview token`);
    t.match(entry.actor, /^tok_/, `${what}: actor is the token id`);
    t.equal(entry.target, r.url.includes('OFFENCES') ? 'UNODC:DF_CTS_OFFENCES(1.0)' : HOMICIDE, `${what}: target is the dataflow`);
    t.equal(entry.detail.path, r.url, `${what}: the path is recorded`);
    t.same(entry.detail.embargoedReleases, r.url.includes('OFFENCES') ? ['EMBARGOED-OFFENCES'] : r.url.includes('asOf=2026-11-30') ? [] : EMBARGOED_CODES, `${what}: the not-yet-public releases it could see`);

    // The answer of T, made at T − 1 ms: the body of the visible app (ids and instants aside).
    const expected = await get(visible.app, r);
    t.equal(seen.statusCode, expected.statusCode, `${what}: status of the answer at T`);
    // The JSON data API says `asOf` (now) where SDMX messages say `prepared`.
    const sameState = (body: string) => withoutMessageHeaderFacts(body).replace(/^(\{.*?"asOf":")[^"]*/, '$1');
    t.equal(sameState(seen.body), sameState(expected.body), `${what}: body of the answer at T`);
    t.notMatch(seen.body, NEVER, `${what}: never a cancelled or draft value`);
    r.check?.(t, seen, r.url.includes('asOf=2026-11-30') ? 'before' : 'at');
    if (seen.statusCode !== 200) continue;
    t.equal(seen.headers['cache-control'], 'private, no-store', `${what}: private, not stored`);
    t.ok(seen.headers.etag, `${what}: has an ETag`);
    t.not(seen.headers.etag, publicFirst.headers.etag, `${what}: an ETag of its own (not the public one of T − 1 ms)`);
    t.not(seen.headers.etag, expected.headers.etag, `${what}: an ETag of its own (not the public one of T)`);
    t.ok(Date.parse(String(seen.headers['last-modified'])) <= clock.now().getTime(), `${what}: Last-Modified not in the future`);

    // Revalidation: 304 on its own ETag (still private, still audited), 200 on the public one.
    const notModified = await get(app, r, { ...bearer(preview), 'if-none-match': String(seen.headers.etag) });
    t.equal(notModified.statusCode, 304, `${what}: 304 on its own ETag`);
    t.equal(notModified.headers['cache-control'], 'private, no-store', `${what}: the 304 is private too`);
    t.equal(previewReads().length, audited + 2, `${what}: the 304 is audited`);
    t.equal(previewReads()[0]!.detail.status, 304, `${what}: audited with its status`);
    if (publicFirst.headers.etag) {
      const publicEtag = await get(app, r, { ...bearer(preview), 'if-none-match': String(publicFirst.headers.etag) });
      t.equal(publicEtag.statusCode, 200, `${what}: the public ETag does not validate a preview`);
    }

    // The anonymous caller right after still gets the public answer, from a clean cache.
    const publicAfter = await get(app, r);
    sameAnswer(t, publicAfter, publicFirst, `${describeRequest(r)}: anonymous after the preview`);
    // One millisecond before the instant a shared cache may not keep it at all (http/cache-lifetime.ts).
    if (publicAfter.statusCode === 200) t.equal(publicAfter.headers['cache-control'], 'no-cache', `${describeRequest(r)}: public, not to be kept past the instant`);
    sameAnswer(t, publicAfter, await get(without.app, r), `${describeRequest(r)}: anonymous after the preview is the answer without the release`);
  }

  // At T the preview and the public see the same data, but ETags never coincide.
  clock.set(T);
  for (const r of REQUESTS.filter((x) => x.data).slice(0, 5)) {
    const [seen, pub] = [await get(app, r, bearer(preview)), await get(app, r)];
    t.equal(withoutMessageIds(seen.body), withoutMessageIds(pub.body), `${describeRequest(r)} at T: same data`);
    t.not(seen.headers.etag, pub.headers.etag, `${describeRequest(r)} at T: distinct ETags`);
    t.same(previewReads()[0]!.detail.embargoedReleases, [], `${describeRequest(r)} at T: nothing is embargoed any more`);
  }
});

t.test('preview failures are audited too', async (t) => {
  const { app } = await appWith([...PUBLIC, ...EMBARGOED], BEFORE_T);
  t.teardown(() => app.close());
  const preview = tokenOf(app, 'preview');
  const res = await get(app, { url: '/sdmx/2.1/data/DF_NOT_A_FLOW' }, bearer(preview));
  t.equal(res.statusCode, 404);
  const [entry] = app.audit.list({ action: 'preview.read' });
  t.equal(entry?.outcome, 'failure');
  t.equal(entry?.detail.status, 404);
  t.equal(entry?.detail.path, '/sdmx/2.1/data/DF_NOT_A_FLOW');
  // Structures and schemas do not depend on releases: a preview token there is not a preview read.
  await get(app, { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0' }, bearer(preview));
  t.equal(app.audit.list({ action: 'preview.read' }).length, 1, 'schema reads are not preview reads');
});

t.test('tokens of other roles see the public data; bad tokens are refused in the surface format', async (t) => {
  const { app, clock } = await appWith([...PUBLIC, ...EMBARGOED], BEFORE_T);
  t.teardown(() => app.close());
  const probes: EmbargoRequest[] = REQUESTS.filter((r) => r.data && !r.url.includes('OFFENCES')).slice(0, 3).concat(REQUESTS.filter((r) => r.url === AC21 || r.url === AV30));
  for (const role of ['producer', 'publisher', 'admin'] as const) {
    const token = tokenOf(app, role);
    for (const r of probes) {
      const [withToken, anonymous] = [await get(app, r, bearer(token)), await get(app, r)];
      sameAnswer(t, withToken, anonymous, `${describeRequest(r)} with a ${role} token`);
      t.equal(withToken.headers['cache-control'], anonymous.headers['cache-control'], `${describeRequest(r)} with a ${role} token: public, like the anonymous answer`);
      t.match(withToken.headers['cache-control'], /^(public, max-age=\d+|no-cache)$/, `${describeRequest(r)} with a ${role} token: not private`);
      t.notMatch(withToken.body, /\b99001\b/, `${describeRequest(r)} with a ${role} token: nothing embargoed`);
    }
  }
  t.equal(app.audit.list({ action: 'preview.read' }).length, 0, 'no preview reads');

  // A credential of another scheme is not addressed to us (a proxy's Basic, say): public.
  const basic = await get(app, { url: H21 }, { authorization: 'Basic dXNlcjpwYXNz' });
  sameAnswer(t, basic, await get(app, { url: H21 }), 'Basic credential: the public answer');

  const expired = tokenOf(app, 'preview', '2026-12-01T07:00:00.000Z');
  const cases: { name: string; authorization: string }[] = [
    { name: 'unknown token', authorization: `Bearer ${'x'.repeat(40)}` },
    { name: 'malformed bearer', authorization: 'Bearer' },
    { name: 'expired preview token', authorization: `Bearer ${expired}` },
  ];
  let client = 0;
  for (const { name, authorization } of cases) {
    for (const [r, family] of [
      [{ url: H21 }, 'xml'],
      [{ url: H21, accept: MEDIA.dataJson10 }, 'json'],
      [{ url: H30 }, 'json'],
      [{ url: H30, accept: MEDIA.dataMl30 }, 'xml'],
      [{ url: AC21 }, 'xml'],
      [{ url: AV30 }, 'json'],
      [{ url: JD }, 'problem'],
      [{ url: '/api/v1/releases/EMBARGOED-HOMICIDE/data/UNODC/DF_CTS_HOMICIDE/1.0' }, 'problem'],
    ] as const) {
      const what = `${describeRequest(r)} with an ${name}`;
      const failures = app.audit.list({ action: 'auth.failed' }).length;
      // One address per attempt: the failed-auth throttle would otherwise slow the test down.
      client += 1;
      const res = await app.inject({ url: r.url, headers: { ...(r.accept ? { accept: r.accept } : {}), authorization }, remoteAddress: `192.0.2.${client}` });
      t.equal(res.statusCode, 401, `${what}: 401`);
      t.match(String(res.headers['www-authenticate']), /^Bearer realm="iccs", error="invalid_token"/, `${what}: WWW-Authenticate`);
      t.equal(res.headers['cache-control'], 'no-store', `${what}: not stored`);
      t.notOk(res.headers.etag, `${what}: no validators`);
      if (family === 'problem') {
        t.equal(res.headers['content-type'], MEDIA.problemJson, `${what}: a problem document`);
        t.match(JSON.parse(res.body), { type: 'https://iccs-sdmx.org/problems/unauthorized', status: 401 }, `${what}: unauthorized`);
      } else if (family === 'json') {
        const body = JSON.parse(res.body) as { errors: { code: number }[] };
        t.equal(body.errors[0]?.code, 110, `${what}: SDMX-JSON error 110`);
      } else {
        t.match(res.body, /<(?:\w+:)?Error[\s>][\s\S]*code="110"/, `${what}: SDMX-ML error 110`);
      }
      t.equal(app.audit.list({ action: 'auth.failed' }).length, failures + 1, `${what}: audited`);
    }
  }
  t.ok(clock.now().toISOString() === BEFORE_T);
});

t.test('a client locked out by the failed-auth throttle is refused with a token, served without one', async (t) => {
  const { app } = await appWith([...PUBLIC, ...EMBARGOED], BEFORE_T);
  t.teardown(() => app.close());
  const preview = tokenOf(app, 'preview');
  const remoteAddress = '198.51.100.7';
  for (let i = 0; i < app.authThrottle.settings.lockAfter; i++) app.authThrottle.failed(remoteAddress);
  for (const [url, family] of [[H21, 'sdmx'], [AV30, 'sdmx'], [JD, 'problem']] as const) {
    const refused = await app.inject({ url, headers: bearer(preview), remoteAddress });
    t.equal(refused.statusCode, 429, `${url}: 429 with a token`);
    t.ok(Number(refused.headers['retry-after']) > 0, `${url}: Retry-After`);
    if (family === 'problem') t.match(JSON.parse(refused.body), { type: 'https://iccs-sdmx.org/problems/auth-locked', status: 429 }, `${url}: auth-locked problem`);
    else t.match(refused.body, /1429/, `${url}: SDMX error 1429`);
    t.notMatch(refused.body, /\b99001\b/, `${url}: nothing embargoed`);
    const anonymous = await app.inject({ url, remoteAddress });
    t.equal(anonymous.statusCode, 200, `${url}: the public answer without a token`);
  }
  t.equal(app.audit.list({ action: 'auth.locked' }).length, 3, 'each refusal audited');
  t.equal(app.audit.list({ action: 'preview.read' }).length, 0, 'no preview read happened');
});
