/**
 * The observations answer (services/data/observations.ts) written as JSON, CSV or XLSX. JSON
 * and CSV come out as text pieces, read from storage as they are pulled; XLSX is streamed into
 * a workbook (formats/xlsx.ts) with a data sheet and a notes sheet (source, citation, releases,
 * units, the flags used, in words, and the headline notes of the reference metadata: how the
 * figures are counted, breaks and comparability, for the dataflow and each area of the rows).
 */
import type { Writable } from 'node:stream';
import type { Cell, ObservationsAnswer, Row, UnitColumn } from '../services/data/observations.js';
import { xlsxWorkbook, type CellValue } from './xlsx.js';

/** Pieces are handed on once they reach this many characters. */
const PIECE_CHARS = 16 * 1024;

/** The words of the answers' fixed texts, per language. */
const WORDS = {
  en: {
    period: 'Period',
    code: 'code',
    level: 'level',
    flags: 'flags',
    notes: 'notes',
    release: 'release',
    data: 'Data',
    notesSheet: 'Notes',
    item: 'Item',
    value: 'Value',
    dataflow: 'Dataflow',
    source: 'Source',
    citation: 'Citation',
    permalink: 'Permalink',
    licence: 'Licence',
    query: 'Query',
    asOf: 'Data as public at',
    releaseRow: 'Release',
    releases: 'releases',
    releaseWord: 'release',
    dataPublicAt: 'data as public at',
    unit: 'Value column',
    flag: 'Flag',
    hint: 'Note',
    levels: 'The rows mix codes of several levels of a hierarchy (see the level columns: 1 = the top, e.g. ICCS section): a code’s figure already includes the codes under it, so do not add up rows of different levels.',
    numbers: 'Figures are stored as published, unrounded; the number formats only change how many decimals are shown.',
    suppressed: 'An empty value with the flag CONF_STATUS is withheld by disclosure control (small counts and the cells that would reveal them).',
    retrieved: 'retrieved',
    rows: 'Rows',
    metadata: 'Reference metadata',
    countryNote: 'Country note',
    version: 'version',
  },
  es: {
    period: 'Período',
    code: 'código',
    level: 'nivel',
    flags: 'indicadores',
    notes: 'notas',
    release: 'publicación',
    data: 'Datos',
    notesSheet: 'Notas',
    item: 'Elemento',
    value: 'Valor',
    dataflow: 'Flujo de datos',
    source: 'Fuente',
    citation: 'Cita',
    permalink: 'Enlace permanente',
    licence: 'Licencia',
    query: 'Consulta',
    asOf: 'Datos públicos a',
    releaseRow: 'Publicación',
    releases: 'publicaciones',
    releaseWord: 'publicación',
    dataPublicAt: 'datos públicos a',
    unit: 'Columna de valores',
    flag: 'Indicador',
    hint: 'Nota',
    levels: 'Las filas mezclan códigos de varios niveles de una jerarquía (véanse las columnas de nivel: 1 = el más alto, p. ej. sección de la ICCS): la cifra de un código ya incluye los códigos que tiene debajo, así que no sume filas de niveles distintos.',
    numbers: 'Las cifras se guardan tal como se publicaron, sin redondear; los formatos numéricos solo cambian cuántos decimales se muestran.',
    suppressed: 'Un valor vacío con el indicador CONF_STATUS está retenido por el control de divulgación (recuentos pequeños y las celdas que los revelarían).',
    retrieved: 'consultado el',
    rows: 'Filas',
    metadata: 'Metadatos de referencia',
    countryNote: 'Nota de país',
    version: 'versión',
  },
} as const;

/** Separates the flags (and the notes) in one CSV or XLSX cell; it never occurs inside a flag's meaning. */
export const FLAG_SEPARATOR = ' | ';

/** Where the answer is served from, for the absolute links it carries. */
export interface AnswerLinks {
  /** `https://host[:port]`: the request's protocol and host. */
  readonly origin: string;
  /** The instant the answer was made (ISO-8601). */
  readonly retrievedAt: string;
}

/** One headline concept of a metadata set (annotation HEADLINE in the MSD), in the answer's language. */
export interface HeadlineNote {
  /** The concept id, e.g. SERIES_BREAKS. */
  readonly id: string;
  /** The concept's name. */
  readonly name: string;
  /** Its text, or a coded value's label. */
  readonly text: string;
}

/** A metadata set's headline notes, with what names it: its version, release and where to read all of it. */
export interface FootnoteSet {
  readonly set: string;
  readonly version: string;
  readonly release: string | null;
  readonly name: string;
  readonly notes: readonly HeadlineNote[];
  /** The JSON API's metadata route for it (absolute). */
  readonly link: string;
}

export interface CountryFootnote extends FootnoteSet {
  readonly areaName: string | null;
}

/**
 * The headline notes of the reference metadata public at the answer's instant: the dataflow's
 * report and its country notes by area code (routes/api/dataflow-metadata.ts `headlineFootnotes`).
 */
export interface MetadataFootnotes {
  readonly report: FootnoteSet | null;
  readonly countryNotes: ReadonlyMap<string, CountryFootnote>;
}

/** Source, citation and licence, as every format states them; the headline metadata where known. */
export interface Provenance {
  readonly source: string | null;
  readonly citation: { readonly text: string; readonly permalink: string };
  readonly licence: { readonly text: string | null; readonly url: string | null } | null;
  /** The report's headline notes and the country notes of the areas the rows hold (in code order). */
  readonly metadata?: { readonly report: FootnoteSet | null; readonly countryNotes: readonly (CountryFootnote & { readonly area: string })[] };
}

/**
 * The answer's provenance: its source (release notes, else the dataflow description), a citation
 * whose permalink is absolute and pins the state of the data (asOf, or the release asked for),
 * and the licence where the structures give one; with `footnotes`, the report's headline notes
 * and the country notes of the areas the rows hold. Call it after the rows are written (it names
 * the releases they come from).
 */
export function provenanceOf(
  answer: ObservationsAnswer,
  links: AnswerLinks,
  footnotes?: { readonly metadata: MetadataFootnotes; readonly areas: ReadonlySet<string> },
): Provenance {
  const w = WORDS[answer.lang];
  const flowName = textOf(answer.dataflow.name, answer.lang) ?? answer.dataflow.id;
  const flowRef = `${answer.dataflow.agencyID}:${answer.dataflow.id}(${answer.dataflow.version})`;
  const permalink = `${links.origin}${answer.permalinkPath()}`;
  const releases = answer.contributedReleases().map((r) => r.code);
  const sources = answer.sources();
  const text =
    `${answer.agencyName}, ${flowName} (${flowRef})` +
    `${releases.length ? `, ${releases.length === 1 ? w.releaseWord : w.releases} ${releases.join(', ')}` : ''}, ${w.dataPublicAt} ${answer.asOf}. ${permalink} (${w.retrieved} ${links.retrievedAt.slice(0, 10)})`;
  const provenance = { source: sources.length ? sources.join('; ') : null, citation: { text, permalink }, licence: answer.licence() };
  if (!footnotes) return provenance;
  const { metadata, areas } = footnotes;
  const countryNotes = [...areas]
    .sort()
    .flatMap((area) => {
      const note = metadata.countryNotes.get(area);
      return note && note.notes.length ? [{ ...note, area }] : [];
    });
  return { ...provenance, metadata: { report: metadata.report, countryNotes } };
}

// ---- JSON ----

/**
 * The JSON document: head, `rows`, then what is known only once they are written (releases,
 * source, citation, licence, hints, paging).
 */
export function* observationsJson(answer: ObservationsAnswer, links: AnswerLinks): Generator<string> {
  const units = answer.units();
  const head = {
    dataflow: { agency: answer.dataflow.agencyID, id: answer.dataflow.id, version: answer.dataflow.version, name: textOf(answer.dataflow.name, answer.lang) },
    query: answer.request.echo,
    asOf: answer.asOf,
    lang: answer.lang,
    dimensions: answer.dimensions.map((d) => ({ id: d.id, name: d.name, ...(answer.levelDimensions().has(d.id) ? { levels: true } : {}) })),
    units,
  };
  let text = `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  let first = true;
  let returned = 0;
  const rowText = rowTexts(answer, units);
  for (const row of answer.rows()) {
    text += `${first ? '' : ','}${rowText(row)}`;
    first = false;
    returned += 1;
    if (text.length >= PIECE_CHARS) {
      yield text;
      text = '';
    }
  }
  const paging = { limit: answer.request.limit ?? null, returned, cursor: answer.nextCursor(), next: answer.nextLink() };
  const { source, citation, licence } = provenanceOf(answer, links);
  const tail = {
    releases: answer.contributedReleases().map(({ code, title, announcedAt }) => ({ code, title, announcedAt })),
    source,
    citation,
    licence,
    hints: answer.hints(returned),
    paging,
  };
  yield `${text}],${JSON.stringify(tail).slice(1)}`;
}

/**
 * A row as JSON text, what `JSON.stringify` gives of `{ key, period, dimensions, values }`, made
 * from pieces that recur: a row's dimensions are those of its key (rows come grouped by key),
 * and a few flag sets, attribute sets, units and releases recur across thousands of values. The
 * people's API spent most of an answer building and stringifying one object per row.
 */
function rowTexts(answer: ObservationsAnswer, units: readonly UnitColumn[]): (row: Row) => string {
  const levels = answer.levelDimensions();
  const quoted = new Map<string, string>();
  const q = (text: string) => {
    let json = quoted.get(text);
    if (json === undefined) quoted.set(text, (json = JSON.stringify(text)));
    return json;
  };
  // Kept by identity: the answer shares these objects between the cells that have them.
  const objects = new Map<object, string>();
  const json = (value: object) => {
    let text = objects.get(value);
    if (text === undefined) objects.set(value, (text = JSON.stringify(value)));
    return text;
  };
  const fields = units.map((u) => ({ unit: u.unit, name: `${q(u.field)}:`, unitJson: q(u.unit) }));
  let group: string | undefined;
  let groupHead = '';
  let groupDimensions = '';
  return (row) => {
    if (row.key !== group) {
      group = row.key;
      const codes = row.series.dimensions;
      const dimensions: Record<string, { id: string; name: string | null; level?: number }> = {};
      for (const d of answer.dimensions) {
        const code = codes[d.id];
        if (code !== undefined) dimensions[d.id] = { id: code, name: answer.dimensionLabel(d.id, code), ...(levels.has(d.id) ? { level: answer.level(d.id, code) } : {}) };
      }
      groupHead = `{"key":${JSON.stringify(row.key)},"period":`;
      groupDimensions = `,"dimensions":${JSON.stringify(dimensions)},"values":{`;
    }
    let values = '';
    for (const f of fields) {
      const cell = answer.cell(row, f.unit);
      if (!cell) continue;
      values +=
        `${values ? ',' : ''}${f.name}{"value":${cell.value === null ? 'null' : String(cell.value)},"unit":${f.unitJson},"seriesKey":${q(cell.seriesKey)},` +
        `"suppressed":${cell.suppressed},"flags":${json(cell.flags)},"attributes":${json(cell.attributes)},"release":${q(cell.release)}}`;
    }
    return `${groupHead}${q(row.period)}${groupDimensions}${values}}}`;
  };
}

// ---- CSV ----

/** Starts a CSV answer: a UTF-8 byte order mark, so that Excel reads accents right. */
export const CSV_BOM = '\uFEFF';

/**
 * CSV (RFC 4180, UTF-8 with a byte order mark, CRLF): per dimension its code and its label
 * (`REF_AREA`, `REF_AREA_label`; `OFFENCE_level` too when the rows mix levels), `TIME_PERIOD`,
 * then per value column the value (as published, unrounded), its flags in words, its other
 * attributes by name and its release (`count`, `count_flags`, `count_notes`, `count_release`);
 * several flags or notes in one cell are separated by " | ".
 */
/** `areas`, when given, collects the REF_AREA codes of the rows (for their country notes). */
export function* observationsCsv(answer: ObservationsAnswer, areas?: Set<string>): Generator<string> {
  const units = answer.units();
  const levels = answer.levelDimensions();
  const header = [
    ...answer.dimensions.flatMap((d) => [d.id, `${d.id}_label`, ...(levels.has(d.id) ? [`${d.id}_level`] : [])]),
    'TIME_PERIOD',
    ...units.flatMap((u) => [u.field, `${u.field}_flags`, `${u.field}_notes`, `${u.field}_release`]),
  ];
  let text = `${CSV_BOM}${header.map(csvField).join(',')}\r\n`;
  const collectAreas = areas !== undefined && answer.dimensions.some((d) => d.id === AREA_DIMENSION);
  for (const row of answer.rows()) {
    if (collectAreas) {
      const area = row.series.dimensions[AREA_DIMENSION];
      if (area !== undefined) areas.add(area);
    }
    text += `${tableRow(answer, row, units).map((v) => csvField(v === null ? '' : String(v))).join(',')}\r\n`;
    if (text.length >= PIECE_CHARS) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

/**
 * A CSV answer with footnotes (`footnotes=true`): the rows, a blank line, then a second table
 * `note,text` with the citation and the reference metadata's headline notes (the dataflow's
 * report, then the country notes of the areas in the rows), in the answer's language. Opt-in,
 * because a CSV reader that does not stop at the blank line would take the notes for rows.
 */
export function* observationsCsvWithFootnotes(answer: ObservationsAnswer, links: AnswerLinks, metadata: MetadataFootnotes | null): Generator<string> {
  const areas = new Set<string>();
  yield* observationsCsv(answer, areas);
  const w = WORDS[answer.lang];
  const { citation, source, metadata: headline } = provenanceOf(answer, links, metadata ? { metadata, areas } : undefined);
  const rows: [string, string][] = [[w.citation, citation.text], ...(source ? [[w.source, source] as [string, string]] : []), ...headlineRows(answer, headline)];
  yield `\r\n${['note', 'text'].join(',')}\r\n${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The headline notes as (item, text) rows, in the answer's language: the report's, then each area's country note. */
function headlineRows(answer: ObservationsAnswer, headline: Provenance['metadata']): [string, string][] {
  const w = WORDS[answer.lang];
  const named = (set: FootnoteSet) => `${set.name} — ${set.set}, ${w.version} ${set.version}${set.release ? ` (${w.releaseWord} ${set.release})` : ''}: ${set.link}`;
  const rows: [string, string][] = [];
  if (headline?.report) {
    rows.push([w.metadata, named(headline.report)]);
    for (const note of headline.report.notes) rows.push([note.name, note.text]);
  }
  for (const country of headline?.countryNotes ?? []) {
    rows.push([w.countryNote, `${country.areaName ? `${country.areaName} (${country.area})` : country.area}: ${named(country)}`]);
    for (const note of country.notes) rows.push([`${country.areaName ?? country.area}: ${note.name}`, note.text]);
  }
  return rows;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row as table cells, in the column order of CSV and XLSX. */
function tableRow(answer: ObservationsAnswer, row: Row, units: readonly UnitColumn[]): CellValue[] {
  const codes = row.series.dimensions;
  const levels = answer.levelDimensions();
  const out: CellValue[] = [];
  for (const d of answer.dimensions) {
    const code = codes[d.id] ?? null;
    out.push(code, code === null ? null : answer.dimensionLabel(d.id, code));
    if (levels.has(d.id)) out.push(code === null ? null : answer.level(d.id, code));
  }
  out.push(row.period);
  for (const u of units) {
    const cell = answer.cell(row, u.unit);
    if (!cell) {
      out.push(null, null, null, null);
      continue;
    }
    out.push(
      cell.value,
      cell.flags.map((f) => `${f.attribute} ${f.code}: ${f.meaning}`).join(FLAG_SEPARATOR) || null,
      Object.entries(cell.attributes).map(([k, v]) => `${answer.attributeName(k)}: ${v}`).join(FLAG_SEPARATOR) || null,
      cell.release,
    );
  }
  return out;
}

// ---- XLSX ----

/** Columns a row of the data sheet has (for the size check before writing). */
export function xlsxColumnCount(answer: ObservationsAnswer): number {
  return answer.dimensions.length * 2 + answer.levelDimensions().size + 1 + answer.units().length * 4;
}

/** Rows written between two turns of the event loop, so other requests are served meanwhile. */
const ROWS_PER_TURN = 2000;

/** How a value column's numbers are shown: counts with thousands separators, rates and percentages with 2 decimals. */
export const NUMBER_FORMATS = { count: '#,##0', countFraction: '#,##0.00', rate: '#,##0.00', percentage: '#,##0.00' } as const;

function numberFormat(field: string, value: CellValue): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (field === 'count') return Number.isInteger(value) ? NUMBER_FORMATS.count : NUMBER_FORMATS.countFraction;
  if (field === 'rate') return NUMBER_FORMATS.rate;
  if (field === 'percentage') return NUMBER_FORMATS.percentage;
  return undefined;
}

/** The dimension whose codes the country notes are about. */
const AREA_DIMENSION = 'REF_AREA';

/**
 * The workbook: a data sheet (headers in the language asked for, numbers as numbers with a
 * number format, a filter on the headers) and a notes sheet (dataflow, source, citation with
 * an absolute permalink, licence, the releases the figures come from, the value columns, hints,
 * the flags used, in words, then the headline notes of the reference metadata).
 *
 * `footnotes` is read once, after the rows (it may be fetched meanwhile): the report's headline
 * notes, and the country notes of the areas the rows hold; null or absent: no metadata rows.
 */
export async function writeObservationsXlsx(answer: ObservationsAnswer, out: Writable, links: AnswerLinks, footnotes?: Promise<MetadataFootnotes | null>): Promise<void> {
  const w = WORDS[answer.lang];
  const units = answer.units();
  const levels = answer.levelDimensions();
  const flowName = textOf(answer.dataflow.name, answer.lang) ?? answer.dataflow.id;
  const workbook = await xlsxWorkbook(out, { creator: answer.agencyName, title: flowName });
  const header = [
    ...answer.dimensions.flatMap((d) => [`${d.name ?? d.id} (${w.code})`, d.name ?? d.id, ...(levels.has(d.id) ? [`${d.name ?? d.id} (${w.level})`] : [])]),
    w.period,
    ...units.flatMap((u) => {
      const name = u.name ?? u.field;
      return [name, `${name}: ${w.flags}`, `${name}: ${w.notes}`, `${name}: ${w.release}`];
    }),
  ];
  // Which cell of a row holds which value column's number.
  const firstValue = answer.dimensions.length * 2 + levels.size + 1;
  const fieldAt = new Map(units.map((u, i) => [firstValue + i * 4, u.field]));
  const data = workbook.addSheet(w.data, header, { autoFilter: true });
  const flagsUsed = new Map<string, string>();
  // The areas of the rows, for their country notes (one Set insertion per row, only when notes are asked).
  const areas = new Set<string>();
  const collectAreas = footnotes !== undefined && answer.dimensions.some((d) => d.id === AREA_DIMENSION);
  let n = 0;
  for (const row of answer.rows()) {
    if (collectAreas) {
      const area = row.series.dimensions[AREA_DIMENSION];
      if (area !== undefined) areas.add(area);
    }
    const cells = tableRow(answer, row, units);
    data.addRow(
      cells,
      cells.map((v, i) => (fieldAt.has(i) ? numberFormat(fieldAt.get(i)!, v) : undefined)),
    );
    for (const u of units) for (const f of answer.cell(row, u.unit)?.flags ?? []) flagsUsed.set(`${f.attribute} ${f.code}`, f.meaning);
    n += 1;
    if (n % ROWS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  data.close();

  const notes = workbook.addSheet(w.notesSheet, [w.item, w.value], { widths: [28, 120] });
  const releases = answer.contributedReleases();
  const flowRef = `${answer.dataflow.agencyID}:${answer.dataflow.id}(${answer.dataflow.version})`;
  const metadata = footnotes ? await footnotes : null;
  const { source, citation, licence, metadata: headline } = provenanceOf(answer, links, metadata ? { metadata, areas } : undefined);
  notes.addRow([w.dataflow, `${flowName} — ${flowRef}`]);
  const description = textOf(answer.dataflow.description, answer.lang);
  if (description) notes.addRow(['', description]);
  if (source) notes.addRow([w.source, source]);
  notes.addRow([w.citation, citation.text]);
  notes.addRow([w.permalink, citation.permalink]);
  if (licence) notes.addRow([w.licence, [licence.text, licence.url].filter(Boolean).join(' — ')]);
  notes.addRow([w.asOf, answer.asOf]);
  notes.addRow([w.rows, n]);
  for (const r of releases) notes.addRow([w.releaseRow, `${r.code}: ${r.title ?? ''} (${r.announcedAt})`]);
  for (const u of units) notes.addRow([w.unit, `${u.name ?? u.field} = ${u.unit}`]);
  notes.addRow(['', w.numbers]);
  if (levels.size) notes.addRow([w.hint, w.levels]);
  for (const hint of answer.hints(n)) notes.addRow([w.hint, hint]);
  const flags = [...flagsUsed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [code, meaning] of flags) notes.addRow([w.flag, `${code}: ${meaning}`]);
  if (flags.some(([code]) => code.startsWith('CONF_STATUS '))) notes.addRow([w.flag, w.suppressed]);
  // How the figures are counted, where series break, what compares: the metadata's headline notes.
  for (const row of headlineRows(answer, headline)) notes.addRow(row);
  notes.close();
  await workbook.finish();
}

function textOf(text: Readonly<Record<string, string>> | undefined, lang: string): string | null {
  if (!text) return null;
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? null;
}
