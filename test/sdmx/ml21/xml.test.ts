/**
 * XML text helpers: escaping of text and attributes, dropping of characters XML forbids, and
 * the builder's output.
 */
import t from 'tap';
import { XmlBuilder, escapeAttr, escapeText } from '../../../src/sdmx/ml21/xml.js';
import { attr, parseXml, text } from '../../../src/sdmx/ml21/xml-tree.js';

t.test('escapeText', async (tt) => {
  tt.equal(escapeText('plain text é 😀'), 'plain text é 😀', 'nothing to do');
  tt.equal(escapeText(`a & b < c > d " e ' f`), `a &amp; b &lt; c &gt; d " e ' f`);
  tt.equal(escapeText(']]>'), ']]&gt;');
  tt.equal(escapeText('a\r\nb\tc'), 'a&#13;\nb\tc', 'CR kept as a reference, LF and tab literal');
  tt.equal(escapeText('x\u0000y\u0008z\u001F\uFFFE'), 'xyz', 'forbidden characters dropped');
  tt.equal(escapeText('lone \uD800 surrogate \uDC00'), 'lone  surrogate ', 'lone surrogates dropped');
  tt.equal(escapeText('pair \uD83D\uDE00'), 'pair 😀', 'surrogate pairs kept');
});

t.test('escapeAttr', async (tt) => {
  tt.equal(escapeAttr('simple'), 'simple');
  tt.equal(escapeAttr(`a & b < c > d " e ' f`), 'a &amp; b &lt; c &gt; d &quot; e &apos; f');
  tt.equal(escapeAttr('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d', 'whitespace survives attribute normalisation');
  tt.equal(escapeAttr('x\u0001y'), 'xy');
});

t.test('XmlBuilder', async (tt) => {
  const xml = new XmlBuilder()
    .declaration()
    .open('root', { a: 'x&y', skipped: undefined, alsoSkipped: null, n: 3, b: false })
    .leaf('name', '<b>', { 'xml:lang': 'en' })
    .empty('Ref', { id: '01' })
    .raw('<raw/>')
    .close('root')
    .toString();
  tt.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<root a="x&amp;y" n="3" b="false"><name xml:lang="en">&lt;b&gt;</name><Ref id="01"/><raw/></root>',
  );
  const parsed = parseXml(xml);
  tt.equal(parsed.name, 'root');
  tt.equal(attr(parsed.node, 'a'), 'x&y');
});

t.test('escaped text and attributes parse back to the original', async (tt) => {
  const samples = [`Tom & Jerry <"quoted"> 'single'`, 'tab\tnew\nline', 'é 😀 &amp; literally', '  padded ', ''];
  for (const s of samples) {
    const xml = new XmlBuilder().open('r', { v: s }).leaf('t', s).close('r').toString();
    const { node } = parseXml(xml);
    tt.equal(attr(node, 'v'), s, `attribute ${JSON.stringify(s)}`);
    tt.equal(text((node.t as never[])[0]), s, `text ${JSON.stringify(s)}`);
  }
});
