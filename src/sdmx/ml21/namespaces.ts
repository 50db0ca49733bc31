/**
 * SDMX-ML 2.1 namespaces and the prefixes we write them with (`message`, `common`, `structure`,
 * the prefixes of the SDMX 2.1 samples and of most registries).
 */
export const NS21 = {
  message: 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message',
  common: 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common',
  structure: 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure',
} as const;

/** `xmlns:*` attributes for a root element that uses the three prefixes. */
export const NS21_ATTRS = {
  'xmlns:message': NS21.message,
  'xmlns:common': NS21.common,
  'xmlns:structure': NS21.structure,
} as const;
