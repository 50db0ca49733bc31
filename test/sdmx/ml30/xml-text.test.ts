/** Escaping and rendering used by the SDMX-ML 3.0 writers. */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { el, escapeAttr, escapeText, renderDocument, textEl } from '../../../src/sdmx/ml30/xml-text.js';

t.test('element text escapes &, <, > and keeps quotes', async (t) => {
  t.equal(escapeText(`a & b < c > d " e ' f`), `a &amp; b &lt; c &gt; d " e ' f`);
  t.equal(escapeText('&amp;'), '&amp;amp;', 'already-escaped text is escaped again (no double-decoding)');
});

t.test('attribute values also escape quotes and whitespace controls', async (t) => {
  t.equal(escapeAttr(`x"y'z&<>`), `x&quot;y'z&amp;&lt;&gt;`);
  t.equal(escapeAttr('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
});

t.test('characters XML 1.0 cannot carry are dropped; others, including astral ones, kept', async (t) => {
  t.equal(escapeText('a\u0000b\u0007c\u001Fd\uFFFEe'), 'abcde');
  t.equal(escapeText('x\uD800y'), 'xy', 'lone high surrogate');
  t.equal(escapeText('x\uDC00y'), 'xy', 'lone low surrogate');
  t.equal(escapeText('tab\tnl\n😀 é 中'), 'tab\tnl\n😀 é 中');
});

t.test('rendered documents parse back to the same values', async (t) => {
  const nasty = `Vehicular homicide & <other> "quoted" 'single' \u0001 😀`;
  const xml = renderDocument(el('root', { a: nasty, skipped: undefined, n: 3, b: false }, textEl('t', nasty), el('empty')));
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<root '));
  t.notOk(xml.includes('skipped'), 'undefined attributes are omitted');
  t.ok(xml.includes('<empty/>'));
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, processEntities: true }).parse(xml);
  const expected = nasty.replace('\u0001', '');
  t.equal(doc.root['@a'], expected);
  t.equal(doc.root.t, expected);
  t.equal(doc.root['@n'], '3');
  t.equal(doc.root['@b'], 'false');
});
