/**
 * A choropleth world map drawn on the server: a `<figure>` with an inline SVG (Equal Earth,
 * Natural Earth 1:110m countries via world-atlas; geometry.ts projects it once per process), each
 * country with data filled by its quantile class (classes.ts) and titled with its name and value,
 * countries without data hatched grey, a legend whose ranges are written as numbers, and the UN
 * boundary disclaimer and the boundaries' attribution under it. Needs no script and no inline
 * style: colours come from classes in styles/40-map.css.
 *
 * Usage (values keyed by REF_AREA; regions and sub-national areas are ignored):
 *   <WorldMap lang="en" title="Victims of intentional homicide, 2021" valueLabel="per 100,000 population"
 *     values={new Map([['MEX', 28.2], ['419', 19.9]])} nameOf={(c) => label(c)}
 *     formatValue={(n) => numbers.format(n)} areaOfIsoNumeric={areaCodesByIsoNumeric(structures.registry)} />
 * formatValue is called for every country with data: pass one Intl.NumberFormat made once (making
 * one per call, as i18n.ts formatNumber does, costs about 30 µs each, 5–8 ms for a full map).
 */
import type { VNode } from 'preact';
import type { PortalLanguage } from '../i18n.js';
import { COUNTRY_CODE } from './area-codes.js';
import { quantileClasses, type ValueClass } from './classes.js';
import { worldGeometry } from './geometry.js';

export interface WorldMapProps {
  readonly lang: PortalLanguage;
  /** What is mapped, shown as the caption ("Victims of intentional homicide, 2021"). */
  readonly title: string;
  /** Values by REF_AREA code: ISO alpha-3 countries (and XKX) are mapped; other codes are ignored; null is "no data". */
  readonly values: ReadonlyMap<string, number | null>;
  /** A REF_AREA code's label in the page's language (from CL_AREA). */
  readonly nameOf: (code: string) => string;
  /** A value as text in the page's language. */
  readonly formatValue: (n: number) => string;
  /** The unit of the values ("per 100,000 population"): the legend's heading. */
  readonly valueLabel?: string;
  /** ISO 3166-1 numeric code, three digits ('484') → REF_AREA code ('MEX'): areaCodesByIsoNumeric(registry). */
  readonly areaOfIsoNumeric: ReadonlyMap<string, string>;
  /** Prefix of the ids inside the figure; give each map on a page its own (default 'world-map'). */
  readonly id?: string;
}

interface MapWords {
  readonly noData: string;
  readonly noDataLegend: string;
  readonly emptySelection: string;
  readonly legend: string;
  readonly range: (from: string, to: string) => string;
  readonly withData: (n: number) => string;
  readonly highest: string;
  readonly lowest: string;
  readonly allEqual: (value: string) => string;
  readonly andMore: (n: number) => string;
  readonly and: string;
  readonly notShown: string;
  readonly disclaimer: string;
  readonly attribution: string;
}

export const MAP_WORDS: Readonly<Record<PortalLanguage, MapWords>> = {
  en: {
    noData: 'no data',
    noDataLegend: 'No data',
    emptySelection: 'No data for this selection.',
    legend: 'Legend',
    range: (from, to) => `${from} to ${to}`,
    withData: (n) => `${n} ${n === 1 ? 'country or area' : 'countries or areas'} with data`,
    highest: 'highest',
    lowest: 'lowest',
    allEqual: (value) => `all with the value ${value}`,
    andMore: (n) => `${n} more`,
    and: 'and',
    notShown: 'With data but not drawn on this map (too small at this scale, or not in its shapes):',
    disclaimer:
      'The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations.',
    attribution: 'Boundaries: Natural Earth (public domain), via world-atlas.',
  },
  es: {
    noData: 'sin datos',
    noDataLegend: 'Sin datos',
    emptySelection: 'No hay datos para esta selección.',
    legend: 'Leyenda',
    range: (from, to) => `${from} a ${to}`,
    withData: (n) => `${n} ${n === 1 ? 'país o zona' : 'países o zonas'} con datos`,
    highest: 'valor más alto',
    lowest: 'valor más bajo',
    allEqual: (value) => `todos con el valor ${value}`,
    andMore: (n) => `${n} más`,
    and: 'y',
    notShown: 'Con datos, pero no dibujados en este mapa (demasiado pequeños a esta escala, o ausentes de sus contornos):',
    disclaimer:
      'Los límites y los nombres que figuran en este mapa y las denominaciones empleadas en él no implican su aprobación o aceptación oficial por parte de las Naciones Unidas.',
    attribution: 'Límites: Natural Earth (dominio público), mediante world-atlas.',
  },
};

/** How many names a tie lists before "and N more". */
const NAMES_IN_A_TIE = 3;

export function WorldMap({ lang, title, values, nameOf, formatValue, valueLabel, areaOfIsoNumeric, id = 'world-map' }: WorldMapProps): VNode {
  const t = MAP_WORDS[lang];
  const geometry = worldGeometry();
  const collator = new Intl.Collator(lang);

  // The countries' values; regions, sub-national areas, nulls and non-numbers are no data.
  const data = new Map<string, number>();
  for (const [code, value] of values) {
    if (COUNTRY_CODE.test(code) && typeof value === 'number' && Number.isFinite(value)) data.set(code, value);
  }
  const { classes, classOf } = quantileClasses([...data.values()]);

  const shaded: VNode[] = [];
  const blank: VNode[] = [];
  const drawn = new Set<string>();
  for (const shape of geometry.shapes) {
    const code = areaOfIsoNumeric.get(shape.key);
    if (code !== undefined) drawn.add(code);
    const value = code === undefined ? undefined : data.get(code);
    const name = code === undefined ? undefined : nameOf(code);
    if (value === undefined) {
      blank.push(
        <path class="nodata" d={shape.d}>
          {name === undefined ? null : <title>{`${name}: ${t.noData}`}</title>}
        </path>,
      );
    } else {
      shaded.push(
        <path class={`q${classOf(value).step}`} d={shape.d}>
          <title>{`${name}: ${formatValue(value)}`}</title>
        </path>,
      );
    }
  }
  const notShown = [...data.keys()]
    .filter((code) => !drawn.has(code))
    .map((code) => ({ name: nameOf(code), value: data.get(code)! }))
    .sort((a, b) => collator.compare(a.name, b.name));

  const summary = summaryOf(data, { t, nameOf, formatValue, collator });
  const hatch = `${id}-hatch`;
  return (
    <figure class="world-map" id={id}>
      <figcaption>
        <span class="map-title" id={`${id}-title`}>
          {title}
        </span>{' '}
        <span class={data.size ? 'map-summary' : 'map-summary map-empty'} id={`${id}-summary`}>
          {summary}
        </span>
      </figcaption>
      <svg class="map-svg" role="img" aria-labelledby={`${id}-title ${id}-summary`} viewBox={`0 0 ${geometry.width} ${geometry.height}`}>
        <defs>
          <pattern id={hatch} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect class="map-hatch-ground" width="6" height="6" />
            <path class="map-hatch-line" d="M0 0v6" />
          </pattern>
        </defs>
        {/* The pattern's id is per map, so it is referenced here rather than from the style sheet (a presentation attribute, not a style). */}
        <g class="map-nodata" fill={`url(#${hatch})`}>
          {blank}
        </g>
        <g class="map-data">{shaded}</g>
      </svg>
      <div class="map-legend">
        <p class="map-legend-title">{valueLabel ?? t.legend}</p>
        <ul class="map-legend-list">
          {classes.map((c) => (
            <li>
              <span class={`map-swatch q${c.step}`} aria-hidden="true" />
              <span class="map-range">{rangeText(c, t, formatValue)}</span>
            </li>
          ))}
          <li>
            <span class="map-swatch nodata" aria-hidden="true" />
            <span class="map-range">{t.noDataLegend}</span>
          </li>
        </ul>
      </div>
      {notShown.length ? (
        <p class="map-note map-not-shown">
          {t.notShown} {notShown.map((c) => `${c.name} (${formatValue(c.value)})`).join(', ')}.
        </p>
      ) : null}
      <p class="map-note map-disclaimer">{t.disclaimer}</p>
      <p class="map-note map-attribution">{t.attribution}</p>
    </figure>
  );
}

function rangeText(c: ValueClass, t: MapWords, formatValue: (n: number) => string): string {
  return c.min === c.max ? formatValue(c.min) : t.range(formatValue(c.min), formatValue(c.max));
}

interface SummaryContext {
  readonly t: MapWords;
  readonly nameOf: (code: string) => string;
  readonly formatValue: (n: number) => string;
  readonly collator: Intl.Collator;
}

/** "12 countries or areas with data; highest: Honduras (38.9); lowest: Japan (0.2)." */
function summaryOf(data: ReadonlyMap<string, number>, { t, nameOf, formatValue, collator }: SummaryContext): string {
  if (data.size === 0) return t.emptySelection;
  const all = [...data.values()];
  const max = Math.max(...all);
  const min = Math.min(...all);
  const namesAt = (value: number) => {
    const names = [...data].filter(([, v]) => v === value).map(([code]) => nameOf(code)).sort(collator.compare);
    if (names.length === 1) return names[0];
    const listed = names.slice(0, NAMES_IN_A_TIE);
    const rest = names.length - listed.length;
    if (rest > 0) return `${listed.join(', ')} ${t.and} ${t.andMore(rest)}`;
    return `${listed.slice(0, -1).join(', ')} ${t.and} ${listed[listed.length - 1]}`;
  };
  if (data.size === 1) {
    const [[code, value]] = data;
    return `${t.withData(1)}: ${nameOf(code)} (${formatValue(value)}).`;
  }
  if (max === min) return `${t.withData(data.size)}, ${t.allEqual(formatValue(max))}.`;
  return `${t.withData(data.size)}; ${t.highest}: ${namesAt(max)} (${formatValue(max)}); ${t.lowest}: ${namesAt(min)} (${formatValue(min)}).`;
}
