/**
 * How a selection finds its series in a view (flow-views.ts `matchSeries`): looked up when its
 * keys enumerate (exactly, or once the wildcards are filled with the codes the view holds),
 * narrowed by a position index, or matched one by one. Whatever the path, the series are those,
 * and in the order, that checking every series of the view gives: checked on hundreds of random
 * keys over a catalogue of 2,400 series.
 */
import t from 'tap';
import { FlowViews, matchSeries } from '../../src/services/data/flow-views.js';
import { buildSelection } from '../../src/services/data/selection.js';
import type { DataRepository, StoredSeries } from '../../src/storage/repositories.js';
import type { DataStructure } from '../../src/sdmx/model.js';
import type { KeyPattern } from '../../src/sdmx/data/query.js';
import type { DataTarget } from '../../src/services/data/target.js';
import type { VisibleRelease } from '../../src/services/visibility.js';
import type { ReleaseTimeline } from '../../src/services/data/release-timeline.js';

const IDS = ['FREQ', 'REF_AREA', 'INDICATOR', 'SEX', 'UNIT_MEASURE'] as const;
const CODES: Record<(typeof IDS)[number], string[]> = {
  FREQ: ['A'],
  REF_AREA: Array.from({ length: 40 }, (_, i) => `A${String(i).padStart(2, '0')}`),
  INDICATOR: ['VIC', 'OFF', 'PRS', 'CON', 'PRO'],
  SEX: ['F', 'M', '_T'],
  UNIT_MEASURE: ['NR', 'P_HTHAB', 'PC', 'X-1'],
};

// Every combination but a few (so that some codes hold no series at a position).
const series: StoredSeries[] = [];
let pk = 0;
for (const area of CODES.REF_AREA)
  for (const indicator of CODES.INDICATOR)
    for (const sex of CODES.SEX)
      for (const unit of CODES.UNIT_MEASURE) {
        if (area === 'A07' && indicator === 'PRO') continue;
        const codes = ['A', area, indicator, sex, unit];
        pk += 1;
        series.push({ pk, dataflow: 'T:DF(1.0)', provider: pk % 7 === 0 ? 'T:OTHER' : 'T:MAIN', key: codes.join('.'), dimensions: Object.fromEntries(IDS.map((id, i) => [id, codes[i]!])) });
      }

const dsd = {
  id: 'DSD',
  dimensions: IDS.map((id) => ({ id })),
  timeDimension: { id: 'TIME_PERIOD' },
  attributes: [],
  primaryMeasure: { id: 'OBS_VALUE' },
} as unknown as DataStructure;
const target = { flowKey: 'T:DF(1.0)', dsd } as unknown as DataTarget;
const storage = {
  seriesOf: () => series.slice(),
  rowCounts: () => new Map(series.map((s) => [s.pk, 3])),
} as unknown as DataRepository;
const release = { pk: 1, code: 'R', rank: 1, announcedAt: '2020-01-01T00:00:00Z', dataflows: ['T:DF(1.0)'] } as unknown as VisibleRelease;
const view = new FlowViews(storage, {} as ReleaseTimeline).ofReleases(target, [release]);

/** A deterministic pseudo-random generator (the same keys in every run). */
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

function randomKey(): KeyPattern {
  return IDS.map((id) => {
    const r = random();
    if (r < 0.45) return undefined;
    const codes = [pick(CODES[id]), ...(random() < 0.3 ? [pick(CODES[id])] : [])];
    // Now and then a code no series holds.
    if (random() < 0.05) codes.push('NONE');
    return codes;
  });
}

/** Every series of the view (in its key order) checked one by one. */
const bruteForce = (keys: readonly KeyPattern[] | undefined, providers?: ReadonlySet<string>) =>
  view.series.filter(
    (s) =>
      (!providers || providers.has(s.provider)) &&
      (!keys || keys.some((k) => k.every((codes, i) => codes === undefined || codes.includes(s.key.split('.')[i]!)))),
  );

t.test('every path gives the series, in the order, that checking each series gives', async (t) => {
  const paths = { lookup: 0, narrowed: 0, scan: 0 };
  for (let i = 0; i < 400; i++) {
    const keys = Array.from({ length: random() < 0.8 ? 1 : 2 }, randomKey);
    const providers = random() < 0.2 ? new Set(['T:MAIN']) : undefined;
    const selection = buildSelection(dsd, { api: '2.1', context: 'dataflow', flow: { agencyId: 'T', id: 'DF', version: '1.0' }, keys, filters: [] }, providers);
    const found = matchSeries(view, selection).map((s) => s.pk);
    const expected = bruteForce(keys, providers).map((s) => s.pk);
    if (JSON.stringify(found) !== JSON.stringify(expected)) {
      t.same(found, expected, `keys ${JSON.stringify(keys)}`);
      return;
    }
    const combinations = keys.reduce((n, k) => n + k.reduce((m, codes, p) => m * (codes ?? view.codesAt(p)).length, 1), 0);
    if (combinations <= 256) paths.lookup += 1;
    else if (keys.every((k) => k.some((c) => c !== undefined))) paths.narrowed += 1;
    else paths.scan += 1;
  }
  t.pass(`400 random selections agree (${JSON.stringify(paths)})`);
  t.ok(paths.lookup > 20 && paths.narrowed > 20, 'both the lookup and the narrowed paths were taken');
});

t.test('the position index lists the series of a code in catalogue order', async (t) => {
  const at = view.seriesWithCodeAt(1, 'A07');
  t.equal(at.length, 4 * 3 * 4, 'A07 lacks one indicator');
  t.same(at.map((i) => view.series[i]!.key.split('.')[1]), new Array(at.length).fill('A07'));
  t.same([...at].sort((a, b) => a - b), at, 'ascending');
  t.same(view.seriesWithCodeAt(2, 'NONE'), []);
  t.same([...view.codesAt(4)].sort(), [...CODES.UNIT_MEASURE].sort());
});
