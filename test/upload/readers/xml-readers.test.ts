/**
 * SDMX-ML upload readers (2.1 generic, 2.1 structure-specific, 3.0 structure-specific) and the
 * streaming XML tokenizer under them: hand-written messages, our own exports read back, the
 * TWG/ECB samples that say the same data eleven ways, and malformed documents.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSetAction, DataWriterFactory, Series } from '../../../src/sdmx/data/model.js';
import { genericDataWriter } from '../../../src/sdmx/ml21/data-generic-writer.js';
import { structureSpecificDataWriter } from '../../../src/sdmx/ml21/data-structure-specific-writer.js';
import { ml30DataWriter } from '../../../src/sdmx/ml30/data-writer.js';
import { XmlTokenizer, attribute, type XmlAttributes } from '../../../src/upload/readers/xml-tokenizer.js';
import { UploadFormatError, type UploadFormat, type UploadRecord } from '../../../src/upload/records.js';
import { crossSection, flattenSeries, sampleDataContext, sampleFlat, sampleReleases, sampleSeries, writeReleases } from '../../fixtures/sample-data.js';
import { fixture, readAll, readError } from '../../fixtures/uploads/read.js';
import { SDMX_SAMPLES } from '../../helpers/shared.js';

const ECB = path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data/ECB_EXR');
const LETTER: Record<DataSetAction, string> = { Information: 'I', Append: 'A', Replace: 'R', Delete: 'D' };

/** Values of observations as SDMX-ML writes them: a missing value is NaN. */
function expectedValues(series: readonly Series[]): Record<string, string>[] {
  return flattenSeries(series).map((o) => ({
    ...(o.dimensions as Record<string, string>),
    OBS_VALUE: o.value === null ? 'NaN' : String(o.value),
    ...o.attributes,
  }));
}

/** Records as sorted, comparable text (for views that order observations differently). */
function canonical(values: readonly Readonly<Record<string, string>>[]): string[] {
  return values.map((v) => JSON.stringify(Object.fromEntries(Object.entries(v).sort()))).sort();
}

t.test('generic 2.1 by hand: groups, data set attributes, entities, CDATA, flat Delete data set', async (t) => {
  const records = await readAll(fixture('generic-21.xml'), 'sdmx-ml-2.1-generic');
  const flow = 'UNODC:DF_ICCS_CTS(1.0)';
  const isl = { UNIT_MULT: '0', SOURCE: 'Police & courts é€', FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101', COMMENT: 'victims <all ages> "recorded"' };
  t.strictSame(records, [
    { values: { ...isl, TIME_PERIOD: '2014', OBS_VALUE: '3', OBS_STATUS: 'A' }, at: 'Series 1, Obs 1', action: 'R', structure: flow },
    { values: { ...isl, TIME_PERIOD: '2015', OBS_VALUE: 'NaN', OBS_STATUS: 'M' }, at: 'Series 1, Obs 2', action: 'R', structure: flow },
    {
      values: { UNIT_MULT: '0', FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101', TIME_PERIOD: '2015', OBS_VALUE: '872.50' },
      at: 'Series 2, Obs 1',
      action: 'R',
      structure: flow,
    },
    { values: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0102', TIME_PERIOD: '2013' }, at: 'DataSet 2, Obs 1', action: 'D', structure: flow },
  ]);
});

t.test('generic time series 2.1: header structure given by URN', async (t) => {
  const records = await readAll(fixture('generic-ts-21.xml'), 'sdmx-ml-2.1-generic');
  t.strictSame(records, [
    { values: { FREQ: 'A', REF_AREA: 'FRA', TIME_PERIOD: '2020', OBS_VALUE: '1e3' }, at: 'Series 1, Obs 1', action: 'A', structure: 'UNODC:DSD_ICCS(2.0)' },
  ]);
});

t.test('structure-specific 2.1 by hand: groups, data set attributes, flat data set of another structure', async (t) => {
  const records = await readAll(fixture('structure-specific-21.xml'), 'sdmx-ml-2.1-structure-specific');
  const flow = 'UNODC:DF_ICCS_CTS(1.0)';
  const isl = { UNIT_MULT: '0', SOURCE: 'Police', FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101', COMMENT: "single 'quoted' & tab\tkept" };
  t.strictSame(records, [
    { values: { ...isl, TIME_PERIOD: '2014', OBS_VALUE: '3', OBS_STATUS: 'A' }, at: 'Series 1, Obs 1', action: 'A', structure: flow },
    { values: { ...isl, TIME_PERIOD: '2015', OBS_VALUE: 'NaN', OBS_STATUS: 'M' }, at: 'Series 1, Obs 2', action: 'A', structure: flow },
    {
      values: { UNIT_MULT: '3', SOURCE: 'Ministry', FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101', TIME_PERIOD: '2015', OBS_VALUE: '872' },
      at: 'Series 2, Obs 1',
      action: 'A',
      structure: flow,
    },
    { values: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0102', TIME_PERIOD: '2013' }, at: 'DataSet 2, Obs 1', action: 'D', structure: 'UNODC:DSD_OTHER(3.1)' },
  ]);
});

t.test('structure-specific: a group after its series does not reach back', async (t) => {
  const xml = `<m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><m:DataSet>
    <Series A="1" B="x"><Obs T="1" V="5"/></Series>
    <Group A="1" G="late"/>
    <Series A="1" B="y"><Obs T="1" V="6"/></Series>
  </m:DataSet></m:StructureSpecificData>`;
  const records = await readAll(xml, 'sdmx-ml-2.1-structure-specific');
  t.strictSame(
    records.map((r) => r.values),
    [
      { A: '1', B: 'x', T: '1', V: '5' },
      { G: 'late', A: '1', B: 'y', T: '1', V: '6' },
    ],
  );
});

t.test('structure-specific 3.0 by hand: URN structure, header action, Comp not read, cross-section', async (t) => {
  const records = await readAll(fixture('structure-specific-30.xml'), 'sdmx-ml-3.0');
  const flow = 'UNODC:DF_ICCS_CTS(1.1)';
  t.strictSame(records, [
    { values: { FREQ: 'A', OFFENCE: '0101', TIME_PERIOD: '2015', REF_AREA: 'ISL', OBS_VALUE: '2' }, at: 'Series 1, Obs 1', action: 'I', structure: flow },
    {
      values: { FREQ: 'A', OFFENCE: '0101', TIME_PERIOD: '2015', REF_AREA: 'FRA', OBS_VALUE: '872', OBS_STATUS: 'A' },
      at: 'Series 1, Obs 2',
      action: 'I',
      structure: flow,
    },
  ]);
});

t.test('our SDMX-ML exports read back', async (t) => {
  const writers: [UploadFormat, DataWriterFactory][] = [
    ['sdmx-ml-2.1-generic', genericDataWriter],
    ['sdmx-ml-2.1-structure-specific', structureSpecificDataWriter],
    ['sdmx-ml-3.0', ml30DataWriter],
  ];
  const expected = sampleReleases.flatMap((r) => expectedValues(r.series));
  const actions = sampleReleases.flatMap((r) => flattenSeries(r.series).map(() => LETTER[r.info.action ?? 'Information']));
  for (const [format, writer] of writers) {
    const records = await readAll(writeReleases(writer(sampleDataContext()), sampleReleases), format);
    t.strictSame(records.map((r) => r.values), expected, `${format}: time series, two data sets`);
    t.strictSame(records.map((r) => r.action), actions, `${format}: actions`);
    t.ok(records.every((r) => r.structure === 'TEST:DF_TEST(1.0)'), `${format}: structure`);
    t.equal(records[6]?.at, 'DataSet 2, Series 1, Obs 1');

    const flat = writer(sampleDataContext({ dimensionAtObservation: 'AllDimensions' }));
    const flatRecords = await readAll(flat.start() + flat.series(sampleFlat) + flat.end(), format);
    t.strictSame(flatRecords.map((r) => r.values), expectedValues(sampleSeries), `${format}: flat`);
    t.equal(flatRecords[5]?.at, 'Obs 6');

    const xs = writer(sampleDataContext({ dimensionAtObservation: 'REF_AREA' }));
    let xsText = xs.start();
    for (const s of crossSection(sampleSeries, 'REF_AREA')) xsText += xs.series(s);
    const xsRecords = await readAll(xsText + xs.end(), format);
    t.strictSame(canonical(xsRecords.map((r) => r.values)), canonical(expectedValues(sampleSeries)), `${format}: cross-section`);
  }
});

t.test('the ECB samples say the same twelve observations eleven ways', async (t) => {
  const read = async (file: string, format: UploadFormat) => readAll(readFileSync(path.join(ECB, file)), format);
  const base = await read('ng-ts.xml', 'sdmx-ml-2.1-generic');
  t.equal(base.length, 12);
  t.strictSame(base[0], {
    values: {
      FREQ: 'M',
      CURRENCY: 'CHF',
      CURRENCY_DENOM: 'EUR',
      EXR_TYPE: 'SP00',
      EXR_VAR: 'E',
      DECIMALS: '4',
      UNIT_MEASURE: 'CHF',
      UNIT_MULT: '0',
      COLL_METHOD: 'Average of observations through period',
      TITLE: 'ECB reference exchange rate, Swiss franc/Euro',
      TIME_PERIOD: '2010-08',
      OBS_VALUE: '1.3413',
      OBS_STATUS: 'A',
      CONF_STATUS_OBS: 'F',
    },
    at: 'Series 1, Obs 1',
    structure: 'ECB:ECB_EXR_NG(1.0)',
  });
  const want = canonical(base.map((r) => r.values));
  for (const file of ['ng-flat.xml', 'ng-xs.xml', 'ng-ts-gf.xml', 'sg-ts.xml', 'rg-ts.xml']) {
    t.strictSame(canonical((await read(file, 'sdmx-ml-2.1-generic')).map((r) => r.values)), want, file);
  }
  for (const file of ['ng-ts-ss.xml', 'ng-flat-ss.xml', 'ng-xs-ss.xml', 'ng-ts-gf-ss.xml', 'sg-ts-ss.xml', 'rg-ts-ss.xml']) {
    t.strictSame(canonical((await read(file, 'sdmx-ml-2.1-structure-specific')).map((r) => r.values)), want, file);
  }
  t.comment('sibling and rate groups (sg-*, rg-*) carry TITLE, DECIMALS... that ng-* puts on the series');
  const real = await read('1/M.USD.EUR.SP00.A.xml', 'sdmx-ml-2.1-generic');
  t.equal(real.length, 252, 'the real ECB response: one series of 252 months');
  t.match(real[251], { values: { TIME_PERIOD: '2019-12', CURRENCY: 'USD' }, at: 'Series 1, Obs 252' });
});

t.test('other providers: ISTAT, IMF and Eurostat structure-specific, SDMX 3.0 samples', async (t) => {
  const samples = path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data');
  const istat = await readAll(readFileSync(path.join(samples, 'ISTAT/22_289.xml')), 'sdmx-ml-2.1-structure-specific');
  t.equal(istat.length, 8);
  t.match(istat[0], { values: { REF_AREA: 'IT', TIME_PERIOD: '2019', OBS_VALUE: '29131195' }, action: 'I' }, 'an unqualified action attribute is the action');
  const weo = await readAll(readFileSync(path.join(samples, 'IMF_RES/WEO-data.xml')), 'sdmx-ml-2.1-structure-specific');
  t.equal(weo[0]?.action, 'R');
  t.notOk('action' in (weo[0]?.values ?? {}), 'the data set action is not a component value');
  const exr = await readAll(readFileSync(path.join(samples, 'v3/xml/ECB_EXR0.xml')), 'sdmx-ml-3.0');
  t.equal(exr.length, 116);
  t.equal(exr[0]?.structure, 'ECB:EXR(1.0)');
});

t.test('XML tokenizer: namespaces by URI, scoping, references, CDATA', async (t) => {
  const events: string[] = [];
  let wantText = false;
  const tokenizer = new XmlTokenizer({
    get wantText() {
      return wantText;
    },
    open(local: string, uri: string, attrs: XmlAttributes) {
      events.push(`<${uri}|${local} ${attrs.join(',')}`);
      wantText = local === 'text';
    },
    close(local: string, uri: string) {
      events.push(`</${uri}|${local}`);
      wantText = false;
    },
    text(text: string) {
      events.push(`"${text}"`);
    },
  });
  const xml =
    `<?xml version="1.0"?><!DOCTYPE r [<!ELEMENT r ANY>]><a:r xmlns:a="urn:one" xmlns="urn:default">` +
    `<a:x xmlns:a="urn:two" a:k="1" k='2'/><a:x/><plain n="&lt;&#65;&#x42;&gt;"/>` +
    `<text>one &amp; <![CDATA[<two>]]> &#x1F600;</text><!-- <ignored/> --><?pi data?></a:r>`;
  for (const ch of xml) tokenizer.write(ch);
  tokenizer.end();
  t.strictSame(events, [
    '<urn:one|r ',
    '<urn:two|x a:k,1,k,2',
    '</urn:two|x',
    '<urn:one|x ',
    '</urn:one|x',
    '<urn:default|plain n,<AB>',
    '</urn:default|plain',
    '<urn:default|text ',
    '"one & "',
    '"<two>"',
    '" 😀"',
    '</urn:default|text',
    '</urn:one|r',
  ]);
  t.equal(attribute(['a', '1', 'b', '2'], 'b'), '2');
  t.equal(attribute(['a', '1'], 'c'), undefined);
});

t.test('malformed XML: UploadFormatError with byte offset and element path', async (t) => {
  const head = '<m:GenericData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">';
  const cases: [string, string, RegExp, RegExp][] = [
    ['mismatched tags', `${head}<m:DataSet></m:Header></m:GenericData>`, /<\/m:Header> where <\/m:DataSet> was expected/, /^byte 94 in \/m:GenericData\/m:DataSet$/],
    ['unclosed document', `${head}<m:DataSet>`, /ends inside <m:DataSet>/, /^byte \d+ in \/m:GenericData\/m:DataSet$/],
    ['cut inside a tag', `${head}<m:DataSet a="1`, /ends inside markup/, /^byte \d+/],
    ['garbage before the root', `hello ${head}</m:GenericData>`, /text outside the root/, /^byte 0 in \/$/],
    ['garbage after the root', `${head}</m:GenericData>trailing`, /text outside the root/, /^byte \d+/],
    ['two roots', `${head}</m:GenericData>${head}</m:GenericData>`, /second root/, /^byte \d+/],
    ['unknown entity', `${head}<m:DataSet a="&nbsp;"/></m:GenericData>`, /unknown entity reference "&nbsp;"/, /m:GenericData$/],
    ['bare ampersand', `${head}<m:DataSet a="a & b"/></m:GenericData>`, /entity reference/, /^byte \d+/],
    ['duplicate attribute', `${head}<m:DataSet a="1" a="2"/></m:GenericData>`, /repeated/, /^byte \d+/],
    ['unbound prefix', `${head}<x:DataSet/></m:GenericData>`, /unbound namespace prefix/, /^byte \d+/],
    ['< in an attribute', `${head}<m:DataSet a="<"/></m:GenericData>`, /'<' in the value/, /^byte \d+/],
    ['malformed start tag', `${head}<m:DataSet a=1/></m:GenericData>`, /malformed start tag/, /^byte \d+/],
    ['not XML at all', 'DATAFLOW,A\nX,1\n', /text outside the root|no root/, /^byte 0/],
    ['empty', '', /no root element/, /^byte 0/],
    ['a structure message', '<S:Structure xmlns:S="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"/>', /structure message/, /^byte 0 in \/S:Structure$/],
    ['another format', '<m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"/>', /is sdmx-ml-2.1-structure-specific/, /^byte \d+/],
    ['Latin-1 declared', `<?xml version="1.0" encoding="ISO-8859-1"?>${head}</m:GenericData>`, /only UTF-8/, /^byte 0/],
    ['Value outside a key', `${head}<m:DataSet><g:Value xmlns:g="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic" id="A" value="1"/></m:DataSet></m:GenericData>`, /outside a key/, /g:Value$/],
  ];
  for (const [name, xml, message, at] of cases) {
    for (const chunking of ['whole', 1] as const) {
      const e = await readError(xml, 'sdmx-ml-2.1-generic', chunking);
      t.ok(e instanceof UploadFormatError, `${name} (${chunking})`);
      t.match(e?.message, message, `${name}: message`);
      t.match(e?.at, at, `${name}: location ${e?.at}`);
    }
  }
  const hugeTag = `${head}<m:DataSet a="${'x'.repeat(17 * 1024 * 1024)}`;
  const e = await readError(hugeTag, 'sdmx-ml-2.1-generic', 1024 * 1024);
  t.match(e?.message, /longer than 16 MiB/, 'an endless tag is refused before memory grows');
});

t.test('records hold strings as written', async (t) => {
  const xml = `<m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><m:DataSet><Obs OBS_VALUE="01.50" X=" a " Y="line\r\nbreak\ttab" Z=""/></m:DataSet></m:StructureSpecificData>`;
  const records: UploadRecord[] = await readAll(xml, 'sdmx-ml-2.1-structure-specific');
  t.strictSame(records, [{ values: { OBS_VALUE: '01.50', X: ' a ', Y: 'line break tab' }, at: 'Obs 1' }], 'attribute values normalised as XML says, empty ones left out');
});
