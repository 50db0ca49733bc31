/**
 * An incremental, SAX-style XML tokenizer for uploads: text goes in piece by piece, element
 * starts and ends come out with their namespace URI resolved, so a reader tells message types
 * apart by namespace, never by prefix. fast-xml-parser needs the whole document; SDMX data
 * files can be hundreds of megabytes.
 *
 * Covered: start/end/empty-element tags with attributes in either quote, namespace
 * declarations and scoping, comments, CDATA, processing instructions, a DOCTYPE (skipped; its
 * entity declarations are not honoured), the five predefined entities and numeric character
 * references, attribute-value normalisation. Well-formedness is checked where it is cheap:
 * names, matching end tags, one root, no text outside it, unbound prefixes, duplicate
 * attributes, `<` in attribute values, unknown entities, a document cut short. Text inside
 * elements is decoded (and checked) only when the handler asks for it. UTF-8 only: another
 * declared encoding is refused.
 */
import { UploadFormatError } from '../records.js';
import { MAX_TOKEN } from './text-stream.js';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * An element's attributes as written, namespace declarations left out: qualified name and
 * value alternately (`[name0, value0, name1, value1...]`), cheaper than an object per element.
 * Resolve a prefixed name with XmlTokenizer.attributeUri.
 */
export type XmlAttributes = readonly string[];

/** The value of the attribute `name` (qualified name as written). */
export function attribute(attrs: XmlAttributes, name: string): string | undefined {
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return undefined;
}

export interface XmlHandler {
  /** An element starts. `uri` is '' when the element has no namespace. */
  open(local: string, uri: string, attrs: XmlAttributes): void;
  close(local: string, uri: string): void;
  /** Character data (entities decoded, CDATA included), delivered only while wantText is true. */
  text(text: string): void;
  readonly wantText: boolean;
}

const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?$/;
const TAG_NAME = /[^\s/>]+/y;
const ATTRIBUTE = /\s+([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_CLOSE = /\s*(\/?)>/y;
/** What may still become a complete start tag once more text comes. */
const TAG_UNFINISHED = /\s*(?:[^\s=/>"']+\s*(?:=\s*(?:"[^"]*|'[^']*)?)?)?\/?$/y;
const NEEDS_DECODING = /[&\t\n\r]/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

type Scope = Record<string, string | undefined>;

export class XmlTokenizer {
  private carry = '';
  /** The carry is text waiting for '<' (else unfinished markup waiting for '>'). */
  private carryIsText = false;
  /** Pieces that cannot finish the carry, joined once one that can arrives (no repeated copying). */
  private readonly pending: string[] = [];
  private pendingLength = 0;
  /** Bytes of the text before `carry`, for error offsets. */
  private consumed = 0;
  /** The text being parsed and where the current markup starts in it, for error offsets. */
  private text = '';
  private at = 0;
  private readonly names: string[] = [];
  private readonly locals: string[] = [];
  private readonly uris: string[] = [];
  /** Namespace scopes opened by elements, with the depth that opened them. */
  private readonly scopes: { depth: number; previous: Scope }[] = [];
  private scope: Scope;
  private rootSeen = false;
  /** Names already checked, each kept once (interned: property keys are then found faster). */
  private readonly validNames = new Map<string, string>();

  constructor(private readonly handler: XmlHandler) {
    const base: Scope = Object.create(null) as Scope;
    base.xml = XML_NS;
    this.scope = base;
  }

  write(piece: string): void {
    if (this.carry !== '' && piece.indexOf(this.carryIsText ? '<' : '>') === -1) {
      this.pending.push(piece);
      this.pendingLength += piece.length;
      if (this.carry.length + this.pendingLength > MAX_TOKEN) {
        this.text = this.carry;
        this.at = 0;
        this.fail('markup or text longer than 16 MiB without an end');
      }
      return;
    }
    const buf = this.carry + (this.pending.length > 0 ? this.pending.join('') : '') + piece;
    let searchFrom = this.carryIsText ? buf.length - piece.length : 0;
    this.pending.length = 0;
    this.pendingLength = 0;
    this.carryIsText = false;
    this.text = buf;
    let pos = 0;
    while (pos < buf.length) {
      const lt = buf.indexOf('<', pos + searchFrom);
      searchFrom = 0;
      if (lt === -1) {
        this.carryIsText = true;
        break;
      }
      if (lt > pos) {
        this.textRun(buf, pos, lt);
        pos = lt;
      }
      this.at = lt;
      const end = this.markup(buf, lt);
      if (end === -1) break;
      pos = end;
    }
    this.carry = buf.slice(pos);
    if (this.carry.length > MAX_TOKEN) {
      this.at = pos;
      this.fail('markup or text longer than 16 MiB without an end');
    }
    this.consumed += pos === buf.length ? Buffer.byteLength(buf) : Buffer.byteLength(buf.slice(0, pos));
  }

  end(): void {
    const rest = this.carry + this.pending.join('');
    this.text = rest;
    this.at = 0;
    if (rest.trimStart().startsWith('<')) this.fail('the document ends inside markup');
    if (this.names.length > 0) {
      if (rest.length > 0) this.at = rest.length;
      this.fail(`the document ends inside <${this.names[this.names.length - 1]}>: unclosed elements`);
    }
    if (/\S/.test(rest)) this.fail('text outside the root element');
    if (!this.rootSeen) this.fail('no root element: this is not an XML document');
  }

  /** The namespace URI of a prefixed attribute name ('' for an unprefixed one). */
  attributeUri(qname: string): string | undefined {
    const colon = qname.indexOf(':');
    return colon === -1 ? '' : this.scope[qname.slice(0, colon)];
  }

  /** Where the tokenizer is: byte offset and element path. */
  where(): string {
    const bytes = this.consumed + Buffer.byteLength(this.text.slice(0, this.at));
    return `byte ${bytes} in /${this.names.join('/')}`;
  }

  private fail(message: string): never {
    throw new UploadFormatError(`malformed XML: ${message}`, this.where());
  }

  private textRun(buf: string, from: number, to: number): void {
    if (this.names.length === 0) {
      if (/\S/.test(buf.slice(from, to))) {
        this.at = from;
        this.fail('text outside the root element');
      }
    } else if (this.handler.wantText) {
      this.at = from;
      this.handler.text(this.decode(buf.slice(from, to).replace(/\r\n?/g, '\n')));
    }
  }

  /** Parses the markup at `lt`; returns the index after it, or -1 if it is not complete yet. */
  private markup(buf: string, lt: number): number {
    if (lt + 1 >= buf.length) return -1;
    const next = buf.charCodeAt(lt + 1);
    if (next === 47 /* / */) {
      const gt = buf.indexOf('>', lt + 2);
      if (gt === -1) return -1;
      this.endTag(buf.slice(lt + 2, gt).trimEnd());
      return gt + 1;
    }
    if (next === 63 /* ? */) {
      const end = buf.indexOf('?>', lt + 2);
      if (end === -1) return -1;
      this.instruction(buf.slice(lt + 2, end));
      return end + 2;
    }
    if (next === 33 /* ! */) return this.declaration(buf, lt);
    return this.startTag(buf, lt + 1);
  }

  private declaration(buf: string, lt: number): number {
    const head = buf.slice(lt, lt + 9);
    if (head.startsWith('<!--')) {
      const end = buf.indexOf('-->', lt + 4);
      return end === -1 ? -1 : end + 3;
    }
    if (head === '<![CDATA[') {
      const end = buf.indexOf(']]>', lt + 9);
      if (end === -1) return -1;
      if (this.names.length === 0) this.fail('CDATA outside the root element');
      if (this.handler.wantText) this.handler.text(buf.slice(lt + 9, end));
      return end + 3;
    }
    if (head === '<!DOCTYPE') {
      if (this.rootSeen) this.fail('DOCTYPE after the root element');
      const gt = buf.indexOf('>', lt + 9);
      const bracket = buf.indexOf('[', lt + 9);
      if (bracket !== -1 && (gt === -1 || bracket < gt)) {
        const close = buf.indexOf(']', bracket);
        const end = close === -1 ? -1 : buf.indexOf('>', close);
        return end === -1 ? -1 : end + 1;
      }
      return gt === -1 ? -1 : gt + 1;
    }
    const partial = head.length < 9 && ['<!--', '<![CDATA[', '<!DOCTYPE'].some((p) => p.startsWith(head));
    if (partial) return -1;
    this.fail(`unknown markup ${JSON.stringify(head)}`);
  }

  private instruction(body: string): void {
    if (!/^xml\s/.test(body)) return;
    if (this.rootSeen) this.fail('XML declaration after the root element');
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
    if (encoding !== undefined && !UTF8_NAMES.has(encoding.toLowerCase())) {
      this.fail(`the document declares encoding ${encoding}; only UTF-8 is accepted`);
    }
  }

  /** Parses the start tag whose name begins at `from`; returns the index after it, or -1 if it is cut short. */
  private startTag(buf: string, from: number): number {
    TAG_NAME.lastIndex = from;
    const written = TAG_NAME.exec(buf)?.[0];
    const qname = written === undefined ? undefined : this.validName(written);
    if (qname === undefined) {
      if (written !== undefined && from + written.length === buf.length) return -1;
      this.fail(`bad element name in <${buf.slice(from, from + 40)}`);
    }
    const attrs: string[] = [];
    let declared: Scope | undefined;
    let prefixed = false;
    let i = from + qname.length;
    for (;;) {
      ATTRIBUTE.lastIndex = i;
      const m = ATTRIBUTE.exec(buf);
      if (!m) break;
      i = ATTRIBUTE.lastIndex;
      const raw = m[2] ?? m[3]!;
      const name = this.validName(m[1]!);
      if (name === undefined) this.fail(`bad attribute name ${m[1]} in <${qname}>`);
      if (raw.includes('<')) this.fail(`'<' in the value of attribute ${name} of <${qname}>`);
      const value = NEEDS_DECODING.test(raw) ? this.decode(raw.replace(/\r\n?|[\t\n]/g, ' ')) : raw;
      if (name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 58)) {
        const prefix = name.length === 5 ? '' : name.slice(6);
        if (prefix !== '' && value === '') this.fail(`namespace prefix ${prefix} bound to an empty URI`);
        declared ??= Object.create(this.scope) as Scope;
        declared[prefix] = value;
        continue;
      }
      for (let j = 0; j < attrs.length; j += 2) if (attrs[j] === name) this.fail(`attribute ${name} repeated in <${qname}>`);
      if (name.includes(':')) prefixed = true;
      attrs.push(name, value);
    }
    TAG_CLOSE.lastIndex = i;
    const close = TAG_CLOSE.exec(buf);
    if (!close) {
      TAG_UNFINISHED.lastIndex = i;
      if (TAG_UNFINISHED.test(buf)) return -1;
      this.fail(`malformed start tag <${buf.slice(from, Math.min(i + 20, from + 80))}`);
    }
    if (this.names.length === 0) {
      if (this.rootSeen) this.fail(`a second root element <${qname}>`);
      this.rootSeen = true;
    }
    if (declared) {
      this.scopes.push({ depth: this.names.length, previous: this.scope });
      this.scope = declared;
    }
    if (prefixed) {
      for (let j = 0; j < attrs.length; j += 2) {
        if (this.attributeUri(attrs[j]!) === undefined) this.fail(`unbound namespace prefix in attribute ${attrs[j]}`);
      }
    }
    const colon = qname.indexOf(':');
    const local = colon === -1 ? qname : qname.slice(colon + 1);
    const uri = this.scope[colon === -1 ? '' : qname.slice(0, colon)];
    if (uri === undefined && colon !== -1) this.fail(`unbound namespace prefix in <${qname}>`);
    this.names.push(qname);
    this.locals.push(local);
    this.uris.push(uri ?? '');
    this.handler.open(local, uri ?? '', attrs);
    if (close[1] === '/') this.endTag(qname);
    return TAG_CLOSE.lastIndex;
  }

  /** The name if it is a valid XML name (names repeat endlessly in data files: each is checked once). */
  private validName(name: string): string | undefined {
    const known = this.validNames.get(name);
    if (known !== undefined) return known;
    if (!NAME.test(name)) return undefined;
    if (this.validNames.size < 10_000) this.validNames.set(name, name);
    return name;
  }

  private endTag(qname: string): void {
    const open = this.names[this.names.length - 1];
    if (open === undefined) this.fail(`</${qname}> closes nothing`);
    if (open !== qname) this.fail(`</${qname}> where </${open}> was expected`);
    const local = this.locals.pop()!;
    const uri = this.uris.pop()!;
    this.handler.close(local, uri);
    this.names.pop();
    const top = this.scopes[this.scopes.length - 1];
    if (top && top.depth === this.names.length) {
      this.scope = top.previous;
      this.scopes.pop();
    }
  }

  /** Entity and character references → characters. */
  private decode(s: string): string {
    let amp = s.indexOf('&');
    if (amp === -1) return s;
    let out = '';
    let from = 0;
    while (amp !== -1) {
      const semi = s.indexOf(';', amp + 1);
      const name = semi === -1 ? '' : s.slice(amp + 1, semi);
      let ch = PREDEFINED[name];
      if (ch === undefined && /^#(?:x[0-9a-fA-F]+|[0-9]+)$/.test(name)) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff);
        if (allowed) ch = String.fromCodePoint(code);
      }
      if (ch === undefined) this.fail(`bad or unknown entity reference ${JSON.stringify(s.slice(amp, semi === -1 ? amp + 12 : semi + 1))}`);
      out += s.slice(from, amp) + ch;
      from = semi + 1;
      amp = s.indexOf('&', from);
    }
    return out + s.slice(from);
  }
}
