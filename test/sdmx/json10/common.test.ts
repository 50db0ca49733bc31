/** Helpers shared by the SDMX-JSON writers: language lookup, localised pairs, forests, ids. */
import t from 'tap';
import { bestLanguage, dateTime, Localiser, safeId, toForest } from '../../../src/sdmx/json10/common.js';

t.test('bestLanguage: RFC 4647 lookup, then English, then any', async (t) => {
  t.equal(bestLanguage(['en', 'es'], ['es']), 'es');
  t.equal(bestLanguage(['en', 'es'], ['es-MX']), 'es');
  t.equal(bestLanguage(['en', 'zh'], ['zh-x-private']), 'zh');
  t.equal(bestLanguage(['en', 'fr-CA'], ['FR-ca']), 'fr-CA', 'case-insensitive');
  t.equal(bestLanguage(['es', 'en'], ['de', '*']), 'en');
  t.equal(bestLanguage(['fr', 'de'], []), 'fr');
  t.equal(bestLanguage([], ['en']), undefined);
});

t.test('Localiser: pairs and content languages, main language first', async (t) => {
  const loc = new Localiser(['fr']);
  t.same(loc.pair(undefined), {});
  t.same(loc.pair({ en: 'Offence', es: 'Delito' }), { one: 'Offence', all: { en: 'Offence', es: 'Delito' } });
  t.same(loc.pair({ 'fr-FR': 'Infraction' }), { one: 'Infraction', all: { 'fr-FR': 'Infraction' } });
  t.same(loc.contentLanguages(), ['en', 'es', 'fr-fr'], 'no plain fr: English leads; tags lower-cased');
  const loc2 = new Localiser(['es']);
  loc2.pair({ en: 'a', es: 'b' });
  t.same(loc2.contentLanguages(), ['es', 'en']);
});

t.test('toForest: nesting, paths, missing parents and cycles', async (t) => {
  const f = toForest([
    { id: 'A' },
    { id: 'B', parentID: 'A' },
    { id: 'C', parentID: 'B' },
    { id: 'D', parentID: 'MISSING' },
    { id: 'X', parentID: 'Y' },
    { id: 'Y', parentID: 'X' },
  ]);
  t.same(
    f.map((n) => n.item.id),
    ['A', 'D', 'X'],
  );
  t.equal(f[0].children[0].children[0].path, 'A.B.C');
  t.equal(f[2].children[0].item.id, 'Y', 'a cycle is cut, nothing is lost');
});

t.test('safeId and dateTime', async (t) => {
  t.equal(safeId('IREF.1 x'), 'IREF_1_x');
  t.equal(safeId('IREF-1_@$'), 'IREF-1_@$');
  t.equal(dateTime('2020-01-01'), '2020-01-01T00:00:00Z');
  t.equal(dateTime('2020-01-01T10:00:00Z'), '2020-01-01T10:00:00Z');
  t.equal(dateTime(undefined), undefined);
});
