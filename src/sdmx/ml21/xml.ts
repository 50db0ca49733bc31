/**
 * Small XML text helpers shared by the SDMX-ML writers: escaping, and a string builder that
 * collects fragments in an array and joins them once (messages with large codelists have
 * tens of thousands of elements).
 *
 * Choices:
 * - Characters that XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone
 *   surrogates) are dropped rather than escaped: a character reference to them is still not
 *   well-formed (XML 1.0 §2.2), and one stray byte must not make a whole message unreadable.
 * - Text escapes `&`, `<`, `>` and CR (a literal CR would be turned into LF by every parser,
 *   XML 1.0 §2.11). Attributes also escape both quotes, tab and LF, which parsers would otherwise
 *   normalise to spaces (XML 1.0 §3.3.3).
 * - Attribute values that are `undefined` or `null` are left out, so callers can pass optional
 *   model fields directly.
 */

const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"'\t\n\r]/g;
const NEEDS_TEXT_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NEEDS_ATTR_WORK = /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const toEntity = (c: string): string => ENTITY[c] ?? c;

/** Escapes character data (element content). */
export function escapeText(s: string): string {
  if (!NEEDS_TEXT_WORK.test(s)) return s;
  return s.replace(INVALID, '').replace(TEXT_SPECIAL, toEntity);
}

/** Escapes an attribute value (for use between double or single quotes). */
export function escapeAttr(s: string): string {
  if (!NEEDS_ATTR_WORK.test(s)) return s;
  return s.replace(INVALID, '').replace(ATTR_SPECIAL, toEntity);
}

export type AttrValue = string | number | boolean | undefined | null;
/** Attributes in the order they should be written; undefined/null values are skipped. */
export type Attrs = Readonly<Record<string, AttrValue>>;

function attrString(attrs: Attrs | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const name in attrs) {
    const v = attrs[name];
    if (v === undefined || v === null) continue;
    out += ` ${name}="${escapeAttr(String(v))}"`;
  }
  return out;
}

/** Builds an XML document from fragments; element names are written as given (with prefix). */
export class XmlBuilder {
  private readonly parts: string[] = [];

  /** `<?xml version="1.0" encoding="UTF-8"?>` followed by a newline. */
  declaration(): this {
    this.parts.push('<?xml version="1.0" encoding="UTF-8"?>\n');
    return this;
  }

  /** Start tag. */
  open(name: string, attrs?: Attrs): this {
    this.parts.push(`<${name}${attrString(attrs)}>`);
    return this;
  }

  /** End tag. */
  close(name: string): this {
    this.parts.push(`</${name}>`);
    return this;
  }

  /** Empty element `<name .../>`. */
  empty(name: string, attrs?: Attrs): this {
    this.parts.push(`<${name}${attrString(attrs)}/>`);
    return this;
  }

  /** Element holding escaped text: `<name ...>text</name>`. */
  leaf(name: string, text: string, attrs?: Attrs): this {
    this.parts.push(`<${name}${attrString(attrs)}>${escapeText(text)}</${name}>`);
    return this;
  }

  /** Already-serialised XML, written as is. */
  raw(xml: string): this {
    this.parts.push(xml);
    return this;
  }

  toString(): string {
    return this.parts.join('');
  }
}
