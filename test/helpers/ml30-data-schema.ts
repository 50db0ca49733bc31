/**
 * A dataflow-specific schema for SDMX-ML 3.0 structure-specific data, generated from a DSD for
 * tests. A structure-specific DataSet is abstract and typed with `xsi:type`, so a message only
 * validates together with such a schema (modelled on the official sample ECB_EXR_Dataflow.xsd):
 * codes as enumerations, TIME_PERIOD as an observational time period, the measure as xs:double,
 * each component on Series or Obs by its attachment, the namespace the message header names.
 * Attributes are optional because `attributes=none` and `dataonly` leave out mandatory ones.
 * `wrapperFor(view)` writes it once per observation dimension with a wrapper schema that imports
 * it beside the official SDMXMessage.xsd, for validateXml (test/helpers/validate.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Codelist, Component, DataStructure } from '../../src/sdmx/model.js';
import { XSD_DIR } from './shared.js';

const XSD30 = XSD_DIR.v30;

function simpleType(dsd: DataStructure, c: Component, codelist: Codelist | undefined): string {
  if (codelist) return `<xs:simpleType name="${c.id}_T"><xs:restriction base="xs:string">${codelist.items.map((i) => `<xs:enumeration value="${i.id}"/>`).join('')}</xs:restriction></xs:simpleType>`;
  if (c.id === dsd.timeDimension.id) return `<xs:simpleType name="${c.id}_T"><xs:restriction base="common:ObservationalTimePeriodType"/></xs:simpleType>`;
  const max = c.localRepresentation?.textFormat?.maxLength;
  return `<xs:simpleType name="${c.id}_T"><xs:restriction base="xs:string">${max ? `<xs:maxLength value="${max}"/>` : ''}</xs:restriction></xs:simpleType>`;
}

/** The schema of `dsd`'s data with `view` at observation level (a dimension id or AllDimensions). */
export function ml30DataSchema(dsd: DataStructure, codelistOf: (c: Component) => Codelist | undefined, view: string, ns: string): string {
  const time = dsd.timeDimension.id;
  const dims = [...dsd.dimensions.map((d) => d.id), time];
  const flat = view === 'AllDimensions';
  const seriesDims = flat ? [] : dims.filter((d) => d !== view);
  const obsDims = flat ? dims : [view];
  // An attribute sits on the series when the dimensions it depends on leave out the observation dimension.
  const onSeries = (a: DataStructure['attributes'][number]) => !flat && a.relationship.kind === 'Dimensions' && !a.relationship.dimensions.includes(view);
  const attr = (id: string, use: 'required' | 'optional') => `<xs:attribute name="${id}" type="${id}_T" use="${use}"/>`;
  const prohibitTime = '<xs:attribute name="TIME_PERIOD" use="prohibited"/>';
  const components: Component[] = [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes];
  return `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific"
  xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common" xmlns="${ns}" targetNamespace="${ns}"
  elementFormDefault="qualified" attributeFormDefault="unqualified">
<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common" schemaLocation="${path.join(XSD30, 'SDMXCommon.xsd')}"/>
<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific" schemaLocation="${path.join(XSD30, 'SDMXDataStructureSpecific.xsd')}"/>
${components.map((c) => simpleType(dsd, c, codelistOf(c))).join('\n')}
<xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="ss:DataSetType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
  <xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>
  <xs:choice minOccurs="0" maxOccurs="unbounded">
    ${flat ? '<xs:element name="Obs" type="ObsType" form="unqualified"/>' : '<xs:element name="Series" type="SeriesType" form="unqualified"/>'}
  </xs:choice>
</xs:sequence></xs:restriction></xs:complexContent></xs:complexType>
${
  flat
    ? ''
    : `<xs:complexType name="SeriesType"><xs:complexContent><xs:restriction base="ss:SeriesType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
  <xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0" maxOccurs="unbounded"/>
</xs:sequence>
${seriesDims.map((d) => attr(d, 'required')).join('\n')}
${dsd.attributes.filter(onSeries).map((a) => attr(a.id, 'optional')).join('\n')}
${view === time ? prohibitTime : ''}
</xs:restriction></xs:complexContent></xs:complexType>`
}
<xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="ss:ObsType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
</xs:sequence>
${obsDims.map((d) => attr(d, 'required')).join('\n')}
<xs:attribute name="${dsd.primaryMeasure.id}" type="xs:double" use="optional"/>
${dsd.attributes.filter((a) => !onSeries(a)).map((a) => attr(a.id, 'optional')).join('\n')}
${!flat && view !== time ? prohibitTime : ''}
</xs:restriction></xs:complexContent></xs:complexType>
</xs:schema>
`;
}

/** Schema files in a temporary folder, one per observation dimension; `remove()` deletes them. */
export function ml30DataSchemas(dsd: DataStructure, codelistOf: (c: Component) => Codelist | undefined, flowUrn: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sdmx30-dsd-'));
  const wrappers = new Map<string, string>();
  return {
    dir,
    /** The wrapper schema (official message + this flow's schema) for one observation dimension. */
    wrapperFor(view: string): string {
      const known = wrappers.get(view);
      if (known) return known;
      const ns = `${flowUrn}:ObsLevelDim:${view}`;
      const dsdFile = path.join(dir, `${dsd.id}_${view}.xsd`);
      writeFileSync(dsdFile, ml30DataSchema(dsd, codelistOf, view, ns));
      const wrapper = path.join(dir, `wrapper_${view}.xsd`);
      writeFileSync(
        wrapper,
        `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:wrapper" elementFormDefault="qualified">
  <xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message" schemaLocation="${path.join(XSD30, 'SDMXMessage.xsd')}"/>
  <xs:import namespace="${ns}" schemaLocation="${dsdFile}"/>
</xs:schema>
`,
      );
      wrappers.set(view, wrapper);
      return wrapper;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
