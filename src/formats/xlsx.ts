/**
 * Our one way to write an XLSX workbook, streamed: sheets of plain rows (text, numbers, empty
 * cells), written to a byte stream as they come, behind a small interface so the library
 * behind it (exceljs's streaming WorkbookWriter, a maintained writer that zips sheet XML as rows
 * are committed) can be replaced without touching the callers. Memory is bounded by the zip
 * buffers, not by the workbook.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export type CellValue = string | number | null;

export interface SheetWriter {
  /** Appends a row; `null` leaves the cell empty. */
  addRow(values: readonly CellValue[]): void;
  /** Ends the sheet (its rows are flushed); no row may follow. */
  close(): void;
}

export interface WorkbookWriter {
  /** Starts a sheet (the previous one must be closed) with a bold header row and column widths. */
  addSheet(name: string, header: readonly string[], widths?: readonly number[]): SheetWriter;
  /** Writes the rest of the workbook; resolves once every byte has gone to the stream. */
  finish(): Promise<void>;
}

/** The most rows a sheet holds (Excel's limit, the header row included). */
export const XLSX_MAX_ROWS = 1_048_576;

export function xlsxWorkbook(out: Writable, properties: { readonly creator: string; readonly title: string }): WorkbookWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = properties.creator;
  workbook.title = properties.title;
  workbook.created = new Date();
  return {
    addSheet(name, header, widths) {
      const sheet = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = header.map((h, i) => ({ header: h, width: widths?.[i] ?? Math.min(60, Math.max(10, h.length + 2)) }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      return {
        addRow(values) {
          sheet.addRow(values.map((v) => (v === null ? undefined : v))).commit();
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
