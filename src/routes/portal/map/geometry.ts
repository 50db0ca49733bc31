/**
 * The world's country shapes as SVG path data, made once per process: Natural Earth 1:110m
 * countries from the `world-atlas` package (TopoJSON, read from node_modules, no network),
 * projected with the Equal Earth projection (equal-area, so a country's share of the map is its
 * share of the world) into a 960-unit-wide box. A request then only picks a class per shape.
 *
 * Path data are written in whole units with relative moves: at this size a unit is about a screen
 * pixel, and absolute coordinates with a decimal made the paths three times larger (about 110 KB
 * against 39 KB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath, type GeoContext, type GeoPermissibleObjects } from 'd3-geo';
import { feature, merge } from 'topojson-client';

export const MAP_WIDTH = 960;

/** One shape to draw: its key (the world-atlas id, an ISO 3166-1 numeric code) and its path data. */
export interface CountryShape {
  /** ISO 3166-1 numeric code, 3 digits ('484'); '412' for Kosovo (see SHAPES_WITHOUT_ISO_CODE). */
  readonly key: string;
  readonly d: string;
}

export interface WorldGeometry {
  readonly width: number;
  readonly height: number;
  /** Sorted by key. */
  readonly shapes: readonly CountryShape[];
}

/**
 * The Natural Earth shapes that world-atlas leaves without an ISO code, by their Natural Earth
 * name, and what the map does with each. Kosovo takes the code the UN uses for it (412), which
 * RM_AREA_SDG gives our XKX, so its figures are drawn. Northern Cyprus and Somaliland are drawn as
 * part of Cyprus and Somalia, as on UN maps: a boundary of its own would show an entity the UN
 * does not recognise, and no figures are reported for either.
 */
export const SHAPES_WITHOUT_ISO_CODE: Readonly<Record<string, { readonly key: string } | { readonly partOf: string }>> = {
  Kosovo: { key: '412' },
  'N. Cyprus': { partOf: '196' },
  Somaliland: { partOf: '706' },
};

/** Left out: it has no crime statistics and would take a tenth of the map's height. */
export const ANTARCTICA = '010';

let cached: WorldGeometry | undefined;

/** The projected shapes, built on first use and kept for the life of the process. */
export function worldGeometry(): WorldGeometry {
  return (cached ??= buildWorldGeometry());
}

// Minimal shapes of the world-atlas TopoJSON, enough to pick its country objects.
interface AtlasGeometry {
  readonly type: string;
  readonly id?: string;
  readonly properties?: { readonly name?: string };
}
interface AtlasTopology {
  readonly type: 'Topology';
  readonly objects: { readonly countries: { readonly type: 'GeometryCollection'; readonly geometries: readonly AtlasGeometry[] } };
}
type Topology = Parameters<typeof feature>[0];
type MergeInput = Parameters<typeof merge>[1];

function readAtlas(): AtlasTopology {
  // Resolved like an import, so it works from src/ (tsx) and dist/src/ (node) alike.
  const file = createRequire(import.meta.url).resolve('world-atlas/countries-110m.json');
  return JSON.parse(readFileSync(file, 'utf8')) as AtlasTopology;
}

function buildWorldGeometry(): WorldGeometry {
  const atlas = readAtlas();
  const topology = atlas as unknown as Topology;
  // Group the atlas geometries by the key they are drawn under (a shape "part of" another joins it).
  const groups = new Map<string, AtlasGeometry[]>();
  for (const g of atlas.objects.countries.geometries) {
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
    let key = g.id;
    if (key === undefined) {
      const rule = SHAPES_WITHOUT_ISO_CODE[g.properties?.name ?? ''];
      // A shape we have no rule for (none in world-atlas 2) is left out rather than drawn unnamed.
      if (!rule) continue;
      key = 'key' in rule ? rule.key : rule.partOf;
    }
    if (key === ANTARCTICA) continue;
    const list = groups.get(key) ?? [];
    list.push(g);
    groups.set(key, list);
  }
  const features = [...groups].map(([key, parts]) => ({
    type: 'Feature' as const,
    id: key,
    properties: {},
    // One shape: merge() dissolves the shared border of the parts (Cyprus and Northern Cyprus).
    geometry:
      parts.length === 1
        ? ((feature(topology, parts[0] as unknown as Parameters<typeof feature>[1]) as { geometry: GeoPermissibleObjects }).geometry)
        : merge(topology, parts as unknown as MergeInput),
  }));
  const collection = { type: 'FeatureCollection' as const, features } as unknown as GeoPermissibleObjects;
  const projection = geoEqualEarth().fitWidth(MAP_WIDTH, collection);
  const [[, top], [, bottom]] = geoPath(projection).bounds(collection);
  const writer = new RelativePathWriter();
  const draw = geoPath(projection, writer);
  const shapes: CountryShape[] = [];
  for (const f of features) {
    draw(f.geometry);
    const d = writer.take();
    if (d) shapes.push({ key: f.id, d });
  }
  shapes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { width: MAP_WIDTH, height: Math.ceil(bottom - top), shapes };
}

/**
 * A d3-geo path context that writes each ring as `M x y l dx dy … z` in whole units: points that
 * round onto the previous one are dropped, and a ring left with fewer than three points (an islet
 * smaller than a unit) is dropped too.
 */
class RelativePathWriter implements GeoContext {
  private out = '';
  private ring: number[] = [];

  moveTo(x: number, y: number): void {
    this.flush();
    this.ring.push(Math.round(x), Math.round(y));
  }

  lineTo(x: number, y: number): void {
    const X = Math.round(x);
    const Y = Math.round(y);
    const n = this.ring.length;
    if (n >= 2 && this.ring[n - 2] === X && this.ring[n - 1] === Y) return;
    this.ring.push(X, Y);
  }

  closePath(): void {
    this.flush();
  }

  beginPath(): void {}

  arc(): void {
    // Only points are drawn with arcs; the atlas's countries are polygons.
  }

  /** The path data written since the last call. */
  take(): string {
    this.flush();
    const d = this.out;
    this.out = '';
    return d;
  }

  private flush(): void {
    const r = this.ring;
    this.ring = [];
    let n = r.length;
    // The closing point is implied by z.
    if (n >= 4 && r[n - 2] === r[0] && r[n - 1] === r[1]) n -= 2;
    if (n < 6) return;
    let d = `M${r[0]} ${r[1]}l`;
    for (let i = 2; i < n; i += 2) {
      const dx = r[i] - r[i - 2];
      const dy = r[i + 1] - r[i - 1];
      // A minus sign separates numbers by itself; a positive one needs a space, except after "l".
      d += (i === 2 || dx < 0 ? '' : ' ') + dx + (dy < 0 ? '' : ' ') + dy;
    }
    this.out += `${d}z`;
  }
}
