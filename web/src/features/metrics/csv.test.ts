import { describe, expect, it, vi } from 'vitest';
import { csvCell, downloadCsv, fileSlug, toCsv } from './csv';

describe('CSV cells', () => {
  it('writes plain text and numbers as they are, nothing for no value', () => {
    expect(csvCell('Acme Corp')).toBe('Acme Corp');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(5.5)).toBe('5.5');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('Smith, Jones & Co')).toBe('"Smith, Jones & Co"');
    expect(csvCell('The "big" one')).toBe('"The ""big"" one"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(csvCell('"')).toBe('""""');
  });

  it('writes text that would start a formula as text', () => {
    expect(csvCell('=HYPERLINK("http://evil","click")')).toBe('"\'=HYPERLINK(""http://evil"",""click"")"');
    expect(csvCell('+1 555 0100')).toBe("'+1 555 0100");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('a CSV file', () => {
  it('has the header, then a line per row, each ended by CRLF', () => {
    const csv = toCsv(
      ['Client', 'Comment', 'Score'],
      [
        ['Acme, Inc.', 'Great "work"\nthanks', 5],
        ['Globex', null, 3],
      ],
    );
    expect(csv).toBe('Client,Comment,Score\r\n"Acme, Inc.","Great ""work""\nthanks",5\r\nGlobex,,3\r\n');
  });

  it('is named in letters, digits and dashes', () => {
    expect(fileSlug('Réponses par client')).toBe('reponses-par-client');
    expect(fileSlug('Sign-ins per week')).toBe('sign-ins-per-week');
    expect(fileSlug('!!!')).toBe('table');
  });

  it('downloads through a Blob URL, with a byte order mark for spreadsheets', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => (created.push(blob), 'blob:metrics'));
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    downloadCsv('per-client', 'a,b\r\n');
    expect(clicked[0]!.download).toBe('per-client.csv');
    expect(clicked[0]!.href).toBe('blob:metrics');
    expect(created[0]!.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await created[0]!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('a,b\r\n');
    click.mockRestore();
  });
});
