/**
 * The world map component (src/routes/portal/map/) rendered to HTML and read back as a DOM: each
 * country with a value is filled by a class that follows the values and titled with its name and
 * value, the others are "no data" (null too, never 0), regions and sub-national areas are ignored,
 * the legend's ranges run from the minimum to the maximum, the SVG is an image labelled with what
 * is mapped, the extremes and the count, the UN disclaimer and the attribution are there in both
 * languages, and nothing needs an inline style. The ISO numeric → REF_AREA pairs are the real
 * RM_AREA_SDG of sdmx/, so every shape of world-atlas is checked to have a CL_AREA code.
 */
import t from 'tap';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import type { Codelist } from '../../../src/sdmx/model.js';
import { StructureRegistry } from '../../../src/sdmx/structure-query/registry.js';
import { readStructureFiles } from '../../../src/services/structure-files.js';
import type { PortalLanguage } from '../../../src/routes/portal/i18n.js';
import { areaCodesByIsoNumeric, fromRepresentationMap } from '../../../src/routes/portal/map/area-codes.js';
import { quantileClasses } from '../../../src/routes/portal/map/classes.js';
import { ANTARCTICA, SHAPES_WITHOUT_ISO_CODE, worldGeometry } from '../../../src/routes/portal/map/geometry.js';
import { WorldMap, type WorldMapProps } from '../../../src/routes/portal/map/world-map.js';

const registry = new StructureRegistry(readStructureFiles(path.join(PROJECT_ROOT, 'sdmx')).map((s) => s.artefact));
const areaOfIsoNumeric = areaCodesByIsoNumeric(registry);
const areas = registry.ofClass('Codelist').find((c) => c.agencyID === 'UNODC' && c.id === 'CL_AREA') as Codelist;
const labels = new Map(areas.items.map((c) => [c.id, c.name]));
const nameIn = (lang: PortalLanguage) => (code: string) => labels.get(code)?.[lang] ?? code;
const formats = { en: new Intl.NumberFormat('en'), es: new Intl.NumberFormat('es') };

const DISCLAIMER = {
  en: 'The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations.',
  es: 'Los límites y los nombres que figuran en este mapa y las denominaciones empleadas en él no implican su aprobación o aceptación oficial por parte de las Naciones Unidas.',
};
const ATTRIBUTION = { en: 'Boundaries: Natural Earth (public domain), via world-atlas', es: 'Límites: Natural Earth (dominio público), mediante world-atlas' };

function render(values: ReadonlyMap<string, number | null>, lang: PortalLanguage = 'en', more: Partial<WorldMapProps> = {}) {
  const props: WorldMapProps = {
    lang,
    title: lang === 'en' ? 'Victims of intentional homicide, 2021' : 'Víctimas de homicidio intencional, 2021',
    valueLabel: lang === 'en' ? 'per 100,000 population' : 'por 100.000 habitantes',
    values,
    nameOf: nameIn(lang),
    formatValue: (n) => formats[lang].format(n),
    areaOfIsoNumeric,
    ...more,
  };
  const html = renderToString(h(WorldMap, props));
  const { document } = parseHTML(`<!doctype html><html lang="${lang}"><head><title>t</title></head><body>${html}</body></html>`);
  const figure = document.querySelector('figure.world-map')!;
  const paths = [...figure.querySelectorAll('svg.map-svg path[d]')].filter((p) => !p.closest('pattern'));
  const shapes = paths.map((p) => ({ cls: p.getAttribute('class') ?? '', title: p.querySelector('title')?.textContent ?? '' }));
  const byName = (name: string) => shapes.find((s) => s.title.startsWith(`${name}: `));
  const ranges = [...figure.querySelectorAll('.map-legend-list li')].map((li) => ({
    cls: li.querySelector('.map-swatch')!.getAttribute('class')!,
    text: li.querySelector('.map-range')!.textContent!,
  }));
  return { html, document, figure, shapes, byName, ranges, text: figure.textContent!.replace(/\s+/g, ' ') };
}

const step = (cls: string) => Number(/^q([1-5])$/.exec(cls)?.[1] ?? NaN);

t.test('every world-atlas shape stands for a CL_AREA country, through RM_AREA_SDG', async (t) => {
  const geometry = worldGeometry();
  t.equal(worldGeometry(), geometry, 'projected once per process');
  const codes = new Set(areas.items.map((c) => c.id));
  for (const shape of geometry.shapes) {
    const code = areaOfIsoNumeric.get(shape.key);
    t.ok(code && codes.has(code), `${shape.key} → ${code}`);
  }
  t.equal(areaOfIsoNumeric.get('484'), 'MEX');
  t.equal(areaOfIsoNumeric.get('004'), 'AFG', 'keys have three digits, as world-atlas writes them');
  t.equal(areaOfIsoNumeric.get('412'), 'XKX', 'Kosovo has the UN code RM_AREA_SDG gives it');
  t.notOk([...areaOfIsoNumeric.values()].some((c) => /^\d+$/.test(c) || c.includes('_')), 'no region or sub-national area');
  t.equal(areaCodesByIsoNumeric(registry), areaOfIsoNumeric, 'kept per registry');
  t.same([...fromRepresentationMap(undefined)], [], 'no map, no pairs');

  // The atlas's shapes without an id are exactly those the geometry has a rule for.
  const file = createRequire(import.meta.url).resolve('world-atlas/countries-110m.json');
  const atlas = JSON.parse(readFileSync(file, 'utf8')) as { objects: { countries: { geometries: { id?: string; properties: { name: string } }[] } } };
  const withoutId = atlas.objects.countries.geometries.filter((g) => g.id === undefined).map((g) => g.properties.name);
  t.same(withoutId.sort(), Object.keys(SHAPES_WITHOUT_ISO_CODE).sort());
  const keys = new Set(geometry.shapes.map((s) => s.key));
  t.ok(keys.has('412') && keys.has('196') && keys.has('706'), 'Kosovo drawn; Northern Cyprus and Somaliland within Cyprus and Somalia');
  t.notOk(keys.has(ANTARCTICA), 'Antarctica left out');
  t.equal(keys.size, geometry.shapes.length, 'one shape per key');
});

t.test('a country with a value has a class and a title with its name and value', async (t) => {
  const { byName, shapes } = render(new Map([['MEX', 28.2], ['USA', 6.8], ['CAN', 2.1]]));
  t.equal(byName('Mexico')?.title, 'Mexico: 28.2');
  t.match(byName('Mexico')?.cls, /^q[1-5]$/);
  t.equal(shapes.filter((s) => /^q/.test(s.cls)).length, 3, 'three countries filled');
  const es = render(new Map([['MEX', 1234.5]]), 'es');
  t.equal(es.byName('México')?.title, 'México: 1234,5', 'name and number in the page language');
});

t.test('classes follow the values: a higher value is never in a lower class', async (t) => {
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const values = new Map<string, number>();
  for (const code of new Set(areaOfIsoNumeric.values())) values.set(code, Math.round(Math.exp(random() * 4) * 10) / 10);
  const { shapes, ranges } = render(values);
  const filled = shapes
    .filter((s) => /^q/.test(s.cls))
    .map((s) => ({ step: step(s.cls), value: Number(s.title.slice(s.title.lastIndexOf(': ') + 2).replace(/,/g, '')) }));
  t.equal(filled.length, worldGeometry().shapes.length, 'every shape filled');
  filled.sort((a, b) => a.value - b.value);
  for (let i = 1; i < filled.length; i++) {
    if (filled[i].step < filled[i - 1].step) t.fail(`${filled[i].value} in q${filled[i].step} below ${filled[i - 1].value} in q${filled[i - 1].step}`);
  }
  t.same(new Set(filled.map((f) => f.step)), new Set([1, 2, 3, 4, 5]), 'five classes used');
  t.same(ranges.map((r) => r.cls), ['map-swatch q1', 'map-swatch q2', 'map-swatch q3', 'map-swatch q4', 'map-swatch q5', 'map-swatch nodata']);
});

t.test('the legend’s ranges are written as numbers and run from the minimum to the maximum', async (t) => {
  const values = new Map([['MEX', 28.2], ['USA', 6.8], ['CAN', 2.1], ['BRA', 22.4], ['ZAF', 41.9], ['CHN', 0.5], ['IND', 2.9], ['FRA', 1.2], ['DEU', 0.8], ['JPN', 0.2]]);
  const { ranges, shapes } = render(values);
  const classes = ranges.filter((r) => r.cls !== 'map-swatch nodata');
  t.equal(classes.length, 5);
  t.match(classes[0].text, /^0\.2 to /, 'the first range starts at the minimum');
  t.match(classes.at(-1)!.text, / to 41\.9$/, 'the last range ends at the maximum');
  for (const r of classes) t.match(r.text, /^[\d.,]+ to [\d.,]+$|^[\d.,]+$/, `numbers: ${r.text}`);
  // Each country's value lies within the range of its class.
  for (const s of shapes.filter((x) => /^q/.test(x.cls))) {
    const value = Number(s.title.split(': ')[1]);
    const range = classes.find((r) => r.cls === `map-swatch ${s.cls}`)!.text.split(' to ').map(Number);
    t.ok(value >= range[0] && value <= (range[1] ?? range[0]), `${s.title} within ${range.join('–')}`);
  }
  t.equal(ranges.at(-1)!.text, 'No data');
});

t.test('countries not given, or given null, are "no data", hatched, never 0', async (t) => {
  const { byName, figure, text, ranges } = render(new Map<string, number | null>([['MEX', null], ['USA', 5], ['CAN', 3]]));
  t.equal(byName('Mexico')?.title, 'Mexico: no data');
  t.equal(byName('Mexico')?.cls, 'nodata');
  t.equal(byName('Brazil')?.title, 'Brazil: no data', 'a country not given');
  const group = figure.querySelector('g.map-nodata')!;
  const fill = /^url\(#(.+)\)$/.exec(group.getAttribute('fill') ?? '')?.[1];
  t.ok(fill && figure.querySelector(`pattern#${fill}`), 'no-data shapes take the hatch pattern of this map');
  t.equal(group.querySelectorAll('path.nodata').length, worldGeometry().shapes.length - 2);
  t.match(text, '2 countries or areas with data; highest: United States (5); lowest: Canada (3).', 'null is not counted, nor taken as the lowest');
  t.equal(ranges.length, 3, 'two classes and no data');
});

t.test('regions (M49 codes) and sub-national areas are ignored', async (t) => {
  const { shapes, text } = render(new Map([['419', 19.9], ['001', 6.1], ['GBR_E_W', 1.1], ['MEX', 28.2]]));
  t.equal(shapes.filter((s) => /^q/.test(s.cls)).length, 1, 'only Mexico filled');
  t.match(text, '1 country or area with data: Mexico (28.2).');
  t.notMatch(text, /Latin America|World|England/, 'not named anywhere');
  const regionsOnly = render(new Map([['419', 19.9], ['150', 3]]));
  t.match(regionsOnly.text, 'No data for this selection.');
});

t.test('no values: a map saying there is no data for this selection', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    const { figure, shapes, ranges } = render(new Map(), lang);
    t.equal(figure.querySelector('.map-empty')?.textContent, lang === 'en' ? 'No data for this selection.' : 'No hay datos para esta selección.');
    t.ok(shapes.length > 150 && shapes.every((s) => s.cls === 'nodata'), 'every country drawn as no data');
    t.equal(ranges.length, 1, 'the legend has only "no data"');
  }
});

t.test('equal values make one class', async (t) => {
  const { shapes, ranges, text } = render(new Map([['MEX', 4], ['USA', 4], ['CAN', 4]]));
  const classes = new Set(shapes.filter((s) => /^q/.test(s.cls)).map((s) => s.cls));
  t.equal(classes.size, 1);
  t.same(ranges.map((r) => r.text), ['4', 'No data']);
  t.match(text, '3 countries or areas with data, all with the value 4.');
});

t.test('the SVG is an image labelled with what is mapped, the extremes and how many have data', async (t) => {
  const values = new Map([['MEX', 28.2], ['USA', 6.8], ['HND', 38.9], ['JPN', 0.2]]);
  const { figure } = render(values, 'en', { id: 'homicide-map' });
  const svg = figure.querySelector('svg')!;
  t.equal(svg.getAttribute('role'), 'img');
  const label = svg
    .getAttribute('aria-labelledby')!
    .split(' ')
    .map((id) => figure.querySelector(`#${id}`)!.textContent)
    .join(' ');
  t.equal(label, 'Victims of intentional homicide, 2021 4 countries or areas with data; highest: Honduras (38.9); lowest: Japan (0.2).');
  t.ok(figure.querySelector('figcaption #homicide-map-title'), 'the label is the visible caption');
  t.match(svg.getAttribute('viewBox'), /^0 0 960 \d+$/);
  const es = render(values, 'es');
  t.match(es.text, '4 países o zonas con datos; valor más alto: Honduras (38,9); valor más bajo: Japón (0,2).');
  const tie = render(new Map([['MEX', 9], ['USA', 9], ['CAN', 9], ['BRA', 9], ['JPN', 1]]));
  t.match(tie.text, 'highest: Brazil, Canada, Mexico and 1 more (9)', 'ties named in order, then counted');
});

t.test('disclaimer and attribution under every map, in English and Spanish', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    for (const values of [new Map(), new Map([['MEX', 1]])]) {
      const { figure } = render(values, lang);
      t.equal(figure.querySelector('.map-disclaimer')?.textContent, DISCLAIMER[lang]);
      t.match(figure.querySelector('.map-attribution')?.textContent, ATTRIBUTION[lang]);
    }
  }
});

t.test('no inline style: no style attribute, no style element', async (t) => {
  const { html, document } = render(new Map([['MEX', 28.2], ['USA', null]]));
  t.equal(document.querySelectorAll('[style]').length, 0);
  t.equal(document.querySelectorAll('style').length, 0);
  t.notMatch(html, /\sstyle=|<style|<script/);
});

t.test('countries with data the map cannot draw are listed; names are escaped', async (t) => {
  const { figure } = render(new Map([['MLT', 1.9], ['MEX', 28.2]]));
  t.equal(figure.querySelector('.map-not-shown')?.textContent, 'With data but not drawn on this map (too small at this scale, or not in its shapes): Malta (1.9).');
  const odd = render(new Map([['MEX', 1]]), 'en', { nameOf: (c) => (c === 'MEX' ? 'A & <b>B</b>' : c) });
  t.equal(odd.byName('A & <b>B</b>')?.title, 'A & <b>B</b>: 1', 'text, not markup');
  t.notMatch(odd.html, '<b>B</b>');
});

t.test('a full map’s SVG stays small and renders fast', async (t) => {
  const values = new Map([...new Set(areaOfIsoNumeric.values())].map((c, i) => [c, (i * 7.3) % 50]));
  const { html } = render(values);
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
  t.ok(Buffer.byteLength(svg) < 60_000, `SVG ${Buffer.byteLength(svg)} bytes`);
  const runs = 50;
  const started = performance.now();
  for (let i = 0; i < runs; i++) render(values);
  t.comment(`SVG ${Buffer.byteLength(svg)} bytes; render and parse ${((performance.now() - started) / runs).toFixed(2)} ms per map (not asserted)`);
});

t.test('quantile classes keep ties together and never make more classes than values', async (t) => {
  t.same(quantileClasses([]).classes, []);
  t.same(
    quantileClasses([3, 1, 2]).classes.map((c) => [c.step, c.min, c.max, c.count]),
    [
      [1, 1, 1, 1],
      [3, 2, 2, 1],
      [5, 3, 3, 1],
    ],
  );
  const ties = quantileClasses([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
  t.same(ties.classes[0], { step: 1, min: 1, max: 1, count: 6 }, 'the six 1s share the first class');
  t.equal(ties.classOf(1), ties.classes[0]);
  t.same(quantileClasses([7, 7]).classes, [{ step: 3, min: 7, max: 7, count: 2 }], 'one class, mid-palette');
  t.same(quantileClasses([1, Number.NaN, Number.POSITIVE_INFINITY, 2]).classes.map((c) => c.min), [1, 2], 'non-numbers left out');
});
