/**
 * The one CSV parser (src/text/csv.ts): RFC 4180 quoting, line breaks, BOM, ragged rows, the
 * options its callers choose, errors with line and column, and the streaming form giving the
 * same records as the whole-text form wherever the pieces are cut, inside quoted fields and
 * between CR and LF included.
 */
import t, { type Test } from 'tap';
import { CsvSyntaxError, CsvTokenizer, tokenizeCsv, type CsvOptions, type CsvRecord } from '../../src/text/csv.js';

const fieldsOf = (text: string, options?: CsvOptions) => tokenizeCsv(text, options).map((r) => r.fields);

function streamed(pieces: readonly string[], options?: CsvOptions): CsvRecord[] {
  const out: CsvRecord[] = [];
  const tokenizer = new CsvTokenizer((fields, line) => out.push({ line, fields }), options);
  for (const p of pieces) tokenizer.write(p);
  tokenizer.end();
  return out;
}

function syntaxError(f: () => unknown): CsvSyntaxError {
  try {
    f();
  } catch (e) {
    if (e instanceof CsvSyntaxError) return e;
    throw e;
  }
  throw new Error('no CsvSyntaxError');
}

t.test('quoted fields: separators, doubled quotes, embedded line breaks', async (t) => {
  t.same(tokenizeCsv('a,b,c\n"x, y","say ""hi""","l1\nl2"\n"",,""""\n'), [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['x, y', 'say "hi"', 'l1\nl2'] },
    { line: 4, fields: ['', '', '"'] },
  ]);
  t.same(fieldsOf('"a\r\nb",c\r\n'), [['a\r\nb', 'c']], 'a CRLF inside quotes is data');
  t.same(fieldsOf('" spaced "," "'), [[' spaced ', ' ']], 'spaces are data');
});

t.test('line breaks: CRLF, LF, lone CR, no final line break', async (t) => {
  t.same(tokenizeCsv('a,b\r\n1,2\n3,4\r5,6'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['1', '2'] },
    { line: 3, fields: ['3', '4'] },
    { line: 4, fields: ['5', '6'] },
  ]);
  t.same(fieldsOf('a\r"b"\rc\r'), [['a'], ['b'], ['c']], 'a lone CR ends a record after a closing quote too');
  t.same(fieldsOf('a\rb,c\n', { lineBreaks: 'lf' }), [['a\rb', 'c']], 'lf: a lone CR is data');
  t.same(fieldsOf('a,b\r\n', { lineBreaks: 'lf' }), [['a', 'b']], 'lf: the CR of CRLF is dropped');
  t.same(fieldsOf('"a"\r\nb\r', { lineBreaks: 'lf' }), [['a'], ['b']], 'lf: CRLF after a closing quote, CR before the added end');
  t.same(fieldsOf(''), []);
  t.same(fieldsOf('\n'), [['']]);
  t.same(fieldsOf('a,\n,\n'), [['a', ''], ['', '']], 'empty fields, final line break ignored');
});

t.test('a byte-order mark is dropped from a whole text', async (t) => {
  t.same(fieldsOf('\uFEFFa,b\n1,2'), [['a', 'b'], ['1', '2']]);
  t.same(fieldsOf('\uFEFF"a",b'), [['a', 'b']], 'before a quoted field too');
});

t.test('empty lines and ragged rows are reported as they are', async (t) => {
  t.same(tokenizeCsv('a,b\n\n1\r\n\r\n1,2,3\n'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: [''] },
    { line: 3, fields: ['1'] },
    { line: 4, fields: [''] },
    { line: 5, fields: ['1', '2', '3'] },
  ]);
  t.same(tokenizeCsv('a,b\n\n1\r\n\r\n1,2,3\n', { skipEmptyLines: true }), [
    { line: 1, fields: ['a', 'b'] },
    { line: 3, fields: ['1'] },
    { line: 5, fields: ['1', '2', '3'] },
  ]);
  t.same(fieldsOf('""\n', { skipEmptyLines: true }), [['']], 'a quoted empty field is not an empty line');
});

t.test('separators', async (t) => {
  t.same(fieldsOf('a;b;"c;d"\n1;2;3', { separator: ';' }), [['a', 'b', 'c;d'], ['1', '2', '3']]);
  t.same(fieldsOf('a\tb,c\n', { separator: '\t' }), [['a', 'b,c']]);
  t.throws(() => new CsvTokenizer(() => undefined, { separator: '"' }));
  t.throws(() => new CsvTokenizer(() => undefined, { separator: ';;' }));
});

t.test('stray quotes: an error by default, kept when asked', async (t) => {
  const e = syntaxError(() => tokenizeCsv('a,b\nx,ab"c\n'));
  t.match(e, { reason: 'quote-in-field', line: 2, column: 5, recordLine: 2 });
  t.match(e.message, /^line 2, column 5: quote inside an unquoted field$/);
  t.same(fieldsOf('a,b\nx,ab"c"\n', { strayQuotes: 'keep' }), [['a', 'b'], ['x', 'ab"c"']]);
});

t.test('errors name line and column', async (t) => {
  const after = syntaxError(() => tokenizeCsv('a,b\n"x\ny"z,1\n'));
  t.match(after, { reason: 'text-after-quote', line: 3, column: 3, recordLine: 2, field: 'x\ny', char: 'z' });
  t.match(after.message, /^line 3, column 3: unexpected "z" after a closing quote$/);

  const open = syntaxError(() => tokenizeCsv('a,b\nx,"open\nstill open\n'));
  t.match(open, { reason: 'unterminated', line: 2, column: 3, recordLine: 2, field: 'open\nstill open\n' });
  t.match(open.message, /unterminated quoted field/);
  t.match(syntaxError(() => tokenizeCsv('"abc')), { reason: 'unterminated', line: 1, column: 1, field: 'abc' }, 'no line end added to the field');
  t.match(syntaxError(() => tokenizeCsv('a,"b\nc",d,"e\nf')), { line: 2, column: 6, recordLine: 1, field: 'e\nf' }, 'the opening quote, not the record start');

  const cr = syntaxError(() => tokenizeCsv('"a"\rb\n', { lineBreaks: 'lf' }));
  t.match(cr, { reason: 'text-after-quote', line: 1, column: 4, char: '\r' }, 'lf: a CR after a closing quote must end the line');

  t.match(syntaxError(() => streamed(['abc', 'def'], { maxLength: 5 })), { reason: 'line-too-long', line: 1 });
  t.match(syntaxError(() => streamed(['a\n"abc\n', 'def'], { maxLength: 5 })), { reason: 'field-too-long', line: 2 });
});

t.test('columns count from the start of the physical line, across pieces', async (t) => {
  const text = 'h\nab,"cd\nefg"x\n';
  for (let cut = 0; cut <= text.length; cut++) {
    const e = syntaxError(() => streamed([text.slice(0, cut), text.slice(cut)]));
    t.match(e, { reason: 'text-after-quote', line: 3, column: 5, recordLine: 2 }, `cut at ${cut}`);
  }
});

/** Every way of cutting `text` into two or three pieces gives the whole-text records. */
function sameWhereverCut(t: Test, text: string, options?: CsvOptions) {
  const whole = tokenizeCsv(text, options);
  let differ = 0;
  for (let i = 0; i <= text.length; i++) {
    for (let j = i; j <= text.length; j++) {
      const got = streamed([text.slice(0, i), text.slice(i, j), text.slice(j)], options);
      if (JSON.stringify(got) !== JSON.stringify(whole)) {
        differ++;
        if (differ === 1) t.same(got, whole, `pieces cut at ${i} and ${j}`);
      }
    }
  }
  t.equal(differ, 0, `${JSON.stringify(text)}: the same records wherever it is cut`);
}

t.test('chunk boundaries anywhere, inside quoted fields and CRLF included', async (t) => {
  const text = 'A,B,C\r\n"x,""1""\r\ny",2,"\n"\r\nplain,"",z\n\n"q"\r"r",s\rlast,"one"';
  sameWhereverCut(t, text);
  sameWhereverCut(t, text.replace(/\r(?!\n)/g, ''), { lineBreaks: 'lf', strayQuotes: 'keep', skipEmptyLines: true });
  sameWhereverCut(t, 'a;b"c;"d;e"\r\n;\r\n', { separator: ';', lineBreaks: 'lf', strayQuotes: 'keep' });
  t.same(streamed(['a\r', '\nb\r', 'c\r', '']), [
    { line: 1, fields: ['a'] },
    { line: 2, fields: ['b'] },
    { line: 3, fields: ['c'] },
  ]);
  t.same(
    streamed(['"a', '', '""', '"', '\r', '\n']),
    [{ line: 1, fields: ['a"'] }],
    'empty pieces and an escaped quote split across pieces',
  );
});

t.test('long quoted fields across many pieces are not rescanned', async (t) => {
  const value = 'v'.repeat(100_000) + '\n' + '""'.repeat(1000);
  const text = `id,text\n1,"${value}"\n2,ok\n`;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 997) pieces.push(text.slice(i, i + 997));
  t.same(streamed(pieces), [
    { line: 1, fields: ['id', 'text'] },
    { line: 2, fields: ['1', 'v'.repeat(100_000) + '\n' + '"'.repeat(1000)] },
    { line: 4, fields: ['2', 'ok'] },
  ]);
});

t.test('the sink may throw; the tokenizer does not catch', async (t) => {
  const tokenizer = new CsvTokenizer(() => {
    throw new Error('bad row');
  });
  t.throws(() => tokenizer.write('a\n'), /bad row/);
});
