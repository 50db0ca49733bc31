/**
 * The observations answer (services/data/observations.ts) written as JSON, CSV or XLSX. JSON
 * and CSV come out as text pieces, read from storage as they are pulled; XLSX is streamed into
 * a workbook (formats/xlsx.ts) with a data sheet and a notes sheet (source, citation, releases,
 * units and the flags used, in words).
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
    query: 'Query',
    asOf: 'Data as public at',
    releaseRow: 'Release',
    unit: 'Value column',
    flag: 'Flag',
    suppressed: 'An empty value with the flag CONF_STATUS is withheld by disclosure control (small counts and the cells that would reveal them).',
    retrieved: 'retrieved',
    rows: 'Rows',
  },
  es: {
    period: 'Período',
    code: 'código',
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
    query: 'Consulta',
    asOf: 'Datos públicos a',
    releaseRow: 'Publicación',
    unit: 'Columna de valores',
    flag: 'Indicador',
    suppressed: 'Un valor vacío con el indicador CONF_STATUS está retenido por el control de divulgación (recuentos pequeños y las celdas que los revelarían).',
    retrieved: 'consultado el',
    rows: 'Filas',
  },
} as const;

// ---- JSON ----

/** The JSON document: head, `rows`, then what is known only once they are written (releases, paging). */
export function* observationsJson(answer: ObservationsAnswer): Generator<string> {
  const units = answer.units();
  const head = {
    dataflow: { agency: answer.dataflow.agencyID, id: answer.dataflow.id, version: answer.dataflow.version, name: textOf(answer.dataflow.name, answer.lang) },
    query: answer.request.echo,
    asOf: answer.asOf,
    lang: answer.lang,
    dimensions: answer.dimensions.map((d) => ({ id: d.id, name: d.name })),
    units,
  };
  let text = `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  let first = true;
  let returned = 0;
  for (const row of answer.rows()) {
    text += `${first ? '' : ','}${JSON.stringify(rowJson(answer, row, units))}`;
    first = false;
    returned += 1;
    if (text.length >= PIECE_CHARS) {
      yield text;
      text = '';
    }
  }
  const paging = { limit: answer.request.limit ?? null, returned, cursor: answer.nextCursor(), next: answer.nextLink() };
  yield `${text}],"releases":${JSON.stringify(answer.contributedReleases().map(({ code, title, announcedAt }) => ({ code, title, announcedAt })))},"paging":${JSON.stringify(paging)}}`;
}

function rowJson(answer: ObservationsAnswer, row: Row, units: readonly UnitColumn[]) {
  const codes = row.series.dimensions;
  const dimensions: Record<string, { id: string; name: string | null }> = {};
  for (const d of answer.dimensions) {
    const code = codes[d.id];
    if (code !== undefined) dimensions[d.id] = { id: code, name: answer.dimensionLabel(d.id, code) };
  }
  const values: Record<string, Cell> = {};
  for (const u of units) {
    const cell = answer.cell(row, u.unit);
    if (cell) values[u.field] = cell;
  }
  return { key: row.key, period: row.period, dimensions, values };
}

// ---- CSV ----

/**
 * CSV (RFC 4180, UTF-8, CRLF): per dimension its code and its label (`REF_AREA`,
 * `REF_AREA_label`), `TIME_PERIOD`, then per value column the value, its flags in words, its
 * other attributes and its release (`count`, `count_flags`, `count_notes`, `count_release`).
 */
export function* observationsCsv(answer: ObservationsAnswer): Generator<string> {
  const units = answer.units();
  const header = [
    ...answer.dimensions.flatMap((d) => [d.id, `${d.id}_label`]),
    'TIME_PERIOD',
    ...units.flatMap((u) => [u.field, `${u.field}_flags`, `${u.field}_notes`, `${u.field}_release`]),
  ];
  let text = `${header.map(csvField).join(',')}\r\n`;
  for (const row of answer.rows()) {
    text += `${tableRow(answer, row, units).map((v) => csvField(v === null ? '' : String(v))).join(',')}\r\n`;
    if (text.length >= PIECE_CHARS) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row as table cells, in the column order of CSV and XLSX. */
function tableRow(answer: ObservationsAnswer, row: Row, units: readonly UnitColumn[]): CellValue[] {
  const codes = row.series.dimensions;
  const out: CellValue[] = [];
  for (const d of answer.dimensions) {
    const code = codes[d.id] ?? null;
    out.push(code, code === null ? null : answer.dimensionLabel(d.id, code));
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
      cell.flags.map((f) => `${f.attribute} ${f.code}: ${f.meaning}`).join('; ') || null,
      Object.entries(cell.attributes).map(([k, v]) => `${k}: ${v}`).join('; ') || null,
      cell.release,
    );
  }
  return out;
}

// ---- XLSX ----

/** Columns a row of the data sheet has (for the size check before writing). */
export function xlsxColumnCount(answer: ObservationsAnswer): number {
  return answer.dimensions.length * 2 + 1 + answer.units().length * 4;
}

/** Rows written between two turns of the event loop, so other requests are served meanwhile. */
const ROWS_PER_TURN = 2000;

/**
 * The workbook: a data sheet (headers in the language asked for, numbers as numbers) and a notes
 * sheet (dataflow, source and citation, the releases the figures come from, the value columns
 * and every flag used, in words).
 */
export async function writeObservationsXlsx(answer: ObservationsAnswer, out: Writable, links: { readonly query: string; readonly retrievedAt: string }): Promise<void> {
  const w = WORDS[answer.lang];
  const units = answer.units();
  const flowName = textOf(answer.dataflow.name, answer.lang) ?? answer.dataflow.id;
  const workbook = xlsxWorkbook(out, { creator: answer.agencyName, title: flowName });
  const header = [
    ...answer.dimensions.flatMap((d) => [`${d.name ?? d.id} (${w.code})`, d.name ?? d.id]),
    w.period,
    ...units.flatMap((u) => {
      const name = u.name ?? u.field;
      return [name, `${name}: ${w.flags}`, `${name}: ${w.notes}`, `${name}: ${w.release}`];
    }),
  ];
  const data = workbook.addSheet(w.data, header);
  const flagsUsed = new Map<string, string>();
  let n = 0;
  for (const row of answer.rows()) {
    data.addRow(tableRow(answer, row, units));
    for (const u of units) for (const f of answer.cell(row, u.unit)?.flags ?? []) flagsUsed.set(`${f.attribute} ${f.code}`, f.meaning);
    n += 1;
    if (n % ROWS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  data.close();

  const notes = workbook.addSheet(w.notesSheet, [w.item, w.value], [28, 120]);
  const releases = answer.contributedReleases();
  const flowRef = `${answer.dataflow.agencyID}:${answer.dataflow.id}(${answer.dataflow.version})`;
  notes.addRow([w.dataflow, `${flowName} — ${flowRef}`]);
  const description = textOf(answer.dataflow.description, answer.lang);
  if (description) notes.addRow(['', description]);
  for (const note of new Set(releases.map((r) => r.note).filter((x): x is string => !!x))) notes.addRow([w.source, note]);
  notes.addRow([w.citation, `${answer.agencyName}, ${flowName} (${flowRef})${releases.length ? `, ${releases.map((r) => r.code).join(', ')}` : ''}; ${w.retrieved} ${links.retrievedAt.slice(0, 10)}, ${links.query}`]);
  notes.addRow([w.query, links.query]);
  notes.addRow([w.asOf, answer.asOf]);
  notes.addRow([w.rows, n]);
  for (const r of releases) notes.addRow([w.releaseRow, `${r.code}: ${r.title ?? ''} (${r.announcedAt})`]);
  for (const u of units) notes.addRow([w.unit, `${u.name ?? u.field} = ${u.unit}`]);
  for (const [code, meaning] of [...flagsUsed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) notes.addRow([w.flag, `${code}: ${meaning}`]);
  notes.addRow([w.flag, w.suppressed]);
  notes.close();
  await workbook.finish();
}

function textOf(text: Readonly<Record<string, string>> | undefined, lang: string): string | null {
  if (!text) return null;
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? null;
}
