/**
 * Checks upload records against one dataflow's data structure and Allowed constraints, and turns
 * each valid record into the observation storage writes. Every rule reports into a ProblemLog
 * with the record's location; a record with any problem yields nothing, so an upload with
 * problems can never be half-stored.
 */
import { regionChecker } from '../../sdmx/allowed-content.js';
import type { Codelist, ContentConstraint, DataAttribute, DataStructure, TextFormat } from '../../sdmx/model.js';
import { periodRange } from '../../sdmx/time-period.js';
import type { UploadRecord } from '../records.js';
import { frequencyMismatch, isEventDate } from './periods.js';
import type { ProblemLog, Rule } from './problems.js';

export interface CheckContext {
  /** `AGENCY:ID(VERSION)` of the dataflow uploaded to. */
  readonly flowKey: string;
  /** `AGENCY:ID(VERSION)` of its DSD: a file may name either. */
  readonly dsdKey: string;
  readonly dsd: DataStructure;
  readonly codelistOf: (componentId: string) => Codelist | undefined;
  readonly constraints: readonly ContentConstraint[];
}

export interface CheckedObservation {
  /** Codes joined by `.` in DSD order. */
  readonly seriesKey: string;
  /** Dimension id → code in DSD order, time excluded. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timePeriod: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deleted: boolean;
  readonly at: string;
}

/** Columns that describe the message, not the data (SDMX-CSV 1.0/2.0). */
const MESSAGE_COLUMNS = new Set(['DATAFLOW', 'STRUCTURE', 'STRUCTURE_ID', 'ACTION']);
/** A whole series key in one column, as some national files carry it. */
const KEY_COLUMNS = new Set(['KEY', 'SERIES_KEY']);
/**
 * Column names that only record-level data has: a person, a case, an address. Aggregates are
 * counts by codes; a file with such columns is microdata, and confidential by nature.
 */
const RECORD_LEVEL =
  /(^|_)((person|victim|offender|suspect|accused|prisoner|inmate|case|record|file)_?(id|no|number|ref)|first_?name|last_?name|surname|full_?name|date_?of_?birth|birth_?date|dob|address|street|postcode|zip_?code|phone|e_?mail|passport|ssn|national_?id)(_|$)/i;
/** A decimal number as SDMX writes it (no hex, no Infinity, no thousands separators). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** OBS_STATUS codes that mean "no value" (Q: suppressed by disclosure control, as our own exports carry): the value may be absent or NaN. */
export const MISSING_STATUSES: ReadonlySet<string> = new Set(['M', 'L', 'O', 'Q']);
/**
 * Units whose values count persons or offences: never negative. Fractions are allowed: real
 * official counts can be estimates (Eurostat publishes France's 2010 assaults as 231909.06).
 */
export const COUNT_UNITS: ReadonlySet<string> = new Set(['NR']);

interface CodedComponent {
  readonly id: string;
  readonly codes: ReadonlySet<string> | undefined;
  readonly codelistId?: string;
}

export class DsdChecker {
  private readonly dimensionIds: readonly string[];
  private readonly timeId: string;
  private readonly measureId: string;
  private readonly known: ReadonlySet<string>;
  private readonly coded: readonly CodedComponent[];
  private readonly textFormats: ReadonlyMap<string, TextFormat>;
  private readonly mandatory: readonly DataAttribute[];
  private readonly datasetMandatory: readonly DataAttribute[];
  private readonly seenDatasetAttributes = new Set<string>();
  private readonly refusal: ReturnType<typeof regionChecker>;
  private readonly reportedColumns = new Set<string>();
  private readonly reportedStructures = new Set<string>();
  private readonly hasFreq: boolean;

  constructor(private readonly ctx: CheckContext) {
    const dsd = ctx.dsd;
    this.dimensionIds = dsd.dimensions.map((d) => d.id);
    this.timeId = dsd.timeDimension.id;
    this.measureId = dsd.primaryMeasure.id;
    this.known = new Set([...this.dimensionIds, this.timeId, this.measureId, ...dsd.attributes.map((a) => a.id)]);
    this.coded = [...dsd.dimensions, ...dsd.attributes].map((c) => {
      const cl = ctx.codelistOf(c.id);
      return { id: c.id, codes: cl ? new Set(cl.items.map((i) => i.id)) : undefined, codelistId: cl ? `${cl.agencyID}:${cl.id}(${cl.version})` : undefined };
    });
    this.textFormats = new Map(
      dsd.attributes.flatMap((a) => (a.localRepresentation?.textFormat && !a.localRepresentation.enumeration ? [[a.id, a.localRepresentation.textFormat] as const] : [])),
    );
    this.mandatory = dsd.attributes.filter((a) => a.assignmentStatus === 'Mandatory' && a.relationship.kind !== 'DataSet');
    this.datasetMandatory = dsd.attributes.filter((a) => a.assignmentStatus === 'Mandatory' && a.relationship.kind === 'DataSet');
    this.refusal = regionChecker(ctx.constraints);
    this.hasFreq = this.dimensionIds.includes('FREQ');
  }

  /** The observation a record stands for, or undefined after logging why it cannot be stored. */
  check(record: UploadRecord, log: ProblemLog): CheckedObservation | undefined {
    const before = log.total;
    const at = record.at;
    const report = (rule: Rule, message: string, component?: string, value?: string) => log.add({ at, rule, component, value, message });
    if (record.structure !== undefined) this.checkStructure(record.structure, at, log);

    const values: Record<string, string> = {};
    let keyRefused = false;
    for (const [column, raw] of Object.entries(record.values)) {
      const value = raw.trim();
      if (MESSAGE_COLUMNS.has(column) || value === '') continue;
      if (KEY_COLUMNS.has(column)) {
        keyRefused ||= !this.spreadKey(value, values, report);
        continue;
      }
      if (!this.known.has(column)) {
        this.reportColumn(column, value, at, log);
        continue;
      }
      values[column] = value;
    }

    const dimensions: Record<string, string> = {};
    // A refused KEY column already explains the missing codes.
    const missing = keyRefused ? [] : this.dimensionIds.filter((id) => values[id] === undefined);
    for (const id of missing) report('missing-dimension', `Dimension ${id} has no value: every observation needs a code for each of ${this.dimensionIds.join(', ')}`, id);
    for (const id of this.dimensionIds) if (values[id] !== undefined) dimensions[id] = values[id]!;

    let codesKnown = true;
    for (const c of this.coded) {
      const v = values[c.id];
      if (v === undefined || !c.codes || c.codes.has(v)) continue;
      codesKnown = false;
      report('unknown-code', `"${v}" is not a code of ${c.codelistId} (component ${c.id})`, c.id, v);
    }
    if (codesKnown && !keyRefused && missing.length === 0) {
      const refused = this.refusal(values);
      if (refused) {
        report(
          'not-allowed',
          refused.component
            ? `${refused.component} "${refused.value}" is outside the content allowed for ${this.ctx.flowKey}`
            : `The combination ${this.dimensionIds.map((id) => values[id]).join('.')} is outside the content allowed for ${this.ctx.flowKey}`,
          refused.component,
          refused.value,
        );
      }
    }

    const deleted = record.action === 'D';
    const period = this.checkPeriod(values, report);
    const value = deleted ? null : this.checkValue(values, report);
    if (!deleted) {
      for (const a of this.mandatory) {
        if (values[a.id] === undefined) report('missing-mandatory-attribute', `Attribute ${a.id} is mandatory and has no value`, a.id);
      }
    }
    for (const [id, format] of this.textFormats) {
      const v = values[id];
      if (v !== undefined && format.maxLength !== undefined && v.length > format.maxLength) {
        report('not-allowed', `${id} is ${v.length} characters long; at most ${format.maxLength} are allowed`, id, `${v.slice(0, 40)}…`);
      }
    }
    for (const a of this.datasetMandatory) if (values[a.id] !== undefined) this.seenDatasetAttributes.add(a.id);

    if (log.total !== before || !period || value === undefined) return undefined;
    const attributes: Record<string, string> = {};
    for (const a of this.ctx.dsd.attributes) if (values[a.id] !== undefined) attributes[a.id] = values[a.id]!;
    return {
      seriesKey: this.dimensionIds.map((id) => dimensions[id]).join('.'),
      dimensions,
      timePeriod: period.text,
      periodStart: period.start,
      periodEnd: period.end,
      value,
      attributes,
      deleted,
      at,
    };
  }

  /** Checks that need the whole file: data-set level mandatory attributes. */
  finish(log: ProblemLog): void {
    for (const a of this.datasetMandatory) {
      if (!this.seenDatasetAttributes.has(a.id)) log.add({ at: 'file', rule: 'missing-mandatory-attribute', component: a.id, message: `Data-set attribute ${a.id} is mandatory and has no value anywhere in the file` });
    }
  }

  private checkStructure(declared: string, at: string, log: ProblemLog): void {
    const ref = artefactKeyOf(declared);
    if (ref === this.ctx.flowKey || ref === this.ctx.dsdKey || this.reportedStructures.has(declared)) return;
    this.reportedStructures.add(declared);
    log.add({
      at,
      rule: 'wrong-structure',
      value: declared,
      message: `The file declares its data as ${declared}, but it is being uploaded to ${this.ctx.flowKey} (structure ${this.ctx.dsdKey})`,
    });
  }

  /** Spreads a whole series key over the dimensions; false (reported) when its arity is wrong. */
  private spreadKey(key: string, into: Record<string, string>, report: (rule: Rule, message: string, component?: string, value?: string) => void): boolean {
    const parts = key.split('.');
    if (parts.length !== this.dimensionIds.length) {
      report('series-key-arity', `Series key "${key}" has ${parts.length} parts; ${this.ctx.dsdKey} has ${this.dimensionIds.length} dimensions (${this.dimensionIds.join('.')})`, 'KEY', key);
      return false;
    }
    parts.forEach((code, i) => {
      if (code !== '') into[this.dimensionIds[i]!] = code;
    });
    return true;
  }

  /** Unknown columns are reported once per file, not once per row. */
  private reportColumn(column: string, value: string, at: string, log: ProblemLog): void {
    if (this.reportedColumns.has(column)) return;
    this.reportedColumns.add(column);
    if (RECORD_LEVEL.test(column)) {
      log.add({
        at,
        rule: 'microdata',
        component: column,
        message: `Column ${column} holds record-level data (persons or cases); only aggregates of ${this.ctx.dsdKey} may be uploaded`,
      });
      return;
    }
    log.add({
      at,
      rule: 'unknown-component',
      component: column,
      value,
      message: `${this.ctx.dsdKey} has no component ${column}; its components are ${[...this.known].join(', ')}`,
    });
  }

  private checkPeriod(values: Readonly<Record<string, string>>, report: (rule: Rule, message: string, component?: string, value?: string) => void) {
    const text = values[this.timeId];
    if (text === undefined) {
      report('missing-dimension', `${this.timeId} has no value`, this.timeId);
      return undefined;
    }
    const range = periodRange(text);
    if (!range) {
      report('malformed-period', `"${text}" is not an SDMX time period (e.g. 2023, 2023-Q1, 2023-03, 2023-03-31)`, this.timeId, text);
      return undefined;
    }
    const freq = this.hasFreq ? values['FREQ'] : undefined;
    if (freq !== undefined) {
      if (freq !== 'D' && isEventDate(text)) {
        report('microdata', `${this.timeId} "${text}" dates a single event; aggregates for FREQ ${freq} need a period such as ${freq === 'A' ? '2023' : '2023-Q1'}`, this.timeId, text);
        return undefined;
      }
      const mismatch = frequencyMismatch(freq, text);
      if (mismatch) {
        report('period-frequency', mismatch, this.timeId, text);
        return undefined;
      }
    }
    return { text, start: range.start, end: range.end };
  }

  /** The numeric value, null for an explained missing value, undefined after a problem. */
  private checkValue(values: Readonly<Record<string, string>>, report: (rule: Rule, message: string, component?: string, value?: string) => void): number | null | undefined {
    const text = values[this.measureId];
    const status = values['OBS_STATUS'];
    const explainedMissing = status !== undefined && MISSING_STATUSES.has(status);
    if (text === undefined || text === 'NaN') {
      if (explainedMissing) return null;
      report('missing-value', `${this.measureId} has no value; a missing value needs OBS_STATUS ${[...MISSING_STATUSES].join(', ')}`, this.measureId, text);
      return undefined;
    }
    if (!DECIMAL.test(text)) {
      report('not-numeric', `${this.measureId} "${text}" is not a number (use a dot for decimals and no thousands separators)`, this.measureId, text);
      return undefined;
    }
    const value = Number(text);
    const unit = values['UNIT_MEASURE'];
    if (unit !== undefined && COUNT_UNITS.has(unit) && value < 0) {
      report('not-a-count', `${this.measureId} "${text}" is negative, but UNIT_MEASURE ${unit} counts persons or offences`, this.measureId, text);
      return undefined;
    }
    return value;
  }
}

/** `AGENCY:ID(VERSION)` out of a reference as files write it: that form, or an SDMX URN. */
export function artefactKeyOf(reference: string): string {
  const urn = /=([^:=]+):([^(]+)\(([^)]+)\)$/.exec(reference);
  return urn ? `${urn[1]}:${urn[2]}(${urn[3]})` : reference;
}
