/**
 * Parses XML into a plain tree with fast-xml-parser and gives small accessors over it, for the
 * SDMX-ML readers.
 *
 * Choices:
 * - Namespace prefixes are stripped (`removeNSPrefix`): SDMX documents use many prefixes for
 *   the same namespaces (`mes`/`message`, `str`/`structure`), and element names do not clash
 *   between the 2.1 namespaces. The caller checks the namespace version separately.
 * - Every element is an array, whatever its cardinality, so no accessor depends on how many
 *   siblings a document happens to have. Attribute and text values stay strings (`01` is a code,
 *   not the number 1).
 * - Well-formedness is checked first with XMLValidator, which reports line and column; the
 *   parser itself accepts much malformed input silently.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element: child elements by local name, attributes as `@name`, text as `#text`. */
export interface XNode {
  readonly [key: string]: XNode[] | string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Decodes numeric character references too (&#233;), not only the five XML entities.
  htmlEntities: true,
  alwaysCreateTextNode: true,
  textNodeName: '#text',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Keep text and attribute values exactly (a name may start with a space); callers trim ids.
  trimValues: false,
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

/**
 * Parses a document and returns its root element's local name and node. Throws an Error naming
 * line and column when the text is not well-formed XML.
 */
export function parseXml(xml: string): { name: string; node: XNode } {
  const check = XMLValidator.validate(xml);
  if (check !== true) {
    const { msg, line, col } = check.err;
    throw new Error(`not well-formed XML at line ${line}, column ${col}: ${msg}`);
  }
  const doc = parser.parse(xml) as Record<string, XNode[]>;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (roots.length !== 1 || !Array.isArray(doc[roots[0]]) || doc[roots[0]].length !== 1) {
    throw new Error('not well-formed XML: expected exactly one root element');
  }
  return { name: roots[0], node: doc[roots[0]][0] };
}

/** All child elements of that local name, in document order. */
export function kids(node: XNode | undefined, name: string): XNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? v : [];
}

/** The first child element of that local name. */
export function kid(node: XNode | undefined, name: string): XNode | undefined {
  return kids(node, name)[0];
}

/** An attribute value (local name, e.g. `lang` for xml:lang). */
export function attr(node: XNode | undefined, name: string): string | undefined {
  const v = node?.['@' + name];
  return typeof v === 'string' ? v : undefined;
}

/** The element's text content, untrimmed. */
export function text(node: XNode | undefined): string {
  const v = node?.['#text'];
  return typeof v === 'string' ? v : '';
}

/** Local names of the child elements present. */
export function childNames(node: XNode): string[] {
  return Object.keys(node).filter((k) => !k.startsWith('@') && k !== '#text');
}
