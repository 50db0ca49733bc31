/**
 * The JSON data API's body, written as it is read: the values observation-reader.ts reads
 * (storage pages of whole series, about PAGE_ROWS rows, one query each; per (series, period) the
 * vintage of the highest-ranked release, withdrawn values skipped) become JSON text pieces, so
 * memory is bounded by a page, not by the answer. A release's own rows (a permalink) are read
 * with withdrawals kept and written marked `deleted`. Each observation names the release that
 * wrote it; the codes of those releases close the document, as they are known only once it is
 * written.
 */
import type { Codelist, DataStructure, Text } from '../../sdmx/model.js';
import type { DataRepository, ObservationRow, StoredSeries } from '../../storage/repositories.js';
import type { VisibleRelease } from '../visibility.js';
import { readSeries } from './observation-reader.js';
import { paginate } from './pages.js';
import type { ObservationTest } from './selection.js';

export interface JsonBodyPlan {
  /** The document's members before `series`, in order. */
  readonly head: Readonly<Record<string, unknown>>;
  /** The series to write, in key order. */
  readonly series: readonly StoredSeries[];
  readonly rowCounts: ReadonlyMap<number, number>;
  /** The releases whose rows are read, with their ranks. */
  readonly releases: readonly VisibleRelease[];
  /** Every row of the (single) release, withdrawals included, instead of the current values. */
  readonly ownRows: boolean;
  readonly test: ObservationTest;
  readonly dsd: DataStructure;
  readonly lang: string;
  codelistOf(dimensionId: string): Codelist | undefined;
}

/** Pieces are handed on once they reach this many characters (a long series is cut). */
const PIECE_CHARS = 16 * 1024;

/** The document as text pieces; nothing is read before the first pull. */
export function* jsonBody(plan: JsonBodyPlan, data: DataRepository): Generator<string> {
  const head = JSON.stringify(plan.head);
  yield `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"series":[`;
  const codeOf = new Map(plan.releases.map((r) => [r.pk, JSON.stringify(r.code)]));
  const contributed = new Set<number>();
  const dimensions = new DimensionLabels(plan.dsd, plan.lang, plan.codelistOf);
  const values = readSeries(data, {
    pages: paginate(plan.series, plan.rowCounts, undefined),
    releases: plan.releases,
    test: plan.test,
    withdrawals: plan.ownRows ? 'keep' : 'skip',
  });
  let text = '';
  let firstSeries = true;
  for (const { series, rows } of values) {
    if (rows.length === 0) continue;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      if (k === 0) {
        text += `${firstSeries ? '' : ','}{"key":${JSON.stringify(series.key)},"dimensions":${dimensions.of(series)},"observations":[`;
        firstSeries = false;
      } else {
        text += ',';
      }
      text += observationJson(row, codeOf.get(row[1])!);
      contributed.add(row[1]);
      if (text.length >= PIECE_CHARS) {
        yield text;
        text = '';
      }
    }
    text += ']}';
  }
  const codes = plan.releases.filter((r) => contributed.has(r.pk)).map((r) => r.code);
  yield `${text}],"releases":${JSON.stringify(codes)}}`;
}

function observationJson(row: ObservationRow, releaseCode: string): string {
  const [, , period, value, attributes, deleted] = row;
  const number = value === null || !Number.isFinite(value) ? 'null' : String(value);
  return `{"period":${JSON.stringify(period)},"value":${number},"attributes":${attributesJson(attributes)},"release":${releaseCode}${deleted === 1 ? ',"deleted":true' : ''}}`;
}

/**
 * Attribute sets as stored (JSON object text), checked once and shared: they repeat endlessly
 * (`{"OBS_STATUS":"A"}` on most rows).
 */
const attributeTexts = new Map<string, string>();
const MAX_ATTRIBUTE_TEXTS = 20_000;
function attributesJson(stored: string): string {
  let text = attributeTexts.get(stored);
  if (text === undefined) {
    const parsed: unknown = JSON.parse(stored);
    text = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? JSON.stringify(parsed) : '{}';
    if (attributeTexts.size >= MAX_ATTRIBUTE_TEXTS) attributeTexts.clear();
    attributeTexts.set(stored, text);
  }
  return text;
}

/** `{"FREQ":{"id":"A","name":"Annual"},…}` of a series, in DSD order; fragments made once per code. */
class DimensionLabels {
  private readonly fragments: Map<string, string>[];
  private readonly ids: readonly string[];

  constructor(
    dsd: DataStructure,
    private readonly lang: string,
    private readonly codelistOf: (dimensionId: string) => Codelist | undefined,
  ) {
    this.ids = dsd.dimensions.map((d) => d.id);
    this.fragments = this.ids.map(() => new Map());
  }

  of(series: StoredSeries): string {
    const codes = series.dimensions;
    let text = '{';
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i]!;
      const code = codes[id];
      if (code === undefined) continue;
      let fragment = this.fragments[i]!.get(code);
      if (fragment === undefined) {
        const name = namesOf(this.codelistOf(id)).get(code);
        fragment = `${JSON.stringify(id)}:${JSON.stringify({ id: code, name: name ? textIn(name, this.lang) : null })}`;
        this.fragments[i]!.set(code, fragment);
      }
      text += `${text.length > 1 ? ',' : ''}${fragment}`;
    }
    return `${text}}`;
  }
}

/** A codelist's names by code, made once per codelist (they are immutable while loaded). */
const namesByCodelist = new WeakMap<Codelist, Map<string, Text>>();
const NO_NAMES = new Map<string, Text>();
function namesOf(codelist: Codelist | undefined): ReadonlyMap<string, Text> {
  if (!codelist) return NO_NAMES;
  let names = namesByCodelist.get(codelist);
  if (!names) namesByCodelist.set(codelist, (names = new Map(codelist.items.map((c) => [c.id, c.name]))));
  return names;
}

/** A text in the language asked for, else English, else any. */
export function textIn(text: Text, lang: string): string | null {
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? null;
}
