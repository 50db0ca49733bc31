/**
 * The committed area tables (sdmx/sources/areas/) against their origins, and CL_AREA's
 * hierarchy against the Subregion column of the UNODC files.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Codelist } from '../../../src/sdmx/model.js';
import { buildStructures, SOURCES_DIR } from '../../../src/cli/structures/index.js';
import { M49_AREAS, buildAreaCodelist } from '../../../src/cli/structures/areas.js';
import { ctsAreaCode } from '../../../src/cli/structures/cts-mapping.js';
import { deriveAreaTables } from '../../../src/cli/structures/derive-areas.js';
import { parseMo } from '../../../src/cli/structures/mo.js';
import { parseCsvRecords } from '../../../src/cli/structures/csv.js';
import { DATA } from '../../helpers/shared.js';

const ISO_JSON = '/usr/share/iso-codes/json/iso_3166-1.json';
const ISO_MO = '/usr/share/locale/es/LC_MESSAGES/iso_3166-1.mo';
const UNODC = DATA.unodc;
const area = buildStructures().find((a) => a.id === 'CL_AREA') as Codelist;
const byId = new Map(area.items.map((c) => [c.id, c]));

t.test('the committed area tables are what derive-areas produces', { skip: !existsSync(ISO_MO) && 'iso-codes not installed' }, async (t) => {
  const { files } = deriveAreaTables({ isoJson: ISO_JSON, isoMo: ISO_MO, unodc: UNODC });
  t.same([...files.keys()].sort(), ['iso3166-1-numeric.csv', 'iso3166-1.csv', 'unodc-area-names.csv', 'unodc-area-subregion.csv']);
  for (const [name, text] of files) {
    t.ok(readFileSync(path.join(SOURCES_DIR, 'areas', name), 'utf8') === text, `${name} is up to date`);
  }
});

t.test('parseMo reads the iso-codes Spanish catalogue', { skip: !existsSync(ISO_MO) && 'iso-codes not installed' }, async (t) => {
  const mo = parseMo(readFileSync(ISO_MO));
  t.equal(mo.get('Afghanistan'), 'Afganistán');
  t.equal(mo.get('Germany'), 'Alemania');
  t.notOk(mo.has(''), 'header entry left out');
  t.ok(mo.size > 200);
});

t.test('parseMo: both byte orders, bad input', async (t) => {
  // A two-entry catalogue built by hand: header ("" → "h") and "a" → "b".
  const build = (little: boolean) => {
    const strings = ['', 'a', 'h', 'b'];
    const buf = Buffer.alloc(28 + 32 + 8);
    const w = (v: number, at: number) => (little ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at));
    w(0x950412de, 0);
    w(0, 4);
    w(2, 8);
    w(28, 12);
    w(44, 16);
    let data = 60;
    strings.forEach((s, i) => {
      const table = i < 2 ? 28 + i * 8 : 44 + (i - 2) * 8;
      w(s.length, table);
      w(data, table + 4);
      buf.write(s, data);
      data += s.length + 1;
    });
    return new Uint8Array(buf);
  };
  t.same([...parseMo(build(true))], [['a', 'b']]);
  t.same([...parseMo(build(false))], [['a', 'b']]);
  t.throws(() => parseMo(new Uint8Array(40)), { name: 'MoError', message: /magic/ });
  t.throws(() => parseMo(new Uint8Array(4)), { name: 'MoError' });
});

t.test('each area of the UN-CTS files sits under its UNODC subregion', async (t) => {
  const subregionId = new Map(M49_AREAS.map((a) => [a.en, a.id]));
  const files = readdirSync(UNODC, { recursive: true, encoding: 'utf8' }).filter((f) => /data_cts_[^/]*\.csv$/.test(f));
  const seen = new Map<string, string>();
  for (const f of files) {
    for (const r of parseCsvRecords(readFileSync(path.join(UNODC, f), 'utf8'), ['Iso3_code', 'Subregion'] as const)) {
      seen.set(ctsAreaCode(r.Iso3_code), r.Subregion);
    }
  }
  t.ok(seen.size > 220);
  for (const [code, sub] of seen) {
    const c = byId.get(code);
    t.ok(c, `${code} is in CL_AREA`);
    if (code === '001') continue;
    const expected = /^(GBR|IRQ)_/.test(code) ? code.slice(0, 3) : subregionId.get(sub);
    t.equal(c?.parentID, expected, `${code} → ${expected} (${sub})`);
  }
  // Countries in no UNODC file have no parent (we do not guess).
  for (const id of ['ATA', 'BVT', 'HMD', 'UMI']) t.equal(byId.get(id)?.parentID, undefined, `${id} has no parent`);
  t.same(byId.get('DZA')?.name, { en: 'Algeria', es: 'Argelia' }, 'Spanish correction applied');
  t.same(byId.get('TUR')?.name, { en: 'Türkiye', es: 'Türkiye' });
});

t.test('buildAreaCodelist rejects inconsistent tables', async (t) => {
  const countries = [{ code: 'FRA', en: 'France', es: 'Francia' }];
  t.throws(() => buildAreaCodelist(countries, [{ code: 'FRA', subregion: '150' }]), { name: 'AreaSourceError' }, 'a region is not a subregion');
  t.throws(() => buildAreaCodelist(countries, [{ code: 'DEU', subregion: '155' }]), { name: 'AreaSourceError' }, 'unknown area');
  t.throws(
    () => buildAreaCodelist(countries, [{ code: 'FRA', subregion: '155' }, { code: 'FRA', subregion: '155' }]),
    { name: 'AreaSourceError' },
    'listed twice',
  );
  const cl = buildAreaCodelist(countries, [{ code: 'FRA', subregion: '155' }]);
  t.same(cl.items.find((c) => c.id === 'FRA')?.parentID, '155');
});
