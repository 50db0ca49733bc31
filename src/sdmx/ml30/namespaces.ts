/** SDMX-ML 3.0 namespaces (SDMXMessage.xsd, SDMXCommon.xsd, SDMXStructure.xsd targetNamespace). */
export const NS_MESSAGE_30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message';
export const NS_COMMON_30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common';
export const NS_STRUCTURE_30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure';
