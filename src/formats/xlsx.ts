/**
 * Our one way to write an XLSX workbook, streamed: sheets of plain rows (text, numbers, empty
 * cells), written to a byte stream as they come, behind a small interface so the library
 * behind it (exceljs's streaming WorkbookWriter, a maintained writer that zips sheet XML as rows
 * are committed) can be replaced without touching the callers. Memory is bounded by the zip
 * buffers, not by the workbook.
 */
import type { Writable } from 'node:stream';

/**
 * exceljs is loaded at the first workbook, not at start-up: it holds about 30 MB of a process
 * that may never write one (bench: the idle server's RSS), and a workbook is rare next to CSV.
 */
let excel: Promise<typeof import('exceljs')> | undefined;
const loadExcel = () => (excel ??= import('exceljs').then((m) => ('default' in m ? (m.default as typeof import('exceljs')) : m)));

export type CellValue = string | number | null;

export interface SheetWriter {
  /**
   * Appends a row; `null` leaves the cell empty. `numberFormats[i]` is the Excel number format of
   * the i-th cell (e.g. `#,##0.00`): how the number is shown, never what is stored.
   */
  addRow(values: readonly CellValue[], numberFormats?: readonly (string | undefined)[]): void;
  /** Ends the sheet (its rows are flushed); no row may follow. */
  close(): void;
}

export interface SheetOptions {
  /** Column widths, in characters (default from the header). */
  readonly widths?: readonly number[];
  /** A filter button on every header cell. */
  readonly autoFilter?: boolean;
}

export interface WorkbookWriter {
  /** Starts a sheet (the previous one must be closed) with a bold, frozen header row. */
  addSheet(name: string, header: readonly string[], options?: SheetOptions): SheetWriter;
  /** Writes the rest of the workbook; resolves once every byte has gone to the stream. */
  finish(): Promise<void>;
}

/** The most rows a sheet holds (Excel's limit, the header row included). */
export const XLSX_MAX_ROWS = 1_048_576;

export async function xlsxWorkbook(out: Writable, properties: { readonly creator: string; readonly title: string }): Promise<WorkbookWriter> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = properties.creator;
  workbook.title = properties.title;
  workbook.created = new Date();
  return {
    addSheet(name, header, options = {}) {
      const sheet = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = header.map((h, i) => ({ header: h, width: options.widths?.[i] ?? Math.min(60, Math.max(10, h.length + 2)) }));
      if (options.autoFilter && header.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      return {
        addRow(values, numberFormats) {
          const row = sheet.addRow(values.map((v) => (v === null ? undefined : v)));
          if (numberFormats) {
            numberFormats.forEach((format, i) => {
              if (format !== undefined && typeof values[i] === 'number') row.getCell(i + 1).numFmt = format;
            });
          }
          row.commit();
        },
        close() {
          sheet.commit();
        },
      };
    },
    async finish() {
      await workbook.commit();
    },
  };
}
