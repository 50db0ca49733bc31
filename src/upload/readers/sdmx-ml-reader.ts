/**
 * SDMX-ML data messages into records: 2.1 generic (GenericData, GenericTimeSeriesData), 2.1
 * structure-specific (StructureSpecificData, ...TimeSeriesData) and 3.0 structure-specific.
 *
 * Each observation becomes one record holding, in this order of precedence (later wins): data
 * set attributes, group attributes (ml-groups.ts), the series key and series attributes, then
 * the observation's own values (dimension at observation, OBS_VALUE, attributes). Flat data
 * sets (Obs directly under DataSet) hold full keys in each Obs.
 * - generic: `ObsDimension` without an id is the header's `dimensionAtObservation` for the data
 *   set's structure (TIME_PERIOD when none is said); `ObsValue` is OBS_VALUE.
 * - structure-specific: unprefixed XML attributes are component values; prefixed ones
 *   (`xsi:type`, `ss:structureRef`...) are not. 3.0 complex values (`Comp` children) and
 *   annotations are not read.
 * - structure: the header `Structure` whose structureID the data set names (or the only one),
 *   as AGENCY:ID(VERSION); action: the data set's `action`, else the header's DataSetAction.
 * Record locations: `Series 3, Obs 2` or `Obs 17` (flat), prefixed `DataSet 2, ` from the
 * second data set on.
 */
import { UploadFormatError, type UploadAction, type UploadFormat, type UploadRecord } from '../records.js';
import { GroupAttributes } from './ml-groups.js';
import { ML_NS, actionLetter, mlRootFormat } from './ml-message.js';
import { refFromParts, refFromUrn } from './structure-ref.js';
import type { TextParser } from './text-parser.js';
import { XmlTokenizer, attribute, type XmlAttributes, type XmlHandler } from './xml-tokenizer.js';

interface HeaderStructure {
  ref?: string;
  dimensionAtObservation: string;
}

interface DataSetState {
  readonly prefix: string;
  readonly structure?: string;
  readonly action?: UploadAction;
  readonly dimensionAtObservation: string;
  readonly attributes: Record<string, string>;
  readonly groups: GroupAttributes;
  series: number;
  /** Observations in the current series, or directly under the data set. */
  obs: number;
}

type Values = Record<string, string>;

/** XML attributes of a structure-specific DataSet that are its own, not DSD attributes. */
const DATA_SET_OWN = new Set([
  'structureRef', 'setID', 'action', 'reportingBeginDate', 'reportingEndDate', 'validFromDate', 'validToDate',
  'publicationYear', 'publicationPeriod', 'dataScope',
]);

export function sdmxMlParser(format: UploadFormat, out: UploadRecord[]): TextParser {
  const reader = new MlReader(format, out);
  const tokenizer = new XmlTokenizer(reader);
  reader.tokenizer = tokenizer;
  return { write: (text) => tokenizer.write(text), end: () => tokenizer.end() };
}

class MlReader implements XmlHandler {
  tokenizer!: XmlTokenizer;
  wantText = false;
  private depth = 0;
  private generic = false;
  private inHeader = false;
  private readonly structures = new Map<string, HeaderStructure>();
  private headerStructure: (HeaderStructure & { id: string }) | undefined;
  private headerAction: UploadAction | undefined;
  private collected = '';
  private dataSets = 0;
  private dataSet: DataSetState | undefined;
  // generic message state
  private target: Values | undefined;
  private group: { type: string; dimensions: Values; attributes: Values } | undefined;
  private series: { key: Values; attributes: Values; base?: Values } | undefined;
  private obs: Values | undefined;
  // structure-specific message state
  private seriesBase: Values | undefined;

  constructor(
    private readonly format: UploadFormat,
    private readonly out: UploadRecord[],
  ) {}

  open(local: string, uri: string, attrs: XmlAttributes): void {
    const depth = ++this.depth;
    if (depth === 1) return this.root(local, uri);
    if (depth === 2) {
      if (uri !== ML_NS.message21 && uri !== ML_NS.message30) return;
      if (local === 'Header') this.inHeader = true;
      else if (local === 'DataSet') this.startDataSet(attrs);
      return;
    }
    if (this.inHeader) return this.headerOpen(local, attrs, depth);
    if (!this.dataSet) return;
    if (this.generic) {
      if (uri === ML_NS.generic21) this.genericOpen(local, attrs);
    } else this.structureSpecificOpen(local, attrs, depth);
  }

  close(local: string, uri: string): void {
    const depth = this.depth--;
    if (depth === 2) {
      this.inHeader = false;
      this.dataSet = undefined;
      return;
    }
    if (this.inHeader) return this.headerClose(local, depth);
    if (this.dataSet && this.generic && uri === ML_NS.generic21) this.genericClose(local);
    else if (this.dataSet && local === 'Series') this.seriesBase = undefined;
  }

  text(text: string): void {
    this.collected += text;
  }

  private fail(message: string): never {
    throw new UploadFormatError(message, this.tokenizer.where());
  }

  private root(local: string, uri: string): void {
    const found = mlRootFormat(local, uri);
    if ('error' in found) this.fail(found.error);
    if (found.format !== this.format) this.fail(`the file is ${found.format} (root <${local}>), not ${this.format}`);
    this.generic = found.format === 'sdmx-ml-2.1-generic';
  }

  // --- header: the structures data sets refer to, and the default action

  private headerOpen(local: string, attrs: XmlAttributes, depth: number): void {
    if (depth === 3 && local === 'Structure') {
      this.headerStructure = {
        id: attribute(attrs, 'structureID') ?? '',
        dimensionAtObservation: attribute(attrs, 'dimensionAtObservation') || 'TIME_PERIOD',
      };
    } else if (depth === 3 && local === 'DataSetAction') {
      this.startText();
    } else if (depth === 4 && this.headerStructure) {
      this.startText();
    } else if (depth === 5 && this.headerStructure && local === 'Ref') {
      this.headerStructure.ref = refFromParts(attribute(attrs, 'agencyID'), attribute(attrs, 'id'), attribute(attrs, 'version'));
    }
  }

  private headerClose(local: string, depth: number): void {
    if (depth === 3 && local === 'Structure' && this.headerStructure) {
      const { id, ...structure } = this.headerStructure;
      this.structures.set(id, structure);
      this.headerStructure = undefined;
    } else if (depth === 3 && local === 'DataSetAction') {
      const action = this.endText();
      this.headerAction = actionLetter(action);
      if (!this.headerAction) this.fail(`unknown DataSetAction ${JSON.stringify(action)}`);
    } else if (depth === 4 && this.headerStructure) {
      const urn = this.endText();
      if (this.headerStructure.ref === undefined && urn !== '') this.headerStructure.ref = refFromUrn(urn);
    }
  }

  private startText(): void {
    this.collected = '';
    this.wantText = true;
  }

  private endText(): string {
    this.wantText = false;
    return this.collected.trim();
  }

  // --- data sets

  private startDataSet(attrs: XmlAttributes): void {
    this.dataSets++;
    let structureRef: string | undefined;
    let action: string | undefined;
    const attributes: Values = {};
    for (let i = 0; i < attrs.length; i += 2) {
      const name = attrs[i]!;
      const value = attrs[i + 1]!;
      const colon = name.indexOf(':');
      const local = colon === -1 ? name : name.slice(colon + 1);
      if (local === 'structureRef') structureRef = value;
      else if (local === 'action') action = value;
      // structure-specific data sets give DSD attributes unqualified, their own ones (some
      // writers forget the namespace) are set apart by name
      else if (colon === -1 && !this.generic && !DATA_SET_OWN.has(name) && value !== '') attributes[name] = value;
    }
    let header = structureRef === undefined ? undefined : this.structures.get(structureRef);
    // a reference the header does not declare (a writer's slip): the header's only structure
    if (!header && this.structures.size === 1) header = this.structures.values().next().value;
    if (!header && structureRef !== undefined && this.structures.size > 1) {
      this.fail(`the data set refers to structure ${JSON.stringify(structureRef)}, which the header does not declare`);
    }
    const letter = action === undefined ? this.headerAction : actionLetter(action);
    if (action !== undefined && !letter) this.fail(`unknown data set action ${JSON.stringify(action)}`);
    this.dataSet = {
      prefix: this.dataSets > 1 ? `DataSet ${this.dataSets}, ` : '',
      structure: header?.ref,
      action: letter,
      dimensionAtObservation: header?.dimensionAtObservation ?? 'TIME_PERIOD',
      attributes,
      groups: new GroupAttributes(),
      series: 0,
      obs: 0,
    };
    this.series = undefined;
    this.seriesBase = undefined;
  }

  private emit(values: Values): void {
    const ds = this.dataSet!;
    const inSeries = this.generic ? this.series !== undefined : this.seriesBase !== undefined;
    const record: { values: Values; at: string; action?: UploadAction; structure?: string } = {
      values,
      at: inSeries ? `${ds.prefix}Series ${ds.series}, Obs ${ds.obs}` : `${ds.prefix}Obs ${ds.obs}`,
    };
    if (ds.action) record.action = ds.action;
    if (ds.structure) record.structure = ds.structure;
    this.out.push(record);
  }

  // --- generic: values in generic:Value elements under keys and Attributes

  private genericOpen(local: string, attrs: XmlAttributes): void {
    const ds = this.dataSet!;
    switch (local) {
      case 'Value': {
        if (!this.target) this.fail('generic:Value outside a key or Attributes');
        const id = attribute(attrs, 'id');
        if (!id) this.fail('generic:Value without an id');
        const value = attribute(attrs, 'value');
        if (value) this.target[id] = value;
        return;
      }
      case 'Obs':
        ds.obs++;
        this.obs = Object.assign({}, this.series ? this.seriesValues(this.series) : ds.attributes);
        return;
      case 'ObsDimension':
      case 'ObsValue': {
        if (!this.obs) this.fail(`generic:${local} outside generic:Obs`);
        const value = attribute(attrs, 'value');
        if (value) this.obs[attribute(attrs, 'id') || (local === 'ObsValue' ? 'OBS_VALUE' : ds.dimensionAtObservation)] = value;
        return;
      }
      case 'ObsKey':
        this.target = this.obs;
        return;
      case 'Attributes':
        this.target = this.obs ?? this.series?.attributes ?? this.group?.attributes ?? ds.attributes;
        return;
      case 'Series':
        ds.series++;
        ds.obs = 0;
        this.series = { key: {}, attributes: {} };
        return;
      case 'SeriesKey':
        this.target = this.series?.key;
        return;
      case 'Group':
        this.group = { type: attribute(attrs, 'type') ?? '', dimensions: {}, attributes: {} };
        return;
      case 'GroupKey':
        this.target = this.group?.dimensions;
        return;
    }
  }

  private genericClose(local: string): void {
    switch (local) {
      case 'Obs':
        this.emit(this.obs!);
        this.obs = undefined;
        return;
      case 'Series':
        this.series = undefined;
        this.dataSet!.obs = 0;
        return;
      case 'Group':
        this.dataSet!.groups.addKeyed(this.group!.type, this.group!.dimensions, this.group!.attributes);
        this.group = undefined;
        return;
      case 'ObsKey':
      case 'SeriesKey':
      case 'GroupKey':
      case 'Attributes':
        this.target = undefined;
    }
  }

  /** What every observation of the series starts from; computed at its first observation. */
  private seriesValues(series: { key: Values; attributes: Values; base?: Values }): Values {
    const ds = this.dataSet!;
    series.base ??= { ...ds.attributes, ...ds.groups.attributesOf(series.key), ...series.key, ...series.attributes };
    return series.base;
  }

  // --- structure-specific: values in unprefixed XML attributes

  private structureSpecificOpen(local: string, attrs: XmlAttributes, depth: number): void {
    const ds = this.dataSet!;
    if (local === 'Obs' && (depth === 3 || (depth === 4 && this.seriesBase))) {
      ds.obs++;
      // Object.assign, not spread: V8 copies a spread object much slower into one that then grows
      const values = Object.assign({}, depth === 4 ? this.seriesBase : ds.attributes);
      addComponentValues(values, attrs);
      this.emit(values);
    } else if (depth !== 3) {
      return;
    } else if (local === 'Series') {
      ds.series++;
      ds.obs = 0;
      const key = addComponentValues({}, attrs);
      this.seriesBase = { ...ds.attributes, ...ds.groups.attributesOf(key), ...key };
    } else if (local === 'Group') {
      let type = '';
      for (let i = 0; i < attrs.length; i += 2) if (attrs[i]!.endsWith(':type')) type = attrs[i + 1]!;
      ds.groups.addMixed(type, addComponentValues({}, attrs));
    }
  }
}

/** Unprefixed, non-empty XML attributes: the component values of a structure-specific element. */
function addComponentValues(values: Values, attrs: XmlAttributes): Values {
  for (let i = 0; i < attrs.length; i += 2) {
    const name = attrs[i]!;
    const value = attrs[i + 1]!;
    if (value !== '' && name.indexOf(':') === -1) values[name] = value;
  }
  return values;
}

