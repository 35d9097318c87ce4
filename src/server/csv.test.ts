import { describe, expect, it } from 'vitest';

import { CsvError, decodeUtf8, parseCsv, toCsv } from './csv';

describe('CSV for imports and reports', () => {
  it('reads commas or semicolons, whichever the first line uses, and quoted separators', () => {
    expect(parseCsv('a,b\r\n1,"x, y"\r\n').map((row) => row.fields)).toEqual([
      ['a', 'b'],
      ['1', 'x, y'],
    ]);
    expect(parseCsv('a;b\n1;"x; y"\n2;p,q\n').map((row) => row.fields)).toEqual([
      ['a', 'b'],
      ['1', 'x; y'],
      ['2', 'p,q'],
    ]);
  });

  it('drops a BOM and blank rows, and numbers rows by the line they start on', () => {
    const rows = parseCsv('\uFEFFa,b\n\n1,"two\nlines"\n2,"say ""hi"""\n ,\n3,x\n');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', 'two\nlines'] },
      { line: 5, fields: ['2', 'say "hi"'] },
      { line: 7, fields: ['3', 'x'] },
    ]);
  });

  it('says what is wrong with a quote that never closes', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(
      new CsvError(
        'A quoted field is never closed: check for a stray " in the file.',
        'unclosed-quote',
      ),
    );
  });

  it('refuses text that is not UTF-8, naming the fix', () => {
    expect(() => decodeUtf8(Buffer.from('S\xf8lvi', 'latin1'))).toThrow(/CSV UTF-8/);
    expect(decodeUtf8(Buffer.from('Sølvi', 'utf8'))).toBe('Sølvi');
  });

  it('writes every field quoted, formulas neutralised, with CRLF', () => {
    expect(toCsv([['=1+1', '+SUM(1)', '-5', '@x', 'plain', 'a "q"', null, 3]])).toBe(
      `"'=1+1","'+SUM(1)","'-5","'@x","plain","a ""q""","","3"\r\n`,
    );
  });
});
