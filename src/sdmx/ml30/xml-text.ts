/**
 * XML text escaping for the SDMX-ML 3.0 writers, plus a tiny element tree that renders to an
 * indented document. Kept local to `ml30/` so the 3.0 writers depend on nothing else in flux.
 *
 * Choices: characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates;
 * U+FFFE/U+FFFF) are dropped rather than escaped, because no escape makes them legal (XML 1.0
 * §2.2). In attribute values tab, LF and CR become character references so that attribute-value
 * normalisation (XML 1.0 §3.3.3) does not turn them into spaces.
 */

const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes element content. */
export function escapeText(s: string): string {
  return s
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;'); // a literal CR would be read back as LF (XML 1.0 §2.11)
}

/** Escapes a value for a double-quoted attribute. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

export type AttrValue = string | number | boolean | undefined;

/** An element with either text content or child elements (SDMX-ML has no mixed content). */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly children: readonly XmlElement[];
  readonly text?: string;
}

export type Child = XmlElement | undefined | false | null | readonly Child[];

function flatten(children: readonly Child[], out: XmlElement[] = []): XmlElement[] {
  for (const c of children) {
    if (!c) continue;
    if (Array.isArray(c)) flatten(c as readonly Child[], out);
    else out.push(c as XmlElement);
  }
  return out;
}

/** Element with children; falsy children are skipped, arrays are flattened. */
export function el(name: string, attrs: Record<string, AttrValue> = {}, ...children: Child[]): XmlElement {
  return { name, attrs, children: flatten(children) };
}

/** Element with text content. */
export function textEl(name: string, text: string, attrs: Record<string, AttrValue> = {}): XmlElement {
  return { name, attrs, children: [], text };
}

function renderAttrs(attrs: Readonly<Record<string, AttrValue>>): string {
  let s = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    s += ` ${k}="${escapeAttr(String(v))}"`;
  }
  return s;
}

function renderInto(e: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const open = `${pad}<${e.name}${renderAttrs(e.attrs)}`;
  if (e.text !== undefined) {
    out.push(`${open}>${escapeText(e.text)}</${e.name}>`);
  } else if (e.children.length === 0) {
    out.push(`${open}/>`);
  } else {
    out.push(`${open}>`);
    for (const c of e.children) renderInto(c, depth + 1, out);
    out.push(`${pad}</${e.name}>`);
  }
}

/** Renders a whole document: XML declaration, then the indented element tree. */
export function renderDocument(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  renderInto(root, 0, out);
  return out.join('\n') + '\n';
}
