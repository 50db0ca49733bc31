/**
 * SDMX-ML 2.1 generic data writers, table-driven over detail × dimensionAtObservation: every
 * message validates with xmllint against the official SDMXMessage.xsd and parses back to exactly
 * the input observations.
 */
import t from 'tap';
import type { DataDetail, DataWriter, Series } from '../../../src/sdmx/data/model.js';
import { genericDataWriter, genericTimeSeriesDataWriter } from '../../../src/sdmx/ml21/data-generic-writer.js';
import { attr, kid, kids, parseXml, type XNode } from '../../../src/sdmx/ml21/xml-tree.js';
import { refOf } from '../../../src/sdmx/model.js';
import {
  sampleDataContext,
  sampleFlat,
  sampleReleases,
  sampleSeries,
  crossSection,
  flattenSeries,
  writeReleases,
} from '../../fixtures/sample-data.js';
import { provisionAgreement } from '../../fixtures/sample-structures.js';
import { validateXml21 } from '../../helpers/validate.js';

const DETAILS: readonly DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];
const VIEWS = ['TIME_PERIOD', 'OFFENCE', 'AllDimensions'] as const;


function inputFor(view: string): readonly Series[] {
  if (view === 'TIME_PERIOD') return sampleSeries;
  if (view === 'AllDimensions') return [sampleFlat];
  return crossSection(sampleSeries, view);
}

interface ParsedObs {
  at?: string;
  dimensions?: Record<string, string>;
  value?: number | null;
  attributes: Record<string, string>;
}
interface ParsedSeries {
  key: Record<string, string>;
  attributes: Record<string, string>;
  observations: ParsedObs[];
}

function expected(series: readonly Series[], detail: DataDetail, flat: boolean): ParsedSeries[] {
  const attrs = detail === 'full' || detail === 'nodata';
  const obs = flat || detail === 'full' || detail === 'dataonly';
  const values = detail === 'full' || detail === 'dataonly';
  return series.map((s) => ({
    key: { ...s.key },
    attributes: attrs && !flat ? { ...s.attributes } : {},
    observations: !obs
      ? []
      : s.observations.map((o) => {
          const p: ParsedObs = { attributes: attrs ? { ...o.attributes } : {} };
          if (flat) p.dimensions = { ...o.dimensions };
          else p.at = o.at;
          if (values) p.value = o.value;
          return p;
        }),
  }));
}

/** `generic:Value` children as a record. */
function values(n: XNode | undefined): Record<string, string> {
  return Object.fromEntries(kids(n, 'Value').map((v) => [attr(v, 'id') as string, attr(v, 'value') as string]));
}

function parseObs(o: XNode, flat: boolean): ParsedObs {
  const p: ParsedObs = { attributes: values(kid(o, 'Attributes')) };
  if (flat) p.dimensions = values(kid(o, 'ObsKey'));
  else p.at = attr(kid(o, 'ObsDimension'), 'value');
  const v = kid(o, 'ObsValue');
  if (v) p.value = attr(v, 'value') === 'NaN' ? null : Number(attr(v, 'value'));
  return p;
}

/** The series of one DataSet element (flat: one pseudo-series). */
function seriesOf(dataSet: XNode, flat: boolean): ParsedSeries[] {
  return flat
    ? [{ key: {}, attributes: {}, observations: kids(dataSet, 'Obs').map((o) => parseObs(o, true)) }]
    : kids(dataSet, 'Series').map((s) => ({
        key: values(kid(s, 'SeriesKey')),
        attributes: values(kid(s, 'Attributes')),
        observations: kids(s, 'Obs').map((o) => parseObs(o, false)),
      }));
}

function parseGeneric(xml: string, flat: boolean): { root: string; dataSet: XNode; series: ParsedSeries[] } {
  const root = parseXml(xml);
  const dataSet = kid(root.node, 'DataSet') as XNode;
  return { root: root.name, dataSet, series: seriesOf(dataSet, flat) };
}

function writeAll(w: DataWriter, series: readonly Series[]): string {
  return w.start() + series.map((s) => w.series(s)).join('') + w.end();
}

for (const view of VIEWS) {
  for (const detail of DETAILS) {
    t.test(`dimensionAtObservation=${view}, detail=${detail}`, async (tt) => {
      const flat = view === 'AllDimensions';
      const ctx = sampleDataContext({ dimensionAtObservation: view, detail });
      const input = inputFor(view);
      const xml = writeAll(genericDataWriter(ctx), input);
      tt.same(validateXml21(xml), [], 'valid against SDMXMessage.xsd');
      const parsed = parseGeneric(xml, flat);
      tt.equal(parsed.root, 'GenericData');
      tt.same(parsed.series, expected(input, detail, flat), 'parses back to the input');
      if (flat) tt.equal(kids(parsed.dataSet, 'Series').length, 0, 'flat: no Series');
    });
  }
}

t.test('header and layout', async (tt) => {
  const xml = writeAll(genericDataWriter(sampleDataContext()), sampleSeries);
  tt.match(
    xml,
    '<message:Structure structureID="DSD_TEST" dimensionAtObservation="TIME_PERIOD"><common:StructureUsage><Ref agencyID="TEST" id="DF_TEST" version="1.0" class="Dataflow" package="datastructure"/></common:StructureUsage></message:Structure>',
  );
  tt.match(xml, '<message:DataSet structureRef="DSD_TEST">');
  tt.notMatch(xml, 'namespace=', 'GenericDataStructureType prohibits namespace');
  tt.match(
    xml,
    '<generic:Series><generic:SeriesKey><generic:Value id="FREQ" value="A"/><generic:Value id="REF_AREA" value="ISL"/><generic:Value id="OFFENCE" value="0101"/></generic:SeriesKey>' +
      '<generic:Attributes><generic:Value id="COMMENT" value="Police-recorded victims &amp; &lt;suspects&gt;"/></generic:Attributes>',
  );
  tt.match(
    xml,
    '<generic:Obs><generic:ObsDimension value="2016"/><generic:ObsValue value="NaN"/><generic:Attributes><generic:Value id="OBS_STATUS" value="E"/></generic:Attributes></generic:Obs>',
    'missing value is NaN',
  );
  const xs = writeAll(genericDataWriter(sampleDataContext({ dimensionAtObservation: 'OFFENCE' })), crossSection(sampleSeries, 'OFFENCE'));
  tt.match(xs, '<generic:ObsDimension id="OFFENCE" value="0101"/>', 'cross-section names the observation dimension');
  tt.match(xs, '<generic:Value id="TIME_PERIOD" value="2014"/></generic:SeriesKey>', 'TIME_PERIOD in the series key');
});

t.test('provision agreement and data set attributes', async (tt) => {
  const ctx = sampleDataContext({ provisionAgreement: refOf(provisionAgreement), dataSetAttributes: { DS_NOTE: 'whole set' } });
  const xml = writeAll(genericDataWriter(ctx), sampleSeries);
  tt.same(validateXml21(xml), []);
  tt.match(xml, '<common:ProvisionAgrement><Ref agencyID="TEST" id="PA_DF_TEST_P1" version="1.0" class="ProvisionAgreement" package="registry"/></common:ProvisionAgrement>');
  tt.same(values(kid(parseGeneric(xml, false).dataSet, 'Attributes')), { DS_NOTE: 'whole set' });
  const dataOnly = writeAll(genericDataWriter({ ...ctx, detail: 'dataonly' }), sampleSeries);
  tt.notMatch(dataOnly, 'DS_NOTE', 'dataonly drops data set attributes');
});

t.test('numbers are written without loss', async (tt) => {
  const nums = [0.1 + 0.2, 1e21, -0, 123456789.12345679, 5e-324, -1.7976931348623157e308, Infinity, -Infinity];
  const series: Series = {
    key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0103' },
    attributes: {},
    observations: nums.map((value, i) => ({ at: String(2000 + i), value, attributes: {} })),
  };
  const xml = writeAll(genericDataWriter(sampleDataContext()), [series]);
  tt.same(validateXml21(xml), []);
  tt.match(xml, '<generic:ObsValue value="INF"/>');
  tt.match(xml, '<generic:ObsValue value="-0"/>');
  const back = parseGeneric(xml.replace(/"(-?)INF"/g, '"$1Infinity"'), false).series[0].observations.map((o) => o.value);
  nums.forEach((v, i) => tt.ok(Object.is(back[i], v), `${Object.is(v, -0) ? '-0' : v} round-trips`));
});

t.test('streaming chunks', async (tt) => {
  const w = genericDataWriter(sampleDataContext());
  tt.ok(w.start().endsWith('<message:DataSet structureRef="DSD_TEST">'));
  for (const s of sampleSeries) tt.match(w.series(s), /^<generic:Series>[^]*<\/generic:Series>$/);
  tt.equal(w.end(), '</message:DataSet></message:GenericData>');
});

t.test('GenericTimeSeriesData', async (tt) => {
  for (const detail of DETAILS) {
    const xml = writeAll(genericTimeSeriesDataWriter(sampleDataContext({ detail })), sampleSeries);
    tt.same(validateXml21(xml), [], `valid, detail=${detail}`);
    const parsed = parseGeneric(xml, false);
    tt.equal(parsed.root, 'GenericTimeSeriesData');
    tt.same(parsed.series, expected(sampleSeries, detail, false));
  }
  tt.throws(() => genericTimeSeriesDataWriter(sampleDataContext({ dimensionAtObservation: 'OFFENCE' })));
  tt.throws(() => genericTimeSeriesDataWriter(sampleDataContext({ dimensionAtObservation: 'AllDimensions' })));
});

// ---------------------------------------------------------------------------------------------
// Several data sets (includeHistory: one per release)

/** What a DataSet element says about itself, in DataSetInfo terms (absent fields left out). */
function infoOf(ds: XNode): Record<string, string> {
  const ref = kid(kid(ds, 'DataProvider'), 'Ref');
  const info: Record<string, string | undefined> = {
    action: attr(ds, 'action'),
    validFromDate: attr(ds, 'validFromDate'),
    validToDate: attr(ds, 'validToDate'),
    dataProvider: ref && `${attr(ref, 'agencyID')}:${attr(ref, 'id')}`,
    publicationYear: attr(ds, 'publicationYear'),
  };
  return Object.fromEntries(Object.entries(info).filter((e): e is [string, string] => e[1] !== undefined));
}

t.test('several data sets: each with its action, dates and provider, valid, and parsing back', async (tt) => {
  for (const view of VIEWS) {
    const flat = view === 'AllDimensions';
    const toInput = (series: readonly Series[]): Series[] =>
      flat ? [{ key: {}, attributes: {}, observations: flattenSeries(series) }] : view === 'TIME_PERIOD' ? [...series] : crossSection(series, view);
    const xml = writeReleases(genericDataWriter(sampleDataContext({ dimensionAtObservation: view })), sampleReleases, toInput);
    tt.same(validateXml21(xml), [], `${view}: valid against SDMXMessage.xsd`);
    const sets = kids(parseXml(xml).node, 'DataSet');
    tt.equal(sets.length, 2, `${view}: two data sets`);
    sampleReleases.forEach((release, i) => {
      const ds = sets[i] as XNode;
      tt.same(infoOf(ds), release.info, `${view}: data set ${i} info`);
      tt.equal(attr(ds, 'structureRef'), 'DSD_TEST');
      tt.same(seriesOf(ds, flat), expected(toInput(release.series), 'full', flat), `${view}: data set ${i} content`);
    });
    const ref = kid(kid(sets[0], 'DataProvider'), 'Ref');
    tt.same(
      [attr(ref, 'maintainableParentID'), attr(ref, 'maintainableParentVersion'), attr(ref, 'class'), attr(ref, 'package')],
      ['DATA_PROVIDERS', '1.0', 'DataProvider', 'base'],
    );
  }
  const ts = writeReleases(genericTimeSeriesDataWriter(sampleDataContext({ dataSetAttributes: { DS_NOTE: 'x' } })), sampleReleases);
  tt.same(validateXml21(ts), [], 'GenericTimeSeriesData: DataProvider before Attributes');
  tt.match(ts, /<message:DataSet structureRef="DSD_TEST" action="Replace" [^>]*><generic:DataProvider><Ref [^>]*\/><\/generic:DataProvider><generic:Attributes>/);
});

t.test('data set boundaries: chunks, the default data set, misuse', async (tt) => {
  const w = genericDataWriter(sampleDataContext());
  tt.equal(w.start({ openDefaultDataSet: false }).endsWith('</message:Header>'), true, 'head only');
  tt.equal(w.beginDataSet({ action: 'Delete' }), '<message:DataSet structureRef="DSD_TEST" action="Delete">');
  tt.throws(() => w.beginDataSet({}), /while a data set is open/);
  tt.equal(w.endDataSet(), '</message:DataSet>');
  tt.throws(() => w.series(sampleSeries[0] as Series), /when no data set is open/);
  tt.equal(w.end(), '</message:GenericData>');

  // Explicit start without beginDataSet: the same bytes as the one-data-set message.
  const lazy = genericDataWriter(sampleDataContext());
  const lazyXml = lazy.start({ openDefaultDataSet: false }) + sampleSeries.map((s) => lazy.series(s)).join('') + lazy.end();
  tt.equal(lazyXml, writeAll(genericDataWriter(sampleDataContext()), sampleSeries));
});
