/**
 * `CoreRepresentation` / `LocalRepresentation` in SDMX-ML 3.0 (SDMXStructureBase.xsd
 * RepresentationType and its restrictions). A coded representation is an `Enumeration` holding
 * the codelist URN; otherwise a `TextFormat` keeps the model's textType and facets.
 *
 * Each context allows different facets, and a facet the context prohibits makes the message
 * invalid, so facets are filtered rather than copied blindly:
 * - `basic` (attributes, measures, concept core representation): every facet we model;
 * - `simple` (dimensions): the same (only isMultiLingual is prohibited, which we never write);
 * - `time` (the time dimension): textType only, and it must be a time type
 *   (TimeTextFormatType); anything else falls back to ObservationalTimePeriod;
 * - `coded` (EnumerationFormat beside an Enumeration): CodeDataType text types, integer
 *   min/max values (CodedTextFormatType).
 */
import type { Representation, TextFormat } from '../model.js';
import { urn30 } from '../urn30.js';
import { el, textEl, type AttrValue, type XmlElement } from './xml-text.js';

export type FormatContext = 'basic' | 'simple' | 'time' | 'coded';

/** common:TimeDataType */
const TIME_TYPES = new Set([
  'ObservationalTimePeriod', 'StandardTimePeriod', 'BasicTimePeriod', 'GregorianTimePeriod', 'GregorianYear',
  'GregorianYearMonth', 'GregorianDay', 'ReportingTimePeriod', 'ReportingYear', 'ReportingSemester',
  'ReportingTrimester', 'ReportingQuarter', 'ReportingMonth', 'ReportingWeek', 'ReportingDay', 'DateTime', 'TimeRange',
]);

/** Text types of our model that structure:CodeDataType excludes. */
const NOT_CODE_TYPES = new Set(['Decimal', 'Double', 'DateTime', 'Float']);

/** xs:decimal lexical form (String(1e21) would give an exponent, which xs:decimal rejects). */
function decimal(n: number | undefined): string | undefined {
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

function positiveInteger(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

function textFormatAttrs(f: TextFormat, ctx: FormatContext): Record<string, AttrValue> | undefined {
  if (ctx === 'time') {
    return { textType: f.textType && TIME_TYPES.has(f.textType) ? f.textType : 'ObservationalTimePeriod' };
  }
  if (ctx === 'coded') {
    if (f.textType && NOT_CODE_TYPES.has(f.textType)) return undefined;
    const int = (n: number | undefined) => (n !== undefined && Number.isInteger(n) ? decimal(n) : undefined);
    return {
      textType: f.textType,
      minLength: positiveInteger(f.minLength),
      maxLength: positiveInteger(f.maxLength),
      minValue: int(f.minValue),
      maxValue: int(f.maxValue),
      pattern: f.pattern,
    };
  }
  return {
    textType: f.textType,
    minLength: positiveInteger(f.minLength),
    maxLength: positiveInteger(f.maxLength),
    minValue: decimal(f.minValue),
    maxValue: decimal(f.maxValue),
    pattern: f.pattern,
  };
}

/**
 * The representation element (`structure:LocalRepresentation` or `structure:CoreRepresentation`),
 * or undefined when there is nothing to say. For the time dimension, whose representation the
 * XSD requires, pass `ctx = 'time'`: a missing format becomes ObservationalTimePeriod.
 */
export function representationEl(
  tag: 'structure:LocalRepresentation' | 'structure:CoreRepresentation',
  r: Representation | undefined,
  ctx: FormatContext,
): XmlElement | undefined {
  if (ctx === 'time') {
    return el(tag, {}, el('structure:TextFormat', textFormatAttrs(r?.textFormat ?? {}, 'time')));
  }
  if (r?.enumeration) {
    const coded = r.textFormat ? textFormatAttrs(r.textFormat, 'coded') : undefined;
    const hasFacet = coded && Object.values(coded).some((v) => v !== undefined);
    return el(
      tag,
      {},
      textEl('structure:Enumeration', urn30(r.enumeration)),
      hasFacet && el('structure:EnumerationFormat', coded),
    );
  }
  if (r?.textFormat) {
    return el(tag, {}, el('structure:TextFormat', textFormatAttrs(r.textFormat, ctx)));
  }
  return undefined;
}
