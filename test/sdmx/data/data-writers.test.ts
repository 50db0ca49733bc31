/**
 * The DataWriter call protocol shared by every format (dataWriter() in src/sdmx/data/model.ts),
 * and, across all writers, that a flat view given in many pseudo-series (the data service's
 * batches) writes exactly the bytes of the same observations given in one.
 */
import t from 'tap';
import {
  dataProviderRef,
  dataWriter,
  type DataDetail,
  type DataMessageContext,
  type DataSetInfo,
  type DataWriter,
  type Series,
} from '../../../src/sdmx/data/model.js';
import { genericDataWriter } from '../../../src/sdmx/ml21/data-generic-writer.js';
import { structureSpecificDataWriter } from '../../../src/sdmx/ml21/data-structure-specific-writer.js';
import { ml30DataWriter } from '../../../src/sdmx/ml30/data-writer.js';
import { jsonData10Writer } from '../../../src/sdmx/json10/data-writer.js';
import { jsonData20Writer } from '../../../src/sdmx/json20/data-writer.js';
import { csv10Writer } from '../../../src/sdmx/csv/csv10-writer.js';
import { csv20Writer } from '../../../src/sdmx/csv/csv20-writer.js';
import { flatPieces, sampleDataContext, sampleReleases, sampleSeries, writeReleases } from '../../fixtures/sample-data.js';

/** A format that records what it is asked to write, as text. */
function recorder(): DataWriter {
  return dataWriter({
    head: () => 'H',
    openDataSet: (info: DataSetInfo, index: number) => `[${index}:${info.action ?? '-'}`,
    series: (s: Series) => `s${s.observations.length}`,
    closeDataSet: () => ']',
    tail: (count: number) => `T${count}`,
  });
}
const one: Series = { key: {}, attributes: {}, observations: [] };

t.test('protocol: start opens the default data set unless told not to', async (t) => {
  const w = recorder();
  t.equal(w.start(), 'H[0:-');
  t.equal(w.series(one), 's0');
  t.equal(w.end(), ']T1');

  const e = recorder();
  t.equal(e.start({ openDefaultDataSet: false }), 'H');
  t.equal(e.series(one), '[0:-s0', 'the first series opens a default data set');
  t.equal(e.endDataSet(), ']');
  t.equal(e.beginDataSet({ action: 'Replace' }), '[1:Replace');
  t.equal(e.end(), ']T2', 'end closes the open data set');

  const empty = recorder();
  empty.start({ openDefaultDataSet: false });
  t.equal(empty.end(), '[0:-]T1', 'a message always holds a data set');

  const closed = recorder();
  closed.start();
  t.equal(closed.endDataSet(), ']');
  t.equal(closed.end(), 'T1', 'nothing left to close');
});

t.test('protocol: misuse throws and writes nothing', async (t) => {
  const fresh = recorder();
  t.throws(() => fresh.series(one), /before start/);
  t.throws(() => fresh.beginDataSet({}), /before start/);
  t.throws(() => fresh.endDataSet(), /before start/);
  t.throws(() => fresh.end(), /before start/);

  const w = recorder();
  w.start();
  t.throws(() => w.start(), /while a data set is open/);
  t.throws(() => w.beginDataSet({}), /while a data set is open/, 'a new data set only after endDataSet()');
  w.endDataSet();
  t.throws(() => w.endDataSet(), /when no data set is open/);
  t.throws(() => w.series(one), /when no data set is open/, 'after endDataSet the caller must begin a data set');
  t.equal(w.beginDataSet({}), '[1:-');
  t.equal(w.end(), ']T2');
  t.throws(() => w.end(), /after end/);
  t.throws(() => w.series(one), /after end/);
});

t.test('data provider references', async (t) => {
  t.same(dataProviderRef({ dataProvider: 'ESTAT:P1' }), {
    class: 'DataProvider',
    scheme: { class: 'DataProviderScheme', agencyID: 'ESTAT', id: 'DATA_PROVIDERS', version: '1.0' },
    id: 'P1',
  });
  t.equal(dataProviderRef({}), undefined);
  for (const bad of ['P1', 'A:B:C', ':P1']) t.throws(() => dataProviderRef({ dataProvider: bad }), /AGENCY:ID/, bad);
  const w = genericDataWriter(sampleDataContext());
  w.start({ openDefaultDataSet: false });
  t.throws(() => w.beginDataSet({ dataProvider: 'P1' }), /AGENCY:ID/, 'a writer refuses a malformed provider');
});

// ---------------------------------------------------------------------------------------------
// Flat views in pieces

const WRITERS: Record<string, (ctx: DataMessageContext) => DataWriter> = {
  'SDMX-ML 2.1 generic': genericDataWriter,
  'SDMX-ML 2.1 structure-specific': structureSpecificDataWriter,
  'SDMX-ML 3.0': ml30DataWriter,
  'SDMX-JSON 1.0': jsonData10Writer,
  'SDMX-JSON 2.0': jsonData20Writer,
  'SDMX-CSV 1.0': csv10Writer,
  'SDMX-CSV 2.0': (ctx) => csv20Writer(ctx, { keys: 'both' }),
};
const DETAILS: DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];

function run(w: DataWriter, series: readonly Series[]): string {
  return w.start() + series.map((s) => w.series(s)).join('') + w.end();
}

for (const [name, make] of Object.entries(WRITERS)) {
  t.test(`${name}: a flat view in many pieces is the same message as in one`, async (t) => {
    for (const detail of DETAILS) {
      const ctx = sampleDataContext({ dimensionAtObservation: 'AllDimensions', detail });
      const whole = run(make(ctx), flatPieces(sampleSeries, 1));
      const pieces = flatPieces(sampleSeries, 3);
      t.equal(pieces.length, 3);
      t.ok(pieces.every((p) => p.observations.length > 0));
      t.equal(run(make(ctx), pieces), whole, `${detail}: 3 calls = 1 call`);
      const withEmpty = [pieces[0]!, { key: {}, attributes: {}, observations: [] }, pieces[1]!, pieces[2]!];
      t.equal(run(make(ctx), withEmpty), whole, `${detail}: an empty piece changes nothing`);
      t.equal(
        writeReleases(make(ctx), sampleReleases, (s) => flatPieces(s, 3)),
        writeReleases(make(ctx), sampleReleases, (s) => flatPieces(s, 1)),
        `${detail}: also within each of several data sets`,
      );
    }
  });
}
